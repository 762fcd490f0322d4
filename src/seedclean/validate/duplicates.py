"""Near-duplicate and shared-remark groups across a normalized corpus.

Pass 1 streams ``documents.jsonl`` and keeps only each document's MinHash
band keys (integers, see ``extract/fingerprints.py``) in flat numpy arrays.
Documents sharing a key are candidates. Pass 2 verifies each candidate
against the first document of its bucket with the *exact* Jaccard similarity
of their shingle sets, read back from the cleaned ``.txt`` files, and joins
pairs at or above the threshold into groups (union-find). A group is named
after its first document in corpus order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
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
    pairs: list[tuple[str, str, float]] = field(default_factory=list)  # verified pairs, for the report
    candidates: int = 0


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


def _candidate_pairs(keys: np.ndarray, docs: np.ndarray) -> set[tuple[int, int]]:
    """(first, other) document pairs that share a key: each bucket's members
    are paired with the bucket's first member only, so a bucket of n costs n."""
    if keys.size == 0:
        return set()
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], keys.size]
    pairs: set[tuple[int, int]] = set()
    for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=False):
        members = np.unique(docs[start:end])
        for other in members[1:]:
            pairs.add((int(members[0]), int(other)))
    return pairs


def _group(
    kind: str,
    threshold: float,
    ids: list[str],
    pairs: Iterable[tuple[int, int]],
    similarity: Callable[[int, int], float],
) -> Groups:
    result = Groups(kind, threshold)
    best = [0.0] * len(ids)
    union = _UnionFind(len(ids))
    for a, b in sorted(pairs):
        result.candidates += 1
        score = round(similarity(a, b), 4)
        if score >= threshold:
            union.union(a, b)
            best[a], best[b] = max(best[a], score), max(best[b], score)
            result.pairs.append((ids[a], ids[b], score))
    roots = [union.find(i) for i in range(len(ids))]
    sizes: dict[int, int] = {}
    for root in roots:
        sizes[root] = sizes.get(root, 0) + 1
    result.group = [ids[root] if sizes[root] > 1 else None for root in roots]
    result.similarity = best
    return result


class KeyCollector:
    """Collects the MinHash keys of documents as they stream by, in flat
    numpy arrays (12 bytes a key), so the caller parses documents.jsonl once."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.paths: list[str] = []
        self.doc_keys: list[np.ndarray] = []
        self.doc_owner: list[np.ndarray] = []
        self.remark_keys: list[np.ndarray] = []
        self.remark_owner: list[np.ndarray] = []

    def add(self, record: dict) -> None:
        index = len(self.ids)
        self.ids.append(record["id"])
        self.paths.append(record["path"])
        for source, keys, owner in (
            (record.get("minhash_doc") or [], self.doc_keys, self.doc_owner),
            (record.get("minhash_remarks") or [], self.remark_keys, self.remark_owner),
        ):
            if source:
                keys.append(np.asarray(source, dtype=np.int64))
                owner.append(np.full(len(source), index, dtype=np.int32))


def find_groups(out_dir: Path, collected: KeyCollector | None = None) -> tuple[list[str], Groups, Groups]:
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

    def flat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)

    @lru_cache(maxsize=4096)
    def body(index: int) -> str:
        text = (out_dir / paths[index]).read_text(encoding="utf-8")
        return split_title(text)[1]

    @lru_cache(maxsize=4096)
    def doc_shingles(index: int) -> frozenset[str]:
        return frozenset(fingerprints.doc_shingles(body(index)))

    @lru_cache(maxsize=4096)
    def remark_shingles(index: int) -> tuple[frozenset[str], ...]:
        return tuple(frozenset(fingerprints.remark_shingles(r)) for r in fingerprints.remarks(body(index)))

    def doc_similarity(a: int, b: int) -> float:
        return fingerprints.jaccard(set(doc_shingles(a)), set(doc_shingles(b)))

    def remark_similarity(a: int, b: int) -> float:
        return max(
            (fingerprints.jaccard(set(x), set(y)) for x in remark_shingles(a) for y in remark_shingles(b)),
            default=0.0,
        )

    near = _group(
        "near_duplicate",
        fingerprints.DOC_THRESHOLD,
        ids,
        _candidate_pairs(flat(doc_keys, np.int64), flat(doc_owner, np.int32)),
        doc_similarity,
    )
    remarks = _group(
        "shared_remark",
        fingerprints.REMARK_THRESHOLD,
        ids,
        _candidate_pairs(flat(remark_keys, np.int64), flat(remark_owner, np.int32)),
        remark_similarity,
    )
    return ids, near, remarks
