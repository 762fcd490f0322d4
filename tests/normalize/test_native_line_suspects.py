"""line_suspects' compiled twin counts a line's tokens only as far as the
credit check asks (CREDIT_MAX_WORDS + 1): lines around that count, and
characters past it that still decide a bit, give the pure twin's answer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.normalize import boilerplate, native
from seedclean.normalize.lines import split_lines
from seedclean.normalize.rules import load_rules

NAMES = boilerplate._folded(load_rules().agencies)
compiled_only = pytest.mark.skipif(not native.BOILER6_COMPILED, reason="the compiled twin is not built")

# after the tokens: a digit (ASCII, Arabic-Indic, superscript), "(", "_",
# ":", spaces of every kind, and text that ends a credit or a caption
_TAILS = [
    "Reuters", "Associated Press", "(AP Photo)", " 2019", " ٣", " ²", "_", ":", "\xa0", "\u2003", "\x85",
    "\x00", "\uffff", "😀", ".", ")", " )", "(x)..",
]  # fmt: skip


@compiled_only
@pytest.mark.parametrize("count", [0, 1, 7, 8, 9, 10, 61])
@pytest.mark.parametrize("tail", _TAILS)
def test_token_counts_around_the_credit_limit(count: int, tail: str) -> None:
    for sep in (" ", "\xa0", "\u3000"):
        text = sep.join(["Jane"] * count) + sep + tail
        lines = split_lines(text)
        assert native.line_suspects(lines, NAMES) == native.PURE["line_suspects"](lines, NAMES), text


_WORDS = st.sampled_from(["Jane", "Doe", ",", "AP", "Reuters", "(", ")", "_", ":", "12:30", "2019", "٣", "é", "😀"])
_SPACES = st.sampled_from([" ", "  ", "\t", "\xa0", "\u2003", "\x1c"])


@compiled_only
@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_WORDS, _SPACES), max_size=14))
def test_any_line_of_words(pieces: list[tuple[str, str]]) -> None:
    lines = split_lines("".join(word + space for word, space in pieces))
    assert native.line_suspects(lines, NAMES) == native.PURE["line_suspects"](lines, NAMES)
