"""The fixed cost of a run: CPU time (user + sys, the machine is shared) of
`seedclean --help`, of `seedclean normalize --jobs 1` on one seed article and
on the 1k corpus, for one or more installs taking turns.

    python bench/startup.py [--runs 5] [--corpus bench-data/corpus-1k] SEEDCLEAN [SEEDCLEAN ...]

e.g. `python bench/startup.py ../main/.venv/bin/seedclean .venv/bin/seedclean`.
Prints the median of each. The 1k run's fixed share is estimated as the one-file
run's CPU (start-up, imports, rule and model loading, the first article);
the per-article cost as (1k - one file) / 999.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cpu_of(command: list[str]) -> float:
    """User + system CPU seconds of ``command`` run to its end."""
    before = os.times()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    # measure the tools as installed: a shell's PYTHONDONTWRITEBYTECODE would make
    # every run compile seedclean's sources again (~0.1 s of CPU a process)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seedclean", nargs="+", help="seedclean executables to compare")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=ROOT / "bench-data" / "corpus-1k")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="seedclean-startup-"))
    one = work / "one"
    one.mkdir()
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    shutil.copy(seed, one / seed.name)
    cases = {"--help": lambda exe, out: [exe, "--help"]}
    cases["one file"] = lambda exe, out: [exe, "normalize", "--quiet", "--jobs", "1", str(one), str(out)]
    if args.corpus.is_dir():
        cases[args.corpus.name] = lambda exe, out: [
            exe,
            "normalize",
            "--quiet",
            "--jobs",
            "1",
            str(args.corpus),
            str(out),
        ]
    times: dict[tuple[str, str], list[float]] = {(exe, case): [] for exe in args.seedclean for case in cases}
    try:
        for _ in range(args.runs):
            for case, command in cases.items():
                for exe in args.seedclean:  # taking turns: a busy machine slows all alike
                    out = work / "out"
                    shutil.rmtree(out, ignore_errors=True)
                    times[exe, case].append(cpu_of(command(exe, out)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for exe in args.seedclean:
        medians = {case: statistics.median(times[exe, case]) for case in cases}
        print(exe)
        for case, value in medians.items():
            print(f"  {case:>12}: {value:6.3f} s CPU (median of {args.runs})")
        if args.corpus.name in medians:
            per = (medians[args.corpus.name] - medians["one file"]) / 999
            share = medians["one file"] / medians[args.corpus.name]
            print(f"  per article ~{per * 1e3:.2f} ms CPU; fixed share of the 1k run ~{share:.0%}")


if __name__ == "__main__":
    main()
