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
from collections.abc import Callable
from functools import lru_cache

from ftfy.badness import BADNESS_RE

from seedclean.errors import UserError
from seedclean.normalize.dehyphenate import _SPLIT, decide
from seedclean.normalize.lines import split_lines
from seedclean.normalize.rules import BoilerplateRule, Pattern, Rules, compile_pattern

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


@lru_cache(maxsize=8)
def _alternation(patterns: tuple[str, ...]) -> Pattern | None:
    """The rules' patterns as one RE2 pattern, or None when they cannot be
    joined (then each rule is asked)."""
    try:
        return compile_pattern("|".join(f"(?:{p})" for p in patterns), "the residual boilerplate check")
    except UserError:  # e.g. two rules naming the same group
        return None


def _matcher(rules: tuple[BoilerplateRule, ...], how: str) -> Callable[[str], bool]:
    """Whether any of ``rules`` matches a line (``how``: fullmatch or search):
    one RE2 call per line instead of one per rule."""
    if not rules:
        return lambda text: False
    joined = _alternation(tuple(rule.pattern.pattern for rule in rules))
    if joined is not None:
        ask = getattr(joined, how)
        return lambda text: ask(text) is not None
    return lambda text: any(getattr(rule.pattern, how)(text) for rule in rules)


def boilerplate_lines(text: str, rules: Rules) -> int:
    """Lines that a shipped boilerplate rule matches, wherever they stand."""
    whole = _matcher(rules.rules_for("line") + rules.rules_for("end"), "fullmatch")
    short = _matcher(rules.rules_for("short"), "search")
    count = 0
    for line in split_lines(text):
        stripped = line.text.strip()
        if whole(stripped) or (line.words <= SHORT_LINE_WORDS and short(stripped)):
            count += 1
    return count


# Every sequence ftfy's badness counts holds a non-ASCII character and is at
# most 7 characters long, so it lies within _REACH characters of one. Its
# regex, run over a whole article, was a quarter of the extract stage; run
# only around the non-ASCII characters (clusters closer than 2 * _REACH
# merged, so no sequence straddles two runs) it counts the same sequences.
_REACH = 8
_CLUSTER = re.compile(r"[^\x00-\x7f](?:[\x00-\x7f]{0,15}[^\x00-\x7f])*")


def mojibake_badness(text: str) -> int:
    """ftfy's count of character sequences that look like mojibake."""
    if text.isascii():
        return 0
    count = 0
    for m in _CLUSTER.finditer(text):
        # pos/endpos, not a slice: "^" still means the start of the text
        count += len(BADNESS_RE.findall(text, max(m.start() - _REACH, 0), m.end() + _REACH))
    return count


_SPACE = re.compile(r"\s+")


def title_in_body(title: str | None, body: str) -> bool:
    """True when the headline is printed again as a line of the body."""
    if not title:
        return False
    key = _SPACE.sub(" ", title).strip().casefold()
    return any(_SPACE.sub(" ", line.text).strip().casefold() == key for line in split_lines(body))
