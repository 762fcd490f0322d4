"""Build a benchmark corpus of N articles with real residue from the dev sets.

The articles are the real extractor outputs, hyphenation and mojibake inputs
of ``shared/corpora`` (about 600 distinct pages), replicated with a
deterministic variation per copy so the corpus is not 600 texts repeated:
body paragraphs are reordered, some are swapped for a paragraph of another
page from the same set, and a few files get CRLF line ends or a BOM, as
scraped files do. Headline, chrome and tail residue stay where they were.

The mix of sources is weighted as a real crawl would be, where most pages are
plain extractor output and mojibake is the exception (see MIX); it is printed
with every benchmark so the numbers can be read against it.

    python bench/corpus.py 10000 bench-data/corpus-10k
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
#: files per sub-folder, as crawls shard them (and so no folder gets huge)
PER_FOLDER = 1000

#: (share of the corpus, folders under shared/corpora whose pages are drawn)
MIX: tuple[tuple[float, tuple[str, ...]], ...] = (
    (
        0.75,
        tuple(
            f"news-bench-dev/{e}"
            for e in ("trafilatura", "readability", "newspaper", "goose3", "boilerpipe", "html-text")
        ),
    ),
    (0.15, ("dehyphen-dev/input",)),
    (0.05, ("mojibake-dev/utf8-as-cp1252", "mojibake-dev/utf8-as-latin1", "mojibake-dev/mixed-cp1252")),
    (0.05, ("mojibake-dev/clean",)),
)


def describe_mix() -> str:
    return "; ".join(f"{share:.0%} {', '.join(folders)}" for share, folders in MIX)


def corpora_root() -> Path:
    for candidate in (CORPORA, Path("/work/shared/corpora")):
        if candidate.is_dir():
            return candidate
    raise SystemExit(f"shared corpora not found at {CORPORA}; the benchmark needs shared/ beside the repository")


def load_pool(root: Path) -> list[list[str]]:
    """For each MIX entry, the non-empty pages of its folders."""
    pools = []
    for _share, folders in MIX:
        pages = []
        for folder in folders:
            for path in sorted((root / folder).glob("*.txt")):
                text = path.read_text(encoding="utf-8")
                if text.strip():
                    pages.append(text)
        pools.append(pages)
    return pools


def vary(text: str, rng: random.Random, donors: list[str]) -> str:
    """A deterministic variant of one page: same residue, different body."""
    paragraphs = text.split("\n\n") if "\n\n" in text else text.split("\n")
    sep = "\n\n" if "\n\n" in text else "\n"
    # keep the first two blocks (headline, chrome) and the last three (tail
    # residue) in place; vary the body in between
    head, body, tail = paragraphs[:2], paragraphs[2:-3], paragraphs[-3:]
    if len(body) >= 2:
        for _ in range(max(1, len(body) // 4)):
            i, j = rng.randrange(len(body)), rng.randrange(len(body))
            body[i], body[j] = body[j], body[i]
        donor = rng.choice(donors)
        donor_blocks = [b for b in donor.split("\n\n") if len(b) > 80]
        if donor_blocks:
            body[rng.randrange(len(body))] = rng.choice(donor_blocks)
    out = sep.join(head + body + tail) if len(paragraphs) > 5 else text
    roll = rng.random()
    if roll < 0.04:
        out = out.replace("\n", "\r\n")
    elif roll < 0.06:
        out = "\ufeff" + out
    return out


def build(count: int, dest: Path, seed: int = 6) -> int:
    """Write ``count`` articles under ``dest``; return the total bytes."""
    pools = load_pool(corpora_root())
    shares = [share for share, _ in MIX]
    if dest.exists():
        shutil.rmtree(dest)
    total = 0
    for i in range(count):
        rng = random.Random(seed * 1_000_003 + i)
        pool = pools[rng.choices(range(len(pools)), weights=shares)[0]]
        text = vary(pool[rng.randrange(len(pool))], rng, pool)
        data = text.encode("utf-8")
        folder = dest / f"site{i // PER_FOLDER:03d}"
        if i % PER_FOLDER == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"a{i:07d}.txt").write_bytes(data)
        total += len(data)
    (dest.parent / f".{dest.name}.done").write_text(f"{count} {total}\n")
    return total


def ensure(count: int, dest: Path) -> Path:
    """Build the corpus unless an identical one is already there."""
    marker = dest.parent / f".{dest.name}.done"
    if not (marker.exists() and dest.is_dir() and marker.read_text().split()[0] == str(count)):
        build(count, dest)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    total = build(args.count, args.dest)
    print(f"{args.count} articles, {total / 1e6:.1f} MB in {args.dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
