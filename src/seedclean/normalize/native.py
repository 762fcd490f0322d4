"""The compiled loops of the normalize stage, or their pure-Python twins.

``seedclean.normalize._native`` (built from ``_native.c`` when a C compiler
is present) is used unless it is missing, older than this source (a function
lacking), or ``SEEDCLEAN_PURE=1``. Every function it has is defined here in
Python with the same arguments and the same results; the tests run both on
real text and compare them.
"""

from __future__ import annotations

import json
import math
import os
import re
from array import array
from collections.abc import Sequence
from typing import Any

#: (feature, threshold, terms, step_feature, values, depth): the line model's
#: trees laid out complete to ``depth`` in heap order, as flat arrays
#: (int32 and float64 buffers; see ``linemodel._Forest.flat``)
ForestArrays = tuple[Any, Any, Any, Any, Any, int]


def _leaf(model: ForestArrays, tree: int, row: Sequence[float]) -> int:
    feature, threshold, _, _, _, depth = model
    inner = 2**depth - 1
    at = 0
    for _ in range(depth):
        node = tree * inner + at
        at = 2 * at + 1 + (row[feature[node]] > threshold[node])
    return at - inner


def forest_scores(model: ForestArrays, base: float, rows: Sequence[Sequence[float]]) -> list[float]:
    """Each row's score (log-odds), summed as ``LineModel.explain`` sums it:
    the base, then tree by tree the root's value and each level's step."""
    terms, depth = model[2], model[5]
    trees, leaves = len(model[0]) // (2**depth - 1), 2**depth
    scores = []
    for row in rows:
        score = base
        for t in range(trees):
            at = (t * leaves + _leaf(model, t, row)) * (depth + 1)
            for level in range(depth + 1):
                score += terms[at + level]
        scores.append(score)
    return scores


def forest_contributions(model: ForestArrays, row: Sequence[float]) -> list[tuple[int, float]]:
    """``LineModel.explain``'s contributions of one row, as (feature index,
    log-odds) in the order it first meets each feature, summed as it sums them."""
    step_feature, values, depth = model[3], model[4], model[5]
    trees, leaves = len(model[0]) // (2**depth - 1), 2**depth
    totals: dict[int, float] = {}
    for t in range(trees):
        leaf = t * leaves + _leaf(model, t, row)
        for level in range(depth):
            feature = step_feature[leaf * depth + level]
            if feature < 0:
                break
            at = leaf * (depth + 1) + level
            totals[feature] = totals.get(feature, 0.0) + values[at + 1] - values[at]
    return list(totals.items())


_contributions = forest_contributions  # the pure one, whichever is picked below


def forest_top(model: ForestArrays, rows: Sequence[Sequence[float]], k: int) -> list[list[tuple[int, float]]]:
    """Per row, its ``k`` largest contributions as ``explain``'s callers rank
    them (a stable sort by descending contribution)."""
    if k < 0:
        raise ValueError("k must be >= 0")
    return [sorted(_contributions(model, row), key=lambda kv: -kv[1])[:k] for row in rows]


_WORD = re.compile(r"\w+")
_LINE = re.compile(r"[^\n]+")


def count_words(text: str) -> int:
    """The number of ``\\w+`` words in ``text``."""
    return len(_WORD.findall(text))


def scan_lines(text: str, line_type: type) -> list[Any]:
    """The non-empty lines of ``text``, each ``line_type(index, start, end,
    text, words)`` (a tuple type), ``index`` counting non-empty lines."""
    new = tuple.__new__
    return [
        new(line_type, (i, m.start(), m.end(), m.group(), len(_WORD.findall(m.group()))))
        for i, m in enumerate(_LINE.finditer(text))
    ]


def hyphen_splits(text: str) -> list[tuple[int, int, int, int]]:
    """Per match of ``dehyphenate._SPLIT`` in ``text`` (left letters, hyphen,
    optional line break, right letters): its start, the hyphen's offset,
    the offset after the line break, and its end."""
    from seedclean.normalize.dehyphenate import _SPLIT  # that module imports this one

    return [(m.start(), m.start(2), m.end(3), m.end()) for m in _SPLIT.finditer(text)]


def line_stats(texts: Sequence[str]) -> list[tuple[list[str], int, int, int, int, int]]:
    """What the line model reads of each text's characters: its ``\\w+``
    words lower-cased, its CJK characters, its digits (``str.isdigit``),
    and of its words that start with a letter and are longer than three
    characters: how many, how many start upper-case, and whether all are
    upper-case (1 or 0; 1 when there are none)."""
    from seedclean.normalize.linefeatures import _CJK  # that module imports this one

    stats = []
    for text in texts:
        written = _WORD.findall(text)
        alpha = [w for w in written if w[:1].isalpha() and len(w) > 3]
        stats.append(
            (
                [w.lower() for w in written],
                len(_CJK.findall(text)),
                sum(map(str.isdigit, text)),
                len(alpha),
                sum(w[0].isupper() for w in alpha),
                int(all(w.isupper() for w in alpha)),
            )
        )
    return stats


def line_keys(texts: Sequence[str]) -> list[str]:
    """Each text's key: its words joined by one space, case-folded (how the
    steps tell a line printed twice)."""
    return [" ".join(text.split()).casefold() for text in texts]


def feature_table(
    texts: Sequence[str],
    stats: Sequence[tuple[list[str], int, int, int, int, int]],
    stops: frozenset[str] | None,
    chrome: frozenset[str],
    keys: Sequence[str],
    marks: Sequence[int],
) -> list[tuple[float, ...]]:
    """The line model's feature rows, from what ``feature_rows`` gathered
    (see ``linefeatures.feature_table``, this function's body)."""
    from seedclean.normalize.linefeatures import feature_table as table  # that module imports this one

    return table(list(texts), list(stats), stops, chrome, list(keys), list(marks))


def cjk_counts(texts: Sequence[str]) -> list[int]:
    """Each text's CJK characters (``linefeatures._CJK``)."""
    from seedclean.normalize.linefeatures import _CJK  # that module imports this one

    return [len(_CJK.findall(text)) for text in texts]


#: the pure-Python definitions, whichever are in use (the tests compare them)
PURE = {
    "forest_scores": forest_scores,
    "forest_contributions": forest_contributions,
    "forest_top": forest_top,
    "count_words": count_words,
    "scan_lines": scan_lines,
    "hyphen_splits": hyphen_splits,
    "line_stats": line_stats,
    "line_keys": line_keys,
    "feature_table": feature_table,
    "cjk_counts": cjk_counts,
}


def _compiled() -> Any:
    """The compiled module, if it is there, wanted, and has every function
    (a build older than this source has not: then none of it is used)."""
    if os.environ.get("SEEDCLEAN_PURE") == "1":
        return None
    try:
        from seedclean.normalize import _native
    except ImportError:
        return None
    return _native if all(hasattr(_native, name) for name in PURE) else None


_NATIVE = _compiled()
COMPILED = _NATIVE is not None
if _NATIVE is not None:
    forest_scores = _NATIVE.forest_scores
    forest_contributions = _NATIVE.forest_contributions
    forest_top = _NATIVE.forest_top
    count_words = _NATIVE.count_words
    scan_lines = _NATIVE.scan_lines
    hyphen_splits = _NATIVE.hyphen_splits
    line_stats = _NATIVE.line_stats
    line_keys = _NATIVE.line_keys
    feature_table = _NATIVE.feature_table
    cjk_counts = _NATIVE.cjk_counts


def _use_compiled(functions: dict[str, Any]) -> bool:
    """Record a block's pure ``functions`` in :data:`PURE` and put the
    compiled ones in their place, when the compiled module has every one of
    them (a build older than this source lacks them: then the pure ones are
    used); whether it did."""
    PURE.update(functions)
    if _NATIVE is None or not all(hasattr(_NATIVE, name) for name in functions):
        return False
    globals().update({name: getattr(_NATIVE, name) for name in functions})
    return True


# ---- pipeline (fast-pipeline): the bookkeeping of pipeline.py, document.py
# and write/run.py, and the scans of the small unicode steps ----------------

_json_string = json.encoder.encode_basestring  # what JSONEncoder(ensure_ascii=False) writes for a str
_EDIT_LINE = (
    '{"doc": %s, "seq": %d, "step": %s, "kind": %s, "reason": %s, "start": %d, "end": %d, '
    '"raw_start": %d, "raw_end": %d, "before": %s, "after": %s, "detail": %s, "pass": %d}\n'
)


def edit_table(
    doc_id: str, edits: Sequence[Any], passes: Sequence[int]
) -> tuple[bytes, bytes | None, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """A document's logged edits (``LoggedEdit``) as its edits.jsonl lines
    in UTF-8, its edits.i32 rows (12 int32 each, see write/sidetables.py;
    the document column 0, labels as indexes into this document's own label
    lists; None when a number does not fit an int32) and those step, kind
    and reason lists, in order of first use."""
    if len(edits) != len(passes):
        raise ValueError("edits and passes differ in length")
    s = _json_string
    labels: tuple[dict[str, int], dict[str, int], dict[str, int]] = ({}, {}, {})
    steps, kinds, reasons = labels
    lines, flat = [], []
    for seq, (edit, pass_no) in enumerate(zip(edits, passes, strict=True)):
        step, reason, kind, start, end, before, after, detail, raw_start, raw_end = edit[:10]
        lines.append(
            _EDIT_LINE
            % (s(doc_id), seq, s(step), s(kind), s(reason), start, end, raw_start, raw_end, s(before), s(after),
               s(detail), pass_no)
        )  # fmt: skip
        flat.extend((
            0, seq, pass_no, steps.setdefault(step, len(steps)), kinds.setdefault(kind, len(kinds)),
            reasons.setdefault(reason, len(reasons)), start, end, raw_start, raw_end, len(before), len(after),
        ))  # fmt: skip
    try:
        rows: bytes | None = array("i", flat).tobytes()
    except OverflowError:
        rows = None
    return "".join(lines).encode("utf-8"), rows, (tuple(steps), tuple(kinds), tuple(reasons))


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def json_record(row: dict[str, Any]) -> bytes:
    """``write.atomic.json_line(row)`` in UTF-8. (The compiled one takes only
    dicts of plain JSON types and raises TypeError for anything else.)"""
    return (_ENCODER.encode(row) + "\n").encode("utf-8")


def edit_counts(edits: Sequence[Any]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Logged edits counted by kind, by step (flags left out) and by reason,
    each dict in order of first appearance."""
    kinds: dict[str, int] = {}
    steps: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for edit in edits:
        step, reason, kind = edit[:3]
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind != "flag":
            steps[step] = steps.get(step, 0) + 1
        reasons[reason] = reasons.get(reason, 0) + 1
    return kinds, steps, reasons


#: unicode_scan's bits: what each small unicode step looks for
SCAN_LINE_BREAK, SCAN_CONTROL, SCAN_ODD_SPACE, SCAN_SPACE_PAIR = 1, 2, 4, 8
SCAN_COMBINING, SCAN_EDGE_SPACE, SCAN_BLANK, SCAN_MOJIBAKE = 16, 32, 64, 128
_SCAN_CHARS = (
    (SCAN_LINE_BREAK, re.compile("[\r\u2028\u2029\u0085]")),
    (SCAN_CONTROL, re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b\u2060\ufeff\u180e\t]")),
    (SCAN_ODD_SPACE, re.compile("[\u00a0\u2000-\u200a\u202f\u205f]")),
    (SCAN_COMBINING, re.compile("[^\u0000-\u02ff\u2010-\u2027\u2030-\u205e]")),
    (
        SCAN_MOJIBAKE,
        re.compile(
            "[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152"
            "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
        ),
    ),
)


def unicode_scan(text: str) -> int:
    """Which of the SCAN_* things ``text`` holds: a line break other than
    ``\\n``, a character ``remove_invisible`` drops, an odd space, two spaces
    in a row, a character from U+0300 on other than the general punctuation
    from U+2010 to U+205E (without them every text is NFC), a
    space at a line's edge, a blank-line run or blank lines at the top or
    bottom, a mojibake pair."""
    bits = 0
    for bit, pattern in _SCAN_CHARS:
        if pattern.search(text):
            bits |= bit
    if "  " in text:
        bits |= SCAN_SPACE_PAIR
    if " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " ":
        bits |= SCAN_EDGE_SPACE
    if text[:1] == "\n" or "\n\n\n" in text or text[-2:] == "\n\n":
        bits |= SCAN_BLANK
    return bits


def _step_map(quads: bytes) -> Any:
    from seedclean.edits import StepMap

    values = array("q", quads)
    return StepMap(list(values[0::4]), list(values[1::4]), list(values[2::4]), list(values[3::4]))


def log_step(
    text: str,
    edits: list[Any],
    maps: list[bytes],
    name: str,
    pass_no: int,
    drop_flags: bool,
    logged: list[Any],
    passes: list[int],
    logged_type: type,
) -> tuple[str, bool] | None:
    """One step's ``edits`` (``Edit``) of ``text``: sorted and checked
    (``check_edits``), each mapped to the raw input through every earlier
    step's map in ``maps``, logged (``logged_type``, a ``LoggedEdit``, onto
    ``logged``; ``pass_no`` onto ``passes``), the step's map appended to
    ``maps`` (bytes of int64 out_start, out_end, in_start, in_end per applied
    edit), and applied. None when no edit is left (``drop_flags`` drops the
    flags); else the new text and whether any edit changed it."""
    from seedclean.edits import StepMap, apply_edits, check_edits

    if drop_flags:
        edits = [edit for edit in edits if not edit.flag_only]
    edits = check_edits(text, edits)
    if not edits:
        return None
    spans = [(edit.start, edit.end) for edit in edits]
    for quads in reversed(maps):
        step_map = _step_map(quads)
        if step_map.out_starts:
            span_to_input = step_map.span_to_input
            spans = [span_to_input(start, end) for start, end in spans]
    for edit, (raw_start, raw_end) in zip(edits, spans, strict=True):
        start, end = edit.start, edit.end
        after = "" if edit.flag_only else edit.replacement
        fields = (name, edit.reason, edit.kind, start, end, text[start:end], after, edit.detail, raw_start, raw_end)
        logged.append(tuple.__new__(logged_type, fields))
        passes.append(pass_no)
    step_map = StepMap.from_edits(edits)
    maps.append(
        array(
            "q",
            [v for quad in zip(step_map.out_starts, step_map.out_ends, step_map.in_starts, step_map.in_ends,
                               strict=True) for v in quad],
        ).tobytes()
    )  # fmt: skip
    return apply_edits(text, edits), not all(edit.flag_only for edit in edits)


_BREAKS = re.compile(r"\n+")


def paragraph_breaks(text: str, end: int) -> list[tuple[int, int]]:
    """The runs of ``\\n`` in ``text[:end]`` other than exactly ``\\n\\n``, as
    (start, end)."""
    return [(m.start(), m.end()) for m in _BREAKS.finditer(text, 0, end) if m.end() - m.start() != 2]


def mojibake_lines(text: str) -> list[tuple[int, int]]:
    """The lines of ``text`` (runs of characters other than ``\\n``) holding
    a SCAN_MOJIBAKE pair, as (start, end)."""
    from seedclean.normalize.unicode import _MOJIBAKE_HINT  # that module imports this one

    return [(m.start(), m.end()) for m in _LINE.finditer(text) if _MOJIBAKE_HINT.search(m.group())]


_PLAIN = (bool, int, float, str, type(None))


def csv_fields(values: list[Any]) -> tuple[str, str] | None:
    """``write.sidetables.csv_row(values)`` (a document row's value kinds and
    fields.csv line) when every value is exactly a bool, int, float, str or
    None and there is one; else None."""
    from seedclean.write.sidetables import csv_row  # that module imports this one

    if not values or any(type(value) not in _PLAIN for value in values):
        return None
    return csv_row(values)


_PIPELINE = {
    "log_step": log_step,
    "edit_table": edit_table,
    "json_record": json_record,
    "edit_counts": edit_counts,
    "unicode_scan": unicode_scan,
    "paragraph_breaks": paragraph_breaks,
    "mojibake_lines": mojibake_lines,
    "csv_fields": csv_fields,
}
#: these are compiled (else the pure ones are used)
PIPELINE_COMPILED = _use_compiled(_PIPELINE)


# ---- boilerplate: the boilerplate step's per-line gates and
# the line model's verdicts in one call ---------------------------------------

#: line_suspects' bits, as boilerplate's MAY_CAPTION, MAY_DATELINE, MAY_CREDIT
SUSPECT_CAPTION, SUSPECT_DATELINE, SUSPECT_CREDIT = 4, 8, 16
# what every match of boilerplate._HAS_DATE holds (its \b left out)
_MAY_DATE = re.compile(r"\d:\d\d|(?:19|20)\d\d|\d[./-]\d\d?[./-]\d\d")


def line_suspects(lines: Sequence[Any], names: tuple[str, ...]) -> dict[int, int]:
    """Per line (``Line``: index, start, end, text, words), by position, the
    SUSPECT_* bits of the boilerplate checks it may pass, for the lines with
    any: a caption (at most 60 words, a "(", and past its last dots a ")" or
    a space), a dateline (at most 16 words or a "_", not opening with a dash
    or "(", and a date's digits), a credit (at most 8 words, no digit or
    ":", not ending like a sentence, ending in one of ``names``, case-folded).
    Each is what the check itself asks first, so a line left out fails it."""
    out = {}
    for position, line in enumerate(lines):
        text = line[3].strip()
        if not text:
            continue
        words = line[4]
        digit = any(ch.isdigit() for ch in text)
        bits = 0
        if "(" in text and words <= 60:
            head = text.rstrip(".")
            if head[-1:] == ")" or head[-1:].isspace():
                bits |= SUSPECT_CAPTION
        if (
            digit
            and (words <= 16 or "_" in text)
            and not text.startswith(("—", "–", "-", "("))
            and _MAY_DATE.search(text)
        ):
            bits |= SUSPECT_DATELINE
        if (
            len(text.split()) <= 8
            and not digit
            and ":" not in text
            and not text.endswith((".", "!", "?"))
            and text.casefold().endswith(names)
        ):
            bits |= SUSPECT_CREDIT
        if bits:
            out[position] = bits
    return out


def repeated_keys(texts: Sequence[str]) -> list[str] | None:
    """Every text's line key (see :func:`line_keys`) when two of ``texts``
    have the same, else None."""
    keys = PURE["line_keys"](texts)
    return None if len(set(keys)) == len(keys) else keys


def utf8_lines(lines: Sequence[Any]) -> bytes | None:
    """``"\\n".join(line.text.strip() for line in lines)`` (``Line``: index,
    start, end, text, words) in UTF-8, or None when a text holds a lone
    surrogate (which UTF-8 cannot hold): what the boilerplate rules' line
    scans search."""
    try:
        return "\n".join(line[3].strip() for line in lines).encode("utf-8")
    except UnicodeEncodeError:
        return None


_BOILER6 = {"line_suspects": line_suspects, "repeated_keys": repeated_keys, "utf8_lines": utf8_lines}
#: these are compiled (else the pure ones are used)
BOILER6_COMPILED = _use_compiled(_BOILER6)


# ---- line model: the line model's document gate and
# document language, each in one pass ------------------------------------------


def dump_gate(text: str, chrome: frozenset[str], min_lines: int, max_lines: int) -> bool:
    """Whether ``text`` has ``min_lines`` to ``max_lines`` non-empty lines and
    they read as a page dump: at least half of them short (under
    ``linefeatures.SHORT_WORDS`` in size) and at least two menu-like (at
    most three words, at least half of them in ``chrome``, lower-cased).
    With ``min_lines`` = ``linefeatures.DUMP_MIN_LINES`` it is
    ``linefeatures.page_dump`` of the text's lines, asked of the text alone."""
    from seedclean.normalize.linefeatures import _CJK, SHORT_WORDS  # that module imports this one

    texts = _LINE.findall(text)
    if not (min_lines <= len(texts) <= max_lines) or not texts:
        return False
    short = menus = 0
    for line in texts:
        words = _WORD.findall(line)
        size = max(len(words), len(_CJK.findall(line)) // 2)
        short += size < SHORT_WORDS
        if size <= 3 and words:
            menus += sum(word.lower() in chrome for word in words) / len(words) >= 0.5
    return short / len(texts) >= 0.5 and menus >= 2


def stop_language(
    stats: Sequence[tuple[list[str], int, int, int, int, int]], names: tuple[str, ...], masks: dict[str, int]
) -> str | None:
    """``linefeatures.document_language`` of the words of ``stats`` (rows of
    :func:`line_stats`), from the stop lists as ``names`` (sorted) and
    ``masks`` (per stop word, bit i set when it is in list ``names[i]``):
    the list covering most of the words (the first on a tie), when it
    covers at least 15% of them; else None."""
    hits = [0] * len(names)
    total = 0
    for stat in stats:
        total += len(stat[0])
        for word in stat[0]:
            bits = masks.get(word, 0)
            while bits:
                low = bits & -bits
                hits[low.bit_length() - 1] += 1
                bits ^= low
    best, best_share = None, 0.0
    for name, count in zip(names, hits, strict=True):
        share = count / total if total else 0.0
        if share > best_share:
            best, best_share = name, share
    return best if best_share >= 0.15 else None


def chrome_verdicts(
    model: ForestArrays,
    base: float,
    rows: Sequence[Sequence[float]],
    threshold: float,
    skip_first: bool,
    names: tuple[str, ...],
) -> list[tuple[int, str]]:
    """The rows the line model calls chrome (probability at or above
    ``threshold``; row 0 not when ``skip_first``), each with its log line:
    the probability and the three largest contributions (``forest_top``),
    named from ``names``. (The compiled one walks every row through one tree
    before the next, so the rows' walks overlap, and writes each log line
    into one buffer.)"""
    scores = PURE["forest_scores"](model, base, rows)
    probabilities = [1 / (1 + math.exp(-score)) for score in scores]
    chosen = [i for i, p in enumerate(probabilities) if p >= threshold and not (i == 0 and skip_first)]
    tops = PURE["forest_top"](model, [rows[i] for i in chosen], 3)
    out = []
    for position, top in zip(chosen, tops, strict=True):
        why = ", ".join(f"{names[feature]} {value:+.2f}" for feature, value in top)
        out.append((position, f"P(chrome)={probabilities[position]:.2f} in a page dump; {why}"))
    return out


def date_marks(texts: Sequence[str], stats: Sequence[tuple[list[str], int, int, int, int, int]]) -> list[int]:
    """``linefeatures.pattern_marks(texts, stats, False, False, False)``: per
    text ``MARK_DATE`` when its ``line_stats`` row counts a digit and
    ``linefeatures._DATE`` matches it, else 0 (what the line model reads of
    the patterns)."""
    from seedclean.normalize.linefeatures import pattern_marks  # that module imports this one

    return pattern_marks(list(texts), list(stats), False, False, False)


_LINEMODEL7 = {
    "dump_gate": dump_gate,
    "stop_language": stop_language,
    "chrome_verdicts": chrome_verdicts,
    "date_marks": date_marks,
}
#: these are compiled (else the pure ones are used)
LINEMODEL7_COMPILED = _use_compiled(_LINEMODEL7)


# ---- small steps: the regex scans of the spaces and whitespace
# steps, as one loop over the runs of spaces ----------------------------------


def edge_spaces(text: str) -> list[tuple[int, int]]:
    """The runs of spaces at the start or end of a line or of ``text``
    (``unicode._TRAILING``'s matches), as (start, end)."""
    from seedclean.normalize.unicode import _TRAILING  # that module imports this one

    return [m.span() for m in _TRAILING.finditer(text)]


def space_runs(text: str) -> list[tuple[int, int]]:
    """The runs of two spaces or more between characters other than
    whitespace (``unicode._SPACE_RUN``'s matches), as (start, end)."""
    from seedclean.normalize.unicode import _SPACE_RUN  # that module imports this one

    return [m.span() for m in _SPACE_RUN.finditer(text)]


def odd_spaces(text: str) -> list[int]:
    """The offsets of ``unicode._ODD_SPACE``'s characters in ``text``."""
    from seedclean.normalize.unicode import _ODD_SPACE  # that module imports this one

    return [m.start() for m in _ODD_SPACE.finditer(text)]


def repeat_candidates(lines: Sequence[Any], first: str, last: str) -> list[int]:
    """The positions, from 1 on, of the ``lines`` (``Line``: text at item 3)
    whose first ``len(first)`` characters, left-stripped and case-folded,
    start with ``first``, or whose last ``len(last)``, right-stripped and
    case-folded, end with ``last``: the lines that may repeat a headline
    whose key starts with ``first`` and ends with ``last``. (The compiled
    twin also takes a line whose window holds a character that does not
    case-fold to one character: the caller checks every candidate in full.)"""
    k_first, k_last = len(first), len(last)
    return [
        position
        for position in range(1, len(lines))
        if lines[position][3].lstrip()[:k_first].casefold().startswith(first)
        or lines[position][3].rstrip()[-k_last:].casefold().endswith(last)
    ]


def solid_words(text: str, words: Sequence[str]) -> set[str] | None:
    """The ``words`` that ``text`` writes solid, as written or lower-cased
    (``dehyphenate.SolidWords``). (The compiled twin answers None for a text
    holding U+0130 or U+03A3 in a word, or a word longer than 128: the
    caller then asks ``kernels.solid_among``.)"""
    from seedclean.normalize.dehyphenate import SolidWords  # that module imports this one

    lookup = SolidWords(text)
    return {word for word in words if word in lookup}


_DOC7 = {
    "edge_spaces": edge_spaces,
    "space_runs": space_runs,
    "odd_spaces": odd_spaces,
    "repeat_candidates": repeat_candidates,
    "solid_words": solid_words,
}
#: these are compiled (else the pure ones are used)
DOC7_COMPILED = _use_compiled(_DOC7)


# ---- documents' rows: a record's documents.jsonl line, fields.csv row and
# MinHash key bytes in one pass over it -------------------------------------


def _int64_bytes(value: Any) -> bytes | None:
    if type(value) is not list or any(type(item) is not int for item in value):
        return None
    try:
        return array("q", value).tobytes()
    except OverflowError:
        return None


def record_rows(
    record: dict[str, Any], skip: tuple[str, ...], kinds: tuple[str, ...], keyed: tuple[str, ...]
) -> tuple[bytes, tuple[tuple[str, ...], str, str] | None, tuple[bytes | None, ...]]:
    """A document's record as the tables hold it: :func:`json_record`; the
    columns of ``validate.tables.document_row(record)`` (``skip`` its
    DOCUMENT_TEXT_FIELDS, ``kinds`` ``edits.KINDS``) and :func:`csv_fields`
    of its values (kinds, line), None where that is None; and per name in
    ``keyed`` the int64 bytes of that field when it is a list of ints that
    fit, else None. (The compiled one raises TypeError where json_record
    does, and answers None for the row of a record of a shape other than
    the pipeline's: credits absent or not a list of str, counts of other
    than ints, a key document_row writes itself.)"""
    from seedclean.edits import KINDS
    from seedclean.validate.tables import DOCUMENT_TEXT_FIELDS, document_row  # validate's: loaded when asked

    if (skip, kinds) != (DOCUMENT_TEXT_FIELDS, KINDS):  # what document_row reads them from
        raise ValueError("skip and kinds must be validate.tables.DOCUMENT_TEXT_FIELDS and edits.KINDS")
    line = PURE["json_record"](record)
    row = document_row(record)
    found = PURE["csv_fields"](list(row.values()))
    fields = None if found is None else (tuple(row), *found)
    return line, fields, tuple(_int64_bytes(record.get(name)) for name in keyed)


_DOC8 = {"record_rows": record_rows}
#: these are compiled (else the pure ones are used)
DOC8_COMPILED = _use_compiled(_DOC8)


# ---- line model: the two-decimal numbers of the line
# model's log lines, written without dtoa ------------------------------------


def fixed_hundredths(value: float, sign: bool) -> str:
    """``format(value, "+.2f" if sign else ".2f")``: how ``chrome_verdicts``
    writes a probability (no sign) and a contribution (signed). (The
    compiled one rounds ``value * 100`` to an integer exactly, half to even,
    from the bits of ``value``, for the values below 2**40 in size.)"""
    return format(value, "+.2f" if sign else ".2f")


_LINEMODEL8 = {"fixed_hundredths": fixed_hundredths}
#: these are compiled (else the pure ones are used)
LINEMODEL8_COMPILED = _use_compiled(_LINEMODEL8)


# ---- line model: a page dump's feature rows scored where
# they are made, never Python floats ------------------------------------------


def table_verdicts(
    model: ForestArrays,
    base: float,
    inputs: tuple[Any, ...],
    threshold: float,
    skip_first: bool,
    names: tuple[str, ...],
) -> list[tuple[int, str]]:
    """``chrome_verdicts(model, base, feature_table(*inputs), threshold,
    skip_first, names)``. (The compiled one keeps the rows as doubles: made
    objects, a page dump's rows cost as much as scoring them.)"""
    rows = PURE["feature_table"](*inputs) if inputs[0] else []
    return PURE["chrome_verdicts"](model, base, rows, threshold, skip_first, names)


_LINEMODEL9 = {"table_verdicts": table_verdicts}
#: these are compiled (else the pure ones are used)
LINEMODEL9_COMPILED = _use_compiled(_LINEMODEL9)
