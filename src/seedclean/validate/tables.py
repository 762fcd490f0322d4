"""The tables validate works on, read from a normalized folder in chunks.

``documents.jsonl`` rows carry whole bodies; the documents table keeps every
field but the text and the MinHash keys, so a corpus of a million articles
fits in memory as numbers and short strings. Everything the checks need from
the text was measured per document at normalize time (``extract/``). The
edits table likewise keeps the lengths of ``before`` and ``after``, not the
strings. Both readers note each row's byte offset, so the report reads back
only the documents it shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from seedclean.edits import KINDS
from seedclean.errors import UserError

CHUNK_ROWS = 50_000

#: fields of documents.jsonl left out of the table (text, or keys used by the duplicates pass)
DOCUMENT_TEXT_FIELDS = ("body", "lede", "minhash_doc", "minhash_remarks", "edits_by_step", "edits_by_reason")
EDIT_TEXT_FIELDS = ("before", "after", "detail")
#: fields validate cannot do without (an OUT from before the extract stage lacks them)
REQUIRED_FIELDS = ("id", "path", "words", "residual_boilerplate_lines", "minhash_doc")


def check_output_folder(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise UserError(f"{out_dir} is not a folder; pass the OUT folder written by `seedclean normalize`")
    for name in ("documents.jsonl", "edits.jsonl"):
        if not (out_dir / name).is_file():
            raise UserError(
                f"{out_dir} has no {name}: it is not a seedclean output folder; run `seedclean normalize IN {out_dir}`"
            )
    return out_dir


def json_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(f"{path}:{number} is not valid JSON ({exc.msg}); normalize the folder again") from None


def document_row(record: dict[str, Any]) -> dict[str, Any]:
    """A documents.jsonl record as a flat table row, without its text."""
    row = {key: value for key, value in record.items() if key not in DOCUMENT_TEXT_FIELDS}
    edit_counts = row.pop("edit_counts", {}) or {}
    for kind in KINDS:
        row[f"edits_{kind}"] = int(edit_counts.get(kind, 0))
    row["edits_total"] = sum(row[f"edits_{kind}"] for kind in KINDS)
    row["credits"] = ";".join(row.get("credits") or [])
    row["has_title"] = row.get("title") is not None
    return row


def edit_frames(out_dir: Path, size: int = CHUNK_ROWS, blocks: dict[str, int] | None = None) -> Iterator[Any]:
    """edits.jsonl as DataFrames of ``size`` rows, ``before``/``after``/``detail``
    replaced by their lengths. ``blocks``, if given, receives each document's
    byte offset in the file (where its edits start), so report pages can seek
    to them. json.loads per row and one DataFrame per chunk: twice as fast as
    pandas' read_json(lines=True) on pandas 3."""
    import pandas as pd

    offset = 0
    previous = None
    rows: list[dict[str, Any]] = []
    for start, row in _parsed_lines(out_dir / "edits.jsonl", _edit_row):
        if blocks is not None and row["doc"] != previous:
            previous = row["doc"]
            blocks.setdefault(previous, start)
        rows.append(row)
        if len(rows) >= size:
            yield _edit_frame(pd, rows, offset)
            offset += len(rows)
            rows = []
    if rows:
        yield _edit_frame(pd, rows, offset)


def _edit_row(line: bytes) -> dict[str, Any]:
    row = json.loads(line)
    if not isinstance(row, dict) or not isinstance(row.get("doc"), str):
        raise ValueError("no document id")
    return row


def _parsed_lines(path: Path, parse: Callable[[bytes], Any]) -> Iterator[tuple[int, Any]]:
    """(byte offset, ``parse(line)``) of each line of a JSON-lines table; a
    line that does not parse is a UserError naming it."""
    position = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            start, position = position, position + len(line)
            if not line.strip():
                continue
            try:
                parsed = parse(line)
            except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
                raise UserError(f"{path}:{number} is not valid JSON ({exc}); normalize the folder again") from None
            yield start, parsed


def _edit_frame(pd: Any, rows: list[dict[str, Any]], offset: int) -> Any:
    chunk = pd.DataFrame(rows, index=pd.RangeIndex(offset, offset + len(rows)))
    for column in ("before", "after"):
        text = chunk.pop(column) if column in chunk else pd.Series("", index=chunk.index)
        chunk[f"{column}_chars"] = text.fillna("").astype(str).str.len()
    return chunk.drop(columns=[c for c in EDIT_TEXT_FIELDS if c in chunk])


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars made Python ones and NaN made None, for json.dumps."""
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def chunked(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def document_records(out_dir: Path, offsets: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """documents.jsonl records; ``offsets``, if given, receives each row's
    byte offset. (Cutting the body out of a line before json.loads was
    measured: the regex and slices cost more than decoding the string.)"""
    for start, record in _parsed_lines(out_dir / "documents.jsonl", json.loads):
        if offsets is not None:
            offsets.append(start)
        yield record


def read_record(out_dir: Path, offset: int) -> dict[str, Any]:
    """The whole documents.jsonl record at byte ``offset``."""
    with (out_dir / "documents.jsonl").open("rb") as handle:
        handle.seek(offset)
        return json.loads(handle.readline())


def read_edits(out_dir: Path, doc_id: str, offset: int | None) -> list[dict[str, Any]]:
    """The edits.jsonl rows of ``doc_id``, which start at byte ``offset``."""
    if offset is None:
        return []
    rows = []
    with (out_dir / "edits.jsonl").open("rb") as handle:
        handle.seek(offset)
        for line in handle:
            row = json.loads(line)
            if row["doc"] != doc_id:
                break
            rows.append(row)
    return rows


def document_rows(out_dir: Path, collector: Any = None, offsets: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """Table rows of documents.jsonl; each record is first shown to
    ``collector.add`` (the duplicates pass), so the file is parsed once."""
    for number, record in enumerate(document_records(out_dir, offsets)):
        if number == 0:
            missing = [name for name in REQUIRED_FIELDS if name not in record]
            if missing:
                raise UserError(
                    f"{out_dir / 'documents.jsonl'} lacks the fields {', '.join(missing)}: it was written by an "
                    f"older seedclean; run `seedclean normalize` again into {out_dir}"
                )
        if collector is not None:
            collector.add(record)
        yield document_row(record)
