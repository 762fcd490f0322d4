"""Validating the documents table on Spark, where it is too large for pandas.

The table is read as a Spark DataFrame (``documents.jsonl`` of the folder
layout, or the ``documents/`` dataset of ``--output-format jsonl|parquet``)
and checked twice, each check computed as Spark aggregations over the whole
table, so uniqueness is global and not per partition:

- pandera's pyspark backend (``pandera.pyspark``): column types and value
  checks, ``Config.unique`` for the ids. Its report has no row ids
  (pandera #1540), so duplicate ids are also named by a ``groupBy``.
- Great Expectations' Spark datasource: the suite below, with Data Docs
  written into ``REPORTS/data_docs`` and failing documents named by id.

Results go to ``REPORTS/spark/validation.json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedclean.engines.spark import is_uri, spark_session
from seedclean.errors import UserError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

SUITE_NAME = "documents_spark"
SITE_NAME = "seedclean"
#: mojibake signatures: UTF-8 read as cp1252/latin-1 ("Ã©", "â€™", "Â ")
MOJIBAKE = r"Ã[\x80-\xbf]|â€|Â "
#: failing values listed per check in the JSON (all are counted)
MAX_LISTED = 50


@dataclass
class Failure:
    validator: str  # "pandera" or "great_expectations"
    check: str
    column: str | None
    message: str
    documents: list[str] = field(default_factory=list)  # ids, when known


@dataclass
class SparkValidation:
    documents: int
    failures: list[Failure]
    data_docs: str | None  # the index page

    @property
    def success(self) -> bool:
        return not self.failures


def read_documents(spark: SparkSession, out: str | Path) -> DataFrame:
    """The documents table of a normalized OUT (either layout) as a DataFrame."""
    base = str(out).rstrip("/")
    if not is_uri(out):
        root = Path(out)
        if (root / "documents.jsonl").is_file():
            return spark.read.json(str(root / "documents.jsonl"))
        if not (root / "documents").is_dir():
            raise UserError(
                f"{out} has no documents.jsonl nor documents/; pass a folder written by seedclean normalize"
            )
    target = f"{base}/documents"
    try:
        return spark.read.parquet(target)
    except Exception:  # not Parquet: the jsonl dataset (Spark raises its own analysis errors)
        return spark.read.json(target)


def _pandera_failures(documents: DataFrame) -> list[Failure]:
    from seedclean.engines.spark_schema import Documents

    checked = Documents.validate(check_obj=documents)
    failures = []
    for kind in checked.pandera.errors.values():
        for check, errors in kind.items():
            for error in errors:
                column = error.get("column")
                failures.append(Failure("pandera", str(check).lower(), column, str(error.get("error"))))
    duplicates = documents.groupBy("id").count().where("count > 1").orderBy("id").limit(MAX_LISTED)
    ids = [row["id"] for row in duplicates.collect()]
    for failure in failures:
        if failure.check == "duplicates":
            failure.column, failure.documents = "id", ids
    return failures


def _suite_expectations() -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeUnique(column="id"),
        gxe.ExpectColumnValuesToNotBeNull(column="path"),
        gxe.ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="title", min_value=1, max_value=300),
        gxe.ExpectColumnValuesToNotMatchRegex(column="title", regex=MOJIBAKE),
        gxe.ExpectColumnValuesToNotMatchRegex(column="body", regex=MOJIBAKE, mostly=0.99),
        # a wrong deletion is worse than missed boilerplate: few documents
        # should lose more than half their words
        gxe.ExpectColumnValuesToBeBetween(column="words_removed_share", min_value=0, max_value=0.5, mostly=0.95),
    ]


def _gx_failures(documents: DataFrame, docs_dir: Path) -> tuple[list[Failure], str | None]:
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
    batch = (
        context.data_sources.add_spark("spark")
        .add_dataframe_asset("documents")
        .add_batch_definition_whole_dataframe("all")
    )
    present = set(documents.columns)
    expectations = [e for e in _suite_expectations() if e.column in present]
    suite = context.suites.add(gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{SUITE_NAME}_vd", data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"{SUITE_NAME}_cp",
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="docs", site_names=[SITE_NAME])],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["id"]},
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": documents})
    failures = []
    for run in result.run_results.values():
        for outcome in run.results:
            if outcome.success:
                continue
            config = outcome.expectation_config
            column = config.kwargs.get("column")
            raised = (outcome.exception_info or {}).get("raised_exception")
            if raised:  # GX catches errors and reports them as failures: say so
                message = f"the check itself failed: {outcome.exception_info.get('exception_message')}"
            else:
                message = f"{outcome.result.get('unexpected_count', 0)} unexpected values"
            ids = [row.get("id") for row in outcome.result.get("unexpected_index_list") or []]
            failures.append(Failure("great_expectations", config.type, column, message, sorted(set(ids))[:MAX_LISTED]))
    urls = context.get_docs_sites_urls(site_names=[SITE_NAME])
    return failures, (urls[0]["site_url"] if urls else None)


def validate_documents(documents: DataFrame, reports: str | Path) -> SparkValidation:
    """Check a documents DataFrame with pandera.pyspark and GX; write the
    Data Docs and ``spark/validation.json`` under ``reports``."""
    reports = Path(reports)
    documents = documents.cache()  # read once, checked by both validators
    try:
        count = documents.count()
        failures = _pandera_failures(documents)
        gx_failures, index = _gx_failures(documents, reports / "data_docs")
    finally:
        documents.unpersist()
    validation = SparkValidation(count, failures + gx_failures, index)
    (reports / "spark").mkdir(parents=True, exist_ok=True)
    payload = {"success": validation.success, **asdict(validation)}
    (reports / "spark" / "validation.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return validation


def validate_on_spark(
    out: str | Path, reports: str | Path, master: str | None = None, spark: SparkSession | None = None
) -> SparkValidation:
    """Validate the documents table of a normalized OUT on Spark."""
    session = spark or spark_session(master)
    try:
        return validate_documents(read_documents(session, out), reports)
    finally:
        if spark is None:
            session.stop()
