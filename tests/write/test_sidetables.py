"""The side tables normalize writes read back as exactly the frames validate
builds from the JSON logs, whatever the text in the string fields."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import read_jsonl
from seedclean.validate.sidetables import open_side_tables
from seedclean.validate.tables import document_row
from seedclean.write.atomic import json_line
from seedclean.write.sidetables import EDIT_COLUMNS, SideTableWriter, _keys, encode_side

# NUL and U+FFFF are possible in our str; CSV's own characters and line breaks too
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", ",", '"', "\n", "\r\n", "\x00", "\uffff", "\U0001f600", "nan", "NA", "None", "True", "1.0", ";"]
)
FLOATS = st.floats(allow_nan=False, allow_infinity=False, width=64)


def _write(out: Path, records: list[dict], edits: dict[str, list[dict]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (
        SideTableWriter(out) as side,
        (out / "documents.jsonl").open("w", encoding="utf-8") as documents,
        (out / "edits.jsonl").open("w", encoding="utf-8") as edit_log,
    ):
        for record in records:
            rows = edits.get(record["id"], [])
            line, lines = json_line(record), "".join(map(json_line, rows))
            documents.write(line)
            edit_log.write(lines)
            side.add(encode_side(record, rows, line, lines))


@settings(max_examples=60, deadline=None)
@given(
    titles=st.lists(st.none() | TEXT, min_size=1, max_size=6),
    datelines=st.lists(st.none() | TEXT, min_size=6, max_size=6),
    shares=st.lists(FLOATS, min_size=6, max_size=6),
)
def test_fields_read_back_as_the_json_frame(seeds_out: Path, titles, datelines, shares) -> None:
    base = read_jsonl(seeds_out / "documents.jsonl")[0]
    records = [
        {
            **base,
            "id": f"d{i}",
            "path": f"d{i}.txt",
            "title": title,
            "dateline": datelines[i],
            "mean_word_length": shares[i],
        }
        for i, title in enumerate(titles)
    ]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        _write(out, records, {})
        side = open_side_tables(out)
        assert side is not None
        frames = list(side.field_frames(4))
    expected = pd.DataFrame([document_row(json.loads(json_line(r))) for r in records])
    read = pd.concat(frames) if len(frames) > 1 else frames[0]
    for chunk_start in range(0, len(records), 4):  # frames are chunks: compare each with the same chunk from JSON
        chunk = pd.DataFrame([document_row(r) for r in records[chunk_start : chunk_start + 4]])
        chunk.index = pd.RangeIndex(chunk_start, chunk_start + len(chunk))
        pd.testing.assert_frame_equal(frames[chunk_start // 4], chunk)
    assert list(read.columns) == list(expected.columns)


def test_edit_rows_hold_the_logged_numbers_and_labels(seeds_out: Path) -> None:
    side = open_side_tables(seeds_out)
    assert side is not None
    rows = read_jsonl(seeds_out / "edits.jsonl")
    (start, block), *rest = list(side.edit_blocks(10**6))
    assert start == 0 and not rest and len(block) == len(rows) == side.edits
    ids = [r["id"] for r in read_jsonl(seeds_out / "documents.jsonl")]
    at = {c: i for i, c in enumerate(EDIT_COLUMNS)}
    for row, coded in zip(rows, block, strict=True):
        assert ids[coded[at["doc"]]] == row["doc"]
        for label in ("step", "kind", "reason"):
            assert side.vocabulary(label)[coded[at[label]]] == row[label]
        for column in ("seq", "pass", "start", "end", "raw_start", "raw_end"):
            assert coded[at[column]] == row[column]
        assert coded[at["before_chars"]] == len(row["before"]) and coded[at["after_chars"]] == len(row["after"])


def test_index_points_at_each_documents_rows(seeds_out: Path) -> None:
    side = open_side_tables(seeds_out)
    assert side is not None
    index = side.index()
    documents = (seeds_out / "documents.jsonl").read_bytes()
    edits = (seeds_out / "edits.jsonl").read_bytes()
    for number, record in enumerate(read_jsonl(seeds_out / "documents.jsonl")):
        doc_at, edits_at, count, doc_keys, remark_keys = (int(v) for v in index[number])
        assert json.loads(documents[doc_at:].split(b"\n", 1)[0])["id"] == record["id"]
        if count:
            assert json.loads(edits[edits_at:].split(b"\n", 1)[0])["doc"] == record["id"]
        assert (doc_keys, remark_keys) == (len(record["minhash_doc"]), len(record["minhash_remarks"]))
    assert np.array_equal(
        side.keys("doc"), np.concatenate([r["minhash_doc"] for r in read_jsonl(seeds_out / "documents.jsonl")])
    )


_KEY_VALUES = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=2**63, max_value=2**70),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.sampled_from(["12", "x", ""]),
    st.none(),
)


def _numpy_keys(values: object) -> bytes | None:
    try:
        return np.asarray(values or [], dtype=np.int64).tobytes()
    except (TypeError, ValueError, OverflowError):
        return None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_KEY_VALUES, max_size=20), st.lists(st.integers(-(2**63), 2**63 - 1)), st.none()))
def test_keys_are_packed_as_numpy_packs_them(values: object) -> None:
    # the array fast path must give numpy's bytes, or numpy's refusal, for any value
    assert _keys(values) == _numpy_keys(values)


def test_keys_of_real_documents_are_numpys(seeds_out: Path) -> None:
    for row in read_jsonl(seeds_out / "documents.jsonl"):
        for name in ("minhash_doc", "minhash_remarks"):
            assert _keys(row[name]) == _numpy_keys(row[name]) and len(_keys(row[name]) or b"") == 8 * len(row[name])
