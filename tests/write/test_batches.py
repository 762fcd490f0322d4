"""Batches and shared memory: the side tables written a batch at a time (and
the bulk written from the slot of shared memory a worker put it in) are byte
for byte what writing one document at a time gives, however the documents
are cut into batches."""

from __future__ import annotations

import itertools
import mmap
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED, needs_dev_corpora
from seedclean.document import clean_bytes
from seedclean.errors import FileProblem, UserError
from seedclean.normalize.rules import load_rules
from seedclean.read.walk import WalkStats
from seedclean.write import run
from seedclean.write.atomic import AtomicBinary
from seedclean.write.run import MIN_BATCH, SLOT, _batched, _encode, _place, normalize_folder
from seedclean.write.sidetables import FILES, SideTableWriter, Span, join_side


def _real_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    corpora = SHARED / "corpora"
    for folder in ("news-bench-dev/trafilatura", "news-bench-dev/boilerpipe", "mojibake-dev/utf8-as-cp1252"):
        files += sorted((corpora / folder).glob("*.txt"))[:12]
    return files


def _encoded() -> list:
    rules = load_rules()
    return [_encode(clean_bytes(path.read_bytes(), path.stem, path.name, rules)) for path in _real_files()]


ENCODED = _encoded()


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in (*FILES, "sidetables.json")}


def _write(out: Path, cuts: list[int]) -> dict[str, bytes]:
    """The side tables of ENCODED in batches cut at ``cuts`` (empty: one
    document at a time, through ``add``)."""
    out.mkdir(parents=True)
    (out / "documents.jsonl").write_bytes(b"".join(e.document_line for e in ENCODED))
    (out / "edits.jsonl").write_bytes(b"".join(e.edit_lines for e in ENCODED))
    with SideTableWriter(out) as side:
        if not cuts:
            for encoded in ENCODED:
                side.add(encoded.side)
        else:
            bounds = [0, *sorted(set(cuts)), len(ENCODED)]
            for start, end in itertools.pairwise(bounds):
                side.add_batch(join_side([e.side for e in ENCODED[start:end]]))
    return _tables(out)


@needs_dev_corpora
@settings(max_examples=15, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=len(ENCODED)), min_size=1, max_size=8))
def test_batches_write_what_one_document_at_a_time_writes(cuts: list[int], tmp_path_factory) -> None:
    root = tmp_path_factory.mktemp("sides")
    assert _write(root / "batched", cuts) == _write(root / "single", [])


def test_an_empty_batch_adds_nothing(tmp_path: Path) -> None:
    """A batch whose every file failed still goes through the writer."""
    tables = []
    for name, batches in (("with", [[], [ENCODED[0].side], []]), ("without", [[ENCODED[0].side]])):
        out = tmp_path / name
        out.mkdir()
        (out / "documents.jsonl").write_bytes(ENCODED[0].document_line)
        (out / "edits.jsonl").write_bytes(ENCODED[0].edit_lines)
        with SideTableWriter(out) as side:
            for batch in batches:
                side.add_batch(join_side(batch))
        tables.append(_tables(out))
    assert tables[0] == tables[1]


def _whole_batch() -> run._Batch:
    return run._Batch(
        tuple(e.path for e in ENCODED),
        sum(e.edits for e in ENCODED),
        b"".join(e.document_line for e in ENCODED),
        b"".join(e.edit_lines for e in ENCODED),
        join_side([e.side for e in ENCODED]),
    )


def test_a_placed_batch_writes_back_its_bytes(tmp_path: Path) -> None:
    batch = _whole_batch()
    arena = memoryview(mmap.mmap(-1, 3 * SLOT))
    arena[:] = b"\xee" * len(arena)  # another batch's leftovers, which must not leak in
    placed = _place(batch, arena, 2 * SLOT)
    assert isinstance(placed.documents, Span) and placed.documents.offset == 2 * SLOT
    for name in ("documents", "edit_lines"):
        with AtomicBinary(tmp_path / name) as handle:
            handle.write(b"head")
            handle.put(getattr(placed, name), arena)
            handle.write(b"tail")
        assert (tmp_path / name).read_bytes() == b"head" + getattr(batch, name) + b"tail"
    for placed_side, name in ((False, "direct"), (True, "placed")):
        out = tmp_path / name
        out.mkdir()
        (out / "documents.jsonl").write_bytes(batch.documents)
        (out / "edits.jsonl").write_bytes(batch.edit_lines)
        with SideTableWriter(out) as side:
            side.add_batch(placed.side if placed_side else batch.side, arena)
    assert _tables(tmp_path / "placed") == _tables(tmp_path / "direct")


def test_a_batch_larger_than_a_slot_goes_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    batch = _whole_batch()
    arena = memoryview(mmap.mmap(-1, SLOT))
    monkeypatch.setattr(run, "SLOT", len(batch.documents))  # the documents alone fill it: the rest does not fit
    assert _place(batch, arena, 0) is batch
    assert arena.tobytes() == bytes(SLOT)


@given(
    count=st.integers(min_value=0, max_value=700),
    size=st.integers(min_value=1, max_value=80),
    jobs=st.sampled_from([2, 3, 8]),
)
def test_the_last_batches_shrink_and_keep_every_file_in_order(count: int, size: int, jobs: int) -> None:
    stats = WalkStats(found=count)
    batches = list(_batched(iter(range(count)), size, stats, jobs))  # type: ignore[arg-type]
    assert [item for batch in batches for item in batch] == list(range(count))
    sizes = [len(batch) for batch in batches]
    assert all(n <= size for n in sizes)
    assert all(n >= min(size, MIN_BATCH) for n in sizes[:-1])
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)
    if count >= 8 * size * jobs and size > MIN_BATCH:  # a long run ends in small batches
        assert sizes[-2] < size


def _corpus(folder: Path, broken: bool = True) -> None:
    for i, path in enumerate(_real_files()):
        target = folder / f"site{i % 3}" / f"{i:03d}-{path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    if broken:
        (folder / "site1" / "zz-binary.txt").write_bytes(b"\x00\xff" * 200)


def _leftovers(out: Path) -> list[str]:
    return [p.name for p in out.rglob("*") if p.name.startswith(".") and p.name != ".seedclean.json"]


def test_a_pool_run_leaves_no_temporary_files_and_the_gc_as_it_was(tmp_path: Path) -> None:
    import gc

    _corpus(tmp_path / "in")
    threshold = gc.get_threshold()
    summary = normalize_folder(tmp_path / "in", tmp_path / "out", jobs=2)
    assert summary.failed == 1 and summary.documents == len(_real_files())
    assert _leftovers(tmp_path / "out") == []
    assert gc.get_threshold() == threshold and gc.get_freeze_count() == 0


def test_temporary_files_a_killed_run_left_are_removed_by_the_next(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", broken=False)
    normalize_folder(tmp_path / "in", tmp_path / "out", jobs=1)
    out = tmp_path / "out"
    (out / ".documents.jsonl.k1ll3d.tmp").write_bytes(b"half a table")
    (out / "site0" / ".000-a.txt.4242-7.tmp").write_bytes(b"half an article")
    shards = out / ".shards.abc123.tmp"  # what a killed run of an earlier version left
    shards.mkdir()
    (shards / ".7.tmp").write_bytes(b"half a batch")
    normalize_folder(tmp_path / "in", out, jobs=2)
    assert _leftovers(out) == []


def test_strict_in_a_pool_stops_with_no_tables_and_no_temporary_files(tmp_path: Path) -> None:
    _corpus(tmp_path / "in")
    with pytest.raises(FileProblem, match=r"zz-binary\.txt"):
        normalize_folder(tmp_path / "in", tmp_path / "out", jobs=2, strict=True)
    out = tmp_path / "out"
    assert not (out / "documents.jsonl").exists() and not (out / "fields.csv").exists()
    assert _leftovers(out) == []


def test_a_worker_that_dies_is_a_user_error_with_no_tables_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _corpus(tmp_path / "in", broken=False)
    clean_file = run.clean_file

    def dies_on_one(item, out_dir, rules):  # forked workers inherit this
        if item.relative.startswith("site2/"):
            os._exit(9)
        return clean_file(item, out_dir, rules)

    monkeypatch.setattr(run, "clean_file", dies_on_one)
    with pytest.raises(UserError, match="a worker process died"):
        normalize_folder(tmp_path / "in", tmp_path / "out", jobs=2)
    out = tmp_path / "out"
    assert not (out / "documents.jsonl").exists() and not (out / "edits.i32").exists()
    assert _leftovers(out) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_workers_end_when_the_run_is_terminated_alone(tmp_path: Path) -> None:
    # SIGTERM to the run's process only (as `timeout` sends it): its workers must not live on
    for copy in range(10):
        _corpus(tmp_path / "in" / f"copy{copy}", broken=False)
    command = [sys.executable, "-m", "seedclean", "normalize", "--quiet", "--jobs", "2"]
    run_process = subprocess.Popen([*command, str(tmp_path / "in"), str(tmp_path / "out")], stderr=subprocess.PIPE)
    children: list[int] = []
    deadline = time.monotonic() + 120
    while len(children) < 2 and run_process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
        try:
            with open(f"/proc/{run_process.pid}/task/{run_process.pid}/children") as handle:
                children = [int(pid) for pid in handle.read().split()]
        except FileNotFoundError:
            break
    if len(children) < 2:
        run_process.kill()
        pytest.skip("the run ended before its workers could be seen")
    run_process.terminate()
    run_process.wait(timeout=60)
    deadline = time.monotonic() + 30
    alive = children
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in children if _running(pid)]
    for pid in alive:  # leave no process behind, whatever the verdict
        os.kill(pid, signal.SIGKILL)
    assert alive == [], "workers outlived the run's process"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False
