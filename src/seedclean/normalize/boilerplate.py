"""Boilerplate removal: site chrome lines, captions, end-of-article tails and
section labels above the headline.

Every rule deletes whole lines, and each deletion is logged with the rule
that made it. Rules err on the side of keeping text: a wrong deletion of
article text is worse than a missed piece of chrome.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from functools import lru_cache

from seedclean.edits import Edit
from seedclean.normalize import native
from seedclean.normalize.lines import Line, delete_lines, split_lines, word_count
from seedclean.normalize.rules import Rules
from seedclean.normalize.title import looks_like_headline, strip_suffixes
from seedclean.normalize.wordlists import word_set

# a Line's fields, read by C-level maps over all lines of a text
_TEXT = operator.itemgetter(3)
_WORDS = operator.itemgetter(4)

# Lines at most this long (in words) can be `short`-scope chrome or a caption.
SHORT_LINE_WORDS = 12
CAPTION_MAX_WORDS = 60
# Above the headline, lines of at most this many words are section labels.
LABEL_MAX_WORDS = 2


@lru_cache(maxsize=8)
def _caption_pattern(agencies: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(a) for a in sorted(agencies, key=len, reverse=True))
    # "... Gaza City, Sunday, June 1, 2025. (AP)"; "(Manu Fernandez/AP)";
    # "(Photo: Reuters)"; "(AFP via Getty Images)"
    return re.compile(
        rf"\((?:(?:photo|image|picture|file|credit)s?:?\s*)?(?:[^()]{{0,80}}[/|]\s*|[^()]{{0,60}}\bvia\s+)?"
        rf"(?:{names})(?:\s+(?:photo|images?|file))?(?:\s*/\s*[^()]{{0,40}})?\)[\s.]*$"
    )


_TOKEN = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_HAS_DATE = re.compile(r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_STAMP_LABELS = frozenset({"updated", "published", "posted", "original", "modified"})
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|h)?")
# A dateline is a date plus at most this many other words (a name, an agency).
DATELINE_MAX_WORDS = 16
DATELINE_OTHER_WORDS = 3
CREDIT_MAX_WORDS = 8


def _dateline(text: str, words: int = -1) -> bool:
    """ "Published 11:11 PM EST Nov 19, 2019", "LinkNaija October 06, 2018":
    a calendar date with hardly anything else on the line. A bare time or
    year is not enough (live-blog stamps and tables are article text), nor
    is the attribution line of an embedded post ("— Name (@handle) date")."""
    # every date holds a digit; one character class is quicker to look for
    if words > DATELINE_MAX_WORDS and "_" not in text:
        return False  # without "_", the tokens below are the line's words: too many
    if text.startswith(("—", "–", "-", "(")) or not _DIGIT.search(text) or not _HAS_DATE.search(text):
        return False
    tokens = _TOKEN.findall(text)
    if len(tokens) > DATELINE_MAX_WORDS:
        return False
    date_words = word_set("date_words.txt")
    # one date: two are a range ("29 November 2018 | 20 January 2019"), content
    months = sum(t.lower() in _MONTHS for t in tokens)
    stamped = any(t.lower() in _STAMP_LABELS for t in tokens)  # "Updated ... / Original ..."
    if not (months == 1 or (months == 2 and stamped)) or not any(t.isdigit() for t in tokens):
        return False
    others = [t for t in tokens if not _ORDINAL.fullmatch(t) and t.lower() not in date_words]
    return len(others) <= DATELINE_OTHER_WORDS


@lru_cache(maxsize=8)
def _folded(agencies: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(agency.casefold() for agency in agencies)


def _agency_credit(text: str, agencies: tuple[str, ...]) -> bool:
    """ "Tom Davies Associated Press", "Al Goldis, Associated Press": a
    photographer's or writer's name, then an agency. The name must be
    capitalised words, and a one-word agency must follow a comma, so
    "Michael Bloomberg" or "The Case File" stay."""
    folded = text.casefold()
    # every credit ends in an agency's name: most lines are out at once
    if not folded.endswith(_folded(agencies)):
        return False
    if len(text.split()) > CREDIT_MAX_WORDS or text.endswith((".", "!", "?")):
        return False
    if any(c.isdigit() for c in text) or ":" in text:
        return False
    for agency, name in zip(agencies, _folded(agencies), strict=True):
        if folded == name:
            return True
        # two-letter agencies ("AP", "PA") also end place names ("Allentown, PA")
        if len(agency) <= 2 or not folded.endswith(name):
            continue
        before = text[: len(text) - len(agency)]
        comma = before.rstrip().endswith(",")
        if not (comma or " " in agency) or before[-1:] not in " ,":
            continue
        if all(word[:1].isupper() for word in before.replace(",", " ").split()):
            return True
    return False


def _may_end_caption(text: str) -> bool:
    r"""Can ``text`` end as a caption does (``\)[\s.]*$``)? Past its last
    run of spaces and dots must come a ")"; a space left after stripping the
    dots means the run goes on (the regular expression decides then)."""
    head = text.rstrip().rstrip(".")
    return head.endswith(")") or head[-1:].isspace()


#: the checks of :func:`_chrome_verdict`, as bits: which a line may pass
MAY_LINE, MAY_SHORT, MAY_CAPTION, MAY_DATELINE, MAY_CREDIT = 1, 2, 4, 8, 16
MAY_ALL = 31


def _chrome_verdict(line: Line, rules: Rules, may: int = MAY_ALL) -> tuple[str, str] | None:
    """Why ``line`` is chrome, or None. ``may``: the checks to make (the
    others are known to find nothing, see :func:`_suspect_checks`)."""
    stripped = line.text.strip()
    # MAY_LINE alone: a line scan's prefilter hit the line (MAY_ALL: not asked)
    rule = rules.first_match("line", stripped, whole=True, prefiltered=may != MAY_ALL) if may & MAY_LINE else None
    if rule is None and line.words <= SHORT_LINE_WORDS and may & MAY_SHORT:
        rule = rules.first_match("short", stripped, whole=False)
    if rule is not None:
        return rule.reason, f"{stripped[:80]!r} matches {rule.source}"
    # the caption pattern starts with "(": a line without one is no caption
    if (
        may & MAY_CAPTION
        and line.words <= CAPTION_MAX_WORDS
        and "(" in stripped
        and _may_end_caption(stripped)
        and _caption_pattern(rules.agencies).search(stripped)
    ):
        return "caption", f"photo caption ending in an agency credit: {stripped[-40:]!r}"
    if may & MAY_DATELINE and _dateline(stripped, line.words):
        return "dateline", f"{stripped[:80]!r}: a date or time stamp with no sentence around it"
    if may & MAY_CREDIT and _agency_credit(stripped, rules.agencies):
        return "credit", f"{stripped[:80]!r}: a name and an agency credit"
    return None


#: a tail holding this many paragraphs of prose is article text, not chrome
TAIL_MAX_PROSE = 2
PROSE_MIN_WORDS = 25


def _is_prose(line: Line) -> bool:
    return line.words >= PROSE_MIN_WORDS and line.text.rstrip()[-1:] in '.!?"”’)'


def _end_marker(lines: list[Line], rules: Rules) -> int | None:
    """Index of the first end-of-article marker whose tail is short enough.

    Short means under ``max_tail_share`` of the words and not holding
    several paragraphs of prose: chrome after a marker is links, teasers and
    forms, while prose after it means the text reads on (two articles in one
    file, a marker word used as a heading). Both guards matter because the
    stage runs to a fixpoint: a marker refused in one round must not cut in
    the next once other rules have removed lines around it.
    """
    if not rules.rules_for("end"):
        return None
    before = list(itertools.accumulate(map(_WORDS, lines)))  # words up to each line's end
    total = before[-1] or 1
    max_share = rules.config.boilerplate.max_tail_share
    # a marker with a longer tail is passed over: the lines a marker may
    # stand on are those from the first with a short enough tail on (the
    # tail's share only shrinks down the text: found by bisection)
    at = 1 + bisect.bisect_left(
        range(1, len(lines)), -max_share, key=lambda index: -((total - before[index - 1]) / total)
    )
    tail = lines[at:]
    # of those, the ones a rule may match, from one search of them all
    hits = rules.lines_matching("end", tail)
    for line in tail if hits is None else itertools.compress(tail, hits):
        if rules.first_match("end", line.text.strip(), whole=True) is not None:
            prose = sum(1 for later in lines[line.index + 1 :] if _is_prose(later))
            return line.index if prose < TAIL_MAX_PROSE else None
    return None


def _reads_as_text(text: str) -> bool:
    """Mostly words, not a table row of scores ("Rockledge 14 11 6 15 — 44"):
    what follows a headline, so labels above a table's caption stay."""
    tokens = _TOKEN.findall(text)
    return bool(tokens) and sum(not t.isdigit() for t in tokens) / len(tokens) >= 0.5


def _section_labels(lines: list[Line], removed: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """Short labels ("World", "Opinion") stacked above a headline.

    Only lines before the headline count, and only when a headline does
    follow them: a short first line followed by body text is the title.
    """
    labels: dict[int, tuple[str, str]] = {}
    # the lines not removed, walked from the top: only the first few are read
    remaining = (line for line in lines if line.index not in removed)
    for line in remaining:
        if line.words > LABEL_MAX_WORDS:
            following = next(remaining, None)
            if labels and looks_like_headline(line.text) and following is not None and _reads_as_text(following.text):
                return labels
            return {}
        if line.text.rstrip()[-1:] in '.!?"”’':
            return {}
        labels[line.index] = ("section_label", f"{line.text!r}: short label above the headline")
    return {}


#: a text of at most this many words may be chrome from end to end
ALL_CHROME_MAX_WORDS = 0
# A comment thread: "<name> says:" headers (WordPress and most blog engines).
_COMMENT_HEADER = re.compile(r"\S.{0,40}\s(?:says|said|wrote|writes)\s?:")
COMMENT_HEADERS = 2
# A line this long printed twice is a caption, a bio or a teaser, not prose
# the author repeated (lists repeat shorter lines: "Easy setup for all ...").
REPEAT_MIN_WORDS = 15


# what the end of a header's line holds in the text: most texts have no two
_HEADER_END = re.compile(r"(?:says|said|wrote|writes)\s?:[^\S\n]*$", re.MULTILINE)
# The same, found from its colon: a literal first lets re skip ahead to each
# ":" (the alternation first made it try every position: 0.08 ms an article)
_COLON_END = re.compile(r":[^\S\n]*$", re.MULTILINE)
_SAYS_BEFORE = re.compile(r"(?:says|said|wrote|writes)\s?\Z")
_SAYS_REACH = len("writes") + 1  # the longest word and its optional space


def _header_ends(text: str) -> int:
    """How many matches of ``_HEADER_END`` ``text`` holds, counted up to 2.
    Each match ends the line of its own colon (one followed by nothing but
    spaces up to the line's end), so matches and such colons with a word
    before them pair off one to one."""
    found = 0
    for colon in _COLON_END.finditer(text):
        at = colon.start()
        if _SAYS_BEFORE.search(text, max(0, at - _SAYS_REACH), at) is not None:
            found += 1
            if found == 2:
                break
    return found


def _comment_thread(lines: list[Line], text: str, header_ends: int = -1) -> int | None:
    """Index of the first comment header, when ``text`` (split into
    ``lines``) has a thread of them. ``header_ends``: ``_header_ends(text)``
    if known."""
    if (_header_ends(text) if header_ends < 0 else header_ends) < COMMENT_HEADERS:
        return None
    headers = [
        line.index
        for line in lines
        if line.text.rstrip().endswith(":") and _COMMENT_HEADER.fullmatch(line.text.strip())  # a header ends in ":"
    ]
    return headers[0] if len(headers) >= COMMENT_HEADERS and headers[0] > 0 else None


def _repeated_lines(lines: list[Line]) -> dict[int, tuple[str, str]]:
    long = list(itertools.compress(lines, map(REPEAT_MIN_WORDS.__le__, map(_WORDS, lines))))
    # most texts: no long line twice (told from the keys' hashes, no key built)
    keys = native.repeated_keys(list(map(_TEXT, long))) if len(long) >= 2 else None
    if keys is None:
        return {}
    seen: set[str] = set()
    verdicts = {}
    for line, key in zip(long, keys, strict=True):
        if key in seen:
            verdicts[line.index] = ("repeated_line", f"{line.text[:60]!r} printed again (caption, bio or teaser)")
        seen.add(key)
    return verdicts


def _distinct_words(lines: list[Line]) -> int:
    """Words of the distinct lines, the first without its site suffix: what
    is left of the text whatever the title steps later remove, so the
    all-chrome decision is the same on the output (idempotence)."""
    keys = {
        " ".join(strip_suffixes(line.text)[0].split()).casefold()
        if line.index == 0
        else " ".join(line.text.split()).casefold()
        for line in lines
    }
    return sum(word_count(key) for key in keys)


def _suspects(text: str, lines: list[Line], rules: Rules) -> set[int] | None:
    """Indexes of the lines :func:`_chrome_verdict` may call chrome, but for
    the ``line`` rules (asked line by line: their one call on a line is
    quicker than one over the whole text): a superset, found by a few scans
    of the whole text instead of calls on each line, as most lines of most
    texts are prose that no rule names. None when the rules cannot be asked
    about a whole text at once."""
    checks = _suspect_checks(text, lines, rules)
    return None if checks is None else set(checks)


def _suspect_checks(text: str, lines: list[Line], rules: Rules) -> dict[int, int] | None:
    """:func:`_suspects` with, for each, the checks (``MAY_*`` bits) of
    :func:`_chrome_verdict` it may pass, but for ``MAY_LINE``: the others
    find nothing on it.

    A line rule's match, a caption, a dateline and a credit each need
    something a line can be asked for in one pass over the lines, in C when
    it is built (``native.line_suspects``: what each check asks first); a
    ``short`` rule's match is found by one scan of the short lines.
    """
    # what the check asks first: at most SHORT_LINE_WORDS words. Only those
    # lines are searched (most of a text's characters are in its prose lines)
    short = list(itertools.compress(lines, map(SHORT_LINE_WORDS.__ge__, map(_WORDS, lines))))
    hits = rules.lines_matching("short", short)
    if hits is None:
        return None
    checks = native.line_suspects(lines, _folded(rules.agencies))
    for line in itertools.compress(short, hits):
        checks[line.index] = checks.get(line.index, 0) | MAY_SHORT
    return checks


_UNJUDGED = ("", "")
#: lines not judged before from which the whole-text scans pay off
SCAN_MIN_LINES = 8
# The last call's rules, text, and its verdicts: on the lines it asked
# about, and (no verdict) on the others of a list of its lines' texts.
# The stage runs again when anything changed, mostly on the same lines.
_last_judged: tuple[Rules | None, str, list[str], dict[str, tuple[str, str] | None]] = (None, "", [], {})
# Verdicts on the lines a rule, caption, dateline or credit check had to be
# asked about, across documents: those are mostly a site's chrome, printed on
# every page of it ("Share this", "Advertisement"); prose lines never repeat.
# A verdict depends on the line's text and the rules alone.
_chrome_seen: tuple[Rules | None, dict[str, tuple[str, str] | None]] = (None, {})
#: verdicts kept across documents; the memory is dropped when it is full
CHROME_SEEN_MAX = 4096


def _seen_verdicts(rules: Rules) -> dict[str, tuple[str, str] | None]:
    global _chrome_seen
    seen_rules, seen = _chrome_seen
    if seen_rules is not rules or len(seen) > CHROME_SEEN_MAX:
        seen = {}
        _chrome_seen = (rules, seen)
    return seen


# the first line last asked about, its rules and its verdict: each round of
# the stage and settled() ask about one document's headline
_last_headline: tuple[str | None, Rules | None, tuple[str, str] | None] = (None, None, None)


def _headline_verdict(first: Line, rules: Rules) -> tuple[str, str] | None:
    """Why the first line is chrome once the title step has stripped its
    "| Site" suffixes, if it has any; else None."""
    global _last_headline
    known_text, known_rules, verdict = _last_headline
    if known_text == first.text and known_rules is rules:
        return verdict
    head, removed = strip_suffixes(first.text)
    verdict = _chrome_verdict(Line(0, first.start, first.start + len(head), head), rules) if removed else None
    _last_headline = (first.text, rules, verdict)
    return verdict


def _known_verdicts(rules: Rules, texts: list[str]) -> dict[str, tuple[str, str] | None]:
    """The last call's verdicts on its lines, when ``texts`` (a text's
    lines) may be its text again, after edits: when their middle line is in
    that text. A new document is told from that alone, without hashing its
    lines to look each up."""
    last_rules, last_text, unasked, asked = _last_judged
    if last_rules is not rules or texts[len(texts) // 2] not in last_text:
        return {}
    known = dict.fromkeys(unasked)
    known.update(asked)
    return known


def remove_boilerplate(text: str, rules: Rules) -> list[Edit]:
    """Delete chrome lines, captions, end-of-article tails and section labels."""
    lines = split_lines(text)
    if not lines:
        return []
    verdicts: dict[int, tuple[str, str]] = {}
    # A line's verdict depends on its text alone: the last call's are taken over
    global _last_judged
    texts = list(map(_TEXT, lines))
    known = _known_verdicts(rules, texts)
    # most lines of a new text: judged by a few scans of the whole of it
    unknown = len(lines) - sum(map(known.__contains__, texts)) if known else len(lines)
    checks = _suspect_checks(text, lines, rules) if unknown >= SCAN_MIN_LINES else None
    judged: dict[str, tuple[str, str] | None] = {}
    unasked: list[str] = []  # the lines judged without a question: no verdict
    if checks is not None:
        # and the lines a line rule may match
        hits = rules.lines_matching("line", lines)
        if hits is None:
            hits = rules.may_match_whole("line", list(map(str.strip, texts)))
        for i in itertools.compress(range(len(hits)), hits):
            checks[i] = checks.get(i, 0) | MAY_LINE
        # each suspect asked only the checks that may find something; the
        # other lines pass none (no rule, caption, dateline or credit)
        unasked = texts
        seen = _seen_verdicts(rules)
        for i in sorted(checks):
            line = lines[i]
            verdict = seen.get(line.text, _UNJUDGED)
            if verdict is _UNJUDGED:
                # the checks left out find nothing: the verdict is the line's
                verdict = seen[line.text] = _chrome_verdict(line, rules, checks[i])
            judged[line.text] = verdict
            if verdict is not None:
                verdicts[i] = verdict
    else:
        seen = _seen_verdicts(rules)
        for line in lines:
            verdict = known.get(line.text, _UNJUDGED)
            if verdict is _UNJUDGED:
                verdict = seen.get(line.text, _UNJUDGED)
                if verdict is _UNJUDGED:
                    verdict = seen[line.text] = _chrome_verdict(line, rules)
            judged[line.text] = verdict
            if verdict is not None:
                verdicts[line.index] = verdict
    if 0 not in verdicts:
        verdict = _headline_verdict(lines[0], rules)
        if verdict is not None:
            verdicts[0] = verdict
    _last_judged = (rules, text, unasked, judged)
    marker = _end_marker(lines, rules)
    if marker is not None:
        verdicts.setdefault(marker, ("end_marker", f"{lines[marker].text!r} ends the article"))
        for line in lines[marker + 1 :]:
            verdicts.setdefault(line.index, ("after_end_marker", f"after {lines[marker].text!r}: {line.text[:60]!r}"))
    header_ends = _header_ends(text)
    thread = _comment_thread(lines, text, header_ends)
    if thread is not None:
        for line in lines[thread:]:
            verdicts.setdefault(line.index, ("comment_thread", f"in the comments from {lines[thread].text[:40]!r}"))
    for index, verdict in _repeated_lines(lines).items():
        verdicts.setdefault(index, verdict)
    verdicts.update(_section_labels(lines, verdicts))
    if len(verdicts) == len(lines) and _distinct_words(lines) > ALL_CHROME_MAX_WORDS:
        # every line looks like chrome: more likely a rule misfires on an
        # unusual article than that a file holds no article at all (a few
        # words of widget text, though, are what a failed extraction leaves)
        edits: list[Edit] = []
    else:
        edits = delete_lines(text, lines, verdicts)
    global _last_answer
    _last_answer = (text, edits, rules, bool(verdicts), header_ends)
    return edits


# the last call's text, answer, rules, whether any line had a verdict, and
# its _header_ends count: what settled() needs to know of it
_last_answer: tuple[str | None, list[Edit], Rules | None, bool, int] = (None, [], None, False, 0)


def settled(text: str, edits: list[Edit]) -> bool:
    """Whether :func:`remove_boilerplate` would delete nothing in the text
    its ``edits`` (its answer for ``text``, the last it gave) make. False
    when that cannot be shown cheaply (then the step is asked again).

    Say the answer deleted the lines with a verdict, V; the kept lines K
    have none. Asked about K (the output), each verdict is found again:

    * a line's own verdict (rule, caption, dateline, credit) depends on its
      text alone: none on K. The first line is judged without its "| Site"
      suffix too: asked here (the input's first line may be gone).
    * repeated lines: every later copy of a long line was in V, and K holds
      K's lines once each: none.
    * a comment thread needs two header lines, each counted by
      ``_header_ends`` of the input (whose lines K's are): none when it
      counted fewer than two.
    * section labels were looked for among the lines not in V; if some
      were found, K starts with their headline (no label above it), else K
      is what they were looked for in: none.
    * an end marker's tail is judged by its share of the words, which
      changes with every deletion: asked here, on the output.

    With no verdict at all, nothing changes and the output is the input.
    """
    last_text, last_edits, rules, any_verdict, header_ends = _last_answer
    if last_text is not text or last_edits is not edits or rules is None:
        return False  # not the last answer: unknown
    if not any_verdict:
        return True  # nothing deleted, nothing to delete
    if not edits or header_ends >= COMMENT_HEADERS:
        return False  # every line chrome (kept all), or a thread may be left
    pieces = []
    at = 0
    for edit in edits:  # delete_lines' edits: in order, apart, replacing with ""
        if edit.start < at or edit.replacement:
            return False
        pieces.append(text[at : edit.start])
        at = edit.end
    pieces.append(text[at:])
    output = "".join(pieces)
    lines = split_lines(output)  # the next step splits it too: kept for it
    if not lines:
        return True
    # the first line as the title step will leave it (asked again: the
    # input's first line may be gone)
    if _headline_verdict(lines[0], rules) is not None:
        return False
    return _end_marker(lines, rules) is None
