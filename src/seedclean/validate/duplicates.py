"""Near-duplicate and shared-remark groups across a normalized corpus.

Pass 1 streams ``documents.jsonl`` and keeps only each document's MinHash
band keys (integers, see ``extract/fingerprints.py``) in flat numpy arrays.
Documents sharing a key are candidates: the keys are sorted once and each
bucket's members are paired with its first member, in numpy, so a corpus of a
million documents costs a sort, not a Python loop per key. Pass 2 verifies
candidates against the *exact* Jaccard similarity of their shingle sets, read
back from the cleaned ``.txt`` files, and joins pairs at or above the
threshold into groups (connected components). A group is named after its first document
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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any, overload

import numpy as np

from seedclean.document import split_title
from seedclean.extract import fingerprints
from seedclean.validate.tables import json_rows


class Pairs(Sequence[tuple[str, str, float, bool]]):
    """The pairs at the threshold as (a, b, similarity, estimated?) tuples,
    made when read from the arrays the grouping keeps: a million pairs as
    tuples held ~250 MB and were pickled between processes."""

    def __init__(self, groups: Groups) -> None:
        self._groups = groups

    def __len__(self) -> int:
        return len(self._groups.pair_score)

    def _tuples(self, chosen: slice) -> list[tuple[str, str, float, bool]]:
        g = self._groups
        ids = g.ids
        return [
            (ids[a], ids[b], score, guessed)
            for a, b, score, guessed in zip(
                g.pair_first[chosen].tolist(),
                g.pair_other[chosen].tolist(),
                g.pair_score[chosen].tolist(),
                g.pair_estimated[chosen].tolist(),
                strict=True,
            )
        ]

    @overload
    def __getitem__(self, index: int) -> tuple[str, str, float, bool]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, str, float, bool]]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return self._tuples(index)
        position = range(len(self))[index]
        return self._tuples(slice(position, position + 1))[0]

    def __iter__(self) -> Iterator[tuple[str, str, float, bool]]:
        return iter(self._tuples(slice(None)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Pairs | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Pairs({len(self)})"


_NO_INDEX = np.empty(0, dtype=np.int64)


@dataclass(eq=False)
class Groups:
    """One kind of grouping: per document, its group (or None) and the best
    exact similarity to another member, kept as arrays (``root``, ``best``)
    with the document ids beside them; ``group``, ``similarity`` and
    ``pairs`` give them as lists of ids, scores and tuples."""

    kind: str
    threshold: float
    #: document ids in corpus order; None while the groups travel between
    #: processes (the receiver has the ids already: see ``with_ids``)
    ids: Sequence[str] | None = ()
    #: per document, the index of its group's first document (-1: in no group)
    root: np.ndarray = field(default_factory=lambda: _NO_INDEX)
    #: per document, the best similarity to another member (0.0: in no group)
    best: np.ndarray = field(default_factory=lambda: np.empty(0))
    #: the pairs at the threshold, in candidate order: documents, similarity, estimated?
    pair_first: np.ndarray = field(default_factory=lambda: _NO_INDEX)
    pair_other: np.ndarray = field(default_factory=lambda: _NO_INDEX)
    pair_score: np.ndarray = field(default_factory=lambda: np.empty(0))
    pair_estimated: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    candidates: int = 0
    estimated: int = 0  # candidates judged by the LSH estimate, past EXACT_PAIRS

    @property
    def group(self) -> list[str | None]:
        """Per document, its group's name (its first document's id) or None."""
        names = np.full(len(self.root), None, dtype=object)
        grouped = self.root >= 0
        if grouped.any():
            names[grouped] = _objects(self.ids)[self.root[grouped]]
        return names.tolist()

    @property
    def similarity(self) -> list[float]:
        return self.best.tolist()

    @property
    def pairs(self) -> Pairs:
        return Pairs(self)

    @property
    def estimated_pairs(self) -> int:
        return int(self.pair_estimated.sum())

    def without_ids(self) -> Groups:
        return replace(self, ids=None)

    def with_ids(self, ids: Sequence[str]) -> Groups:
        return replace(self, ids=ids)


def _objects(values: Sequence[Any]) -> np.ndarray:
    """``values`` as a numpy array of the same objects, for fancy indexing."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    found = np.empty(len(values), dtype=object)
    found[:] = values if not hasattr(values, "to_numpy") else values.to_numpy(dtype=object)
    return found


def _components(n: int, first: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per document, the smallest document joined to it through the pairs
    (itself when alone): the root the union-find of earlier versions gave,
    which made the earliest document the root."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(first), dtype=np.int8), (first, other)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    # the component numbered first is found from document 0 on, so a label's first
    # occurrence is its smallest document
    _, smallest = np.unique(labels, return_index=True)
    return smallest[labels]


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
    waiting: list[tuple[np.ndarray, np.ndarray]] = []

    def merged() -> tuple[np.ndarray, np.ndarray]:
        pairs = np.concatenate([found, *(p for p, _ in waiting)])
        unique, where = np.unique(pairs, return_inverse=True)
        shared = np.concatenate([counts, *(c for _, c in waiting)])
        return unique, np.bincount(where, weights=shared, minlength=len(unique)).astype(np.int64)

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
        waiting.append(np.unique((first[linked] << 32) | part_docs[linked], return_counts=True))
        del first, linked, part_docs
        # the passes' pairs overlap: merged when those waiting reach the merged
        # ones' number (all passes' at once were the peak; a merge per pass, a
        # sort of every pair found so far 32 times over)
        if sum(len(p) for p, _ in waiting) >= max(len(found), MERGE_AT):
            found, counts = merged()
            waiting.clear()
    if waiting:
        found, counts = merged()
    return found >> 32, found & 0xFFFFFFFF, counts


#: pairs from passes waiting before a merge, at least
MERGE_AT = 1_000_000


def _group(
    kind: str,
    threshold: float,
    ids: Sequence[str],
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray],
    similarity: Callable[[int, int], float],
    estimate: Callable[[np.ndarray], np.ndarray],
    exact_pairs: int = EXACT_PAIRS,
) -> Groups:
    firsts, others, shared = candidates
    scores = np.round(estimate(shared), 4)
    # the exact similarity goes to the pairs the estimate is least sure of
    # (closest to the threshold; ties in corpus order)
    exact = np.sort(np.argsort(np.abs(scores - threshold), kind="stable")[:exact_pairs])
    for i in exact:
        scores[i] = round(similarity(int(firsts[i]), int(others[i])), 4)
    estimated = np.ones(len(firsts), dtype=bool)
    estimated[exact] = False
    kept = np.flatnonzero(scores >= threshold)
    first = np.asarray(firsts, dtype=np.int64)[kept]
    other = np.asarray(others, dtype=np.int64)[kept]
    score = np.asarray(scores, dtype=np.float64)[kept]
    best = np.zeros(len(ids))
    np.maximum.at(best, first, score)
    np.maximum.at(best, other, score)
    roots = _components(len(ids), first, other) if len(ids) else _NO_INDEX
    sizes = np.bincount(roots, minlength=len(ids))
    root = np.where(sizes[roots] > 1, roots, -1) if len(ids) else _NO_INDEX
    return Groups(
        kind,
        threshold,
        ids,
        root=root,
        best=best,
        pair_first=first,
        pair_other=other,
        pair_score=score,
        pair_estimated=estimated[kept],
        candidates=len(firsts),
        estimated=int(estimated.sum()),
    )


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

    def body(index: int) -> str:
        return split_title((out_dir / paths[index]).read_text(encoding="utf-8"))[1]

    # each kind shingles only what it compares, a cache each: the near-duplicate
    # check never needed the remarks' shingles, nor the remark check the body's
    @lru_cache(maxsize=2 * EXACT_PAIRS)
    def doc_shingles(index: int) -> np.ndarray:
        # shingles as their hashes (stable within this process): a sorted
        # array of 8 bytes a shingle, not a set of strings ten times that
        return np.unique(np.fromiter(map(hash, fingerprints.doc_shingles(body(index))), np.int64))

    @lru_cache(maxsize=2 * EXACT_PAIRS)
    def remark_shingles(index: int) -> tuple[frozenset[int], ...]:
        return tuple(frozenset(map(hash, fingerprints.remark_shingles(r))) for r in fingerprints.remarks(body(index)))

    def doc_similarity(a: int, b: int) -> float:
        x, y = doc_shingles(a), doc_shingles(b)
        if not x.size and not y.size:
            return 0.0
        common = np.intersect1d(x, y, assume_unique=True).size
        return common / (x.size + y.size - common)

    def remark_similarity(a: int, b: int) -> float:
        best = 0.0
        for x in remark_shingles(a):
            for y in remark_shingles(b):
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
    # the near-duplicate checks' shingles would sit beside the remark keys, the pass's peak
    doc_shingles.cache_clear()
    remarks = _group(
        "shared_remark",
        fingerprints.REMARK_THRESHOLD,
        ids,
        candidate_pairs(keys("remarks")),
        remark_similarity,
        _band_estimate(fingerprints.REMARK_BANDS, fingerprints.REMARK_ROWS),
        exact_pairs,
    )
    remark_shingles.cache_clear()
    return ids, near, remarks
