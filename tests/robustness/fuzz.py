"""The fuzzing session (`nox -s fuzz -- --seconds N`): runs the invariants of
:func:`fuzzing.check` on mutated real articles, random text and random bytes
for a bounded time, in rounds of fresh random examples. Each failure is
shrunk by hypothesis to a small input, saved in fuzz-findings/findings.jsonl
and printed; add it to tests/cases/fuzz_regressions.json once fixed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from robustness.fuzzing import ROOT, articles, check, mutated_articles

ROUND = 300  # examples per round: a round is a fresh random start


def _random_text() -> st.SearchStrategy[bytes]:
    return st.text().map(lambda text: text.encode("utf-8", "surrogatepass"))


STRATEGIES = {"mutated articles": mutated_articles(), "random text": _random_text(), "random bytes": st.binary()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=300, help="how long to fuzz (default 300)")
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz-findings", help="where findings are written")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    findings_path = args.out / "findings.jsonl"
    seen: set[str] = set()
    examples = rounds = 0
    deadline = time.monotonic() + args.seconds
    print(f"fuzzing for {args.seconds:.0f} s on {len(articles())} real articles", flush=True)
    while time.monotonic() < deadline:
        name = list(STRATEGIES)[rounds % len(STRATEGIES)]
        failing: list[tuple[bytes, str]] = []

        def checked(data: bytes, failing: list[tuple[bytes, str]] = failing) -> None:
            try:
                check(data)
            except Exception as exc:
                failing.append((data, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"))
                raise

        @settings(max_examples=ROUND, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(STRATEGIES[name])
        def one_round(data: bytes) -> None:
            checked(data)

        try:
            one_round()
        except Exception:
            data, error = failing[-1]  # hypothesis replays the shrunk example last
            key = hashlib.sha256(data).hexdigest()[:16]
            if key not in seen:
                seen.add(key)
                with findings_path.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps({"name": key, "strategy": name, "hex": data.hex(), "error": error}) + "\n")
                print(f"FINDING {key} ({name}, {len(data)} bytes): {error.splitlines()[0]}", flush=True)
        examples += ROUND
        rounds += 1
    where = f" in {findings_path}" if seen else ""
    print(f"fuzzed {examples} inputs in {rounds} rounds; {len(seen)} findings{where}")
    return 1 if seen else 0


if __name__ == "__main__":
    sys.exit(main())
