"""The line model's compiled loops give what their pure twins give:
line_stats, which finds a line's words before it makes them (a buffer of
word spans grown as a line needs), on long lines and on words whose
characters pass ASCII anywhere; dump_gate on two-byte text and at every
line-end offset; fixed_hundredths on any float, on ties and their
neighbours."""

from __future__ import annotations

import math

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


def _same_gates(text: str, min_lines: int, max_lines: int) -> None:
    from seedclean.normalize import _native
    from seedclean.normalize.wordlists import word_set

    chrome = word_set("chrome_words.txt")
    pure = native.PURE["dump_gate"](text, chrome, min_lines, max_lines)
    assert _native.dump_gate(text, chrome, min_lines, max_lines) == pure


_GATE_PIECES = ["\n", "\n\n", "Home", "News", "a", "ab", "abc", "Read more", "ā", "—", "中", "\u0a0a", "\x0a\u0100"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_GATE_PIECES), max_size=120).map("".join),
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=0, max_value=60),
)
def test_dump_gate_on_two_byte_text(text: str, min_lines: int, extra: int) -> None:
    # "ā" and the rest make most of these texts two bytes a character, where
    # line ends are searched four characters at a time; U+0A0A holds the
    # byte of "\n" in both halves without being one
    _same_gates(text, min_lines, min_lines + extra)
    _same_gates("ā" + text, min_lines, min_lines + extra)


def test_dump_gate_on_every_line_end_offset() -> None:
    for offset in range(12):
        for length in range(1, 10):
            line = "ā" * offset + "Home"[: length % 5] + "\u0a0a" * (length % 3)
            text = "\n".join([line, "News", "Home", "ā"] * 20)
            _same_gates(text, 50, 5000)
            _same_gates(text, 1, 5000)


def _same_hundredths(value: float) -> None:
    from seedclean.normalize import _native

    for sign in (False, True):
        assert _native.fixed_hundredths(value, sign) == native.PURE["fixed_hundredths"](value, sign), (value, sign)


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_fixed_hundredths_on_any_float(value: float) -> None:
    _same_hundredths(value)


@settings(max_examples=1000, deadline=None)
@given(st.integers(min_value=-(10**6), max_value=10**6), st.integers(min_value=0, max_value=12))
def test_fixed_hundredths_on_ties_and_their_neighbours(numerator: int, power: int) -> None:
    # n / 2**k are exact: thousandths ending in 5 (0.125, 0.375) are ties,
    # rounded half to even; the next floats either side are not
    value = numerator / 2**power
    for near in (value, math.nextafter(value, math.inf), math.nextafter(value, -math.inf)):
        _same_hundredths(near)
        _same_hundredths(near / 100)


def test_fixed_hundredths_edge_cases() -> None:
    edges = [0.0, -0.0, 0.005, -0.005, 0.015, 0.125, 0.375, -0.125, 2.675, 0.995, 5e-324, -5e-324, 1e-300]
    edges += [2.0**40, -(2.0**40), math.nextafter(2.0**40, 0.0), 1e300, math.inf, -math.inf, math.nan, 99.995]
    for value in edges:
        _same_hundredths(value)
