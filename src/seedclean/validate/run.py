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

import datetime as dt
import json
import math
import os
import resource
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from seedclean import __version__
from seedclean.errors import UserError
from seedclean.validate.duplicates import EXACT_PAIRS, SIMILARITY, Groups, KeyCollector, find_groups
from seedclean.validate.expectations import ExpectationOutcome, GxRun, SuiteRunner, import_gx, run_suites
from seedclean.validate.schemas import DocumentsModel, EditsModel
from seedclean.validate.sidetables import JSON_EDIT_ORDER, SideTables, open_side_tables
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
    edit_counts: dict[str, Counter[str]] = field(default_factory=dict)  # edits per kind, step, reason
    edits_sampled: bool = False  # Great Expectations saw an evenly spaced sample of the edits
    edit_rows_expected: int = 0  # edit rows Great Expectations saw
    side_tables: bool = False  # read through the side tables, not the JSON logs
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
    model: type[pa.DataFrameModel] | pa.DataFrameSchema, table: str, frame: pd.DataFrame, id_column: str
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
EDIT_LABELS = ("doc", "step", "kind", "reason")
#: documents columns the corpus-wide duplicates pass fills in
GROUP_COLUMNS = ["near_dup_group", "near_dup_similarity", "remark_group", "remark_similarity"]
#: long strings checked by Pandera chunk by chunk and needed by no later stage
#: (a document page reads its whole record again)
UNKEPT_COLUMNS = ("sha256", "path", "credits", "bom", "dateline", "published")
CATEGORY_COLUMNS = ("language", "encoding")


def _int32(frame: pd.DataFrame) -> pd.DataFrame:
    """int64 columns as int32: offsets and counts of one article fit (files
    over 256 MiB are refused by normalize), and a million rows halve."""
    for column, dtype in frame.dtypes.items():
        if dtype == "int64" and len(frame) and frame[column].abs().max() < 2**31:
            frame[column] = frame[column].astype("int32")
    return frame


@dataclass
class Positions:
    """Where each document's rows start in documents.jsonl and edits.jsonl
    (byte offsets), so report pages read only the documents they show."""

    documents: list[int] | np.ndarray = field(default_factory=list)
    edits: dict[str, int] = field(default_factory=dict)
    #: from the side tables: per document, the offset of its id's edits (-1: none);
    #: a million-entry dict of ids held ~140 MB beside the duplicates pass
    edits_by_document: np.ndarray | None = None

    def edits_offset(self, index: int, doc_id: str) -> int | None:
        """Where the edits of the document at ``index`` (id ``doc_id``) start."""
        if self.edits_by_document is not None:
            offset = int(self.edits_by_document[index])
            return None if offset < 0 else offset
        return self.edits.get(doc_id)


def _labels(codes: dict[str, int], values: pd.Series) -> np.ndarray:
    """``values`` as codes into ``codes``, which grows with new labels."""
    local, uniques = pd.factorize(values.astype(str))
    mapping = np.array([codes.setdefault(label, len(codes)) for label in uniques], dtype=np.int32)
    return mapping[local] if len(mapping) else np.zeros(len(values), dtype=np.int32)


def _no_edits() -> pd.DataFrame:
    """The edits table of a corpus without a single edit."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c not in EDIT_LABELS else "str") for c in EDIT_COLUMNS})


#: edit rows Great Expectations sees at most: past it, an evenly spaced
#: sample (every 2nd, 4th... row); Pandera still checks every row
GX_EDIT_ROWS = 1_000_000


def _edits_table(
    out_dir: Path,
    result: ValidationResult,
    positions: Positions,
    chunk_rows: int = CHUNK_ROWS,
    max_rows: int = GX_EDIT_ROWS,
) -> tuple[pd.DataFrame, Counter[str]]:
    """Pandera chunk by chunk over edits.jsonl. Kept for Great Expectations:
    numbers, and the labels (document, step, kind, reason) as codes into a
    vocabulary each, about 40 bytes a row, and at most ``max_rows`` rows;
    counted for the report: edits per document, kind, step and reason."""
    logged: Counter[str] = Counter()
    frames: list[pd.DataFrame] = []
    kept_rows, stride = 0, 1
    vocabularies: dict[str, dict[str, int]] = {column: {} for column in EDIT_LABELS}
    for frame in edit_frames(out_dir, chunk_rows, positions.edits):
        result.edits += len(frame)
        logged.update(frame["doc"].value_counts().to_dict())
        for column in ("kind", "step", "reason"):
            result.edit_counts.setdefault(column, Counter()).update(frame[column].astype(str).value_counts().to_dict())
        frame, failures = _validate_chunk(EditsModel, "edits", frame, "doc")
        result.failures.extend(failures)
        frame = frame[frame.index % stride == 0]
        kept = _int32(frame[[c for c in EDIT_COLUMNS if c in frame.columns and c not in EDIT_LABELS]].copy())
        for column in EDIT_LABELS:
            if column in frame.columns:
                kept[column] = _labels(vocabularies[column], frame[column])
        frames.append(kept)
        kept_rows += len(kept)
        while kept_rows > max_rows:  # thin what is kept to every other row of the current sample
            stride *= 2
            frames = [f[f.index % stride == 0] for f in frames]
            kept_rows = sum(len(f) for f in frames)
    result.edits_sampled = stride > 1
    if not frames:
        return _no_edits(), logged
    table = pd.concat(frames)
    frames.clear()
    for column in EDIT_LABELS:
        if column in table.columns:
            table[column] = _first_seen(pd.Categorical.from_codes(table[column], categories=list(vocabularies[column])))
    return table[[c for c in EDIT_COLUMNS if c in table.columns]], logged


def _first_seen(values: pd.Categorical) -> pd.Categorical:
    """The categories that occur, in the order they first occur: the same
    whichever path (JSON logs or side tables) built the codes."""
    codes = values.codes
    used = pd.unique(codes[codes >= 0])
    renumber = np.full(len(values.categories) + 1, -1, dtype=np.int64)  # the extra last slot: code -1 stays -1
    renumber[used] = np.arange(len(used))
    return pd.Categorical.from_codes(renumber[codes], categories=values.categories[used])


def _sample_stride(rows: int, max_rows: int) -> int:
    """The stride _edits_table ends with: the smallest power of two keeping at most ``max_rows``."""
    stride = 1
    while -(-rows // stride) > max_rows:
        stride *= 2
    return stride


@cache
def _side_edits_schema() -> pa.DataFrameSchema:
    """EditsModel with the label columns typed as the categoricals the side
    tables give: the same checks, run on each label once (coercing them to
    str would build 4 strings a row, 139M at a million documents)."""
    return EditsModel.to_schema().update_columns({name: {"dtype": "category"} for name in EDIT_LABELS})


#: edit rows read and checked at a time from the side tables (numbers and codes only)
SIDE_EDIT_CHUNK = 1_000_000


def _edits_table_side(
    side: SideTables,
    result: ValidationResult,
    positions: Positions,
    ids: pd.Index,
    chunk_rows: int = SIDE_EDIT_CHUNK,
    max_rows: int = GX_EDIT_ROWS,
) -> tuple[pd.DataFrame, np.ndarray]:
    """_edits_table over edits.i32: the same checks, counts and sample, with
    the labels as categoricals; returns edits per document (as the JSON path
    counts them: by id, so documents sharing an id share the count)."""
    unique_ids = pd.Index(pd.unique(ids))
    id_code = unique_ids.get_indexer(ids)
    dtypes = {"doc": pd.CategoricalDtype(unique_ids)} | {
        label: pd.CategoricalDtype(side.vocabulary(label)) for label in ("step", "kind", "reason")
    }
    at = {column: number for number, column in enumerate(EDIT_COLUMNS)}
    by_id = np.zeros(len(unique_ids), dtype=np.int64)
    label_counts = {
        label: np.zeros(len(dtypes[label].categories), dtype=np.int64) for label in ("kind", "step", "reason")
    }
    stride = _sample_stride(side.edits, max_rows)
    kept: list[pd.DataFrame] = []
    for start, block in side.edit_blocks(chunk_rows):
        index = pd.RangeIndex(start, start + len(block))
        doc = id_code[block[:, 0]]
        by_id += np.bincount(doc, minlength=len(unique_ids))
        for label, counts in label_counts.items():
            counts += np.bincount(block[:, at[label]], minlength=len(counts))
        # the chunk's documents only as categories: pandera walks a categorical's categories
        present, local = np.unique(doc, return_inverse=True)
        columns: dict[str, Any] = {}
        for column in JSON_EDIT_ORDER:
            if column == "doc":
                columns[column] = pd.Categorical.from_codes(local, categories=unique_ids[present])
            elif column in dtypes:
                columns[column] = pd.Categorical.from_codes(block[:, at[column]], dtype=dtypes[column])
            else:
                columns[column] = block[:, at[column]]
        frame = pd.DataFrame(columns, index=index, copy=False)
        result.edits += len(frame)
        _, failures = _validate_chunk(_side_edits_schema(), "edits", frame, "doc")
        result.failures.extend(failures)
        chosen = index % stride == 0
        frame = frame[chosen].copy()
        frame["doc"] = doc[chosen]  # global codes: chunks' categories differ, so they are joined at the end
        kept.append(frame[[c for c in EDIT_COLUMNS if c not in EDIT_LABELS] + list(EDIT_LABELS)])
    for label, counts in label_counts.items():
        categories = dtypes[label].categories
        result.edit_counts[label] = Counter({str(categories[i]): int(counts[i]) for i in np.flatnonzero(counts)})
    result.edits_sampled = stride > 1
    logged = by_id[id_code]
    index = side.index()
    with_edits = np.flatnonzero(index[:, 2])
    # the first document of an id with edits gives its offset, as in the JSON path
    by_code = np.full(len(unique_ids), -1, dtype=np.int64)
    codes, first = np.unique(id_code[with_edits], return_index=True)
    by_code[codes] = index[with_edits[first], 1]
    positions.edits_by_document = by_code[id_code]
    positions.documents = index[:, 0]
    if not kept:
        return _no_edits(), logged
    table = pd.concat(kept)
    kept.clear()
    table["doc"] = pd.Categorical.from_codes(table["doc"].to_numpy(), dtype=dtypes["doc"])
    for column in EDIT_LABELS:
        table[column] = _first_seen(table[column].array)
    return table[list(EDIT_COLUMNS)], logged


def _documents_table(
    out_dir: Path,
    result: ValidationResult,
    logged: Counter[str],
    positions: Positions,
    chunk_rows: int = CHUNK_ROWS,
    exact_pairs: int = EXACT_PAIRS,
) -> pd.DataFrame:
    """One pass over documents.jsonl, without the text: Pandera chunk by chunk
    on every column but the groups, the MinHash keys collected; then the
    groups found, joined in and checked on the kept (slimmer) table."""
    collected = KeyCollector()
    frames = []
    offset = 0
    for rows in chunked(document_rows(out_dir, collected, positions.documents), chunk_rows):
        frame = pd.DataFrame(rows, index=pd.RangeIndex(offset, offset + len(rows)))
        offset += len(rows)
        frame["edits_logged"] = [logged.get(doc_id, 0) for doc_id in frame["id"]]
        frames.append(_checked_documents(frame, result))
    return _joined(frames, result, lambda: find_groups(out_dir, collected, exact_pairs)[1:], chunk_rows)


def _documents_table_side(
    side: SideTables,
    result: ValidationResult,
    logged: np.ndarray,
    groups: Callable[[], tuple[Groups, Groups]],
    chunk_rows: int = CHUNK_ROWS,
) -> pd.DataFrame:
    """_documents_table over fields.csv; ``groups`` waits for the duplicates
    pass (``side_groups``, run beside this one)."""
    frames = []
    for frame in side.field_frames(chunk_rows):
        frame["edits_logged"] = logged[frame.index[0] : frame.index[-1] + 1]
        frames.append(_checked_documents(frame, result))
    return _joined(frames, result, groups, chunk_rows)


def side_groups(
    side: SideTables, exact_pairs: int = EXACT_PAIRS, near_duplicates: Path | None = None
) -> tuple[Groups, Groups]:
    """The near-duplicate and shared-remark groups from the side tables' keys;
    written to ``near_duplicates`` (near_duplicates.json) if given."""
    names = pd.read_csv(side.out_dir / "fields.csv", usecols=["id", "path"], dtype="str", keep_default_na=False)
    counts = side.index()[:, 3:5]

    def loader(kind: str, column: int) -> Callable[[], Iterator[tuple[np.ndarray, np.ndarray]]]:
        return lambda: side.key_parts(kind, counts[:, column])

    collected = KeyCollector.from_loaders(
        names["id"].tolist(), names["path"].array, loader("doc", 0), loader("remarks", 1)
    )
    del names
    with _phase("duplicates pass (second process)"):
        _, near, remarks = find_groups(side.out_dir, collected, exact_pairs)
    if near_duplicates is not None:
        # here, the second process, which is done before the first needs the groups
        with _phase("near_duplicates.json (second process)"):
            write_near_duplicates(near_duplicates, [near, remarks])
    # without the ids: the caller has them, and a million of them pickled cost seconds
    return near.without_ids(), remarks.without_ids()


@cache
def _schemas() -> tuple[pa.DataFrameSchema, pa.DataFrameSchema]:
    """The documents schema without the group columns, and of the group columns alone."""
    schema = DocumentsModel.to_schema()
    group_schema = pa.DataFrameSchema(
        {name: schema.columns[name] for name in GROUP_COLUMNS}, name=schema.name, coerce=True
    )
    return schema.remove_columns(GROUP_COLUMNS), group_schema


def _checked_documents(frame: pd.DataFrame, result: ValidationResult) -> pd.DataFrame:
    frame, failures = _validate_chunk(_schemas()[0], "documents", frame, "id")
    result.failures.extend(failures)
    return _int32(frame.drop(columns=[c for c in UNKEPT_COLUMNS if c in frame.columns]))


def _joined(
    frames: list[pd.DataFrame],
    result: ValidationResult,
    groups: Callable[[], tuple[Groups, Groups]],
    chunk_rows: int,
) -> pd.DataFrame:
    """The checked chunks as one table, with the duplicate groups found, joined in and checked."""
    if not frames:
        return pd.DataFrame(columns=list(DocumentsModel.to_schema().columns))
    table = pd.concat(frames)
    frames.clear()
    for column in CATEGORY_COLUMNS:
        if column in table.columns:
            table[column] = table[column].astype("category")
    near, remarks = groups()
    if near.ids is None or remarks.ids is None:  # from the second process
        ids = table["id"].tolist()
        near, remarks = near.with_ids(ids), remarks.with_ids(ids)
    result.near_duplicates, result.shared_remarks = near, remarks
    table["near_dup_group"] = near.group
    table["near_dup_similarity"] = near.similarity
    table["remark_group"] = remarks.group
    table["remark_similarity"] = remarks.similarity
    _, failures = _validate_chunk(_schemas()[1], "documents", table[GROUP_COLUMNS], "near_dup_group")
    for failure in failures:  # name the document, not the group
        failure.document = None if failure.row is None else str(table.at[failure.row, "id"])
    result.failures.extend(failures)
    # pandera checks uniqueness within a chunk; this is the corpus-wide check
    if len(table) > chunk_rows:
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


def _canonical_order(result: ValidationResult) -> None:
    """Failures by table, row, column and check, and counts by count then
    label: the same whatever the chunk size or the path the rows were read by."""
    result.failures.sort(
        key=lambda f: (f.table != "edits", -1 if f.row is None else f.row, f.column or "", f.check, str(f.value))
    )
    for name, counts in result.edit_counts.items():
        result.edit_counts[name] = Counter(dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))))


def write_json(result: ValidationResult, documents: pd.DataFrame, *, near_duplicates: bool = True) -> None:
    """validation.json and (unless ``near_duplicates`` is false: the duplicates
    pass wrote it) near_duplicates.json."""
    reports = result.reports_dir
    summary = {
        "seedclean": __version__,
        "out_dir": str(result.out_dir),
        "ok": result.ok,
        "documents": result.documents,
        "edits": result.edits,
        "edit_rows_seen_by_expectations": result.edit_rows_expected,
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
    if near_duplicates:
        kinds = [g for g in (result.near_duplicates, result.shared_remarks) if g is not None]
        write_near_duplicates(reports / "near_duplicates.json", kinds)


def _json_value(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``, the common case (a str) without its overhead."""
    return encode_basestring(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


def _json_values(values: list[Any]) -> list[str]:
    """_json_value of each; all str (the rule) in one C call each."""
    try:
        return list(map(encode_basestring, values))
    except TypeError:  # an id that is no str
        return [_json_value(value) for value in values]


def _json_float(value: float) -> str:
    return float.__repr__(value) if math.isfinite(value) else json.dumps(value)


#: pairs encoded at a time: the lines of a million at once held ~300 MB
PAIR_BLOCK = 100_000


def write_near_duplicates(path: Path, kinds: list[Groups]) -> None:
    """near_duplicates.json: per kind, its groups (members in corpus order)
    and pairs, one JSON object a line, byte for byte what ``json.dumps`` of
    each would give. Encoded in bulk from the groups' arrays: one
    ``json.dumps`` per pair took seconds at a million pairs."""
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for number, kind_groups in enumerate(kinds):
            ids = kind_groups.ids if kind_groups.ids is not None else ()
            head = {
                "kind": kind_groups.kind,
                "threshold": kind_groups.threshold,
                "similarity": SIMILARITY,
                "candidates": kind_groups.candidates,
                "candidates_verified": kind_groups.candidates - kind_groups.estimated,
            }
            out.write(("," if number else "") + "\n" + json.dumps(head, ensure_ascii=False)[:-1] + ',\n"groups": [')
            out.write(_group_lines(kind_groups, ids))
            out.write('],\n"pairs": [')
            pairs = len(kind_groups.pair_score)
            for start in range(0, pairs, PAIR_BLOCK):
                out.write(("," if start else "") + _pair_lines(kind_groups, ids, slice(start, start + PAIR_BLOCK)))
            out.write("]}")
        out.write("\n]\n")


def _group_lines(groups: Groups, ids: Any) -> str:
    """The groups' lines: one per group name in order of first appearance
    (two groups whose first documents share an id are one, as they always were)."""
    grouped = np.flatnonzero(groups.root >= 0)
    if not len(grouped):
        return ""
    objects = np.asarray(ids, dtype=object) if not isinstance(ids, np.ndarray) else ids
    names = objects[groups.root[grouped]]
    codes, uniques = pd.factorize(pd.Series(names, dtype=object))
    order = np.argsort(codes, kind="stable")
    members = _json_values([str(doc_id) for doc_id in objects[grouped[order]].tolist()])
    ends = np.cumsum(np.bincount(codes, minlength=len(uniques))).tolist()
    lines, start = [], 0
    for name, end in zip(uniques.tolist(), ends, strict=True):
        lines.append('\n{"group": ' + _json_value(name) + ', "members": [' + ", ".join(members[start:end]) + "]}")
        start = end
    return ",".join(lines)


def _pair_lines(groups: Groups, ids: Any, chosen: slice) -> str:
    first, other = groups.pair_first[chosen], groups.pair_other[chosen]
    used = np.unique(np.concatenate([first, other]))
    encoded = np.empty(len(ids), dtype=object) if len(used) else np.empty(0, dtype=object)
    encoded[used] = _json_values([ids[i] for i in used.tolist()])
    scores = np.array([_json_float(x) for x in groups.pair_score[chosen].tolist()] + [""], dtype=object)[:-1]
    tails = np.array(["}", ', "estimated": true}'], dtype=object)[groups.pair_estimated[chosen].astype(np.intp)]
    lines = '\n{"a": ' + encoded[first] + ', "b": ' + encoded[other] + ', "jaccard": ' + scores + tails
    return ",".join(lines.tolist())


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


@contextmanager
def _beside(function: Callable[..., Any], *args: Any) -> Iterator[Callable[[], Any]]:
    """``function(*args)`` run in a forked process while the caller goes on;
    yields a callable that waits for its result. Where there is no fork
    (or one core) it runs in this process when first asked."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        yield lambda: function(*args)
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        future = pool.submit(function, *args)
        # an idle worker keeps the heap it grew: it ends as soon as its result is
        # in, not when the caller gets round to asking (the helper is often done first)
        future.add_done_callback(lambda _: pool.shutdown(wait=False))

        def result() -> Any:
            return future.result()

        yield result


@contextmanager
def _phase(name: str) -> Iterator[None]:
    """With SEEDCLEAN_PHASES=1, print a phase's CPU and wall time and the
    memory held after it (for bench/validate.py --phases)."""
    if not os.environ.get("SEEDCLEAN_PHASES"):
        yield
        return
    cpu, wall = time.process_time(), time.perf_counter()
    yield
    with open("/proc/self/statm") as statm:  # Linux only, as the benchmark
        rss = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        f"phase {name}: {time.process_time() - cpu:.1f} s CPU, {time.perf_counter() - wall:.1f} s wall, "
        f"RSS {rss / 2**20:,.0f} MiB, peak so far {peak / 2**20:,.0f} MiB",
        file=sys.stderr,
        flush=True,
    )


def validate_folder(
    out_dir: Path,
    reports_dir: Path,
    *,
    max_document_pages: int = 500,
    chunk_rows: int = CHUNK_ROWS,
    exact_pairs: int = EXACT_PAIRS,
    side_tables: bool = True,
) -> ValidationResult:
    """Validate a normalized folder and write every report into ``reports_dir``.

    ``chunk_rows`` rows are parsed and checked at a time; ``exact_pairs``
    near-duplicate candidates of each kind get the exact similarity (the
    rest the LSH estimate). Neither changes a result on a corpus smaller
    than them. ``side_tables=False`` reads the JSON logs even where side
    tables that match them exist."""
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
    positions = Positions()
    side = open_side_tables(out_dir) if side_tables else None
    runner: SuiteRunner | None = None
    groups_written = False  # near_duplicates.json, by the duplicates pass
    if side is not None and side.documents:
        # the duplicates pass needs nothing the others make: it runs in a
        # second process (forked, so nothing is pickled on the way in)
        groups_written = True
        with _beside(side_groups, side, exact_pairs, reports_dir / "near_duplicates.json") as groups:
            with _phase("import great expectations"):
                import_gx()
            with _phase("edits (side tables)"):
                ids = side.ids()
                edits, logged_counts = _edits_table_side(side, result, positions, ids, max(chunk_rows, SIDE_EDIT_CHUNK))
                del ids

            def edits_suite_then_groups() -> tuple[Groups, Groups]:
                # the edits suite needs no groups: it runs while the duplicates pass does
                nonlocal runner
                with _phase("great expectations, edits suite (the duplicates pass still running)"):
                    # the documents run is dated first, as when the suites ran in order:
                    # the Data Docs index lists runs by date
                    documents_time = dt.datetime.now(dt.UTC)
                    runner = SuiteRunner(reports_dir / "data_docs")
                    runner.run("edits", edits)
                with _phase("waiting for the duplicates pass"):
                    near, remarks = groups()
                runner.documents_time = documents_time
                return near, remarks

            with _phase("documents (side tables)"):
                documents = _documents_table_side(side, result, logged_counts, edits_suite_then_groups, chunk_rows)
                del logged_counts
    else:
        with _phase("edits (JSON)"):
            edits, logged = _edits_table(out_dir, result, positions, chunk_rows)
        with _phase("documents and duplicates (JSON)"):
            documents = _documents_table(out_dir, result, logged, positions, chunk_rows, exact_pairs)
            del logged
    result.side_tables = side is not None
    _canonical_order(result)
    if documents.empty:
        failed = f" ({len(result.errors)} files failed to clean, listed in errors.jsonl)" if result.errors else ""
        raise UserError(f"{out_dir} holds no cleaned documents{failed}; there is nothing to validate")
    result.documents, result.edit_rows_expected = len(documents), len(edits)
    result.pandera_checks = _count_checks()
    with _phase("great expectations"):
        if runner is None:
            gx_run: GxRun = run_suites({"documents": documents, "edits": edits}, reports_dir / "data_docs")
        else:
            runner.run("documents", documents, run_time=runner.documents_time)
            gx_run = runner.finish()
    result.expectations = gx_run.outcomes
    result.data_docs = gx_run.docs_index
    from seedclean.report.offline import make_site_offline

    with _phase("data docs offline, validation.json, near_duplicates.json"):
        make_site_offline(reports_dir / "data_docs", reports_dir)
        write_json(result, documents, near_duplicates=not groups_written)

    from seedclean.report.corpus import write_report

    with _phase("report"):
        result.report = write_report(result, documents, positions, max_document_pages=max_document_pages)
    return result
