"""Headline recognition, site suffixes on the headline, repeated headlines."""

from __future__ import annotations

import re

from seedclean.edits import Edit
from seedclean.normalize import native
from seedclean.normalize.lines import delete_lines, split_lines, word_count
from seedclean.normalize.rules import Rules
from seedclean.normalize.wordlists import word_set

# Headlines on dev run from 3 to 20 words; a first line outside that range
# is a label ("Photos", "Pittsburgh") or the first paragraph.
TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 24
TITLE_MAX_CHARS = 250
# Site names after a separator are short: "World News", "The New York Times".
SUFFIX_MAX_WORDS = 5

# Separators between a headline and a site or section name: spaced only, so
# "Israel-Hamas" or "60-day" are never split (newspaper4k #632).
_SUFFIX = re.compile(r"\s+(?:\||::|»|·|–|—|-)\s+(?P<suffix>[^|»·–—]+?)\s*$")
_SENTENCE_END = re.compile(r"[.,;:。，；：]$")
_TWO_SENTENCES = re.compile(r"\w[.!?]\s+[A-ZÀ-Ý]")
# the last word, matched at the start of the reversed line: searched forward,
# r"(\w+)\W*$" is tried from every word character of the line
_LAST_WORD_REVERSED = re.compile(r"\W*(\w+)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_NOT_LINE_BREAK = re.compile(r"[^\n]")


def _ends_in_function_word(line: str) -> bool:
    """A paragraph cut by a line break ("... in early trading Tuesday after"),
    not a headline: headlines end on a content word."""
    match = _LAST_WORD_REVERSED.match(line[::-1])
    if match is None:
        return False
    word = match.group(1)[::-1]
    return word.islower() and word in word_set("dangling_words.txt")


# the line model, the boilerplate step, title_suffix, repeated_title and the
# title split ask about the same first line again and again (the texts
# between them differ further down)
_last_line: tuple[str, bool] = ("", False)


def looks_like_headline(line: str) -> bool:
    """A short line, not ending like a sentence, not starting in lower case."""
    global _last_line
    known = _last_line  # one read: another thread may replace it
    if known[0] == line:
        return known[1]
    answer = _looks_like_headline(line)
    _last_line = (line, answer)
    return answer


def _looks_like_headline(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > TITLE_MAX_CHARS:
        return False
    words = word_count(stripped)
    if words < 1 or words > TITLE_MAX_WORDS:
        return False
    # CJK headlines have few words (spaces): counted only when the words are few
    if words < TITLE_MIN_WORDS and len(_CJK.findall(stripped)) < len(stripped) / 3:
        return False
    if _SENTENCE_END.search(stripped) and not stripped.endswith("..."):
        return False
    if _ends_in_function_word(stripped):
        return False
    if _TWO_SENTENCES.search(stripped) and stripped.endswith(("!", "?")):
        return False  # "Never heard them? Watch a clip!": a lede, not a headline
    first = stripped[0]
    return not first.islower()


def _first_line(text: str) -> tuple[int, int] | None:
    """Start and end of the first non-empty line (``split_lines(text)[0]``),
    if a non-empty line follows it; found without splitting the whole text."""
    start = len(text) - len(text.lstrip("\n"))  # no copy unless the text starts with a line break
    end = text.find("\n", start)
    # `len(text.rstrip("\n")) <= end` (only line breaks after the line), without copying the text
    if start == len(text) or end < 0 or _NOT_LINE_BREAK.search(text, end) is None:
        return None
    return start, end


def find_title(text: str) -> str | None:
    """The headline: the first line, if it looks like one and text follows."""
    first = _first_line(text)
    return None if first is None else _title_at(text, first)


def _title_at(text: str, first: tuple[int, int]) -> str | None:
    line = text[first[0] : first[1]]
    return line.strip() if looks_like_headline(line) else None


def _site_suffix(title: str) -> re.Match[str] | None:
    match = _SUFFIX.search(title)
    if match is None:
        return None
    suffix = match.group("suffix")
    head = title[: match.start()]
    if word_count(suffix) > SUFFIX_MAX_WORDS or word_count(head) < 3:
        return None
    # after a dash the suffix must look like a name ("The New York Times"),
    # not like the rest of a sentence ("- and why it matters")
    separator = match.group().strip().split()[0]
    if separator in "-–—" and not all(w[:1].isupper() or not w[:1].isalpha() for w in suffix.split()):
        return None
    return match


def strip_suffixes(title: str) -> tuple[str, list[str]]:
    """The headline without its chain of site and section names
    ("Headline | UK News | Sky News"), and the names removed."""
    removed = []
    match = _site_suffix(title)
    while match is not None:
        removed.insert(0, match.group("suffix"))
        title = title[: match.start()]
        match = _site_suffix(title)
    return title, removed


def strip_title_suffix(text: str, rules: Rules) -> list[Edit]:
    """Remove " | World News"-style site names from the end of the headline."""
    first = _first_line(text)
    if first is None or _title_at(text, first) is None:
        return []
    head, removed = strip_suffixes(text[first[0] : first[1]])
    if not removed:
        return []
    start = first[0] + len(head)
    names = " | ".join(repr(name) for name in removed)
    return [Edit(start, first[1], "", "title_suffix", f"site name {names} after the headline")]


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


#: a shorter copy of the headline must have this many words to count
REPEAT_MIN_WORDS = 4


def _repeats(line: str, title: str) -> bool:
    """The line is the headline, or the headline without the breadcrumb or
    section before it ("Home Latest News <headline>")."""
    if line == title:
        return True
    # the word count last: most lines that start or end like the headline are no part of it
    return (title.endswith(" " + line) or title.startswith(line + " ")) and word_count(line) >= REPEAT_MIN_WORDS


def remove_repeated_title(text: str, rules: Rules) -> list[Edit]:
    """Delete later copies of the headline (sites often print it twice)."""
    title = find_title(text)
    if title is None:
        return []
    lines = split_lines(text)
    key = _key(title)
    # A copy's key is the headline's, or its start or end: it starts with the
    # headline's first word or ends with its last, and only lines starting
    # or ending so need their key made. casefold maps each character on its
    # own, to one character or more, a space (any str.isspace character) to
    # itself and any other character to none with a space at either end
    # (tests/normalize/test_title.py checks every code point), so a folded
    # line, stripped, starts with ``first`` exactly when its first
    # len(first) characters, stripped and folded, do (and so at the end):
    # the whole text need not be folded.
    # (native.repeat_candidates: the lines starting or ending so, in one call)
    words = key.split(" ")
    verdicts = {
        line.index: ("repeated_title", f"{line.text[:80]!r} repeats the headline")
        for line in (lines[position] for position in native.repeat_candidates(lines, words[0], words[-1]))
        if _repeats(_key(line.text), key)
    }
    return delete_lines(text, lines, verdicts)
