"""One article's before/after page: the raw text with every removed or
changed span highlighted and labelled with its reason, the cleaned text, the
fields, and the edit log.

Spans come from ``raw_start``/``raw_end`` in edits.jsonl: offsets in the raw
(decoded) text, which is rebuilt from the cleaned file and its edits the way
``seedclean restore`` does. Edits of later steps can cover text an earlier
step already touched; overlapping spans are shown as one highlight carrying
every reason.
"""

from __future__ import annotations

from typing import Any

from seedclean.report.html import esc, page, table

_KIND_ORDER = {"delete": 0, "replace": 1, "insert": 2, "flag": 3}


def _visible(text: str) -> str:
    """Escaped text with line breaks and tabs made visible inside a highlight."""
    return esc(text).replace("\n", "↵\n").replace("\t", "→\t")


def _clusters(edits: list[dict[str, Any]], length: int) -> list[tuple[int, int, list[dict[str, Any]]]]:
    """Edits grouped into non-overlapping raw spans (zero-width inserts alone)."""
    spans = sorted(
        ((max(0, min(e["raw_start"], length)), max(0, min(e["raw_end"], length)), e) for e in edits),
        key=lambda s: (s[0], s[1]),
    )
    clusters: list[tuple[int, int, list[dict[str, Any]]]] = []
    for start, end, edit in spans:
        if clusters:
            c_start, c_end, members = clusters[-1]
            overlaps = start < c_end or (start == c_start and end == c_end)
            if overlaps:
                clusters[-1] = (c_start, max(c_end, end), [*members, edit])
                continue
        clusters.append((start, end, [edit]))
    return clusters


def highlight(raw: str, edits: list[dict[str, Any]]) -> str:
    """The raw text as HTML with each edited span marked with its reasons."""
    parts: list[str] = []
    pos = 0
    for start, end, members in _clusters(edits, len(raw)):
        if start < pos:  # a zero-width insert inside an earlier span
            start = pos
            end = max(end, pos)
        parts.append(esc(raw[pos:start]))
        kind = min((m["kind"] for m in members), key=lambda k: _KIND_ORDER.get(k, 9))
        reasons = list(dict.fromkeys(m["reason"] for m in members))
        tip = "; ".join(f"{m['step']}/{m['reason']} ({m['kind']}): {m['before']!r} → {m['after']!r}" for m in members)
        label = "".join(f'<span class="tag">{esc(r)}</span>' for r in reasons)
        content = _visible(raw[start:end]) if end > start else '<span class="ws">⁺</span>'
        if kind == "insert" and end == start:
            inserted = "".join(m["after"] for m in members)
            content = f'<span class="ws">{_visible(inserted)}</span>'
        # the label first: a highlighted line break would push it to the next line
        parts.append(f'<span class="chg k-{esc(kind)}" title="{esc(tip)}">{label}{content}</span>')
        pos = max(pos, end)
    parts.append(esc(raw[pos:]))
    return "".join(parts)


_SHOWN_FIELDS = (
    "path",
    "title",
    "dateline",
    "credits",
    "published",
    "language",
    "language_score",
    "paragraphs",
    "sentences",
    "words",
    "characters",
    "raw_words",
    "words_removed_share",
    "quotes_opening",
    "quotes_closing",
    "quotes_straight",
    "quote_balance",
    "residual_hyphen_splits",
    "unresolved_hyphens",
    "residual_boilerplate_lines",
    "mojibake_badness",
    "title_in_body",
    "mean_word_length",
    "alpha_word_ratio",
    "stop_words",
    "terminal_punct_line_ratio",
    "short_line_ratio",
    "duplicate_line_char_ratio",
    "near_dup_group",
    "near_dup_similarity",
    "remark_group",
    "remark_similarity",
)


def _shown(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):  # None, NaN
        return "—"
    return value


def document_page(
    record: dict[str, Any],
    row: dict[str, Any],
    raw: str | None,
    cleaned: str,
    edits: list[dict[str, Any]],
    problems: list[str],
    warnings: list[str] = (),
) -> str:
    """HTML of one article's page. ``record`` is its documents.jsonl row,
    ``row`` its row of the validated table (with the corpus-level fields);
    ``raw`` is None when its edits do not undo onto the cleaned text."""
    status = (
        '<p class="fail">Fails: ' + ", ".join(esc(p) for p in dict.fromkeys(problems)) + "</p>"
        if problems
        else '<p class="ok">Passes every check.</p>'
    )
    if warnings:
        status += '<p class="warn">Worth a look: ' + ", ".join(esc(w) for w in dict.fromkeys(warnings)) + "</p>"
    fields = table(
        ["field", "value"],
        ([esc(name), esc(_shown(row.get(name, record.get(name))))] for name in _SHOWN_FIELDS),
    )
    legend = (
        '<p class="legend"><span class="chg k-delete">removed</span><span class="chg k-replace">changed</span>'
        '<span class="chg k-insert">inserted</span><span class="chg k-flag">flagged, left alone</span>'
        "<small>↵ marks a line break inside a highlight; hover a highlight for the step and the exact "
        "change.</small></p>"
    )
    log = table(
        ["#", "step", "kind", "reason", "before", "after", "raw span", "detail"],
        (
            [
                esc(e["seq"]),
                esc(e["step"]),
                esc(e["kind"]),
                esc(e["reason"]),
                f"<code>{esc(repr(e['before']))}</code>",
                f"<code>{esc(repr(e['after']))}</code>",
                esc(f"{e['raw_start']}–{e['raw_end']}"),
                esc(e.get("detail", "")),
            ]
            for e in edits
        ),
    )
    before = (
        highlight(raw, edits)
        if raw is not None
        else '<p class="fail">The edit log of this article does not undo onto its cleaned text, so the raw '
        "input cannot be shown: edits.jsonl or the .txt file was changed or damaged after normalize. "
        "Run <code>seedclean normalize</code> again to rebuild them.</p>"
    )
    body = (
        f'{status}<h2>Before and after</h2>{legend}<div class="panes"><div><h3>Raw input, with every edit</h3>'
        f'<div class="text" id="before">{before}</div></div>'
        f'<div><h3>Cleaned</h3><div class="text" id="after">{esc(cleaned)}</div></div></div>'
        f"<h2>Fields</h2>{fields}<h2>Edit log ({len(edits)} edits)</h2>{log}"
    )
    nav = [("../index.html", "Reports"), ("../corpus.html", "Corpus report")]
    return page(f"Article {record['id']}", body, nav=nav)
