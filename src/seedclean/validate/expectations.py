"""Great Expectations (1.x) suites for the documents and edits tables, and
Data Docs written into a folder of the user's choice.

Pandera (``schemas.py``) holds the hard per-row rules; these suites hold the
corpus to what a healthy run looks like, each with a ``mostly`` where a hard
rule would be wrong (a real corpus has odd articles). Thresholds and their
sources are in the comments; most come from Gopher and FineWeb (prior art).
Expectations of severity ``warning`` are reported but do not fail the run.

The context is ephemeral (nothing under ``gx/``); the one Data Docs site
writes into ``<reports>/data_docs``, as verified for GX 1.24 on pandas 3.
"""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from seedclean.edits import KINDS
from seedclean.normalize.pipeline import STEP_NAMES
from seedclean.validate.tables import jsonable

SITE = "seedclean"
#: languages written without spaces between words (py3langid codes)
UNSPACED_LANGUAGES = ("zh", "ja", "th", "lo", "km", "my", "bo", "dz")
#: above this many rows, results list a sample of failing ids (GX "SUMMARY")
COMPLETE_RESULT_MAX_ROWS = 20_000


def document_expectations() -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    warn = {"severity": "warning"}
    # Condition objects: string row conditions are deprecated since GX 1.9
    english = {"row_condition": Column("language") == "en"}
    spaced = {"row_condition": Column("language").is_not_in(list(UNSPACED_LANGUAGES))}
    return [
        gxe.ExpectColumnValuesToBeUnique(column="id"),
        # a headline is expected, but some extractors drop it (seed 004)
        gxe.ExpectColumnValuesToNotBeNull(column="title", mostly=0.9, **warn),
        gxe.ExpectColumnValueLengthsToBeBetween(column="title", min_value=1, max_value=300),
        gxe.ExpectColumnValuesToNotMatchRegex(column="title", regex=r"Ã[\x80-\xbf]|â€|\ufffd"),
        # a site name left after a spaced separator (" | World News"); real
        # titles use them too ("Milan Design Week 2018 | Michael Anastassiades' ..."), so a warning
        gxe.ExpectColumnValuesToNotMatchRegex(column="title", regex=r"\s[|»·]\s", mostly=0.99, **warn),
        # Gopher: 50..100,000 words; mean word length 3..10; >= 80% alphabetic words; >= 2 stop words
        gxe.ExpectColumnValuesToBeBetween(column="words", min_value=50, max_value=100_000, mostly=0.95),
        gxe.ExpectColumnMedianToBeBetween(column="words", min_value=150, max_value=3_000),
        gxe.ExpectColumnValuesToBeBetween(column="characters", min_value=300, max_value=600_000, mostly=0.95),
        # word statistics need words between spaces: not for Chinese, Japanese, Thai...
        gxe.ExpectColumnValuesToBeBetween(column="mean_word_length", min_value=3, max_value=10, mostly=0.95, **spaced),
        gxe.ExpectColumnValuesToBeBetween(column="alpha_word_ratio", min_value=0.8, mostly=0.95),
        # Gopher's stop words are English ones
        gxe.ExpectColumnValuesToBeBetween(column="stop_words", min_value=2, mostly=0.95, **english),
        gxe.ExpectColumnValuesToBeBetween(column="symbol_word_ratio", max_value=0.1, mostly=0.95),
        gxe.ExpectColumnValuesToBeBetween(column="bullet_line_ratio", max_value=0.9, mostly=0.95),
        gxe.ExpectColumnValuesToBeBetween(column="ellipsis_line_ratio", max_value=0.3, mostly=0.95),
        # FineWeb: terminal punctuation on >= 12% of lines; <= 67% short lines; <= 1% duplicated-line chars
        gxe.ExpectColumnValuesToBeBetween(column="terminal_punct_line_ratio", min_value=0.12, mostly=0.95),
        gxe.ExpectColumnValuesToBeBetween(column="short_line_ratio", max_value=0.67, mostly=0.95),
        # ...but news has tables and bullet lists with repeated lines: a warning
        gxe.ExpectColumnValuesToBeBetween(column="duplicate_line_char_ratio", max_value=0.01, mostly=0.95, **warn),
        # residual artifacts: zero per document is the rule (pandera); the
        # corpus gate tolerates 1% so one odd file shows without hiding the rest
        gxe.ExpectColumnValuesToBeBetween(column="mojibake_badness", max_value=0, mostly=0.99),
        gxe.ExpectColumnValuesToBeBetween(column="residual_hyphen_splits", max_value=0, mostly=0.99),
        gxe.ExpectColumnValuesToBeBetween(column="residual_boilerplate_lines", max_value=0, mostly=0.99),
        gxe.ExpectColumnValuesToBeInSet(column="title_in_body", value_set=[False], mostly=0.99),
        # language: a packaged model's confidence >= 0.65 (datatrove, RefinedWeb)
        gxe.ExpectColumnValuesToBeBetween(column="language_score", min_value=0.65, mostly=0.95),
        gxe.ExpectColumnValuesToNotBeInSet(column="language", value_set=["und"], mostly=0.95),
        # quotes: opened and closed typographic quotes differ by at most one;
        # more is a sign of truncated text or mixed quote styles (004: 12 vs 8)
        gxe.ExpectColumnValuesToBeBetween(column="quote_balance", min_value=-1, max_value=1, mostly=0.9, **warn),
        # near-duplicates: flagged, and rare in a healthy corpus
        gxe.ExpectColumnValuesToBeNull(column="near_dup_group", mostly=0.95),
        # share of words removed: above 30% the normalizer is likely eating
        # article text; above 5% (RefinedWeb's guard) is worth a look
        gxe.ExpectColumnValuesToBeBetween(column="words_removed_share", max_value=0.3, mostly=0.95),
        gxe.ExpectColumnValuesToBeBetween(column="words_removed_share", max_value=0.05, mostly=0.9, **warn),
        # edits per kind: most articles need few; unsure cases stay rare
        gxe.ExpectColumnValuesToBeBetween(column="edits_total", max_value=300, mostly=0.99),
        gxe.ExpectColumnValuesToBeBetween(column="edits_delete", max_value=60, mostly=0.99),
        gxe.ExpectColumnValuesToBeBetween(column="edits_flag", max_value=5, mostly=0.95),
        gxe.ExpectColumnMeanToBeBetween(column="edits_replace", max_value=50),
    ]


def edit_expectations() -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["doc", "seq"]),
        gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=list(KINDS)),
        gxe.ExpectColumnValuesToBeInSet(column="step", value_set=list(STEP_NAMES)),
        gxe.ExpectColumnValuesToNotBeNull(column="reason"),
        gxe.ExpectColumnValuesToMatchRegex(column="reason", regex=r"^[a-z][a-z0-9_]*$"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="end", column_B="start", or_equal=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="raw_end", column_B="raw_start", or_equal=True),
        # one edit removing more than 3,000 characters (half a long article) is suspect
        gxe.ExpectColumnValuesToBeBetween(column="before_chars", max_value=3_000, mostly=0.999),
        # unsure hyphens are flagged, not guessed; they should stay a small share
        gxe.ExpectColumnValuesToNotBeInSet(column="kind", value_set=["flag"], mostly=0.9),
    ]


def describe_kwargs(kwargs: dict[str, Any]) -> str:
    """An expectation's arguments as people read them: "min_value=0.8, where language == 'en'"."""
    parts = []
    for key, value in kwargs.items():
        if value is None or key in ("result_format", "mostly", "condition_parser", "column", "batch_id"):
            continue
        if key == "row_condition":
            if isinstance(value, dict) and value.get("type") == "comparison":
                operator = str(value.get("operator", "")).replace("_", " ").lower()
                value = f"{value.get('column', {}).get('name')} {operator} {value.get('parameter')!r}"
            elif isinstance(value, dict):
                value = value.get("pass_through_filter", value)
            parts.append(f"where {value}")
        else:
            parts.append(f"{key}={value}")
    return ", ".join(parts)


@dataclass
class ExpectationOutcome:
    suite: str
    expectation: str
    column: str
    success: bool
    severity: str
    mostly: float | None
    kwargs: dict[str, Any]
    observed: Any
    unexpected_count: int | None
    unexpected_percent: float | None
    unexpected_ids: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def failed(self) -> bool:
        """Failed and not merely a warning."""
        return (not self.success and self.severity != "warning") or self.error is not None


@dataclass
class GxRun:
    outcomes: list[ExpectationOutcome]
    docs_index: Path | None


def _ids(result: dict[str, Any], id_columns: list[str], frame: pd.DataFrame | None = None) -> list[str]:
    """The ids of the unexpected rows GX lists; where it lists row labels
    (``frame`` given: no index columns were asked for), read from ``frame``."""
    records = result.get("unexpected_index_list") or result.get("partial_unexpected_index_list") or []
    if frame is not None and records and not isinstance(records[0], dict):
        found = frame.loc[list(records), id_columns]
        records = [dict(zip(id_columns, row, strict=True)) for row in found.itertuples(index=False)]
    ids = []
    for record in records:
        if isinstance(record, dict):
            ids.append(":".join(str(record.get(c)) for c in id_columns))
        else:
            ids.append(str(record))
    return list(dict.fromkeys(ids))


def import_gx() -> None:
    """Import Great Expectations (seconds of CPU), e.g. while another process works."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations
        import great_expectations.expectations  # noqa: F401


#: suite name -> (expectations, the columns naming a row)
def _suites() -> dict[str, tuple[list[Any], list[str]]]:
    return {"documents": (document_expectations(), ["id"]), "edits": (edit_expectations(), ["doc", "seq"])}


def _wide_ints(frame: pd.DataFrame, expectations: list[Any]) -> pd.DataFrame:
    """The checked integer columns as int64: GX 1.x compares a range in one
    vectorised step only on int64 and float64 columns, and calls a Python
    function per value on any other (10M calls at a million documents).
    Only columns without negative values: GX shows a fingerprint of the frame
    in Data Docs (pandas' hash, which zero-extends a narrow integer, so a
    negative one hashes differently once wide). Columns compared in pairs are
    left as they are: GX lists their unexpected pairs differently once wide."""
    checked = {e.column for e in expectations if isinstance(getattr(e, "column", None), str)}
    narrow = {
        column: "int64"
        for column, dtype in frame.dtypes.items()
        if column in checked and dtype.kind in "iu" and dtype != "int64" and not (frame[column] < 0).any()
    }
    return frame.astype(narrow) if narrow else frame


class SuiteRunner:
    """An ephemeral context with both suites and the one Data Docs site;
    ``run`` validates one table at a time (each run updates the site), so a
    table can be validated as soon as it is ready."""

    def __init__(self, docs_dir: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GX's import-time deprecation chatter
            import great_expectations as gx
            from great_expectations.data_context.types.base import (
                DataContextConfig,
                InMemoryStoreBackendDefaults,
                ProgressBarsConfig,
            )

        self._gx = gx
        docs_dir = Path(docs_dir).resolve()
        if docs_dir.exists():  # pages of earlier runs would pile up, one timestamped folder each
            shutil.rmtree(docs_dir)
        self.docs_dir = docs_dir
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            data_docs_sites={
                SITE: {
                    "class_name": "SiteBuilder",
                    "show_how_to_buttons": False,
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                }
            },
            progress_bars=ProgressBarsConfig(globally=False),
            analytics_enabled=False,
        )
        self.context = gx.get_context(project_config=config)
        source = self.context.data_sources.add_pandas("seedclean")
        self._validations = {}
        for name, (expectations, id_columns) in _suites().items():
            batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
            suite = self.context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
            self._validations[name] = (id_columns, batch, suite, expectations)
        self.outcomes: dict[str, list[ExpectationOutcome]] = {}
        #: when the documents suite is run after another, the date its run gets
        self.documents_time: dt.datetime | None = None

    def run(self, name: str, frame: pd.DataFrame, run_time: dt.datetime | None = None) -> list[ExpectationOutcome]:
        """Validate ``frame`` against suite ``name``; ``run_time`` (default
        now) orders the runs in the Data Docs index, latest first."""
        gx = self._gx
        id_columns, batch, suite, expectations = self._validations[name]
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        complete = len(frame) <= COMPLETE_RESULT_MAX_ROWS
        # GX reads the index columns of EVERY unexpected row one by one (df.at)
        # before keeping the first 20: 30 s for a million rows. Past the
        # COMPLETE limit it returns row labels, and _ids reads those 20 rows' ids.
        result_format = {"result_format": "COMPLETE" if complete else "SUMMARY"}
        if complete:
            result_format["unexpected_index_column_names"] = id_columns
        checkpoint = self.context.checkpoints.add(
            gx.Checkpoint(
                name=f"{name}_checkpoint",
                validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="docs", site_names=[SITE])],
                result_format=result_format,
            )
        )
        from great_expectations.core.run_identifier import RunIdentifier

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run = checkpoint.run(
                batch_parameters={"dataframe": _wide_ints(frame, expectations)},
                run_id=RunIdentifier(run_time=run_time or dt.datetime.now(dt.UTC)),
            )
        outcomes = []
        for validation in run.run_results.values():
            for res in validation.results:
                config_ = res.expectation_config
                kwargs = jsonable(dict(config_.kwargs))
                result = jsonable(dict(res.result or {}))
                raised = (res.exception_info or {}).get("raised_exception")
                severity = getattr(config_, "severity", None)
                outcomes.append(
                    ExpectationOutcome(
                        suite=name,
                        expectation=config_.type,
                        column=str(kwargs.get("column") or kwargs.get("column_list") or kwargs.get("column_A") or ""),
                        success=bool(res.success),
                        severity=str(getattr(severity, "value", severity) or "critical"),
                        mostly=kwargs.get("mostly"),
                        kwargs={k: v for k, v in kwargs.items() if k not in ("batch_id", "column")},
                        observed=result.get("observed_value"),
                        unexpected_count=result.get("unexpected_count"),
                        unexpected_percent=result.get("unexpected_percent"),
                        unexpected_ids=_ids(result, id_columns, None if complete else frame),
                        error=str((res.exception_info or {}).get("exception_message")) if raised else None,
                    )
                )
        self.outcomes[name] = outcomes
        return outcomes

    def finish(self) -> GxRun:
        """Every suite's outcomes, documents first, and the Data Docs index."""
        urls = self.context.get_docs_sites_urls(site_names=[SITE])
        outcomes = [o for name in _suites() for o in self.outcomes.get(name, [])]
        return GxRun(outcomes, self.docs_dir / "index.html" if urls else None)


def run_suites(tables: dict[str, pd.DataFrame], docs_dir: Path) -> GxRun:
    """Validate each table against its suite and write Data Docs into ``docs_dir``."""
    runner = SuiteRunner(docs_dir)
    for name in _suites():
        runner.run(name, tables[name])
    return runner.finish()
