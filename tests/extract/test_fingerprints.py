"""The numpy MinHash in extract/fingerprints.py must give datasketch's values
(scheme affine32, seed 1, crc32): published band keys depend on them."""

from __future__ import annotations

import zlib

from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

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
