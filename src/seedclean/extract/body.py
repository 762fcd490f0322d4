"""One pass over an article body's characters for every field that reads
its words: the word and token counts, Gopher's stop words, the MinHash doc
shingles, and the marks the quality statistics and the quotes count (each
walked the body on its own before, and the stop words and shingles each made
a folded copy of it first).

:func:`words_of` keeps the last body's results: the counts, the quality
statistics and the doc keys each ask for the same body in turn.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from seedclean.extract import kernels


@lru_cache(maxsize=8)
def data_words(name: str) -> frozenset[str]:
    """A word list shipped in seedclean/data, one word a line (# comments)."""
    text = resources.files("seedclean.data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


class BodyWords(NamedTuple):
    words: int  # \w+ words
    word_chars: int  # characters in them
    tokens: int  # what str.split() keeps
    letter_tokens: int  # tokens holding a letter
    stop_words: int | None  # Gopher's stop words among the lowered words; None: lower word by word
    doc_signature: bytes | None  # MinHash minima of the casefolded word 5-grams; None: fold word by word
    marks: tuple[int, ...]  # how often each of kernels.BODY_MARKS stands in it (str.count)


# the last body and its words: one read of the pair, as another thread may replace it
_last: list = [None, None]


def words_of(body: str) -> BodyWords:
    """:func:`kernels.body_words` of ``body`` with the shipped stop words and
    the doc keys' permutations (in C when built)."""
    last = _last
    if last[0] is not body:
        # (fingerprints reads this module's results: imported here, not above)
        from seedclean.extract import fingerprints as fp

        permutations = fp._permutations(fp.DOC_BANDS * fp.DOC_ROWS)
        found = kernels.body_words(body, data_words("stopwords_gopher.txt"), fp.DOC_SHINGLE_WORDS, *permutations)
        last = [body, BodyWords(*found)]
        _last[:] = last
    return last[1]
