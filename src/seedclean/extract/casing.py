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

_WORD_CHAR = re.compile(r"\w")
_ASCII = bytes(range(128))
_CONTEXTUAL = {"lower": frozenset("Σ"), "casefold": frozenset()}
_keeps: dict[tuple[str, str], bool] = {}


def _char_keeps_words(char: str, how: str) -> bool:
    if char in _CONTEXTUAL[how]:
        return False
    is_word = _WORD_CHAR.match(char) is not None
    return all((_WORD_CHAR.match(c) is not None) == is_word for c in getattr(char, how)())


def keeps_words(text: str, how: str) -> bool:
    """Whether the ``\\w+`` words of ``getattr(text, how)()`` are those of
    ``text``, each folded on its own (``how``: "lower" or "casefold")."""
    if text.isascii():
        return True
    # the distinct non-ASCII characters (ASCII folds in place), without a set of every character
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass")
    for char in set(rest):
        keeps = _keeps.get((char, how))
        if keeps is None:
            keeps = _keeps[char, how] = _char_keeps_words(char, how)
        if not keeps:
            return False
    return True
