"""Pandera models of the documents and edits tables.

These are the hard rules: a row that breaks one is a failure (exit 1).
Distribution-level expectations with a tolerance (``mostly``) live in the
Great Expectations suites (``expectations.py``). The models are also written
to ``schemas/*.json`` by ``python -m seedclean.validate.schemas``;
``tests/validate`` proves the files and the code agree, check for check.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandera.pandas as pa
from pandera.typing import Series

from seedclean.edits import KINDS
from seedclean.normalize.pipeline import STEP_NAMES
from seedclean.validate import checks  # noqa: F401 - registers the custom checks

SCHEMAS_DIR = Path(__file__).resolve().parents[3] / "schemas"


class DocumentsModel(pa.DataFrameModel):
    """One row per cleaned article (documents.jsonl without the text)."""

    id: Series[str] = pa.Field(unique=True)
    path: Series[str] = pa.Field(relative_txt_path=())
    title: Series[str] = pa.Field(
        nullable=True, str_length={"min_value": 1, "max_value": 300}, title_has_no_mojibake=()
    )
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    bytes: Series[int] = pa.Field(ge=0)
    encoding: Series[str]
    dateline: Series[str] = pa.Field(nullable=True, str_length={"min_value": 2, "max_value": 60})
    credits: Series[str]
    published: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4}-\d\d-\d\d$")
    paragraphs: Series[int] = pa.Field(ge=0)
    sentences: Series[int] = pa.Field(ge=0)
    words: Series[int] = pa.Field(ge=0)
    characters: Series[int] = pa.Field(ge=0)
    raw_words: Series[int] = pa.Field(ge=0)
    words_removed_share: Series[float] = pa.Field(in_range={"min_value": 0.0, "max_value": 1.0})
    language: Series[str] = pa.Field(str_matches=r"^(?:[a-z]{2,3}|und)$")
    language_score: Series[float] = pa.Field(in_range={"min_value": 0.0, "max_value": 1.0})
    quotes_opening: Series[int] = pa.Field(ge=0)
    quotes_closing: Series[int] = pa.Field(ge=0)
    quotes_straight: Series[int] = pa.Field(ge=0)
    quote_balance: Series[int]
    residual_hyphen_splits: Series[int] = pa.Field(no_split_words=())
    unresolved_hyphens: Series[int] = pa.Field(ge=0)
    residual_boilerplate_lines: Series[int] = pa.Field(no_boilerplate_left=())
    mojibake_badness: Series[int] = pa.Field(no_mojibake_left=())
    title_in_body: Series[bool] = pa.Field(title_not_repeated_in_body=())
    mean_word_length: Series[float] = pa.Field(ge=0.0)
    alpha_word_ratio: Series[float] = pa.Field(in_range={"min_value": 0.0, "max_value": 1.0})
    stop_words: Series[int] = pa.Field(ge=0)
    terminal_punct_line_ratio: Series[float] = pa.Field(in_range={"min_value": 0.0, "max_value": 1.0})
    short_line_ratio: Series[float] = pa.Field(in_range={"min_value": 0.0, "max_value": 1.0})
    duplicate_line_char_ratio: Series[float] = pa.Field(in_range={"min_value": 0.0, "max_value": 1.0})
    edits_delete: Series[int] = pa.Field(ge=0)
    edits_insert: Series[int] = pa.Field(ge=0)
    edits_replace: Series[int] = pa.Field(ge=0)
    edits_flag: Series[int] = pa.Field(ge=0)
    edits_total: Series[int] = pa.Field(ge=0)
    edits_logged: Series[int] = pa.Field(ge=0)
    near_dup_group: Series[str] = pa.Field(nullable=True)
    near_dup_similarity: Series[float] = pa.Field(in_range={"min_value": 0.0, "max_value": 1.0})
    remark_group: Series[str] = pa.Field(nullable=True)
    remark_similarity: Series[float] = pa.Field(in_range={"min_value": 0.0, "max_value": 1.0})

    class Config:
        name = "documents"
        coerce = True
        strict = False  # fields added later (by other stages) do not break validation
        # registered dataframe checks are Config attributes in pandera; each
        # maps the check's statistics to column names
        counts_consistent = {  # noqa: RUF012
            "paragraphs": "paragraphs",
            "sentences": "sentences",
            "words": "words",
            "characters": "characters",
        }
        edit_counts_match_log = {"counted": "edits_total", "logged": "edits_logged"}  # noqa: RUF012
        removed_share_consistent = {"share": "words_removed_share", "raw_words": "raw_words", "words": "words"}  # noqa: RUF012


class EditsModel(pa.DataFrameModel):
    """One row per logged edit (edits.jsonl, with text lengths instead of text)."""

    doc: Series[str]
    seq: Series[int] = pa.Field(ge=0)
    pass_: Series[int] = pa.Field(ge=0, alias="pass")
    step: Series[str] = pa.Field(isin=list(STEP_NAMES))
    kind: Series[str] = pa.Field(isin=list(KINDS))
    reason: Series[str] = pa.Field(reason_code=())
    start: Series[int] = pa.Field(ge=0)
    end: Series[int] = pa.Field(ge=0)
    raw_start: Series[int] = pa.Field(ge=0)
    raw_end: Series[int] = pa.Field(ge=0)
    before_chars: Series[int] = pa.Field(ge=0)
    after_chars: Series[int] = pa.Field(ge=0)

    class Config:
        name = "edits"
        coerce = True
        strict = False
        # registered dataframe checks (see DocumentsModel.Config)
        spans_ordered = {"start": "start", "end": "end", "raw_start": "raw_start", "raw_end": "raw_end"}  # noqa: RUF012
        span_matches_before = {"start": "start", "end": "end", "before_chars": "before_chars"}  # noqa: RUF012
        kind_matches_text = {"kind": "kind", "before_chars": "before_chars", "after_chars": "after_chars"}  # noqa: RUF012


MODELS: dict[str, type[pa.DataFrameModel]] = {"documents": DocumentsModel, "edits": EditsModel}


def schema_json(name: str) -> str:
    return MODELS[name].to_schema().to_json(indent=2) + "\n"


def write_schemas(directory: Path = SCHEMAS_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in MODELS:
        path = directory / f"{name}.json"
        path.write_text(schema_json(name), encoding="utf-8")
        written.append(path)
    return written


def load_schema(path: Path) -> pa.DataFrameSchema:
    """A serialized schema, with seedclean's checks registered first (without
    them pandera drops the custom checks on load without a word)."""
    return pa.DataFrameSchema.from_json(Path(path).read_text(encoding="utf-8"))


def count_checks(schema: pa.DataFrameSchema) -> dict[str, int]:
    """Checks per column (and ``<dataframe>``), uniqueness counted as one."""
    counts = {name: len(column.checks) + bool(column.unique) for name, column in schema.columns.items()}
    counts["<dataframe>"] = len(schema.checks)
    return counts


if __name__ == "__main__":
    for written in write_schemas(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMAS_DIR):
        print(written)
