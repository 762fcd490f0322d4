"""The Spark engine writes what the local engine writes, byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")

from conftest import SEEDS, SHARED, read_jsonl
from seedclean.config import BoilerplateConfig, Config
from seedclean.engines.spark import normalize_on_spark
from seedclean.errors import UserError
from seedclean.write import sidetables
from seedclean.write.run import normalize_folder

NEWS_BENCH = SHARED / "corpora" / "news-bench-dev"

EXTRACTORS = ("boilerpipe", "goose3", "html-text", "newspaper", "readability", "trafilatura", "truth")


#: validate's side tables: the local engine writes them beside the logs, the
#: Spark engine does not (validate then reads its JSON logs)
LOCAL_ONLY = frozenset({sidetables.MANIFEST, *sidetables.FILES})


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (outputs, tables, manifest) with its bytes,
    but the local engine's side tables."""
    files = (p for p in sorted(folder.rglob("*")) if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files if p.name not in LOCAL_ONLY}


def assert_same_run(local: Any, remote: Any) -> None:
    assert (remote.documents, remote.failed, remote.edits, remote.ignored) == (
        local.documents,
        local.failed,
        local.edits,
        local.ignored,
    )
    assert remote.errors == local.errors


def run_both(source: Path, tmp_path: Path, spark: Any, config: Config | None = None) -> tuple[Path, Path]:
    local = normalize_folder(source, tmp_path / "local", config=config, jobs=1)
    remote = normalize_on_spark(source, tmp_path / "spark", config=config, spark=spark)
    assert_same_run(local, remote)
    return tmp_path / "local", tmp_path / "spark"


def test_seeds_are_cleaned_identically(spark: Any, tmp_path: Path) -> None:
    local, remote = run_both(SEEDS, tmp_path, spark)
    assert tree(remote) == tree(local)
    assert len(read_jsonl(remote / "documents.jsonl")) == 5
    assert (local / sidetables.MANIFEST).is_file() and not (remote / sidetables.MANIFEST).exists()


def test_news_bench_outputs_are_identical(spark: Any, news_bench_local: tuple[Path, Any], tmp_path: Path) -> None:
    """Every extractor folder of news-bench-dev in one run (one Spark job
    instead of seven: the same files, a shorter CI)."""
    local, summary = news_bench_local
    remote = tmp_path / "spark"
    assert_same_run(summary, normalize_on_spark(NEWS_BENCH, remote, spark=spark))
    local_files, remote_files = tree(local), tree(remote)
    assert sorted(remote_files) == sorted(local_files)
    for name in ("documents.jsonl", "edits.jsonl", "errors.jsonl"):
        assert remote_files[name] == local_files[name], name
    assert remote_files == local_files
    folders = {row["path"].split("/")[0] for row in read_jsonl(remote / "documents.jsonl")}
    assert set(EXTRACTORS) <= folders
    assert len(read_jsonl(remote / "documents.jsonl")) >= 300


def bad_folder(tmp_path: Path) -> Path:
    source = tmp_path / "in"
    (source / "site").mkdir(parents=True)
    (source / "site" / "good.txt").write_text("A headline here\n\nA para-\ngraph of text.\n", encoding="utf-8")
    (source / "_leading_underscore.txt").write_text("Title\n\nBody text.\n", encoding="utf-8")
    (source / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (source / "notes.md").write_text("not an article\n", encoding="utf-8")
    return source


def test_a_bad_file_is_an_error_row_and_the_run_goes_on(spark: Any, tmp_path: Path) -> None:
    local, remote = run_both(bad_folder(tmp_path), tmp_path, spark)
    assert tree(remote) == tree(local)
    errors = read_jsonl(remote / "errors.jsonl")
    assert [e["path"] for e in errors] == ["binary.txt"]
    assert {row["path"] for row in read_jsonl(remote / "documents.jsonl")} == {
        "_leading_underscore.txt",
        "site/good.txt",
    }


def test_strict_stops_before_publishing_the_tables(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"binary\.txt.*--strict"):
        normalize_on_spark(bad_folder(tmp_path), tmp_path / "out", strict=True, spark=spark)
    assert not (tmp_path / "out" / "documents.jsonl").exists()


def test_a_user_rule_file_travels_with_the_task(spark: Any, tmp_path: Path) -> None:
    rules = tmp_path / "rules.tsv"
    rules.write_text("line\t(?i)^ap photo\\b.*\tcaption\tour site's photo credits\n", encoding="utf-8")
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(
        "Storm hits the coast\n\nAP Photo by a staff photographer\n\nThe storm hit the coast on Monday.\n",
        encoding="utf-8",
    )
    config = Config(steps={"dehyphenate": False}, boilerplate=BoilerplateConfig(extra_rules=(str(rules),)))
    local, remote = run_both(source, tmp_path, spark, config)
    assert tree(remote) == tree(local)
    assert "AP Photo" not in (remote / "a.txt").read_text(encoding="utf-8")


def test_rerun_into_an_earlier_output_removes_stale_files(spark: Any, tmp_path: Path) -> None:
    normalize_folder(SEEDS, tmp_path / "out", jobs=1)
    source = tmp_path / "in"
    source.mkdir()
    (source / "only.txt").write_bytes(next(iter(sorted(SEEDS.glob("*.txt")))).read_bytes())
    normalize_on_spark(source, tmp_path / "out", spark=spark)
    normalize_folder(source, tmp_path / "local", jobs=1)
    assert {p.name for p in (tmp_path / "out").glob("*.txt")} == {"only.txt"}
    assert (tmp_path / "out" / "documents.jsonl").read_bytes() == (tmp_path / "local" / "documents.jsonl").read_bytes()


def lines_of_dataset(folder: Path) -> list[str]:
    return [line for part in sorted(folder.glob("part-*")) for line in part.read_text(encoding="utf-8").splitlines()]


def test_uri_input_and_jsonl_datasets(spark: Any, seeds_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "datasets"
    summary = normalize_on_spark(SEEDS.as_uri(), out.as_uri(), output_format="jsonl", spark=spark)
    assert summary.documents == 5 and summary.failed == 0
    # the same JSON lines as the folder layout, in the same order
    assert lines_of_dataset(out / "documents") == (seeds_out / "documents.jsonl").read_text("utf-8").splitlines()
    assert lines_of_dataset(out / "edits") == (seeds_out / "edits.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(line) for line in lines_of_dataset(out / "texts")]
    assert {row["path"]: row["text"] for row in texts} == {
        p.name: p.read_text(encoding="utf-8") for p in seeds_out.glob("*.txt")
    }


def test_parquet_datasets_hold_typed_tables(spark: Any, seeds_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    normalize_on_spark(SEEDS, out, output_format="parquet", spark=spark)
    documents = spark.read.parquet(str(out / "documents"))
    local = read_jsonl(seeds_out / "documents.jsonl")
    assert sorted(r["id"] for r in documents.select("id").collect()) == [row["id"] for row in local]
    assert dict(documents.dtypes)["bytes"] == "bigint"
    edits = spark.read.parquet(str(out / "edits"))
    assert edits.count() == len(read_jsonl(seeds_out / "edits.jsonl"))


def test_the_folder_layout_needs_a_folder(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="--output-format"):
        normalize_on_spark(SEEDS, "hdfs://namenode/out")


def test_spark_connect_through_spark_remote(tmp_path: Path) -> None:
    pytest.importorskip("grpc")  # pyspark[connect]
    out = tmp_path / "out"
    command = [sys.executable, "-m", "seedclean", "normalize", str(SEEDS), str(out), "--engine", "spark"]
    # "local[2]" as SPARK_REMOTE starts a Spark Connect server in local mode
    env = {**os.environ, "SPARK_REMOTE": "local[2]"}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr
    normalize_folder(SEEDS, tmp_path / "local", jobs=1)
    assert tree(out) == tree(tmp_path / "local")


def test_cli_engine_spark(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # the input as a URI: read by Spark's binaryFile source, not the local walk
    command = [sys.executable, "-m", "seedclean", "normalize", SEEDS.as_uri(), str(out), "--engine", "spark"]
    result = subprocess.run([*command, "--master", "local[2]"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "5 documents cleaned" in result.stderr and "Traceback" not in result.stderr
    normalize_folder(SEEDS, tmp_path / "local", jobs=1)
    spark_files, local_files = tree(out), tree(tmp_path / "local")
    # the manifest names the input as given: a URI here, a path for the local run
    assert json.loads(spark_files.pop(".seedclean.json"))["input"] == SEEDS.as_uri()
    local_files.pop(".seedclean.json")
    assert spark_files == local_files


def test_paths_sort_as_the_local_engine_sorts_them(spark: Any, tmp_path: Path) -> None:
    source = tmp_path / "in"
    names = ["Zeta.txt", "alpha.txt", "été/x.txt", "ß.txt", "a b.txt", "日本/記事.txt", "a/b.txt", "a.b.txt"]
    for number, name in enumerate(names):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(f"Headline number {number}\n\nSome text of article {number}.\n", encoding="utf-8")
    local, remote = run_both(source, tmp_path, spark)
    assert tree(remote) == tree(local)
    assert [row["path"] for row in read_jsonl(remote / "documents.jsonl")] == sorted(names)


def test_an_empty_folder_gives_empty_tables(spark: Any, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    local, remote = run_both(tmp_path / "in", tmp_path, spark)
    assert tree(remote) == tree(local)
    assert (remote / "documents.jsonl").read_bytes() == b""


@pytest.mark.parametrize("output_format", ["parquet", "jsonl"])
def test_datasets_of_a_run_with_nothing_to_log(spark: Any, seeds_out: Path, tmp_path: Path, output_format: str) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    for text in seeds_out.glob("*.txt"):  # already clean: no edits at all
        (clean / text.name).write_bytes(text.read_bytes())
    (tmp_path / "empty").mkdir()
    for source in (clean, tmp_path / "empty"):
        out = tmp_path / f"{source.name}-{output_format}"
        summary = normalize_on_spark(source, out, output_format=output_format, spark=spark)
        assert summary.edits == 0 and summary.failed == 0
        reader = spark.read.parquet if output_format == "parquet" else spark.read.text
        assert reader(str(out / "edits")).count() == 0
        assert reader(str(out / "documents")).count() == summary.documents
