"""Artifacts left in the cleaned text, measured on the output.

Each count should be 0 after a full run; a positive count means a step was
switched off, did not converge, or a rule stopped matching. The validate
stage turns them into checks (no mojibake, no split words, no boilerplate).
The boilerplate count holds every line against the shipped rules wherever it
stands, stricter than the step itself (which also weighs the tail's share),
so chrome left mid-article is counted too.
"""

from __future__ import annotations

import re

from ftfy.badness import badness

from seedclean.normalize.dehyphenate import _SPLIT, decide
from seedclean.normalize.lines import split_lines
from seedclean.normalize.rules import Rules

SHORT_LINE_WORDS = 12  # the boilerplate step's limit for `short`-scope rules


def hyphen_splits(text: str, rules: Rules) -> tuple[int, int]:
    """(words the lexicon would still join, hyphens it cannot decide)."""
    joins = unsure = 0
    if "-" not in text and "\u2010" not in text:
        return 0, 0
    for m in _SPLIT.finditer(text):
        verdict, _ = decide(m.group(1), m.group(4), rules)
        joins += verdict == "join"
        unsure += verdict == "unsure"
    return joins, unsure


def boilerplate_lines(text: str, rules: Rules) -> int:
    """Lines that a shipped boilerplate rule matches, wherever they stand."""
    line_rules = rules.rules_for("line") + rules.rules_for("end")
    short_rules = rules.rules_for("short")
    count = 0
    for line in split_lines(text):
        stripped = line.text.strip()
        if any(rule.pattern.fullmatch(stripped) for rule in line_rules) or (
            line.words <= SHORT_LINE_WORDS and any(rule.pattern.search(stripped) for rule in short_rules)
        ):
            count += 1
    return count


def mojibake_badness(text: str) -> int:
    """ftfy's count of character sequences that look like mojibake."""
    return badness(text)


_SPACE = re.compile(r"\s+")


def title_in_body(title: str | None, body: str) -> bool:
    """True when the headline is printed again as a line of the body."""
    if not title:
        return False
    key = _SPACE.sub(" ", title).strip().casefold()
    return any(_SPACE.sub(" ", line.text).strip().casefold() == key for line in split_lines(body))
