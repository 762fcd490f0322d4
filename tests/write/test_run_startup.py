"""What a run pays before and around its articles: a --jobs 1 run cleans no
warm-up sample, a small run left to pick its workers makes no pool, the
first batches of a small pooled run are cut so every worker gets some, and
none of it changes a byte of the outputs."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, SHARED
from seedclean.read.walk import WalkStats
from seedclean.write import run
from seedclean.write.run import BATCH, MIN_BATCH, POOL_MIN_FILES, _batched, normalize_folder

NEWS = SHARED / "corpora" / "news-bench-dev" / "trafilatura"


def _outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".seedclean.json"
    }


def _no_warm_up(*_: object) -> None:
    raise AssertionError("the warm-up sample was cleaned")


def test_a_one_process_run_cleans_no_warm_up_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = normalize_folder(SEEDS, tmp_path / "reference", jobs=1)
    monkeypatch.setattr(run, "_warm_up", _no_warm_up)
    summary = normalize_folder(SEEDS, tmp_path / "out", jobs=1)
    assert summary.documents == reference.documents == 5 and summary.edits == reference.edits
    assert _outputs(tmp_path / "out") == _outputs(tmp_path / "reference")


def test_the_heap_is_frozen_after_the_first_batch_only_when_more_follow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen: list[int] = []
    freeze = run._freeze
    monkeypatch.setattr(run, "_freeze", lambda: (frozen.append(gc.get_freeze_count()), freeze()))
    normalize_folder(SEEDS, tmp_path / "one", jobs=1)  # five files: one batch
    assert frozen == []
    monkeypatch.setattr(run, "BATCH", 2)  # three batches
    normalize_folder(SEEDS, tmp_path / "three", jobs=1)
    assert len(frozen) == 1
    assert gc.get_freeze_count() == 0  # the caller's heap is its own again
    assert _outputs(tmp_path / "three") == _outputs(tmp_path / "one")


def test_a_small_run_left_to_pick_its_workers_makes_no_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = tmp_path / "reference"
    normalize_folder(SEEDS, reference, jobs=1)
    monkeypatch.setattr(run, "_warm_up", _no_warm_up)  # the pool's first step
    normalize_folder(SEEDS, tmp_path / "auto", jobs=None)
    assert _outputs(tmp_path / "auto") == _outputs(reference)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts the forked workers Linux's /proc shows")
def test_a_run_left_to_pick_its_workers_uses_a_pool_from_the_threshold_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    normalize_folder(SEEDS, tmp_path / "reference", jobs=1)
    monkeypatch.setattr(run, "POOL_MIN_FILES", 5)  # the five seeds
    monkeypatch.setattr(run, "default_jobs", lambda: 2)
    warmed: list[bool] = []
    warm_up = run._warm_up
    monkeypatch.setattr(run, "_warm_up", lambda config, fork: (warmed.append(fork), warm_up(config, fork)))
    normalize_folder(SEEDS, tmp_path / "auto", jobs=None)
    assert warmed == [True]
    assert _outputs(tmp_path / "auto") == _outputs(tmp_path / "reference")


def test_the_threshold_is_what_the_cli_help_says(capsys: pytest.CaptureFixture[str]) -> None:
    from seedclean.cli import _build_parser

    with pytest.raises(SystemExit):
        _build_parser().parse_args(["normalize", "--help"])
    assert f"fewer than {POOL_MIN_FILES} files" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize(("found", "jobs"), [(41, 2), (100, 2), (300, 3), (5, 2)])
def test_a_small_pooled_run_gives_every_worker_a_batch(found: int, jobs: int) -> None:
    batches = list(_batched(iter(range(found)), BATCH, WalkStats(found=found), jobs))  # type: ignore[arg-type]
    assert [item for batch in batches for item in batch] == list(range(found))
    assert len(batches) >= min(jobs, -(-found // MIN_BATCH))
    assert len(batches[0]) == min(BATCH, max(MIN_BATCH, found // (4 * jobs)))


@pytest.mark.skipif(not NEWS.is_dir(), reason="needs the dev corpora in /work/shared")
def test_a_pooled_run_of_fewer_files_than_a_batch_writes_what_one_process_writes(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for path in sorted(NEWS.glob("*.txt"))[: BATCH - 1]:
        (source / path.name).write_bytes(path.read_bytes())
    normalize_folder(source, tmp_path / "one", jobs=1)
    normalize_folder(source, tmp_path / "two", jobs=2)
    assert _outputs(tmp_path / "two") == _outputs(tmp_path / "one")


def test_the_pool_forks_with_no_thread_of_the_run_alive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a fork copies only the forking thread: a lock another thread held
    # would stay held in every worker
    import threading

    before = set(threading.enumerate())
    seen: list[set[threading.Thread]] = []
    pooled = run._pooled

    def checked(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(set(threading.enumerate()))
        return pooled(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "_pooled", checked)
    normalize_folder(SEEDS, tmp_path / "out", jobs=2)
    assert seen == [before]
