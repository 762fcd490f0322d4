"""The ordered normalizing pipeline.

Each step is a pure function ``(text, rules) -> list[Edit]``. The pipeline
applies a step's edits, logs them with the step's name, and moves on. Steps
are grouped in stages; a stage is run again until none of its steps has
anything left to change, because one step's repair can expose work for
another (removing a control character can join a mojibake pair; removing a
chrome line can reveal a repeated headline). That is what makes running the
pipeline on its own output change nothing (idempotence). Steps can be
switched off by name in the config.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from seedclean.config import Config
from seedclean.edits import Edit, LoggedEdit
from seedclean.normalize import boilerplate, dehyphenate, linemodel, native, structure, title, unicode
from seedclean.normalize.rules import Rules

StepFunction = Callable[[str, Rules], list[Edit]]

#: how often a stage may run on one document; real text settles in two
MAX_ROUNDS = 4


@dataclass(frozen=True)
class Step:
    name: str
    function: StepFunction
    stage: str  # unicode | dehyphenate | boilerplate | structure
    #: ``settled(text, edits)``: whether the step, given the text its
    #: ``edits`` (its answer for ``text``) make, would change nothing more
    #: (proven at the step). Asked when the stage's next round comes to the
    #: step with that text unchanged by the others (and before the step is
    #: asked anything else); if so, the step is not asked again.
    settled: Callable[[str, list[Edit]], bool] | None = None


STEPS: tuple[Step, ...] = (
    # mojibake first: U+0085 (NEL) is a continuation byte of UTF-8 read as
    # latin-1 ("х" -> "Ñ\x85"), not a line break, until the text is repaired
    Step("mojibake", unicode.fix_mojibake, "unicode"),
    Step("line_endings", unicode.fix_line_endings, "unicode"),
    Step("invisible", unicode.remove_invisible, "unicode"),
    Step("spaces", unicode.normalize_spaces, "unicode"),
    Step("nfc", unicode.normalize_nfc, "unicode"),
    Step("whitespace", unicode.trim_whitespace, "unicode"),
    Step("dehyphenate", dehyphenate.dehyphenate, "dehyphenate", settled=dehyphenate.settled),
    Step("boilerplate", boilerplate.remove_boilerplate, "boilerplate", settled=boilerplate.settled),
    Step("line_model", linemodel.remove_page_chrome, "boilerplate"),
    Step("title_suffix", title.strip_title_suffix, "boilerplate"),
    Step("repeated_title", title.remove_repeated_title, "boilerplate"),
    Step("layout", structure.layout_paragraphs, "structure", settled=structure.settled),
)
STEP_NAMES: tuple[str, ...] = tuple(step.name for step in STEPS)
_STAGES: tuple[tuple[Step, ...], ...] = tuple(
    tuple(step for step in STEPS if step.stage == stage) for stage in dict.fromkeys(s.stage for s in STEPS)
)


@dataclass(frozen=True)
class Normalized:
    """A normalized text and the log that rebuilds the original from it."""

    text: str
    edits: tuple[LoggedEdit, ...]
    #: pass number of each edit: edits of one pass share offsets of one text
    passes: tuple[int, ...]


# the stages' enabled steps, for the last config and stages asked with (the
# configs are frozen; a benchmark may swap _STAGES)
_enabled: tuple[Config, tuple, tuple[tuple[Step, ...], ...]] | None = None


def _enabled_stages(config: Config) -> tuple[tuple[Step, ...], ...]:
    global _enabled
    known = _enabled
    if known is not None and known[0] is config and known[1] is _STAGES:
        return known[2]
    stages = tuple(tuple(step for step in stage if config.enabled(step.name)) for stage in _STAGES)
    _enabled = (config, _STAGES, stages)
    return stages


def normalize(text: str, rules: Rules) -> Normalized:
    """Run every enabled step on ``text``."""
    logged: list[LoggedEdit] = []
    passes: list[int] = []
    maps: list[bytes] = []  # each step's map from its output to its input (native.log_step)
    # Steps are pure functions of the text: a step that gets the very text it
    # saw in the previous round would return the same edits, so they are kept
    # (in a stage's last round most steps see an unchanged text).
    last_seen: dict[str, tuple[str, list[Edit]]] = {}
    # the text a settling step made, with the text it was given and its
    # answer: asked again about that very text (no other step has changed it),
    # the step's ``settled`` is asked instead, and if it says so the step
    # would find nothing (in a later round flags are not logged). Asked then,
    # not when the step answered: a later step mostly changes the text first
    # (the line model after boilerplate, on page dumps), and then it is not.
    made: dict[str, tuple[str, str, list[Edit]]] = {}
    for steps in _enabled_stages(rules.config):
        for round_no in range(MAX_ROUNDS):
            changed = False
            for step in steps:
                mark = made.pop(step.name, None)  # asked once: the text changes before the next round
                if mark is not None and mark[0] is text and step.settled(mark[1], mark[2]):  # type: ignore[misc]
                    continue
                seen = last_seen.get(step.name)
                if seen is not None and (seen[0] is text or seen[0] == text):
                    edits = seen[1]
                else:
                    edits = step.function(text, rules)
                    last_seen[step.name] = (text, edits)
                if not edits:
                    continue
                # sorted, checked, mapped to the raw input, logged and applied
                # in one call: a page dump logs hundreds of edits
                step_done = native.log_step(
                    text, edits, maps, step.name, len(maps), round_no > 0, logged, passes, LoggedEdit
                )  # in later rounds the unsure cases (flags) are not logged again
                if step_done is not None:
                    seen_text = text
                    text, step_changed = step_done
                    changed = changed or step_changed
                    if step_changed and step.settled is not None:
                        made[step.name] = (text, seen_text, edits)
            if not changed:
                break
    return Normalized(text, tuple(logged), tuple(passes))
