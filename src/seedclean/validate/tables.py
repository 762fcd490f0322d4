"""The tables validate works on, read from a normalized folder in chunks.

``documents.jsonl`` rows carry whole bodies; the documents table keeps every
field but the text (``body``, ``lede``) and the MinHash keys, so a corpus of a
million articles fits in memory as numbers and short strings. Everything the
checks need from the text was measured per document at normalize time
(``extract/``). The edits table likewise keeps the lengths of ``before`` and
``after``, not the strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
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


def edit_frames(out_dir: Path, size: int = CHUNK_ROWS) -> Iterator[Any]:
    """edits.jsonl as DataFrames of ``size`` rows, ``before``/``after``/``detail``
    replaced by their lengths. pandas' C JSON reader: edits outnumber documents
    ten to one, and it parses them four times faster than json.loads per row."""
    import pandas as pd

    path = out_dir / "edits.jsonl"
    if path.stat().st_size == 0:
        return
    offset = 0
    try:
        for chunk in pd.read_json(path, lines=True, chunksize=size, dtype=False):
            chunk.index = pd.RangeIndex(offset, offset + len(chunk))
            offset += len(chunk)
            for column in ("before", "after"):
                text = chunk.pop(column) if column in chunk else pd.Series("", index=chunk.index)
                chunk[f"{column}_chars"] = text.fillna("").astype(str).str.len()
            yield chunk.drop(columns=[c for c in EDIT_TEXT_FIELDS if c in chunk])
    except ValueError as exc:
        raise UserError(f"{path} is not valid JSON Lines ({exc}); normalize the folder again") from None


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


def document_rows(out_dir: Path, collector: Any = None) -> Iterator[dict[str, Any]]:
    """Table rows of documents.jsonl; each full record is first shown to
    ``collector.add`` (the duplicates pass), so the file is parsed once."""
    for number, record in enumerate(json_rows(out_dir / "documents.jsonl")):
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
