"""Rows encoded for the tables: the edit log's lines and side-table rows,
made in one pass over the logged edits (compiled or pure), are exactly what
the JSON encoder and the dict-row encoder make of the edits.jsonl rows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.document import _rows
from seedclean.edits import KINDS, LoggedEdit
from seedclean.normalize import native
from seedclean.write.atomic import json_line
from seedclean.write.sidetables import _edit_table, csv_row

_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"\\\n\r\t\b\f\x00\x1f\x7f\u2028’é\U0001f600'))
_INT = st.integers(min_value=-5, max_value=2**40) | st.integers(min_value=0, max_value=10**6)
_LABEL = st.sampled_from(["mojibake", "layout", "nfc", "paragraph_break", 'é"\\'])
_EDIT = st.builds(LoggedEdit, _LABEL, _LABEL, st.sampled_from(KINDS), _INT, _INT, _TEXT, _TEXT, _TEXT, _INT, _INT)

ENCODERS = [native.PURE["edit_table"]] + ([native.edit_table] if native.PIPELINE_COMPILED else [])


@pytest.mark.parametrize("edit_table", ENCODERS, ids=["pure", "compiled"][: len(ENCODERS)])
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_EDIT, st.integers(min_value=0, max_value=40)), max_size=6), _TEXT)
def test_edit_table_is_the_json_encoder_and_the_dict_rows(edit_table, edits: list, doc_id: str) -> None:
    logged, passes = tuple(e for e, _ in edits), tuple(p for _, p in edits)
    rows = _rows(doc_id, logged, passes)
    lines, table, labels = edit_table(doc_id, logged, passes)
    assert lines == "".join(map(json_line, rows)).encode("utf-8")
    assert (table, labels) == _edit_table(rows)


_KEY = st.text(max_size=5) | st.sampled_from(["body", 'a"b', "é\n"])
_PLAIN = (
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2**80), max_value=2**80) | st.floats()
    | _TEXT
)  # fmt: skip
_JSON = st.recursive(_PLAIN, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEY, inner, max_size=4))
RECORDERS = [native.PURE["json_record"]] + ([native.json_record] if native.PIPELINE_COMPILED else [])


@pytest.mark.parametrize("json_record", RECORDERS, ids=["pure", "compiled"][: len(RECORDERS)])
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEY, _JSON, max_size=8))
def test_json_record_is_json_line_in_utf8(json_record, row: dict) -> None:
    assert json_record(row) == json_line(row).encode("utf-8")


@pytest.mark.skipif(not native.PIPELINE_COMPILED, reason="seedclean.normalize._native is not built")
@pytest.mark.parametrize("odd", [{"a": {1: 2}}, {"a": (1, 2.5)}, {"a": True.__class__.__mro__}, {"a": {"b": set()}}])
def test_the_compiled_json_record_leaves_other_types_to_the_json_module(odd: dict) -> None:
    if isinstance(odd["a"], tuple) and all(isinstance(v, (int, float)) for v in odd["a"]):
        assert native.json_record(odd) == json_line(odd).encode("utf-8")  # a tuple is written as a list
    else:
        with pytest.raises(TypeError):
            native.json_record(odd)


def test_counts_are_those_of_the_logged_edits() -> None:
    logged = (
        LoggedEdit("layout", "final_newline", "insert", 4, 4, "", "\n"),
        LoggedEdit("dehyphenate", "unsure", "flag", 1, 2, "", ""),
        LoggedEdit("layout", "paragraph_break", "replace", 1, 2, "\n", "\n\n"),
    )
    expected = (
        {"insert": 1, "flag": 1, "replace": 1},
        {"layout": 2},
        {"final_newline": 1, "unsure": 1, "paragraph_break": 1},
    )
    assert native.PURE["edit_counts"](logged) == expected
    assert native.edit_counts(logged) == expected


_FIELD = st.none() | st.booleans() | st.integers() | st.floats() | _TEXT | st.sampled_from(["a,b", 'x"y', "\r", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(_FIELD, max_size=8))
def test_csv_fields_are_the_csv_modules_row(values: list) -> None:
    expected = native.PURE["csv_fields"](values)
    assert expected is None or expected == csv_row(values)
    assert native.csv_fields(values) == expected
    assert (expected is None) == (not values)


@pytest.mark.parametrize("odd", [[1, 2.5, (1, 2)], [1, {"a": 1}], [], [True.__class__]])
def test_csv_fields_leave_other_values_to_the_csv_module(odd: list) -> None:
    assert native.csv_fields(odd) is None is native.PURE["csv_fields"](odd)


#: the floats records hold: shares and ratios rounded to a few decimals,
#: and whole numbers, near the edges of repr's fixed notation too
_RECORD_FLOAT = (
    st.builds(round, st.floats(min_value=-1e17, max_value=1e17), st.integers(min_value=0, max_value=12))
    | st.builds(lambda m, k: m / 10**k, st.integers(min_value=-(10**17), max_value=10**17), st.integers(0, 20))
    | st.sampled_from([0.0, -0.0, 1e-4, -1e-4, 9.999999999999999e-05, 1e16, 9999999999999998.0, 2.0**50, 0.1 + 0.2])
    | st.floats()
)


@settings(max_examples=1000, deadline=None)
@given(_RECORD_FLOAT)
def test_floats_are_written_as_repr_writes_them(value: float) -> None:
    assert native.json_record({"v": value}) == json_line({"v": value}).encode("utf-8")
    if value == value:  # NaN: the csv module writes "nan", the json module "NaN"
        assert native.csv_fields([value]) == csv_row([value])
