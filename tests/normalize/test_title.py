"""Headline helpers: the shortcuts give what their plain definitions give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.normalize import title
from seedclean.normalize.lines import split_lines

_TEXT = st.text(alphabet=st.sampled_from("ab1_ .,!\n\t\u00e9\u0301\u4e00\u2019") | st.characters(), max_size=40)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_the_last_word_is_the_one_before_the_trailing_non_word_characters(line: str) -> None:
    match = re.search(r"(\w+)\W*$", line)
    reversed_match = title._LAST_WORD_REVERSED.match(line[::-1])
    assert (match and match.group(1)) == (reversed_match and reversed_match.group(1)[::-1])


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_the_first_line_is_split_lines_first_when_another_follows(text: str) -> None:
    lines = split_lines(text)
    expected = (lines[0].start, lines[0].end) if len(lines) >= 2 else None
    assert title._first_line(text) == expected


def _repeated_title_unfiltered(text: str) -> list:
    """remove_repeated_title without its first-or-last-word shortcut."""
    found = title.find_title(text)
    if found is None:
        return []
    lines = split_lines(text)
    key = title._key(found)
    verdicts = {
        line.index: ("repeated_title", f"{line.text[:80]!r} repeats the headline")
        for line in lines[1:]
        if title._repeats(title._key(line.text), key)
    }
    return title.delete_lines(text, lines, verdicts)


_HEADLINE = st.sampled_from(
    ["Talks resume in Geneva after long pause", "STRASSE closed by the flood today", "Ünïcode Straße news for all"]
)


@settings(max_examples=300, deadline=None)
@given(
    _HEADLINE, st.lists(st.sampled_from(["upper", "lower", "casefold", "head", "tail", "spaces", "other"]), max_size=6)
)
def test_repeated_title_finds_what_every_line_compared_finds(headline: str, copies: list) -> None:
    words = headline.split()
    variants = {
        "upper": headline.upper(),
        "lower": headline.lower(),
        "casefold": headline.casefold(),
        "head": " ".join(words[:4]),
        "tail": " ".join(words[-4:]),
        "spaces": "  " + "   ".join(words) + " \t",
        "other": "A paragraph of the article that says something else.",
    }
    text = headline + "\n\n" + "\n\n".join(variants[name] for name in copies) + "\n\nThe body of the article.\n"
    assert title.remove_repeated_title(text, None) == _repeated_title_unfiltered(text)  # type: ignore[arg-type]
