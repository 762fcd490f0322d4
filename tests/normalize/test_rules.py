"""The boilerplate prefilter: widened patterns match a superset, and asking
it first finds the same rule as trying every rule in turn."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED
from seedclean.normalize.rules import SCOPES, _re2_options, load_rules, to_re2, widen

RULES = load_rules()


@pytest.mark.parametrize(
    ("pattern", "widened"),
    [
        (r".{0,300}\bcontributed", r".{0,}\bcontributed"),
        (r"follow us(?: on [\w .&+]{1,40})?", r"follow us(?: on [\w .&+]{1,})?"),
        (r"(?:ab){2,4}c", r"(?:ab){2,}c"),
        (r"\d{4}-\d{2}", r"\d{4}-\d{2}"),  # exact counts stay
        (r"[{1,2}]{3,4}", r"[{1,2}]{3,}"),  # inside a class "{1,2}" is four characters
        (r"[]{1,2}]x", r"[]{1,2}]x"),  # a "]" first in a class does not close it
        (r"\{1,2}", r"\{1,2}"),  # an escaped brace is a literal
    ],
)
def test_widen_makes_bounded_repeats_unbounded_and_nothing_else(pattern: str, widened: str) -> None:
    assert widen(pattern) == widened


def _lines() -> list[str]:
    files = sorted(SEEDS.glob("*.txt")) + sorted((SHARED / "corpora").rglob("*.txt"))[:200]
    found = {line.strip() for path in files for line in path.read_text(encoding="utf-8", errors="replace").splitlines()}
    return sorted(line for line in found if line)


WIDENED = [re2.compile(widen(to_re2(rule.pattern.pattern)), _re2_options()) for rule in RULES.boilerplate]
PYTHON = [re.compile(rule.pattern.pattern, re.IGNORECASE) for rule in RULES.boilerplate]
FRAGMENTS = [
    "share",
    "follow us on ",
    "read more",
    "comments",
    "©",
    "photo by ",
    "AP",
    " ",
    "é",
    ", monday, may 5, 2025",
]


def _superset(line: str) -> None:
    for widened, python in zip(WIDENED, PYTHON, strict=True):
        if python.fullmatch(line):
            assert widened.fullmatch(line), (python.pattern, line)
        if python.search(line):
            assert widened.search(line), (python.pattern, line)


def test_widened_rules_match_every_real_line_the_rules_match() -> None:
    for line in _lines():
        _superset(line)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=10).map("".join))
def test_widened_rules_match_every_generated_line_the_rules_match(line: str) -> None:
    _superset(line.strip())


def _first_in_turn(scope: str, text: str, whole: bool):
    for rule, python in zip(RULES.boilerplate, PYTHON, strict=True):
        if rule.scope == scope and (python.fullmatch(text) if whole else python.search(text)):
            return rule
    return None


def test_first_match_finds_the_rule_trying_each_in_turn_finds() -> None:
    hits = 0
    for line in _lines():
        for scope in SCOPES:
            for whole in (True, False):
                found = RULES.first_match(scope, line, whole)
                assert found is _first_in_turn(scope, line, whole), (scope, whole, line)
                hits += found is not None
    assert hits > 20


def test_first_match_of_rules_built_from_part_of_the_shipped_ones() -> None:
    # the shared prefilter names rules by their place: a Rules holding only
    # some of them must not use it, and still find the same rules
    part = replace(RULES, boilerplate=RULES.boilerplate[1::2])
    python = {id(rule): compiled for rule, compiled in zip(RULES.boilerplate, PYTHON, strict=True)}
    for line in _lines()[:2000]:
        for scope in SCOPES:
            expected = next(
                (r for r in part.boilerplate if r.scope == scope and python[id(r)].fullmatch(line)),
                None,
            )
            assert part.first_match(scope, line, True) is expected, (scope, line)


def test_equal_configs_get_the_same_rules_and_their_compiled_state() -> None:
    # a notebook calling clean_text in a loop passes a new, equal Config each
    # time (or None): it must get the Rules whose matchers are compiled
    # already, not a fresh copy that compiles them again
    from seedclean.config import Config

    assert load_rules() is load_rules(Config()) is load_rules(Config())
    skipping = Config().with_steps(line_model=False)
    assert load_rules(skipping) is load_rules(Config().with_steps(line_model=False))
    assert load_rules(skipping) is not load_rules()
    assert load_rules(skipping).config == skipping and not load_rules(skipping).config.enabled("line_model")
    assert load_rules().config.enabled("line_model")
