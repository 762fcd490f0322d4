"""Corpus-level findings of a normalized corpus, computed on Spark.

- Near-duplicate and shared-remark groups: the local ``validate/duplicates.py``
  method with Spark doing the heavy parts. The MinHash band keys of the
  documents table (``minhash_doc``, ``minhash_remarks``) are exploded and
  grouped by key; each bucket's first document (in path order) is paired
  with the others, as locally; the exact Jaccard similarity of each candidate
  pair is computed by the executors from the two bodies. Only the scored
  candidate pairs reach the driver, where the local ``_group`` (threshold,
  union-find, groups named after their first document) turns them into
  groups, so both engines name the same groups the same way.
- Repeated lines per site: body lines that recur in several documents of one
  site (the folder a document sits in, as crawls shard by site), a
  ``groupBy(site, line)``: chrome the boilerplate rules missed shows up here.

Corpus order is path order: the order of ``documents.jsonl`` written by
either engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from seedclean.extract import fingerprints
from seedclean.validate.duplicates import SIMILARITY, Groups, _group

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

#: (kind, key column, threshold) of the two groupings, as in validate/duplicates.py
KINDS = (
    ("near_duplicate", "minhash_doc", fingerprints.DOC_THRESHOLD),
    ("shared_remark", "minhash_remarks", fingerprints.REMARK_THRESHOLD),
)
#: a line must recur in this many documents of one site to be listed
MIN_REPEATS = 2
#: lines listed per site (all are counted)
MAX_LINES_PER_SITE = 20


@dataclass
class CorpusGroups:
    """One kind of grouping over the documents in any group: the local
    :class:`Groups` restricted to the documents of candidate pairs (every
    other document is in no group, with similarity 0)."""

    groups: Groups
    paths: list[str] = field(default_factory=list)  # of the documents below, in corpus order
    ids: list[str] = field(default_factory=list)

    def members(self) -> dict[str, list[str]]:
        """group name -> its document ids, in corpus order."""
        found: dict[str, list[str]] = {}
        for doc_id, group in zip(self.ids, self.groups.group, strict=True):
            if group is not None:
                found.setdefault(group, []).append(doc_id)
        return found

    def report(self) -> dict[str, Any]:
        """The entry of ``near_duplicates.json``, in the local validate's format."""
        return {
            "kind": self.groups.kind,
            "threshold": self.groups.threshold,
            "similarity": SIMILARITY,
            "candidates": self.groups.candidates,
            "candidates_verified": self.groups.candidates - self.groups.estimated,
            "groups": [{"group": g, "members": m} for g, m in self.members().items()],
            "pairs": [
                {"a": a, "b": b, "jaccard": s, **({"estimated": True} if guessed else {})}
                for a, b, s, guessed in self.groups.pairs
            ],
        }


# --- executor side: the exact similarities ------------------------------------------


def doc_similarity(body_a: str, body_b: str) -> float:
    return fingerprints.jaccard(fingerprints.doc_shingles(body_a), fingerprints.doc_shingles(body_b))


def remark_similarity(body_a: str, body_b: str) -> float:
    shingles_b = [fingerprints.remark_shingles(r) for r in fingerprints.remarks(body_b)]
    return max(
        (
            fingerprints.jaccard(fingerprints.remark_shingles(x), y)
            for x in fingerprints.remarks(body_a)
            for y in shingles_b
        ),
        default=0.0,
    )


def _scorer(kind: str):
    similarity = doc_similarity if kind == "near_duplicate" else remark_similarity

    def score(batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            scores = [similarity(a, b) for a, b in zip(batch["a_body"], batch["b_body"], strict=True)]
            yield batch[["a", "b", "a_id", "b_id"]].assign(score=scores)

    return score


# --- driver side ----------------------------------------------------------------------


def candidate_pairs(documents: DataFrame, key_column: str) -> DataFrame:
    """(a, b) paths of documents sharing a band key, a being the first
    document of the bucket: a Spark ``groupBy`` over the exploded keys."""
    from pyspark.sql import functions as F

    keyed = documents.select("path", F.explode(key_column).alias("key"))
    buckets = keyed.groupBy("key").agg(F.array_sort(F.collect_set("path")).alias("members"))
    buckets = buckets.where(F.size("members") > 1)
    pairs = buckets.select(
        F.col("members")[0].alias("a"), F.explode(F.expr("slice(members, 2, size(members) - 1)")).alias("b")
    )
    return pairs.distinct()


def scored_pairs(documents: DataFrame, kind: str, key_column: str) -> DataFrame:
    """The candidate pairs with their exact similarity, computed by the executors."""
    from pyspark.sql import functions as F

    bodies = documents.select("path", "id", F.coalesce("body", F.lit("")).alias("body"))
    a = bodies.select(F.col("path").alias("a"), F.col("id").alias("a_id"), F.col("body").alias("a_body"))
    b = bodies.select(F.col("path").alias("b"), F.col("id").alias("b_id"), F.col("body").alias("b_body"))
    pairs = candidate_pairs(documents, key_column).join(a, "a").join(b, "b")
    return pairs.mapInPandas(_scorer(kind), "a string, b string, a_id string, b_id string, score double")


def _groups(kind: str, threshold: float, rows: list[Any]) -> CorpusGroups:
    """The local grouping (``duplicates._group``) over the documents of the
    scored pairs, indexed in corpus (path) order."""
    ids = {row["a"]: row["a_id"] for row in rows} | {row["b"]: row["b_id"] for row in rows}
    paths = sorted(ids)
    index = {path: number for number, path in enumerate(paths)}
    scores = {(index[row["a"]], index[row["b"]]): row["score"] for row in rows}
    ordered_ids = [ids[path] for path in paths]
    pairs = sorted(scores)
    firsts = np.array([a for a, _ in pairs], dtype=np.int64)
    others = np.array([b for _, b in pairs], dtype=np.int64)
    # the executors scored every pair exactly: no pair is left to the LSH
    # estimate, so the estimate is never read
    groups = _group(
        kind,
        threshold,
        ordered_ids,
        (firsts, others, np.zeros(len(pairs))),
        lambda a, b: scores[(a, b)],
        estimate=np.zeros_like,
        exact_pairs=len(pairs),
    )
    return CorpusGroups(groups, paths, ordered_ids)


def find_groups(documents: DataFrame) -> dict[str, CorpusGroups]:
    """kind ("near_duplicate", "shared_remark") -> its groups, on Spark. A
    table without the ``minhash_*`` columns (an older seedclean) has no groups."""
    found = {}
    for kind, column, threshold in KINDS:
        rows = []
        if column in documents.columns:
            rows = scored_pairs(documents, kind, column).collect()
        found[kind] = _groups(kind, threshold, rows)
    return found


#: the documents table's columns of each kind, as the local validate names them
GROUP_COLUMNS = {"near_duplicate": "near_dup", "shared_remark": "remark"}


def with_group_columns(documents: DataFrame, groups: dict[str, CorpusGroups]) -> DataFrame:
    """``documents`` with the local validate's ``near_dup_group``,
    ``near_dup_similarity``, ``remark_group``, ``remark_similarity`` columns."""

    for kind, found in groups.items():
        prefix = GROUP_COLUMNS[kind]
        rows = [
            (doc_id, group, similarity)
            for doc_id, group, similarity in zip(found.ids, found.groups.group, found.groups.similarity, strict=True)
        ]
        schema = f"id string, {prefix}_group string, {prefix}_similarity double"
        columns = documents.sparkSession.createDataFrame(rows, schema)
        documents = documents.join(columns, "id", "left").fillna(0.0, subset=[f"{prefix}_similarity"])
    return documents


def repeated_lines(documents: DataFrame, min_repeats: int = MIN_REPEATS) -> DataFrame:
    """(site, line, documents, site_documents, share) of every body line found
    in at least ``min_repeats`` documents of its site, a site being the
    folder a document sits in ("" for the top folder)."""
    from pyspark.sql import functions as F

    sited = documents.select(
        F.regexp_extract("path", r"^(.*)/[^/]*$", 1).alias("site"), F.coalesce("body", F.lit("")).alias("body")
    )
    sizes = sited.groupBy("site").agg(F.count("*").alias("site_documents"))
    lines = sited.select("site", F.explode(F.array_distinct(F.split("body", "\n"))).alias("line"))
    lines = lines.where(F.trim("line") != "")
    counts = lines.groupBy("site", "line").agg(F.count("*").alias("documents"))
    counts = counts.where(F.col("documents") >= min_repeats).join(sizes, "site")
    return counts.withColumn("share", F.round(F.col("documents") / F.col("site_documents"), 4))


def repeated_lines_report(documents: DataFrame, limit: int = MAX_LINES_PER_SITE) -> list[dict[str, Any]]:
    """Per site with repeated lines: how many, and the ``limit`` most repeated."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    found = repeated_lines(documents)
    rank = F.row_number().over(Window.partitionBy("site").orderBy(F.desc("documents"), "line"))
    top = found.withColumn("rank", rank).where(F.col("rank") <= limit)
    totals = found.groupBy("site", "site_documents").agg(F.count("*").alias("repeated_lines"))
    report: dict[str, dict[str, Any]] = {
        row["site"]: {
            "site": row["site"],
            "documents": row["site_documents"],
            "repeated_lines": row["repeated_lines"],
            "lines": [],
        }
        for row in totals.orderBy("site").collect()
    }
    for row in top.orderBy("site", "rank").collect():
        report[row["site"]]["lines"].append({"line": row["line"], "documents": row["documents"], "share": row["share"]})
    return list(report.values())
