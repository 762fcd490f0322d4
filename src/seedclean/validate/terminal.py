"""What `seedclean validate` prints: a summary, then each failing check with
the documents that fail it, then the warnings."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import TextIO

from seedclean.validate.expectations import describe_kwargs
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
        if outcome.error:
            what = f"error: {outcome.error}"
        elif outcome.unexpected_count is not None:
            what = f"{outcome.unexpected_count} rows ({outcome.unexpected_percent or 0:.1f}%) outside"
            what += f", mostly={outcome.mostly}" if outcome.mostly is not None else ""
        else:
            what = f"observed {outcome.observed}"
        ids = f": {_names(outcome.unexpected_ids)}" if outcome.unexpected_ids else ""
        limits = describe_kwargs(outcome.kwargs)
        print(f"FAIL {outcome.suite}.{outcome.column}: {outcome.expectation}({limits}): {what}{ids}", file=out)
    if not quiet:
        for outcome in result.warnings:
            ids = f": {_names(outcome.unexpected_ids)}" if outcome.unexpected_ids else ""
            limits = ", ".join(filter(None, [describe_kwargs(outcome.kwargs), f"mostly={outcome.mostly}"]))
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
