"""The edit model: applying, undoing and mapping edits back to the raw text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seedclean.edits import Edit, LoggedEdit, StepMap, apply_edits, check_edits, flag, minimal_edit, undo_edits


def _logged(text: str, edits: list[Edit]) -> list[LoggedEdit]:
    return [LoggedEdit("step", e.reason, e.kind, e.start, e.end, text[e.start : e.end], e.replacement) for e in edits]


@st.composite
def text_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(st.text(max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=10)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        edits.append(Edit(start, end, draw(st.text(max_size=5)), "test"))
    return text, edits


@given(text_and_edits())
def test_undo_inverts_apply(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    edits = check_edits(text, edits)
    assert undo_edits(apply_edits(text, edits), _logged(text, edits)) == text


@given(text_and_edits())
def test_step_map_sends_unchanged_text_home(case: tuple[str, list[Edit]]) -> None:
    """A character no edit touched maps back to where it was in the input."""
    text, edits = case
    edits = check_edits(text, edits)
    step_map = StepMap.from_edits(edits)
    shift, pos = 0, 0
    for edit in [*edits, Edit(len(text), len(text), "", "end")]:
        for in_pos in range(pos, edit.start):
            assert step_map.to_input(in_pos + shift) == in_pos
        shift += len(edit.replacement) - (edit.end - edit.start)
        pos = edit.end


def test_overlapping_edits_are_a_bug() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        check_edits("abcdef", [Edit(0, 3, "", "a"), Edit(2, 4, "", "b")])


def test_edits_outside_the_text_are_a_bug() -> None:
    with pytest.raises(ValueError, match="outside"):
        check_edits("abc", [Edit(2, 9, "", "a")])


def test_flags_change_nothing() -> None:
    edits = check_edits("occu-pation", [flag(4, 5, "unresolved_hyphen")])
    assert apply_edits("occu-pation", edits) == "occu-pation"
    assert edits[0].kind == "flag"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("cafÃ© au lait", "café au lait", (3, 5, "é")),
        ("same", "same", None),
        ("abc", "abXc", (2, 2, "X")),
    ],
)
def test_minimal_edit_trims_what_did_not_change(old: str, new: str, expected: tuple | None) -> None:
    edit = minimal_edit(old, new, 0, "test")
    if expected is None:
        assert edit is None
    else:
        assert (edit.start, edit.end, edit.replacement) == expected
        assert apply_edits(old, [edit]) == new


_SHORT = st.text(alphabet="ab\u00e9\U0001f600 ", max_size=10)


@given(_SHORT, _SHORT, _SHORT, _SHORT)
def test_minimal_edit_keeps_exactly_the_common_ends(head: str, old_mid: str, new_mid: str, tail: str) -> None:
    old, new = head + old_mid + tail, head + new_mid + tail
    edit = minimal_edit(old, new, 7, "test")
    if old == new:
        assert edit is None
        return
    assert apply_edits(" " * 7 + old, [edit]) == " " * 7 + new
    prefix, suffix = edit.start - 7, len(old) - (edit.end - 7)
    limit = min(len(old), len(new))
    assert old[:prefix] == new[:prefix] and (prefix == limit or old[prefix] != new[prefix])
    assert suffix == limit - prefix or old[len(old) - suffix - 1] != new[len(new) - suffix - 1]


def test_undo_refuses_a_log_that_does_not_fit() -> None:
    logged = [LoggedEdit("s", "r", "replace", 0, 1, "a", "b")]
    with pytest.raises(ValueError, match="does not match"):
        undo_edits("xyz", logged)
