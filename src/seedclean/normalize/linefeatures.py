"""Features of the lines of a document, for the line model.

Every feature is a general signal of prose versus site furniture that holds
across sites and (where it can) across languages: length, stop-word density
in the document's own language (jusText), terminal punctuation, capitalisation,
chrome vocabulary, and the line's place in the document relative to the main
run of prose (boilerpipe's and jusText's context). Blank lines carry no
information here, so re-laying out a text does not change its features.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from importlib import resources

from seedclean.normalize import native
from seedclean.normalize.lines import Line
from seedclean.normalize.wordlists import word_set

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_TERMINAL = tuple('.!?"”’»)…。！？」』')
_URL = re.compile(r"https?://|www\.|\S@\S|@\w|\.(?:com|org|net|co\.uk)\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s[|•·»›/]\s|^[|•·»›>]|\s[|•·»›]$")
_DATE = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b\d+\s+(?:hours?|minutes?|days?|mins?|hrs?)\s+ago\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|from|von|por|par|di|door|av)\s+\S", re.IGNORECASE)

#: a line of prose: long, ends like a sentence, reads like the language
GOOD_WORDS = 15
GOOD_CJK = 40
GOOD_STOPS = 0.15
SHORT_WORDS = 8

FEATURES: tuple[str, ...] = (
    "bias",
    "log_words",
    "log_chars",
    "stop_density",
    "no_stops",
    "terminal",
    "colon_end",
    "starts_lower",
    "title_case",
    "all_caps",
    "digits",
    "url",
    "separators",
    "chrome_words",
    "date_like",
    "byline",
    "ellipsis_end",
    "good",
    "prev_log_words",
    "next_log_words",
    "prev_good",
    "next_good",
    "good_nearby",
    "rel_pos",
    "before_main",
    "after_main",
    "dist_main",
    "words_before_share",
    "words_after_share",
    "dup_in_doc",
    "doc_short_share",
    "doc_log_lines",
    "cjk",
    "no_language",
    "short_outside",
    "short_no_terminal",
    "short_run",
    "good_share_doc",
    "bullet",
    "in_block",
    "block_dist",
    "headline_like",
    "title_dup",
    "window_good",
    "doc_chrome_lines",
    "page_dump",
)


@cache
def stop_lists() -> dict[str, frozenset[str]]:
    text = resources.files("seedclean.data").joinpath("stopwords.tsv").read_text(encoding="utf-8")
    lists: dict[str, set[str]] = defaultdict(set)
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            lang, word = row.split("\t")
            lists[lang].add(word)
    return {lang: frozenset(words) for lang, words in lists.items()}


def document_language(words: list[str]) -> str | None:
    """The stop list covering most of the document's words (>= 15%), or None
    (a language without a list, or a script without spaces)."""
    if not words:
        return None
    counts = Counter(words)
    total = sum(counts.values())
    best, best_share = None, 0.0
    # a set's intersection with a set walks the smaller one: the stop list
    present = set(counts)
    for lang, stops in sorted(stop_lists().items()):
        share = sum(counts[w] for w in stops & present) / total
        if share > best_share:
            best, best_share = lang, share
    return best if best_share >= 0.15 else None


@cache
def stop_masks() -> tuple[tuple[str, ...], dict[str, int]]:
    """The stop lists as :func:`native.stop_language` reads them: their
    languages, sorted, and per stop word the bits of the lists holding it."""
    lists = stop_lists()
    names = tuple(sorted(lists))
    masks: dict[str, int] = {}
    for bit, name in enumerate(names):
        for word in lists[name]:
            masks[word] = masks.get(word, 0) | 1 << bit
    return names, masks


@dataclass(frozen=True, slots=True)
class _Basic:
    words: list[str]
    cjk: int
    stop_density: float
    terminal: bool
    good: bool


def _basic(text: str, words: list[str], stops: frozenset[str] | None, cjk: int) -> _Basic:
    """``words``: the line's words, lower-cased; ``cjk``: its CJK characters."""
    stripped = text.rstrip()
    terminal = stripped.endswith(_TERMINAL) and not stripped.endswith(":")
    density = sum(map(stops.__contains__, words)) / len(words) if words and stops is not None else 0.0
    if cjk >= len(text) / 3:
        good = terminal and cjk >= GOOD_CJK
    else:
        good = terminal and len(words) >= GOOD_WORDS and (stops is None or density >= GOOD_STOPS)
    return _Basic(words, cjk, density, terminal, good)


def _log(n: float) -> float:
    return math.log1p(n) / 5.0


def _chrome_share(words: list[str], chrome: frozenset[str]) -> float:
    return sum(map(chrome.__contains__, words)) / len(words) if words else 0.0


#: a full-page dump (menus, footers, link lists around the article): many
#: lines, mostly short, with menu-like chrome lines among them
DUMP_MIN_LINES = 50
DUMP_SHORT_SHARE = 0.5
DUMP_CHROME_LINES = 2


def is_page_dump(lines: int, short_share: float, chrome_lines: int) -> bool:
    return lines >= DUMP_MIN_LINES and short_share >= DUMP_SHORT_SHARE and chrome_lines >= DUMP_CHROME_LINES


def _short_share(sizes: list[int]) -> float:
    return sum(s < SHORT_WORDS for s in sizes) / len(sizes)


def _chrome_lines(words: list[list[str]], sizes: list[int], chrome: frozenset[str]) -> int:
    """Menu-like lines: at most three words, mostly chrome vocabulary."""
    return sum(1 for w, size in zip(words, sizes, strict=True) if size <= 3 and w and _chrome_share(w, chrome) >= 0.5)


def page_dump(lines: list[Line]) -> bool:
    """``line_features(lines)[0]["page_dump"]``, from the few document
    quantities it depends on: most documents are no dump, and for them the
    full features (every line, every feature) are never needed."""
    n = len(lines)
    if n < DUMP_MIN_LINES:
        return False
    # a line's word count is known already (``Line.words``, the count of \w+)
    cjk = native.cjk_counts([line.text for line in lines])
    sizes = [max(line.words, count // 2) for line, count in zip(lines, cjk, strict=True)]
    short_share = _short_share(sizes)
    if short_share < DUMP_SHORT_SHARE:
        return False
    # only lines of at most three words can be menu-like: their words, lower-cased
    few = [size <= 3 for size in sizes]
    stats = iter(native.line_stats([line.text for line, small in zip(lines, few, strict=True) if small]))
    words = [next(stats)[0] if small else [] for small in few]
    return is_page_dump(n, short_share, _chrome_lines(words, sizes, word_set("chrome_words.txt")))


#: what a line that is not prose costs the main block (in words)
BLOCK_GAP_COST = 4


def main_block(basics: list[_Basic], sizes: list[int]) -> tuple[int, int]:
    """The run of lines richest in prose (boilerpipe's largest text block):
    the maximum-sum segment where a prose line counts its words and any other
    line costs a few words, so subheadings stay inside and menus split it."""
    best, best_span = 0.0, (len(sizes), -1)
    run, run_start = 0.0, 0
    for i, (b, size) in enumerate(zip(basics, sizes, strict=True)):
        score = size if b.good else -BLOCK_GAP_COST
        if run <= 0:
            run, run_start = 0.0, i
        run += score
        if run > best:
            best, best_span = run, (run_start, i)
    return best_span


def line_features(lines: list[Line], needed: Collection[str] | None = None) -> list[dict[str, float]]:
    """One feature dict per line (keys: :data:`FEATURES`). With ``needed``,
    the pattern-matching features not in it are left 0.0 (the line model
    reads only some of them)."""
    return [dict(zip(FEATURES, row, strict=True)) for row in feature_rows(lines, needed)]


def feature_rows(lines: list[Line], needed: Collection[str] | None = None) -> list[tuple[float, ...]]:
    """:func:`line_features` as tuples in the order of :data:`FEATURES`
    (what the model reads; a tuple is made far quicker than a dict)."""
    if not lines:
        return []
    return native.feature_table(*feature_inputs(lines, needed))


def feature_inputs(lines: list[Line], needed: Collection[str] | None = None) -> tuple:
    """What :func:`feature_table` makes the rows of ``lines`` from (at least
    one line): their texts, ``line_stats``, the document's stop list, the
    chrome vocabulary, the line keys and the ``pattern_marks``."""
    texts = [line.text for line in lines]
    # each line's words lower-cased, and the counts of its characters the
    # features read (found once, in one pass in C when it is built)
    stats = native.line_stats(texts)
    language = native.stop_language(stats, *stop_masks())  # document_language of the lines' words
    stops = stop_lists().get(language) if language else None
    wanted = [needed is None or name in needed for name in ("url", "separators", "byline")]
    # the line model reads none of those: then only dates are looked for (in C when it is built)
    marks = pattern_marks(texts, stats, *wanted) if any(wanted) else native.date_marks(texts, stats)
    return texts, stats, stops, word_set("chrome_words.txt"), native.line_keys(texts), marks


#: bits of :func:`pattern_marks`: what a line's regular expressions found
MARK_URL, MARK_SEPARATOR, MARK_DATE, MARK_BYLINE = 1, 2, 4, 8


def pattern_marks(
    texts: list[str], stats: list[tuple[list[str], int, int, int, int, int]], url: bool, separators: bool, byline: bool
) -> list[int]:
    """Per line, the ``MARK_*`` bits of the patterns found in its stripped
    text. ``date_like`` is asked only of lines with a digit (every date holds
    one); the others only when wanted (the line model reads only some)."""
    marks = [0] * len(texts)
    every = url or separators or byline
    for i, stat in enumerate(stats):
        if not (every or stat[2]):
            continue
        text = texts[i].strip()
        marks[i] = (
            (MARK_DATE if stat[2] and _DATE.search(text) else 0)
            | (MARK_URL if url and _URL.search(text) else 0)
            | (MARK_SEPARATOR if separators and _SEPARATOR.search(text) else 0)
            | (MARK_BYLINE if byline and _BYLINE.match(text) else 0)
        )
    return marks


def feature_table(
    texts: list[str],
    stats: list[tuple[list[str], int, int, int, int, int]],
    stops: frozenset[str] | None,
    chrome: frozenset[str],
    line_keys: list[str],
    marks: list[int],
) -> list[tuple[float, ...]]:
    """The rows of :func:`feature_rows` from what it gathered: the lines'
    texts, their :func:`native.line_stats`, the document's stop list (or
    None), the chrome vocabulary, each line's key (its words joined by one
    space, case-folded) and its :func:`pattern_marks`. The pure twin of
    ``native.feature_table``."""
    basics = [_basic(text, stat[0], stops, stat[1]) for text, stat in zip(texts, stats, strict=True)]
    n = len(texts)
    goods = [i for i, b in enumerate(basics) if b.good]
    first_good = goods[0] if goods else n
    last_good = goods[-1] if goods else -1
    sizes = [max(len(b.words), b.cjk // 2) for b in basics]
    total = sum(sizes) or 1
    keys = Counter(line_keys)
    short_share = _short_share(sizes)
    doc_cjk = sum(b.cjk for b in basics) >= sum(len(text) for text in texts) / 3
    # runs of consecutive short lines: menus and link lists, or tables and lists
    run_len = [0] * n
    start = 0
    for i in range(n + 1):
        if i == n or sizes[i] >= SHORT_WORDS:
            for j in range(start, i):
                run_len[j] = i - start
            start = i + 1
    good_share = sum(sizes[i] for i in goods) / total
    chrome_lines = _chrome_lines([b.words for b in basics], sizes, chrome)
    block_start, block_end = main_block(basics, sizes)
    # good lines before each position: window counts are differences of two
    good_before = [0, *itertools.accumulate(int(b.good) for b in basics)]
    title_key = line_keys[0]
    dump = is_page_dump(n, short_share, chrome_lines)
    # what is the same on every line, and each size's log, computed once
    doc = (short_share, _log(n), float(doc_cjk), float(stops is None))
    doc_tail = (_log(chrome_lines), float(dump))
    log_sizes = [_log(size) for size in sizes]
    rows = []
    before = 0
    for i, b in enumerate(basics):
        text = texts[i].strip()
        words = b.words
        _, _, digits, alpha, upper_first, all_upper = stats[i]
        mark = marks[i]
        has_prev, has_next = i > 0, i + 1 < n
        outside = i < first_good or i > last_good
        dist = first_good - i if i < first_good else (i - last_good if i > last_good else 0)
        size = sizes[i]
        title_case = upper_first / alpha if alpha else 0.0
        rows.append(
            (
                1.0,  # bias
                log_sizes[i],  # log_words
                _log(len(text)),  # log_chars
                b.stop_density,
                float(stops is not None and len(words) >= 3 and b.stop_density == 0.0),  # no_stops
                float(b.terminal),
                float(text.endswith(":")),  # colon_end
                float(text[:1].islower()),  # starts_lower
                title_case,
                float(alpha >= 1 and all_upper == 1),  # all_caps
                digits / len(text) if text else 0.0,  # digits (none on a line of spaces)
                float(mark & MARK_URL != 0),  # url
                float(mark & MARK_SEPARATOR != 0),  # separators
                _chrome_share(words, chrome),  # chrome_words
                float(mark & MARK_DATE != 0),  # date_like
                float(mark & MARK_BYLINE != 0 and len(words) <= 12),  # byline
                float(text.endswith(("...", "…"))),  # ellipsis_end
                float(b.good),
                log_sizes[i - 1] if has_prev else 0.0,  # prev_log_words
                log_sizes[i + 1] if has_next else 0.0,  # next_log_words
                float(basics[i - 1].good) if has_prev else 0.0,  # prev_good
                float(basics[i + 1].good) if has_next else 0.0,  # next_good
                (good_before[min(n, i + 4)] - good_before[max(0, i - 3)] - b.good) / 6,  # good_nearby
                i / (n - 1) if n > 1 else 0.0,  # rel_pos
                float(i < first_good),  # before_main
                float(i > last_good),  # after_main
                _log(dist),  # dist_main
                before / total,  # words_before_share
                (total - before - size) / total,  # words_after_share
                float(keys[line_keys[i]] > 1),  # dup_in_doc
                *doc,  # doc_short_share, doc_log_lines, cjk, no_language
                float(size < SHORT_WORDS and outside),  # short_outside
                float(size < SHORT_WORDS and not b.terminal),  # short_no_terminal
                _log(run_len[i]),  # short_run
                good_share,  # good_share_doc
                float(text[:1] in "-•*·▪►>"),  # bullet
                float(block_start <= i <= block_end),  # in_block
                _log(block_start - i if i < block_start else max(0, i - block_end)),  # block_dist
                float(size >= 5 and not b.terminal and bool(alpha) and title_case >= 0.6),  # headline_like
                float(i > 0 and size >= 4 and line_keys[i] in title_key),  # title_dup
                (good_before[min(n, i + 7)] - good_before[max(0, i - 6)] - b.good) / 12,  # window_good
                *doc_tail,  # doc_chrome_lines, page_dump
            )
        )
        before += size
    return rows
