"""CPU time of the Python API's clean_text, one call per text, in one process.

    python3 bench/api.py bench-data/corpus-1k --limit 400

The first pass over distinct texts is what a notebook or pipeline calling
clean_text in a loop pays; the second pass repeats the same texts (the steps'
per-line caches then help far more than on new text).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from seedclean.api import clean_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=400)
    args = parser.parse_args()
    paths = sorted(args.corpus.rglob("*.txt"))[: args.limit]
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    for number in (1, 2):
        start = time.process_time()
        for text in texts:
            clean_text(text)
        spent = time.process_time() - start
        print(f"pass {number}: {spent / len(texts) * 1e3:.3f} ms a text (CPU, {len(texts)} texts)")


if __name__ == "__main__":
    main()
