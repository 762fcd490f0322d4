"""The compiled loops changed on fast-linemodel8 give what their pure twins
give: line_stats, which now finds a line's words before it makes them (a
buffer of word spans grown as a line needs), on long lines and on words
whose characters pass ASCII anywhere."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from seedclean.normalize import native

pytestmark = pytest.mark.skipif(not native.COMPILED, reason="seedclean.normalize._native is not built")


def _same_stats(texts: list[str]) -> None:
    from seedclean.normalize import _native

    assert _native.line_stats(texts) == native.PURE["line_stats"](texts)


_WORDS = [
    "Word",
    "WORD",
    "word",
    "Été",
    "éTÉ",
    "İstanbul",
    "ΣΊΣΥΦΟΣ",
    "straße",
    "ǅemal",
    "x²",
    "٣٤",
    "中文字",
    "a_b",
    "K",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([*_WORDS, " ", ", ", "\x00", "\uffff", "𝔘"]), max_size=400).map("".join), max_size=4
    )
)
def test_line_stats_match_on_long_lines(texts: list[str]) -> None:
    _same_stats(texts)


def test_line_stats_match_on_lines_of_hundreds_of_words() -> None:
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    # whole articles as one line each: hundreds of words, the span buffer grown many times
    joined = [text.replace("\n", " ") for text in seeds]
    assert max(len(text.split()) for text in joined) > 300
    _same_stats(joined)
    _same_stats([" ".join(_WORDS * 50), "İ" * 3 + " " + "a" * 5000])
