"""What `seedclean validate` prints: a summary, then each failing check with
the documents that fail it, then the warnings."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import TextIO

from seedclean.validate.run import ValidationResult

#: documents named per check on the terminal; all are in validation.json
MAX_NAMED = 20


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:MAX_NAMED])
    return shown + (f" … and {len(ids) - MAX_NAMED} more" if len(ids) > MAX_NAMED else "")


def print_result(result: ValidationResult, *, quiet: bool = False, stream: TextIO | None = None) -> None:
    out = stream or sys.stderr
    by_check: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for failure in result.failures:
        by_check[(failure.table, failure.column or "", failure.check)].append(failure.document or "(table)")
    for (table, column, check), docs in by_check.items():
        print(f"FAIL {table}.{column}: {check}: {_names(list(dict.fromkeys(docs)))}", file=out)
    for outcome in result.failed_expectations:
        what = outcome.error or f"{outcome.unexpected_percent or 0:.1f}% unexpected (observed {outcome.observed})"
        ids = f": {_names(outcome.unexpected_ids)}" if outcome.unexpected_ids else ""
        print(f"FAIL {outcome.suite}.{outcome.column}: {outcome.expectation} ({what}){ids}", file=out)
    if not quiet:
        for outcome in result.warnings:
            ids = f": {_names(outcome.unexpected_ids)}" if outcome.unexpected_ids else ""
            limits = ", ".join(f"{k}={v}" for k, v in outcome.kwargs.items() if v is not None and k != "result_format")
            print(f"warning {outcome.suite}.{outcome.column}: {outcome.expectation}({limits}){ids}", file=out)
        checks = sum(result.pandera_checks.values())
        passed = sum(e.success for e in result.expectations)
        verdict = "all checks hold" if result.ok else "CHECKS FAIL"
        print(
            f"seedclean: {result.documents} documents, {result.edits} edits: {verdict}; "
            f"{checks} Pandera checks, {len(result.failures)} failures; "
            f"{passed}/{len(result.expectations)} expectations met, {len(result.warnings)} warnings",
            file=out,
        )
        if result.report is not None:
            print(f"  reports: {result.report}", file=out)
