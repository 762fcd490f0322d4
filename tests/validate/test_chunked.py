"""The streaming validate: chunk size, the numpy LSH
candidates and the edits sample change no result they should not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SEEDS, read_jsonl
from seedclean.validate.duplicates import _candidate_pairs
from seedclean.validate.run import Positions, ValidationResult, _edits_table, validate_folder


@pytest.fixture(scope="module")
def failing_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds normalized without two stages: real failures to compare."""
    out = tmp_path_factory.mktemp("skipped") / "out"
    argv = ["normalize", str(SEEDS), str(out), "--skip", "dehyphenate", "--skip", "boilerplate", "--jobs", "1"]
    subprocess.run([sys.executable, "-m", "seedclean", *argv], check=True, capture_output=True)
    return out


def _outputs(reports: Path) -> tuple[dict, list]:
    validation = json.loads((reports / "validation.json").read_text(encoding="utf-8"))
    groups = json.loads((reports / "near_duplicates.json").read_text(encoding="utf-8"))
    return validation, groups


@pytest.mark.parametrize("folder", ["seeds_out", "failing_out"])
def test_chunked_result_equals_whole_frame_result(folder: str, request, tmp_path: Path) -> None:
    out = request.getfixturevalue(folder)
    whole = validate_folder(out, tmp_path / "whole")
    chunked = validate_folder(out, tmp_path / "chunked", chunk_rows=2)
    assert _outputs(tmp_path / "whole") == _outputs(tmp_path / "chunked")
    assert whole.failures == chunked.failures
    if folder == "failing_out":
        assert {f.check for f in whole.failures} >= {"no_split_words", "no_boilerplate_left"}


def test_estimated_pairs_are_marked(seeds_out: Path, tmp_path: Path) -> None:
    result = validate_folder(seeds_out, tmp_path / "reports", exact_pairs=0)
    _, groups = _outputs(tmp_path / "reports")
    for kind in groups:
        assert kind["candidates_verified"] == 0
        assert all(pair.get("estimated") for pair in kind["pairs"])
    remarks = result.shared_remarks
    assert remarks.estimated == remarks.candidates > 0  # the seeds share a remark (000 and 004)


def test_edits_past_the_limit_are_sampled_but_all_checked(failing_out: Path) -> None:
    rows = read_jsonl(failing_out / "edits.jsonl")
    result = ValidationResult(out_dir=failing_out, reports_dir=failing_out)
    table, logged = _edits_table(failing_out, result, Positions(), chunk_rows=7, max_rows=10)
    assert result.edits == len(rows) == sum(logged.values()) and result.edits_sampled
    stride = int(table.index[1] - table.index[0])
    assert len(table) <= 10 and stride > 1 and list(table.index) == list(range(0, len(rows), stride))
    assert list(table["seq"]) == [rows[i]["seq"] for i in table.index]
    assert sum(result.edit_counts["kind"].values()) == len(rows)


def test_report_pages_are_bounded_and_counted(seeds_out: Path, tmp_path: Path) -> None:
    validate_folder(seeds_out, tmp_path / "reports", max_document_pages=2)
    assert len(list((tmp_path / "reports" / "documents").glob("*.html"))) == 2
    assert "2 of 5 documents have a" in (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")


def _pairs_by_sets(keys: list[int], docs: list[int]) -> set[tuple[int, int]]:
    buckets: dict[int, set[int]] = {}
    for key, doc in zip(keys, docs, strict=True):
        buckets.setdefault(key, set()).add(doc)
    return {(min(m), o) for m in buckets.values() for o in m if o != min(m)}


@given(st.lists(st.tuples(st.integers(-5, 5), st.integers(0, 6)), max_size=60))
def test_candidate_pairs_pair_each_bucket_with_its_first_member(entries: list[tuple[int, int]]) -> None:
    keys = np.array([k for k, _ in entries], dtype=np.int64)
    docs = np.array([d for _, d in entries], dtype=np.int32)
    firsts, others, shared = _candidate_pairs(keys, docs)
    assert set(zip(firsts.tolist(), others.tolist(), strict=True)) == _pairs_by_sets(keys.tolist(), docs.tolist())
    assert list(zip(firsts, others, strict=True)) == sorted(zip(firsts, others, strict=True))
    assert (shared >= 1).all()
