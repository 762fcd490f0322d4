"""The seed articles end to end: what must go, what must stay (issue 2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SEEDS, load_case_file, read_jsonl

CASES = load_case_file("seeds.json")
DOC_IDS = sorted(CASES["documents"])


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def records(seeds_out: Path) -> dict[str, dict]:
    return {row["id"]: row for row in read_jsonl(seeds_out / "documents.jsonl")}


@pytest.fixture(scope="module")
def edits(seeds_out: Path) -> list[dict]:
    return read_jsonl(seeds_out / "edits.jsonl")


def test_every_seed_is_in_the_output(seeds_out: Path, records: dict[str, dict]) -> None:
    assert sorted(records) == DOC_IDS
    assert list(records) == DOC_IDS, "documents.jsonl is in sorted path order"
    for doc_id in DOC_IDS:
        assert (seeds_out / f"{doc_id}.txt").is_file()


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_title(records: dict[str, dict], doc_id: str) -> None:
    assert records[doc_id]["title"] == CASES["documents"][doc_id]["title"]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_removed_lines_are_gone_and_logged(seeds_out: Path, edits: list[dict], doc_id: str) -> None:
    output = _lines((seeds_out / f"{doc_id}.txt").read_text(encoding="utf-8"))
    doc_edits = [e for e in edits if e["doc"] == doc_id]
    for removal in CASES["documents"][doc_id]["removed"]:
        assert removal["line"] not in output, f"{removal['line']!r} should have been removed"
        logged = [e for e in doc_edits if " ".join(e["before"].split()) == removal["line"] and e["kind"] == "delete"]
        assert logged, f"no deletion of {removal['line']!r} in edits.jsonl"
        assert logged[0]["reason"] == removal["reason"]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_article_line_survives(seeds_out: Path, doc_id: str) -> None:
    """Nothing of the article is lost: each raw line that is not chrome is in
    the output (compared after the repairs a line may legitimately get)."""
    raw = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
    output = (seeds_out / f"{doc_id}.txt").read_text(encoding="utf-8")
    removed = {r["line"] for r in CASES["documents"][doc_id]["removed"]}
    joined = CASES["documents"][doc_id].get("joined", [])
    out_lines = set(_lines(output))
    for line in _lines(raw.replace("\u00a0", " ")):
        if line in removed:
            continue
        for word in joined:
            line = re.sub(rf"\b{word[:4]}-{word[4:]}\b", word, line)
        expected = line.removesuffix(CASES["documents"][doc_id].get("title_suffix_removed", ""))
        assert expected in out_lines, f"article line lost: {expected[:80]!r}"


def test_layout_hyphenation_is_repaired(seeds_out: Path) -> None:
    text = (seeds_out / "000_769b480d123bd270.txt").read_text(encoding="utf-8")
    assert "Israeli occupation and" in text
    assert "to negotiate a comprehensive" in text
    assert "occu-pation" not in text and "nego-tiate" not in text


@pytest.mark.parametrize("compound", CASES["compounds"])
def test_real_compounds_stay(seeds_out: Path, compound: str) -> None:
    raw = "".join((SEEDS / f"{d}.txt").read_text(encoding="utf-8") for d in DOC_IDS)
    out = "".join((seeds_out / f"{d}.txt").read_text(encoding="utf-8") for d in DOC_IDS)
    assert raw.count(compound) > 0
    assert out.count(compound) == raw.count(compound)


def test_repeated_headline_appears_once(seeds_out: Path) -> None:
    text = (seeds_out / "001_aeeeb197b7e706e4.txt").read_text(encoding="utf-8")
    assert text.count(CASES["documents"]["001_aeeeb197b7e706e4"]["title"]) == 1


def test_title_suffix_leaves_the_title(records: dict[str, dict], seeds_out: Path) -> None:
    assert "World News" not in (seeds_out / "002_d60c0d61afcbb3f2.txt").read_text(encoding="utf-8")


def test_caption_leaves_the_body(records: dict[str, dict]) -> None:
    assert "(AP)" not in records["002_d60c0d61afcbb3f2"]["body"]
    assert "compiled by AFP." in records["002_d60c0d61afcbb3f2"]["body"]


def test_headless_article_keeps_its_first_paragraph(records: dict[str, dict]) -> None:
    body = records["004_6535e845244f9d94"]["body"]
    assert body.startswith("US President Donald Trump has said that “great progress”")


def test_typographic_quotes_survive(seeds_out: Path) -> None:
    raw = (SEEDS / "000_769b480d123bd270.txt").read_text(encoding="utf-8")
    out = (seeds_out / "000_769b480d123bd270.txt").read_text(encoding="utf-8")
    for char in "‘’“”":
        assert out.count(char) == raw.count(char)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_output_layout(seeds_out: Path, records: dict[str, dict], doc_id: str) -> None:
    data = (seeds_out / f"{doc_id}.txt").read_bytes()
    text = data.decode("utf-8")
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n\n" not in text
    record = records[doc_id]
    expected = (f"{record['title']}\n\n" if record["title"] else "") + record["body"] + "\n"
    assert text == expected


def test_paragraphs_from_single_newlines(seeds_out: Path) -> None:
    """004 separates paragraphs with single newlines; they come out as paragraphs."""
    text = (seeds_out / "004_6535e845244f9d94.txt").read_text(encoding="utf-8")
    raw_paragraphs = [
        p for p in (SEEDS / "004_6535e845244f9d94.txt").read_text(encoding="utf-8").splitlines() if p.strip()
    ]
    assert text.rstrip("\n").split("\n\n") == raw_paragraphs
