"""The pipeline's own share of an article's CPU time: `clean_bytes` and the
table rows (`write/run.py::_encode`) minus the three large steps
(dehyphenate, boilerplate, line_model) and the extract stage's fields. That
is the bookkeeping (decode, sha256, logging and applying edits, the title
split, counts, the record), the JSON and side-table rows, and the nine
small steps: what issue 6's pipeline round set out to make cheaper.

    python bench/pipeline_share.py bench-data/corpus-1k [runs]

Timed like bench/steps.py --cpu --warm (process_time around each step and
around the fields; the fastest of `runs` passes over the corpus, default 3).
Run it with another checkout's src/ first on PYTHONPATH for the before figure.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from steps import time_steps

from seedclean import document
from seedclean.normalize import native
from seedclean.normalize.rules import load_rules
from seedclean.write.run import _encode

LARGE_STEPS = {"dehyphenate", "boilerplate", "line_model"}


def main(argv: list[str]) -> int:
    clock = time.process_time
    files = sorted(Path(argv[0]).rglob("*.txt"))
    runs = int(argv[1]) if len(argv) > 1 else 3
    datas = [(path, path.read_bytes()) for path in files]
    rules = load_rules()
    spent: Counter[str] = Counter()

    extract_fields = document.extract_fields

    def fields(*args: object) -> dict:
        start = clock()
        try:
            return extract_fields(*args)  # type: ignore[arg-type]
        finally:
            spent["fields"] += clock() - start

    document.extract_fields = fields  # type: ignore[assignment]
    for path, data in datas:  # warm: rules, word lists and models loaded
        _encode(document.clean_bytes(data, path.stem, path.name, rules))
    time_steps(spent, clock)
    best: tuple[float, dict[str, float]] | None = None
    for _ in range(runs):
        spent.clear()
        for path, data in datas:
            t0 = clock()
            cleaned = document.clean_bytes(data, path.stem, path.name, rules)
            t1 = clock()
            _encode(cleaned)
            spent["clean_bytes"] += t1 - t0
            spent["rows"] += clock() - t1
        steps = {k[5:]: v for k, v in spent.items() if k.startswith("step ")}
        small = sum(v for k, v in steps.items() if k not in LARGE_STEPS)
        large = sum(v for k, v in steps.items() if k in LARGE_STEPS)
        parts = {
            "bookkeeping": spent["clean_bytes"] - small - large - spent["fields"],
            "rows": spent["rows"],
            "small steps": small,
            "large steps": large,
            "fields": spent["fields"],
            **{f"  step {k}": v for k, v in sorted(steps.items(), key=lambda kv: -kv[1])},
        }
        share = parts["bookkeeping"] + parts["rows"] + small
        if best is None or share < best[0]:
            best = (share, parts)
    assert best is not None
    per = 1000 / len(datas)
    compiled = getattr(native, "PIPELINE_COMPILED", native.COMPILED)  # main before this round has no such flag
    print(f"compiled pipeline functions: {'yes' if compiled else 'no'}; {len(datas)} files")
    print(f"pipeline share {best[0] * per:.3f} ms an article (bookkeeping + rows + small steps)")
    for name, seconds in best[1].items():
        print(f"  {seconds * per:7.3f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
