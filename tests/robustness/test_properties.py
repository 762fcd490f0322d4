"""Invariants on any input bytes (hypothesis): restore ∘ normalize is the
identity on bytes, normalizing is idempotent and deterministic. The same
check runs on mutated real articles here briefly and in `nox -s fuzz` for as
long as it is given; what the fuzzer found is replayed from
tests/cases/fuzz_regressions.json."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_case_file

from .fuzzing import ENCODINGS, check, mutated_articles

EXAMPLES = int(os.environ.get("SEEDCLEAN_FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(st.text(), st.sampled_from(ENCODINGS))
def test_any_unicode_text_in_any_encoding(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    check(data)


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    check(data)


@SETTINGS
@given(mutated_articles())
def test_mutated_real_articles(data: bytes) -> None:
    check(data)


REGRESSIONS = load_case_file("fuzz_regressions.json")["cases"]


@pytest.mark.parametrize("case", REGRESSIONS, ids=[case["name"] for case in REGRESSIONS])
def test_fuzz_finding_stays_fixed(case: dict) -> None:
    check(bytes.fromhex(case["hex"]))
