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

import hashlib
import itertools
import re
import zlib
from collections.abc import Collection
from functools import lru_cache

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
_QUOTE = re.compile(r"[“\"„]([^“”\"„\n]{10,}?)[”\"]")


# Whether casefolding a character gives characters that are word characters
# exactly when it is one: then folding the whole text keeps the same words
# ("İ" folds to "i" and a combining dot, which is not one: "i̇stanbul" would
# become two words).
_folds_in_place: dict[str, bool] = {}
_ASCII = bytes(range(128))


def _fold_keeps_words(char: str) -> bool:
    is_word = _WORD.match(char) is not None
    return all((_WORD.match(c) is not None) == is_word for c in char.casefold())


def _words(text: str) -> list[str]:
    """The casefolded ``\\w+`` words of ``text``: one casefold of the whole
    text when that gives the same words (nearly always), else word by word."""
    if not text.isascii():
        # the distinct non-ASCII characters (ASCII folds in place)
        for char in set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass")):
            keeps = _folds_in_place.get(char)
            if keeps is None:
                keeps = _folds_in_place[char] = _fold_keeps_words(char)
            if not keeps:
                return list(map(str.casefold, _WORD.findall(text)))
    return _WORD.findall(text.casefold())


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
    found = [q.strip() for q in _QUOTE.findall(text) if len(_WORD.findall(q)) >= MIN_REMARK_WORDS]
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
# here with numpy alone: importing datasketch pulls in scipy (through its LSH
# modules), ~55 MiB per worker process for four lines of arithmetic.
# tests/extract/test_fingerprints.py checks the values against datasketch.
_SEED = 1
_FMIX32 = (16, 2246822507, 13, 3266489909, 16)  # MurmurHash3's 32-bit finalizer


@lru_cache(maxsize=4)
def _permutations(num_perm: int):
    import numpy as np

    # the same draws, in the same order, as datasketch.MinHash(seed=1, scheme="affine32")
    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def minhash(shingles: set[str], num_perm: int):
    """The MinHash signature (uint32 array) of a non-empty shingle set."""
    return _signature(set(map(str.encode, shingles)), num_perm)


def _signature(encoded: Collection[bytes], num_perm: int):
    """:func:`minhash` of shingles already in UTF-8."""
    return _signatures([encoded], num_perm)[0]


def _signatures(sets: list[Collection[bytes]], num_perm: int):
    """The signatures (one row each) of non-empty shingle sets (or lists:
    a repeat changes no minimum), in one numpy pass: an article's remarks
    are hashed together."""
    import numpy as np

    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
    sizes = [len(shingles) for shingles in sets]
    # crc32 (in C) instead of datasketch's default sha1 per shingle: 32 bits
    # either way, and the shingle hashing was most of the cost per article
    hv = np.fromiter(map(zlib.crc32, itertools.chain.from_iterable(sets)), dtype=np.uint32, count=sum(sizes))
    hv ^= hv >> s1
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    a, b = _permutations(num_perm)
    values = np.multiply.outer(hv, a)
    values += b
    # a minimum does not depend on the order of the shingles: no sort needed
    starts = np.cumsum([0, *sizes[:-1]])
    return np.minimum.reduceat(values, starts, axis=0)


def _keys(values, bands: int, rows: int, salt: bytes) -> list[int]:
    """The LSH band keys of one signature."""
    data = values.astype("<u4", copy=False).tobytes()
    width = rows * 4
    return [
        int.from_bytes(
            hashlib.blake2b(salt + bytes([band]) + data[band * width : (band + 1) * width], digest_size=8).digest(),
            "little",
            signed=True,
        )
        for band in range(bands)
    ]


def _band_keys(encoded: Collection[bytes], bands: int, rows: int, salt: bytes) -> list[int]:
    if not encoded:
        return []
    return _keys(_signature(encoded, bands * rows), bands, rows, salt)


def doc_keys(body: str, words: list[str] | None = None) -> list[int]:
    """LSH band keys of the body (empty for a body of no words); ``words``:
    the body's ``\\w+`` words, when the caller has them already."""
    folded = _words(body) if words is None else map(str.casefold, words)
    # the shingles joined from words already in UTF-8 (one encode per word,
    # not per shingle), repeats kept: a minimum is the same without them
    return _band_keys(_shingles(list(map(str.encode, folded)), b" ".join), DOC_BANDS, DOC_ROWS, b"d")


def remark_keys(body: str) -> list[int]:
    """LSH band keys of the body's quoted remarks, sorted, each once."""
    sets = []
    for remark in remarks(body):
        flat = " ".join(_words(remark))
        if flat.isascii():  # a character is a byte: the 5-grams of the bytes are the encoded 5-grams
            data = flat.encode()
            n = REMARK_SHINGLE_CHARS
            sets.append({data[i : i + n] for i in range(max(len(data) - n + 1, 1))})
        else:
            sets.append(set(map(str.encode, remark_shingles(remark))))
    if not sets:
        return []
    keys: set[int] = set()
    for values in _signatures(sets, REMARK_BANDS * REMARK_ROWS):
        keys.update(_keys(values, REMARK_BANDS, REMARK_ROWS, b"r"))
    return sorted(keys)
