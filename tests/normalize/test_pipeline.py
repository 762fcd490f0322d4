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
