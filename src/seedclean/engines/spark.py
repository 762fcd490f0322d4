"""The Spark engine: the local engine's cleaner, run by Spark executors.

Each executor task gets a batch of files (``mapInPandas``) and calls the very
:func:`seedclean.document.clean_bytes` the local engine calls, with the rules
loaded once on the driver and shipped inside the task closure, so a user's
extra rule files need not exist on the executors. Corpus totals are Spark
aggregations; the tables are written in the local engine's sorted order, so
the folder layout is byte-for-byte the one ``--engine local`` writes.

Inputs: a local (or mounted) folder, walked on the driver with the local
engine's walker so both engines see the same files; or any Hadoop URI
(``hdfs://``, ``s3a://``, ``file://``) read with Spark's ``binaryFile`` source.

Outputs (``output_format``):

- ``folder``: the local layout: ``<path>.txt`` written by the executors,
  ``documents.jsonl``, ``edits.jsonl``, ``errors.jsonl`` streamed through the
  driver in path order. OUT must be a folder every executor can write.
- ``jsonl`` / ``parquet``: Spark datasets ``documents/``, ``edits/``,
  ``errors/`` and ``texts/`` (id, path, cleaned text) written in parallel by
  the executors, for corpora too large for one file per table.

pyspark is imported here only, so the default environment never needs it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from seedclean.config import Config
from seedclean.document import CleanDocument, clean_bytes
from seedclean.errors import FileProblem, InputFileError, UserError
from seedclean.normalize.rules import Rules, load_rules, parse_boilerplate_rules
from seedclean.read.walk import SUFFIX, InputFile, WalkStats, check_input_folder, walk_inputs
from seedclean.write.atomic import FILE_MODE, json_line, write_text_atomic
from seedclean.write.run import MANIFEST, RunSummary, _Lock, _remove_stale, clean_file, prepare_output

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

OUTPUT_FORMATS = ("folder", "jsonl", "parquet")
#: what each executor task returns per input file; the tables' rows travel
#: as the exact JSON lines the local engine writes, so both engines agree
#: byte for byte whatever fields the record gains
STAGE_SCHEMA = "path string, id string, text string, document string, edits array<string>, n_edits long, error string"
#: files per task: large enough to amortise a task's start, small enough
#: that a slow document does not hold a whole partition back
FILES_PER_PARTITION = 500
#: failures listed on the terminal after a run into datasets (all are in errors/)
MAX_LISTED_ERRORS = 100


def _json(row: dict[str, Any]) -> str:
    return json_line(row)[:-1]  # the local engine's serialization, without the newline


def is_uri(location: str | Path) -> bool:
    """True for ``scheme://...`` locations Spark reads through Hadoop."""
    return "://" in str(location)


# --- the session -------------------------------------------------------------


def check_spark_installed(master: str | None = None) -> None:
    """A clear error, before anything is written, when pyspark or (for a
    local master) Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise UserError("the spark engine needs pyspark; install it with: pip install 'seedclean[spark]'") from None
    local = (master is None and not os.environ.get("SPARK_REMOTE")) or (master or "").startswith("local")
    if local and not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise UserError(
            "Spark needs a Java runtime (17 or later) and none was found; install one "
            "(e.g. apt-get install default-jre-headless) or set JAVA_HOME"
        )


def spark_session(master: str | None = None, app_name: str = "seedclean") -> SparkSession:
    """A Spark session: Spark Connect when ``SPARK_REMOTE`` is set, else a
    classic session on ``master`` (default ``local[*]``, all local cores)."""
    check_spark_installed(master)
    from pyspark.sql import SparkSession

    remote = os.environ.get("SPARK_REMOTE") if master is None else None
    if (master or remote or "local").startswith("local"):
        # in local mode the Python workers must be this interpreter, which
        # has seedclean installed, not whatever `python3` is first on PATH
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        # local mode talks to itself only: bind to the loopback interface
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    if remote:
        return SparkSession.builder.remote(remote).appName(app_name).getOrCreate()
    master = master or "local[*]"
    builder = SparkSession.builder.master(master).appName(app_name)
    if master.startswith("local"):
        builder = builder.config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
    if not sys.stderr.isatty():
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel(os.environ.get("SEEDCLEAN_SPARK_LOG_LEVEL", "ERROR"))
    return session


# --- the executor side -----------------------------------------------------------


@dataclass(frozen=True)
class ShippedRules:
    """What executors need to rebuild the driver's rules: the config and the
    text of each extra rule file. Compiled patterns (RE2) cannot be pickled,
    and a user's rule files need not exist on the executors."""

    config: Config
    texts: tuple[tuple[str, str], ...]  # (path as the config names it, its text)

    @classmethod
    def of(cls, config: Config) -> ShippedRules:
        load_rules(config)  # a bad or missing rule file is a UserError on the driver, before Spark starts
        texts = tuple((path, Path(path).read_text(encoding="utf-8")) for path in config.boilerplate.extra_rules)
        return cls(config, texts)

    def load(self) -> Rules:
        global _loaded
        if _loaded is not None and _loaded[0] == self:
            return _loaded[1]
        if all(_holds(path, text) for path, text in self.texts):
            rules = load_rules(self.config)  # the files are here too: exactly the driver's rules
        else:  # parsed from the shipped texts, named by their paths, so the edit log reads the same
            base = load_rules(replace(self.config, boilerplate=replace(self.config.boilerplate, extra_rules=())))
            extra = tuple(rule for path, text in self.texts for rule in parse_boilerplate_rules(text, path))
            rules = replace(base, boilerplate=base.boilerplate + extra, config=self.config)
        _loaded = (self, rules)
        return rules


#: the rules of this Python worker, loaded once for all its tasks
_loaded: tuple[ShippedRules, Rules] | None = None


def _holds(path: str, text: str) -> bool:
    try:
        return Path(path).read_text(encoding="utf-8") == text
    except OSError:
        return False


def _failure_row(relative: str, kind: str, message: str) -> dict[str, Any]:
    error = {"path": relative, "kind": kind, "message": message}
    return {
        "path": relative,
        "id": None,
        "text": None,
        "document": None,
        "edits": [],
        "n_edits": 0,
        "error": _json(error),
    }


def _document_row(document: CleanDocument, relative: str, keep_text: bool) -> dict[str, Any]:
    return {
        "path": relative,
        "id": document.doc_id,
        "text": document.text if keep_text else None,
        "document": _json(document.record),
        "edits": [_json(row) for row in document.edit_rows],
        "n_edits": len(document.edit_rows),
        "error": None,
    }


def clean_one(
    relative: str, source: str | None, content: bytes | None, rules: Rules, out_dir: str | None, keep_text: bool
) -> dict[str, Any]:
    """Clean one input file where the task runs; a problem becomes an error row."""
    if content is None and source is not None and out_dir is not None:
        # a file of a local folder into the folder layout: exactly the local engine's step
        result = clean_file(InputFile(Path(source), relative), Path(out_dir), rules)
        if isinstance(result, CleanDocument):
            return _document_row(result, relative, keep_text)
        return _failure_row(result.path, result.kind, result.message)
    if content is None:
        try:
            content = Path(str(source)).read_bytes()
        except OSError as exc:
            message = f"cannot be read ({exc.strerror}); check it and its permissions"
            return _failure_row(relative, "unreadable", message)
    try:
        document = clean_bytes(bytes(content), relative[: -len(SUFFIX)], relative, rules)
    except InputFileError as exc:
        return _failure_row(exc.path, exc.kind, exc.message)
    except Exception as exc:  # a bug: reported against this file, as the local engine does
        message = f"could not be cleaned ({type(exc).__name__}: {exc}); please report this file"
        return _failure_row(relative, "internal_error", message)
    if out_dir is not None:
        write_text_atomic(Path(out_dir) / relative, document.text)
    return _document_row(document, relative, keep_text)


def _relative_to(base_path: str) -> Callable[[str], str]:
    """Maps a ``binaryFile`` path (a qualified URI) to its path below the input root."""
    prefix = base_path.rstrip("/") + "/"

    def relative(uri: str) -> str:
        path = unquote(urlparse(uri).path)
        return path[path.index(prefix) + len(prefix) :] if prefix in path else path.rsplit("/", 1)[-1]

    return relative


def make_cleaner(
    shipped: ShippedRules, out_dir: str | None, keep_text: bool, base_path: str | None = None
) -> Callable[[Iterable[pd.DataFrame]], Iterator[pd.DataFrame]]:
    """The ``mapInPandas`` function; everything it closes over (the config
    and rule texts, the output folder) is pickled and shipped to the executors."""
    relative_of = _relative_to(base_path) if base_path is not None else None

    def clean_batches(batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        rules = shipped.load()
        columns = ["path", "id", "text", "document", "edits", "n_edits", "error"]
        for batch in batches:
            rows = []
            for relative, source, content in zip(batch["path"], batch["source"], batch["content"], strict=True):
                if relative_of is not None:
                    relative = relative_of(source)
                rows.append(clean_one(relative, source, content, rules, out_dir, keep_text))
            yield pd.DataFrame(rows, columns=columns)

    return clean_batches


# --- the driver side ---------------------------------------------------------------


def _local_inputs(spark: SparkSession, in_dir: Path, stats: WalkStats) -> DataFrame:
    """The local engine's walk (names only), spread over the executors."""
    rows = [(item.relative, str(item.path), None) for item in walk_inputs(in_dir, stats)]
    frame = spark.createDataFrame(rows, schema="path string, source string, content binary")
    return frame.repartition(_partitions(spark, len(rows)))


def _partitions(spark: SparkSession, files: int) -> int:
    """At most FILES_PER_PARTITION files a task, in a multiple of the
    cluster's cores so the last round of tasks does not run on one core."""
    try:
        cores = spark.sparkContext.defaultParallelism
    except Exception:  # Spark Connect has no SparkContext
        cores = int(spark.conf.get("spark.default.parallelism", "2") or 2)
    rounds = max(1, -(-files // (FILES_PER_PARTITION * cores)))
    return min(max(files, 1), rounds * cores)


def _uri_inputs(spark: SparkSession, uri: str) -> DataFrame:
    """Every ``*.txt`` below a Hadoop URI. Spark's file listing skips names
    starting with ``_`` or ``.``, as Hadoop tools do."""
    from pyspark.sql import functions as F

    reader = spark.read.format("binaryFile").option("recursiveFileLookup", "true").option("pathGlobFilter", "*.txt")
    return reader.load(uri).select(F.lit("").alias("path"), F.col("path").alias("source"), "content")


def _stage(
    spark: SparkSession,
    in_dir: str | Path,
    rules: ShippedRules,
    out_dir: str | None,
    keep_text: bool,
    stats: WalkStats,
) -> DataFrame:
    if is_uri(in_dir):
        inputs = _uri_inputs(spark, str(in_dir))
        cleaner = make_cleaner(rules, out_dir, keep_text, base_path=unquote(urlparse(str(in_dir)).path))
    else:
        inputs = _local_inputs(spark, Path(in_dir), stats)
        cleaner = make_cleaner(rules, out_dir, keep_text)
    return inputs.mapInPandas(cleaner, STAGE_SCHEMA)


def _totals(stage: DataFrame) -> tuple[int, int, int]:
    """Documents, failures and edits of the corpus, as one Spark aggregation."""
    from pyspark.sql import functions as F

    row = stage.agg(
        F.count("document").alias("documents"),
        F.count("error").alias("failed"),
        F.coalesce(F.sum("n_edits"), F.lit(0)).alias("edits"),
    ).first()
    assert row is not None
    return int(row["documents"]), int(row["failed"]), int(row["edits"])


def _first_error(stage: DataFrame) -> dict[str, str]:
    row = stage.where("error IS NOT NULL").orderBy("path").select("error").first()
    assert row is not None
    return json.loads(row["error"])


class _Lines:
    """A text file of lines published by rename on close, like AtomicJsonl."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, self.tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, line: str) -> None:
        self.handle.write(line + "\n")

    def close(self, publish: bool) -> None:
        self.handle.close()
        if publish:
            os.chmod(self.tmp, FILE_MODE)
            os.replace(self.tmp, self.path)
        else:
            Path(self.tmp).unlink(missing_ok=True)


def _write_folder_tables(stage: DataFrame, out_dir: Path, summary: RunSummary) -> set[str]:
    """documents.jsonl, edits.jsonl, errors.jsonl in path order, streamed one
    partition at a time through the driver (memory stays flat)."""
    files = {name: _Lines(out_dir / f"{name}.jsonl") for name in ("documents", "edits", "errors")}
    written: set[str] = set()
    ok = False
    try:
        rows = stage.orderBy("path").select("path", "document", "edits", "error").toLocalIterator(True)
        for row in rows:
            if row["error"] is not None:
                files["errors"].write(row["error"])
                summary.errors.append(json.loads(row["error"]))
                continue
            files["documents"].write(row["document"])
            for edit in row["edits"]:
                files["edits"].write(edit)
            written.add(row["path"])
        ok = True
    finally:
        for lines in files.values():
            lines.close(publish=ok)
    return written


def _write_tables(stage: DataFrame, out: str, output_format: str, rules: Rules) -> None:
    """The tables as Spark datasets, written in parallel by the executors."""
    from pyspark.sql import functions as F

    documents = stage.where("document IS NOT NULL")
    edits = stage.select("path", F.posexplode("edits").alias("seq", "edit")).orderBy("path", "seq")
    tables = {
        "documents": documents.orderBy("path").select("document"),
        "edits": edits.select("edit"),
        "errors": stage.where("error IS NOT NULL").orderBy("path").select("error"),
    }
    base = out.rstrip("/")
    for name, lines in tables.items():
        if output_format == "jsonl":
            lines.write.mode("overwrite").text(f"{base}/{name}")
        else:
            _typed(lines, name, rules).write.mode("overwrite").parquet(f"{base}/{name}")
    texts = documents.select("id", "path", "text").orderBy("path").write.mode("overwrite")
    if output_format == "jsonl":
        texts.json(f"{base}/texts")
    else:
        texts.parquet(f"{base}/texts")


#: a document that makes at least one edit, to learn the tables' columns when
#: a run has no rows to infer them from
_SAMPLE = b"Sample title\r\n\r\nSample  body text.\r\n"


def _typed(lines: DataFrame, name: str, rules: Rules) -> DataFrame:
    """JSON lines as typed columns, for Parquet (Spark infers the types)."""
    spark = lines.sparkSession
    typed = spark.read.json(lines)
    if typed.columns:
        return typed
    sample = clean_bytes(_SAMPLE, "sample", "sample.txt", rules)
    row = {"documents": sample.record, "edits": sample.edit_rows[0], "errors": {"path": "", "kind": "", "message": ""}}
    schema = spark.read.json(spark.createDataFrame([(_json(row[name]),)], "value string")).schema
    return spark.createDataFrame([], schema)


def normalize_on_spark(
    in_dir: str | Path,
    out_dir: str | Path,
    config: Config | None = None,
    strict: bool = False,
    master: str | None = None,
    output_format: str = "folder",
    spark: SparkSession | None = None,
) -> RunSummary:
    """``seedclean normalize IN OUT --engine spark``: see the module docstring.

    Pass ``spark`` to reuse a session (it is then left running); otherwise one
    is started on ``master`` and stopped at the end.
    """
    if output_format not in OUTPUT_FORMATS:
        raise UserError(f"unknown output format {output_format!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
    config = config or Config()
    shipped = ShippedRules.of(config)
    if spark is None:
        check_spark_installed(master)
    if not is_uri(in_dir):
        in_dir = check_input_folder(Path(in_dir))
    folder = output_format == "folder"
    if folder and is_uri(out_dir):
        raise UserError(
            f"output {out_dir}: the folder layout is written to a folder path (local or mounted on every "
            "executor); for a URI use --output-format jsonl or parquet"
        )
    if not is_uri(out_dir):
        out_dir = prepare_output(Path(str(in_dir)), Path(out_dir))
    session = spark or spark_session(master)
    try:
        return _run(session, in_dir, out_dir, shipped, strict, output_format)
    finally:
        if spark is None:
            session.stop()


def _run(
    spark: SparkSession,
    in_dir: str | Path,
    out_dir: str | Path,
    rules: ShippedRules,
    strict: bool,
    output_format: str,
) -> RunSummary:
    from pyspark.storagelevel import StorageLevel

    folder = output_format == "folder"
    summary = RunSummary()
    stats = WalkStats()
    local_out = None if is_uri(out_dir) else Path(out_dir)
    with _Lock(local_out) if local_out is not None else nullcontext():
        if local_out is not None:
            manifest = {"tool": "seedclean", "input": str(in_dir)}
            write_text_atomic(local_out / MANIFEST, json.dumps(manifest) + "\n")
        stage = _stage(spark, in_dir, rules, str(out_dir) if folder else None, not folder, stats)
        # cleaning is the costly part: do it once, then read the result per table
        stage = stage.persist(StorageLevel.DISK_ONLY)
        summary.documents, summary.failed, summary.edits = _totals(stage)
        if strict and summary.failed:
            error = _first_error(stage)
            raise FileProblem(f"{error['path']}: {error['message']} (stopped by --strict)")
        if folder:
            assert local_out is not None
            written = _write_folder_tables(stage, local_out, summary)
            _remove_stale(local_out, written)
        else:
            _write_tables(stage, str(out_dir), output_format, rules.load())
            failures = stage.where("error IS NOT NULL").orderBy("path").limit(MAX_LISTED_ERRORS).collect()
            summary.errors = [json.loads(row["error"]) for row in failures]
        stage.unpersist()
    summary.ignored = stats.ignored
    return summary
