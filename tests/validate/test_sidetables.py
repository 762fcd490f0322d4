"""validate through normalize's side tables gives exactly what it gives
through the JSON logs, and falls back to the logs whenever the side tables
may not stand for them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SEEDS, SHARED, needs_dev_corpora, read_jsonl
from seedclean.validate.run import validate_folder
from seedclean.validate.sidetables import open_side_tables
from seedclean.write.atomic import json_line
from seedclean.write.run import normalize_folder
from seedclean.write.sidetables import MANIFEST, SideTableWriter, encode_side

NEWS_BENCH = SHARED / "corpora" / "news-bench-dev"


@pytest.fixture(scope="module")
def failing_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds normalized without four steps: real failures (split words, boilerplate, mojibake)."""
    out = tmp_path_factory.mktemp("skipped") / "out"
    from seedclean.config import Config

    config = Config().with_steps(dehyphenate=False, boilerplate=False, mojibake=False, title_suffix=False)
    normalize_folder(SEEDS, out, config, jobs=1)
    return out


@pytest.fixture(scope="module")
def news_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("news") / "out"
    normalize_folder(NEWS_BENCH, out, jobs=2)
    return out


def _rewrite(source: Path, out: Path, change) -> Path:
    """``source``'s rows passed through ``change(record, edits)`` and written
    back, logs and side tables, with normalize's own encoder and writer."""
    shutil.copytree(source, out)
    records = read_jsonl(source / "documents.jsonl")
    edits: dict[str, list[dict]] = {}
    for row in read_jsonl(source / "edits.jsonl"):
        edits.setdefault(row["doc"], []).append(row)
    with (
        SideTableWriter(out) as side,
        (out / "documents.jsonl").open("w", encoding="utf-8") as documents,
        (out / "edits.jsonl").open("w", encoding="utf-8") as edit_log,
    ):
        for number, record in enumerate(records):
            rows = [dict(row) for row in edits.get(record["id"], [])]
            record = change(number, record, rows)
            for row in rows:
                row["doc"] = record["id"]
            line, lines = json_line(record), "".join(map(json_line, rows))
            documents.write(line)
            edit_log.write(lines)
            side.add(encode_side(record, rows, line, lines))
    return out


def _plant(number: int, record: dict, edits: list[dict]) -> dict:
    """Failures of every kind the checks look for, one or two per document."""
    record = dict(record)
    if number == 2:
        record["title"] = None
        record["dateline"] = "x"  # too short
    if number == 3:
        record["title"] = 'Caf\u00c3\u00a9 talks, "quoted"\n\u0000\uffff \U0001f600'  # mojibake, CSV's own characters
        record["words_removed_share"] = 1.5
        edits[0]["reason"] = "Not A Code"
        edits[1]["end"] = edits[1]["start"] - 1
        edits[2]["kind"] = "teleport"
    if number == 4:
        record["paragraphs"] = record["words"] + 1
        record["edit_counts"] = {**record["edit_counts"], "delete": 99}
        edits[0]["step"] = "no_such_step"
        edits[3]["end"] += 1  # the span no longer matches its text
    return record


@pytest.fixture(scope="module")
def planted_out(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _rewrite(seeds_out, tmp_path_factory.mktemp("planted") / "out", _plant)


def _outputs(reports: Path) -> dict[str, str]:
    """Every report file but Data Docs (timestamped) with the reports folder's own name taken out."""
    found = {}
    for path in sorted(reports.rglob("*")):
        if path.is_file() and "data_docs" not in path.parts:
            found[path.relative_to(reports).as_posix()] = path.read_text(encoding="utf-8").replace(str(reports), "R")
    return found


@pytest.mark.parametrize(
    "folder", ["seeds_out", "failing_out", pytest.param("news_out", marks=needs_dev_corpora), "planted_out"]
)
def test_side_tables_give_the_results_of_the_json_logs(folder: str, request, tmp_path: Path) -> None:
    out = request.getfixturevalue(folder)
    side = validate_folder(out, tmp_path / "side")
    logs = validate_folder(out, tmp_path / "logs", side_tables=False)
    assert side.side_tables and not logs.side_tables
    assert side.failures == logs.failures
    assert side.expectations == logs.expectations
    assert side.edit_counts == logs.edit_counts
    assert _outputs(tmp_path / "side") == _outputs(tmp_path / "logs")
    if folder == "planted_out":
        checks = {f.check for f in side.failures}
        assert {"str_length", "title_has_no_mojibake", "reason_code", "spans_ordered", "isin"} <= checks
        assert {"counts_consistent", "edit_counts_match_log", "span_matches_before", "kind_matches_text"} <= checks
    if folder == "failing_out":
        assert {"no_split_words", "no_boilerplate_left"} <= {f.check for f in side.failures}


def _copy(source: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(source, out)
    assert open_side_tables(out) is not None
    return out


def test_a_hand_edited_log_is_read_from_the_json(seeds_out: Path, tmp_path: Path) -> None:
    out = _copy(seeds_out, tmp_path)
    rows = read_jsonl(out / "edits.jsonl")
    rows[0]["reason"] = "edited_by_hand"
    (out / "edits.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    assert open_side_tables(out) is None
    result = validate_folder(out, tmp_path / "reports")
    assert not result.side_tables
    assert result.edit_counts["reason"]["edited_by_hand"] == 1


def test_an_edit_that_keeps_the_size_is_caught_in_a_sampled_block(seeds_out: Path, tmp_path: Path) -> None:
    out = _copy(seeds_out, tmp_path)
    data = bytearray((out / "documents.jsonl").read_bytes())
    data[10] = ord("X") if data[10] != ord("X") else ord("Y")  # the head is always sampled
    (out / "documents.jsonl").write_bytes(bytes(data))
    assert open_side_tables(out) is None


@pytest.mark.parametrize("damage", ["missing", "not json", "other format", "unusable", "side file changed"])
def test_side_tables_that_cannot_be_trusted_are_ignored(damage: str, seeds_out: Path, tmp_path: Path) -> None:
    out = _copy(seeds_out, tmp_path)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    if damage == "missing":
        (out / MANIFEST).unlink()
    elif damage == "not json":
        (out / MANIFEST).write_text("{", encoding="utf-8")
    elif damage == "side file changed":
        (out / "edits.i32").write_bytes((out / "edits.i32").read_bytes()[:-4])
    else:
        manifest.update({"format": 0} if damage == "other format" else {"usable": False})
        (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert open_side_tables(out) is None
    assert not validate_folder(out, tmp_path / "reports").side_tables


def test_fields_of_mixed_types_make_the_side_tables_unusable(seeds_out: Path, tmp_path: Path) -> None:
    def mixed(number: int, record: dict, edits: list[dict]) -> dict:
        return {**record, "words": "many"} if number == 2 else record

    out = _rewrite(seeds_out, tmp_path / "mixed", mixed)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert not manifest["usable"] and "words" in manifest["why_not"]
    assert open_side_tables(out) is None


def test_duplicate_ids_count_as_in_the_json_logs(seeds_out: Path, tmp_path: Path) -> None:
    def duplicate(number: int, record: dict, edits: list[dict]) -> dict:
        return {**record, "id": "000_769b480d123bd270"} if number == 1 else record

    out = _rewrite(seeds_out, tmp_path / "duplicate", duplicate)
    # no document pages: a page of the second document would show the first one's edits (both paths)
    side = validate_folder(out, tmp_path / "side", max_document_pages=0, chunk_rows=2)
    logs = validate_folder(out, tmp_path / "logs", max_document_pages=0, chunk_rows=2, side_tables=False)
    assert side.side_tables and side.failures == logs.failures
    assert {"unique_ids", "edit_counts_match_log"} <= {f.check for f in side.failures}
    assert _outputs(tmp_path / "side") == _outputs(tmp_path / "logs")
