"""MinHash fingerprints for near-duplicate detection across the corpus.

Two kinds, both computed per document (in the normalize workers, so the
corpus pass only groups small integer keys):

- the whole body: word 5-gram shingles, 112 permutations in 14 bands of 8
  rows (FineWeb/datatrove's setting), for copies of the same article;
- each quoted remark of at least ``MIN_REMARK_WORDS`` words: character
  5-gram shingles, 60 permutations in 20 bands of 3 rows, for articles that
  carry the same remarks in other words around them (seeds 000 and 004).

Documents sharing a band key are candidates; the validate stage then computes
the exact Jaccard similarity of the shingle sets and keeps pairs at or above
the thresholds below. MinHash only finds candidates: the similarity reported
is always the exact one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from seedclean.extract import casing, kernels
from seedclean.extract.body import words_of

SCHEME = "affine32"
DOC_SHINGLE_WORDS = 5
DOC_BANDS, DOC_ROWS = 14, 8
#: word 5-gram Jaccard at or above which two bodies are near-duplicates
DOC_THRESHOLD = 0.8

REMARK_SHINGLE_CHARS = 5
REMARK_BANDS, REMARK_ROWS = 20, 3
MIN_REMARK_WORDS = 6
MAX_REMARKS = 8
#: character 5-gram Jaccard at or above which two quotes are the same remark
#: (000/004 share one at 0.56; unrelated quotes of the seeds stay below 0.11)
REMARK_THRESHOLD = 0.4

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    """The casefolded ``\\w+`` words of ``text``: one casefold of the whole
    text when that gives the same words (nearly always), else word by word."""
    if casing.keeps_words(text, "casefold"):
        return _WORD.findall(text.casefold())
    return list(map(str.casefold, _WORD.findall(text)))


def _shingles(words: list, join) -> list:
    """The word 5-grams of ``words`` joined by ``join``, repeats included."""
    n = DOC_SHINGLE_WORDS
    if len(words) < n:
        return [join(words)] if words else []
    # zip of n shifted views (it stops at the shortest): the n-grams without a slice per position
    return list(map(join, zip(*(words[i:] for i in range(n)), strict=False)))


def doc_shingles(text: str) -> set[str]:
    return set(_shingles(_words(text), " ".join))


def remarks(text: str) -> list[str]:
    """Quoted remarks of at least MIN_REMARK_WORDS words, longest first."""
    found = [q.strip() for q in kernels.quotations(text) if kernels.word_count(q) >= MIN_REMARK_WORDS]
    return sorted(dict.fromkeys(found), key=len, reverse=True)[:MAX_REMARKS]


def remark_shingles(remark: str) -> set[str]:
    flat = " ".join(_words(remark))
    n = REMARK_SHINGLE_CHARS
    return {flat[i : i + n] for i in range(max(len(flat) - n + 1, 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


# datasketch's "affine32" MinHash (seed 1, crc32 shingle hashes), computed
# without datasketch: importing it pulls in scipy (through its LSH modules),
# ~55 MiB per worker process for four lines of arithmetic. The shingles are
# hashed by extract/kernels.py (compiled when built) straight from the words
# or characters, without a string per shingle.
# tests/extract/test_fingerprints.py checks the values against datasketch.
_SEED = 1


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[bytes, bytes]:
    """The permutations' a and b, as uint32 arrays in bytes (native order)."""
    import numpy as np

    # the same draws, in the same order, as datasketch.MinHash(seed=1, scheme="affine32")
    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a.tobytes(), b.tobytes()


def minhash(shingles: set[str], num_perm: int):
    """The MinHash signature (uint32 array) of a non-empty shingle set."""
    import numpy as np

    # each shingle a 1-gram of its own
    values = kernels.word_shingle_signature(list(shingles), 1, *_permutations(num_perm))
    return np.frombuffer(values, dtype=np.uint32).copy()


def _keys(values: bytes, bands: int, rows: int, salt: bytes) -> list[int]:
    """The LSH band keys of one signature (uint32 minima, native order)."""
    return kernels.band_keys(values, bands, rows, salt)


def doc_keys(body: str, words: list[str] | None = None) -> list[int]:
    """LSH band keys of the body (empty for a body of no words); ``words``:
    the body's ``\\w+`` words, when the caller has them already."""
    # the casefolded body's words hashed in the one pass over the body that
    # also counts its words (in C when built: no folded copy, no string per word)
    values = words_of(body).doc_signature
    if values is None:  # casefolding the whole body would change its words
        folded = list(map(str.casefold, _WORD.findall(body) if words is None else words))
        values = kernels.word_shingle_signature(folded, DOC_SHINGLE_WORDS, *_permutations(DOC_BANDS * DOC_ROWS))
    if not values:
        return []
    return _keys(values, DOC_BANDS, DOC_ROWS, b"d")


def remark_keys(body: str) -> list[int]:
    """LSH band keys of the body's quoted remarks, sorted, each once."""
    keys: set[int] = set()
    permutations = _permutations(REMARK_BANDS * REMARK_ROWS)
    for remark in remarks(body):
        # remark_shingles' 5-grams of the casefolded words, joined and hashed
        # in C when built (no str of the words)
        values = kernels.remark_signature(remark, REMARK_SHINGLE_CHARS, *permutations)
        keys.update(_keys(values, REMARK_BANDS, REMARK_ROWS, b"r"))
    return sorted(keys)
