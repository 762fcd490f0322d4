"""extract/casing.py decides when a whole text may be lowered or casefolded
at once instead of word by word: when it says yes, the words must agree."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.extract import casing

WORD = re.compile(r"\w+")


def _agrees(text: str, how: str) -> bool:
    whole = WORD.findall(getattr(text, how)())
    if how == "lower":  # the definition used for the stop words: each word lowered beside spaces
        return whole == " ".join(WORD.findall(text)).lower().split(" ") or not WORD.findall(text)
    return whole == [getattr(word, how)() for word in WORD.findall(text)]


@pytest.mark.parametrize("how", ["lower", "casefold"])
def test_a_yes_is_right_on_real_text(dev_texts, how: str) -> None:
    for _path, text in dev_texts:
        if casing.keeps_words(text, how):
            assert _agrees(text, how)


@pytest.mark.parametrize("how", ["lower", "casefold"])
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZ 1_-.İıßẞΣσςǅﬁŉ\u0307\u0130Kk\u212aÅé中ΟΔ", max_size=60) | st.text(max_size=60))
def test_a_yes_is_right_on_any_text(how: str, text: str) -> None:
    if casing.keeps_words(text, how):
        assert _agrees(text, how)


def test_the_characters_that_change_the_words_say_no() -> None:
    assert not casing.keeps_words("İstanbul", "lower")  # a combining dot, not a word character
    assert not casing.keeps_words("ΟΔΟΣ.Α", "lower")  # a final sigma depends on what follows
    assert casing.keeps_words("plain “quoted” text — café", "lower")
    assert casing.keeps_words("ΟΔΟΣ", "casefold")
