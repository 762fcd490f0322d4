"""Boilerplate patterns run on RE2 (linear time): the shipped rules behave as
they did under Python's re, and a user's bad or unsupported pattern is an
error naming its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED
from seedclean.config import BoilerplateConfig, Config
from seedclean.errors import UserError
from seedclean.normalize.rules import load_rules, parse_boilerplate_rules, to_re2
from seedclean.write.run import normalize_folder

RULES = load_rules().boilerplate

#: RE2's \b, written for Python's re: a boundary between an ASCII word
#: character and anything else (the rule file documents \b as ASCII; Python's
#: own \b would also count "¹" or "é" as word characters); case-sensitive,
#: because under IGNORECASE Python's [A-Za-z] also takes "ſ" and the Kelvin sign
_ASCII_BOUNDARY = r"(?-i:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))"


def _as_documented(pattern: str) -> str:
    r"""A rule's pattern for Python's re with the meaning the rule file gives
    it: every \b (one not itself escaped) an ASCII word boundary."""
    return re.sub(r"(?<!\\)((?:\\\\)*)\\b", lambda m: m.group(1) + _ASCII_BOUNDARY, pattern)


PYTHON = [re.compile(_as_documented(rule.pattern.pattern), re.IGNORECASE) for rule in RULES]

# Lines where Python's Unicode classes and case folding differ from RE2's
# defaults: letters, digits and spaces outside ASCII, folding oddities.
TRICKY = [
    "Follow us on Café Société",
    "Follow us on Ελληνικά νέα",
    "Find us on 微博",
    "١٢ comments",
    "１２ Comments",
    "12 comments",
    "Copyright© 2024 Le Monde",
    "copyrighté",
    "Copyright",
    "copyright 2024",
    "Copyright\u00a02024 ACME",
    "Read more »",
    "READ MORE…",
    "read more\u00a0→",
    "Share via Email",
    "ſhare",
    "\u212aeep reading",
    "Continue reading the main story",
    "Sign up for our daily newsletter",
    "Today’s Paper",
    "© 2025 — All Rights Reserved.",
    # \b is ASCII under RE2: "¹" ends the word "X" there, not under Python's own \b
    "follow us on X¹",
    "Follow them on Twitter²",
]


def _corpus_lines() -> list[str]:
    files = sorted(SEEDS.glob("*.txt")) + sorted((SHARED / "corpora").rglob("*.txt"))[:300]
    lines = {line.strip() for path in files for line in path.read_text(encoding="utf-8", errors="replace").splitlines()}
    return sorted(line for line in lines if line)


def _agree(line: str) -> None:
    for rule, python in zip(RULES, PYTHON, strict=True):
        assert bool(rule.pattern.fullmatch(line)) == bool(python.fullmatch(line)), (rule.source, line)
        assert bool(rule.pattern.search(line)) == bool(python.search(line)), (rule.source, line)


@pytest.mark.parametrize("line", TRICKY)
def test_shipped_rules_match_as_under_python_re_on_tricky_lines(line: str) -> None:
    _agree(line)


def test_shipped_rules_match_as_under_python_re_on_real_lines() -> None:
    lines = _corpus_lines()
    # the seeds alone give 86 lines; ../shared/corpora (beside a checkout, as in CI) adds thousands
    assert len(lines) > (1000 if (SHARED / "corpora").is_dir() else 50)
    for line in lines:
        _agree(line)


FRAGMENTS = ["share", "follow us on ", "read more", "comments", "©", "copyright", " ", "é", "١", "\u00a0", "…", "»"]


#: any character Python's Unicode database has assigned. RE2 carries a newer
#: Unicode than Python 3.11 (14.0): to it a code point Python leaves unassigned
#: (Cn) can be a letter, e.g. U+31350 of CJK Extension H, so "follow us on"
#: followed by one is a match to RE2 and not to Python's re; on assigned
#: characters the two must agree
_ASSIGNED = st.characters(exclude_categories=("Cs", "Cn"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(_ASSIGNED, max_size=6)), max_size=8).map("".join))
def test_shipped_rules_match_as_under_python_re_on_generated_lines(line: str) -> None:
    _agree(line.strip())


def test_a_pattern_that_backtracks_forever_under_re_runs_in_linear_time() -> None:
    (rule,) = parse_boilerplate_rules("line\t(a+)+$\tmine\n", "mine.tsv")
    # Python's re would try 2**40 ways before failing on this line
    assert rule.pattern.fullmatch("a" * 40 + "!") is None
    assert rule.pattern.fullmatch("a" * 100_000)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(unclosed", "not a valid regular expression"),
        ("(?<=Share) this", "look-arounds and back-references"),
        (r"(\w+) \1", "look-arounds and back-references"),
        (r"[\W]+ more", r"\W inside [...]"),
        ("x*", "matches an empty line"),
    ],
)
def test_a_bad_pattern_names_its_file_and_line(pattern: str, message: str) -> None:
    text = "# my rules\nline\tsubscribe\tnewsletter\n" + f"line\t{pattern}\tmine\n"
    with pytest.raises(UserError, match=re.escape(message)) as error:
        parse_boilerplate_rules(text, "my_rules.tsv")
    assert str(error.value).startswith("my_rules.tsv:3: ")


def test_a_bad_rule_file_stops_the_run_before_any_output(tmp_path: Path) -> None:
    rules = tmp_path / "rules.tsv"
    rules.write_text("line\t(?!x)share\tmine\n", encoding="utf-8")
    config = Config(boilerplate=BoilerplateConfig(extra_rules=(str(rules),)))
    with pytest.raises(UserError, match=rf"{re.escape(str(rules))}:1: "):
        normalize_folder(SEEDS, tmp_path / "out", config=config)
    assert not (tmp_path / "out").exists()


def test_user_rules_keep_unicode_meaning_of_classes(tmp_path: Path) -> None:
    (rule,) = parse_boilerplate_rules(r"line	lire la suite\W*|\d+ réactions?	mine" + "\n", "mine.tsv")
    assert rule.pattern.fullmatch("Lire la suite »")
    assert rule.pattern.fullmatch("١٢ réactions")
    assert to_re2(r"[\w.]\s\Z") == r"[\pL\pN_.][" + to_re2(r"\s")[1:-1] + r"]\z"
