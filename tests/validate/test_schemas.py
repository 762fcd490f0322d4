"""The Pandera schemas: files in schemas/ generated from the code, custom
checks that survive loading, and failures reported per document."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from seedclean.validate import checks
from seedclean.validate.run import _validate_chunk
from seedclean.validate.schemas import MODELS, SCHEMAS_DIR, DocumentsModel, EditsModel, count_checks, load_schema
from seedclean.validate.tables import document_row, edit_frames


@pytest.mark.parametrize("name", list(MODELS))
def test_schema_files_are_generated_from_the_code(name: str) -> None:
    from seedclean.validate.schemas import schema_json

    path = SCHEMAS_DIR / f"{name}.json"
    assert path.read_text(encoding="utf-8") == schema_json(name), (
        f"{path} is stale: regenerate with `python -m seedclean.validate.schemas`"
    )


@pytest.mark.parametrize("name", list(MODELS))
def test_loaded_schema_keeps_every_check(name: str) -> None:
    code = count_checks(MODELS[name].to_schema())
    loaded = count_checks(load_schema(SCHEMAS_DIR / f"{name}.json"))
    assert loaded == code
    assert sum(code.values()) >= 10


def test_without_registration_pandera_cannot_load_the_custom_checks() -> None:
    """Why load_schema exists: a fresh process that loads the file with plain
    pandera either refuses the custom checks (0.35, column checks) or drops
    them without a word (earlier releases, dataframe checks); never the full schema."""
    script = (
        "import sys, pandera.pandas as pa\n"
        "s = pa.DataFrameSchema.from_json(open(sys.argv[1]).read())\n"
        "print(sum(len(c.checks) for c in s.columns.values()) + len(s.checks))\n"
    )
    path = SCHEMAS_DIR / "documents.json"
    plain = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=False)
    schema = DocumentsModel.to_schema()
    full = sum(len(c.checks) for c in schema.columns.values()) + len(schema.checks)
    if plain.returncode != 0:
        assert "registered" in plain.stderr
    else:
        assert int(plain.stdout.split()[-1]) < full


def test_every_registered_check_is_used_and_serialized() -> None:
    text = (SCHEMAS_DIR / "documents.json").read_text(encoding="utf-8") + (SCHEMAS_DIR / "edits.json").read_text(
        encoding="utf-8"
    )
    for name in checks.registered():
        assert f'"{name}"' in text, f"check {name} is registered but used by no schema"


@pytest.fixture(scope="module")
def tables(seeds_out) -> tuple[pd.DataFrame, pd.DataFrame]:
    from conftest import read_jsonl

    docs = pd.DataFrame([document_row(r) for r in read_jsonl(seeds_out / "documents.jsonl")])
    edits = pd.concat(list(edit_frames(seeds_out)))
    docs["edits_logged"] = [int((edits["doc"] == i).sum()) for i in docs["id"]]
    for column in ("near_dup_group", "remark_group"):
        docs[column] = None
    docs["near_dup_similarity"] = docs["remark_similarity"] = 0.0
    return docs, edits


def test_seed_tables_pass(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    docs, edits = tables
    assert _validate_chunk(DocumentsModel, "documents", docs.copy(), "id")[1] == []
    assert _validate_chunk(EditsModel, "edits", edits.copy(), "doc")[1] == []


def test_failures_name_document_column_check_and_value(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    docs, _ = tables
    bad = docs.copy()
    bad.loc[3, "residual_boilerplate_lines"] = 2
    bad.loc[1, "title"] = "Talks resume in DohaÃ©"
    bad.loc[0, "sentences"] = 10_000  # more sentences than words
    bad.loc[4, "edits_logged"] = 0
    _, failures = _validate_chunk(DocumentsModel, "documents", bad, "id")
    found = {(f.document, f.check) for f in failures}
    assert (docs.loc[3, "id"], "no_boilerplate_left") in found
    assert (docs.loc[1, "id"], "title_has_no_mojibake") in found
    assert (docs.loc[0, "id"], "counts_consistent") in found
    assert (docs.loc[4, "id"], "edit_counts_match_log") in found
    boilerplate = next(f for f in failures if f.check == "no_boilerplate_left")
    assert boilerplate.column == "residual_boilerplate_lines" and boilerplate.value == 2
    counts = next(f for f in failures if f.check == "counts_consistent")
    assert counts.value["sentences"] == 10_000  # a dataframe check shows the values it compared
    json.dumps([f.__dict__ for f in failures])  # failures are JSON rows


def test_edit_checks_catch_a_log_that_does_not_match_its_text(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, edits = tables
    bad = edits.copy()
    bad.loc[0, "before_chars"] = bad.loc[0, "before_chars"] + 3
    bad.loc[1, "kind"] = "insert"
    bad.loc[2, "raw_end"] = -1
    bad.loc[3, "reason"] = "Not A Code"
    _, failures = _validate_chunk(EditsModel, "edits", bad, "doc")
    checks_hit = {f.check for f in failures}
    assert {"span_matches_before", "kind_matches_text", "spans_ordered", "reason_code"} <= checks_hit


def test_schemas_folder_is_at_the_repository_root() -> None:
    assert SCHEMAS_DIR == ROOT / "schemas"
