"""The rules asked about all lines of a text in one search
(rules.line_finder) answer as asking each line on its own does."""

from __future__ import annotations

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import dev_texts, needs_dev_corpora
from seedclean.normalize.lines import split_lines
from seedclean.normalize.rules import _BOTH, _UNANCHORED, _re2_options, line_finder, load_rules, to_re2, widen

RULES = load_rules()


def _each_line(patterns: list[str], texts: list[str], whole: bool = True) -> list[bool]:
    """The specification: the alternation asked about each text alone
    (all of it when ``whole``, else anywhere in it)."""
    raw = re2.compile("|".join(f"(?:{p})" for p in patterns), _re2_options())._regexp
    anchor = _BOTH if whole else _UNANCHORED
    return [raw.Match(anchor, data, 0, len(data))[0][0] >= 0 for data in (text.encode("utf-8") for text in texts)]


def _line_patterns(scope: str = "line") -> list[str]:
    return [widen(to_re2(rule.pattern.pattern)) for rule in RULES.rules_for(scope)]


@needs_dev_corpora
def test_same_answers_on_every_dev_text() -> None:
    patterns = _line_patterns()
    find = line_finder(patterns)
    assert find is not None
    hits = 0
    for text in dev_texts():
        lines = [line.text.strip() for line in split_lines(text)]
        if not lines:
            continue
        expected = _each_line(patterns, lines)
        assert find(lines) == expected
        assert RULES.may_match_whole("line", lines) == expected
        hits += sum(expected)
    assert hits > 100  # the corpora do hold chrome lines


# chrome the rules name, pieces of it, and characters that are edge cases for RE2
# (no lone surrogates: a decoded text cannot hold one)
_PIECES = st.sampled_from(
    "Share|share this|Advertisement|By John Smith|Follow us on Twitter|(Photo: AP)|©|2024|contributed reporting|"
    "read more| |\t|\xa0|:|.|_|\x00|\uffff|\u0301|é|😀|http://x.io|[AP]|Menu|Privacy Policy|"
    "sign up for our newsletter|Related Posts|check also".split("|")
)
_LINE = st.lists(
    st.one_of(_PIECES, st.characters(blacklist_categories=("Cs",), blacklist_characters="\n")), max_size=12
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=20))
def test_same_answers_on_any_lines(texts: list[str]) -> None:
    patterns = _line_patterns()
    find = line_finder(patterns)
    assert find is not None
    expected = _each_line(patterns, texts)
    assert RULES.may_match_whole("line", texts) == expected
    if texts:
        assert find(texts) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=20))
def test_a_search_in_each_line_answers_as_asking_each_alone(texts: list[str]) -> None:
    patterns = _line_patterns("short") + _line_patterns()
    find = line_finder(patterns, whole=False)
    assert find is not None
    assert find(texts) == _each_line(patterns, texts, whole=False)


@settings(max_examples=100, deadline=None)
@given(st.lists(_LINE, max_size=20))
def test_each_scope_answers_for_the_stripped_lines(texts: list[str]) -> None:
    lines = split_lines("\n".join(texts))
    stripped = [line.text.strip() for line in lines]
    for scope, whole in (("line", True), ("short", False), ("end", True)):
        assert RULES.lines_matching(scope, lines) == _each_line(_line_patterns(scope), stripped, whole)


@pytest.mark.parametrize(
    ("patterns", "texts", "expected"),
    [
        # a class that takes line breaks would match across two lines: not here
        (["a[^x]*b"], ["a", "b", "ab"], [False, False, True]),
        ([r"a\s*b", r"a\W+b"], ["a", "b", "a b", "a-b"], [False, False, True, True]),
        (["(?s)a.*b"], ["a", "b"], [False, False]),
        # \b at a line's ends sees a line break, as the line alone sees nothing
        ([r"\bshare\b"], ["share", "x", "share"], [True, False, True]),
        # empty lines, the last line, a match after several misses
        (["ad|ads"], ["", "x", "", "ads", "y", "ad"], [False, False, False, True, False, True]),
        (["é+"], ["ééé", "e", "É"], [True, False, True]),
    ],
)
def test_each_line_is_asked_on_its_own(patterns: list[str], texts: list[str], expected: list[bool]) -> None:
    assert _each_line(patterns, texts) == expected
    find = line_finder(patterns)
    assert find is not None
    assert find(texts) == expected


@pytest.mark.parametrize(
    ("patterns", "texts", "expected"),
    [
        # a match anywhere in a line, the first line, the last, one after another
        (["bc"], ["abcd", "x", "bc", "abc"], [True, False, True, True]),
        # a match that could run on into the next line does not
        (["b[^x]*c"], ["ab", "cd", "b c"], [False, False, True]),
        (["ad|ads"], ["", "bad", "", "y"], [False, True, False, False]),
    ],
)
def test_each_line_is_searched_on_its_own(patterns: list[str], texts: list[str], expected: list[bool]) -> None:
    assert _each_line(patterns, texts, whole=False) == expected
    find = line_finder(patterns, whole=False)
    assert find is not None
    assert find(texts) == expected


@pytest.mark.parametrize("pattern", ["^share", "share$", r"\Ashare", r"share\z", r"a\Cb"])
def test_patterns_that_see_past_a_line_are_refused(pattern: str) -> None:
    assert line_finder(["share", pattern]) is None


def test_texts_holding_a_line_break_are_not_answered() -> None:
    find = line_finder(["share"])
    assert find is not None
    assert find(["share", "a\nshare"]) is None
    # may_match_whole then asks each text alone
    assert RULES.may_match_whole("line", ["Share", "x\nShare", "Menu"]) == [True, False, True]


_EACH_RULE = [
    (rule.source, re2.compile(to_re2(rule.pattern.pattern), _re2_options())) for rule in RULES.rules_for("line")
]


def _first_rule(line: str) -> str | None:
    """The specification: the first line rule matching all of ``line``, each asked alone."""
    return next((source for source, pattern in _EACH_RULE if pattern.fullmatch(line) is not None), None)


def test_the_line_rules_alternation_is_compiled_only_for_a_search() -> None:
    from conftest import SEEDS
    from seedclean.normalize import boilerplate, rules

    fresh = rules._load_rules.__wrapped__(())  # not shared with other tests: nothing asked yet
    group = fresh._groups["line"]
    assert group is not None and group.whole_lines() is not None
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        boilerplate.remove_boilerplate(text, fresh)
        # the whole-line questions outside may_match_whole: answered by the finder too
        lines = [line.text.strip() for line in split_lines(text)]
        found = [fresh.first_match("line", line, whole=True) for line in lines]
        assert [rule and rule.source for rule in found] == [_first_rule(line) for line in lines]
    assert "Match" not in vars(group._raw)  # never compiled
    assert group.hit(rules._UNANCHORED, "Please share this article today")  # a search compiles it
    assert "Match" in vars(group._raw)
