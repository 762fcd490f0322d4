"""The output layout: one paragraph a line, paragraphs (and the title)
separated by one blank line, one final newline."""

from __future__ import annotations

import re

from seedclean.edits import Edit
from seedclean.normalize.rules import Rules

_SEPARATOR = re.compile(r"\n+")


def layout_paragraphs(text: str, rules: Rules) -> list[Edit]:
    """Make every break between paragraphs exactly one blank line, and end
    the text with one newline.

    Extractors separate paragraphs with single newlines (seed 004) or blank
    lines (the others); both become blank lines, so every output reads alike.
    """
    body = text.rstrip("\n")
    if not body:
        return [Edit(0, len(text), "", "paragraph_break", "no text")] if text else []
    # most texts are laid out already: every break is exactly one blank line
    # when no run of three exists and the line breaks come in pairs
    if "\n\n\n" not in body and body.count("\n") == 2 * body.count("\n\n"):
        edits = []
    else:
        edits = [
            Edit(m.start(), m.end(), "\n\n", "paragraph_break", "single line break between paragraphs")
            for m in _SEPARATOR.finditer(body)
            if m.group() != "\n\n"
        ]
    if text[len(body) :] != "\n":
        edits.append(Edit(len(body), len(text), "\n", "final_newline"))
    return edits
