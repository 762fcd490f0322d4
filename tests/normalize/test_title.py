"""Headline helpers: the shortcuts give what their plain definitions give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_dev_corpora
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
    [
        "Talks resume in Geneva after long pause",
        "STRASSE closed by the flood today",
        "Ünïcode Straße news for all",
        # characters that case-fold to more than one (ß, İ, ﬁ) or to ASCII (K, ſ)
        "ßtrasse İstanbul ﬁnal \u212aelvin ſun Σίσυφος",
        "Talks resume in the city of \u212aelvin ﬁ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    _HEADLINE,
    st.lists(
        st.sampled_from(
            ["upper", "lower", "casefold", "head", "tail", "spaces", "other", "folded first", "folded last"]
        ),
        max_size=6,
    ),
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
        "folded first": words[0].casefold() + " " + " ".join(words[1:4]),
        "folded last": " ".join(words[-4:-1]) + " " + words[-1].upper(),
    }
    text = headline + "\n\n" + "\n\n".join(variants[name] for name in copies) + "\n\nThe body of the article.\n"
    assert title.remove_repeated_title(text, None) == _repeated_title_unfiltered(text)  # type: ignore[arg-type]


def test_case_folding_keeps_spaces_and_line_edges() -> None:
    """What remove_repeated_title's per-line shortcut rests on, for every
    code point: a character folds to one or more, a str.isspace character to
    itself, and any other to none with a space at either end or a line break."""
    import sys

    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        folded = char.casefold()
        assert folded
        if char.isspace():
            assert folded == char
        else:
            assert not folded[0].isspace() and not folded[-1].isspace() and "\n" not in folded


@needs_dev_corpora
def test_repeated_title_finds_what_every_line_compared_finds_on_real_text() -> None:
    from conftest import SEEDS, SHARED

    paths = sorted(SEEDS.glob("*.txt"))
    for corpus in ("news-bench-dev", "dehyphen-dev", "mojibake-dev"):
        paths += sorted((SHARED / "corpora" / corpus).rglob("*.txt"))
    found = 0
    for path in paths:
        text = path.read_bytes().decode("utf-8", "replace")
        edits = title.remove_repeated_title(text, None)  # type: ignore[arg-type]
        assert edits == _repeated_title_unfiltered(text)
        found += len(edits)
    assert found > 10
