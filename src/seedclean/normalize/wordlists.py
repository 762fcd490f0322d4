"""Word lists shipped in ``seedclean/data`` that the accuracy rules read.

Kept apart from :mod:`seedclean.normalize.rules` (the user-extendable rule
files) because these are linguistic facts, not site rules: suffixes that
never stand alone, stop words by language. Loaded once per process.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("seedclean.data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def word_set(name: str) -> frozenset[str]:
    """The lower-cased entries of a one-word-a-line data file."""
    return frozenset(line.lower() for line in _lines(name))
