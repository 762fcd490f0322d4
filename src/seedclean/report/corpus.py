"""The corpus report a person reads: ``index.html`` (the way in),
``corpus.html`` (run summary, checks, distributions, duplicates, documents)
and ``documents/NNNNNN.html`` (one before/after page per article).

Pages are written one at a time, each document's record and edits read at
the byte offsets validate noted while streaming the tables, so a large corpus
never has its texts in memory and costs only the pages written. At most
``max_document_pages`` pages: the documents that fail or warn first, then a
sample spread over the corpus; the index and corpus pages say how many.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from seedclean.report.document import document_page
from seedclean.report.html import bar_chart, esc, histogram, page, table
from seedclean.validate.expectations import describe_kwargs
from seedclean.validate.tables import read_edits, read_record
from seedclean.write.restore import restore_text

if TYPE_CHECKING:
    import pandas as pd

    from seedclean.validate.run import Positions, ValidationResult

DOCUMENT_DIR = "documents"
#: duplicate pairs listed in corpus.html (near_duplicates.json has every pair)
MAX_PAIRS_SHOWN = 500


def _doc_href(index: int) -> str:
    # numbered, never named after the file: paths may hold any character
    return f"{DOCUMENT_DIR}/{index:06d}.html"


def _status(ok: bool, warning: bool = False) -> str:
    if ok:
        return '<span class="ok">pass</span>'
    return '<span class="warn">warning</span>' if warning else '<span class="fail">FAIL</span>'


def _pages_for(documents: pd.DataFrame, failing: dict[str, list[str]], limit: int) -> set[int]:
    """Documents that fail or warn first (in corpus order), then the others
    spread evenly over the corpus, up to ``limit`` pages."""
    limit = max(limit, 0)
    flagged = [i for i, doc_id in enumerate(documents["id"].tolist()) if doc_id in failing][:limit]
    chosen = set(flagged)
    rest = len(documents) - len(chosen)
    room = min(limit - len(chosen), rest)
    if room > 0:
        step = rest / room
        unchosen = np.ones(len(documents), dtype=bool)
        unchosen[flagged] = False
        others = np.flatnonzero(unchosen)
        picks = sorted({int(k * step) for k in range(room)})
        chosen.update(others[picks].tolist())
    return chosen


def _index_of(documents: pd.DataFrame, pages: set[int]) -> dict[str, int]:
    """id -> the last row holding it, for the ids of the documents with a
    page (only those get a link): not a million-entry dict."""
    ids = [doc_id if type(doc_id) is str else str(doc_id) for doc_id in documents["id"].tolist()]
    wanted = {ids[i] for i in pages}
    return {doc_id: i for i, doc_id in enumerate(ids) if doc_id in wanted}


def _write_document_pages(
    result: ValidationResult,
    documents: pd.DataFrame,
    positions: Positions,
    wanted: set[int],
    failing: dict[str, list[str]],
    warned: dict[str, list[str]],
) -> None:
    """One page per wanted document; each record and its edits are read at
    the byte offsets noted while validate streamed the tables, so the cost
    is the pages', not the corpus'."""
    out_dir = result.out_dir
    folder = result.reports_dir / DOCUMENT_DIR
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rows = documents.reset_index(drop=True)
    for index in sorted(wanted):
        record = read_record(out_dir, int(positions.documents[index]))
        doc_edits = read_edits(out_dir, record["id"], positions.edits_offset(index, record["id"]))
        cleaned = (out_dir / record["path"]).read_text(encoding="utf-8")
        try:
            raw: str | None = restore_text(cleaned, doc_edits)
        except (ValueError, KeyError, TypeError):  # a log edited or damaged by hand: the page says so
            raw = None
        row = rows.iloc[index].to_dict()
        html_text = document_page(
            record, row, raw, cleaned, doc_edits, failing.get(record["id"], []), warned.get(record["id"], [])
        )
        (result.reports_dir / _doc_href(index)).write_text(html_text, encoding="utf-8")


def _summary(result: ValidationResult) -> str:
    expectations = result.expectations
    passed = sum(e.success for e in expectations)
    cards = [
        ("documents in", result.documents + len(result.errors)),
        ("cleaned", result.documents),
        ("failed to clean", len(result.errors)),
        ("edits logged", result.edits),
        *([("edits in the expectations' sample", result.edit_rows_expected)] if result.edits_sampled else []),
        ("Pandera checks", sum(result.pandera_checks.values())),
        ("Pandera failures", len(result.failures)),
        ("expectations passed", f"{passed} / {len(expectations)}"),
        ("expectations failed", len(result.failed_expectations)),
        ("warnings", len(result.warnings)),
    ]
    verdict = (
        '<p class="ok">All checks hold.</p>'
        if result.ok
        else '<p class="fail">Some checks fail: see the tables below; each failing document links to its page.</p>'
    )
    return (
        verdict
        + '<div class="cards">'
        + "".join(f'<div class="card"><b>{esc(value)}</b>{esc(label)}</div>' for label, value in cards)
        + "</div>"
    )


def _doc_link(doc_id: str | None, index_of: dict[str, int], pages: set[int]) -> str:
    if doc_id is None:
        return "<small>(table)</small>"
    index = index_of.get(doc_id)
    if index is not None and index in pages:
        return f'<a href="{esc(_doc_href(index))}">{esc(doc_id)}</a>'
    return esc(doc_id)


def _expectation_rows(result: ValidationResult, index_of: dict[str, int], pages: set[int]) -> list[list[str]]:
    rows = []
    for e in result.expectations:
        args = describe_kwargs(e.kwargs)
        shown_ids = e.unexpected_ids[:30]
        ids = ", ".join(_doc_link(i.split(":")[0], index_of, pages) for i in shown_ids)
        if len(e.unexpected_ids) > len(shown_ids):
            ids += f" <small>… and {len(e.unexpected_ids) - len(shown_ids)} more</small>"
        unexpected = "" if e.unexpected_percent is None else f"{e.unexpected_percent:.1f}%"
        rows.append(
            [
                _status(e.success, warning=not e.failed),
                esc(e.suite),
                esc(e.expectation),
                esc(e.column),
                esc(args),
                esc("" if e.mostly is None else e.mostly),
                esc(e.severity),
                esc(unexpected),
                esc(e.error) if e.error else ids,
            ]
        )
    return rows


def _groups_section(
    result: ValidationResult, documents: pd.DataFrame, index_of: dict[str, int], pages: set[int]
) -> str:
    parts = []
    for groups, what in (
        (result.near_duplicates, "Near-duplicates: bodies whose word 5-grams overlap"),
        (result.shared_remarks, "Shared remarks: articles quoting the same words"),
    ):
        if groups is None:
            continue
        rows = [
            [_doc_link(a, index_of, pages), _doc_link(b, index_of, pages), esc(f"{s:.3f}" + (" ~" if guessed else ""))]
            for a, b, s, guessed in groups.pairs[:MAX_PAIRS_SHOWN]
        ]
        estimated = (
            f" {groups.candidates - groups.estimated} candidates, those the LSH estimate was least sure of, were "
            f"verified exactly; the other {groups.estimated} were judged by the estimate (marked ~; "
            f"{groups.estimated_pairs} pairs kept)."
            if groups.estimated
            else ""
        )
        shown = (
            f" The first {MAX_PAIRS_SHOWN} of {len(groups.pairs)} pairs are listed; all are in near_duplicates.json."
            if len(groups.pairs) > MAX_PAIRS_SHOWN
            else ""
        )
        parts.append(
            f"<h3>{esc(what)}</h3><p>Exact Jaccard similarity ≥ {groups.threshold} "
            f"(MinHash LSH candidates: {groups.candidates} pairs).{esc(estimated)}{esc(shown)}</p>"
            + (table(["document", "same group as", "Jaccard"], rows, numeric=[2]) if rows else "<p>None found.</p>")
        )
    return "".join(parts)


def _counts(counts: Counter[str] | pd.Series, top: int | None = None) -> tuple[list[str], list[int]]:
    pairs = counts.most_common(top) if isinstance(counts, Counter) else list(counts.value_counts().head(top).items())
    return [str(label) for label, _ in pairs], [int(n) for _, n in pairs]


def _charts(documents: pd.DataFrame, edit_counts: dict[str, Counter[str]]) -> str:
    charts = [
        histogram("Words per article", documents["words"].to_numpy(dtype=float)),
        histogram("Characters per article", documents["characters"].to_numpy(dtype=float)),
        histogram("Share of words removed", documents["words_removed_share"].to_numpy(dtype=float)),
    ]
    if edit_counts.get("kind"):
        charts.append(bar_chart("Edits per kind", *_counts(edit_counts["kind"])))
        charts.append(bar_chart("Edits per step", *_counts(edit_counts["step"])))
        charts.append(bar_chart("Edits per reason (top 20)", *_counts(edit_counts["reason"], 20)))
    charts.append(bar_chart("Language", *_counts(documents["language"], 15)))
    return '<div class="charts">' + "".join(charts) + "</div>"


def write_report(
    result: ValidationResult,
    documents: pd.DataFrame,
    positions: Positions,
    *,
    max_document_pages: int = 500,
) -> Path:
    """Write index.html, corpus.html and the document pages; return index.html."""
    reports = result.reports_dir
    failing = result.failing_documents()
    warned = result.failing_documents(warnings=True)
    pages = _pages_for(documents, {**warned, **failing}, max_document_pages)
    _write_document_pages(result, documents, positions, pages, failing, warned)
    index_of = _index_of(documents, pages)

    failure_rows = [
        [
            _doc_link(f.document, index_of, pages),
            esc(f.table),
            esc(f.column),
            esc(f.check),
            f"<code>{esc(f.value)}</code>",
        ]
        for f in result.failures
    ]
    doc_rows = []
    shown = sorted(pages)
    for row in documents.reset_index(drop=True).iloc[shown].itertuples(index=False):
        problems = failing.get(str(row.id), [])
        doc_rows.append(
            [
                _doc_link(str(row.id), index_of, pages),
                esc(row.title if isinstance(row.title, str) else "—"),
                esc(row.words),
                esc(row.language),
                esc(row.edits_total),
                esc(f"{row.words_removed_share:.1%}"),
                esc(", ".join(g for g in (row.near_dup_group, row.remark_group) if isinstance(g, str))),
                f'<span class="fail">{len(problems)} failing</span>'
                if problems
                else f'<span class="warn">{len(warned[str(row.id)])} warning(s)</span>'
                if str(row.id) in warned
                else '<span class="ok">pass</span>',
            ]
        )
    left_out = len(documents) - len(pages)
    errors = [[esc(e.get("path")), esc(e.get("kind")), esc(e.get("message"))] for e in result.errors]
    body = (
        "<h2>Run summary</h2>"
        + _summary(result)
        + "<h2>Failed checks (Pandera, one row per document and check)</h2>"
        + (
            table(["document", "table", "column", "check", "value"], failure_rows)
            if failure_rows
            else '<p class="ok">No Pandera check fails.</p>'
        )
        + "<h2>Expectations (Great Expectations)</h2>"
        + "<p>Severity <i>warning</i> is reported without failing the run; <i>mostly</i> is the share of rows that "
        'must pass. The same results, column by column, are in the <a href="data_docs/index.html">Data Docs</a>.</p>'
        + (
            f"<p>The edits suite saw an evenly spaced sample of {result.edit_rows_expected:,} of the "
            f"{result.edits:,} edit rows; the Pandera checks above ran on every row.</p>"
            if result.edits_sampled
            else ""
        )
        + table(
            ["status", "suite", "expectation", "column", "arguments", "mostly", "severity", "unexpected", "documents"],
            _expectation_rows(result, index_of, pages),
        )
        + "<h2>Distributions</h2>"
        + _charts(documents, result.edit_counts)
        + "<h2>Duplicates</h2>"
        + _groups_section(result, documents, index_of, pages)
        + ("<h2>Files normalize could not clean</h2>" + table(["path", "kind", "message"], errors) if errors else "")
        + f"<h2>Documents ({len(documents)})</h2>"
        + (
            f"<p><small>{len(pages)} of {len(documents)} documents have a page: those failing or warning first, "
            f"then a sample spread over the corpus; {left_out} have none (limit {max_document_pages}; raise it "
            "with --max-document-pages).</small></p>"
            if left_out
            else ""
        )
        + table(
            ["document", "title", "words", "language", "edits", "removed", "group", "checks"],
            doc_rows,
            numeric=[2, 4, 5],
        )
    )
    nav = [("index.html", "Reports"), ("data_docs/index.html", "Data Docs"), ("validation.json", "validation.json")]
    (reports / "corpus.html").write_text(page("Corpus report", body, nav=nav), encoding="utf-8")

    links = [
        (
            "corpus.html",
            "Corpus report",
            "run summary, failed checks with their documents, distributions, "
            "duplicates, and a before/after page per article",
        ),
        ("data_docs/index.html", "Data Docs (Great Expectations)", "each expectation suite, column by column"),
        ("validation.json", "validation.json", "every failure and expectation as JSON, for scripts and CI"),
        ("near_duplicates.json", "near_duplicates.json", "near-duplicate and shared-remark groups with similarities"),
    ]
    index_body = (
        _summary(result)
        + f"<p>Normalized folder: <code>{esc(result.out_dir)}</code></p>"
        + f"<p>{len(pages)} of {len(documents)} documents have a before/after page in corpus.html: those that "
        "fail or warn first, then a sample spread over the corpus.</p><h2>Reports</h2><ul>"
        + "".join(f'<li><a href="{esc(href)}">{esc(label)}</a> — {esc(what)}</li>' for href, label, what in links)
        + "</ul>"
    )
    index = reports / "index.html"
    index.write_text(page("seedclean validation reports", index_body), encoding="utf-8")
    return index
