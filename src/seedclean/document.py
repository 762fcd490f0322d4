"""One document through the stages: read -> normalize -> extract.

:func:`clean_bytes` is a pure function of a file's bytes (and the rules), so
documents can be cleaned in any order, in any process, on any machine.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from seedclean.edits import KINDS, LoggedEdit
from seedclean.extract.fields import extract_fields
from seedclean.normalize import native
from seedclean.normalize.pipeline import Normalized, normalize
from seedclean.normalize.rules import Rules
from seedclean.normalize.title import find_title
from seedclean.read.decode import decode_bytes


@dataclass(frozen=True)
class CleanDocument:
    """A cleaned document: its output text, its record and its edit log."""

    doc_id: str
    text: str  # the .txt output: title, blank line, body
    record: dict[str, Any]  # the documents.jsonl row
    edits: tuple[LoggedEdit, ...] = field(repr=False)  # the edit log, as Normalized holds it
    passes: tuple[int, ...] = field(repr=False)

    @cached_property
    def edit_rows(self) -> list[dict[str, Any]]:
        """The edits.jsonl rows, as dicts (a run encodes ``edits`` directly:
        the dicts are made only when asked for)."""
        return _rows(self.doc_id, self.edits, self.passes)

    @property
    def title(self) -> str | None:
        return self.record["title"]

    @property
    def body(self) -> str:
        return self.record["body"]


def split_title(text: str) -> tuple[str | None, str]:
    """(title, body) of a normalized text."""
    title = find_title(text)
    if title is None:
        return None, text.strip("\n")
    return title, text[text.index("\n") :].strip("\n")


def edit_rows(doc_id: str, normalized: Normalized) -> list[dict[str, Any]]:
    return _rows(doc_id, normalized.edits, normalized.passes)


def _rows(doc_id: str, edits: tuple[LoggedEdit, ...], passes: tuple[int, ...]) -> list[dict[str, Any]]:
    rows = []
    for seq, (edit, pass_no) in enumerate(zip(edits, passes, strict=True)):
        row = edit.to_json(doc_id, seq)
        row["pass"] = pass_no
        rows.append(row)
    return rows


def clean_bytes(data: bytes, doc_id: str, relative_path: str, rules: Rules) -> CleanDocument:
    """Clean one file's bytes. Raises :class:`~seedclean.errors.InputFileError`
    when the bytes are not text that can be rebuilt faithfully."""
    decoded = decode_bytes(data, relative_path)
    normalized = normalize(decoded.text, rules)
    title, body = split_title(normalized.text)
    kinds, steps, reasons = native.edit_counts(normalized.edits)
    record: dict[str, Any] = {
        "id": doc_id,
        "path": relative_path,
        "title": title,
        "body": body,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "encoding": decoded.encoding,
        "bom": decoded.bom.hex(),
        "edit_counts": {kind: kinds.get(kind, 0) for kind in KINDS},
        "edits_by_step": dict(sorted(steps.items())),
        "edits_by_reason": dict(sorted(reasons.items())),
    }
    record.update(extract_fields(normalized, title, body, decoded.text))
    return CleanDocument(doc_id, normalized.text, record, normalized.edits, normalized.passes)
