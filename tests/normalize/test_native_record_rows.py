"""record_rows: a document record's documents.jsonl line, fields.csv row and
MinHash key bytes in one pass, compiled, give what the pure twin gives (the
json module, validate.tables.document_row with the csv module, and array),
for odd records too, and for the records of real documents."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHARED, needs_dev_corpora
from seedclean.edits import KINDS
from seedclean.normalize import native
from seedclean.normalize.rules import load_rules
from seedclean.validate.tables import DOCUMENT_TEXT_FIELDS
from seedclean.write.atomic import json_line
from seedclean.write.sidetables import KEYED

pytestmark = pytest.mark.skipif(not native.DOC8_COMPILED, reason="seedclean.normalize._native is not built")

_PLAIN = "aZ09 ~!#[]{}/"
_EDGE = '"\\\x00\x1f\x7f\xe9\u2019\U0001f600,;\r\n'
_VALUE = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(alphabet=_PLAIN + _EDGE)
_KEY_LIST = st.lists(st.integers(-(2**64), 2**64) | st.booleans() | st.floats(allow_nan=False), max_size=6)
_COUNTS = st.none() | st.just({}) | st.lists(st.integers()) | st.dictionaries(st.sampled_from([*KINDS, "x"]), _VALUE)
_CREDITS = st.none() | st.text(max_size=5) | st.lists(st.text(alphabet=_PLAIN + ';,"\n', max_size=8), max_size=3)
_KEYS = st.sampled_from(
    [
        "id",
        "title",
        "body",
        "lede",
        "words",
        "edits_total",
        "has_title",
        "edits_flag",
        "edits_x",
        "credits",
        "edit_counts",
    ]
) | st.text(max_size=6)


@st.composite
def _records(draw: st.DrawFn) -> dict:
    record = draw(st.dictionaries(_KEYS, _VALUE, max_size=8))
    for name in KEYED:
        if draw(st.booleans()):
            record[name] = draw(_KEY_LIST | _VALUE)
    if draw(st.booleans()):
        record["edit_counts"] = draw(_COUNTS)
    if draw(st.booleans()):
        record["credits"] = draw(_CREDITS)
    if draw(st.booleans()):
        record[draw(st.integers(0, 3))] = 1  # a key that is no str
    return record


def _pure_or_error(record: dict) -> object:
    try:
        return native.PURE["record_rows"](record, DOCUMENT_TEXT_FIELDS, KINDS, KEYED)
    except Exception as exc:  # what document_row raises on a record of another shape
        return type(exc)


@settings(max_examples=1000, deadline=None)
@given(_records())
def test_record_rows_are_the_json_line_the_document_row_and_the_key_arrays(record: dict) -> None:
    try:
        line, row, keys = native.record_rows(record, DOCUMENT_TEXT_FIELDS, KINDS, KEYED)
    except TypeError:  # the caller asks the json module: a key that is no str
        assert any(type(key) is not str for key in record)
        return
    assert line == json_line(record).encode("utf-8")
    for name, found in zip(KEYED, keys, strict=True):
        value = record.get(name)
        if found is not None:
            assert found == array("q", value).tobytes()
        else:  # the caller asks sidetables._keys
            assert type(value) is not list or any(type(v) is not int or not -(2**63) <= v < 2**63 for v in value)
    if row is not None:  # None: the caller asks document_row and the csv module
        assert (line, row, keys) == _pure_or_error(record)


def test_each_record_gets_its_own_columns() -> None:
    # the columns are kept for the next record with the same keys: a record
    # with other keys, or keys in another order, gets its own
    first = {"id": "a", "title": None, "credits": [], "words": 3}
    second = {"id": "b", "title": "T", "words": 4, "credits": ["AP", "Reuters"], "extra": 1.5}
    reordered = {"title": "T", "id": "c", "credits": [], "words": 5}
    copied = {"".join(key): value for key, value in first.items()}  # equal keys, other str objects
    for record in (first, second, first, reordered, copied, first):
        assert native.record_rows(record, DOCUMENT_TEXT_FIELDS, KINDS, KEYED) == _pure_or_error(record)
    _, (columns, kinds, fields), keys = native.record_rows(second, DOCUMENT_TEXT_FIELDS, KINDS, KEYED)
    assert columns == (
        "id",
        "title",
        "words",
        "credits",
        "extra",
        *(f"edits_{k}" for k in KINDS),
        "edits_total",
        "has_title",
    )
    assert kinds == "ssisf" + "i" * len(KINDS) + "ib"
    assert fields == "b,T,4,AP;Reuters,1.5,0,0,0,0,0,True,\r\n"
    assert keys == (None, None)


@needs_dev_corpora
def test_real_records_are_the_pure_ones() -> None:
    from seedclean.document import clean_bytes

    rules = load_rules()
    paths = sorted((SHARED / "corpora" / "news-bench-dev").rglob("*.txt"))[::7]
    assert len(paths) > 50
    for path in paths:
        record = clean_bytes(path.read_bytes(), path.stem, path.name, rules).record
        compiled = native.record_rows(record, DOCUMENT_TEXT_FIELDS, KINDS, KEYED)
        assert compiled[1] is not None and None not in compiled[2]
        assert compiled == _pure_or_error(record)
