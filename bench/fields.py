"""Where the extract stage spends its CPU time: each field's function timed
with ``time.process_time`` (steady on a busy machine) on normalized articles.

    python bench/fields.py bench-data/corpus-1k --limit 400 --warm --repeat 5

Normalizing happens first and is not timed; the total is one more pass of
the real ``extract_fields``. ``SEEDCLEAN_PURE=1`` times the pure-Python
kernels instead of the compiled ones.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from seedclean.document import split_title
from seedclean.extract import article, fingerprints, kernels, residual, text_stats
from seedclean.extract import body as body_pass
from seedclean.extract.fields import extract_fields
from seedclean.extract.language import language
from seedclean.normalize.lines import word_count
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules
from seedclean.read.decode import decode_bytes


def _one_pass(docs: list, rules: object) -> tuple[Counter[str], float]:
    """Each field's CPU seconds over ``docs``, and those of extract_fields."""
    spent: Counter[str] = Counter()

    def timed(name: str, function: Callable[..., object], *arguments: object) -> None:
        start = time.process_time()
        function(*arguments)
        spent[name] += time.process_time() - start

    for normalized, title, body, raw in docs:
        text = normalized.text
        # the one pass over the body whose results the counts, quotes,
        # quality statistics and doc keys share: timed on its own, so that
        # it is not put down to whichever of them asks first
        timed("body words (shared pass)", body_pass.words_of, body)
        timed("word count (raw)", kernels.word_count, raw)
        timed("word count (output)", kernels.word_count, text)
        timed("word count (title)", word_count, title or "")
        timed("language", language, body)
        timed("residual hyphen splits", residual.hyphen_splits, text, rules)
        timed("dateline", article.dateline, body)
        timed("quotes", text_stats.quotes, body)
        timed("credits", article.credits, [body, raw], rules.agencies)  # type: ignore[attr-defined]
        timed("published", article.published, raw)
        timed("counts (sentences, words)", text_stats.counts, body)
        timed("residual boilerplate", residual.boilerplate_lines, text, rules)
        timed("mojibake badness", residual.mojibake_badness, text)
        timed("title in body", residual.title_in_body, title, body)
        timed("quality statistics", text_stats.quality, body)
        timed("minhash doc keys", fingerprints.doc_keys, body)
        timed("minhash remark keys", fingerprints.remark_keys, body)
    start = time.process_time()
    for doc in docs:
        extract_fields(*doc)
    return spent, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=400, help="articles (default 400)")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="one untimed pass over all articles first: the fields' lazily built state (RE2 automata, "
        "memory-mapped model pages, per-character caches) is then in place, as in a long run",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time every field this many passes and keep each one's fastest: on a machine others share, "
        "a pass that ran beside a busy neighbour is left out (default 1)",
    )
    args = parser.parse_args(argv)
    rules = load_rules()
    docs = []
    for path in sorted(args.corpus.rglob("*.txt"))[: args.limit]:
        decoded = decode_bytes(path.read_bytes(), str(path))
        normalized = normalize(decoded.text, rules)
        title, body = split_title(normalized.text)
        docs.append((normalized, title, body, decoded.text))
    if not docs:
        parser.error(f"no .txt files under {args.corpus}")
    for doc in docs if args.warm else docs[:1]:
        extract_fields(*doc)  # models and caches load outside the timing
    best: dict[str, float] = {}
    total = float("inf")
    for _ in range(max(args.repeat, 1)):
        spent, seconds = _one_pass(docs, rules)
        for name, value in spent.items():
            best[name] = min(best.get(name, value), value)
        total = min(total, seconds)
    spent = Counter(best)
    print("kernels:", "compiled" if kernels.NATIVE is not None else "pure Python")
    print(f"extract_fields: {total:.3f} s CPU for {len(docs)} articles, {total / len(docs) * 1000:.2f} ms each")
    for name, seconds in spent.most_common():
        print(f"  {name:28} {seconds / len(docs) * 1000:6.2f} ms  {seconds / total:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
