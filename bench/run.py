"""The benchmark: seedclean against the naive ftfy script and the I/O floor.

    python bench/run.py            # quick: 1k and 10k articles, 3 runs each
    python bench/run.py --full     # also 100k articles (memory; one run)
    python3 -m nox -s bench_spark  # the Spark row: bench/spark.py (needs Java)

Builds the corpora under bench-data/ (see bench/corpus.py), then runs, in
turn and each in a fresh process, `seedclean normalize --jobs 1`,
`seedclean normalize --jobs 2`, the naive script (read, ftfy.fix_text, write)
and the I/O floor (read, write). Every run writes a new output folder and is
timed from process start to exit, so start-up, reading, every step, the edit
log and documents.jsonl all count. Peak memory is the largest sum over the
process and all its children, sampled every 20 ms, of PSS (shared pages split
among the processes sharing them: what the run holds) and of RSS (shared
pages counted once per process).

The tools take turns within each round, so a busy machine slows all of them
alike; ratios are computed per round and the median is reported. The outputs
of --jobs 1 and --jobs 2 are compared byte for byte.

No output is deleted while tools are timed: each round writes new folders,
and every output (with a previous bench's, moved aside at the start) is
deleted when the bench ends. On an ext4 file system without a journal (this
project's VMs), the kernel's inode allocator skips inodes freed in the last
minute or more one at a time (``recently_deleted`` in ``find_inode_bit``):
deleting the last run's 10,000 files just before a tool starts made every
file it created cost 0.2-0.4 ms of system time, about 2-4 s per 10k run, for
every tool alike (perf record, 2026-11-25). Run benches a few minutes apart.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data"
BENCH = Path(__file__).resolve().parent
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}


@dataclass
class Tool:
    name: str
    argv: list[str]  # IN and OUT are appended
    env: dict[str, str] | None = None
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    parent_cpu: list[float] = field(default_factory=list)  # the process's own CPU s, without its workers'
    serial_cpu: list[float] = field(default_factory=list)  # its main thread's CPU s when the first worker appeared
    peaks: list[int] = field(default_factory=list)  # bytes, RSS summed over the process tree
    pss_peaks: list[int] = field(default_factory=list)  # bytes, PSS summed over the process tree


def _tree_memory(pid: int) -> tuple[int, int]:
    """RSS and PSS of ``pid`` and all its descendants, in bytes (Linux /proc).

    The RSS sum counts a page shared by the parent and its forked workers once
    per process; PSS (proportional set size) splits each shared page among
    the processes sharing it, so its sum is the memory the run really holds.
    """
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                rss += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/smaps_rollup") as handle:
                pss += next(int(line.split()[1]) * 1024 for line in handle if line.startswith("Pss:"))
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError, StopIteration):
            continue
    return rss, pss


def _own_cpu(pid: int, thread: int | None = None) -> float | None:
    """CPU seconds (user + system) ``pid`` itself has used so far, without
    its children's, or only its thread ``thread``'s (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat") as handle:
            fields = handle.read().rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _busy_cpu() -> float:
    """CPU seconds every process on the machine has used since boot, idle
    and I/O wait left out (Linux /proc/stat; 0.0 elsewhere)."""
    try:
        with open("/proc/stat") as handle:
            user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, handle.readline().split()[1:9])
    except (OSError, ValueError):
        return 0.0
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _has_children(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return bool(handle.read().split())
    except (FileNotFoundError, ProcessLookupError):
        return False


def measure(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, int, float, float | None]:
    """Wall-clock seconds, CPU seconds (user + system, the process and the
    children it waited for), peak tree RSS, peak tree PSS, the parent's
    own CPU seconds (its last sample, every 20 ms: the share a process
    pool's parent keeps) and its main thread's CPU seconds when its first
    child appeared (None without children: the start-up no worker can
    share, as a thread of the parent's own may run beside it) of one run of
    ``argv``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **env} if env else None
    )
    peak = peak_pss = 0
    own = 0.0
    serial: float | None = None
    main_thread = 0.0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        rss, pss = _tree_memory(process.pid)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        own = _own_cpu(process.pid) or own
        if serial is None:
            if _has_children(process.pid):
                serial = main_thread  # the last sample before the fork
            else:
                main_thread = _own_cpu(process.pid, process.pid) or main_thread
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    # 1: some files failed, which the tool reports; but a Python that cannot
    # import the tool exits 1 as well, in no time (figures of nothing)
    if process.returncode not in (0, 1) or "Traceback (most recent call last)" in stderr:
        raise SystemExit(f"{' '.join(argv)} failed with exit {process.returncode}:\n{stderr}")
    return elapsed, usage.ru_utime + usage.ru_stime, peak, peak_pss, own, serial


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != ".seedclean.json":
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def tools(jobs: list[int], references: bool, baseline: Path | None = None) -> list[Tool]:
    python = sys.executable
    found = [
        Tool(f"seedclean --jobs {j}", [python, "-m", "seedclean", "normalize", "--quiet", "--jobs", str(j)])
        for j in jobs
    ]
    if baseline is not None:  # another checkout's src/, e.g. `git worktree add /tmp/base main`
        found += [
            Tool(
                f"baseline seedclean --jobs {j}",
                [python, "-m", "seedclean", "normalize", "--quiet", "--jobs", str(j)],
                {"PYTHONPATH": str(baseline.resolve())},
            )
            for j in jobs
        ]
    if references:
        found.append(Tool("naive ftfy.fix_text script", [python, str(BENCH / "naive_ftfy.py")]))
    found.append(Tool("I/O floor (read + write)", [python, str(BENCH / "io_floor.py")]))
    return found


def run_size(
    label: str, count: int, runs: int, jobs: list[int], references: bool, baseline: Path | None = None
) -> list[str]:
    folder = corpus.ensure(count, DATA / f"corpus-{label}")
    size = sum(p.stat().st_size for p in folder.rglob("*.txt"))
    print(f"\n## {count:,} articles, {size / 1e6:.1f} MB ({folder.relative_to(ROOT)})", flush=True)
    measured = tools(jobs, references, baseline)
    out_root = DATA / f"out-{label}"
    for round_no in range(runs):
        # rotate the order so no tool always runs first (cold cache) or last
        order = measured[round_no % len(measured) :] + measured[: round_no % len(measured)]
        round_root = out_root / f"round-{round_no + 1}"
        for tool in order:
            out = round_root / tool.name.split()[0] / tool.name.replace(" ", "_").replace("/", "")
            busy = _busy_cpu()
            seconds, cpu, peak, peak_pss, own, serial = measure([*tool.argv, str(folder), str(out)], tool.env)
            # what other processes took meanwhile: on a shared machine a pool
            # gets less than its cores, and its wall-clock ratio says so
            others = max(0.0, _busy_cpu() - busy - cpu)
            if not out.is_dir() or not any(out.iterdir()):
                raise SystemExit(f"{tool.name} wrote nothing to {out}: is it installed for {sys.executable}?")
            tool.times.append(seconds)
            tool.cpu.append(cpu)
            tool.parent_cpu.append(own)
            if serial is not None:
                tool.serial_cpu.append(serial)
            tool.peaks.append(peak)
            tool.pss_peaks.append(peak_pss)
            print(
                f"  round {round_no + 1}: {tool.name}: {seconds:.2f} s wall, {cpu:.2f} s CPU "
                f"(parent {own:.2f}{'' if serial is None else f', before the fork {serial:.2f}'}), "
                f"peak RSS {peak / 2**20:.0f} MiB, PSS {peak_pss / 2**20:.0f} MiB; "
                f"other processes {others:.2f} s CPU ({others / seconds / (os.cpu_count() or 1):.0%} of the machine)",
                flush=True,
            )
        if round_no + 1 < runs and shutil.disk_usage(DATA).free < 2 * _size(round_root):
            print(f"  (disk nearly full: deleting {round_root.relative_to(ROOT)} now, between rounds)", flush=True)
            shutil.rmtree(round_root, ignore_errors=True)
    rows = [
        "| tool | median wall s | docs/s | MB/s | median CPU s | parent CPU s | peak PSS (MiB) | peak RSS sum (MiB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for tool in measured:
        median = statistics.median(tool.times)
        rows.append(
            f"| {tool.name} | {median:.2f} | {count / median:,.0f} | {size / 1e6 / median:.1f} | "
            f"{statistics.median(tool.cpu):.2f} | {statistics.median(tool.parent_cpu):.2f} | "
            f"{max(tool.pss_peaks) / 2**20:.0f} | {max(tool.peaks) / 2**20:.0f} |"
        )
    by_name = {tool.name: tool for tool in measured}

    def ratio(slow: str, fast: str, cpu: bool = False) -> str:
        if slow not in by_name or fast not in by_name:
            return ""
        pairs = zip(
            by_name[slow].cpu if cpu else by_name[slow].times,
            by_name[fast].cpu if cpu else by_name[fast].times,
            strict=True,
        )
        per_round = [s / f for s, f in pairs]
        return f"{statistics.median(per_round):.2f}x (rounds: {', '.join(f'{r:.2f}' for r in per_round)})"

    naive, one, two, floor = (
        "naive ftfy.fix_text script",
        "seedclean --jobs 1",
        "seedclean --jobs 2",
        "I/O floor (read + write)",
    )

    def ideal(slow: str, fast: str, workers: int) -> str:
        """The wall-clock ratio the CPU figures allow: the pool's CPU spread
        evenly over ``workers`` cores, per round."""
        if slow not in by_name or fast not in by_name:
            return ""
        per_round = [s / (f / workers) for s, f in zip(by_name[slow].cpu, by_name[fast].cpu, strict=True)]
        return f"{statistics.median(per_round):.2f}x (rounds: {', '.join(f'{r:.2f}' for r in per_round)})"

    def implied(slow: str, fast: str, workers: int) -> str:
        """The wall-clock ratio the CPU figures allow with the serial start-up
        counted: the parent's main thread before its first worker runs
        alone, the rest of the pool's CPU is spread over ``workers`` cores."""
        if slow not in by_name or fast not in by_name or len(by_name[fast].serial_cpu) != len(by_name[fast].cpu):
            return ""
        per_round = [
            s / (serial + (f - serial) / workers)
            for s, f, serial in zip(by_name[slow].cpu, by_name[fast].cpu, by_name[fast].serial_cpu, strict=True)
        ]
        serials = ", ".join(f"{serial:.2f}" for serial in by_name[fast].serial_cpu)
        return (
            f"{statistics.median(per_round):.2f}x (rounds: {', '.join(f'{r:.2f}' for r in per_round)}; "
            f"serial CPU s: {serials})"
        )

    base_one, base_two = "baseline seedclean --jobs 1", "baseline seedclean --jobs 2"
    ratios = [
        ("seedclean --jobs 1 vs naive ftfy script, wall clock (target >= 3.5x)", ratio(naive, one)),
        ("the same in CPU time (steadier on a busy machine)", ratio(naive, one, cpu=True)),
        ("seedclean --jobs 2 vs --jobs 1, wall clock (target >= 1.7x)", ratio(one, two)),
        ("the same in CPU time (1.00x: the pool costs no extra CPU)", ratio(one, two, cpu=True)),
        ("the ideal --jobs 2 ratio that CPU implies (jobs 1 CPU / half jobs 2 CPU)", ideal(one, two, 2)),
        (
            "the same with the serial start-up counted (jobs 1 CPU / (serial + rest of jobs 2 CPU / 2))",
            implied(one, two, 2),
        ),
        (
            "the baseline's, with the serial start-up counted",
            implied(base_one, base_two, 2),
        ),
        ("I/O floor vs seedclean --jobs 1, wall clock", ratio(one, floor)),
        ("seedclean --jobs 1 vs the baseline, wall clock", ratio(base_one, one)),
        ("the same in CPU time", ratio(base_one, one, cpu=True)),
        ("seedclean --jobs 2 vs the baseline's --jobs 2, wall clock", ratio(base_two, two)),
        ("the same in CPU time", ratio(base_two, two, cpu=True)),
        ("the baseline's --jobs 2 vs its --jobs 1, wall clock", ratio(base_one, base_two)),
    ]
    rows.append("")
    rows += [f"- {what}: {value}" for what, value in ratios if value]
    outputs = [round_root / "seedclean" / f"seedclean_--jobs_{j}" for j in jobs]
    if len(outputs) > 1:
        digests = {_digest(out) for out in outputs}
        rows.append(f"- outputs of {', '.join(f'--jobs {j}' for j in jobs)} identical: {len(digests) == 1}")
    print("\n".join(rows), flush=True)
    return [f"### {count:,} articles, {size / 1e6:.1f} MB", "", *rows, ""]


def main(argv: list[str] | None = None) -> int:
    # measure the tools as installed: a shell's PYTHONDONTWRITEBYTECODE would make
    # every run compile seedclean's sources again (~0.1 s of CPU a process)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also 100k articles (one run, seedclean and I/O floor)")
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), help="corpus sizes to run (default 1k 10k)")
    parser.add_argument("--runs", type=int, default=3, help="rounds per size (median reported; default 3)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="seedclean --jobs values (default 1 2)")
    parser.add_argument("--markdown", type=Path, help="also write the result tables to this file")
    parser.add_argument("--baseline", type=Path, help="the src/ folder of another version, run as one more tool")
    args = parser.parse_args(argv)
    sizes = args.sizes or (["1k", "10k", "100k"] if args.full else ["1k", "10k"])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, corpus mix: {corpus.describe_mix()}")
    # a previous bench's outputs are moved aside, not deleted, until this one ends (see above)
    trash = DATA / f".old-outputs-{os.getpid()}"
    for old in DATA.glob("*") if DATA.is_dir() else ():
        if old.name.startswith((".old-outputs-", *(f"out-{label}" for label in SIZES))):
            trash.mkdir(exist_ok=True)
            old.rename(trash / old.name)
    report = []
    try:
        for label in sizes:
            big = label == "100k"
            # the naive script needs ~5 min for 100k articles: one size where it is
            # measured three times tells the ratio; 100k is about memory
            report += run_size(label, SIZES[label], 1 if big else args.runs, args.jobs, not big, args.baseline)
    finally:
        for folder in [trash, *(DATA / f"out-{label}" for label in sizes)]:
            shutil.rmtree(folder, ignore_errors=True)
    if args.markdown:
        args.markdown.write_text("\n".join(report), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
