"""The extract stage's inner loops: a pure-Python definition of each, and the
compiled one from ``_native.c`` when it is built.

The definitions below are what the functions mean; ``_native`` computes the
same results faster (tests/extract/test_kernels.py holds the two together on
the dev corpora and on generated text). The compiled module is used unless it
is missing or ``SEEDCLEAN_PURE=1`` is set.
"""

from __future__ import annotations

import array
import hashlib
import os
import re
import sys
import zlib
from collections import Counter
from types import ModuleType
from typing import Any

_WORD = re.compile(r"\w+")
# Gopher's alphabetic words: whitespace-separated tokens holding a letter ([^\W\d_])
_LETTER_TOKEN = re.compile(r"[^\W\d_]\S*")
_FMIX32 = (16, 2246822507, 13, 3266489909, 16)  # MurmurHash3's 32-bit finalizer


def _signature(shingles: list[bytes], a: bytes, b: bytes) -> bytes:
    """The MinHash minima (uint32, native order) of ``shingles`` under the
    affine32 permutations ``a``, ``b`` (uint32 arrays as bytes), each shingle
    hashed with crc32 and MurmurHash3's finalizer."""
    import numpy as np

    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
    hv = np.fromiter(map(zlib.crc32, shingles), dtype=np.uint32, count=len(shingles))
    hv ^= hv >> s1
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    values = np.multiply.outer(hv, np.frombuffer(a, dtype=np.uint32))
    values += np.frombuffer(b, dtype=np.uint32)
    return values.min(axis=0).tobytes()


def word_shingle_signature(words: list[str], n: int, a: bytes, b: bytes) -> bytes:
    """MinHash minima of the ``n``-grams of ``words`` joined by a space (one
    shingle of all the words when there are fewer than ``n``); empty bytes for
    no words."""
    if not words:
        return b""
    encoded = [word.encode() for word in words]
    width = min(n, len(encoded))
    # zip of the shifted lists (it stops at the shortest): the n-grams without a slice each
    return _signature(list(map(b" ".join, zip(*(encoded[i:] for i in range(width)), strict=False))), a, b)


def text_shingle_signature(text: str, n: int, a: bytes, b: bytes) -> bytes:
    """:func:`word_shingle_signature` of the ``\\w+`` words of ``text``."""
    return word_shingle_signature(_WORD.findall(text), n, a, b)


def count_words_in(text: str, words: frozenset[str] | set[str]) -> int:
    """How many of the ``\\w+`` words of ``text`` are in ``words``."""
    return sum(map(words.__contains__, _WORD.findall(text)))


def count_lowered_words_in(text: str, words: frozenset[str] | set[str]) -> int:
    """:func:`count_words_in` of ``text.lower()``."""
    return count_words_in(text.lower(), words)


def char_shingle_signature(text: str, n: int, a: bytes, b: bytes) -> bytes:
    """MinHash minima of the UTF-8 of the character ``n``-grams of ``text``
    (one shingle of all of it when it is shorter than ``n``)."""
    return _signature([text[i : i + n].encode() for i in range(max(len(text) - n + 1, 1))], a, b)


def remark_signature(text: str, n: int, a: bytes, b: bytes) -> bytes:
    """:func:`char_shingle_signature` of the casefolded ``\\w+`` words of
    ``text`` joined by a space."""
    return char_shingle_signature(" ".join(word.casefold() for word in _WORD.findall(text)), n, a, b)


_SPACES = re.compile(r"\s+")


def title_line(text: str, key: str) -> bool | None:
    """Whether a line of ``text`` (split at "\\n") reads ``key`` once its
    runs of whitespace are one space, stripped and casefolded; None when
    ``text.casefold()`` is not as long as ``text``."""
    if len(text.casefold()) != len(text):
        return None
    return any(_SPACES.sub(" ", line).strip().casefold() == key for line in text.split("\n"))


def band_keys(values: bytes, bands: int, rows: int, salt: bytes) -> list[int]:
    """The LSH band keys of a signature (``values``: uint32 minima, native
    order): per band, the 8-byte blake2b of ``salt``, the band's number and
    its rows as little-endian uint32, read as a signed little-endian integer."""
    if sys.byteorder != "little":
        swapped = array.array("I", values)
        swapped.byteswap()
        values = swapped.tobytes()
    width = rows * 4
    return [
        int.from_bytes(
            hashlib.blake2b(salt + bytes([band]) + values[band * width : (band + 1) * width], digest_size=8).digest(),
            "little",
            signed=True,
        )
        for band in range(bands)
    ]


def langid_features(
    data: bytes, nextmove: Any, rowbase: Any, out: Any, n_features: int, depth: int
) -> tuple[bytes, bytes]:
    """py3langid's ``visit_counts``: the features its byte automaton
    (``nextmove``, ``rowbase``: uint32 arrays; ``out``: int32, the feature a
    state emits or -1; ``depth``: its longest feature, in bytes) emits while
    reading ``data``, and how often. Returns (ids as int32, counts as
    float32) in the order of each feature's first occurrence."""
    import numpy as np

    nextmove, rowbase, out = (np.asarray(x) for x in (nextmove, rowbase, out))
    text = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
    size = len(text)
    # The automaton is Aho-Corasick: the state after a byte depends only on
    # the last ``depth`` bytes, so the states of all positions are found at
    # once with ``depth`` gathers (positions before `back` are not that far in yet)
    state = np.zeros(size, dtype=np.intp)
    for back in range(min(depth, size) - 1, -1, -1):
        state[back:] = nextmove[rowbase[state[back:]] + text[: size - back]]
    emitted = out[state].astype(np.int64)
    if np.any(emitted >= n_features):
        raise ValueError("the automaton emits a feature outside the table")
    where = np.flatnonzero(emitted >= 0)
    if not len(where):
        return b"", b""
    # one sort of (feature, position) keys: each feature's run starts at its first position
    keys = np.sort((emitted[where] << 32) + where)
    features = keys >> 32
    starts = np.flatnonzero(np.concatenate(([True], features[1:] != features[:-1])))
    counts = np.diff(np.append(starts, len(keys)))
    order = np.argsort(keys[starts] & ((1 << 32) - 1))
    return features[starts][order].astype(np.int32).tobytes(), counts[order].astype(np.float32).tobytes()


def class_scores(table: Any, ids: bytes, weights: Any, priors: Any, scale: float, scores: Any) -> None:
    """py3langid's float32 steps before its exp, in place on ``scores`` (a
    float32 array): the rows ``ids`` (int32) of a float16 ``table`` of
    ``len(scores)`` columns times ``weights`` (float32), summed row after row
    (each product and each sum rounded to float32); plus the class
    ``priors``, times ``scale`` (numpy casts it to float32), less their maximum."""
    import numpy as np

    half = np.frombuffer(table, dtype=np.float16).reshape(-1, len(scores))
    products = half[np.frombuffer(ids, dtype=np.int32)].astype(np.float32)
    products *= np.frombuffer(weights, dtype=np.float32)[:, None]
    # cumsum adds row after row (a sum over the rows may add them pairwise)
    scores[:] = np.cumsum(products, axis=0)[-1] if len(products) else 0.0
    scores += priors
    scores *= scale
    scores -= scores.max()


def pick_label(scores: Any, total: float, aliases: bytes) -> tuple[int, float]:
    """py3langid's float32 steps after its exp, in place on ``scores`` (a
    float32 array): over their ``total`` (a float32 sum), and each of the
    ``aliases`` (int32 (first, duplicate) column pairs of a repeated label)
    folded into its first column; returns their argmax and its score."""
    import numpy as np

    scores /= np.float32(total)
    for i, j in np.frombuffer(aliases, dtype=np.int32).reshape(-1, 2).tolist():
        scores[i] += scores[j]
        scores[j] = 0.0
    best = int(scores.argmax())
    return best, float(scores[best])


def paragraphs_and_sentences(text: str, abbreviations: frozenset[str]) -> tuple[int, int]:
    """The paragraphs of ``text`` (split at blank lines) holding a word, and
    their sentences (:func:`seedclean.extract.text_stats.sentences`, whose
    periods after one of ``abbreviations`` or an initialism end none)."""
    from seedclean.extract.text_stats import sentences

    paragraphs = [p for p in text.split("\n\n") if _WORD.search(p)]
    return len(paragraphs), sum(len(sentences(p, abbreviations)) for p in paragraphs)


def line_stats(text: str) -> tuple[int, int, int, int, int, int]:
    """Of the stripped non-empty lines of ``text``: how many there are, open
    with a bullet, end with an ellipsis, end with terminal punctuation, are
    at most 30 characters long; and the characters of the repeats of lines
    seen before."""
    from seedclean.extract.text_stats import _BULLET, _TERMINAL

    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return (
        len(lines),
        sum(1 for line in lines if _BULLET.match(line)),
        sum(1 for line in lines if line.endswith(("…", "..."))),
        sum(1 for line in lines if line.endswith(_TERMINAL)),
        sum(1 for line in lines if len(line) <= 30),
        sum(len(line) * (n - 1) for line, n in Counter(lines).items()),
    )


# a quotation: an opening mark, 10 or more characters, a closing mark
_QUOTE = re.compile(r"[“\"„]([^“”\"„\n]{10,}?)[”\"]")


def quotations(text: str) -> list[str]:
    """The quoted passages of ``text`` (the text between the marks)."""
    return _QUOTE.findall(text)


def word_count(text: str) -> int:
    """The number of ``\\w+`` words in ``text`` (normalize's count, which
    reads them from the UTF-8 bytes without a string per word)."""
    from seedclean.normalize.lines import word_count as count

    return count(text)


def token_counts(text: str) -> tuple[int, int, int, int]:
    """(``\\w+`` words, characters in them, whitespace-separated tokens,
    tokens holding a letter)."""
    found = _WORD.findall(text)
    return len(found), sum(map(len, found)), len(text.split()), len(_LETTER_TOKEN.findall(text))


#: what body_words counts (as str.count does) for the quality statistics and the quotes
BODY_MARKS = ("#", "…", "...", "\n", "“", "„", "”", '"')


def body_words(
    text: str, stop_words: frozenset[str] | set[str], n: int, a: bytes, b: bytes
) -> tuple[int, int, int, int, int | None, bytes | None, tuple[int, ...]]:
    """One pass over an article body for the fields that read its words:
    :func:`token_counts`, :func:`count_lowered_words_in` (None unless
    ``casing.keeps_words(text, "lower")``), :func:`text_shingle_signature`
    of ``text.casefold()`` (None unless ``casing.keeps_words(text,
    "casefold")``): where a None stands the caller folds word by word; and
    ``text.count`` of each of :data:`BODY_MARKS`."""
    from seedclean.extract.casing import keeps_words

    stop = count_lowered_words_in(text, stop_words) if keeps_words(text, "lower") else None
    signature = text_shingle_signature(text.casefold(), n, a, b) if keeps_words(text, "casefold") else None
    return (*token_counts(text), stop, signature, tuple(map(text.count, BODY_MARKS)))


_ASCII = bytes(range(128))


def non_ascii(text: str) -> frozenset[str]:
    """The distinct non-ASCII characters of ``text`` (one encode, one
    translate that drops the ASCII bytes: no set of every character)."""
    return frozenset(text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass"))


def non_ascii_runs(text: str, gap: int) -> list[tuple[int, int]]:
    """The (start, end) of each run of ``text`` that opens and closes with
    a non-ASCII character and holds no more than ``gap`` ASCII characters
    in a row: the matches of ``[^\x00-\x7f](?:[\x00-\x7f]{0,gap}[^\x00-\x7f])*``."""
    if gap < 0:
        raise ValueError("gap must be at least 0")
    run = re.compile(rf"[^\x00-\x7f](?:[\x00-\x7f]{{0,{gap}}}[^\x00-\x7f])*")
    return [m.span() for m in run.finditer(text)]


# Every sequence ftfy's badness regex matches holds a non-ASCII character and
# is at most 7 characters long, so it lies within BADNESS_REACH characters of
# one: the regex need only be run around the non-ASCII characters, in runs
# that merge clusters closer than 2 * BADNESS_REACH, so no sequence straddles
# two runs (extract's mojibake count and normalize's mojibake step both do;
# their tests compare with ftfy on the dev corpora and with hypothesis).
BADNESS_REACH = 8


def badness_runs(text: str) -> list[tuple[int, int]]:
    """The runs of ``text`` around which ftfy's badness regex can match: run
    it from ``max(start - BADNESS_REACH, 0)`` to ``end + BADNESS_REACH``."""
    return non_ascii_runs(text, 2 * BADNESS_REACH - 1)


def solid_among(text: str, words: list[str]) -> set[str]:
    """The ``words`` that ``text`` writes solid (as written or lowered), as
    :class:`seedclean.normalize.dehyphenate.SolidWords` answers them."""
    from seedclean.normalize.dehyphenate import SolidWords

    lookup = SolidWords(text)
    return {word for word in words if word in lookup}


PURE: dict[str, Any] = {
    "word_shingle_signature": word_shingle_signature,
    "text_shingle_signature": text_shingle_signature,
    "count_words_in": count_words_in,
    "count_lowered_words_in": count_lowered_words_in,
    "char_shingle_signature": char_shingle_signature,
    "remark_signature": remark_signature,
    "title_line": title_line,
    "band_keys": band_keys,
    "langid_features": langid_features,
    "class_scores": class_scores,
    "pick_label": pick_label,
    "paragraphs_and_sentences": paragraphs_and_sentences,
    "line_stats": line_stats,
    "quotations": quotations,
    "word_count": word_count,
    "token_counts": token_counts,
    "body_words": body_words,
    "solid_among": solid_among,
    "non_ascii": non_ascii,
    "non_ascii_runs": non_ascii_runs,
}


def _native() -> ModuleType | None:
    if os.environ.get("SEEDCLEAN_PURE") == "1":
        return None
    try:
        from seedclean.extract import _native as module
    except ImportError:
        return None
    # a module built from an older _native.c (an editable install not rebuilt)
    # lacks some functions: then none of it is used
    if not all(hasattr(module, name) for name in PURE):
        return None
    return module


#: the compiled module in use, or None
NATIVE = _native()
if NATIVE is not None:
    globals().update({name: getattr(NATIVE, name) for name in PURE})
