"""Rows encoded for the tables: the fast edit-row encoder writes exactly what
the JSON encoder writes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from seedclean.write.atomic import json_line
from seedclean.write.run import _EDIT_KEYS, _edit_line

_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"\\\n\r\t\x00\u2028’é'))
_INT = st.integers(min_value=0, max_value=10**9)


@given(
    st.fixed_dictionaries(
        {key: _INT if key in {"seq", "start", "end", "raw_start", "raw_end", "pass"} else _TEXT for key in _EDIT_KEYS}
    )
)
def test_edit_line_equals_the_json_encoder(row: dict) -> None:
    row = {key: row[key] for key in _EDIT_KEYS}  # the order the rows are built in
    assert _edit_line(row) == json_line(row)


def test_a_row_with_other_keys_falls_back_to_the_json_encoder() -> None:
    row = {"doc": "a", "seq": 0, "extra": True}
    assert _edit_line(row) == json_line(row) == '{"doc": "a", "seq": 0, "extra": true}\n'
