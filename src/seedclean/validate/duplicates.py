"""Near-duplicate and shared-remark groups across a normalized corpus.

Pass 1 streams ``documents.jsonl`` and keeps only each document's MinHash
band keys (integers, see ``extract/fingerprints.py``) in flat numpy arrays.
Documents sharing a key are candidates: the keys are sorted once and each
bucket's members are paired with its first member, in numpy, so a corpus of a
million documents costs a sort, not a Python loop per key. Pass 2 verifies
candidates against the *exact* Jaccard similarity of their shingle sets, read
back from the cleaned ``.txt`` files, and joins pairs at or above the
threshold into groups (union-find). A group is named after its first document
in corpus order.

Exact verification reads and shingles both texts, about half a millisecond a
document. Each kind gets ``EXACT_PAIRS`` exact verifications, spent on the
candidates the LSH estimate is least sure of (the share of bands two
documents share is about s**rows, so s ~ (shared / bands) ** (1 / rows));
the other candidates are judged by that estimate and marked as estimated in
the outputs. Below ``EXACT_PAIRS`` candidates every pair is exact.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from seedclean.document import split_title
from seedclean.extract import fingerprints
from seedclean.validate.tables import json_rows


@dataclass
class Groups:
    """One kind of grouping: per document, its group (or None) and the best
    exact similarity to another member."""

    kind: str
    threshold: float
    group: list[str | None] = field(default_factory=list)
    similarity: list[float] = field(default_factory=list)
    #: pairs at the threshold (a, b, similarity, estimated?), for the report
    pairs: list[tuple[str, str, float, bool]] = field(default_factory=list)
    candidates: int = 0
    estimated: int = 0  # candidates judged by the LSH estimate, past EXACT_PAIRS

    @property
    def estimated_pairs(self) -> int:
        return sum(pair[3] for pair in self.pairs)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the root is the earliest document


#: candidate pairs per kind verified with the exact Jaccard similarity (in corpus order)
EXACT_PAIRS = 3_000
#: how near_duplicates.json says its similarities were computed
SIMILARITY = (
    "exact Jaccard similarity of shingle sets, candidates from MinHash LSH; past candidates_verified, "
    "pairs marked estimated have the LSH estimate (shared bands / bands) ** (1 / rows)"
)


#: the keys are sorted in this many passes (by their low bits), so the sort's
#: temporaries for 54M remark keys (a million documents) take a 32nd of the memory
PASSES = 32


def split_passes(keys: np.ndarray, docs: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(keys, docs) of each pass: the keys whose low bits are the pass's number."""
    keys = np.ascontiguousarray(keys, dtype=np.int64)
    # the low byte of each little-endian key, without an 8-byte temporary per key
    low = keys.view(np.uint8)[:: keys.itemsize] if sys.byteorder == "little" else keys.astype(np.uint8)
    passes = low & (PASSES - 1)
    del low
    for part in range(PASSES):
        chosen = passes == part
        yield keys[chosen], docs[chosen]


def _candidate_pairs(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, other, shared keys) of the document pairs that share a key,
    sorted: each bucket's members are paired with the bucket's first member
    only, so a bucket of n costs n. ``docs`` must be ascending (as collected)."""
    return candidate_pairs(split_passes(keys, docs))


def candidate_pairs(parts: Iterable[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """_candidate_pairs over parts that each hold every occurrence of their
    keys (docs ascending within a part), e.g. ``split_passes``.

    Each part numbers its keys with a hash table (pandas' factorize: no sort
    of the 64-bit keys) and sorts (number << 32 | document) as one int64,
    which numpy's vectorised sort does several times faster than an argsort
    or lexsort of the keys; its pairs are merged into the others' as (pair, count)."""
    import pandas as pd

    found, counts = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    for part_keys, part_docs in parts:
        codes = pd.factorize(part_keys)[0].astype(np.int64)
        packed = np.sort((codes << 32) | part_docs.astype(np.int64))
        del codes, part_keys, part_docs
        part_keys, part_docs = packed >> 32, packed & 0xFFFFFFFF
        del packed
        starts = np.flatnonzero(np.r_[True, part_keys[1:] != part_keys[:-1]]) if part_keys.size else np.empty(0, int)
        del part_keys
        first = np.repeat(part_docs[starts], np.diff(np.r_[starts, part_docs.size]))
        linked = part_docs != first  # a document listing a key twice is no pair with itself
        pairs, shared = np.unique((first[linked] << 32) | part_docs[linked], return_counts=True)
        del first, linked, part_docs
        # merged pass by pass: the passes' pairs overlap, and all of them at once were the peak
        found, where = np.unique(np.concatenate([found, pairs]), return_inverse=True)
        counts = np.bincount(where, weights=np.concatenate([counts, shared]), minlength=len(found)).astype(np.int64)
    return found >> 32, found & 0xFFFFFFFF, counts


def _group(
    kind: str,
    threshold: float,
    ids: list[str],
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray],
    similarity: Callable[[int, int], float],
    estimate: Callable[[np.ndarray], np.ndarray],
    exact_pairs: int = EXACT_PAIRS,
) -> Groups:
    result = Groups(kind, threshold)
    firsts, others, shared = candidates
    result.candidates = len(firsts)
    scores = np.round(estimate(shared), 4)
    # the exact similarity goes to the pairs the estimate is least sure of
    # (closest to the threshold; ties in corpus order)
    exact = np.sort(np.argsort(np.abs(scores - threshold), kind="stable")[:exact_pairs])
    for i in exact:
        scores[i] = round(similarity(int(firsts[i]), int(others[i])), 4)
    estimated = np.ones(len(firsts), dtype=bool)
    estimated[exact] = False
    result.estimated = int(estimated.sum())
    best = np.zeros(len(ids))
    union = _UnionFind(len(ids))
    for i in np.flatnonzero(scores >= threshold):
        a, b, score = int(firsts[i]), int(others[i]), float(scores[i])
        union.union(a, b)
        best[a], best[b] = max(best[a], score), max(best[b], score)
        result.pairs.append((ids[a], ids[b], score, bool(estimated[i])))
    roots = [union.find(i) for i in range(len(ids))]
    sizes: dict[int, int] = {}
    for root in roots:
        sizes[root] = sizes.get(root, 0) + 1
    result.group = [ids[root] if sizes[root] > 1 else None for root in roots]
    result.similarity = best.tolist()
    return result


def _band_estimate(bands: int, rows: int) -> Callable[[np.ndarray], np.ndarray]:
    def estimate(shared: np.ndarray) -> np.ndarray:
        return np.minimum(shared / bands, 1.0) ** (1.0 / rows)

    return estimate


class KeyCollector:
    """Collects the MinHash keys of documents as they stream by, in flat
    growing arrays (12 bytes a key, no object per document), so the caller
    parses documents.jsonl once."""

    def __init__(self) -> None:
        self.loaders: dict[str, Callable[[], Iterator[tuple[np.ndarray, np.ndarray]]]] = {}
        self.ids: list[str] = []
        self.paths: list[str] = []
        self.doc_keys, self.doc_owner = array("q"), array("i")
        self.remark_keys, self.remark_owner = array("q"), array("i")

    @classmethod
    def from_loaders(
        cls,
        ids: Sequence[str],
        paths: Sequence[str],
        doc_keys: Callable[[], Iterator[tuple[np.ndarray, np.ndarray]]],
        remark_keys: Callable[[], Iterator[tuple[np.ndarray, np.ndarray]]],
    ) -> KeyCollector:
        """A collector whose keys of each kind are read when needed (the side
        tables), as parts of (keys, owners) each holding every occurrence of
        its keys (see ``split_passes``), so a part at a time is in memory."""
        collected = cls()
        collected.ids, collected.paths = ids, paths
        collected.loaders = {"doc": doc_keys, "remarks": remark_keys}
        return collected

    def add(self, record: dict) -> None:
        index = len(self.ids)
        self.ids.append(record["id"])
        self.paths.append(record["path"])
        for source, keys, owner in (
            (record.get("minhash_doc") or [], self.doc_keys, self.doc_owner),
            (record.get("minhash_remarks") or [], self.remark_keys, self.remark_owner),
        ):
            keys.extend(source)
            owner.extend(repeat(index, len(source)))


def find_groups(
    out_dir: Path, collected: KeyCollector | None = None, exact_pairs: int = EXACT_PAIRS
) -> tuple[list[str], Groups, Groups]:
    """(document ids in corpus order, near-duplicate groups, shared-remark groups).

    ``collected`` holds the keys of every document of ``out_dir`` when the
    caller already streamed documents.jsonl; otherwise it is read here."""
    if collected is None:
        collected = KeyCollector()
        for record in json_rows(out_dir / "documents.jsonl"):
            collected.add(record)
    ids, paths = collected.ids, collected.paths
    doc_keys, doc_owner = collected.doc_keys, collected.doc_owner
    remark_keys, remark_owner = collected.remark_keys, collected.remark_owner

    def flat(values: array, dtype: type) -> np.ndarray:
        return np.frombuffer(values, dtype=dtype) if len(values) else np.empty(0, dtype=dtype)

    def keys(kind: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if kind in collected.loaders:
            return collected.loaders[kind]()
        if kind == "doc":
            return split_passes(flat(doc_keys, np.int64), flat(doc_owner, np.int32))
        return split_passes(flat(remark_keys, np.int64), flat(remark_owner, np.int32))

    @lru_cache(maxsize=2 * EXACT_PAIRS)
    def shingles(index: int) -> tuple[np.ndarray, tuple[frozenset[int], ...]]:
        # shingles as their hashes (stable within this process): a sorted
        # array of 8 bytes a shingle, not a set of strings ten times that
        body = split_title((out_dir / paths[index]).read_text(encoding="utf-8"))[1]
        remarks = tuple(frozenset(map(hash, fingerprints.remark_shingles(r))) for r in fingerprints.remarks(body))
        return np.unique(np.fromiter(map(hash, fingerprints.doc_shingles(body)), np.int64)), remarks

    def doc_similarity(a: int, b: int) -> float:
        x, y = shingles(a)[0], shingles(b)[0]
        if not x.size and not y.size:
            return 0.0
        common = np.intersect1d(x, y, assume_unique=True).size
        return common / (x.size + y.size - common)

    def remark_similarity(a: int, b: int) -> float:
        best = 0.0
        for x in shingles(a)[1]:
            for y in shingles(b)[1]:
                # Jaccard <= smaller / larger: skip pairs that cannot beat the best
                if min(len(x), len(y)) <= best * max(len(x), len(y)):
                    continue
                best = max(best, fingerprints.jaccard(x, y))
        return best

    near = _group(
        "near_duplicate",
        fingerprints.DOC_THRESHOLD,
        ids,
        candidate_pairs(keys("doc")),
        doc_similarity,
        _band_estimate(fingerprints.DOC_BANDS, fingerprints.DOC_ROWS),
        exact_pairs,
    )
    # the near-duplicate checks' shingles would sit beside the remark keys,
    # the pass's peak; a remark check reads its documents again instead
    shingles.cache_clear()
    remarks = _group(
        "shared_remark",
        fingerprints.REMARK_THRESHOLD,
        ids,
        candidate_pairs(keys("remarks")),
        remark_similarity,
        _band_estimate(fingerprints.REMARK_BANDS, fingerprints.REMARK_ROWS),
        exact_pairs,
    )
    shingles.cache_clear()
    return ids, near, remarks
