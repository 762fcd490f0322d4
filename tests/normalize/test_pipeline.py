"""Invariants of the whole pipeline on generated text (hypothesis):
the raw text is rebuilt from the output and the log, and cleaning clean
text changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seedclean.document import edit_rows
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules
from seedclean.write.restore import restore_text

RULES = load_rules()

# Pieces that exercise every step: chrome lines, split words, compounds,
# mojibake, odd spaces and line ends, captions, headlines.
PIECES = [
    "Connect with us",
    "World",
    "Published",
    "on",
    "Continue Reading",
    "Source link",
    "Leave a Reply",
    "Check Also",
    "Talks resume amid push for deal | World News",
    "Smoke rises over the city on Sunday. (AP)",
    "The envoy met officials to nego-tiate a deal.",
    "It ended the occu-\npation of the town.",
    "A long-term, US-backed, two-year-long plan.",
    "The cafÃ© said â€œhelloâ€\x9d.",
    "“Quoted,” he said — and left…",
    "tab\there",
    "no\u00a0break  spaces",
    "soft\u00adhyphen",
    "\r\n",
    "\n",
    "\n\n",
    "\n\n\n",
    " ",
    "e-mail",
    "-",
]


text_strategy = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=25).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy)
def test_restore_rebuilds_the_input(text: str) -> None:
    result = normalize(text, RULES)
    assert restore_text(result.text, edit_rows("doc", result)) == text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy)
def test_normalizing_twice_changes_nothing(text: str) -> None:
    once = normalize(text, RULES)
    twice = normalize(once.text, RULES)
    assert twice.text == once.text
    assert [e for e in twice.edits if e.kind != "flag"] == []


@settings(max_examples=100, deadline=None)
@given(text_strategy)
def test_raw_spans_lie_in_the_raw_text(text: str) -> None:
    for edit in normalize(text, RULES).edits:
        assert 0 <= edit.raw_start <= edit.raw_end <= len(text)


def _replayed_raw_spans(text: str, edits: tuple, passes: tuple) -> list[tuple[int, int]]:
    """Each logged edit's raw span, found by replaying the log pass by pass
    while every character carries the raw span it came from: an unchanged
    character its own, a replacement's characters all that it replaced, an
    insertion's the empty span where it went in."""
    origins = [(i, i + 1) for i in range(len(text))]
    spans: list[tuple[int, int]] = []

    def point(pos: int) -> int:
        return origins[pos][0] if pos < len(origins) else len(text)

    for pass_no in dict.fromkeys(passes):
        step_edits = [edit for edit, p in zip(edits, passes, strict=True) if p == pass_no]
        for edit in step_edits:
            if edit.end > edit.start:
                spans.append((origins[edit.start][0], origins[edit.end - 1][1]))
            else:
                spans.append((point(edit.start), point(edit.start)))
        for edit in reversed(step_edits):  # from the end, so earlier offsets hold
            if edit.kind == "flag":
                continue
            if edit.end > edit.start:
                source = (origins[edit.start][0], origins[edit.end - 1][1])
            else:
                source = (point(edit.start), point(edit.start))
            origins[edit.start : edit.end] = [source] * len(edit.after)
    return spans


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy)
def test_raw_spans_cover_what_each_edit_came_from_and_no_more(text: str) -> None:
    # e.g. after "\r\n" -> "\n", a trailing space deleted before that "\n"
    # spans the space in the raw text, not the space and the "\r\n"
    result = normalize(text, RULES)
    logged = [(edit.raw_start, edit.raw_end) for edit in result.edits]
    assert logged == _replayed_raw_spans(text, result.edits, result.passes)


def test_a_span_that_ends_where_an_earlier_edit_begins_keeps_to_its_own_raw_text() -> None:
    raw = "Talks resumed on Monday.  \r\nLeave a Reply\r\nThe envoy met officials.\r\n"
    result = normalize(raw, RULES)
    later = [edit for edit, p in zip(result.edits, result.passes, strict=True) if p > 0 and edit.kind != "flag"]
    assert later, "the line ends are repaired first, so later steps edit the repaired text"
    for edit in later:
        assert raw[edit.raw_start : edit.raw_end].replace("\r\n", "\n") == edit.before, edit
