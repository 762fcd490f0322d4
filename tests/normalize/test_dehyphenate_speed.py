"""The fast hyphen search and word lookups must find exactly what the plain regex scans find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from seedclean.normalize.dehyphenate import _SPLIT, SolidWords, _splits, solid_words


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
