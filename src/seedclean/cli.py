"""The ``seedclean`` command.

Exit status: 0 success; 1 some files (or checks) failed, each one listed;
2 a usage or input error, with a message naming the path and what to do.
Heavy libraries are imported inside the commands so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from seedclean import __version__
from seedclean.errors import UserError

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exits with 2 too; keep its wording short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"seedclean: error: {message}\n")


def _location(value: str) -> Path | str:
    """A folder path, or a URI (``scheme://...``) kept as text for the Spark engine."""
    return value if "://" in value else Path(value)


class _StepNames:
    """The pipeline's step names, for ``--skip``'s choices and help: read
    when argparse first asks (a ``--skip`` given, ``normalize --help``), so
    building the parser does not import every step's module (a tenth of a
    second of ``seedclean --help``)."""

    def _names(self) -> tuple[str, ...]:
        from seedclean.normalize.pipeline import STEP_NAMES

        return STEP_NAMES

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="seedclean",
        description="Repair, clean and validate scraped news-article text files.",
    )
    parser.add_argument("--version", action="version", version=f"seedclean {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    normalize = commands.add_parser(
        "normalize",
        help="clean every *.txt under IN into OUT, with an edit log",
        description="Clean every *.txt under IN (recursively) into OUT: OUT/<path>.txt, "
        "OUT/documents.jsonl (fields per article), OUT/edits.jsonl (every change, with its step "
        "and reason) and OUT/errors.jsonl (files that could not be cleaned).",
    )
    normalize.add_argument("input", type=_location, metavar="IN", help="folder of .txt articles (never written to)")
    normalize.add_argument(
        "output", type=_location, metavar="OUT", help="output folder (new, empty, or an earlier OUT)"
    )
    normalize.add_argument("--config", type=Path, help="TOML file switching steps and setting thresholds")
    normalize.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=_StepNames(),
        metavar="STEP",
        help="switch a step off (repeatable); steps: %(choices)s",
    )
    normalize.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: all cores, or none for fewer than 256 files)"
    )
    normalize.add_argument("--strict", action="store_true", help="stop at the first file that cannot be cleaned")
    normalize.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    normalize.add_argument(
        "--engine",
        choices=("local", "spark"),
        default="local",
        help="where documents are cleaned: this machine (default) or Spark (needs seedclean[spark])",
    )
    normalize.add_argument(
        "--master", help="Spark master URL for --engine spark (default local[*], or SPARK_REMOTE for Spark Connect)"
    )
    normalize.add_argument(
        "--output-format",
        choices=("folder", "jsonl", "parquet"),
        default="folder",
        help="--engine spark: the folder layout (default), or Spark datasets for large corpora",
    )
    normalize.set_defaults(run=_normalize)

    restore = commands.add_parser(
        "restore",
        help="rebuild the raw inputs of OUT byte for byte",
        description="Undo every logged edit of a normalized folder and write the original files under DEST.",
    )
    restore.add_argument("output", type=Path, metavar="OUT", help="a folder written by `seedclean normalize`")
    restore.add_argument("dest", type=Path, metavar="DEST", help="where to write the rebuilt inputs")
    restore.set_defaults(run=_restore)

    validate = commands.add_parser(
        "validate",
        help="check the tables of OUT (Pandera, Great Expectations) and write the reports",
        description="Validate OUT/documents.jsonl and OUT/edits.jsonl against the Pandera schemas and the Great "
        "Expectations suites, find near-duplicates, and write DIR/index.html (corpus report, Data Docs), "
        "DIR/validation.json and DIR/near_duplicates.json. Exit 0 when every check holds, 1 when any fails.",
    )
    validate.add_argument("output", type=Path, metavar="OUT", help="a folder written by `seedclean normalize`")
    validate.add_argument(
        "--reports",
        type=Path,
        default=Path("reports"),
        metavar="DIR",
        help="where to write the reports (default: reports)",
    )
    validate.add_argument(
        "--max-document-pages",
        type=int,
        default=500,
        metavar="N",
        help="before/after pages to write; failing documents come first (default: 500)",
    )
    validate.add_argument("--quiet", action="store_true", help="only failures on the terminal")
    validate.add_argument(
        "--no-side-tables",
        action="store_true",
        help="read the JSON logs even where normalize's side tables (sidetables.json) match them",
    )
    validate.add_argument(
        "--engine",
        choices=("local", "spark"),
        default="local",
        help="spark: check the tables as Spark DataFrames (pandera.pyspark, GX's Spark datasource); "
        "Data Docs into DIR/data_docs, findings into DIR/spark/validation.json",
    )
    validate.add_argument("--master", help="Spark master URL for --engine spark (default local[*], or SPARK_REMOTE)")
    validate.set_defaults(run=_validate)
    return parser


def _progress_bar(total: int, quiet: bool) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """A rich progress bar on an interactive terminal for runs worth one."""
    if quiet or total < 200 or not sys.stderr.isatty():
        return None, lambda: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("normalizing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        transient=True,
    )
    task = bar.add_task("normalize", total=total, rate="")
    bar.start()

    def update(done: int) -> None:
        speed = bar.tasks[0].speed
        bar.update(task, completed=done, rate=f"{speed:,.0f} docs/s" if speed else "")

    return update, bar.stop


def _normalize(args: argparse.Namespace) -> int:
    from seedclean.config import load_config
    from seedclean.read.walk import check_input_folder
    from seedclean.write.run import count_inputs, normalize_folder

    config = load_config(args.config).with_steps(**{step: False for step in args.skip})
    jobs = args.jobs  # None: normalize_folder picks from the number of files
    if jobs is not None and jobs < 1:
        raise UserError(f"--jobs must be at least 1, not {jobs}")
    if args.engine != "local" or args.master or args.output_format != "folder":
        return _normalize_on_spark(args, config)
    for location in (args.input, args.output):
        if isinstance(location, str):
            raise UserError(f"{location}: URIs are read and written by the Spark engine; add --engine spark")
    in_dir = check_input_folder(args.input)
    update, stop = _progress_bar(count_inputs(in_dir) if not args.quiet and sys.stderr.isatty() else 0, args.quiet)
    try:
        summary = normalize_folder(in_dir, args.output, config=config, jobs=jobs, strict=args.strict, progress=update)
    finally:
        stop()
    global _EXIT_AT_ONCE
    _EXIT_AT_ONCE = True  # every output is closed and published, every worker joined
    return _report_normalize(args, summary)


def _normalize_on_spark(args: argparse.Namespace, config: Any) -> int:
    if args.engine != "spark":
        raise UserError("--master and --output-format belong to the Spark engine; add --engine spark")
    from seedclean.engines import normalize_with

    summary = normalize_with(
        "spark",
        args.input,
        args.output,
        config,
        strict=args.strict,
        master=args.master,
        output_format=args.output_format,
    )
    return _report_normalize(args, summary)


def _report_normalize(args: argparse.Namespace, summary: Any) -> int:
    if not args.quiet:
        print(
            f"seedclean: {summary.documents} documents cleaned into {args.output}, "
            f"{summary.edits} edits logged, {summary.failed} failed, {summary.ignored} non-.txt files ignored",
            file=sys.stderr,
        )
        for error in summary.errors:
            print(f"  failed: {error['path']}: {error['message']}", file=sys.stderr)
        if summary.errors:
            table = "errors.jsonl" if getattr(args, "output_format", "folder") == "folder" else "errors/"
            print(f"  (listed in {str(args.output).rstrip('/')}/{table})", file=sys.stderr)
    return EXIT_FAILURES if summary.failed else EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from seedclean.write.restore import restore_folder

    summary = restore_folder(args.output, args.dest)
    print(f"seedclean: {summary.restored} documents restored into {args.dest}", file=sys.stderr)
    for path in summary.mismatched or []:
        print(f"  differs from the original (sha256): {path}", file=sys.stderr)
    for problem in summary.failed:
        print(f"  cannot be rebuilt: {problem}", file=sys.stderr)
    return EXIT_FAILURES if summary.mismatched or summary.failed else EXIT_OK


def _validate_on_spark(args: argparse.Namespace) -> int:
    from seedclean.engines.spark import check_spark_installed

    check_spark_installed(args.master)
    from seedclean.engines.spark_validate import validate_on_spark

    result = validate_on_spark(args.output, args.reports, master=args.master)
    print(
        f"seedclean: {result.documents} documents and {result.edits} edits checked on Spark, "
        f"{len(result.failures)} checks failed; Data Docs: {result.data_docs}",
        file=sys.stderr,
    )
    if result.groups:
        found = ", ".join(f"{count} {kind.replace('_', '-')} groups" for kind, count in result.groups.items())
        print(
            f"  corpus (on Spark): {found}; {result.sites_with_repeated_lines} sites with repeated lines; "
            f"see {args.reports}/spark/",
            file=sys.stderr,
        )
    for failure in result.failures:
        named = f" (e.g. {', '.join(failure.documents[:5])})" if failure.documents else ""
        print(f"  {failure.table}.{failure.column}: {failure.check}: {failure.message}{named}", file=sys.stderr)
    return EXIT_OK if result.success else EXIT_FAILURES


def _validate(args: argparse.Namespace) -> int:
    if args.engine == "spark":
        return _validate_on_spark(args)
    if args.master:
        raise UserError("--master belongs to the Spark engine; add --engine spark")
    if args.max_document_pages < 0:
        raise UserError(f"--max-document-pages must be 0 or more, not {args.max_document_pages}")
    from seedclean.validate.run import validate_folder
    from seedclean.validate.terminal import print_result

    result = validate_folder(
        args.output, args.reports, max_document_pages=args.max_document_pages, side_tables=not args.no_side_tables
    )
    print_result(result, quiet=args.quiet)
    return EXIT_OK if result.ok else EXIT_FAILURES


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except UserError as exc:
        print(f"seedclean: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("seedclean: interrupted; outputs already written are complete, rerun to finish", file=sys.stderr)
        return 130


#: set once a command has closed and published everything it writes: the
#: process may then end without tearing the interpreter down
_EXIT_AT_ONCE = False


def entry() -> None:
    """The ``seedclean`` command: :func:`main`, and after a local normalize
    run the process ends at once (``os._exit``) instead of freeing every
    loaded model, word list and compiled rule object by object on the way
    out, ~50 ms of CPU, a tenth of a one-file run."""
    # Importing numpy starts OpenBLAS's threads, one a core, and each spins
    # before it sleeps: ~0.1 s of CPU a process, a third of a one-file run.
    # seedclean makes no matrix product (the language scores are summed in
    # C), so one thread, unless the user's environment says otherwise.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    status = main()
    if _EXIT_AT_ONCE:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: the interpreter's exit would not print either
                pass
        os._exit(status)
    sys.exit(status)


if __name__ == "__main__":
    entry()
