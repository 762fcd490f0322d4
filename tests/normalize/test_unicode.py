"""Unicode repair steps, from the data-driven cases in tests/cases/unicode.json."""

from __future__ import annotations

import pytest

from conftest import load_case_file
from seedclean.config import Config
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
