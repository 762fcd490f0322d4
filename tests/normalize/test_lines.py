"""Lines and word counts: the fast counter must agree with the regex exactly."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from conftest import SEEDS
from seedclean.edits import Edit
from seedclean.normalize.lines import delete_lines, split_lines, word_count

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


def _deleted_by_walking_every_line(text: str, lines: list, verdicts: dict) -> list[Edit]:
    """delete_lines as it was written first: every line visited."""
    last_kept = max((line.index for line in lines if line.index not in verdicts), default=-1)
    edits = []
    for line in lines:
        if line.index not in verdicts:
            continue
        reason, detail = verdicts[line.index]
        if line.index > last_kept:
            start = lines[line.index - 1].end if line.index > 0 else line.start
            end = line.end
        else:
            start = 0 if line.index == 0 else line.start
            end = lines[line.index + 1].start
        edits.append(Edit(start, end, "", reason, detail or line.text[:80]))
    return edits


@given(st.text(alphabet="ab \n"), st.sets(st.integers(min_value=0, max_value=12)))
def test_delete_lines_visiting_the_judged_lines_only_deletes_the_same(text: str, judged: set[int]) -> None:
    lines = split_lines(text)
    verdicts = {index: ("reason", "" if index % 2 else "why") for index in judged if index < len(lines)}
    edits = delete_lines(text, lines, verdicts)
    assert edits == _deleted_by_walking_every_line(text, lines, verdicts)
    assert len(edits) == len(verdicts)


def test_delete_lines_on_real_text_deletes_as_walking_every_line() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines = split_lines(text)
        for step in (1, 2, 3, 7):
            for first in (0, 1, len(lines) // 2):
                verdicts = {line.index: ("r", "") for line in lines[first::step]}
                assert delete_lines(text, lines, verdicts) == _deleted_by_walking_every_line(text, lines, verdicts)
