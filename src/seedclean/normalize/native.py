"""The compiled loops of the normalize stage, or their pure-Python twins.

``seedclean.normalize._native`` (built from ``_native.c`` when a C compiler
is present) is used unless it is missing, older than this source (a function
lacking), or ``SEEDCLEAN_PURE=1``. Every function it has is defined here in
Python with the same arguments and the same results; the tests run both on
real text and compare them.
"""

from __future__ import annotations

import os
import re
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


def agency_ends(texts: Sequence[str], names: tuple[str, ...]) -> list[int]:
    """The positions of the texts that do not end like a sentence (".", "!",
    "?") and whose stripped, case-folded text ends in one of ``names``."""
    return [
        i
        for i, text in enumerate(texts)
        if not text.rstrip().endswith((".", "!", "?")) and text.strip().casefold().endswith(names)
    ]


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
    "agency_ends": agency_ends,
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
    agency_ends = _NATIVE.agency_ends
    cjk_counts = _NATIVE.cjk_counts
