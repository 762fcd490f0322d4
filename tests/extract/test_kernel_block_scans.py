"""The compiled scans that look for a few characters sixteen bytes at a time
(extract/_native.c's find_any and next_non_ascii, used by line_stats,
quotations, paragraphs_and_sentences, title_line and non_ascii) must give what the
pure definitions give wherever the characters stand: at every offset of a
sixteen-byte block, in each of the three kinds of str (one, two or four
bytes a character), and next to characters whose low byte is the one looked
for (U+010A and U+0A0A hold 0x0A, "\\n", as a byte)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.extract import kernels, text_stats

native = pytest.mark.skipif(kernels.NATIVE is None, reason="the compiled module is not built (or SEEDCLEAN_PURE=1)")
PURE = kernels.PURE
ABBREVIATIONS = text_stats._data_words("abbreviations.txt")
#: a character that makes a str one, two or four bytes a character
KINDS = ["", "é", "’", "😀"]
#: the characters the scans look for, and look-alikes: the same low byte
#: (Ċ U+010A, ਊ U+0A0A, Ȣ U+0222: "\n" and '"'), the same byte pair swapped
#: (‐ U+2010, ⁝ U+201D's neighbours) and the edges of each kind
PIECES = [*'\n."!?…“”„ aA1\t', "\u010a", "\u0a0a", "\u0222", "\u2010", "\u201b", "\u2025", "\uffff", "\x00", "\x80"]
PIECES += ["Mr.", "U.S.", "dup line", "12.", "• ", "...", "\n\n", "abcdefghijklmnop"]


def _texts() -> st.SearchStrategy[str]:
    body = st.lists(st.sampled_from(PIECES), max_size=50).map("".join)
    # a kind-setting character at the start or the end, and a run of
    # padding that moves everything to another offset in its block
    return st.tuples(st.sampled_from(KINDS), st.integers(0, 17), body, st.booleans()).map(
        lambda t: (t[0] + "x" * t[1] + t[2]) if t[3] else ("x" * t[1] + t[2] + t[0])
    )


def _same(name: str, *args: object) -> None:
    assert getattr(kernels.NATIVE, name)(*args) == PURE[name](*args), (name, args)


@native
@settings(max_examples=600, deadline=None)
@given(_texts())
def test_scans_equal_at_any_offset_and_kind(text: str) -> None:
    _same("line_stats", text)
    _same("quotations", text)
    _same("paragraphs_and_sentences", text, ABBREVIATIONS)
    _same("non_ascii", text)
    for key in ("dup line", "mr. u.s.", "abcdefghijklmnop"):
        _same("title_line", text, key)


@native
@pytest.mark.parametrize("kind", KINDS)
def test_each_mark_at_each_offset_of_a_block(kind: str) -> None:
    for mark in ["\n", ".", '"', "“", "”", "…", "\u010a"]:
        for at in range(40):
            text = kind + "a" * at + mark + ' Quoted words "here" and more.\nB'
            _same("line_stats", text)
            _same("quotations", text)
            _same("paragraphs_and_sentences", text, ABBREVIATIONS)
            _same("title_line", text, "a" * at)
            _same("non_ascii", text)


@native
def test_repeated_lines_are_told_apart_by_their_characters() -> None:
    # lines of equal length, equal or differing in one character at any
    # position: the duplicate count compares every character
    for kind in KINDS:
        base = kind + "x" * 23
        lines = [base, base[:-1] + "y", base, "y" + base[1:], base + " ", "  " + base, base]
        _same("line_stats", "\n".join(lines))
        _same("line_stats", "\n".join(lines * 40))


#: what borders a run of ASCII word characters in the body pass: a non-ASCII
#: word character that joins the word, others that end it, marks it counts
WORD_PIECES = [
    "the",
    "The",
    "A1_",
    "x" * 70,
    "é",
    "É",
    "ß",
    "İ",
    "Σ",
    "’",
    "…",
    ".",
    "...",
    "#",
    '"',
    "“",
    " ",
    "\n",
    "\t",
]


@native
@settings(max_examples=600, deadline=None)
@given(st.sampled_from(KINDS), st.lists(st.sampled_from(WORD_PIECES), max_size=40).map("".join))
def test_body_words_equal_around_ascii_runs(kind: str, text: str) -> None:
    from seedclean.extract import fingerprints

    stop = frozenset({"the", "a1_", "x" * 64, "x" * 70, "é", "ß"})
    doc = fingerprints._permutations(fingerprints.DOC_BANDS * fingerprints.DOC_ROWS)
    for whole in (kind + text, text + kind, text):
        _same("body_words", whole, stop, 5, *doc)
