"""The mojibake step's badness check (unicode.is_bad) answers what ftfy's
own ``is_bad`` answers, and ftfy repairs every line the same with it: on
every line of the seeds and dev corpora, and on generated text made of the
characters ftfy's badness regex is written with."""

from __future__ import annotations

import types

import ftfy
import ftfy.badness
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import dev_texts, needs_dev_corpora
from seedclean.normalize import native, unicode

#: the characters the badness regex names (its source, de-duplicated), and
#: ASCII letters, spaces and punctuation around them
_BADNESS_CHARS = "".join(sorted(set(ftfy.badness.BADNESS_RE.pattern) - set("\\[]|(){}?*+\n")))
_TEXT = st.text(alphabet=st.sampled_from(_BADNESS_CHARS + "aZ .,!\t\n\xa0\u2009é") | st.characters(), max_size=40)


def _lines() -> list[str]:
    lines: set[str] = set()
    for text in dev_texts():
        lines.update(line for line in text.split("\n") if not line.isascii())
    return sorted(lines)


@needs_dev_corpora
def test_is_bad_is_ftfys_on_the_dev_corpora() -> None:
    lines = _lines()
    assert len(lines) > 1000  # the corpora are there and hold non-ASCII text
    answers = [unicode.is_bad(line) for line in lines]
    assert answers == [ftfy.badness.is_bad(line) for line in lines]
    assert any(answers) and not all(answers)  # both answers occur


@needs_dev_corpora
def test_repairs_are_ftfys_on_the_mojibake_lines() -> None:
    lines = sorted({text[s:e] for text in dev_texts() for s, e in native.mojibake_lines(text)})
    assert len(lines) > 100
    own = ftfy.is_bad
    for line in lines:
        assert unicode._ftfy_fix(line) == ftfy.fix_encoding_and_explain(line), line[:200]
    assert ftfy.is_bad is own  # put back after every call


def test_the_fast_check_stands_in_even_when_ftfy_badness_ran_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    # an `import ftfy.badness` while ftfy is lazy runs the module again: the
    # package's is_bad is then another function object of the same module
    first_copy = ftfy.badness.is_bad
    monkeypatch.setattr(ftfy, "is_bad", types.FunctionType(first_copy.__code__, first_copy.__globals__, "is_bad"))
    asked: list[str] = []
    monkeypatch.setattr(unicode, "is_bad", lambda text: asked.append(text) or first_copy(text))
    fixed = unicode._ftfy_fix("The cafÃ© opens at 9")
    assert fixed.text == "The café opens at 9"
    assert asked  # ours answered during the call
    assert ftfy.is_bad is not unicode.is_bad  # and ftfy's is back


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_is_bad_is_ftfys_on_generated_text(text: str) -> None:
    assert unicode.is_bad(text) == ftfy.badness.is_bad(text)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_repairs_are_ftfys_on_generated_text(text: str) -> None:
    broken = text.encode("utf-8", "surrogatepass").decode("latin-1")  # mojibake of it, as the step meets it
    for line in (text, broken):
        assert unicode._ftfy_fix(line) == ftfy.fix_encoding_and_explain(line)


def test_a_sequence_at_the_start_is_found_only_there() -> None:
    # "^[ÃÂ][ ]" is anchored: searched from a window's start it must not match
    assert unicode.is_bad("Ã bad") == ftfy.badness.is_bad("Ã bad") is True
    assert unicode.is_bad("a good line. Ã x") == ftfy.badness.is_bad("a good line. Ã x")
    assert unicode.is_bad("") is False and unicode.is_bad("plain ascii") is False
