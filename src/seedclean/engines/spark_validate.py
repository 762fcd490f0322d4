"""Validating the tables of a normalized folder on Spark, where they are too
large for pandas.

The documents table (``documents.jsonl`` of the folder layout, or the
``documents/`` dataset of ``--output-format jsonl|parquet``) and the edit log
are read as Spark DataFrames and checked twice, each check computed as Spark
aggregations over the whole table, so uniqueness is global, not per partition:

- pandera's pyspark backend (``pandera.pyspark``, models in ``spark_schema``):
  column types and values, ``Config.unique`` for ``id`` and ``(doc, seq)``.
  Its report has no row ids (pandera #1540), so duplicates are also named by
  a ``groupBy``.
- Great Expectations' Spark datasource: the suites below, with Data Docs
  written into ``REPORTS/data_docs`` and failing documents named by id.

Results go to ``REPORTS/spark/validation.json``. ``validate_on_spark`` also
computes the corpus findings on Spark (``spark_corpus``): near-duplicate and
shared-remark groups, joined to the documents table as the local validate's
``near_dup_group``... columns (so its expectation on them runs here too) and
written to ``REPORTS/spark/near_duplicates.json`` (the local validate's
format), and repeated lines per site, to ``REPORTS/spark/repeated_lines.json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedclean.edits import KINDS
from seedclean.engines.spark import is_uri, spark_session
from seedclean.errors import UserError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

SITE_NAME = "seedclean"
#: mojibake signatures: UTF-8 read as cp1252/latin-1 ("Ã©", "â€™", "Â ")
MOJIBAKE = r"Ã[\x80-\xbf]|â€|Â "
#: failing values listed per check in the JSON (all are counted)
MAX_LISTED = 50
#: the id columns of each table, to name failing rows
ID_COLUMNS = {"documents": ["id"], "edits": ["doc", "seq"]}


@dataclass
class Failure:
    table: str  # "documents" or "edits"
    validator: str  # "pandera" or "great_expectations"
    check: str
    column: str | None
    message: str
    documents: list[str] = field(default_factory=list)  # ids, when known


@dataclass
class SparkValidation:
    documents: int
    edits: int
    failures: list[Failure]
    data_docs: str | None  # the index page
    groups: dict[str, int] = field(default_factory=dict)  # kind -> groups found (with corpus findings)
    sites_with_repeated_lines: int | None = None

    @property
    def success(self) -> bool:
        return not self.failures


def read_table(spark: SparkSession, out: str | Path, name: str = "documents") -> DataFrame:
    """A table (``documents`` or ``edits``) of a normalized OUT, either layout."""
    base = str(out).rstrip("/")
    if not is_uri(out):
        root = Path(out)
        if (root / f"{name}.jsonl").is_file():
            return spark.read.json(str(root / f"{name}.jsonl"))
        if not (root / name).is_dir():
            raise UserError(f"{out} has no {name}.jsonl nor {name}/; pass a folder written by seedclean normalize")
    target = f"{base}/{name}"
    try:
        return spark.read.parquet(target)
    except Exception:  # not Parquet: the jsonl dataset (Spark raises its own analysis errors)
        return spark.read.json(target)


def read_documents(spark: SparkSession, out: str | Path) -> DataFrame:
    """The documents table of a normalized OUT (either layout) as a DataFrame."""
    return read_table(spark, out, "documents")


def _pandera_failures(table: str, frame: DataFrame) -> list[Failure]:
    from seedclean.engines import spark_schema

    model = spark_schema.Documents if table == "documents" else spark_schema.Edits
    checked = model.validate(check_obj=frame)
    failures = []
    for kind in checked.pandera.errors.values():
        for check, errors in kind.items():
            for error in errors:
                failures.append(
                    Failure(table, "pandera", str(check).lower(), error.get("column"), str(error.get("error")))
                )
    ids = ID_COLUMNS[table]
    duplicates = frame.groupBy(*ids).count().where("count > 1").orderBy(*ids).limit(MAX_LISTED).collect()
    for failure in failures:
        if failure.check == "duplicates":
            failure.column = ", ".join(ids)
            failure.documents = [":".join(str(row[c]) for c in ids) for row in duplicates]
    return failures


def _suites() -> dict[str, list[Any]]:
    """The pandas-side suites (``seedclean.validate.expectations``), so both
    engines hold a corpus to the same expectations, plus two row checks the
    pandas side leaves to its Pandera schemas."""
    import great_expectations.expectations as gxe

    from seedclean.validate.expectations import document_expectations, edit_expectations

    return {
        "documents": [
            *document_expectations(),
            gxe.ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$"),
            gxe.ExpectColumnValuesToNotMatchRegex(column="body", regex=MOJIBAKE, mostly=0.99),
        ],
        "edits": edit_expectations(),
    }


def _derived(table: str, frame: DataFrame) -> DataFrame:
    """The columns the suites expect that the pandas side derives in
    ``validate/tables.py``, derived here as Spark expressions."""
    from pyspark.sql import functions as F

    columns = set(frame.columns)
    if table == "documents" and "edit_counts" in columns:
        counts = {kind: F.coalesce(F.col(f"edit_counts.{kind}"), F.lit(0)) for kind in KINDS}
        frame = frame.select("*", *(value.alias(f"edits_{kind}") for kind, value in counts.items()))
        frame = frame.withColumn("edits_total", sum((F.col(f"edits_{kind}") for kind in KINDS), F.lit(0)))
    if table == "edits" and {"before", "after"} <= columns:
        frame = frame.withColumn("before_chars", F.length("before")).withColumn("after_chars", F.length("after"))
    return frame


def _columns_of(expectation: Any) -> set[str]:
    names = {getattr(expectation, key, None) for key in ("column", "column_A", "column_B")}
    return {name for name in names if name} | set(getattr(expectation, "column_list", None) or [])


def _gx_failures(tables: dict[str, DataFrame], docs_dir: Path) -> tuple[list[Failure], str | None]:
    """Run each table's suite through GX's Spark datasource; Data Docs into ``docs_dir``."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir.resolve())},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    context = gx.get_context(
        project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            data_docs_sites={SITE_NAME: site},
            progress_bars=ProgressBarsConfig(globally=False),
        )
    )
    source = context.data_sources.add_spark("spark")
    suites = _suites()
    failures = []
    for name, frame in tables.items():
        present = set(frame.columns)
        expectations = [e for e in suites[name] if _columns_of(e) <= present]
        suite = context.suites.add(gx.ExpectationSuite(name=f"{name}_spark", expectations=expectations))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{name}_spark", data=batch, suite=suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"{name}_spark_checkpoint",
                validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="docs", site_names=[SITE_NAME])],
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ID_COLUMNS[name]},
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": frame})
        for run in result.run_results.values():
            failures += [_gx_failure(name, outcome) for outcome in run.results if _failed(outcome)]
    urls = context.get_docs_sites_urls(site_names=[SITE_NAME])
    return failures, (urls[0]["site_url"] if urls else None)


def _failed(outcome: Any) -> bool:
    """Failed, and not an expectation of severity "warning" (reported in the
    Data Docs, but not failing the run, as on the pandas side)."""
    severity = getattr(outcome.expectation_config, "severity", None)
    return not outcome.success and str(getattr(severity, "value", severity) or "critical") != "warning"


def _gx_failure(table: str, outcome: Any) -> Failure:
    config = outcome.expectation_config
    kwargs = config.kwargs
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)] + list(
        kwargs.get("column_list") or []
    )
    if (outcome.exception_info or {}).get("raised_exception"):  # GX reports its own errors as failures: say so
        message = f"the check itself failed: {outcome.exception_info.get('exception_message')}"
    else:
        message = f"{outcome.result.get('unexpected_count', 0)} unexpected values"
    ids = ID_COLUMNS[table]
    found = [":".join(str(row.get(c)) for c in ids) for row in outcome.result.get("unexpected_index_list") or []]
    return Failure(
        table, "great_expectations", config.type, ", ".join(columns), message, sorted(set(found))[:MAX_LISTED]
    )


def validate_tables(
    documents: DataFrame, reports: str | Path, edits: DataFrame | None = None, corpus: bool = False
) -> SparkValidation:
    """Check the documents (and edits) DataFrames with pandera.pyspark and GX;
    write the Data Docs and ``spark/validation.json`` under ``reports``, and
    with ``corpus`` the corpus findings (see the module docstring)."""
    reports = Path(reports)
    if not documents.columns:
        raise UserError("the documents table is empty: there is nothing to validate")
    groups = None
    if corpus:  # the groups first, as columns, so the suites check them as the local validate does
        from seedclean.engines import spark_corpus

        groups = spark_corpus.find_groups(documents)
        documents = spark_corpus.with_group_columns(documents, groups)
    tables = {"documents": _derived("documents", documents).cache()}  # read once, checked by both validators
    if edits is not None and edits.columns:  # a corpus with no edit at all has an empty, column-less log
        tables["edits"] = _derived("edits", edits).cache()
    try:
        counts = {name: frame.count() for name, frame in tables.items()}
        failures = [f for name, frame in tables.items() for f in _pandera_failures(name, frame)]
        gx_failures, index = _gx_failures(tables, reports / "data_docs")
        validation = SparkValidation(counts["documents"], counts.get("edits", 0), failures + gx_failures, index)
        (reports / "spark").mkdir(parents=True, exist_ok=True)
        if groups is not None:
            _corpus_findings(tables["documents"], groups, reports / "spark", validation)
    finally:
        for frame in tables.values():
            frame.unpersist()
    _write_json(reports / "spark" / "validation.json", {"success": validation.success, **asdict(validation)})
    return validation


def _corpus_findings(documents: DataFrame, groups: dict[str, Any], folder: Path, validation: SparkValidation) -> None:
    from seedclean.engines import spark_corpus

    validation.groups = {kind: len(found.members()) for kind, found in groups.items()}
    _write_json(folder / "near_duplicates.json", [found.report() for found in groups.values()])
    sites = spark_corpus.repeated_lines_report(documents)
    validation.sites_with_repeated_lines = len(sites)
    _write_json(folder / "repeated_lines.json", sites)


def _write_json(path: Path, payload: Any) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def validate_documents(documents: DataFrame, reports: str | Path) -> SparkValidation:
    """Check the documents table alone (see :func:`validate_tables`)."""
    return validate_tables(documents, reports)


def validate_on_spark(
    out: str | Path, reports: str | Path, master: str | None = None, spark: SparkSession | None = None
) -> SparkValidation:
    """Validate the documents table and the edit log of a normalized OUT on Spark."""
    session = spark or spark_session(master)
    try:
        documents, edits = read_table(session, out, "documents"), read_table(session, out, "edits")
        return validate_tables(documents, reports, edits, corpus=True)
    finally:
        if spark is None:
            session.stop()
