"""Lines of a text with their offsets, and edits that delete whole lines."""

from __future__ import annotations

import operator
import re
from collections import deque
from typing import NamedTuple

from seedclean.edits import Edit
from seedclean.normalize import native

_LINE = re.compile(r"[^\n]+")
_WORDS = operator.itemgetter(4)  # Line.words, read by a C-level map
_WORD = re.compile(r"\w+")


class _LineFields(NamedTuple):
    index: int  # among the non-empty lines
    start: int
    end: int
    text: str
    #: words in the line, counted once: several rules ask for it on every line
    words: int


class Line(_LineFields):
    """A non-empty line of a text and where it stands.

    An immutable tuple rather than a frozen dataclass: thousands are made per
    document and a tuple is made four times faster.
    """

    __slots__ = ()

    def __new__(cls, index: int, start: int, end: int, text: str, words: int = -1) -> Line:
        return super().__new__(cls, index, start, end, text, _count_words(text) if words < 0 else words)


# Steps of one stage all split the same text (boilerplate, title suffix,
# repeated title, and find_title inside them), so the last split is kept.
_last_split: tuple[str, tuple[Line, ...]] = ("", ())


def split_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text`` (a new list; the lines are shared)."""
    global _last_split
    cached_text, cached = _last_split
    if cached_text is text or cached_text == text:
        return list(cached)
    if native.COMPILED:  # one pass in C over the text: lines and their words
        lines = native.scan_lines(text, Line)
        _last_split = (text, tuple(lines))
        _recent_totals.append((text, sum(map(_WORDS, lines))))
        return lines
    matches = list(_LINE.finditer(text))
    # A text split again is mostly the last one with a few lines changed (a
    # step's edits): word counts of unchanged lines are taken over. A new
    # document is counted in one pass over its bytes.
    known = {line.text: line.words for line in cached}
    words = [known.get(m.group(), -1) for m in matches]
    if words.count(-1) > 8:
        words = _line_word_counts(text)
    new = tuple.__new__
    lines = [
        new(Line, (i, m.start(), m.end(), m.group(), count if count >= 0 else _count_words(m.group())))
        for i, (m, count) in enumerate(zip(matches, words, strict=True))
    ]
    _last_split = (text, tuple(lines))
    # the raw text of a document that the first stages left alone is split as
    # it is, and its word count is asked for after later splits
    _recent_totals.append((text, sum(line.words for line in lines)))
    return lines


_recent_totals: deque[tuple[str, int]] = deque(maxlen=4)


# Counting words is on every line of every text, and ``len(_WORD.findall(text))``
# builds a string per word. The same count comes from bytes: in UTF-8, map word
# bytes to "a" and the rest to " ", after blanking the few distinct non-ASCII
# characters that are not word characters, and count where a run of "a" starts.
_ONE_WORD_CHAR = re.compile(r"\w")
_ASCII = bytes(range(128))
_WORD_BYTES = bytes(ord("a") if i >= 128 or _ONE_WORD_CHAR.match(chr(i)) else ord(" ") for i in range(256))
_WORD_BYTES_KEEP_NEWLINE = _WORD_BYTES[:10] + b"\n" + _WORD_BYTES[11:]
_is_word_char: dict[str, bool] = {}


def _word_bytes(text: str, table: bytes) -> bytes:
    """``text`` in UTF-8 with every word character made ``a`` and every other
    character a space (or itself, for the line break in ``table``)."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) != len(text):
        for char in set(data.translate(None, _ASCII).decode("utf-8", "surrogatepass")):
            is_word = _is_word_char.get(char)
            if is_word is None:
                is_word = _is_word_char[char] = _ONE_WORD_CHAR.match(char) is not None
            if not is_word:
                data = data.replace(char.encode("utf-8", "surrogatepass"), b" ")
    return data.translate(table)


def _count_words(text: str) -> int:
    """``len(_WORD.findall(text))``, without the list."""
    if native.COMPILED:
        return native.count_words(text)
    data = _word_bytes(text, _WORD_BYTES)
    return data.count(b" a") + (data[:1] == b"a")


def _line_word_counts(text: str) -> list[int]:
    """The word count of each non-empty line, from one pass over the text."""
    data = _word_bytes(text, _WORD_BYTES_KEEP_NEWLINE)
    return [line.count(b" a") + (line[:1] == b"a") for line in data.split(b"\n") if line]


def word_count(text: str) -> int:
    """The number of ``\\w+`` words in ``text``."""
    cached_text, cached = _last_split
    if cached_text is text:  # words never span a line break: the lines' counts add up
        return sum(line.words for line in cached)
    for recent, total in tuple(_recent_totals):  # a copy: another thread may append
        if recent is text:
            return total
    if 256 < len(text) <= len(cached_text):
        # a large piece of the text split last (an article's body) is counted
        # from its lines too; only lines cut by its ends are counted again
        start = cached_text.find(text)
        if start >= 0:
            end = start + len(text)
            total = 0
            for line in cached:
                if line.end <= start:
                    continue
                if line.start >= end:
                    break
                if start <= line.start and line.end <= end:
                    total += line.words
                else:
                    total += _count_words(cached_text[max(line.start, start) : min(line.end, end)])
            return total
    return _count_words(text)


def delete_lines(text: str, lines: list[Line], verdicts: dict[int, tuple[str, str]]) -> list[Edit]:
    """Edits deleting the lines whose index is in ``verdicts`` (reason, detail).

    A deleted line takes the line break(s) after it with it, so the text
    around it keeps its layout; a deleted block at the very end takes the
    break before it instead, so no trailing blank lines are left.
    """
    if not verdicts:
        return []
    # a line's index is its place in ``lines``: only the judged lines are
    # visited (a page dump has hundreds of lines and a few verdicts)
    last_kept = len(lines) - 1
    while last_kept >= 0 and last_kept in verdicts:
        last_kept -= 1
    edits = []
    for index in sorted(verdicts):
        if not 0 <= index < len(lines):
            continue
        line = lines[index]
        reason, detail = verdicts[index]
        if line.index > last_kept:
            # in the trailing block: from the end of the line before on, so
            # the text keeps its final line break
            start = lines[line.index - 1].end if line.index > 0 else line.start
            end = line.end
        else:
            start = 0 if line.index == 0 else line.start
            end = lines[line.index + 1].start
        edits.append(Edit(start, end, "", reason, detail or line.text[:80]))
    return edits
