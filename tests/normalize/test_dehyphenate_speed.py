"""The fast hyphen search, word lookups and kept decisions must find exactly
what the plain regex scans and a fresh decision find."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED, needs_dev_corpora
from seedclean.normalize import dehyphenate
from seedclean.normalize.dehyphenate import _SPLIT, SolidWords, _splits, decide, solid_words, split_spans
from seedclean.normalize.rules import load_rules


def _spans(matches: list) -> list[tuple]:
    return [(m.span(), m.groups()) for m in matches]


@settings(max_examples=300)
@given(st.text(alphabet="ab-\u2010\n Zé_1.@/", max_size=200))
def test_windowed_search_equals_the_full_scan(text: str) -> None:
    assert _spans(_splits(text)) == _spans(list(_SPLIT.finditer(text)))


@given(st.lists(st.sampled_from(["occu", "pation", "a" * 39, "b" * 41, "-", "\n", " ", "x-y", "é"]), max_size=40))
def test_windowed_search_on_long_words(parts: list[str]) -> None:
    text = "".join(parts)
    assert _spans(_splits(text)) == _spans(list(_SPLIT.finditer(text)))


def test_windowed_search_on_the_seeds() -> None:
    for path in SEEDS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert _spans(_splits(text)) == _spans(list(_SPLIT.finditer(text)))


_WORDS = ["Schwartzman", "schwartzman", "SCHWARTZMAN", "occupation", "İstanbul", "istanbul", "x²", "a_b", "ſtar"]


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(st.sampled_from([*_WORDS, " ", "-", "\u2010", "\n", ".", "1"]), st.text(max_size=4)), max_size=30
    ),
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(alphabet="aAsSİi²ſ", min_size=1, max_size=6)), max_size=6),
)
def test_solid_word_lookups_equal_the_full_list(parts: list[str], asked: list[str]) -> None:
    text = "".join(parts)
    full = solid_words(text)
    lookup = SolidWords(text)
    for word in [*asked, *sorted(full)[:20]]:
        assert (word in lookup) == (word in full), word


def test_solid_word_lookups_on_the_seeds() -> None:
    for path in SEEDS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        full = solid_words(text)
        lookup = SolidWords(text)
        for m in _splits(text):
            left, right = m.group(1), m.group(4)
            for word in (left + right, (left + right).lower(), left, right):
                assert (word in lookup) == (word in full), word


def _decide_from_scratch(left: str, right: str, rules, solid) -> tuple[str, str]:
    """decide() with its per-pair table emptied first: what it answers for a
    pair it has never seen."""
    dehyphenate._recent.clear()
    dehyphenate._tables.clear()
    return decide(left, right, rules, solid)


@needs_dev_corpora
def test_decisions_kept_per_pair_equal_fresh_ones_on_real_text() -> None:
    # the dev sets' hyphenated pairs, each decided twice: once after all the
    # others (the table warm, as in a long run) and once from scratch, with
    # the document's own solid words and with none (the residual count)
    rules = load_rules()
    asked = []
    for folder in ("dehyphen-dev/input", "news-bench-dev/trafilatura", "news-bench-dev/newspaper"):
        for path in sorted((SHARED / "corpora" / folder).rglob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            asked += [(text[s:h], text[a:e], text) for s, h, a, e in split_spans(text)]
    assert len(asked) > 500
    warm = [(decide(left, right, rules, SolidWords(text)), decide(left, right, rules)) for left, right, text in asked]
    fresh = [
        (
            _decide_from_scratch(left, right, rules, SolidWords(text)),
            _decide_from_scratch(left, right, rules, frozenset()),
        )
        for left, right, text in asked
    ]
    assert warm == fresh
    assert {verdict for (verdict, _), _ in warm} == {"join", "keep", "unsure"}


def test_a_pair_decided_under_other_rules_is_decided_again() -> None:
    rules = load_rules()
    assert decide("wire", "less", rules)[0] == "join"
    protecting = dataclasses.replace(rules, protected_compounds=rules.protected_compounds | {"wire-less"})
    assert decide("wire", "less", protecting) == ("keep", "protected compound")
    assert decide("wire", "less", rules)[0] == "join"
    # a Rules object of the same content shares the decisions
    assert dehyphenate._table_for(load_rules()) is dehyphenate._table_for(rules)
    assert dehyphenate._table_for(protecting) is not dehyphenate._table_for(rules)
