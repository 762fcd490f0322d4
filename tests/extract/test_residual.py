"""extract/residual.py's windowed mojibake count must equal ftfy's badness
on any text: the documents.jsonl field is ftfy's number."""

from __future__ import annotations

from ftfy.badness import badness
from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.extract.residual import mojibake_badness

# ASCII, the characters ftfy's sequences are made of, and other scripts
_ALPHABET = "ab Z.,-'\"\n\t0123456789" + "ÃÂâ€œ™©®°·»«¿¡–—´ØÙàáœŒ√≈‚ÄВГРСЂўβΒΓΞΟā€×²³\x80\x9d\xa0" + "дж中文é"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120) | st.text(max_size=80))
def test_badness_equals_ftfy(text: str) -> None:
    assert mojibake_badness(text) == badness(text)


def test_badness_on_real_mojibake() -> None:
    text = "Itâ€™s a “test” â€” with Ã© and Â  here.\n" + "x" * 40 + "Ã\xa0 cafÃ©"
    assert badness(text) > 0
    assert mojibake_badness(text) == badness(text)
