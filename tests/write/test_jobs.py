"""A process pool must not change the output: --jobs 2 writes exactly what
--jobs 1 writes, over enough documents to span many worker batches."""

from __future__ import annotations

import random
from pathlib import Path

from conftest import SEEDS
from seedclean.write.run import BATCH, normalize_folder

COUNT = 5 * BATCH + 17  # several batches per worker, and a partial last one


def _variant(text: str, rng: random.Random) -> str:
    """A seed with its body reordered and some of the residue real scrapes have."""
    blocks = text.split("\n\n")
    head, body = blocks[:1], blocks[1:]
    rng.shuffle(body)
    out = "\n\n".join(head + body)
    roll = rng.random()
    if roll < 0.1:
        out = out.replace("\n", "\r\n")
    elif roll < 0.2:  # one paragraph mis-decoded (UTF-8 read as cp1252)
        paragraph = rng.choice(body)
        out = out.replace(paragraph, paragraph.encode("utf-8").decode("cp1252", errors="ignore"), 1)
    elif roll < 0.3:
        out = out.replace("negotiate", "nego-\ntiate").replace("occupation", "occu-pation")
    return out


def _corpus(folder: Path) -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(COUNT):
        rng = random.Random(i)
        target = folder / f"site{i % 7}" / f"a{i:04d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_variant(seeds[i % len(seeds)], rng), encoding="utf-8", newline="")
    (folder / "site3" / "broken.txt").write_bytes(b"\x00\xff" * 200)  # binary: an errors.jsonl row


def _outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".seedclean.json"
    }


def test_jobs_2_writes_exactly_what_jobs_1_writes(tmp_path: Path) -> None:
    _corpus(tmp_path / "in")
    one = normalize_folder(tmp_path / "in", tmp_path / "one", jobs=1)
    two = normalize_folder(tmp_path / "in", tmp_path / "two", jobs=2)
    assert one.documents == two.documents == COUNT
    assert one.failed == two.failed == 1
    assert one.edits == two.edits > COUNT
    first, second = _outputs(tmp_path / "one"), _outputs(tmp_path / "two")
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], name


def test_warm_up_article_exercises_every_model_the_workers_share() -> None:
    """The parent loads the models by cleaning a sample before it forks the
    pool; a sample that skips a step would leave each worker loading its own."""
    from seedclean.document import clean_bytes
    from seedclean.normalize.rules import load_rules
    from seedclean.write.run import _WARM_UP

    document = clean_bytes(_WARM_UP, "warm-up", "warm-up.txt", load_rules())
    steps = document.record["edits_by_step"]
    for step in ("mojibake", "dehyphenate", "boilerplate", "title_suffix"):
        assert steps.get(step), (step, steps)
    assert document.record["language"] == "en"
    assert "café" in document.text and "negotiate" in document.text


def test_pool_leaves_the_callers_heap_unfrozen(tmp_path: Path) -> None:
    import gc

    _corpus(tmp_path / "in")
    normalize_folder(tmp_path / "in", tmp_path / "out", jobs=2)
    assert gc.get_freeze_count() == 0
