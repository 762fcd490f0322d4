"""The compiled JSON writer's word-at-a-time copy of plain characters
(normalize/_native.c, json_plain8/json_plain4) writes what the
json module writes: strings of each str kind with the characters it must
escape or encode at every position of a word, and the records and edit
rows of real documents."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import dev_texts, needs_dev_corpora
from seedclean.normalize import native, pipeline
from seedclean.normalize.rules import load_rules
from seedclean.write.atomic import json_line

pytestmark = pytest.mark.skipif(not native.PIPELINE_COMPILED, reason="seedclean.normalize._native is not built")

#: plain characters, the ones next to the word tests' bounds, the escaped
#: ones, and one of each str kind (a text holding one is stored in that kind)
_PLAIN = "aZ09 ~!#[]{}/"
_EDGE = '"\\\x00\x01\x1f\x20\x21\x7f\x80\x9f\xa0\xe9\xff\u0100\u2019\u22ff\ud7ff\ue000\uffff\U00010000\U0001f600'
_TEXT = st.text(alphabet=st.sampled_from(_PLAIN * 4 + _EDGE), max_size=70)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(["", "\xe9", "\u2019", "\U0001f600"]), _TEXT, st.integers(0, 17))
def test_json_strings_are_the_json_modules(kind: str, text: str, pad: int) -> None:
    # the kind character and the padding move the text across word bounds
    value = "x" * pad + text + kind
    row = {"s": value, "k" + value: [value, 1]}
    assert native.json_record(row) == json_line(row).encode("utf-8")
    assert json.loads(native.json_record(row)) == row


_EDGE_INTS = [0, 9, 10, 99, 100, -1, -10, -100, 2**63 - 1, -(2**63)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(-(2**64), 2**64) | st.sampled_from(_EDGE_INTS)))
def test_integers_are_written_as_repr_writes_them(numbers: list[int]) -> None:
    # buf_decimal writes two digits a step: every length, odd and even
    row = {"n": numbers, "m": [10**k for k in range(20)] + [-(10**k) - 1 for k in range(20)]}
    assert native.json_record(row) == json_line(row).encode("utf-8")


def test_long_plain_runs_with_one_escape_each() -> None:
    for kind in ("", "\xe9", "\u2019", "\U0001f600"):
        for special in _EDGE:
            for at in range(20):
                value = "plain text " * 3
                value = value[:at] + special + value[at:] + kind
                assert native.json_record({"v": value}) == json_line({"v": value}).encode("utf-8")


@needs_dev_corpora
def test_real_documents_write_alike() -> None:
    rules = load_rules()
    for number, text in enumerate(dev_texts()[:150]):
        result = pipeline.normalize(text, rules)
        row = {"doc": str(number), "text": result.text, "raw": text}
        assert native.json_record(row) == native.PURE["json_record"](row)
        doc = str(number)
        assert native.edit_table(doc, result.edits, result.passes) == native.PURE["edit_table"](
            doc, result.edits, result.passes
        )
