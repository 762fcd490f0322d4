"""``seedclean validate OUT --reports DIR``: the whole validate stage.

1. edits.jsonl, in chunks: Pandera ``EditsModel`` (lazy), edits per document;
2. the near-duplicate and shared-remark groups (``duplicates.py``);
3. documents.jsonl, in chunks, without the text: Pandera ``DocumentsModel``;
4. Great Expectations suites on both tables, Data Docs into DIR/data_docs;
5. DIR/validation.json (summary, every failure as a row, every expectation),
   DIR/near_duplicates.json, and the corpus report (``seedclean.report``).

Only one chunk of rows with text is in memory at a time; the tables kept for
Great Expectations hold numbers and short strings.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from seedclean import __version__
from seedclean.errors import UserError
from seedclean.validate.duplicates import Groups, KeyCollector, find_groups
from seedclean.validate.expectations import ExpectationOutcome, GxRun, run_suites
from seedclean.validate.schemas import DocumentsModel, EditsModel
from seedclean.validate.tables import (
    CHUNK_ROWS,
    check_output_folder,
    chunked,
    document_rows,
    edit_frames,
    json_rows,
    jsonable,
)


@dataclass
class Failure:
    """One failed check on one row: what the report and the terminal show."""

    table: str
    document: str | None
    column: str | None
    check: str
    value: Any
    row: int | None


@dataclass
class ValidationResult:
    out_dir: Path
    reports_dir: Path
    documents: int = 0
    edits: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # errors.jsonl: files normalize could not clean
    failures: list[Failure] = field(default_factory=list)
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    near_duplicates: Groups | None = None
    shared_remarks: Groups | None = None
    pandera_checks: dict[str, int] = field(default_factory=dict)
    data_docs: Path | None = None
    report: Path | None = None

    @property
    def failed_expectations(self) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if e.failed]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if not e.success and not e.failed]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.failed_expectations

    def failing_documents(self, *, warnings: bool = False) -> dict[str, list[str]]:
        """document id -> names of the checks it fails (Pandera and GX), or
        with ``warnings=True`` of the warning-level expectations it misses."""
        found: dict[str, list[str]] = {}
        if not warnings:
            for failure in self.failures:
                if failure.document:
                    found.setdefault(failure.document, []).append(f"{failure.table}.{failure.column}: {failure.check}")
        for outcome in self.expectations:
            # rows outside an expectation that still holds thanks to `mostly` are worth a look too
            is_warning = outcome.severity == "warning" or outcome.success
            if outcome.unexpected_ids and is_warning == warnings:
                for doc in outcome.unexpected_ids:
                    doc_id = doc.split(":")[0]
                    found.setdefault(doc_id, []).append(f"{outcome.expectation}({outcome.column})")
        return found


def _failures(table: str, error: pa.errors.SchemaErrors, frame: pd.DataFrame, id_column: str) -> list[Failure]:
    """Pandera's failure cases as rows; a dataframe check's per-column cases
    of one row are folded into one failure holding the values it compared."""
    cases = error.failure_cases
    rows: dict[tuple[Any, str, str | None], Failure] = {}
    for case in cases.itertuples(index=False):
        index = None if pd.isna(case.index) else int(case.index)
        document = str(frame.at[index, id_column]) if index is not None and index in frame.index else None
        check = str(case.check).split("(")[0]
        if case.schema_context == "DataFrameSchema" and index is not None:
            key = (index, check, None)
            failure = rows.setdefault(key, Failure(table, document, None, check, {}, index))
            failure.value[str(case.column)] = jsonable(case.failure_case)
            failure.column = ", ".join(failure.value)
        else:
            key = (index, check, str(case.column))
            rows[key] = Failure(table, document, str(case.column), check, jsonable(case.failure_case), index)
    return list(rows.values())


def _validate_chunk(
    model: type[pa.DataFrameModel], table: str, frame: pd.DataFrame, id_column: str
) -> tuple[pd.DataFrame, list[Failure]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return model.validate(frame, lazy=True), []
        except pa.errors.SchemaErrors as error:
            return frame, _failures(table, error, frame, id_column)


EDIT_COLUMNS = [
    "doc",
    "seq",
    "pass",
    "step",
    "kind",
    "reason",
    "start",
    "end",
    "raw_start",
    "raw_end",
    "before_chars",
    "after_chars",
]


def _edits_table(out_dir: Path, result: ValidationResult) -> tuple[pd.DataFrame, Counter[str]]:
    logged: Counter[str] = Counter()
    frames = []
    for frame in edit_frames(out_dir):
        logged.update(frame["doc"].value_counts().to_dict())
        frame, failures = _validate_chunk(EditsModel, "edits", frame, "doc")
        result.failures.extend(failures)
        frames.append(frame[[c for c in EDIT_COLUMNS if c in frame.columns]])
    if not frames:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c not in ("doc", "step", "kind", "reason") else "str") for c in EDIT_COLUMNS}
        ), logged
    table = pd.concat(frames)
    for column in ("step", "kind", "reason"):
        table[column] = table[column].astype("category")
    return table, logged


def _documents_table(out_dir: Path, result: ValidationResult, logged: Counter[str]) -> pd.DataFrame:
    """One pass over documents.jsonl: the table without text, and the
    MinHash keys for the groups; then the groups joined in and Pandera run
    chunk by chunk over the (text-free) table."""
    collected = KeyCollector()
    frames = []
    for rows in chunked(document_rows(out_dir, collected), CHUNK_ROWS):
        frames.append(pd.DataFrame(rows))
    table = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=list(DocumentsModel.to_schema().columns))
    )
    frames.clear()
    _, near, remarks = find_groups(out_dir, collected)
    result.near_duplicates, result.shared_remarks = near, remarks
    table["edits_logged"] = [logged.get(doc_id, 0) for doc_id in table["id"]]
    table["near_dup_group"] = near.group
    table["near_dup_similarity"] = near.similarity
    table["remark_group"] = remarks.group
    table["remark_similarity"] = remarks.similarity
    validated = []
    for start in range(0, len(table), CHUNK_ROWS):
        frame, failures = _validate_chunk(DocumentsModel, "documents", table.iloc[start : start + CHUNK_ROWS], "id")
        result.failures.extend(failures)
        validated.append(frame)
    if validated:
        table = pd.concat(validated)
    # pandera checks uniqueness within a chunk; this is the corpus-wide check
    if len(table) > CHUNK_ROWS:
        for index in table.index[table["id"].duplicated(keep="first")]:
            result.failures.append(
                Failure("documents", str(table.at[index, "id"]), "id", "unique_ids", table.at[index, "id"], int(index))
            )
    return table


def _count_checks() -> dict[str, int]:
    from seedclean.validate.schemas import count_checks

    return {
        name: sum(count_checks(model.to_schema()).values())
        for name, model in (("documents", DocumentsModel), ("edits", EditsModel))
    }


def write_json(result: ValidationResult, documents: pd.DataFrame) -> None:
    reports = result.reports_dir
    summary = {
        "seedclean": __version__,
        "out_dir": str(result.out_dir),
        "ok": result.ok,
        "documents": result.documents,
        "edits": result.edits,
        "files_failed_in_normalize": len(result.errors),
        "pandera_checks": result.pandera_checks,
        "pandera_failures": len(result.failures),
        "expectations": len(result.expectations),
        "expectations_failed": len(result.failed_expectations),
        "expectations_warning": len(result.warnings),
    }
    payload = {
        "summary": summary,
        "failures": [asdict(f) for f in result.failures],
        "expectations": [{**asdict(e), "failed": e.failed} for e in result.expectations],
        "normalize_errors": result.errors,
    }
    (reports / "validation.json").write_text(
        json.dumps(jsonable(payload), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    groups = []
    for kind_groups in (result.near_duplicates, result.shared_remarks):
        if kind_groups is None:
            continue
        members: dict[str, list[str]] = {}
        for doc_id, group in zip(documents["id"], kind_groups.group, strict=False):
            if group is not None:
                members.setdefault(group, []).append(str(doc_id))
        groups.append(
            {
                "kind": kind_groups.kind,
                "threshold": kind_groups.threshold,
                "similarity": "exact Jaccard similarity of shingle sets, candidates from MinHash LSH",
                "candidates_verified": kind_groups.candidates,
                "groups": [{"group": g, "members": m} for g, m in members.items()],
                "pairs": [{"a": a, "b": b, "jaccard": s} for a, b, s in kind_groups.pairs],
            }
        )
    (reports / "near_duplicates.json").write_text(
        json.dumps(groups, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


#: written into a reports folder, so a rerun may replace its subfolders
MARKER = ".seedclean-reports"
OWN_SUBFOLDERS = ("documents", "data_docs")


def _check_reports_folder(reports_dir: Path, out_dir: Path) -> None:
    """Refuse a reports folder whose subfolders a rerun would delete unless
    an earlier run wrote them."""
    if reports_dir.resolve() == out_dir.resolve():
        raise UserError("--reports must differ from the normalized folder; e.g. --reports reports")
    if reports_dir.exists() and not (reports_dir / MARKER).exists():
        taken = [name for name in OWN_SUBFOLDERS if (reports_dir / name).exists()]
        if taken:
            raise UserError(
                f"{reports_dir} already has {', '.join(taken)}/ not written by seedclean validate; "
                "pick an empty or new --reports folder"
            )


def validate_folder(out_dir: Path, reports_dir: Path, *, max_document_pages: int = 500) -> ValidationResult:
    """Validate a normalized folder and write every report into ``reports_dir``."""
    out_dir = check_output_folder(out_dir)
    reports_dir = Path(reports_dir)
    _check_reports_folder(reports_dir, out_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    (reports_dir / MARKER).write_text(
        "written by seedclean validate; its subfolders are replaced on each run\n", encoding="utf-8"
    )
    result = ValidationResult(out_dir=out_dir, reports_dir=reports_dir)
    errors_path = out_dir / "errors.jsonl"
    if errors_path.is_file():
        result.errors = list(json_rows(errors_path))
    edits, logged = _edits_table(out_dir, result)
    documents = _documents_table(out_dir, result, logged)
    if documents.empty:
        failed = f" ({len(result.errors)} files failed to clean, listed in errors.jsonl)" if result.errors else ""
        raise UserError(f"{out_dir} holds no cleaned documents{failed}; there is nothing to validate")
    result.documents, result.edits = len(documents), len(edits)
    result.pandera_checks = _count_checks()
    gx_run: GxRun = run_suites({"documents": documents, "edits": edits}, reports_dir / "data_docs")
    result.expectations = gx_run.outcomes
    result.data_docs = gx_run.docs_index
    from seedclean.report.offline import make_site_offline

    make_site_offline(reports_dir / "data_docs", reports_dir)
    write_json(result, documents)

    from seedclean.report.corpus import write_report

    result.report = write_report(result, documents, edits, max_document_pages=max_document_pages)
    return result
