"""Text-free side tables: what ``seedclean validate`` needs from a normalized
folder, written by normalize next to the JSON logs so validate need not parse
them (at a million articles the logs are 18.5 GB; parsing them alone took
~270 s of CPU).

Layout (all little-endian, in OUT beside documents.jsonl)::

    fields.csv        the documents table validate builds (validate/tables.py
                      ``document_row``: every field but the text, the MinHash
                      keys and the per-step/reason dicts), one CSV row per
                      document in documents.jsonl order, a header row first;
                      a last column ``__nulls`` lists (";"-separated) the
                      columns that were null in that row
    edits.i32         12 int32 per edit, in edits.jsonl order: document index
                      (row of fields.csv), seq, pass, step, kind and reason
                      codes (into the vocabularies of sidetables.json), start,
                      end, raw_start, raw_end, len(before), len(after) in characters
    minhash_doc.i64   the documents' ``minhash_doc`` band keys, one after another
    minhash_remarks.i64  the same for ``minhash_remarks``
    index.i64         5 int64 per document: byte offset of its row in
                      documents.jsonl, byte offset of its first row in
                      edits.jsonl, its edits, its doc keys, its remark keys
    sidetables.json   written last: format, rows, the columns and the type of
                      each (int, float, bool, str; nullable ones listed), the
                      label vocabularies, and a fingerprint (size and a
                      sampled CRC-32) of every file above and of
                      documents.jsonl and edits.jsonl as they were written

validate uses the side tables only when sidetables.json says they are
``usable`` and every fingerprint still matches; otherwise (an older OUT, a
Spark engine's output, a hand-edited log) it reads the JSON logs as before.
A row whose fields do not fit one column type (a field missing, a list, an
int column with a null) makes the side tables unusable, not wrong.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from seedclean.edits import KINDS
from seedclean.normalize import native
from seedclean.validate.tables import DOCUMENT_TEXT_FIELDS, document_row
from seedclean.write.atomic import AtomicBinary, Publishing, write_text_atomic

FORMAT = 1
MANIFEST = "sidetables.json"
FIELDS, EDITS, DOC_KEYS, REMARK_KEYS, INDEX = (
    "fields.csv", "edits.i32", "minhash_doc.i64", "minhash_remarks.i64", "index.i64",
)  # fmt: skip
FILES = (FIELDS, EDITS, DOC_KEYS, REMARK_KEYS, INDEX)
#: the JSON logs the side tables stand for
LOGS = ("documents.jsonl", "edits.jsonl")
EDIT_COLUMNS = (
    "doc", "seq", "pass", "step", "kind", "reason", "start", "end", "raw_start", "raw_end", "before_chars",
    "after_chars",
)  # fmt: skip
LABELS = ("step", "kind", "reason")
LABEL_AT = {label: EDIT_COLUMNS.index(label) for label in LABELS}
INDEX_COLUMNS = ("document_offset", "edits_offset", "edits", "doc_keys", "remark_keys")
NULLS = "__nulls"
#: a value's type as one letter: what pandas infers for a column follows from the letters it holds
_KIND = {bool: "b", int: "i", float: "f", str: "s", type(None): "n"}
#: blocks read for a file's sampled CRC-32 (plus its head and tail)
SAMPLES = 256
BLOCK = 4096


class SideRows(NamedTuple):
    """One document's side-table rows, encoded in the worker that cleaned it.
    Label columns of ``edits`` hold indexes into ``labels`` (this document's
    own step, kind and reason lists) until the writer maps them to codes.
    A tuple: one is made per document, at a quarter of a frozen dataclass's
    cost (its nine fields set one by one through object.__setattr__)."""

    columns: tuple[str, ...]
    kinds: str  # one letter per column, see _KIND ("x": a type no column can hold)
    fields_line: str
    edits: bytes
    labels: tuple[tuple[str, ...], ...]
    doc_keys: bytes
    remark_keys: bytes
    document_bytes: int  # the length of its documents.jsonl line, in bytes
    edit_bytes: int


def _keys(values: Any) -> bytes | None:
    # the array module takes a list of ints in a few hundred ns, numpy's
    # asarray in microseconds (per document, twice); anything array refuses
    # (floats, digit strings, an int past int64) or is not given (a list of
    # something else) goes the way numpy takes it
    if type(values) is list:
        try:
            return array("q", values).tobytes()
        except (TypeError, OverflowError):
            pass
    try:
        return np.asarray(values or [], dtype=np.int64).tobytes()
    except (TypeError, ValueError, OverflowError):
        return None


#: a document's edits.i32 rows already encoded (``native.edit_table``): the
#: rows (None when a number does not fit an int32) and their labels
EncodedEdits = tuple[bytes | None, tuple[tuple[str, ...], ...]]


def _utf8_length(lines: str | bytes) -> int:
    return len(lines) if isinstance(lines, bytes) else len(lines.encode("utf-8"))


def _edit_table(edit_rows: list[dict[str, Any]]) -> EncodedEdits:
    """The edits.i32 rows of edits.jsonl rows given as dicts."""
    steps: dict[str, int] = {}
    edit_kinds: dict[str, int] = {}
    reasons: dict[str, int] = {}
    flat: list[int] = []
    extend = flat.extend
    for edit in edit_rows:  # one flat list into an int32 array: numpy per document cost more than this loop
        extend((
            0, edit["seq"], edit["pass"], steps.setdefault(edit["step"], len(steps)),
            edit_kinds.setdefault(edit["kind"], len(edit_kinds)), reasons.setdefault(edit["reason"], len(reasons)),
            edit["start"], edit["end"], edit["raw_start"], edit["raw_end"], len(edit["before"]), len(edit["after"]),
        ))  # fmt: skip
    try:
        rows: bytes | None = array("i", flat).tobytes()
    except OverflowError:  # an offset past int32: these side tables cannot hold it
        rows = None
    return rows, (tuple(steps), tuple(edit_kinds), tuple(reasons))


#: the record's fields that go to the int64 key tables (DOC_KEYS, REMARK_KEYS)
KEYED = ("minhash_doc", "minhash_remarks")
#: a record's side-table parts as native.record_rows answers them: its
#: fields.csv row (columns, kinds, line; None: the Python writes it) and the
#: int64 bytes of each KEYED field (None: _keys makes them)
RecordParts = tuple[tuple[tuple[str, ...], str, str] | None, tuple[bytes | None, ...]]


def encode_record(record: dict[str, Any]) -> tuple[bytes | None, RecordParts]:
    """A document's record as its documents.jsonl line in UTF-8 (None for a
    value only the json module writes) and its side-table parts, in one pass
    over the record."""
    try:
        line, fields, keys = native.record_rows(record, DOCUMENT_TEXT_FIELDS, KINDS, KEYED)
    except TypeError:  # a value of a type only the json module writes
        return None, (None, (None,) * len(KEYED))
    return line, (fields, keys)


def encode_side(
    record: dict[str, Any],
    edit_rows: list[dict[str, Any]] | None,
    document_line: str | bytes,
    edit_lines: str | bytes,
    *,
    edits: EncodedEdits | None = None,
    parts: RecordParts | None = None,
) -> SideRows:
    """The side-table rows of one cleaned document: its record (and its
    ``parts`` when ``encode_record`` gave them) and its edits, as
    edits.jsonl rows or already encoded (``edits``); its lines in the JSON
    logs as str or in UTF-8."""
    fields, keys = parts if parts is not None else encode_record(record)[1]
    if fields is not None:
        columns, kinds, fields_line = fields
    else:  # a record of another shape: as document_row makes it and the csv module writes it
        row = document_row(record)
        values = list(row.values())
        columns = tuple(row)
        kinds, fields_line = native.csv_fields(values) or csv_row(values)
    rows, labels = edits if edits is not None else _edit_table(edit_rows or [])
    if rows is None:
        kinds += "x"
        rows = b""
    doc_keys, remark_keys = (
        found if found is not None else _keys(record.get(name)) for found, name in zip(keys, KEYED, strict=True)
    )
    if doc_keys is None or remark_keys is None:
        kinds += "x"
        doc_keys = remark_keys = b""
    return SideRows(
        columns=columns,
        kinds=kinds,
        fields_line=fields_line,
        edits=rows,
        labels=labels,
        doc_keys=doc_keys,
        remark_keys=remark_keys,
        document_bytes=_utf8_length(document_line),
        edit_bytes=_utf8_length(edit_lines),
    )


def csv_row(values: list[Any]) -> tuple[str, str]:
    """A letter per value's type (see _KIND) and the values' fields.csv line:
    nulls empty and listed (their positions, ";"-joined) in a last field,
    floats as repr (they round-trip exactly through read_csv: pandas 3 parses
    floats exactly)."""
    kinds = "".join(_KIND.get(type(value), "x") for value in values)
    fields, nulls = [], []
    for number, (value, kind) in enumerate(zip(values, kinds, strict=True)):
        if kind == "n":
            nulls.append(str(number))
            value = ""
        elif kind == "f":
            value = repr(value)
        fields.append(value)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([*fields, ";".join(nulls)])
    return kinds, buffer.getvalue()


def column_type(letters: set[str]) -> str | None:
    """The column type pandas infers from JSON values of these kinds, when
    the side tables reproduce it exactly; None when they do not."""
    if letters <= {"s", "n"} and letters:  # a column of nulls only is read as object Nones either way
        return "str"
    if letters <= {"f", "n"} and letters:  # a null float is NaN either way
        return "float"
    if letters == {"i"}:
        return "int"
    if letters == {"b"}:
        return "bool"
    return None


def fingerprint(path: Path) -> dict[str, int]:
    """Size and a CRC-32 of the head, the tail and SAMPLES evenly spaced
    blocks: cheap at 18 GB, and it catches a hand edit that changes a size
    or lands in a sampled block (not every edit that keeps the size)."""
    size = path.stat().st_size
    crc = 0
    with path.open("rb") as handle:
        starts = {0, max(0, size - BLOCK)} | {size * i // SAMPLES for i in range(SAMPLES)}
        for start in sorted(starts):
            handle.seek(start)
            crc = zlib.crc32(handle.read(BLOCK), crc)
    return {"bytes": size, "crc32": crc}


@dataclass(frozen=True)
class Span:
    """``length`` bytes at ``offset`` of the shared memory a pool's worker
    put its batch in: bytes the parent writes into the tables from there,
    without unpickling them."""

    offset: int
    length: int


#: a table's bytes for a batch of documents: in memory, or in shared memory
Bulk = bytes | Span


@dataclass(frozen=True)
class SideBatch:
    """The side-table rows of consecutive documents, joined where they were
    encoded (``join_side``) so the writer handles a batch in a few array
    operations instead of a few per document."""

    documents: int
    #: (row in the batch, columns) wherever the columns differ from the row before
    columns: tuple[tuple[int, tuple[str, ...]], ...]
    kinds: dict[str, int]  # distinct kinds strings -> rows
    #: the batch's step, kind and reason lists, in order of first use
    labels: tuple[tuple[str, ...], ...]
    edits: Bulk  # edits.i32 rows: column 0 the row in the batch, labels indexes into ``labels``
    index: bytes  # index.i64 rows, offsets counted from the batch's first document
    document_bytes: int
    edit_bytes: int
    fields: Bulk
    doc_keys: Bulk
    remark_keys: Bulk


def join_side(rows: list[SideRows]) -> SideBatch:
    """One SideBatch of consecutive documents' SideRows."""
    columns: list[tuple[int, tuple[str, ...]]] = []
    kinds: dict[str, int] = {}
    vocabularies: list[dict[str, int]] = [{} for _ in LABELS]
    blocks: list[bytes] = []
    # per edit row: where its document's labels start in ``local`` (the
    # documents' own label lists one after another), to map them in one step
    local: list[list[int]] = [[] for _ in LABELS]
    starts: list[list[int]] = [[] for _ in LABELS]
    per_document: list[int] = []
    index: list[int] = []
    document_offset = edits_offset = 0
    for number, side in enumerate(rows):
        if not columns or side.columns != columns[-1][1]:
            columns.append((number, side.columns))
        kinds[side.kinds] = kinds.get(side.kinds, 0) + 1
        count = len(side.edits) // (4 * len(EDIT_COLUMNS))
        if count:
            blocks.append(side.edits)
            for at, (vocabulary, own) in enumerate(zip(vocabularies, side.labels, strict=True)):
                starts[at].append(len(local[at]))
                local[at].extend(vocabulary.setdefault(value, len(vocabulary)) for value in own)
        per_document.append(count)
        index += (document_offset, edits_offset, count, len(side.doc_keys) // 8, len(side.remark_keys) // 8)
        document_offset += side.document_bytes
        edits_offset += side.edit_bytes
    edits = np.frombuffer(b"".join(blocks), dtype=np.int32).reshape(-1, len(EDIT_COLUMNS)).copy()
    if len(edits):
        counts = np.array(per_document)
        edits[:, 0] = np.repeat(np.arange(len(rows), dtype=np.int32), counts)
        with_edits = counts[counts > 0]
        for at, label in enumerate(LABELS):
            base = np.repeat(np.array(starts[at], dtype=np.int64), with_edits)
            edits[:, LABEL_AT[label]] = np.array(local[at], dtype=np.int32)[base + edits[:, LABEL_AT[label]]]
    return SideBatch(
        documents=len(rows),
        columns=tuple(columns),
        kinds=kinds,
        labels=tuple(tuple(vocabulary) for vocabulary in vocabularies),
        edits=edits.tobytes(),
        index=np.array(index, dtype=np.int64).tobytes(),
        document_bytes=document_offset,
        edit_bytes=edits_offset,
        fields=b"".join(side.fields_line.encode("utf-8") for side in rows),
        doc_keys=b"".join(side.doc_keys for side in rows),
        remark_keys=b"".join(side.remark_keys for side in rows),
    )


class SideTableWriter(Publishing):
    """Appends documents' side-table rows to the side-table files (atomically
    published on commit) and writes sidetables.json once the logs are final."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._files = {name: AtomicBinary(out_dir / name) for name in FILES}
        self.vocabularies: dict[str, dict[str, int]] = {label: {} for label in LABELS}
        self.columns: tuple[str, ...] | None = None
        self.kinds: dict[str, int] = {}  # distinct kinds strings -> rows
        self.unusable: str | None = None
        self.documents = self.edits = 0
        self._document_offset = self._edits_offset = 0

    def add(self, side: SideRows) -> None:
        self.add_batch(join_side([side]))

    def add_batch(self, batch: SideBatch, source: memoryview | None = None) -> None:
        """Append a batch's rows; ``source`` is the shared memory its Spans are in."""
        for number, columns in batch.columns:
            if self.columns is None:
                self.columns = columns
                self._files[FIELDS].write(_csv_line([*columns, NULLS]).encode("utf-8"))
            elif columns != self.columns and self.unusable is None:
                self.unusable = f"row {self.documents + number} has other fields than row 0"
        for kinds, rows in batch.kinds.items():
            self.kinds[kinds] = self.kinds.get(kinds, 0) + rows
        self._files[FIELDS].put(batch.fields, source)
        rows = batch.edits
        if isinstance(rows, Span):  # the parent rewrites these rows, so it copies them out
            assert source is not None
            rows = bytes(source[rows.offset : rows.offset + rows.length])
        edits = np.frombuffer(rows, dtype=np.int32).reshape(-1, len(EDIT_COLUMNS))
        if len(edits):
            edits = edits.copy()
            edits[:, 0] += self.documents
            for label, local in zip(LABELS, batch.labels, strict=True):
                vocabulary = self.vocabularies[label]
                codes = np.array([vocabulary.setdefault(value, len(vocabulary)) for value in local], dtype=np.int32)
                edits[:, LABEL_AT[label]] = codes[edits[:, LABEL_AT[label]]]
        self._files[EDITS].write(edits.tobytes())
        self._files[DOC_KEYS].put(batch.doc_keys, source)
        self._files[REMARK_KEYS].put(batch.remark_keys, source)
        index = np.frombuffer(batch.index, dtype=np.int64).reshape(-1, len(INDEX_COLUMNS)).copy()
        index[:, 0] += self._document_offset
        index[:, 1] += self._edits_offset
        self._files[INDEX].write(index.tobytes())
        self._document_offset += batch.document_bytes
        self._edits_offset += batch.edit_bytes
        self.documents += batch.documents
        self.edits += len(edits)

    def abort(self) -> None:
        for handle in self._files.values():
            handle.abort()

    def commit(self) -> None:
        """Publish the side tables; call it after the JSON logs are published."""
        for handle in self._files.values():
            handle.commit()
        columns = self.columns or ()
        letters: list[set[str]] = [set() for _ in columns]
        for kinds in self.kinds:
            if len(kinds) != len(columns):
                self.unusable = self.unusable or "a value of a type the side tables cannot hold"
                continue
            for seen, letter in zip(letters, kinds, strict=True):
                seen.add(letter)
        types = {}
        for name, seen in zip(columns, letters, strict=True):
            types[name] = column_type(seen)
            if types[name] is None and self.unusable is None:
                self.unusable = f"column {name} mixes value types ({''.join(sorted(seen))})"
        manifest = {
            "format": FORMAT,
            "usable": self.unusable is None,
            "why_not": self.unusable,
            "documents": self.documents,
            "edits": self.edits,
            "columns": types,
            "nullable": [name for name, seen in zip(columns, letters, strict=True) if "n" in seen],
            "edit_columns": list(EDIT_COLUMNS),
            "index_columns": list(INDEX_COLUMNS),
            "vocabularies": {label: list(v) for label, v in self.vocabularies.items()},
            "files": {name: fingerprint(self.out_dir / name) for name in (*LOGS, *FILES)},
        }
        write_text_atomic(self.out_dir / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")


#: rows end in \r\n: the csv module quotes a field only for the characters of
#: its line terminator, and a lone \r in a title would otherwise end a row for pandas
def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def remove(out_dir: Path) -> None:
    """Delete side tables an earlier run left (a run without them must not
    leave ones that no longer match; the fingerprints would say so, but a
    stale file helps nobody)."""
    for name in (MANIFEST, *FILES):
        try:
            os.unlink(out_dir / name)
        except FileNotFoundError:
            pass
