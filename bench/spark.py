"""The Spark row of the benchmark: the bench corpora through `--engine spark`.

    python bench/spark.py                  # 1k and 10k articles, 3 rounds each
    python3 -m nox -s bench_spark          # the same, in the spark environment (pyspark, Java)

Needs pyspark and Java (the `spark` extra), which `nox -s bench` does not
install: that is why this is its own script and nox session.

Per corpus size (bench/corpus.py, the corpora `nox -s bench` uses), in turn and
each in a fresh process, as bench/run.py does:

- `seedclean normalize --jobs 2`: the local engine on this machine's cores;
- `seedclean normalize --engine spark --master local[2]`: Spark's local mode
  on the same cores, so the difference is Spark's cost, not more hardware;
- Spark start-up alone (bench/spark_startup.py): a session, a trivial job
  and stop; the fixed cost of every Spark run, shown on its own row.

CPU time here is the sum over the whole process tree, sampled from /proc:
the JVM is not a child Python waits for, so the rusage bench/run.py reads
would not count it. The outputs of both engines are compared byte for byte.
From the medians the script prints the break-even: the corpus size past
which Spark on K executor cores finishes before the local engine here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from run import DATA, ROOT, SIZES, Tool, _digest, _tree_memory

BENCH = Path(__file__).resolve().parent
#: executor cores of the clusters the break-even is projected for
CLUSTER_CORES = (2, 16, 64, 256)
_TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid: int, seen: dict[int, float]) -> None:
    """Record the CPU seconds (user + system) so far of ``pid`` and every descendant."""
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            seen[current] = (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue


def measure_tree(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of the whole process tree, peak tree RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, cpu = 0, {}
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_memory(process.pid)[0])
        _tree_cpu(process.pid, cpu)
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed:\n{stderr}")
    # the samples miss each process's last moments; rusage counts those of the
    # process and of the children it waited for (all of them but the JVM)
    return elapsed, max(sum(cpu.values()), usage.ru_utime + usage.ru_stime), peak


def break_even(startup: float, local_per_doc: float, spark_per_doc: float) -> str:
    """Documents past which Spark beats the local engine: startup + n * spark_per_doc
    < n * local_per_doc (both per-document costs in wall seconds of the whole setup)."""
    if spark_per_doc >= local_per_doc:
        return "never"
    return f"{startup / (local_per_doc - spark_per_doc):,.0f} documents"


def projections(count: int, cores: int, wall: tuple[float, float, float], cpu: tuple[float, float, float]) -> list[str]:
    """The break-even on clusters of K executor cores against the local engine on
    ``cores``, assuming Spark's per-document work spreads evenly over its cores
    and its start-up stays what it was here. Two estimates: from the wall
    clock, and from CPU time (what an idle machine would show; start-up wall)."""
    (l_wall, s_wall, u_wall), (l_cpu, s_cpu, u_cpu) = wall, cpu
    by_wall = [
        f"{k} cores: {break_even(u_wall, l_wall / count, (s_wall - u_wall) / count * cores / k)}" for k in CLUSTER_CORES
    ]
    by_cpu = [
        f"{k} cores: {break_even(u_wall, l_cpu / count / cores, (s_cpu - u_cpu) / count / k)}" for k in CLUSTER_CORES
    ]
    return [
        f"- break-even against the local engine on {cores} cores, from the wall clock: " + "; ".join(by_wall),
        "- the same from CPU time per document (start-up as measured): " + "; ".join(by_cpu),
    ]


def run_size(label: str, runs: int, master: str) -> list[str]:
    count = SIZES[label]
    folder = corpus.ensure(count, DATA / f"corpus-{label}")
    size = sum(p.stat().st_size for p in folder.rglob("*.txt"))
    print(f"\n## {count:,} articles, {size / 1e6:.1f} MB ({folder.relative_to(ROOT)})", flush=True)
    python = sys.executable
    normalize = [python, "-m", "seedclean", "normalize", "--quiet"]
    measured = [
        Tool("seedclean --jobs 2", [*normalize, "--jobs", "2"]),
        Tool(f"seedclean --engine spark --master {master}", [*normalize, "--engine", "spark", "--master", master]),
        Tool("Spark start-up alone (session, trivial job, stop)", [python, str(BENCH / "spark_startup.py"), master]),
    ]
    local, spark, startup = measured
    out_root = DATA / f"out-spark-{label}"
    outputs = {local.name: out_root / "local", spark.name: out_root / "spark"}
    for round_no in range(runs):
        order = measured[round_no % len(measured) :] + measured[: round_no % len(measured)]
        for tool in order:
            argv = tool.argv
            if tool.name in outputs:
                shutil.rmtree(outputs[tool.name], ignore_errors=True)
                argv = [*argv, str(folder), str(outputs[tool.name])]
            tool.record(round_no, *measure_tree(argv))
    rows = [
        "| run | median wall s | docs/s | median CPU s (process tree) | peak RSS (MiB) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for tool in measured:
        median = statistics.median(tool.times)
        rate = f"{count / median:,.0f}" if tool is not startup else ""
        rows.append(
            f"| {tool.name} | {median:.2f} | {rate} | {statistics.median(tool.cpu):.2f} | "
            f"{max(tool.peaks) / 2**20:.0f} |"
        )
    l_wall, s_wall, u_wall = (statistics.median(t.times) for t in measured)
    l_cpu, s_cpu, u_cpu = (statistics.median(t.cpu) for t in measured)
    cores = int(master[len("local[") : -1]) if master.startswith("local[") and master[6:-1].isdigit() else 2
    rows += [
        "",
        f"- Spark minus its start-up: {s_wall - u_wall:.2f} s wall, {s_cpu - u_cpu:.2f} s CPU "
        f"(local engine: {l_wall:.2f} s wall, {l_cpu:.2f} s CPU)",
        f"- Spark / local, wall clock: {s_wall / l_wall:.2f}x; start-up share of the Spark run: {u_wall / s_wall:.0%}",
        f"- outputs of both engines identical: {_digest(outputs[local.name]) == _digest(outputs[spark.name])}",
    ]
    rows += projections(count, cores, (l_wall, s_wall, u_wall), (l_cpu, s_cpu, u_cpu))
    print("\n".join(rows), flush=True)
    return [f"### Spark row: {count:,} articles, {size / 1e6:.1f} MB", "", *rows, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), default=["1k", "10k"])
    parser.add_argument("--runs", type=int, default=3, help="rounds per size (median reported; default 3)")
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument("--markdown", type=Path, help="also write the result tables to this file")
    args = parser.parse_args(argv)
    import pyspark

    print(f"python {sys.version.split()[0]}, pyspark {pyspark.__version__}, {os.cpu_count()} cores")
    report = []
    for label in args.sizes:
        report += run_size(label, args.runs, args.master)
    if args.markdown:
        args.markdown.write_text("\n".join(report), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
