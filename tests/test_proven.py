"""A boilerplate file found sound is remembered, and later runs compile its
patterns on first use: the answers stay the same, and any change to the file
is checked again."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED, needs_dev_corpora
from seedclean.errors import UserError
from seedclean.lazy import LazyRE2
from seedclean.normalize.rules import _shipped, parse_boilerplate_rules

SHIPPED = _shipped("boilerplate.tsv")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "seedclean" / "proven"


def _deferred(rules: list) -> list[bool]:
    return [isinstance(rule.pattern._compiled, LazyRE2) for rule in rules]


def _lines() -> list[str]:
    """Stripped lines of real articles: the seeds and one extractor's pages."""
    paths = sorted(SEEDS.glob("*.txt")) + sorted((SHARED / "corpora/news-bench-dev/trafilatura").glob("*.txt"))
    lines = {line.strip() for path in paths for line in path.read_text(encoding="utf-8").splitlines()}
    return sorted(line for line in lines if line)


def _answers(rules: list, lines: list[str]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Per line: the rules matching all of it, and those matching in it."""
    return [
        (
            tuple(i for i, rule in enumerate(rules) if rule.pattern.fullmatch(line) is not None),
            tuple(i for i, rule in enumerate(rules) if rule.pattern.search(line) is not None),
        )
        for line in lines
    ]


@needs_dev_corpora
def test_a_sound_file_is_checked_once_then_compiled_on_use_with_the_same_answers(cache: Path) -> None:
    first = parse_boilerplate_rules(SHIPPED, "boilerplate.tsv")
    assert not any(_deferred(first))
    assert len(list(cache.iterdir())) == 1
    again = parse_boilerplate_rules(SHIPPED, "boilerplate.tsv")
    assert all(_deferred(again))
    assert not any(rule.pattern._compiled._pattern for rule in again)  # nothing compiled before it is asked
    lines = _lines()
    assert len(lines) > 1000
    assert _answers(again, lines) == _answers(first, lines)
    assert sum(bool(whole) for whole, _ in _answers(first, lines)) > 20  # the lines exercise the rules


@pytest.fixture(scope="module")
def eager_and_deferred(tmp_path_factory: pytest.TempPathFactory) -> tuple[list, list]:
    """The shipped rules checked (first parse) and remembered (second)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        eager = parse_boilerplate_rules(SHIPPED, "boilerplate.tsv")
        deferred = parse_boilerplate_rules(SHIPPED, "boilerplate.tsv")
    assert all(_deferred(deferred)) and not any(_deferred(eager))
    return eager, deferred


_PIECES = ["share", "follow us on ", "Café", "©", " ", "\t", "\x00", "\uffff", "😀", "e\u0301", "2024", "By Ann"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=5), max_size=12).map("".join))
def test_deferred_and_eager_patterns_agree_on_any_text(eager_and_deferred: tuple[list, list], text: str) -> None:
    eager, deferred = eager_and_deferred
    assert _answers(deferred, [text]) == _answers(eager, [text])


def test_a_changed_file_is_checked_again(cache: Path) -> None:
    parse_boilerplate_rules(SHIPPED, "boilerplate.tsv")
    with pytest.raises(UserError, match=r"mine\.tsv:\d+: the pattern '\(\?<=a\)b' uses what"):
        parse_boilerplate_rules(SHIPPED + "line\t(?<=a)b\tmine\n", "mine.tsv")
    with pytest.raises(UserError, match=r"mine\.tsv:1: the pattern 'x\*' matches an empty line"):
        parse_boilerplate_rules("line\tx*\tmine\n", "mine.tsv")
    with pytest.raises(UserError, match=r"mine\.tsv:1: the pattern 'x\*' matches an empty line"):
        parse_boilerplate_rules("line\tx*\tmine\n", "mine.tsv")  # a file that failed is never remembered
    assert len(list(cache.iterdir())) == 1


def test_without_a_writable_cache_every_parse_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    for _ in range(2):
        rules = parse_boilerplate_rules(SHIPPED, "boilerplate.tsv")
        assert not any(_deferred(rules))
        assert any(rule.pattern.fullmatch("Leave a Reply") for rule in rules)
