"""Data-driven cases for the accuracy rules: boilerplate lines, headlines,
dehyphenation decisions (tests/cases/*.json: input, expected, reason)."""

from __future__ import annotations

import pytest

from conftest import load_case_file
from seedclean.normalize.dehyphenate import decide, solid_words
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules
from seedclean.normalize.title import looks_like_headline

RULES = load_rules()
LINES = load_case_file("boilerplate_lines.json")
TITLES = load_case_file("titles.json")
HYPHENS = load_case_file("dehyphenate.json")


@pytest.mark.parametrize("case", LINES["cases"], ids=lambda c: c["input"][:40])
def test_boilerplate_line(case: dict) -> None:
    prose = LINES["prose"]
    text = f"Parliament passes the new transport law\n\n{prose}\n\n{case['input']}\n\n{prose}\n"
    result = normalize(text, RULES)
    deleted = [e for e in result.edits if e.kind == "delete" and case["input"] in e.before]
    if case["expected"] == "delete":
        assert case["input"] not in result.text, case
        assert deleted and deleted[0].reason == case["reason"], [(e.reason, e.detail) for e in deleted]
        assert deleted[0].detail, "every deletion explains itself"
    else:
        assert case["input"] in result.text, f"{case['input']!r} must stay: {case['reason']}"


@pytest.mark.parametrize("case", TITLES["cases"], ids=lambda c: c["input"][:40])
def test_headline_recognition(case: dict) -> None:
    assert looks_like_headline(case["input"]) is case["expected"], case["reason"]


@pytest.mark.parametrize("case", HYPHENS["cases"], ids=lambda c: c["input"])
def test_dehyphenate_decision(case: dict) -> None:
    left, right = case["input"].split("-", 1)
    verdict, why = decide(left, right, RULES, solid_words(case["context"]))
    assert verdict == case["expected"], f"{case['input']}: {why} (expected because: {case['reason']})"
