"""The numpy MinHash in extract/fingerprints.py must give datasketch's values
(scheme affine32, seed 1, crc32): published band keys depend on them."""

from __future__ import annotations

import hashlib
import re
import zlib

from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED
from seedclean.extract import fingerprints
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


def _keys_as_defined(body: str) -> list[int]:
    shingles = fingerprints.doc_shingles(body)
    if not shingles:
        return []
    values = minhash(shingles, DOC_BANDS * DOC_ROWS).astype("<u4")
    return [
        int.from_bytes(
            hashlib.blake2b(
                b"d" + bytes([band]) + values[band * DOC_ROWS : (band + 1) * DOC_ROWS].tobytes(), digest_size=8
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(DOC_BANDS)
    ]


def test_doc_keys_equal_their_definition_on_real_text() -> None:
    paths = sorted(SEEDS.glob("*.txt"))
    if (SHARED / "corpora").is_dir():
        paths += sorted((SHARED / "corpora" / "dehyphen-dev").rglob("*.txt"))[:100]
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert fingerprints._words(text) == _words_as_defined(text)
        assert fingerprints.doc_keys(text) == _keys_as_defined(text)
    assert fingerprints.doc_keys("") == [] and fingerprints.doc_keys("one two") == _keys_as_defined("one two")
