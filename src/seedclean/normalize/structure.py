"""The output layout: one paragraph a line, paragraphs (and the title)
separated by one blank line, one final newline."""

from __future__ import annotations

from seedclean.edits import Edit
from seedclean.normalize import native
from seedclean.normalize.rules import Rules

_BREAK = ("\n\n", "paragraph_break", "single line break between paragraphs", False)


def layout_paragraphs(text: str, rules: Rules) -> list[Edit]:
    """Make every break between paragraphs exactly one blank line, and end
    the text with one newline.

    Extractors separate paragraphs with single newlines (seed 004) or blank
    lines (the others); both become blank lines, so every output reads alike.
    """
    # the end of the body: len(text.rstrip("\n")), without copying a text
    # that ends in one line break (as the whitespace step leaves it)
    if not text.endswith("\n"):
        body = len(text)
    elif text.endswith("\n\n"):
        body = len(text.rstrip("\n"))
    else:
        body = len(text) - 1
    if not body:
        return [Edit(0, len(text), "", "paragraph_break", "no text")] if text else []
    # one pass finds the breaks that are not one blank line; an Edit made
    # as a plain tuple: a text broken by single newlines has one per paragraph
    new = tuple.__new__
    edits = [new(Edit, (start, end, *_BREAK)) for start, end in native.paragraph_breaks(text, body)]
    if len(text) - body != 1:  # text[body:] is line breaks only: not exactly one
        edits.append(Edit(body, len(text), "\n", "final_newline"))
    return edits


def settled(text: str, edits: list[Edit]) -> bool:
    """Always: the output of :func:`layout_paragraphs` is ``body' + "\\n"``,
    where ``body'`` is ``body`` with every run of line breaks made exactly
    two and still ends in a character other than a line break (the runs are
    inside it), so it has no run to change and one final newline. A text of
    line breaks only becomes empty, and an empty text gets nothing."""
    return True
