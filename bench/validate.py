"""The validate benchmark: `seedclean validate` over an N-row normalized folder.

    python bench/validate.py --rows 100000
    python bench/validate.py --rows 1000000 --rows 100000   # several sizes

Builds (once, under bench-data/) a realistic OUT folder of N articles and runs
`seedclean validate OUT --reports DIR` in a fresh process, printing wall
clock, CPU (user + system) and peak RSS of the whole process tree (the
sampler of bench/run.py).

The folder is made from a real normalize run: bench-data/corpus-1k (see
bench/corpus.py) is normalized once, and its rows are replicated under
``rNNNN/`` prefixes with fresh ids and paths. Each copy XORs the MinHash band
keys with its own salt, so copies never collide with each other and the
near-duplicate rate stays that of the real sample (documents that were near
duplicates within the sample still are, within their copy). The cleaned .txt
files are hard links to the sample's, so report pages and the exact-Jaccard
check read real text without N files' worth of disk. The side tables
(sidetables.json, fields.csv, edits.i32...) are written by normalize's own
encoder and writer (seedclean.write.sidetables) from the copied rows, so
validate reads them as it reads a real OUT; `--json` times the JSON path.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from run import measure

from seedclean.write import sidetables

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data"
SAMPLE = 1_000


def _sample(python: str) -> Path:
    """A normalized folder of the 1k benchmark corpus (made once)."""
    out = DATA / "validate-sample"
    if (out / "documents.jsonl").is_file():
        return out
    source = corpus.ensure(SAMPLE, DATA / "corpus-1k")
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([python, "-m", "seedclean", "normalize", "--quiet", str(source), str(out)], check=True)
    return out


def _keys(keys: list[int]) -> str:
    return "[" + ", ".join(map(str, keys)) + "]"


def _salt(copy: int) -> int:
    # XOR in two's complement keeps the keys signed 64-bit integers
    return ((copy * 0x9E3779B97F4A7C15) & (2**63 - 1)) if copy else 0


def replicate(sample: Path, rows: int, out: Path) -> Path:
    """``out`` holding ``rows`` documents made from ``sample`` (kept if it exists),
    with the side tables written by normalize's own encoder and writer."""
    done = out / ".complete"
    if done.is_file() and (out / sidetables.MANIFEST).is_file():
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    documents = [line for line in (sample / "documents.jsonl").read_text(encoding="utf-8").splitlines() if line]
    records = [json.loads(line) for line in documents]
    edits: dict[str, list[str]] = {}
    edit_rows: dict[str, list[dict]] = {}
    for line in (sample / "edits.jsonl").read_text(encoding="utf-8").splitlines():
        if line:
            row = json.loads(line)
            edits.setdefault(row["doc"], []).append(line)
            edit_rows.setdefault(row["doc"], []).append(row)
    # everything of a documents line but the MinHash keys, which end every row
    heads = []
    for line, record in zip(documents, records, strict=True):
        cut = line.rindex(', "minhash_doc": ')
        assert line.startswith('{"id": "') and record["path"] in line
        heads.append(line[len('{"id": "') : cut])
    copies = -(-rows // len(records))
    written = 0
    with (
        sidetables.SideTableWriter(out) as side,  # first in, last out: it fingerprints the logs, as in normalize
        (out / "documents.jsonl").open("w", encoding="utf-8") as doc_out,
        (out / "edits.jsonl").open("w", encoding="utf-8") as edit_out,
    ):
        for copy in range(copies):
            prefix, salt = f"r{copy:04d}/", _salt(copy)
            for head, record in zip(heads, records, strict=True):
                if written == rows:
                    break
                doc_keys = [k ^ salt for k in record["minhash_doc"]]
                remark_keys = [k ^ salt for k in record["minhash_remarks"]]
                line = '{"id": "' + prefix + head.replace('"path": "', '"path": "' + prefix, 1)
                line += f', "minhash_doc": {_keys(doc_keys)}'
                line += f', "minhash_remarks": {_keys(remark_keys)}}}\n'
                doc_out.write(line)
                lines = "".join(
                    '{"doc": "' + prefix + e[len('{"doc": "') :] + "\n" for e in edits.get(record["id"], [])
                )
                edit_out.write(lines)
                copied = {
                    **record,
                    "id": prefix + record["id"],
                    "path": prefix + record["path"],
                    "minhash_doc": doc_keys,
                    "minhash_remarks": remark_keys,
                }
                side.add(sidetables.encode_side(copied, edit_rows.get(record["id"], []), line, lines))
                target = out / prefix / record["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(sample / record["path"], target)
                written += 1
    (out / "errors.jsonl").write_text("", encoding="utf-8")
    done.write_text(f"{rows}\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="documents in the folder (default 100000)")
    parser.add_argument("--runs", type=int, default=1, help="runs per size (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the reports folder of the last run")
    parser.add_argument("--json", action="store_true", help="validate from the JSON logs (--no-side-tables)")
    args = parser.parse_args(argv)
    python = sys.executable
    sample = _sample(python)
    for rows in args.rows or [100_000]:
        start = time.perf_counter()
        folder = replicate(sample, rows, DATA / f"validate-{rows}")
        size = sum((folder / name).stat().st_size for name in ("documents.jsonl", "edits.jsonl"))
        edits = json.loads((folder / sidetables.MANIFEST).read_text(encoding="utf-8"))["edits"]
        print(
            f"\n## validate {rows:,} documents, {edits:,} edits, {size / 1e9:.2f} GB of JSON lines "
            f"({folder.relative_to(ROOT)}, ready in {time.perf_counter() - start:.0f} s)",
            flush=True,
        )
        for run in range(args.runs):
            reports = DATA / f"validate-{rows}-reports"
            shutil.rmtree(reports, ignore_errors=True)
            argv_ = [python, "-m", "seedclean", "validate", str(folder), "--reports", str(reports), "--quiet"]
            argv_ += ["--no-side-tables"] if args.json else []
            # validate forks one helper (the duplicates pass): peaks are of the whole tree,
            # RSS summed (pages the fork shares count twice) and PSS (shared pages split)
            seconds, cpu, peak, peak_pss, _own, _serial = measure(argv_)
            print(
                f"  run {run + 1}: {seconds:.1f} s wall, {cpu:.1f} s CPU, peak RSS sum {peak / 2**20:,.0f} MiB, "
                f"peak PSS {peak_pss / 2**20:,.0f} MiB",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
