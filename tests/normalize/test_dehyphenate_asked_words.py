"""dehyphenate asks the solid-word lookup only the words decide() can ask
(asked_words): its edits must be those made by deciding every pair against
all of the document's solid words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED, needs_dev_corpora
from seedclean.normalize.dehyphenate import decide, dehyphenate, solid_words, split_spans
from seedclean.normalize.rules import load_rules


def _verdicts_as_made(text: str) -> dict[int, tuple[str, str]]:
    """Per hyphen dehyphenate changed or flagged: the verdict and why."""
    reasons = {"layout_hyphen": "join", "unresolved_hyphen": "unsure"}
    return {edit.start: (reasons[edit.reason], edit.detail) for edit in dehyphenate(text, load_rules())}


def _verdicts_against_every_solid_word(text: str) -> dict[int, tuple[str, str]]:
    """dehyphenate's specification: each pair decided with the full list of
    the text's solid words (kept pairs leave no edit)."""
    solid = solid_words(text)
    out = {}
    for start, hyphen, after, end in split_spans(text):
        verdict, why = decide(text[start:hyphen], text[after:end], load_rules(), solid)
        if verdict != "keep":
            out[hyphen] = (verdict, f"{text[start:end]!r}: {why}")
    return out


def _texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    for folder in ("dehyphen-dev/input", "news-bench-dev/trafilatura", "news-bench-dev/html-text"):
        texts += [
            p.read_text(encoding="utf-8", errors="replace")
            for p in sorted((SHARED / "corpora" / folder).rglob("*.txt"))
        ]
    return texts


@needs_dev_corpora
def test_edits_equal_deciding_against_every_solid_word_on_real_text() -> None:
    texts = _texts()
    many = 0
    for text in texts:
        assert _verdicts_as_made(text) == _verdicts_against_every_solid_word(text)
        many += len(split_spans(text)) > 20
    assert many > 10  # documents with more pairs than the compiled lookup's old limit were among them


_PARTS = [
    "occu",
    "pation",
    "Occu",
    "occupation",
    "OCCUPATION",
    "long",
    "term",
    "longterm",
    "e",
    "mail",
    "re",
    "election",
    "reelection",
    "İstanbul",
    "ab",
    "cd",
    "abcd",
    "x",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from([*_PARTS, "-", "\u2010", "\n", " ", ". "]), st.text(max_size=3)), max_size=80)
)
def test_edits_equal_deciding_against_every_solid_word(parts: list[str]) -> None:
    text = "".join(parts)
    assert _verdicts_as_made(text) == _verdicts_against_every_solid_word(text)
