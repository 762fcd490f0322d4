"""Make Great Expectations' Data Docs open offline and run no script.

GX 1.x pages pull Bootstrap, jQuery, Vega and fonts from five CDNs and
initialise their tables with inline jQuery. Offline (or behind a firewall)
every one of those fails with a console error, and the inline scripts throw
``$ is not defined``. The pages' content is plain server-rendered HTML, so
this pass removes the scripts, the inline event handlers that would call them (GX's
"clear filters" buttons) and remote resources, adds a small local
stylesheet in place of Bootstrap, and adds the same Content-Security-Policy
as seedclean's own pages (Data Docs print unexpected values, which can be
article text). What is lost: GX's sortable/filterable tables and Vega charts.
"""

from __future__ import annotations

import re
from pathlib import Path

from seedclean.report.html import CSP, esc

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=\"(?:https?:)?//[^\"]*\"[^>]*>", re.IGNORECASE)
_ICON_LINK = re.compile(r"<link\b[^>]*\brel=\"(?:shortcut )?icon\"[^>]*>", re.IGNORECASE)
_REMOTE_IMG = re.compile(r"<img\b[^>]*\bsrc=\"(?:https?:)?//[^\"]*\"[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
#: a start tag, its quoted attribute values read whole (they may hold ">")
_START_TAG = re.compile(r"""<[a-zA-Z](?:[^<>"']|"[^"]*"|'[^']*')*>""")
#: an inline event handler attribute (onclick="..."): the functions it calls
#: went with the scripts, and the policy blocks it with a console error
_HANDLER = re.compile(r"""\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d232a;margin:0 1.5rem 2rem}
.container-fluid,.container{max-width:1300px;margin:0 auto}
table{border-collapse:collapse;margin:.4rem 0 1rem;width:100%}th,td{border:1px solid #dde2e8;padding:.25rem .45rem;
vertical-align:top;text-align:left}th{background:#eef1f5}.card{border:1px solid #dde2e8;border-radius:6px;
padding:.5rem .8rem;margin:.6rem 0}.badge{padding:0 .3rem;border-radius:3px;background:#eef1f5}
.text-danger{color:#b3261e}.text-success{color:#17702b}.d-none,.sr-only{display:none}
nav,.navbar{padding:.4rem 0;border-bottom:1px solid #dde2e8;margin-bottom:1rem}
ul.nav,.list-group{list-style:none;padding-left:0}code,pre{background:#eef1f5;border-radius:3px;padding:0 .2rem}
.fa-check-circle::before{content:"✔"}.fa-times::before{content:"✖"}.fa-exclamation-triangle::before{content:"⚠"}
.fas{font-style:normal;font-weight:700}
.seedclean-note{background:#fff8e1;border:1px solid #e6d28a;padding:.4rem .7rem;border-radius:4px;margin:.6rem 0}
"""

_NOTE = (
    '<div class="seedclean-note">Offline copy made by seedclean: the remote scripts and styles of Data Docs are '
    'removed, so tables are static. <a href="{back}">Back to the reports</a>.</div>'
)


def make_offline(html_text: str, back: str, extra: str = "") -> str:
    text = _SCRIPT.sub("", html_text)
    text = _START_TAG.sub(lambda tag: _HANDLER.sub("", tag.group(0)), text)
    text = _REMOTE_LINK.sub("", text)
    text = _ICON_LINK.sub("", text)
    text = _REMOTE_IMG.sub("", text)
    head = (
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}"><link rel="icon" href="data:,">'
        f"<style>{_STYLE}</style>"
    )
    text, found = _HEAD.subn(lambda m: m.group(0) + head, text, count=1)
    if not found:
        text = head + text
    note = _NOTE.format(back=back).replace("</div>", extra + "</div>")
    return re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + note, text, count=1, flags=re.IGNORECASE)


def make_site_offline(docs_dir: Path, reports_dir: Path) -> int:
    """Rewrite every page under ``docs_dir``; returns how many."""
    docs_dir = Path(docs_dir)
    pages = sorted(docs_dir.rglob("*.html"))
    # GX's index lists its pages with a script-built table; offline it needs real links
    links = [esc(p.relative_to(docs_dir).as_posix()) for p in pages if p != docs_dir / "index.html"]
    listing = "<ul>" + "".join(f'<li><a href="{link}">{link}</a></li>' for link in links) + "</ul>"
    for path in pages:
        depth = len(path.relative_to(reports_dir).parts) - 1
        back = "../" * depth + "index.html"
        extra = listing if path == docs_dir / "index.html" else ""
        path.write_text(make_offline(path.read_text(encoding="utf-8"), back, extra), encoding="utf-8")
    return len(pages)
