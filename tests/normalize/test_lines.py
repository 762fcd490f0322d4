"""Lines and word counts: the fast counter must agree with the regex exactly."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from conftest import SEEDS
from seedclean.normalize.lines import split_lines, word_count

_WORD = re.compile(r"\w+")


@given(st.text())
def test_word_count_equals_the_regex_count_on_any_text(text: str) -> None:
    assert word_count(text) == len(_WORD.findall(text))


@given(st.text(alphabet="ab_1 ’“”—é\u0301½²\n\t.,-\U0001f600\ud800"))
def test_word_count_on_word_and_punctuation_mixes(text: str) -> None:
    assert word_count(text) == len(_WORD.findall(text))


def test_split_lines_counts_words_per_line_and_in_total() -> None:
    for path in SEEDS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        lines = split_lines(text)
        assert [line.text for line in lines] == [m.group() for m in re.finditer(r"[^\n]+", text)]
        assert all(line.words == len(_WORD.findall(line.text)) for line in lines)
        assert word_count(text) == len(_WORD.findall(text))


def test_split_lines_returns_a_fresh_list_of_the_same_lines() -> None:
    text = "Title\n\nBody one.\nBody two."
    first = split_lines(text)
    first.pop()
    second = split_lines(text)
    assert [line.text for line in second] == ["Title", "Body one.", "Body two."]
    # a text that only equals the cached one is split the same way
    assert split_lines("".join(["Title\n\n", "Body one.\nBody two."])) == second


@given(st.text(alphabet="ab ’\n.", min_size=300, max_size=600), st.integers(0, 40), st.integers(0, 40))
def test_word_count_of_a_piece_of_the_last_split_text(text: str, cut_start: int, cut_end: int) -> None:
    split_lines(text)
    piece = text[cut_start : len(text) - cut_end]
    assert word_count(piece) == len(_WORD.findall(piece))
