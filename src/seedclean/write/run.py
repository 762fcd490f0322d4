"""Normalizing a folder: stream the files through the document cleaner (in a
process pool when asked) and write the outputs atomically.

Layout of OUT::

    <same relative path>.txt   the cleaned article
    documents.jsonl            one row per article, sorted by path
    edits.jsonl                every edit, grouped by article in the same order
    errors.jsonl               one row per file that could not be cleaned
    sidetables.json, fields.csv, edits.i32, minhash_*.i64, index.i64
                               the same tables without text, for validate
                               (layout in write/sidetables.py)
"""

from __future__ import annotations

import fcntl
import gc
import itertools
import json
import mmap
import os
import signal
import stat
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from seedclean.config import Config
from seedclean.document import CleanDocument, clean_bytes
from seedclean.errors import FileProblem, InputFileError, UserError
from seedclean.normalize import native
from seedclean.normalize.linemodel import load_model
from seedclean.normalize.rules import Rules, load_rules
from seedclean.read.walk import InputFile, WalkStats, check_input_folder, walk_inputs
from seedclean.write.atomic import AtomicJsonl, json_line, write_text_atomic
from seedclean.write.sidetables import (
    Bulk,
    SideBatch,
    SideRows,
    SideTableWriter,
    Span,
    encode_record,
    encode_side,
    join_side,
)

if TYPE_CHECKING:  # imported where a pool is made: a --jobs 1 run does not pay for them
    import multiprocessing.context
    from concurrent.futures import Future

MANIFEST = ".seedclean.json"
LOCK = ".seedclean.lock"
TABLES = ("documents.jsonl", "edits.jsonl", "errors.jsonl")
#: documents cleaned (and sent to a worker) at once: large enough to
#: amortise the inter-process traffic and the per-batch table writes,
#: small enough to keep memory flat
BATCH = 64
#: the smallest batch: the last batches shrink so the workers finish together
MIN_BATCH = 4
#: with the number of workers left to the run (``jobs=None``), fewer files
#: than this are cleaned in the run's own process: a pool's fixed cost (the
#: warm-up sample, forking, each worker compiling the rules it meets) is
#: more than a second core saves on so few files
POOL_MIN_FILES = 4 * BATCH
#: the young generation's collection threshold during a run (Python's is
#: 700): a run allocates and frees containers by the million, and most die
#: by reference count; the collector need not look at them that often
GC_YOUNG = 10_000
#: bytes of shared memory for each batch in flight in a pool: a batch's
#: bulk (its JSON lines and side-table bytes) goes there, ~1.3 MiB for 64
#: news articles (1.8 at most on the bench corpus); a larger one goes
#: through the pipe
SLOT = 4 * 2**20
#: files larger than this are no article: reading one would only exhaust memory
MAX_FILE_BYTES = 256 * 2**20
_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class RunSummary:
    documents: int = 0
    failed: int = 0
    ignored: int = 0
    edits: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Failure:
    path: str
    kind: str
    message: str


@dataclass(frozen=True)
class _Encoded:
    """A cleaned document's table rows, encoded where it was cleaned: the
    parent only appends text, and a worker sends back a few strings instead
    of the record's and edits' dicts."""

    path: str
    document_line: bytes  # UTF-8, as the files hold them
    edit_lines: bytes
    edits: int
    side: SideRows


@dataclass(frozen=True)
class _Batch:
    """Consecutive files' outcomes and table rows, encoded where they were
    cleaned. A pool's worker puts the bulk (the JSON lines, fields.csv rows
    and MinHash keys) in shared memory and sends Spans of it: the parent
    writes them into the tables from there, without unpickling them."""

    outcomes: tuple[str | _Failure, ...]  # per file, in input order: its path, or why it failed
    edits: int
    documents: Bulk  # documents.jsonl lines
    edit_lines: Bulk  # edits.jsonl lines
    side: SideBatch


def _encode(result: CleanDocument | _Failure) -> _Encoded | _Failure:
    if isinstance(result, _Failure):
        return result
    # the log's lines and side-table rows in one pass over the logged
    # edits, without a dict per edit row; the record's line and side-table
    # parts in one pass over the record
    edit_lines, rows, labels = native.edit_table(result.doc_id, result.edits, result.passes)
    document_line, parts = encode_record(result.record)
    if document_line is None:
        document_line = json_line(result.record).encode("utf-8")
    side = encode_side(result.record, None, document_line, edit_lines, edits=(rows, labels), parts=parts)
    return _Encoded(result.record["path"], document_line, edit_lines, len(result.edits), side)


def prepare_output(in_dir: Path, out_dir: Path) -> Path:
    """Check OUT is safe to write: not IN, not inside IN unless skipped, and
    either new, empty, or an earlier seedclean output."""
    out_dir = out_dir.resolve()
    if out_dir == in_dir:
        raise UserError(f"output folder {out_dir} is the input folder; choose another folder for the output")
    if in_dir in out_dir.parents:
        raise UserError(
            f"output folder {out_dir} is inside the input folder {in_dir}, where a later run would read it "
            "back as input; choose a folder outside it"
        )
    if out_dir.exists():
        if not out_dir.is_dir():
            raise UserError(f"output {out_dir} exists and is not a folder; choose a new folder")
        # a lock alone is a run of ours that has just started
        if any(p.name != LOCK for p in out_dir.iterdir()) and not (out_dir / MANIFEST).exists():
            raise UserError(
                f"output folder {out_dir} is not empty and was not written by seedclean; "
                "choose a new or empty folder (seedclean removes stale files from its own outputs only)"
            )
    if out_dir in in_dir.parents:
        raise UserError(f"output folder {out_dir} contains the input folder {in_dir}; choose a folder beside it")
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


class _Lock:
    """Refuses a second run into the same OUT while one is going on.

    An advisory ``flock`` on ``OUT/.seedclean.lock``: the kernel drops it
    when the process dies however it dies, so a killed run never leaves a
    lock that blocks the next one, and no process id can be mistaken for a
    live run.
    """

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK
        self._fd: int | None = None

    def __enter__(self) -> _Lock:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                raise UserError(
                    f"another seedclean run (process {holder or '?'}) is writing to {self.path.parent}; "
                    "wait for it to finish or choose another output folder"
                ) from None
            # the holder we waited on may have removed the file before we
            # locked it: then our lock is on a dead inode and we try again
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *_: object) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)  # while still holding it: see __enter__
            os.close(self._fd)
            self._fd = None


# --- the worker side -------------------------------------------------------

_worker_rules: Rules | None = None
#: the pool's shared memory, slots of SLOT bytes (None where workers are not forked)
_worker_arena: memoryview | None = None


#: Linux's prctl option that signals a process when its parent ends
_PR_SET_PDEATHSIG = 1


def _init_worker(config: Config, parent: int, arena: mmap.mmap | None) -> None:
    global _worker_rules, _worker_arena
    _end_with(parent)
    _worker_arena = None if arena is None else memoryview(arena)
    _worker_rules = load_rules(config)  # forked: from the cache the warm-up filled, nothing compiled again


def _end_with(parent: int) -> None:
    """On Linux, have the kernel end this worker when the run's process ends
    however it ends: a SIGTERM to it alone (``timeout``, a job scheduler)
    left forked workers waiting on the task queue for good, each holding its
    memory. Elsewhere workers end as the pool ends them."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes  # already loaded by numpy: no cost in a forked worker

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # no prctl in this C library: as elsewhere
        return
    if os.getppid() != parent:  # it ended before the line above could take effect
        os._exit(1)


def display_path(relative: str) -> str:
    """A path as text that can be printed and written to JSON, even when the
    file name is not valid UTF-8 (its odd bytes shown as \\xNN)."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def _read_file(path: str | Path, size: int) -> bytes:
    """The file's bytes to its end, in as few system calls as its size
    allows: no buffered file object (its fstat, ioctl and seek per file)."""
    fd = os.open(path, _READ)
    try:
        chunks = [os.read(fd, size + 1)]  # all of it at once, unless it grew since the stat
        while chunks[-1]:  # to the end: a short read (a network file system) loses nothing
            chunks.append(os.read(fd, 2**20))
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 2 else b"".join(chunks)


def clean_file(item: InputFile, out_dir: Path, rules: Rules) -> CleanDocument | _Failure:
    """Read, clean and write one file; a problem with it becomes a failure row.

    No problem of one file may stop the run, so anything raised while
    cleaning it (a bug included) is caught and reported with the file's name.
    """
    shown = display_path(item.relative)
    if shown != item.relative:
        return _Failure(shown, "bad_file_name", "its name is not valid UTF-8; rename it")
    top = item.relative.split("/")[0]
    if top in TABLES:
        return _Failure(shown, "bad_file_name", f"its folder has the name of seedclean's own {top}; rename the folder")
    try:
        info = os.stat(item.path)
        if not stat.S_ISREG(info.st_mode):
            # a FIFO or device named .txt would block or never end
            return _Failure(shown, "not_a_file", "is not a regular file (a pipe, socket or device); remove it")
        if info.st_size > MAX_FILE_BYTES:
            return _Failure(
                shown,
                "too_large",
                f"is {info.st_size / 2**20:.0f} MiB, more than the {MAX_FILE_BYTES // 2**20} MiB an article "
                "can be; split it or remove it",
            )
        data = _read_file(item.path, info.st_size)
    except OSError as exc:
        return _Failure(shown, "unreadable", f"cannot be read ({exc.strerror}); check it and its permissions")
    try:
        document = clean_bytes(data, item.doc_id, item.relative, rules)
    except InputFileError as exc:
        return _Failure(exc.path, exc.kind, exc.message)
    except Exception as exc:  # a bug: report it against this file and go on
        return _Failure(
            shown, "internal_error", f"could not be cleaned ({type(exc).__name__}: {exc}); please report this file"
        )
    try:
        write_text_atomic(f"{out_dir}/{item.relative}", document.text)
    except OSError as exc:
        return _Failure(shown, "unwritable", f"its output cannot be written ({exc.strerror})")
    return document


def _clean_batch(items: list[InputFile], out_dir: Path, rules: Rules, strict: bool) -> _Batch:
    """Clean ``items`` in order; with ``strict`` stop at the first failure
    (the run stops there)."""
    outcomes: list[str | _Failure] = []
    documents: list[bytes] = []
    edit_lines: list[bytes] = []
    sides: list[SideRows] = []
    edits = 0
    for item in items:
        result = _encode(clean_file(item, out_dir, rules))
        if isinstance(result, _Failure):
            outcomes.append(result)
            if strict:
                break
            continue
        outcomes.append(result.path)
        documents.append(result.document_line)
        edit_lines.append(result.edit_lines)
        sides.append(result.side)
        edits += result.edits
    return _Batch(tuple(outcomes), edits, b"".join(documents), b"".join(edit_lines), join_side(sides))


def _place(batch: _Batch, arena: memoryview, start: int) -> _Batch:
    """``batch`` with its bulk copied into the shared ``arena`` at ``start``
    (its slot) and sent as Spans of it: what goes back through the pipe is
    a few KB a batch, so a worker never waits for the parent to read its
    results, and the bytes are written to the tables in one copy, with no
    file in between. A bulk larger than a slot goes as it is."""
    side = batch.side
    bulk = (batch.documents, batch.edit_lines, side.fields, side.edits, side.doc_keys, side.remark_keys)
    if sum(len(data) for data in bulk if isinstance(data, bytes)) > SLOT:
        return batch
    offset = start
    spans: list[Span] = []
    for data in bulk:
        assert isinstance(data, bytes)
        arena[offset : offset + len(data)] = data
        spans.append(Span(offset, len(data)))
        offset += len(data)
    documents, edit_lines, fields, edits, doc_keys, remark_keys = spans
    side = replace(side, fields=fields, edits=edits, doc_keys=doc_keys, remark_keys=remark_keys)
    return replace(batch, documents=documents, edit_lines=edit_lines, side=side)


def _work(items: list[InputFile], out_dir: Path, slot: int, strict: bool) -> _Batch:
    assert _worker_rules is not None
    batch = _clean_batch(items, out_dir, _worker_rules, strict)
    return batch if _worker_arena is None else _place(batch, _worker_arena, slot * SLOT)


def _batched(
    items: Iterable[InputFile], size: int, stats: WalkStats | None = None, jobs: int = 1
) -> Iterator[list[InputFile]]:
    """``items`` in lists of ``size``; given the walk's ``stats`` (its count of
    files, known once the first item is out), every list is at most a
    ``4 * jobs``-th of what is left (down to MIN_BATCH): ``jobs`` workers
    run out of work at nearly the same time instead of one idling through
    the other's last full batch, and a run of fewer than ``size * jobs``
    files still keeps every worker busy."""
    batch: list[InputFile] = []
    limit, given = size, 0
    for item in items:
        if not batch and stats is not None:
            limit = min(size, max(MIN_BATCH, (stats.found - given) // (4 * jobs)))
        batch.append(item)
        if len(batch) == limit:
            yield batch
            given += len(batch)
            batch = []
    if batch:
        yield batch


#: a short article with something for every lazily loaded model to do
#: (mojibake, a line-broken word, chrome, prose for the language model)
_WARM_UP = (
    "Talks resume in Geneva | World News\n\n"
    "GENEVA: The delegates met on Monday to nego-\ntiate a truce, and the caf\u00c3\u00a9 owners "
    "said the occu-\npation of the square had ended.\n\nLeave a Reply\n"
).encode("utf-8")


def _warm_up(config: Config, fork: bool) -> None:
    """Before a pool is forked: load every model (rules, word lists, the
    language model) by cleaning a sample, then :func:`_freeze` the heap, so
    workers forked after this (``fork``) share those pages instead of each
    loading its own copy (~100 MiB a worker) or writing to them."""
    clean_bytes(_WARM_UP, "warm-up", "warm-up.txt", load_rules(config))
    if fork:  # the warm-up article is no page dump: build the trees' arrays (alone, a run builds them when needed)
        load_model().forest  # noqa: B018
    _freeze()


def _freeze() -> None:
    """Move everything alive now (the models above all) out of the garbage
    collector's sight: it never scans those objects again (it did on every
    full collection). The caller unfreezes when the run ends.

    No collection first: it took 8-10 ms (the models' large containers are
    traversed) to free ~100 objects, ~50 KB of closures and tuples on
    corpus-1k, which are frozen with the rest instead, once a run."""
    gc.freeze()


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork is what shares the warmed-up models; where there is none (macOS
    # defaults to spawn, Windows has only spawn) workers load their own
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def _batches(
    items: Iterable[InputFile], out_dir: Path, config: Config, jobs: int | None, strict: bool, stats: WalkStats
) -> Iterator[tuple[_Batch, memoryview | None]]:
    """Cleaned batches in input order, each with the shared memory its Spans
    are in (None when its bulk is in the batch), with at most a few batches
    in flight per worker so memory stays flat however large the corpus."""
    items = iter(items)
    first = next(items, None)  # the walk lists every file before the first: stats.found is known from here
    items = itertools.chain(() if first is None else (first,), items)
    if jobs is None:
        jobs = default_jobs() if stats.found >= POOL_MIN_FILES else 1
    young = gc.get_threshold()
    gc.set_threshold(max(young[0], GC_YOUNG), *young[1:])
    try:
        if jobs <= 1:
            # no warm-up sample here: the first batch loads what it uses (a
            # one-file run pays for no extra article), and the heap is frozen
            # once that batch is done and more are coming
            rules = load_rules(config)
            for number, chunk in enumerate(_batched(items, BATCH)):
                if number == 1:
                    _freeze()
                yield _clean_batch(chunk, out_dir, rules, strict), None
            return
        fork = _pool_context().get_start_method() == "fork"
        _warm_up(config, fork)
        yield from _pooled(items, out_dir, config, jobs, strict, fork, stats)
    finally:
        gc.set_threshold(*young)
        gc.unfreeze()  # the caller's heap is its own again


def _pooled(
    items: Iterable[InputFile], out_dir: Path, config: Config, jobs: int, strict: bool, fork: bool, stats: WalkStats
) -> Iterator[tuple[_Batch, memoryview | None]]:
    """The pool's batches in input order; a worker process that died (killed
    by the system for want of memory, most often) becomes a message instead
    of a traceback.

    Forked workers share an anonymous memory map with this process (nothing
    a killed run could leave behind): a slot per batch in flight, which the
    batch ``window`` numbers later reuses once this generator is resumed,
    that is once the caller has written the batch out."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    window = 3 * jobs
    arena = mmap.mmap(-1, window * SLOT) if fork else None
    view = None if arena is None else memoryview(arena)
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=_pool_context(), initializer=_init_worker, initargs=(config, os.getpid(), arena)
    )
    try:
        with pool:
            pending: deque[Future[_Batch]] = deque()
            for number, chunk in enumerate(_batched(items, BATCH, stats, jobs)):
                pending.append(pool.submit(_work, chunk, out_dir, number % window, strict))
                if len(pending) >= window:
                    yield pending.popleft().result(), view
            while pending:
                yield pending.popleft().result(), view
    except BrokenProcessPool:
        raise UserError(
            "a worker process died (most often the system ran out of memory on a very large file); "
            "outputs written so far are complete: rerun with fewer --jobs, or --jobs 1 to see which file"
        ) from None


def _remove_stale(out_dir: Path, written: set[str]) -> None:
    """Delete what an earlier run into this OUT left and this run did not
    write: articles, temporary files of a killed run, folders left empty."""
    top = os.fspath(out_dir)
    skip = len(os.path.join(top, ""))
    for current, _dirs, files in os.walk(top, topdown=False):
        prefix = current[skip:] + "/" if len(current) > len(top) else ""  # strings: see read/walk.py
        for name in files:
            stale = name.endswith(".txt") and prefix + name not in written
            if stale or (name.startswith(".") and name.endswith(".tmp")):
                os.unlink(os.path.join(current, name))
        if prefix:
            with os.scandir(current) as entries:
                empty = next(entries, None) is None
            if empty:
                os.rmdir(current)


def normalize_folder(
    in_dir: Path,
    out_dir: Path,
    config: Config | None = None,
    jobs: int | None = 1,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> RunSummary:
    """Normalize every ``*.txt`` under ``in_dir`` into ``out_dir`` with
    ``jobs`` worker processes (None: one per core, or none below
    POOL_MIN_FILES files); the outputs are the same for every ``jobs``.

    ``progress`` is called with the number of documents done so far.
    """
    config = config or Config()
    load_rules(config)  # a bad rule file is a UserError before any work starts
    in_dir = check_input_folder(Path(in_dir))
    out_dir = prepare_output(in_dir, Path(out_dir))
    summary = RunSummary()
    stats = WalkStats()
    written: set[str] = set()
    with _Lock(out_dir):
        write_text_atomic(out_dir / MANIFEST, json.dumps({"tool": "seedclean", "input": str(in_dir)}) + "\n")
        with (
            SideTableWriter(out_dir) as side,  # first in, last out: it fingerprints the logs once published
            AtomicJsonl(out_dir / "documents.jsonl") as documents,
            AtomicJsonl(out_dir / "edits.jsonl") as edits,
            AtomicJsonl(out_dir / "errors.jsonl") as errors,
        ):
            items = walk_inputs(in_dir, stats)
            with closing(_batches(items, out_dir, config, jobs, strict, stats)) as batches:
                for batch, source in batches:
                    for outcome in batch.outcomes:
                        if isinstance(outcome, _Failure):
                            row = {"path": outcome.path, "kind": outcome.kind, "message": outcome.message}
                            errors.write(row)
                            summary.failed += 1
                            summary.errors.append(row)
                            if strict:
                                raise FileProblem(f"{outcome.path}: {outcome.message} (stopped by --strict)")
                        else:
                            summary.documents += 1
                            written.add(outcome)
                        if progress is not None:
                            progress(summary.documents + summary.failed)
                    documents.write_lines(batch.documents, batch.side.documents, source)
                    edits.write_lines(batch.edit_lines, batch.edits, source)
                    side.add_batch(batch.side, source)
                    summary.edits += batch.edits
        _remove_stale(out_dir, written)
    summary.ignored = stats.ignored
    return summary


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def count_inputs(in_dir: Path) -> int:
    return sum(1 for _ in walk_inputs(in_dir))
