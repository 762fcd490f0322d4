"""Corpus findings on Spark: the same near-duplicate and shared-remark groups
as the local validate, and repeated lines per site as a Spark aggregation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")

from conftest import SHARED, read_jsonl
from seedclean.engines import spark_corpus
from seedclean.engines.spark_validate import read_documents
from seedclean.validate.duplicates import find_groups

NEWS_BENCH = SHARED / "corpora" / "news-bench-dev"


@pytest.fixture(scope="module")
def news_bench_out(news_bench_local: tuple[Path, Any]) -> Path:
    return news_bench_local[0]


@pytest.fixture(scope="module")
def news_bench_documents(spark: Any, news_bench_out: Path) -> Any:
    return read_documents(spark, news_bench_out)


@pytest.fixture(scope="module")
def news_bench_groups(news_bench_documents: Any) -> dict[str, spark_corpus.CorpusGroups]:
    """The groups found on Spark, computed once for the tests that compare them."""
    return spark_corpus.find_groups(news_bench_documents)


def local_groups(out: Path) -> dict[str, dict[str, Any]]:
    """What the local validate finds, per kind: members by group, best similarity
    per grouped document, verified pairs, candidates."""
    ids, *kinds = find_groups(out)
    found = {}
    for groups in kinds:
        members: dict[str, list[str]] = {}
        for doc_id, group in zip(ids, groups.group, strict=True):
            if group is not None:
                members.setdefault(group, []).append(doc_id)
        similarity = {doc_id: s for doc_id, s in zip(ids, groups.similarity, strict=True) if s}
        found[groups.kind] = {
            "members": members,
            "similarity": similarity,
            "pairs": groups.pairs,
            "candidates": groups.candidates,
        }
    return found


def comparable(found_on_spark: dict[str, spark_corpus.CorpusGroups]) -> dict[str, dict[str, Any]]:
    found = {}
    for kind, corpus_groups in found_on_spark.items():
        groups = corpus_groups.groups
        found[kind] = {
            "members": corpus_groups.members(),
            "similarity": {i: s for i, s in zip(corpus_groups.ids, groups.similarity, strict=True) if s},
            "pairs": groups.pairs,
            "candidates": groups.candidates,
        }
    return found


def test_seed_groups_equal_the_local_ones(spark: Any, seeds_out: Path) -> None:
    local = local_groups(seeds_out)
    assert comparable(spark_corpus.find_groups(read_documents(spark, seeds_out))) == local
    # seeds 000 and 004 carry the same remark in other words around it
    assert [sorted(m)[0][:3] for m in local["shared_remark"]["members"].values()] == ["000"]


def test_news_bench_groups_equal_the_local_ones(news_bench_out: Path, news_bench_groups: Any) -> None:
    """The extractor folders hold the same pages: many groups, which both engines must name alike."""
    local = local_groups(news_bench_out)
    assert len(local["near_duplicate"]["members"]) > 20 and len(local["shared_remark"]["members"]) > 10
    assert comparable(news_bench_groups) == local


def test_group_columns_are_the_local_validate_columns(
    news_bench_out: Path, news_bench_documents: Any, news_bench_groups: Any
) -> None:
    """near_dup_group... joined to the documents table, as the local validate
    adds them to its table (so the suites check them on Spark too)."""
    ids, near, remarks = find_groups(news_bench_out)
    joined = spark_corpus.with_group_columns(news_bench_documents, news_bench_groups)
    columns = ["near_dup_group", "near_dup_similarity", "remark_group", "remark_similarity"]
    found = {row["id"]: tuple(row[c] for c in columns) for row in joined.select("id", *columns).collect()}
    local = zip(ids, near.group, near.similarity, remarks.group, remarks.similarity, strict=True)
    assert found == {doc_id: tuple(values) for doc_id, *values in local}


def test_the_report_is_the_local_validate_report(
    news_bench_out: Path, news_bench_documents: Any, news_bench_groups: Any, tmp_path: Path
) -> None:
    """The groups of REPORTS/spark/near_duplicates.json are written as the local
    validate writes REPORTS/near_duplicates.json (same writer input, same JSON)."""
    import pandas as pd

    from seedclean.validate.run import ValidationResult, write_json

    ids, near, remarks = find_groups(news_bench_out)
    local = ValidationResult(news_bench_out, tmp_path, near_duplicates=near, shared_remarks=remarks)
    write_json(local, pd.DataFrame({"id": ids}))
    reports = [groups.report() for groups in news_bench_groups.values()]
    assert reports == json.loads((tmp_path / "near_duplicates.json").read_text(encoding="utf-8"))
    sites = spark_corpus.repeated_lines_report(news_bench_documents)
    assert [site["site"] for site in sites] == sorted(p.name for p in NEWS_BENCH.iterdir() if p.is_dir())
    assert all(line["documents"] >= spark_corpus.MIN_REPEATS for site in sites for line in site["lines"])


def test_a_copy_in_another_partition_is_grouped(spark: Any, seeds_out: Path) -> None:
    from pyspark.sql import functions as F

    documents = read_documents(spark, seeds_out)
    first = documents.orderBy("path").limit(1)
    original = first.first()
    copy = first.withColumn("id", F.lit("zz_copy")).withColumn("path", F.lit("zz_copy.txt"))
    doubled = documents.withColumn("part", F.lit(0)).union(copy.withColumn("part", F.lit(1)))
    doubled = doubled.repartitionByRange(2, "part")
    found = spark_corpus.find_groups(doubled)["near_duplicate"]
    assert found.members() == {original["id"]: [original["id"], "zz_copy"]}
    assert found.groups.pairs == [(original["id"], "zz_copy", 1.0, False)]  # scored exactly, not estimated


def test_repeated_lines_are_counted_per_site(spark: Any, seeds_out: Path) -> None:
    """A line recurring in two documents of one site is listed for that site;
    the same line once in another site, or twice in one document, is not."""
    bodies = [row["body"] for row in read_jsonl(seeds_out / "documents.jsonl")]
    line = "Follow our live coverage on the app for the latest updates"
    rows = [
        ("a/1.txt", f"{bodies[0]}\n{line}"),
        ("a/2.txt", f"{line}\n{bodies[1]}"),
        ("a/3.txt", bodies[2]),
        ("b/1.txt", f"{line}\n{bodies[3]}\n{line}"),
        ("b/2.txt", bodies[4]),
    ]
    documents = spark.createDataFrame(rows, "path string, body string")
    found = {(row["site"], row["line"]): row for row in spark_corpus.repeated_lines(documents).collect()}
    assert (found[("a", line)]["documents"], found[("a", line)]["site_documents"]) == (2, 3)
    assert found[("a", line)]["share"] == round(2 / 3, 4)
    assert ("b", line) not in found
    report = {site["site"]: site for site in spark_corpus.repeated_lines_report(documents)}
    assert {"line": line, "documents": 2, "share": round(2 / 3, 4)} in report["a"]["lines"]
    assert report["a"]["documents"] == 3
