"""A rule's widened pattern matches exactly as the rule does on a text no
longer than the rule's smallest bound (rules.exact_up_to): on such a line
the group's RE2 set answers for the rule, which is then not compiled."""

from __future__ import annotations

import math

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED
from seedclean.normalize.rules import (
    BoilerplateRule,
    Rules,
    _re2_options,
    _share_prefilters,
    compile_pattern,
    exact_up_to,
    load_rules,
    to_re2,
    widen,
)


@pytest.mark.parametrize(
    ("pattern", "bound"),
    [
        (r"follow us(?: on [\w .&+]{1,40})?", 40),
        (r".{0,300}\bphoto by .{0,120}", 120),
        (r"(?:ab){2,4}c", 4),
        (r"\d{4}-\d{2}", math.inf),  # exact counts are not widened
        (r"[{1,2}]{3,5}", 5),  # inside a class "{1,2}" is characters
        (r"\{1,2}x+", math.inf),
        (r"share|tweet", math.inf),
    ],
)
def test_exact_up_to_is_the_smallest_bound_widen_removes(pattern: str, bound: float) -> None:
    assert exact_up_to(pattern) == bound


# bounded repeats of items that can match nothing, nested ones, classes
# with letters beyond ASCII: the cases the argument in exact_up_to covers
_PATTERNS = [
    r"(?:a?){2,3}b",
    r"(?:ab|a|){1,2}",
    r"(?:x(?:ab){1,2}){0,2}y?",
    r"[\pL ]{1,4}:",
    r"(?:é|e){2,3}.{0,2}",
    r"\b(?:no|yes){1,2}\b",
    r"a{0,1}(?:b*){2,3}",
]
_ALPHABET = st.sampled_from(["a", "b", "x", "y", "é", "e", ":", " ", "no", "yes", "ab"])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_PATTERNS), st.lists(_ALPHABET, max_size=8).map("".join))
def test_widened_matches_as_exact_up_to_the_bound(pattern: str, text: str) -> None:
    exact = re2.compile(pattern, _re2_options())
    widened = re2.compile(widen(pattern), _re2_options())
    if len(text.encode("utf-8")) <= exact_up_to(pattern):
        assert (exact.fullmatch(text) is None) == (widened.fullmatch(text) is None)
        assert (exact.search(text) is None) == (widened.search(text) is None)


def _lines() -> list[str]:
    files = sorted(SEEDS.glob("*.txt")) + sorted((SHARED / "corpora").rglob("*.txt"))[:300]
    found = {line.strip() for path in files for line in path.read_text(encoding="utf-8", errors="replace").splitlines()}
    return sorted(line for line in found if line)


def test_each_shipped_rule_answers_as_its_own_pattern_on_real_lines() -> None:
    rules = load_rules().boilerplate
    exact = [re2.compile(to_re2(rule.pattern.pattern), _re2_options()) for rule in rules]
    lines = [*_lines(), "Follow us on Twitter", "Follow us on " + "x" * 41, "More from The Paper"]
    hits = 0
    for line in lines:
        for rule, own in zip(rules, exact, strict=True):
            assert (rule.pattern.fullmatch(line) is None) == (own.fullmatch(line) is None), (rule.source, line)
            assert (rule.pattern.search(line) is None) == (own.search(line) is None), (rule.source, line)
            hits += own.search(line) is not None
    assert hits > 100


def _two_rules() -> Rules:
    """Rules of two line rules, compiled on first use as a proven rule file's are."""
    patterns = [r"follow us(?: on [\w .&+]{1,40})?", r"share(?: this)?"]
    rules = [
        BoilerplateRule("line", compile_pattern(pattern, f"test:{i}", checked=True), "chrome", f"test:{i}")
        for i, pattern in enumerate(patterns)
    ]
    _share_prefilters(rules)
    return Rules(load_rules().config, tuple(rules), (), frozenset(), frozenset())


def test_a_short_line_is_answered_without_compiling_the_rule() -> None:
    rules = _two_rules()
    follow = rules.boilerplate[0]
    assert rules.first_match("line", "Follow us on Twitter", whole=True) is follow
    assert rules.first_match("line", "Follow us on the web", whole=True) is follow
    assert rules.first_match("line", "Share this", whole=True) is rules.boilerplate[1]
    assert follow.pattern._compiled._pattern is None  # type: ignore[attr-defined]
    # longer than the bound: only the rule itself can tell
    assert rules.first_match("line", "Follow us on " + "x" * 41, whole=True) is None
    assert rules.first_match("line", "Follow us on " + "x" * 40, whole=True) is follow
    assert follow.pattern._compiled._pattern is not None  # type: ignore[attr-defined]
