"""make_offline turns a Data Docs page into one that opens offline and runs
no script: what GX 1.x writes into its pages goes, the text stays."""

from __future__ import annotations

from seedclean.report.html import CSP
from seedclean.report.offline import make_offline

PAGE = """<html><head><title>Validation</title>
<script src="https://cdn.example/jquery.js"></script>
<link rel="stylesheet" href="https://cdn.example/bootstrap.css">
<script>$(function () { $('table').bootstrapTable(); });</script>
</head><body>
<button class="btn btn-sm" onclick="clearTableFilters('section-1-body-table')">Clear filters</button>
<div data-note="a > b" ONMOUSEOVER='show(1)'>x</div>
<td>Leave a Reply onclick="steal()" &lt;img src=x onerror=&quot;y()&quot;&gt;</td>
</body></html>"""


def test_scripts_handlers_and_remote_resources_go() -> None:
    page = make_offline(PAGE, back="../index.html")
    assert "<script" not in page and "cdn.example" not in page
    assert "onclick" not in page.split("<td>")[0] and "ONMOUSEOVER" not in page
    assert '<button class="btn btn-sm">Clear filters</button>' in page
    assert '<div data-note="a > b">x</div>' in page  # a quoted ">" does not end the tag early
    assert f'content="{CSP}"' in page and 'href="../index.html"' in page


def test_the_pages_text_is_kept_even_where_it_reads_like_a_handler() -> None:
    page = make_offline(PAGE, back="../index.html")
    assert '<td>Leave a Reply onclick="steal()" &lt;img src=x onerror=&quot;y()&quot;&gt;</td>' in page
