"""The reports in a real headless Chromium (Debian's package, which
`nox -s tests` installs when missing): every page reachable from
reports/index.html renders, its links resolve, the console stays clean, and
markup inside an article or a file name shows as text and never runs."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import SEEDS

CHROMIUM = Path("/usr/bin/chromium")
# as the machine notes say: without the background-networking flags Chromium
# keeps trying to reach Google's hosts through a closed network
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVIL_NAME = "evil <b>&\"q'.txt"
EVIL_TEXT = (
    "Talks <i>resume</i> in Doha <script>window.__pwned = 1</script>\n\n"
    "DOHA: Negotiators met on Monday to discuss the ceasefire, officials said, and the talks went on "
    'late into the night. <img src=x onerror="window.__pwned = 2"> Both sides called them useful.\n\n'
    '“We are close,” a mediator said. <a href="javascript:window.__pwned=3">Click</a> '
    "The next round starts on Thursday, when delegations return to the table with new proposals.\n\n"
    "Leave a Reply\n"
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (nox -s tests installs it)"
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from seedclean.validate.run import validate_folder
    from seedclean.write.run import normalize_folder

    base = tmp_path_factory.mktemp("browser")
    corpus = base / "in"
    shutil.copytree(SEEDS, corpus)
    (corpus / EVIL_NAME).write_text(EVIL_TEXT, encoding="utf-8")
    normalize_folder(corpus, base / "out", jobs=1)
    validate_folder(base / "out", base / "reports")
    return base / "reports"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield chromium
        chromium.close()


def _visit(browser, url: str) -> tuple[list[str], list[str], str, object]:
    page = browser.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(url)
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    text = page.inner_text("body")
    pwned = page.evaluate("() => window.__pwned")
    page.close()
    return problems, links, text, pwned


def test_every_page_renders_with_a_clean_console_and_live_links(browser, reports: Path) -> None:
    start = (reports / "index.html").as_uri()
    queue, seen, visited = [start], {start}, 0
    while queue:
        url = queue.pop()
        problems, links, text, pwned = _visit(browser, url)
        visited += 1
        assert problems == [], f"{url}: {problems}"
        assert text.strip(), f"{url} renders nothing"
        assert pwned is None, f"{url}: article markup ran as script"
        for link in links:
            parsed = urlparse(link)
            if parsed.scheme != "file":
                continue  # GX's own links to its web site; nothing is loaded from them
            target = Path(unquote(parsed.path))
            assert target.exists(), f"{url} links to a missing {target}"
            clean = link.split("#")[0]
            if clean not in seen and target.suffix == ".html":
                seen.add(clean)
                queue.append(clean)
    # index -> corpus -> 6 article pages, Data Docs index and its suite/validation pages
    assert visited >= 10


def test_article_markup_and_file_names_show_as_text(browser, reports: Path) -> None:
    pages = list((reports / "documents").glob("*.html"))
    evil = next(p for p in pages if "window.__pwned = 1" in p.read_text(encoding="utf-8"))
    problems, _, text, pwned = _visit(browser, evil.as_uri())
    assert problems == [] and pwned is None
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text
    assert EVIL_NAME in text  # the path field, shown as typed
    _, _, corpus_text, pwned = _visit(browser, (reports / "corpus.html").as_uri())
    assert pwned is None
    assert "evil <b>" in corpus_text  # the document id comes from the file name
