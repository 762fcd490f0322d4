"""The numpy MinHash in extract/fingerprints.py must give datasketch's values
(scheme affine32, seed 1, crc32): published band keys depend on them."""

from __future__ import annotations

import hashlib
import re
import zlib

from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.extract import fingerprints, text_stats
from seedclean.extract.fingerprints import DOC_BANDS, DOC_ROWS, REMARK_BANDS, REMARK_ROWS, minhash


@settings(max_examples=200, deadline=None)
@given(
    shingles=st.sets(st.text(min_size=1, max_size=20), min_size=1, max_size=200),
    num_perm=st.sampled_from([DOC_BANDS * DOC_ROWS, REMARK_BANDS * REMARK_ROWS]),
)
def test_minhash_equals_datasketch(shingles: set[str], num_perm: int) -> None:
    reference = MinHash(num_perm=num_perm, seed=1, scheme="affine32", hashfunc=zlib.crc32)
    reference.update_batch([s.encode("utf-8") for s in shingles])
    ours = minhash(shingles, num_perm)
    assert ours.dtype == reference.hashvalues.dtype
    assert ours.tolist() == reference.hashvalues.tolist()


# --- the words are casefolded in one pass when that gives the same words ---


def _words_as_defined(text: str) -> list[str]:
    return [word.casefold() for word in re.findall(r"\w+", text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZ 1_-.İıßẞΣσςǅﬁŉ\u0307\u0130Kk\u212aÅé中", max_size=60) | st.text(max_size=60))
def test_words_equal_their_definition(text: str) -> None:
    assert fingerprints._words(text) == _words_as_defined(text)


def _band_keys_as_defined(shingles: set[str], bands: int, rows: int, salt: bytes) -> list[int]:
    if not shingles:
        return []
    values = minhash(shingles, bands * rows).astype("<u4")
    return [
        int.from_bytes(
            hashlib.blake2b(
                salt + bytes([band]) + values[band * rows : (band + 1) * rows].tobytes(), digest_size=8
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(bands)
    ]


def _keys_as_defined(body: str) -> list[int]:
    return _band_keys_as_defined(fingerprints.doc_shingles(body), DOC_BANDS, DOC_ROWS, b"d")


def _remark_keys_as_defined(body: str) -> list[int]:
    keys: set[int] = set()
    for remark in fingerprints.remarks(body):
        keys.update(_band_keys_as_defined(fingerprints.remark_shingles(remark), REMARK_BANDS, REMARK_ROWS, b"r"))
    return sorted(keys)


def test_doc_keys_equal_their_definition_on_real_text(dev_texts) -> None:
    for _path, text in dev_texts:
        assert fingerprints._words(text) == _words_as_defined(text)
        expected = _keys_as_defined(text)
        assert fingerprints.doc_keys(text) == expected
        assert fingerprints.doc_keys(text, text_stats.words(text)) == expected
        assert fingerprints.remark_keys(text) == _remark_keys_as_defined(text)
    assert fingerprints.doc_keys("") == [] and fingerprints.doc_keys("one two") == _keys_as_defined("one two")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["“", "”", '"', "word", "Straße", "İstanbul", "ok", " ", "\n", "café", "1,2"]), max_size=40
    )
)
def test_remark_keys_equal_their_definition(parts: list[str]) -> None:
    text = " ".join(parts)
    assert fingerprints.remark_keys(text) == _remark_keys_as_defined(text)
