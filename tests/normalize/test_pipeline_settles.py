"""A step whose ``settled`` says so finds nothing to change in its own
output, so the pipeline does not ask it again; the log is the same as when
it is asked."""

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
SETTLING = [step for step in pipeline.STEPS if step.settled is not None]


def _real_texts() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt"))
    for corpus in ("news-bench-dev", "dehyphen-dev", "mojibake-dev"):
        paths += sorted((SHARED / "corpora" / corpus).rglob("*.txt"))[::3]
    return [path.read_bytes().decode("utf-8", "replace") for path in paths]


def _settles(step: pipeline.Step, text: str) -> bool:
    """Whether ``step.settled`` says the step's output of ``text`` is
    settled; if it does, asking the step again must find nothing."""
    edits = step.function(text, RULES)
    once = apply_edits(text, check_edits(text, edits))
    if not step.settled(text, edits):  # type: ignore[misc]
        return False
    assert [edit for edit in step.function(once, RULES) if not edit.flag_only] == []
    return True


def test_the_settling_steps() -> None:
    assert [step.name for step in SETTLING] == ["dehyphenate", "boilerplate", "layout"]


_LAYOUT_TEXTS = st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n", "a", " ", "Word.", "\u2028", "\r"]), max_size=30).map(
    "".join
)
# pairs that join in a first round and pairs that the joined words then make
# joinable ("longt-\nerm" makes "longterm" solid, and "long-term" joins next),
# with U+2010 beside them ("x‐ab-cd")
_HYPHEN_TEXTS = st.lists(
    st.sampled_from(
        ["long", "term", "longt", "erm", "Long", "LONG", "occu", "pation", "Occu", "self", "made", "sel", "fmade",
         "check", "in", "chec", "kin", "x", "-", "-\n", "\u2010", " ", ". ", "\n", "\n\n", "é"]
    ),
    max_size=40,
).map("".join)  # fmt: skip


_PROSE = (
    "The council met on Tuesday to discuss the new budget, and members argued for hours about the cost of "
    "repairing the old bridge over the river."
)
# lines whose verdicts depend on their neighbours: end markers and their
# tails, section labels above a headline, comment headers, long lines
# printed twice, a first line with a site suffix, and chrome around them
_BOILERPLATE_TEXTS = st.lists(
    st.sampled_from(
        ["World", "Opinion", "Advertisement", "Share this", "Facebook", "Related Posts", "About the author",
         "Leave a Reply", "John says:", "Mary wrote:", "Nice.", "Skip to content - CNN", "Council Approves Budget",
         "A Headline About The Council Budget Vote | World News", _PROSE, _PROSE.replace("Tuesday", "Monday"),
         "Jane Doe covers city hall for the paper and writes about the budget every week of the year for us",
         "Published 11:11 PM EST Nov 19, 2019", "(Photo: Reuters)", "Tom Davies Associated Press", "12 4 7 — 23"]
    ),
    max_size=40,
).flatmap(lambda lines: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(lines) + "\n"))  # fmt: skip


@pytest.mark.parametrize("step", SETTLING, ids=lambda step: step.name)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(text_strategy, _LAYOUT_TEXTS, _HYPHEN_TEXTS, _BOILERPLATE_TEXTS))
def test_a_settled_step_finds_nothing_in_its_own_output(step: pipeline.Step, text: str) -> None:
    _settles(step, text)


@needs_dev_corpora
@pytest.mark.parametrize("step", SETTLING, ids=lambda step: step.name)
def test_a_settled_step_finds_nothing_in_its_own_output_on_real_text(step: pipeline.Step) -> None:
    settled = 0
    for text in _real_texts():
        settled += _settles(step, text)  # as read
        settled += _settles(step, normalize(text, RULES).text)  # as the stages before it leave it
    assert settled > 100


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("He said occu-pation and occu-\npation.\n", True),
        ("A long-term plan. The longt-\nerm view.\n", False),  # "longterm" is now written solid
        ("A Long-term plan. The longt-\nerm view.\n", False),  # lower-cased
        ("x\u2010occu-\npation here\n", False),  # a new pair may start at U+2010
        ("occu-\npation\u2010x here\n", False),
        ("long-term and self-made\n", True),  # nothing joined
    ],
)
def test_dehyphenate_is_settled_unless_a_join_can_lead_to_another(text: str, settled: bool) -> None:
    from seedclean.normalize import dehyphenate

    assert dehyphenate.settled(text, dehyphenate.dehyphenate(text, RULES)) is settled


@pytest.mark.parametrize(
    ("lines", "settled"),
    [
        # the chrome after the marker made its tail too long; without it the
        # marker ends the article
        (["A Headline About The Council Budget Vote", _PROSE, _PROSE, "About the author"] + ["Advertisement"] * 20
         + ["Jane Doe covers city hall for the paper"], False),
        (["A Headline About The Council Budget Vote", _PROSE, "About the author"] + ["Advertisement"] * 2, True),
        # the first line went: the new one is chrome once its suffix goes
        (["Advertisement", "Skip to content - CNN", _PROSE], False),
        (["Advertisement", "Council Approves Budget", _PROSE], True),
        # labels above the headline went with the chrome between them
        (["World", "Advertisement", "Council Approves Budget After Long Debate", _PROSE], True),
        # a comment thread may be left: asked again
        (["Headline Here For The Story", _PROSE, "John says:", "Nice.", "Mary says:", "Agreed.", "Advertisement"],
         False),
        (["Headline Here For The Story", _PROSE], True),  # nothing deleted
    ],
)  # fmt: skip
def test_boilerplate_is_settled_unless_a_deletion_can_lead_to_another(lines: list[str], settled: bool) -> None:
    from seedclean.normalize import boilerplate

    text = "\n".join(lines) + "\n"
    edits = boilerplate.remove_boilerplate(text, RULES)
    assert boilerplate.settled(text, edits) is settled
    again = boilerplate.remove_boilerplate(apply_edits(text, check_edits(text, edits)), RULES)
    if settled:
        assert again == []
    elif lines[-1].startswith("Jane") or lines[1].startswith("Skip"):
        assert again != []  # the cases where the next round does delete


def test_boilerplate_is_settled_only_on_its_last_answer() -> None:
    from seedclean.normalize import boilerplate

    text = "Council Approves Budget\nAdvertisement\n" + _PROSE + "\n"
    edits = boilerplate.remove_boilerplate(text, RULES)
    assert edits and boilerplate.settled(text, edits)
    boilerplate.remove_boilerplate(_PROSE + "\n", RULES)
    assert not boilerplate.settled(text, edits)  # another text was asked since


def test_a_pair_a_join_made_joinable_is_joined_in_the_next_round() -> None:
    result = normalize("A long-term plan. The longt-\nerm view.\n", RULES)
    assert result.text == "A longterm plan. The longterm view.\n"
    assert [(edit.detail.split(":")[0], p) for edit, p in zip(result.edits, result.passes, strict=True)
            if edit.step == "dehyphenate"] == [("'longt-\\nerm'", 0), ("'long-term'", 1)]  # fmt: skip


def _asking_every_step_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        pipeline, "_STAGES", tuple(tuple(replace(step, settled=None) for step in stage) for stage in pipeline._STAGES)
    )


@needs_dev_corpora
def test_the_log_is_the_same_when_settled_steps_are_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _real_texts()
    skipping = [normalize(text, RULES) for text in texts]
    _asking_every_step_again(monkeypatch)
    asking = [normalize(text, RULES) for text in texts]
    assert skipping == asking
    assert sum(len(result.edits) for result in asking) > 1000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(text_strategy, _HYPHEN_TEXTS))
def test_the_log_is_the_same_when_settled_steps_are_asked_again_on_any_text(text: str) -> None:
    skipping = normalize(text, RULES)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _asking_every_step_again(monkeypatch)
        asking = normalize(text, RULES)
    assert skipping == asking
