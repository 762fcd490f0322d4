"""Unicode repair steps: line ends, mojibake, invisible characters, odd
spaces, NFC and whitespace.

Each step is a pure function ``(text, rules) -> list[Edit]``; the pipeline
applies the edits. Typographic characters (curly quotes, dashes, ellipses)
are article content and are never touched: only ftfy's *encoding* repair is
used, never ``ftfy.fix_text``'s restyling defaults.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from seedclean.edits import Edit, minimal_edit
from seedclean.extract import kernels
from seedclean.lazy import lazy_import
from seedclean.normalize import native
from seedclean.normalize.rules import Rules

ftfy = lazy_import("ftfy")  # loaded on first use: `seedclean --help` stays fast

_LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029\u0085]")

# Most texts need none of these steps: one pass over a text tells each step
# whether it has anything to look at (the stage's steps mostly see the same
# text, so the last answer is kept).
_last_scan: tuple[str, int] = ("", 0)


def scan(text: str) -> int:
    """``native.unicode_scan(text)``, once per text (decoding asks it first)."""
    global _last_scan
    if _last_scan[0] is not text:
        _last_scan = (text, native.unicode_scan(text))
    return _last_scan[1]


def fix_line_endings(text: str, rules: Rules) -> list[Edit]:
    """CRLF, lone CR and Unicode line/paragraph separators become ``\\n``."""
    if not scan(text) & native.SCAN_LINE_BREAK:
        return []
    return [Edit(m.start(), m.end(), "\n", "line_ending", repr(m.group())) for m in _LINE_BREAK.finditer(text)]


# UTF-8 mis-decoded as cp1252 or latin-1 always leaves a lead-byte letter
# (Â..ô) followed by a continuation-byte character; text without that pair
# cannot hold such mojibake, so ftfy runs only on the lines that have one.
_CONTINUATION = (
    "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152"
    "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
)
_MOJIBAKE_HINT = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]")
_LINE = re.compile(r"[^\n]+")


def fix_mojibake(text: str, rules: Rules) -> list[Edit]:
    """Undo UTF-8 read in the wrong encoding, line by line, with ftfy.

    Line by line because real pages mix repaired and broken paragraphs; the
    ftfy plan (``encode sloppy-windows-1252, decode utf-8``) goes in the log.
    """
    if not scan(text) & native.SCAN_MOJIBAKE:
        return []
    edits: list[Edit] = []
    for start, end in native.mojibake_lines(text):  # the lines holding a _MOJIBAKE_HINT pair
        line = text[start:end]
        fixed, plan = _repaired(line) if len(line) <= _CACHED_LINE else _repair(line)
        edit = minimal_edit(line, fixed, start, "mojibake", plan)
        if edit is not None:
            edits.append(edit)
    return edits


#: longer lines are repaired afresh: the cache's memory stays small (at most
#: 4096 entries of this size) whatever one file holds
_CACHED_LINE = 2000


def _repair(line: str) -> tuple[str, str]:
    """ftfy's repair of a line and its plan."""
    fixed = _ftfy_fix(line)
    return fixed.text, ", ".join(f"{op} {arg}" for op, arg in fixed.explanation or [])


def is_bad(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``: whether ftfy's badness regex matches.

    ftfy asks it of the broken line and again of every repair, to know when
    to stop; run at every position of a line, the regex was three quarters
    of this step. Here it runs only around the non-ASCII characters
    (``kernels.badness_runs`` says why that gives the same answer;
    tests/normalize/test_unicode_badness.py compares the two)."""
    if text.isascii():
        return False
    search, reach = ftfy.badness.BADNESS_RE.search, kernels.BADNESS_REACH
    # pos/endpos, not a slice: "^" still means the start of the text
    return any(search(text, max(start - reach, 0), end + reach) for start, end in kernels.badness_runs(text))


def _ftfy_fix(line: str) -> Any:
    """``ftfy.fix_encoding_and_explain(line)``, with :func:`is_bad` in place
    of ftfy's own for the call (ftfy 6 looks the name up in its package at
    each step; an ftfy that does not runs as it is).

    ftfy's own is known by its module, not by identity with
    ``ftfy.badness.is_bad``: an ``import ftfy.badness`` made while ftfy is
    still lazy (lazy.py) runs that module a second time, and the package
    keeps the first copy's function. Another thread's call in progress
    shows our function here: then this call runs ftfy as it is."""
    own = getattr(ftfy, "is_bad", None)
    if getattr(own, "__module__", None) != "ftfy.badness":
        return ftfy.fix_encoding_and_explain(line)
    ftfy.is_bad = is_bad
    try:
        return ftfy.fix_encoding_and_explain(line)
    finally:
        ftfy.is_bad = own


#: kept per line: ftfy is a pure function of the line, the slowest part of
#: this step, and the same broken lines (a site's chrome, a feed's template)
#: come back across documents and in a stage's later rounds
_repaired = lru_cache(maxsize=4096)(_repair)


# Characters that are invisible in print but break tokens and matching.
_INVISIBLE = {
    "\u00ad": "soft_hyphen",
    "\u200b": "zero_width_space",
    "\u2060": "word_joiner",
    "\ufeff": "byte_order_mark",
    "\u180e": "mongolian_vowel_separator",
}
# ZWJ/ZWNJ (U+200C/D) are left alone: they shape Persian, Indic scripts and emoji.
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b\u2060\ufeff\u180e\t]")


def remove_invisible(text: str, rules: Rules) -> list[Edit]:
    """Drop soft hyphens, zero-width characters and control characters;
    a tab becomes a space and a vertical tab or form feed a line break."""
    if not scan(text) & native.SCAN_CONTROL:
        return []
    edits = []
    for m in _CONTROL.finditer(text):
        char = m.group()
        if char == "\t":
            edits.append(Edit(m.start(), m.end(), " ", "control_character", "tab"))
        elif char in "\u000b\u000c":
            edits.append(Edit(m.start(), m.end(), "\n", "control_character", f"U+{ord(char):04X}"))
        else:
            reason = "invisible_character" if char in _INVISIBLE else "control_character"
            edits.append(Edit(m.start(), m.end(), "", reason, _INVISIBLE.get(char, f"U+{ord(char):04X}")))
    return edits


# No-break, en/em, thin, hair, narrow no-break and medium mathematical spaces.
# The ideographic space U+3000 is left: it is regular spacing in CJK text.
# the scans of these three are native.odd_spaces, space_runs and edge_spaces
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f]")
_SPACE_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")


def normalize_spaces(text: str, rules: Rules) -> list[Edit]:
    """Odd Unicode spaces become a plain space; runs of spaces inside a line
    become one."""
    found = scan(text)
    if found & native.SCAN_ODD_SPACE:
        # runs are collapsed in the next round, on plain spaces
        return [Edit(at, at + 1, " ", "odd_space", f"U+{ord(text[at]):04X}") for at in native.odd_spaces(text)]
    if not found & native.SCAN_SPACE_PAIR:
        return []
    # native.space_runs: _SPACE_RUN's matches, found in one loop over the runs of spaces
    return [Edit(start, end, " ", "space_run", f"{end - start} spaces") for start, end in native.space_runs(text)]


def normalize_nfc(text: str, rules: Rules) -> list[Edit]:
    """Compose characters (NFC), line by line so the edits stay small."""
    # below U+0300 no character composes or reorders: such a text is NFC
    if not scan(text) & native.SCAN_COMBINING or unicodedata.is_normalized("NFC", text):
        return []
    edits = []
    for line in _LINE.finditer(text):
        composed = unicodedata.normalize("NFC", line.group())
        edit = minimal_edit(line.group(), composed, line.start(), "unicode_nfc")
        if edit is not None:
            edits.append(edit)
    return edits


# A run is tried only from its first space ((?<![ ]), possessive ++): tried
# from every space of a long run that ends in a letter, the search would be
# quadratic in the run's length (a 5 MB run of spaces would never end).
_TRAILING = re.compile(r"(?<![ ])[ ]++(?=\n|\Z)|(?<=\n)[ ]+|\A[ ]+")
_BLANK_RUN = re.compile(r"\n{3,}")
_LEADING_NEWLINES = re.compile(r"\A\n+")


def trim_whitespace(text: str, rules: Rules) -> list[Edit]:
    """Spaces at line starts and ends, blank lines at the top and bottom, and
    runs of more than one blank line go."""
    if text.isspace():  # `text and not text.strip()`, without copying the text
        return [Edit(0, len(text), "", "blank_lines", "only whitespace")]
    # the regex tries three alternatives at every position; plain substring
    # tests tell first whether any space stands at a line edge at all
    found = scan(text)
    if found & native.SCAN_EDGE_SPACE:
        # native.edge_spaces: _TRAILING's matches, found in one loop over the runs of spaces
        new = tuple.__new__
        edits = [new(Edit, (start, end, "", "edge_space", "", False)) for start, end in native.edge_spaces(text)]
        if edits:
            return edits  # blank-line runs are seen clearly only once lines are trimmed
    if not found & native.SCAN_BLANK:
        return []
    edits = [Edit(m.start(), m.end(), "", "blank_lines") for m in _LEADING_NEWLINES.finditer(text)]
    # one final newline is how a text file ends; more are blank lines
    # counted, not searched: r"\n{2,}\Z" is tried from every newline of a run
    # that is not at the end, which is quadratic in the run's length
    final = len(text) - len(text.rstrip("\n"))
    if final >= 2:
        edits.append(Edit(len(text) - final, len(text), "\n", "blank_lines"))
    edits += [
        Edit(m.start(), m.end(), "\n\n", "blank_lines", f"{len(m.group()) - 1} blank lines")
        for m in _BLANK_RUN.finditer(text)
        if m.start() != 0 and m.end() != len(text)
    ]
    return edits
