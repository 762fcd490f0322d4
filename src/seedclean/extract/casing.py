"""Whether lowering or casefolding a whole text gives its words lowered or
casefolded one by one.

A word list is built and folded word by word only when this says no: folding
the whole text (one C call) and reading the words from the result is
otherwise the same and much cheaper. It is the same when every character
folds to characters that are word characters exactly when it is one ("İ"
lowers to "i" and a combining dot, which is not one: "i̇stanbul" would become
two words), and when no character folds by its context (in Python only "Σ",
whose lowercase depends on whether it ends a word).
"""

from __future__ import annotations

import re

from seedclean.extract import kernels

_WORD_CHAR = re.compile(r"\w")
_CONTEXTUAL = {"lower": frozenset("Σ"), "casefold": frozenset()}
_keeps: dict[tuple[str, str], bool] = {}


def _char_keeps_words(char: str, how: str) -> bool:
    if char in _CONTEXTUAL[how]:
        return False
    is_word = _WORD_CHAR.match(char) is not None
    return all((_WORD_CHAR.match(c) is not None) == is_word for c in getattr(char, how)())


# the last text asked about and its distinct non-ASCII characters: the body
# is asked about for lower() and for casefold()
_last: list = [None, frozenset()]


def non_ascii(text: str) -> frozenset[str]:
    """The distinct non-ASCII characters of ``text`` (in C when built)."""
    last = _last  # one read: another thread may replace the pair
    if last[0] is not text:
        last = [text, kernels.non_ascii(text)]
        _last[:] = last
    return last[1]


def keeps_words(text: str, how: str) -> bool:
    """Whether the ``\\w+`` words of ``getattr(text, how)()`` are those of
    ``text``, each folded on its own (``how``: "lower" or "casefold")."""
    if text.isascii():
        return True
    for char in non_ascii(text):  # ASCII folds in place
        keeps = _keeps.get((char, how))
        if keeps is None:
            keeps = _keeps[char, how] = _char_keeps_words(char, how)
        if not keeps:
            return False
    return True
