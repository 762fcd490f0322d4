"""Unicode repair steps, from the data-driven cases in tests/cases/unicode.json."""

from __future__ import annotations

import pytest

from conftest import load_case_file
from seedclean.config import Config
from seedclean.edits import apply_edits
from seedclean.normalize.pipeline import STEP_NAMES, normalize
from seedclean.normalize.rules import load_rules

CASES = load_case_file("unicode.json")["cases"]


def _only(step: str):
    return load_rules(Config(steps={name: name == step for name in STEP_NAMES}))


@pytest.mark.parametrize("case", CASES, ids=[f"{c['step']}:{c['why']}" for c in CASES])
def test_unicode_case(case: dict) -> None:
    result = normalize(case["input"], _only(case["step"]))
    assert result.text == case["expected"]
    reasons = {edit.reason for edit in result.edits}
    if case["reason"] is None:
        assert not result.edits
    else:
        assert case["reason"] in reasons
        assert {edit.step for edit in result.edits} == {case["step"]}


def test_mojibake_repairs_a_long_line_without_keeping_it() -> None:
    # a file that is one huge broken line must not stay in the per-line cache
    from seedclean.normalize import unicode

    rules = load_rules(Config())
    sentence = "The caf\u00e9 owners said the na\u00efve plan failed. "
    line = (sentence * (unicode._CACHED_LINE // len(sentence) + 2)).encode("utf-8").decode("latin-1")
    short = sentence.encode("utf-8").decode("latin-1")
    unicode._repaired.cache_clear()
    long_edits = unicode.fix_mojibake(line, rules)
    short_edits = unicode.fix_mojibake(short, rules)
    assert len(line) > unicode._CACHED_LINE
    assert long_edits and short_edits
    assert unicode._repaired.cache_info().currsize == 1  # only the short line is kept
    assert apply_edits(line, long_edits) == sentence * (unicode._CACHED_LINE // len(sentence) + 2)
