"""A step marked ``settles`` finds nothing to change in its own output, so
the pipeline does not ask it again; the log is the same as when it is asked."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED, needs_dev_corpora
from seedclean.edits import apply_edits, check_edits
from seedclean.normalize import pipeline
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules

from .test_pipeline import text_strategy

RULES = load_rules()
SETTLING = [step for step in pipeline.STEPS if step.settles]


def _real_texts() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt"))
    for corpus in ("news-bench-dev", "dehyphen-dev", "mojibake-dev"):
        paths += sorted((SHARED / "corpora" / corpus).rglob("*.txt"))[::3]
    return [path.read_bytes().decode("utf-8", "replace") for path in paths]


def _settles(step: pipeline.Step, text: str) -> None:
    edits = check_edits(text, step.function(text, RULES))
    once = apply_edits(text, edits)
    assert [edit for edit in step.function(once, RULES) if not edit.flag_only] == []


def test_some_step_settles() -> None:
    assert [step.name for step in SETTLING] == ["layout"]


_LAYOUT_TEXTS = st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n", "a", " ", "Word.", "\u2028", "\r"]), max_size=30).map(
    "".join
)


@pytest.mark.parametrize("step", SETTLING, ids=lambda step: step.name)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(text_strategy, _LAYOUT_TEXTS))
def test_a_settling_step_finds_nothing_in_its_own_output(step: pipeline.Step, text: str) -> None:
    _settles(step, text)


@needs_dev_corpora
@pytest.mark.parametrize("step", SETTLING, ids=lambda step: step.name)
def test_a_settling_step_finds_nothing_in_its_own_output_on_real_text(step: pipeline.Step) -> None:
    for text in _real_texts():
        _settles(step, text)  # as read
        _settles(step, normalize(text, RULES).text)  # as the stage before it leaves it


def _asking_every_step_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        pipeline, "_STAGES", tuple(tuple(replace(step, settles=False) for step in stage) for stage in pipeline._STAGES)
    )


@needs_dev_corpora
def test_the_log_is_the_same_when_settled_steps_are_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _real_texts()
    skipping = [normalize(text, RULES) for text in texts]
    _asking_every_step_again(monkeypatch)
    asking = [normalize(text, RULES) for text in texts]
    assert skipping == asking
    assert sum(len(result.edits) for result in asking) > 1000


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy)
def test_the_log_is_the_same_when_settled_steps_are_asked_again_on_any_text(text: str) -> None:
    skipping = normalize(text, RULES)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _asking_every_step_again(monkeypatch)
        asking = normalize(text, RULES)
    assert skipping == asking
