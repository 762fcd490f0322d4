"""Rebuilding the raw input, byte for byte, from a normalized folder.

For each row of ``documents.jsonl`` the cleaned ``.txt`` is read, the
article's edits are undone pass by pass in reverse, the text is encoded as
the input was (encoding and byte-order mark recorded in the row) and checked
against the recorded sha256.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from seedclean.edits import LoggedEdit, undo_edits
from seedclean.errors import UserError


@dataclass
class RestoreSummary:
    restored: int = 0
    mismatched: list[str] | None = None
    #: documents that could not be rebuilt, "path: why"
    failed: list[str] = field(default_factory=list)


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(
                    f"{path}:{number} is not valid JSON ({exc.msg}); the folder is damaged, normalize again"
                ) from None


def restore_text(text: str, edit_rows: list[dict[str, Any]]) -> str:
    """Undo one document's logged edits (rows of edits.jsonl) on its output text."""
    by_pass: dict[int, list[LoggedEdit]] = {}
    for row in edit_rows:
        by_pass.setdefault(row["pass"], []).append(LoggedEdit.from_json(row))
    for pass_no in sorted(by_pass, reverse=True):
        text = undo_edits(text, sorted(by_pass[pass_no], key=lambda e: (e.start, e.end)))
    return text


def restore_document(out_dir: Path, record: dict[str, Any], edit_rows: list[dict[str, Any]]) -> bytes:
    text = (out_dir / record["path"]).read_bytes().decode("utf-8")
    raw_text = restore_text(text, edit_rows)
    return bytes.fromhex(record.get("bom", "")) + raw_text.encode(record["encoding"])


def _refuse_original_input(out_dir: Path, dest_dir: Path) -> None:
    """Restoring over the original input would overwrite the user's files
    with the rebuilt ones: if any differed, the original would be lost."""
    try:
        recorded = json.loads((out_dir / ".seedclean.json").read_text(encoding="utf-8"))["input"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    if Path(recorded).resolve() == dest_dir.resolve():
        raise UserError(
            f"{dest_dir} is the folder {out_dir} was normalized from; restore into a new folder, "
            "never over the original files"
        )


def restore_folder(out_dir: Path, dest_dir: Path) -> RestoreSummary:
    """Write every original input of ``out_dir`` under ``dest_dir``."""
    out_dir = Path(out_dir)
    documents = out_dir / "documents.jsonl"
    edits = out_dir / "edits.jsonl"
    if not documents.is_file() or not edits.is_file():
        raise UserError(
            f"{out_dir} is not a seedclean output folder (no documents.jsonl and edits.jsonl); "
            "pass the OUT of `seedclean normalize`"
        )
    dest_dir = Path(dest_dir)
    if dest_dir.resolve() == out_dir.resolve():
        raise UserError("the restore destination must differ from the normalized folder")
    _refuse_original_input(out_dir, dest_dir)
    summary = RestoreSummary(mismatched=[])
    edit_groups = groupby(_rows(edits), key=lambda row: row["doc"])
    next_group = next(edit_groups, None)
    for record in _rows(documents):
        doc_edits: list[dict[str, Any]] = []
        # edits.jsonl holds only documents with edits, in documents.jsonl order
        if next_group is not None and next_group[0] == record["id"]:
            doc_edits = list(next_group[1])
            next_group = next(edit_groups, None)
        try:
            data = restore_document(out_dir, record, doc_edits)
        except (OSError, UnicodeError, ValueError) as exc:
            # a missing or edited output file: this one cannot be rebuilt, the others can
            summary.failed.append(f"{record['path']}: {exc}")
            continue
        if hashlib.sha256(data).hexdigest() != record["sha256"]:
            summary.mismatched.append(record["path"])
        target = dest_dir / record["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        summary.restored += 1
    return summary
