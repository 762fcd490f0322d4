"""Small HTML building blocks for the reports: escaping, the page shell,
tables and SVG charts. No JavaScript and nothing loaded from the network, so
the pages open offline and article text can never run as code.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import numpy as np

# Defence in depth: even if some text escaped escaping, the browser runs no
# script and loads nothing from elsewhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d232a;background:#fafbfc}
main{max-width:1200px;margin:0 auto;padding:1.2rem 1.5rem 3rem}
h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:1px solid #dde2e8}
nav a{margin-right:1rem}a{color:#0b5cad}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;background:#fff}
th,td{border:1px solid #dde2e8;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}td{overflow-wrap:break-word;max-width:26rem}.scroll{overflow-x:auto}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#17702b;font-weight:600}.fail{color:#b3261e;font-weight:600}.warn{color:#8a5a00;font-weight:600}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{background:#fff;border:1px solid #dde2e8;border-radius:6px;
padding:.6rem .9rem;min-width:9rem}.card b{display:block;font-size:1.4rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem}
.chart{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:.5rem}
.text{white-space:pre-wrap;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#fff;
border:1px solid #dde2e8;padding:.8rem;overflow-wrap:anywhere}
.panes{display:grid;grid-template-columns:1fr 1fr;gap:1rem}@media(max-width:900px){.panes{grid-template-columns:1fr}}
.chg{border-radius:3px;padding:0 1px}
.k-delete{background:#ffd7d5;text-decoration:line-through;text-decoration-color:#b3261e}
.k-replace{background:#ffe9b3}.k-insert{background:#c9f2d0}.k-flag{outline:2px dashed #8a5a00}
.tag{font:600 10px/1 system-ui,sans-serif;color:#fff;background:#5b6570;border-radius:3px;padding:1px 3px;
margin-left:2px;vertical-align:super;text-decoration:none;white-space:nowrap}
.k-delete .tag{background:#b3261e}.k-replace .tag{background:#8a5a00}.k-insert .tag{background:#17702b}
.k-flag .tag{background:#6b4fa0}.ws{color:#8a5a00}.legend span{margin-right:1rem}
code{background:#eef1f5;padding:0 .2rem;border-radius:3px}small{color:#5b6570}
"""


def esc(value: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def page(title: str, body: str, *, nav: Sequence[tuple[str, str]] = ()) -> str:
    links = "".join(f'<a href="{esc(href)}">{esc(label)}</a>' for href, label in nav)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{f'<nav>{links}</nav>' if links else ''}<h1>{esc(title)}</h1>\n{body}\n</main></body></html>\n"
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Sequence[int] = ()) -> str:
    """A table; cells are given as HTML (escape text with :func:`esc`)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], *, width: int = 520) -> str:
    """A horizontal bar chart as inline SVG."""
    bar_h, label_w, gap = 18, 170, 4
    top = 26
    height = top + len(labels) * (bar_h + gap) + 8
    peak = max(values, default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{esc(title)}">',
        f'<text x="4" y="16" font-size="13" font-weight="600">{esc(title)}</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = top + i * (bar_h + gap)
        w = max((width - label_w - 60) * value / peak, 1 if value else 0)
        shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3f}"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" font-size="12" text-anchor="end">{esc(label[:28])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#4a7bb7"><title>{esc(label)}: '
            f"{esc(shown)}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="12">{esc(shown)}</text>'
        )
    parts.append("</svg>")
    return f'<div class="chart">{"".join(parts)}</div>'


def histogram(title: str, values: Sequence[float], *, bins: int = 10) -> str:
    """A histogram (as bars, one per bin) of ``values`` (a list or an array)."""
    values = np.asarray(values, dtype=float)
    if not values.size:
        return bar_chart(title, [], [])
    low, high = float(values.min()), float(values.max())
    if low == high:
        return bar_chart(title, [f"{low:g}"], [len(values)])
    step = (high - low) / bins
    counts = np.bincount(np.minimum(((values - low) / step).astype(int), bins - 1), minlength=bins)
    labels = [f"{low + i * step:,.3g} – {low + (i + 1) * step:,.3g}" for i in range(bins)]
    return bar_chart(title, labels, [int(c) for c in counts])
