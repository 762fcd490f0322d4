"""decode_bytes tells binary from text by the share of control bytes; for
UTF-8 it counts them only when the unicode scan finds a control character,
which holds exactly when there is such a byte to count."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.errors import InputFileError
from seedclean.normalize import native
from seedclean.read.decode import MAX_CONTROL_SHARE_UTF8, _control_share, decode_bytes

_CONTROLS = "".join(map(chr, [*range(0, 9), *range(14, 32)]))
_TEXT = st.text(alphabet=st.sampled_from(_CONTROLS + "\t\n\r\x0b\x0c\x7f\x85\xad é’\u200b") | st.characters())


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_the_scan_finds_a_control_character_where_there_is_a_control_byte(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    for scan in (native.unicode_scan, native.PURE["unicode_scan"]):
        assert _control_share(data) == 0 or scan(text) & native.SCAN_CONTROL


@pytest.mark.parametrize("controls", [1, 5, 20])
def test_utf8_with_many_control_bytes_is_binary_and_with_a_few_is_text(controls: int) -> None:
    data = ("Talks resume in Cairo.\n" * 2).encode() + b"\x00" * controls
    if controls / len(data) > MAX_CONTROL_SHARE_UTF8:
        with pytest.raises(InputFileError, match="binary"):
            decode_bytes(data, "a.txt")
    else:
        assert decode_bytes(data, "a.txt").text.endswith("\x00" * controls)
