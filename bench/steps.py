"""Where the time of one process goes: each normalizing step and each stage
of a document (decode, normalize, fields, records, writing), timed on a
corpus with the real pipeline code.

    python bench/steps.py bench-data/corpus-1k

Sampling profilers (pyinstrument, py-spy) show the call tree; this shows the
same split without their overhead, so shares can be compared between runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from seedclean import document
from seedclean.document import clean_bytes
from seedclean.normalize import native, pipeline, unicode
from seedclean.normalize.rules import load_rules
from seedclean.write.run import _encode


def time_steps(spent: Counter[str], clock: Callable[[], float]) -> None:
    """From now on, add each step's time to ``spent["step <name>"]``."""

    def timed(name: str, function: pipeline.StepFunction) -> pipeline.StepFunction:
        def run(text: str, rules: object) -> list:
            start = clock()
            try:
                return function(text, rules)  # type: ignore[arg-type]
            finally:
                spent[f"step {name}"] += clock() - start

        return run

    pipeline._STAGES = tuple(
        tuple(replace(s, function=timed(s.name, s.function)) for s in stage) for stage in pipeline._STAGES
    )


def time_parts(spent: Counter[str], clock: Callable[[], float]) -> None:
    """From now on, add the time of clean_bytes' decode and field extraction
    to ``spent["clean_bytes: decode"]`` and ``spent["clean_bytes: extract fields"]``:
    what is left of clean_bytes is the pipeline's bookkeeping and the record."""

    def timed(label: str, function: Callable) -> Callable:
        def run(*args: object) -> object:
            start = clock()
            try:
                return function(*args)
            finally:
                spent[label] += clock() - start

        return run

    document.decode_bytes = timed("clean_bytes: decode", document.decode_bytes)  # type: ignore[assignment]
    document.extract_fields = timed("clean_bytes: extract fields", document.extract_fields)  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument(
        "--cpu", action="store_true", help="time CPU (process_time) instead of wall clock: steadier on a busy machine"
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="run the corpus once untimed first: leaves out loading the rules, the line model and wordfreq",
    )
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu else time.perf_counter
    files = sorted(args.corpus.rglob("*.txt"))
    rules = load_rules()
    spent: Counter[str] = Counter()
    if args.warm:
        for path in files:
            clean_bytes(path.read_bytes(), path.stem, path.name, rules)
        # a run meets each document once: lines ftfy repaired in the warm-up
        # would all be known (only repeats within the run are, in a real run)
        unicode._repaired.cache_clear()
    original_steps = pipeline.STEPS
    original_parts = document.decode_bytes, document.extract_fields
    time_steps(spent, clock)
    time_parts(spent, clock)
    total_bytes = 0
    wall = clock()
    for path in files:
        t0 = clock()
        data = path.read_bytes()
        t1 = clock()
        cleaned = clean_bytes(data, path.stem, path.name, rules)
        t2 = clock()
        _encode(cleaned)  # the documents.jsonl and edits.jsonl lines, as a run writes them
        t3 = clock()
        spent["read"] += t1 - t0
        spent["clean_bytes"] += t2 - t1
        spent["json rows"] += t3 - t2
        total_bytes += len(data)
    wall = clock() - wall
    pipeline.STEPS = original_steps
    document.decode_bytes, document.extract_fields = original_parts
    print(f"compiled normalize loops: {'yes' if native.COMPILED else 'no (SEEDCLEAN_PURE=1 or not built)'}")
    inside = sum(v for k, v in spent.items() if k.startswith(("step ", "clean_bytes: ")))
    spent["clean_bytes: pipeline bookkeeping, record"] = spent.pop("clean_bytes") - inside
    print(f"{len(files)} files, {total_bytes / 1e6:.1f} MB, {wall:.2f} s ({total_bytes / 1e6 / wall:.1f} MB/s)")
    for name, seconds in spent.most_common():
        print(f"  {seconds:7.3f} s  {100 * seconds / wall:5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
