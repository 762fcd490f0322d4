"""The pandera.pyspark model of the documents table.

A module of its own because pandera reads the column types from the class
annotations at run time (so no ``from __future__ import annotations``) and
because it imports pyspark, which only the Spark engine may.
"""

import pyspark.sql.types as T
from pandera.pyspark import DataFrameModel, Field

from seedclean.edits import KINDS
from seedclean.normalize.pipeline import STEP_NAMES


class Documents(DataFrameModel):
    """The columns every documents row has, whatever fields extractors add."""

    id: T.StringType() = Field(nullable=False)
    path: T.StringType() = Field(nullable=False, str_endswith=".txt")
    title: T.StringType() = Field(nullable=True)
    body: T.StringType() = Field(nullable=False)
    sha256: T.StringType() = Field(str_matches=r"^[0-9a-f]{64}$")
    bytes: T.LongType() = Field(ge=0)

    class Config:
        name = "documents"
        # global: checked over the whole table, not per partition
        unique = ["id"]  # noqa: RUF012 (pandera reads it as a class attribute)
        strict = False


class Edits(DataFrameModel):
    """The edit log: one row per edit, (doc, seq) unique over the whole log."""

    doc: T.StringType() = Field(nullable=False)
    seq: T.LongType() = Field(ge=0)
    step: T.StringType() = Field(isin=list(STEP_NAMES))
    kind: T.StringType() = Field(isin=list(KINDS))
    reason: T.StringType() = Field(nullable=False)
    start: T.LongType() = Field(ge=0)
    end: T.LongType() = Field(ge=0)
    raw_start: T.LongType() = Field(ge=0)
    raw_end: T.LongType() = Field(ge=0)

    class Config:
        name = "edits"
        unique = ["doc", "seq"]  # noqa: RUF012 (pandera reads it as a class attribute)
        strict = False
