"""Edits: the record of every change the normalizer makes.

A normalizing step never returns new text directly. It returns a list of
:class:`Edit` objects against the text it was given, and :func:`apply_edits`
builds the new text from them. So nothing can change without an edit saying
which step did it and why, and the original can be rebuilt by undoing the
edits in reverse order (:func:`undo_edits`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

#: Kinds of edit. ``flag`` records a decision that changed nothing (an
#: unsure case left for a human); it is kept in the log but never applied.
KINDS = ("delete", "insert", "replace", "flag")


class Edit(NamedTuple):
    """One change to a text: ``text[start:end]`` becomes ``replacement``.

    ``start``/``end`` are offsets in the text the step received. ``reason``
    is a short code (``mojibake``, ``end_marker``...) and ``detail`` a
    free-form explanation for people reading the log. Immutable; a tuple
    because documents carry hundreds of edits and a tuple is made four times
    faster than a frozen dataclass.
    """

    start: int
    end: int
    replacement: str
    reason: str
    detail: str = ""
    flag_only: bool = False

    @property
    def kind(self) -> str:
        if self.flag_only:
            return "flag"
        if self.replacement == "":
            return "delete"
        if self.start == self.end:
            return "insert"
        return "replace"


def flag(start: int, end: int, reason: str, detail: str = "") -> Edit:
    """An edit that records an unsure case and changes nothing."""
    return Edit(start, end, "", reason, detail, flag_only=True)


def check_edits(text: str, edits: Sequence[Edit]) -> list[Edit]:
    """Return ``edits`` sorted by position; raise if they overlap or overrun.

    Overlapping edits would make the log ambiguous and the original
    unrecoverable, so a step that produces them has a bug.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    last_end = 0
    for edit in ordered:
        if edit.flag_only:
            continue
        if not 0 <= edit.start <= edit.end <= len(text):
            raise ValueError(f"edit {edit} is outside the text of length {len(text)}")
        if edit.start < last_end:
            raise ValueError(f"edit {edit} overlaps an earlier edit")
        last_end = edit.end
    return ordered


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """The text after the (sorted, non-overlapping) ``edits``."""
    parts: list[str] = []
    pos = 0
    for edit in edits:
        if edit.flag_only:
            continue
        parts.append(text[pos : edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


class LoggedEdit(NamedTuple):
    """An edit as written to ``edits.jsonl``: enough to undo it (immutable)."""

    step: str
    reason: str
    kind: str
    start: int  # offsets in the step's input text
    end: int
    before: str
    after: str
    detail: str = ""
    raw_start: int = 0  # the same span in the raw (decoded) input
    raw_end: int = 0

    def to_json(self, doc_id: str, seq: int) -> dict:
        return {
            "doc": doc_id,
            "seq": seq,
            "step": self.step,
            "kind": self.kind,
            "reason": self.reason,
            "start": self.start,
            "end": self.end,
            "raw_start": self.raw_start,
            "raw_end": self.raw_end,
            "before": self.before,
            "after": self.after,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, row: dict) -> LoggedEdit:
        return cls(
            step=row["step"],
            reason=row["reason"],
            kind=row["kind"],
            start=row["start"],
            end=row["end"],
            before=row["before"],
            after=row["after"],
            detail=row.get("detail", ""),
            raw_start=row.get("raw_start", 0),
            raw_end=row.get("raw_end", 0),
        )


@dataclass(slots=True)
class StepMap:
    """Maps offsets in a step's output back to offsets in its input."""

    out_starts: list[int] = field(default_factory=list)
    out_ends: list[int] = field(default_factory=list)
    in_starts: list[int] = field(default_factory=list)
    in_ends: list[int] = field(default_factory=list)

    @classmethod
    def from_edits(cls, edits: Iterable[Edit]) -> StepMap:
        step_map = cls()
        shift = 0
        for edit in edits:
            if edit.flag_only:
                continue
            out_start = edit.start + shift
            out_end = out_start + len(edit.replacement)
            step_map.out_starts.append(out_start)
            step_map.out_ends.append(out_end)
            step_map.in_starts.append(edit.start)
            step_map.in_ends.append(edit.end)
            shift += len(edit.replacement) - (edit.end - edit.start)
        return step_map

    def to_input(self, pos: int) -> int:
        """Input offset of output offset ``pos`` (a span's start, or a point).

        A position inside replaced text maps to the start of what it
        replaced; a position just after a deletion, to the end of it.
        """
        i = bisect.bisect_right(self.out_starts, pos) - 1
        if i < 0:
            return pos
        if pos < self.out_ends[i]:
            return self.in_starts[i]
        return self.in_ends[i] + (pos - self.out_ends[i])

    def span_to_input(self, start: int, end: int) -> tuple[int, int]:
        """Input span of the output span ``start:end``: the input that the
        span's characters came from, and no more. The end is found from the
        span's last character, so a span that stops where an edit's output
        begins (or where text was deleted) does not take in what that edit
        replaced; an empty span stays an empty span."""
        in_start = self.to_input(start)
        if end <= start:
            return in_start, in_start
        last = end - 1
        i = bisect.bisect_right(self.out_starts, last) - 1
        if i < 0:
            return in_start, end
        if last < self.out_ends[i]:  # the last character is an edit's output: all it replaced
            return in_start, self.in_ends[i]
        return in_start, self.in_ends[i] + (end - self.out_ends[i])


def undo_edits(text: str, logged: Sequence[LoggedEdit]) -> str:
    """Rebuild a step's input from its output and the step's logged edits.

    ``logged`` are the edits of one step, sorted by ``start``.
    """
    parts: list[str] = []
    out_pos = 0  # position in the step's output
    shift = 0
    for edit in logged:
        if edit.kind == "flag":
            continue
        out_start = edit.start + shift
        out_end = out_start + len(edit.after)
        if text[out_start:out_end] != edit.after:
            raise ValueError(
                f"edit log does not match the text at {out_start}: expected {edit.after!r}, "
                f"found {text[out_start:out_end]!r}"
            )
        parts.append(text[out_pos:out_start])
        parts.append(edit.before)
        out_pos = out_end
        shift += len(edit.after) - len(edit.before)
    parts.append(text[out_pos:])
    return "".join(parts)


def minimal_edit(old: str, new: str, offset: int, reason: str, detail: str = "") -> Edit | None:
    """The edit turning ``old`` (found at ``offset``) into ``new``, trimmed to
    the part that really changes; ``None`` when they are equal.

    Whole-line fixers (ftfy, NFC) return a new line; trimming keeps the log
    readable and the highlighted span in reports small.
    """
    if old == new:
        return None
    limit = min(len(old), len(new))
    # the longest common prefix and then suffix, by halving: slices compare
    # in C, where a character loop in Python costs a call per character of
    # a long repaired line
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if old[:mid] == new[:mid]:
            low = mid
        else:
            high = mid - 1
    prefix = low
    low, high = 0, limit - prefix
    while low < high:
        mid = (low + high + 1) // 2
        if old[len(old) - mid :] == new[len(new) - mid :]:
            low = mid
        else:
            high = mid - 1
    suffix = low
    return Edit(
        offset + prefix,
        offset + len(old) - suffix,
        new[prefix : len(new) - suffix],
        reason,
        detail,
    )
