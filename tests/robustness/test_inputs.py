"""Every kind of input file gets its answer (tests/cases/inputs.json): cleaned
with its encoding recorded and rebuilt byte for byte, or skipped and listed
in errors.jsonl with the reason, while the other files are cleaned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import load_case_file, read_jsonl
from seedclean.write.restore import restore_folder
from seedclean.write.run import normalize_folder

CASES = load_case_file("inputs.json")["cases"]


def case_bytes(case: dict) -> bytes:
    if "hex" in case:
        data = bytes.fromhex(case["hex"])
    else:
        data = case["text"].encode(case["encode"])
    return (bytes.fromhex(case.get("prefix_hex", "")) + data) * case.get("repeat", 1)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("inputs")
    source = root / "in"
    source.mkdir()
    for case in CASES:
        (source / case["name"]).write_bytes(case_bytes(case))
    summary = normalize_folder(source, root / "out", jobs=1)
    return source, root / "out", summary


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_input_case(case: dict, run: tuple[Path, Path, object]) -> None:
    _, out, _ = run
    documents = {row["path"]: row for row in read_jsonl(out / "documents.jsonl")}
    errors = {row["path"]: row for row in read_jsonl(out / "errors.jsonl")}
    name = case["name"]
    if case["expect"] == "error":
        assert name not in documents, case["reason"]
        assert errors[name]["kind"] == case["kind"], errors[name]
        assert errors[name]["message"]
        assert not (out / name).exists()
        return
    assert name not in errors, errors.get(name)
    row = documents[name]
    assert row["encoding"] == case["encoding"], case["reason"]
    if "bom" in case:
        assert row["bom"] == case["bom"]
    text = (out / name).read_bytes().decode("utf-8")
    if "output" in case:
        assert text == case["output"], case["reason"]
    for piece in case.get("output_has", []):
        assert piece in text, case["reason"]
    assert "\ufeff" not in text and "\r" not in text and "\x00" not in text


def test_every_cleaned_input_is_rebuilt_byte_for_byte(run: tuple[Path, Path, object], tmp_path: Path) -> None:
    source, out, _ = run
    summary = restore_folder(out, tmp_path / "back")
    assert summary.mismatched == []
    ok = [case["name"] for case in CASES if case["expect"] == "ok"]
    assert summary.restored == len(ok)
    for name in ok:
        assert (tmp_path / "back" / name).read_bytes() == (source / name).read_bytes(), name


def test_failures_are_counted_and_listed(run: tuple[Path, Path, object]) -> None:
    _, out, summary = run
    failed = sorted(case["name"] for case in CASES if case["expect"] == "error")
    assert summary.failed == len(failed)  # type: ignore[attr-defined]
    rows = read_jsonl(out / "errors.jsonl")
    assert sorted(row["path"] for row in rows) == failed
    for row in rows:
        assert set(row) == {"path", "kind", "message"}
        json.dumps(row)  # plain JSON, for any tool
