"""Lines of a text with their offsets, and edits that delete whole lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from seedclean.edits import Edit

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Line:
    index: int  # among the non-empty lines
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


def split_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text``."""
    return [Line(i, m.start(), m.end(), m.group()) for i, m in enumerate(_LINE.finditer(text))]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def delete_lines(text: str, lines: list[Line], verdicts: dict[int, tuple[str, str]]) -> list[Edit]:
    """Edits deleting the lines whose index is in ``verdicts`` (reason, detail).

    A deleted line takes the line break(s) after it with it, so the text
    around it keeps its layout; a deleted block at the very end takes the
    break before it instead, so no trailing blank lines are left.
    """
    if not verdicts:
        return []
    last_kept = max((line.index for line in lines if line.index not in verdicts), default=-1)
    edits = []
    for line in lines:
        if line.index not in verdicts:
            continue
        reason, detail = verdicts[line.index]
        if line.index > last_kept:
            # in the trailing block: from the end of the line before on, so
            # the text keeps its final line break
            start = lines[line.index - 1].end if line.index > 0 else line.start
            end = line.end
        else:
            start = 0 if line.index == 0 else line.start
            end = lines[line.index + 1].start
        edits.append(Edit(start, end, "", reason, detail or line.text[:80]))
    return edits
