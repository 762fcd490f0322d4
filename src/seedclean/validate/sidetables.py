"""Reading the side tables normalize writes (layout: write/sidetables.py)
into the same frames validate builds from the JSON logs, without parsing them.

``open_side_tables`` returns None, and validate reads the JSON logs, unless
sidetables.json says the tables are usable and every fingerprint matches
the files as they are now.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from seedclean.validate import duplicates
from seedclean.validate.tables import REQUIRED_FIELDS
from seedclean.write.sidetables import (
    DOC_KEYS,
    EDIT_COLUMNS,
    EDITS,
    FIELDS,
    FILES,
    FORMAT,
    INDEX,
    INDEX_COLUMNS,
    LABELS,
    LOGS,
    MANIFEST,
    NULLS,
    REMARK_KEYS,
    fingerprint,
)

#: groups of MinHash passes read at a time, and documents per block read
KEY_GROUPS = 4
KEY_BLOCK = 100_000
_DTYPES = {"int": "int64", "float": "float64", "bool": "bool", "str": "str"}
#: the column order of an edits frame read from edits.jsonl (its keys, with
#: before/after replaced by their lengths at the end)
JSON_EDIT_ORDER = (
    "doc", "seq", "step", "kind", "reason", "start", "end", "raw_start", "raw_end", "pass", "before_chars",
    "after_chars",
)  # fmt: skip


@dataclass
class SideTables:
    out_dir: Path
    manifest: dict[str, Any]

    @property
    def documents(self) -> int:
        return int(self.manifest["documents"])

    @property
    def edits(self) -> int:
        return int(self.manifest["edits"])

    def index(self) -> np.ndarray:
        """One row per document: INDEX_COLUMNS, int64."""
        return np.fromfile(self.out_dir / INDEX, dtype=np.int64).reshape(-1, len(INDEX_COLUMNS))

    def ids(self) -> pd.Index:
        ids = pd.read_csv(self.out_dir / FIELDS, usecols=["id"], dtype={"id": "str"}, keep_default_na=False)["id"]
        return pd.Index(ids)

    def vocabulary(self, label: str) -> list[str]:
        return list(self.manifest["vocabularies"][label])

    def edit_blocks(self, rows: int) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, int32 array of up to ``rows`` x 12) over edits.i32."""
        width = len(EDIT_COLUMNS)
        with (self.out_dir / EDITS).open("rb") as handle:
            start = 0
            while start < self.edits:
                block = np.fromfile(handle, dtype=np.int32, count=rows * width).reshape(-1, width)
                if not len(block):
                    break
                yield start, block
                start += len(block)

    def field_frames(self, rows: int) -> Iterator[pd.DataFrame]:
        """fields.csv in frames of ``rows`` rows, typed as pandas types the
        same fields read from documents.jsonl, indexed by row number."""
        types: dict[str, str] = self.manifest["columns"]
        nullable = set(self.manifest["nullable"])
        # nullable columns are read as text, the nulls set, then converted
        dtypes = {name: "str" if name in nullable else _DTYPES[kind] for name, kind in types.items()}
        dtypes[NULLS] = "str"
        names = list(types)
        reader = pd.read_csv(
            self.out_dir / FIELDS,
            dtype=dtypes,
            keep_default_na=False,
            na_filter=False,
            chunksize=rows,
        )
        offset = 0
        with reader:
            for frame in reader:
                frame.index = pd.RangeIndex(offset, offset + len(frame))
                offset += len(frame)
                nulls = frame.pop(NULLS)
                # (row, number of a null column) for each null, split once for all the columns
                marked = nulls[nulls != ""].str.split(";").explode()
                for name in nullable:
                    number = str(names.index(name))
                    rows_null = marked.index[(marked == number).to_numpy(dtype=bool)].unique()
                    column = frame[name]
                    if types[name] == "float":
                        column = column.where(column != "", "nan").astype("float64")
                    if len(rows_null) == len(frame):  # all null: pandas makes such a column object of None
                        frame[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
                        continue
                    if len(rows_null):
                        column = column.copy()
                        column[rows_null] = np.nan
                    frame[name] = column
                yield frame

    def keys(self, name: str) -> np.ndarray:
        path = self.out_dir / (DOC_KEYS if name == "doc" else REMARK_KEYS)
        return np.fromfile(path, dtype=np.int64)

    def key_parts(
        self, name: str, counts: np.ndarray, groups: int = KEY_GROUPS
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The (keys, owning documents) of duplicates.split_passes, read a
        group of passes at a time: the file is read ``groups`` times, in
        blocks of documents, and only the group's keys are kept, so a million
        documents' 54M remark keys (640 MB with owners) are never in memory at once."""
        path = self.out_dir / (DOC_KEYS if name == "doc" else REMARK_KEYS)
        passes = duplicates.PASSES
        for group in range(groups):
            mine = np.arange(group, passes, groups)  # the passes of this group, ascending
            keys: list[list[np.ndarray]] = [[] for _ in mine]
            owners: list[list[np.ndarray]] = [[] for _ in mine]
            with path.open("rb") as handle:
                for first in range(0, len(counts), KEY_BLOCK):
                    block_counts = counts[first : first + KEY_BLOCK]
                    block = np.fromfile(handle, dtype=np.int64, count=int(block_counts.sum()))
                    low = block.view(np.uint8)[::8] if sys.byteorder == "little" else block.astype(np.uint8)
                    number = low & (passes - 1)
                    chosen = np.flatnonzero(number % groups == group)
                    # the chosen keys in pass order, each pass's in file order (a stable
                    # sort of one byte), sliced into the group's passes: no copy of the
                    # whole group, no scan of it per pass
                    order = chosen[np.argsort(number[chosen], kind="stable")]
                    block_owners = np.repeat(np.arange(first, first + len(block_counts), dtype=np.int32), block_counts)
                    bounds = np.searchsorted(number[order], np.r_[mine, passes])
                    for slot in range(len(mine)):
                        part = order[bounds[slot] : bounds[slot + 1]]
                        keys[slot].append(block[part])
                        owners[slot].append(block_owners[part])
                    del block, block_owners, order, chosen, number, low
            for slot in range(len(mine)):
                part_keys, part_owners = np.concatenate(keys[slot]), np.concatenate(owners[slot])
                keys[slot] = owners[slot] = []
                yield part_keys, part_owners


def open_side_tables(out_dir: Path) -> SideTables | None:
    """The side tables of ``out_dir`` if they can stand for its JSON logs."""
    path = Path(out_dir) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not manifest.get("usable"):
        return None
    if list(manifest.get("edit_columns", ())) != list(EDIT_COLUMNS) or set(manifest["vocabularies"]) != set(LABELS):
        return None
    if any(name not in manifest["columns"] for name in REQUIRED_FIELDS if name != "minhash_doc"):
        return None
    try:
        for name in (*LOGS, *FILES):
            if fingerprint(Path(out_dir) / name) != manifest["files"].get(name):
                return None
    except OSError:
        return None
    return SideTables(Path(out_dir), manifest)
