"""Dehyphenation: join words broken by layout ("occu-pation", "nego-\\ntiate").

A hyphen inside a word is joined only when the word lists say the joined
word is common and clearly more common than the hyphenated form (wordfreq,
Zipf scale; the rule and thresholds follow pyriksprot and GROBID). Real
compounds ("long-term", "de-escalate"), names ("Al-Thani") and
abbreviations ("US-backed") stay. A case the lexicon cannot decide is left
alone and logged as a ``flag`` for review.
"""

from __future__ import annotations

import re
from functools import lru_cache

from seedclean.edits import Edit, flag
from seedclean.lazy import lazy_import
from seedclean.normalize.rules import Rules

wordfreq = lazy_import("wordfreq")  # loaded on first use: `seedclean --help` stays fast

_LETTERS = r"[^\W\d_]"
# A hyphen between two runs of letters, not part of a longer chain
# ("two-year-long") and not inside an e-mail or URL-like token.
_SPLIT = re.compile(rf"(?<![\w\-@/.])({_LETTERS}{{1,40}})([\-\u2010])(\n?)({_LETTERS}{{1,40}})(?![\w\-@/])")
_HYPHEN = re.compile("[\\-\u2010]")
# A match of _SPLIT spans at most 40 letters, a hyphen, a line break and 40
# letters: around each hyphen, a window that wide holds every match using it.
_BEFORE, _AFTER = 41, 43


def _splits(text: str) -> list[re.Match[str]]:
    """``list(_SPLIT.finditer(text))``, searching only around hyphens.

    Scanning the whole text tries the pattern at every letter (a tenth of the
    time of a normalize run); hyphens are rare, so the windows are small. The
    lookbehind still sees the text before a window, and a window ends past
    the lookahead of any match using its hyphen, so the matches are the same
    (tests/normalize/test_dehyphenate_speed.py checks it on random text).
    """
    found: list[re.Match[str]] = []
    pos = 0
    size = len(text)
    for hyphen in _HYPHEN.finditer(text):
        at = hyphen.start()
        if at < pos:
            continue
        m = _SPLIT.search(text, max(pos, at - _BEFORE), min(size, at + _AFTER))
        if m is not None and m.start(2) == at:
            found.append(m)
            pos = m.end()
    return found


@lru_cache(maxsize=200_000)
def _zipf(word: str, language: str) -> float:
    return wordfreq.zipf_frequency(word, language)


def _best_zipf(word: str, languages: tuple[str, ...]) -> float:
    return max(_zipf(word, lang) for lang in languages)


def decide(left: str, right: str, rules: Rules) -> tuple[str, str]:
    """``("join" | "keep" | "unsure", why)`` for the pair ``left-right``."""
    cfg = rules.config.dehyphenate
    hyphenated = f"{left}-{right}".lower()
    if hyphenated in rules.protected_compounds:
        return "keep", "protected compound"
    if right[0].isupper():
        return "keep", "right part capitalised (name or title)"
    if len(left) > 1 and left.isupper():
        return "keep", "abbreviation on the left"
    joined = (left + right).lower()
    z_joined = _best_zipf(joined, cfg.languages)
    z_hyphenated = _best_zipf(hyphenated, cfg.languages)
    z_right = _best_zipf(right.lower(), cfg.languages)
    if left.lower() in rules.hyphen_prefixes and z_right >= cfg.min_joined_zipf:
        return "keep", f"prefix compound ({left.lower()}- + a word)"
    scores = f"zipf {joined}={z_joined:.2f}, {hyphenated}={z_hyphenated:.2f}"
    if z_joined >= cfg.min_joined_zipf and z_joined - z_hyphenated >= cfg.min_zipf_gain:
        return "join", scores
    z_left = _best_zipf(left.lower(), cfg.languages)
    if z_hyphenated == 0.0 and min(z_left, z_right) < 2.0 and z_joined > 0.0:
        # fragments that are no words, yet the lexicon does not vouch for the join
        return "unsure", scores
    return "keep", scores


def dehyphenate(text: str, rules: Rules) -> list[Edit]:
    """Join layout-broken words; flag the ones the lexicon cannot decide."""
    if "-" not in text and "\u2010" not in text:
        return []
    edits: list[Edit] = []
    for m in _splits(text):
        left, hyphen, newline, right = m.groups()
        verdict, why = decide(left, right, rules)
        word = f"{left}{hyphen}{newline}{right}"
        if verdict == "join":
            edits.append(Edit(m.start(2), m.end(3), "", "layout_hyphen", f"{word!r}: {why}"))
        elif verdict == "unsure":
            edits.append(flag(m.start(2), m.end(3), "unresolved_hyphen", f"{word!r}: {why}"))
    return edits
