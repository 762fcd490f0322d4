"""Boilerplate's whole-text scans never miss a line a per-line verdict
would take: the lines they leave out are judged clean line by line too."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_dev_corpora
from seedclean.normalize.boilerplate import _chrome_verdict, _suspects
from seedclean.normalize.lines import split_lines
from seedclean.normalize.rules import load_rules

from .test_native import _real_texts

RULES = load_rules()


def _missed(text: str) -> list[str]:
    """Lines with a verdict that neither the scans nor the line rules name."""
    lines = split_lines(text)
    suspects = _suspects(text, lines, RULES)
    assert suspects is not None, "the shipped rules can be asked about a whole text"
    return [
        line.text
        for line in lines
        if line.index not in suspects
        and RULES.first_match("line", line.text.strip(), whole=True) is None
        and _chrome_verdict(line, RULES) is not None
    ]


@needs_dev_corpora
def test_no_chrome_line_of_real_text_is_missed() -> None:
    judged = 0
    for text in _real_texts():
        assert _missed(text) == []
        judged += sum(_chrome_verdict(line, RULES) is not None for line in split_lines(text))
    assert judged > 100, "the texts hold chrome of every kind"


# lines a verdict takes (short rules, captions, datelines, credits), with
# spaces, case changes and characters that fold to two around them
_CHROME = [
    "Privacy Policy",
    "We use cookies to improve your experience",
    # short-scope rules that match anywhere in a line of at most 12 words
    "Sign up for our daily newsletter",
    "This article was originally published on The Conversation.",
    "A man walks past the ruins in Gaza City, Sunday, June 1, 2025. (AP Photo/Abdel Kareem Hana)",
    "(Manu Fernandez/AP)",
    "Published 11:11 PM EST Nov 19, 2019",
    "LinkNaija October 06, 2018",
    "Tom Davies Associated Press",
    "Al Goldis, REUTERS",
    "Straße AFP",
    "The council met on Tuesday and agreed the budget for next year after a long debate.",
]
_AROUND = st.sampled_from(["", " ", "\t", "\u00a0", "  ", "\u3000"])
_LINE = st.tuples(_AROUND, st.sampled_from(_CHROME), _AROUND, st.booleans()).map(
    lambda t: t[0] + (t[1].upper() if t[3] else t[1]) + t[2]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_LINE, st.sampled_from(["", "ß", "x (", "2019"])), min_size=1, max_size=12))
def test_no_chrome_line_is_missed_whatever_surrounds_it(lines: list[str]) -> None:
    assert _missed("\n".join(lines)) == []


def test_the_line_scans_name_every_line_a_rule_of_their_scope_matches() -> None:
    for text in _real_texts()[:80]:
        lines = split_lines(text)
        for scope, whole in (("short", False), ("end", True), ("line", True)):
            hits = RULES.lines_matching(scope, lines)
            assert hits is not None
            for line, hit in zip(lines, hits, strict=True):
                if RULES.first_match(scope, line.text.strip(), whole=whole) is not None:
                    assert hit, (scope, line.text)


def _labels_from_the_list_of_remaining_lines(lines: list, removed: dict) -> dict:
    """_section_labels as first written: the remaining lines listed first."""
    from seedclean.normalize.boilerplate import LABEL_MAX_WORDS, _reads_as_text
    from seedclean.normalize.title import looks_like_headline

    labels = {}
    remaining = [line for line in lines if line.index not in removed]
    for position, line in enumerate(remaining):
        if line.words > LABEL_MAX_WORDS:
            following = remaining[position + 1] if position + 1 < len(remaining) else None
            if labels and looks_like_headline(line.text) and following is not None and _reads_as_text(following.text):
                return labels
            return {}
        if line.text.rstrip()[-1:] in '.!?"”’':
            return {}
        labels[line.index] = ("section_label", f"{line.text!r}: short label above the headline")
    return {}


_LABEL_TEXTS = st.lists(
    st.sampled_from(
        ["World", "Opinion", "US News", "Advertisement", "Council Approves The Budget After Long Debate",
         "The council met on Tuesday and agreed the budget for next year after a long debate.", "12 4 7 — 23",
         "Done.", "Rockledge 14 11 6 15 — 44"]
    ),
    min_size=1,
    max_size=8,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_LABEL_TEXTS, st.sets(st.integers(min_value=0, max_value=7)))
def test_section_labels_read_the_remaining_lines_as_the_list_did(texts: list[str], removed: set[int]) -> None:
    from seedclean.normalize.boilerplate import _section_labels

    lines = split_lines("\n".join(texts))
    verdicts = {index: ("r", "") for index in removed}
    assert _section_labels(lines, verdicts) == _labels_from_the_list_of_remaining_lines(lines, verdicts)


@needs_dev_corpora
def test_verdicts_kept_across_documents_change_no_answer(monkeypatch) -> None:
    """The same answers with the verdicts of earlier documents kept (twice
    over, so the second pass meets every chrome line judged) as with none."""
    from seedclean.normalize import boilerplate

    texts = _real_texts()
    monkeypatch.setattr(boilerplate, "CHROME_SEEN_MAX", -1)  # dropped before each document
    fresh = [boilerplate.remove_boilerplate(text, RULES) for text in texts]
    monkeypatch.setattr(boilerplate, "CHROME_SEEN_MAX", 1 << 20)
    boilerplate._chrome_seen = (None, {})
    for _ in range(2):
        assert [boilerplate.remove_boilerplate(text, RULES) for text in texts] == fresh
    assert len(boilerplate._chrome_seen[1]) > 100
    assert sum(map(len, fresh)) > 100
