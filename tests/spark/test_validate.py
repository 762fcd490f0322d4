"""Validation of the documents table and the edit log on Spark: global checks, named documents."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pandera.pyspark")

from conftest import SEEDS, read_jsonl
from seedclean.config import Config
from seedclean.engines.spark import normalize_on_spark
from seedclean.engines.spark_validate import (
    read_documents,
    read_table,
    validate_documents,
    validate_on_spark,
    validate_tables,
)
from seedclean.errors import UserError


def test_the_seeds_pass_and_data_docs_are_written(spark: Any, seeds_out: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = validate_on_spark(seeds_out, reports, spark=spark)
    assert result.success, result.failures
    assert result.documents == 5
    assert result.edits == len(read_jsonl(seeds_out / "edits.jsonl")) > 0
    assert (reports / "data_docs" / "index.html").is_file()
    pages = {p.name for p in (reports / "data_docs" / "expectations").glob("*.html")}
    assert pages == {"documents_spark.html", "edits_spark.html"}
    assert len(list((reports / "data_docs" / "validations").rglob("*.html"))) == 2
    assert json.loads((reports / "spark" / "validation.json").read_text())["success"] is True
    # the corpus findings, computed on Spark: seeds 000 and 004 share a remark
    assert result.groups == {"near_duplicate": 0, "shared_remark": 1}
    kinds = json.loads((reports / "spark" / "near_duplicates.json").read_text())
    assert [(k["kind"], len(k["groups"])) for k in kinds] == [("near_duplicate", 0), ("shared_remark", 1)]
    assert (reports / "spark" / "repeated_lines.json").is_file()


def test_a_duplicate_id_in_another_partition_is_found(spark: Any, seeds_out: Path, tmp_path: Path) -> None:
    from pyspark.sql import functions as F

    documents = read_documents(spark, seeds_out)
    first = documents.orderBy("id").limit(1)
    copies = documents.withColumn("copy", F.lit(0)).union(first.withColumn("copy", F.lit(1)))
    doubled = copies.repartitionByRange(2, "copy")
    # no partition holds both copies: only a global check can see the duplicate
    per_partition = doubled.groupBy(F.spark_partition_id(), "id").count()
    assert per_partition.agg(F.max("count")).first()[0] == 1
    duplicate = first.first()["id"]
    result = validate_documents(doubled, tmp_path / "reports")
    assert not result.success
    by_validator = {(f.validator, f.column): f for f in result.failures}
    assert by_validator[("pandera", "id")].documents == [duplicate]
    assert duplicate in by_validator[("great_expectations", "id")].documents
    assert "expect_column_values_to_be_unique" in by_validator[("great_expectations", "id")].check


def test_mojibake_left_in_a_title_names_the_document(spark: Any, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "cafe.txt").write_text(
        "CafÃ© owners rally in the capital\n\nCafé owners gathered on Monday to protest new rules on the "
        "opening hours of their businesses, which they say will cost jobs.\n",
        encoding="utf-8",
    )
    (source / "clean.txt").write_bytes(sorted(SEEDS.glob("*.txt"))[0].read_bytes())
    out = tmp_path / "out"
    normalize_on_spark(source, out, config=Config(steps={"mojibake": False}), spark=spark)
    result = validate_documents(read_documents(spark, out), tmp_path / "reports")
    titles = [f for f in result.failures if f.column == "title"]
    assert titles and titles[0].validator == "great_expectations" and titles[0].documents == ["cafe"]


def test_datasets_are_validated_too(spark: Any, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    normalize_on_spark(SEEDS, out, output_format="parquet", spark=spark)
    result = validate_documents(read_documents(spark, out), tmp_path / "reports")
    assert result.success and result.documents == 5


def test_a_folder_without_tables_is_a_user_error(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"documents\.jsonl"):
        read_documents(spark, tmp_path)


def test_an_edit_logged_twice_in_two_partitions_is_found(spark: Any, seeds_out: Path, tmp_path: Path) -> None:
    from pyspark.sql import functions as F

    documents = read_table(spark, seeds_out, "documents")
    edits = read_table(spark, seeds_out, "edits")
    first = edits.orderBy("doc", "seq").limit(1)
    doubled = edits.withColumn("copy", F.lit(0)).union(first.withColumn("copy", F.lit(1)))
    doubled = doubled.repartitionByRange(2, "copy")
    row = first.first()
    result = validate_tables(documents, tmp_path / "reports", doubled)
    found = {(f.table, f.validator): f for f in result.failures}
    assert found[("edits", "pandera")].documents == [f"{row['doc']}:{row['seq']}"]
    assert found[("edits", "great_expectations")].check == "expect_compound_columns_to_be_unique"
    assert not any(f.table == "documents" for f in result.failures)


def test_cli_validate_engine_spark(seeds_out: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    command = [sys.executable, "-m", "seedclean", "validate", str(seeds_out), "--reports", str(reports)]
    result = subprocess.run(
        [*command, "--engine", "spark", "--master", "local[2]"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "5 documents" in result.stderr and "Traceback" not in result.stderr
    assert "0 near-duplicate groups, 1 shared-remark groups" in result.stderr
    assert (reports / "data_docs" / "index.html").is_file()
    assert json.loads((reports / "spark" / "validation.json").read_text())["success"] is True
