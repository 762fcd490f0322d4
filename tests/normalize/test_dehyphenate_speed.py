"""The fast hyphen search must find exactly what the plain regex scan finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from seedclean.normalize.dehyphenate import _SPLIT, _splits


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
