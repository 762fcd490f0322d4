"""A folder run: restore, idempotence, determinism, the output contract."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import SEEDS, read_jsonl
from seedclean.errors import UserError
from seedclean.write.restore import restore_folder
from seedclean.write.run import normalize_folder


def _txt_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.txt"))}


def test_restore_rebuilds_every_seed_byte_for_byte(seeds_out: Path, tmp_path: Path) -> None:
    summary = restore_folder(seeds_out, tmp_path / "restored")
    assert summary.restored == 5 and summary.mismatched == []
    assert _txt_files(tmp_path / "restored") == _txt_files(SEEDS)


def test_normalizing_the_output_again_changes_no_text(seeds_out: Path, tmp_path: Path) -> None:
    clean_copy = tmp_path / "in"
    clean_copy.mkdir()
    for name, data in _txt_files(seeds_out).items():
        (clean_copy / name).write_bytes(data)
    normalize_folder(clean_copy, tmp_path / "out2")
    assert _txt_files(tmp_path / "out2") == _txt_files(seeds_out)
    assert read_jsonl(tmp_path / "out2" / "edits.jsonl") == []


def test_two_runs_are_byte_identical(seeds_out: Path, tmp_path: Path) -> None:
    normalize_folder(SEEDS, tmp_path / "again", jobs=2)
    for name in ("documents.jsonl", "edits.jsonl"):
        assert (tmp_path / "again" / name).read_bytes() == (seeds_out / name).read_bytes()
    assert _txt_files(tmp_path / "again") == _txt_files(seeds_out)


def test_documents_rows_have_the_promised_fields(seeds_out: Path) -> None:
    for row in read_jsonl(seeds_out / "documents.jsonl"):
        assert row["path"] == f"{row['id']}.txt"
        assert row["sha256"] == hashlib.sha256((SEEDS / row["path"]).read_bytes()).hexdigest()
        assert set(row["edit_counts"]) == {"delete", "insert", "replace", "flag"}
        assert isinstance(row["body"], str) and row["body"]


def test_edit_rows_name_step_span_and_reason(seeds_out: Path) -> None:
    rows = read_jsonl(seeds_out / "edits.jsonl")
    raw = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for row in rows:
        assert row["step"] and row["reason"] and row["kind"] in {"delete", "insert", "replace", "flag"}
        if row["step"] in {"line_endings", "mojibake", "invisible", "spaces"} and row["pass"] == 0:
            # edits of the first step are in raw coordinates already
            assert raw[row["doc"]][row["raw_start"] : row["raw_end"]] == row["before"]
    deletions = [r for r in rows if r["reason"] == "caption"]
    assert deletions and raw[deletions[0]["doc"]][deletions[0]["raw_start"] : deletions[0]["raw_end"]].strip().endswith(
        "(AP)"
    )


def test_raw_spans_point_at_the_raw_text(seeds_out: Path) -> None:
    """Every deletion of a whole line points at that line in the raw input."""
    raw = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for row in read_jsonl(seeds_out / "edits.jsonl"):
        if row["step"] == "boilerplate":
            assert row["before"].strip() in raw[row["doc"]][row["raw_start"] : row["raw_end"]]


def test_stale_outputs_of_an_earlier_run_are_removed(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("Alpha headline\n\nFirst paragraph of a.\n", encoding="utf-8")
    (source / "b.txt").write_text("Beta headline\n\nFirst paragraph of b.\n", encoding="utf-8")
    normalize_folder(source, tmp_path / "out")
    (source / "b.txt").unlink()
    normalize_folder(source, tmp_path / "out")
    assert sorted(_txt_files(tmp_path / "out")) == ["a.txt"]
    assert [r["id"] for r in read_jsonl(tmp_path / "out" / "documents.jsonl")] == ["a"]


@pytest.mark.parametrize("where", ["same", "inside"])
def test_output_in_the_input_is_refused(tmp_path: Path, where: str) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("text\n", encoding="utf-8")
    out = source if where == "same" else source / "out"
    with pytest.raises(UserError, match="input folder"):
        normalize_folder(source, out)
    assert sorted(p.name for p in source.iterdir()) == ["a.txt"]


def test_foreign_non_empty_output_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(UserError, match="not written by seedclean"):
        normalize_folder(SEEDS, tmp_path / "out")
    assert (tmp_path / "out" / "notes.md").read_text(encoding="utf-8") == "mine"
