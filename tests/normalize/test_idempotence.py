"""Normalizing an output again changes nothing, on generated documents and
on the real dev corpora (../shared/corpora, when present)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from seedclean.edits import undo_edits
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules

RULES = load_rules()
CORPORA = SHARED / "corpora"

LINES = [
    "Ceasefire talks between Israel and Hamas make progress | World News - The Example Times",
    "Officials said the talks would resume on Monday, after weeks of occu-pation of the border crossing.",
    "The long-term plan was backed by US-backed negotiators and the Al-Thani family in Doha.",
    "By Jane Doe and John Roe",
    "Published 11:11 PM EST Nov 19, 2019",
    "READ MORE: Talks collapse as both sides trade blame",
    "Share on: Facebook Twitter Reddit",
    "Home",
    "World",
    "Subscribe",
    "Privacy Policy",
    "Leave a Reply",
    "A caption of a protest in the city, Tuesday, Nov. 19, 2019. (AP Photo/Jane Doe)",
    "Negotiators met late into the night and agreed to meet again, a diplomat told reporters on Sunday.",
    "Ã©tudiants et professeurs ont manifestÃ© devant le ministÃ¨re.",
    "",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=60), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_normalizing_twice_changes_nothing(lines: list[str], separator: str) -> None:
    text = separator.join(lines)
    once = normalize(text, RULES)
    assert normalize(once.text, RULES).text == once.text


def _corpus_files() -> list:
    if not CORPORA.is_dir():
        return []
    folders = ["news-bench-dev/html-text", "news-bench-dev/boilerpipe", "news-bench-dev/readability"]
    folders += ["dehyphen-dev/input", "mojibake-dev/utf8-as-latin1"]
    return [path for folder in folders for path in sorted((CORPORA / folder).glob("*.txt"))]


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora (the dev corpora) is not present")
def test_dev_corpora_are_fixpoints_and_restorable() -> None:
    failures = []
    for path in _corpus_files():
        text = path.read_text(encoding="utf-8")
        once = normalize(text, RULES)
        if normalize(once.text, RULES).text != once.text:
            failures.append(path.relative_to(CORPORA).as_posix())
        # the log undoes every pass back to the raw text
        rebuilt = once.text
        for pass_no in sorted(set(once.passes), reverse=True):
            rebuilt = undo_edits(rebuilt, [e for e, p in zip(once.edits, once.passes, strict=True) if p == pass_no])
        assert rebuilt == text, path.name
    assert not failures, failures
