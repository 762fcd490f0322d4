"""Article metadata stated in the text: dateline, credits, publication date, lede.

Everything here reads what the article itself says; nothing is guessed from
the file name or the web. A field the text does not state is ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

import re2

# "WEST BANK: ...", "GAZA CITY (AP) — ...", "LONDON, June 3 (Reuters) - ..."
_DATELINE = re.compile(
    r"\A(?P<place>[A-Z][A-Z'.\-]*(?: [A-Z][A-Z'.\-]*){0,3})"
    r"(?:,\s*(?P<when>[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?(?:,\s*\d{4})?))?"
    r"(?:\s*\((?P<agency>[^()\n]{1,40})\))?"
    r"\s*(?::|—|–|--?)\s+(?=\S)"
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = (
    rf"(?:{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.replace('month', 'month2')}\s+(?P<year2>(?:19|20)\d\d)"
    r"|(?P<iso>(?:19|20)\d\d-\d\d-\d\d))"
)
# Only a date the page labels as the article's own: "Published on June 1, 2025",
# "Updated: 2025-06-01". Dates in the running text are events, not publication.
_PUBLISHED = re.compile(
    rf"(?im)^[ \t]*(?:published|posted|updated|last updated|date)[ \t]*(?:on|:)?[ \t]*"
    rf"(?:[A-Z][a-z]+day,?\s+)?{_DATE}"
)


def dateline(body: str) -> str | None:
    """The place of the dateline opening the body ("WEST BANK"), if any."""
    m = _DATELINE.match(body)
    if not m:
        return None
    place = m.group("place").strip(" .-")
    letters = [c for c in place if c.isalpha()]
    # a dateline place is written in capitals and is more than an initialism
    # glued to a sentence ("US President ..." has no separator, so never gets here)
    if len(letters) < 3:
        return None
    return place


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    try:
        if groups.get("iso"):
            return dt.date.fromisoformat(groups["iso"]).isoformat()
        if groups.get("month"):
            return dt.date(int(groups["year"]), _MONTHS[groups["month"].lower()], int(groups["day"])).isoformat()
        if groups.get("month2"):
            return dt.date(int(groups["year2"]), _MONTHS[groups["month2"].lower()], int(groups["day2"])).isoformat()
    except ValueError:  # "February 30": not a date
        return None
    return None


def published(raw_text: str) -> str | None:
    """ISO date the page states as the article's publication date, if any.

    Read from the raw text because "Published on ..." lines are chrome the
    normalizer removes.
    """
    # the same matches, in the same order, as _PUBLISHED.finditer(raw_text):
    # the pattern is tried only where a line opens with a label's first letter
    # (p, u, l, d fold to nothing but their own capitals), found by a search
    # for "\n" that runs at C speed, instead of at every character
    resume = 0  # finditer resumes after a match whose date was not a date
    for start in _label_lines(raw_text):
        if start < resume:
            continue
        m = _PUBLISHED.match(raw_text, start)
        if m:
            date = _iso(m)
            if date:
                return date
            resume = m.end()
    return None


_LABEL_LINE = re.compile(r"\n[ \t]*[PpUuLlDd]")
_LABEL_FIRST = re.compile(r"[ \t]*[PpUuLlDd]")


def _label_lines(text: str) -> Iterator[int]:
    """Offsets of the lines that may open with a publication label."""
    if _LABEL_FIRST.match(text):
        yield 0
    for m in _LABEL_LINE.finditer(text):
        yield m.start() + 1


# The words that introduce a credit, each as itself and capitalised, and
# each after a word boundary: "\b(?:[Bb]y|[Ff]rom|...)" spelled so that every
# alternative opens with a literal (the boundary is looked behind for after
# the word). Python's regex engine then skips to the few places where one of
# those characters stands instead of trying the pattern at every character
# (four times faster, the same matches).
_CREDIT_STEMS = ("by", "from", "photo:", "credit:", "source:")
_CREDIT_WORDS = "|".join(f"{word}(?<!\\w{word})" for stem in _CREDIT_STEMS for word in (stem.capitalize(), stem))


@lru_cache(maxsize=8)
def _credit_patterns(agencies: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The three credit patterns over all of ``agencies``, compiled once per
    process: a name that does not occur in a text cannot match there, so the
    patterns find in each text what patterns of only its present names would
    (in the same order: the subset keeps the longest-first order), and the
    scans cost the same (each pattern's literal prefix is searched first).
    Patterns per combination of present names were compiled again in each
    worker for every new combination (~0.6 ms each, 36 in 400 articles)."""
    names = "|".join(re.escape(a) for a in sorted(agencies, key=len, reverse=True))
    agency = rf"(?P<agency>{names})"
    return (
        # "(AP)", "(Manu Fernandez/AP)", "(Photo: Reuters)", "(AFP via Getty Images)"
        re.compile(rf"\((?:[^()\n]{{0,80}}(?:[/|:]\s*|\bvia\s+))?{agency}(?:\s+(?:Photo|Images?|File))?\)"),
        # a sign-off at the end of a paragraph: "... of the day. –Agencies"
        re.compile(rf"(?m)[-–—]\s*{agency}\s*$"),
        # "compiled by AFP", "Photo: Reuters", "Source: PTI", "© AP"
        re.compile(rf"(?:{_CREDIT_WORDS}|©)\s+(?:the\s+)?{agency}(?![\w-])"),
        # a dateline credit: "GAZA CITY (AP) —" is covered above; "LONDON (Reuters) -" too
    )


# Python's \s, spelled for RE2 (whose \s is ASCII only): every character
# str.isspace() accepts (tests/extract/test_article.py checks the whole range)
_SPACE = "[" + "".join(f"\\x{{{c:x}}}" for c in range(0x3001) if chr(c).isspace()) + "]"


@lru_cache(maxsize=8)
def _credit_finder(agencies: tuple[str, ...]) -> re2.Set | None:
    """One RE2 pass over a text that tells which agency names occur in it at
    all (one entry per name, in order), and whether the sign-off and the
    credit-word patterns can match (the last two entries: each pattern
    without its lookarounds, so a superset of its matches). None when the
    names cannot be compiled so; then everything is tried."""
    names = "|".join(re.escape(a) for a in agencies)
    words = "|".join(re.escape(word) for stem in _CREDIT_STEMS for word in (stem.capitalize(), stem))
    options = re2.Options()
    options.log_errors = False
    finder = re2.Set.SearchSet(options)
    try:
        for name in agencies:
            finder.Add(re.escape(name))
        finder.Add(f"[-–—]{_SPACE}*(?:{names})")
        finder.Add(f"(?:{words}|©){_SPACE}+(?:the{_SPACE}+)?(?:{names})")
        finder.Compile()
    except (ValueError, re2.error):
        return None
    return finder


def _can_match(text: str, agencies: tuple[str, ...]) -> tuple[bool, bool, bool]:
    """Which of the three credit patterns can match in ``text``: the first
    where one of ``agencies`` is named somewhere in it, each of the others
    where its superset matches too.

    A name that does not occur cannot match, and a pattern whose superset
    does not match cannot match. Most articles name no agency, and their
    credits cost one RE2 pass instead of three Python regex scans."""
    finder = _credit_finder(agencies)
    if finder is None:  # everything is tried
        return bool(agencies), True, True
    hits = finder.Match(text)  # None: nothing matched
    if not hits:
        return False, False, False
    n = len(agencies)
    return min(hits) < n, n in hits, n + 1 in hits


def credits(texts: list[str], agencies: tuple[str, ...]) -> list[str]:
    """Agency and photo credits named in ``texts`` (in order of appearance,
    each once). The raw text is passed too, since captions are removed."""
    found: dict[str, int] = {}
    for offset, text in enumerate(texts):
        can_match = _can_match(text, agencies)
        if not can_match[0]:  # no agency named: none of the patterns can match
            continue
        for pattern, can in zip(_credit_patterns(agencies), can_match, strict=True):
            if not can:
                continue
            for m in pattern.finditer(text):
                name = m.group("agency")
                # "AP Photo" credits AP: one name per agency
                stem = name.removesuffix(" Photo")
                found.setdefault(stem if stem in agencies else name, offset * 10_000_000 + m.start())
    return sorted(found, key=found.__getitem__)


def lede(body: str) -> str:
    """The first paragraph of the body."""
    return body.split("\n\n", 1)[0].strip() if body else ""
