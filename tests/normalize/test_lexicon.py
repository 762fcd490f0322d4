"""normalize/lexicon.py answers ``zipf_frequency`` as wordfreq does, from a
memory-mapped table of wordfreq's list: the same number for any word, and
wordfreq's own answer when the table cannot be had."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import wordfreq
from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq.tokens import lossy_tokenize

from conftest import ROOT, dev_texts, needs_dev_corpora
from seedclean.normalize import lexicon

#: every character a plain word can hold
PLAIN_LETTERS = [chr(c) for c in range(0x530) if lexicon.is_plain(chr(c))]


@pytest.fixture(autouse=True)
def _fresh_tables() -> None:
    lexicon.lexicon.cache_clear()
    yield
    lexicon.lexicon.cache_clear()


def test_english_is_answered_from_the_table() -> None:
    table = lexicon.lexicon("en")
    assert table is not None
    assert table.zipf("the") == wordfreq.zipf_frequency("the", "en") > 7
    assert table.zipf("occupation") == wordfreq.zipf_frequency("occupation", "en")
    assert table.zipf("qxzvkq") == 0.0


def test_a_plain_letter_is_one_token_alone_and_beside_any_other() -> None:
    # what lets the table answer a plain word: wordfreq takes it as it is
    assert len(PLAIN_LETTERS) > 500  # a-z, Latin-1 and Latin Extended, Greek, Cyrillic
    for letter in PLAIN_LETTERS:
        for word in (letter, letter * 3, f"a{letter}", f"{letter}я", f"ά{letter}"):
            assert lossy_tokenize(word, "en") == [word]


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(PLAIN_LETTERS), min_size=1, max_size=12))
def test_plain_words_are_one_token_and_answered_as_wordfreq_does(word: str) -> None:
    assert lossy_tokenize(word, "en") == [word]
    assert lexicon.zipf_frequency(word, "en") == wordfreq.zipf_frequency(word, "en")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=12))
def test_any_text_is_answered_as_wordfreq_does(word: str) -> None:
    assert lexicon.zipf_frequency(word, "en") == wordfreq.zipf_frequency(word, "en")


_SAMPLE = [
    "Occupation",
    "ÉTÉ",
    "straße",
    "naïve",
    "naı\u0308ve",  # a combining mark: not NFC
    "don't",
    "donʼt",  # wordfreq uncurls the modifier apostrophe
    "covid19",
    "long-term",
    "ελληνικά",
    "λέξις",  # final sigma: case folding changes it
    "всего",
    "東京",
    "",
]


@pytest.mark.parametrize("word", _SAMPLE)
def test_words_wordfreq_rewrites_are_answered_as_wordfreq_does(word: str) -> None:
    assert lexicon.zipf_frequency(word, "en") == wordfreq.zipf_frequency(word, "en")


def test_every_band_of_the_list_is_answered_as_wordfreq_does() -> None:
    for band in wordfreq.get_frequency_list("en"):
        for word in band[:: max(1, len(band) // 3)]:
            assert lexicon.zipf_frequency(word, "en") == wordfreq.zipf_frequency(word, "en"), word


@needs_dev_corpora
def test_every_word_of_the_dev_corpora_is_answered_as_wordfreq_does() -> None:
    written: set[str] = set()
    for text in dev_texts():
        written.update(re.findall(r"[^\W\d_]+", text))
    lowered = {word.lower() for word in written}  # what dehyphenate asks
    assert len(lowered) > 10_000
    # the table answers most (the rest: Japanese, mojibake the run repairs first)
    assert sum(map(lexicon.is_plain, lowered)) > 0.9 * len(lowered)
    words = written | lowered
    assert [w for w in words if lexicon.zipf_frequency(w, "en") != wordfreq.zipf_frequency(w, "en")] == []


def test_a_language_wordfreq_preprocesses_further_is_asked_of_wordfreq() -> None:
    # Turkish folds "I" to "ı", Romanian turns cedillas into commas
    assert lexicon.lexicon("tr") is None and lexicon.lexicon("ro") is None
    for word, lang in (("ışık", "tr"), ("şi", "ro"), ("și", "ro")):
        assert lexicon.zipf_frequency(word, lang) == wordfreq.zipf_frequency(word, lang) > 0


def test_without_a_writable_cache_wordfreq_answers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # no folder can be made under a file
    monkeypatch.setattr(tempfile, "tempdir", str(blocker))
    assert lexicon.lexicon("en") is None
    assert lexicon.zipf_frequency("occupation", "en") == wordfreq.zipf_frequency("occupation", "en") > 3


def test_a_damaged_cache_file_is_passed_over(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    first = lexicon.lexicon("en")
    assert first is not None
    (user_file,) = (tmp_path / "user" / "seedclean").iterdir()
    for damage in (b"", user_file.read_bytes()[:1000]):
        user_file.write_bytes(damage)
        lexicon.lexicon.cache_clear()
        table = lexicon.lexicon("en")  # from a new file in the temporary folder
        assert table is not None and table.zipf("occupation") == wordfreq.zipf_frequency("occupation", "en")
    assert len(list((tmp_path / "tmp" / "seedclean").iterdir())) == 1


_PROBE = "from seedclean.normalize import lexicon; print(lexicon.lexicon('en').zipf('occupation'))"


def test_two_processes_writing_the_cache_at_once_both_get_it_whole(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    runs = [
        subprocess.Popen([sys.executable, "-c", _PROBE], env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    answers = {run.communicate()[0].strip() for run in runs}
    assert answers == {str(wordfreq.zipf_frequency("occupation", "en"))}
    assert [path.suffix for path in (tmp_path / "seedclean").iterdir()] == [".lexicon"]  # no staging left


def test_a_table_without_an_empty_slot_still_ends_a_lookup() -> None:
    # a band's value is asked of its first plain word: "naïve" gets "occupation"'s
    content = bytearray(lexicon.build([["the"], [], ["occupation", "naïve"]], lambda word: len(word) / 10))
    table = lexicon.Lexicon(content)
    assert (table.zipf("the"), table.zipf("naïve"), table.zipf("qxz")) == (0.3, 1.0, 0.0)
    start = lexicon._HEADER.size + 8 * 3  # after the header and the three bands' values: 8 slots
    slots = memoryview(content)[start : start + 8 * 8].cast("I")
    occupied = next(i for i in range(0, 16, 2) if slots[i + 1])
    for i in range(0, 16, 2):  # a damaged file: every slot names a word
        if not slots[i + 1]:
            slots[i : i + 2] = slots[occupied : occupied + 2]
    full = lexicon.Lexicon(bytes(content))
    assert (full.zipf("the"), full.zipf("naïve"), full.zipf("qxz")) == (0.3, 1.0, 0.0)
