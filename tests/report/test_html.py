"""The report's HTML: escaping and the before/after highlighting."""

from __future__ import annotations

from seedclean.edits import LoggedEdit
from seedclean.report.document import highlight
from seedclean.report.html import esc, page


def edit(start: int, end: int, before: str, after: str, reason: str, kind: str, step: str = "boilerplate") -> dict:
    return LoggedEdit(step, reason, kind, start, end, before, after, "", start, end).to_json("d", 0)


def test_text_and_attributes_are_escaped() -> None:
    assert esc('<script>alert("x")</script> & \'') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;"
    html = page('<img src=x onerror="alert(1)">', "<p>body</p>")
    assert "<img" not in html.split("<body>")[1]
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_highlight_marks_each_span_with_its_reason_and_escapes_it() -> None:
    raw = "Title | Site\n\n<script>x()</script> text.\nLeave a Reply\n"
    edits = [
        edit(5, 12, " | Site", "", "title_suffix", "delete", "title_suffix"),
        edit(43, 57, "\nLeave a Reply", "", "comment_form", "delete"),
    ]
    html = highlight(raw, edits)
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>" not in html
    assert html.count('class="chg k-delete"') == 2
    assert '<span class="tag">title_suffix</span>' in html and '<span class="tag">comment_form</span>' in html
    assert "Leave a Reply" in html  # removed text stays visible, struck through


def test_overlapping_spans_become_one_highlight_with_every_reason() -> None:
    raw = "a\u00a0\u00a0b"
    edits = [
        edit(1, 3, "\u00a0\u00a0", "  ", "odd_space", "replace", "spaces"),
        edit(1, 3, "  ", " ", "space_run", "replace", "spaces"),
    ]
    html = highlight(raw, edits)
    assert html.count('class="chg') == 1
    assert "odd_space" in html and "space_run" in html


def test_an_insert_shows_what_was_inserted() -> None:
    html = highlight("end", [edit(3, 3, "", "\n", "final_newline", "insert", "layout")])
    assert "k-insert" in html and "final_newline" in html and "↵" in html
