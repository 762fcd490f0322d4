"""The user's output folder is safe: a killed run restarted ends exactly like
an uninterrupted one, two runs cannot share an OUT, per-file problems are
listed without stopping the run, and --strict stops at the first one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS, read_jsonl
from seedclean.errors import UserError
from seedclean.write import run as run_module
from seedclean.write.run import _Lock, normalize_folder

SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
MARK = "Version two of this article."


def build_corpus(folder: Path, count: int, version: int) -> None:
    """``count`` articles made from the seeds; version 2 changes the first and
    the last, deletes the ``gone/`` folder and adds a file."""
    for i in range(count):
        path = folder / f"site{i % 3}" / f"a{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = SEED_TEXTS[i % len(SEED_TEXTS)] + f"\nArticle number {i} ends here.\n"
        if version == 2 and i in (0, count - 1):
            text += f"\n{MARK}\n"
        path.write_text(text, encoding="utf-8")
    if version == 1:
        (folder / "gone" / "deeper").mkdir(parents=True)
        (folder / "gone" / "deeper" / "old.txt").write_text(SEED_TEXTS[0], encoding="utf-8")
    else:
        (folder / "new.txt").write_text(SEED_TEXTS[1], encoding="utf-8")


def contents(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder`` (folders as None)."""
    found: dict[str, bytes | None] = {}
    for current, dirs, files in os.walk(folder):
        for name in dirs:
            found[(Path(current) / name).relative_to(folder).as_posix()] = None
        for name in files:
            path = Path(current) / name
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "seedclean", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill takes its workers too
    )


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seedclean", *args], capture_output=True, text=True, check=False, timeout=300
    )


def wait_for(condition, process: subprocess.Popen[str], what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 120
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the run ended before {what}: {process.stderr.read() if process.stderr else ''}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


def test_a_killed_run_restarted_ends_exactly_like_an_uninterrupted_one(tmp_path: Path) -> None:
    count = 600
    source, out, reference = tmp_path / "in", tmp_path / "out", tmp_path / "reference"
    build_corpus(source, count, version=1)
    normalize_folder(source, out, jobs=1)  # an earlier complete run into OUT
    shutil.rmtree(source / "gone")
    build_corpus(source, count, version=2)

    first, last = out / "site0" / "a0000.txt", out / f"site{(count - 1) % 3}" / f"a{count - 1:04d}.txt"
    killed = start("normalize", str(source), str(out), "--jobs", "2", "--quiet")
    wait_for(lambda: first.exists() and MARK in first.read_text(encoding="utf-8"), killed, "the first file")
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    # killed half-way: the last article still holds the earlier run's output
    assert MARK not in last.read_text(encoding="utf-8")

    restarted = cli("normalize", str(source), str(out), "--jobs", "2")
    assert restarted.returncode == 0, restarted.stderr
    uninterrupted = cli("normalize", str(source), str(reference), "--jobs", "1")
    assert uninterrupted.returncode == 0, uninterrupted.stderr
    assert contents(out) == contents(reference)
    assert MARK in last.read_text(encoding="utf-8") and not (out / "gone").exists()


def test_a_second_run_into_the_same_output_is_refused_while_one_runs(tmp_path: Path) -> None:
    source, out, reference = tmp_path / "in", tmp_path / "out", tmp_path / "reference"
    build_corpus(source, 1000, version=2)  # long enough to outlast the second run's start-up
    first = start("normalize", str(source), str(out), "--jobs", "1", "--quiet")
    wait_for(lambda: (out / ".seedclean.json").exists(), first, "the lock")
    second = cli("normalize", str(source), str(out), "--jobs", "1")
    still_running = first.poll() is None
    first_err = first.communicate(timeout=300)[1]
    assert still_running, "the first run ended before the second started: the test proves nothing"
    assert second.returncode == 2
    assert "another seedclean run" in second.stderr and "Traceback" not in second.stderr
    assert first.returncode == 0, first_err
    normalize_folder(source, reference, jobs=2)
    assert contents(out) == contents(reference)


def test_the_lock_is_held_for_the_whole_run_and_released_after(tmp_path: Path) -> None:
    normalize_folder(SEEDS, tmp_path / "out")
    with _Lock(tmp_path / "out"), pytest.raises(UserError, match="another seedclean run"):
        normalize_folder(SEEDS, tmp_path / "out")
    normalize_folder(SEEDS, tmp_path / "out")  # free again
    assert not (tmp_path / "out" / ".seedclean.lock").exists()


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    source = tmp_path / "in"
    source.mkdir()
    for name in ("a.txt", "c.txt", "e.txt"):
        (source / name).write_text(SEED_TEXTS[0], encoding="utf-8")
    (source / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (source / "d.txt").write_bytes(b"\x00" * 500)
    return source


def test_per_file_problems_are_listed_and_exit_1(mixed: Path, tmp_path: Path) -> None:
    result = cli("normalize", str(mixed), str(tmp_path / "out"))
    assert result.returncode == 1
    assert "failed: b.txt" in result.stderr and "failed: d.txt" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == ["a.txt", "c.txt", "e.txt"]
    assert [(row["path"], row["kind"]) for row in read_jsonl(tmp_path / "out" / "errors.jsonl")] == [
        ("b.txt", "binary"),
        ("d.txt", "binary"),
    ]


def test_strict_stops_at_the_first_problem(mixed: Path, tmp_path: Path) -> None:
    result = cli("normalize", str(mixed), str(tmp_path / "out"), "--strict", "--jobs", "1")
    assert result.returncode == 1
    assert "b.txt" in result.stderr and "--strict" in result.stderr and "d.txt" not in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "c.txt").exists()


def test_a_bug_on_one_file_is_reported_and_the_run_goes_on(
    mixed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = run_module.clean_bytes

    def failing(data: bytes, doc_id: str, relative: str, rules: object) -> object:
        if relative == "c.txt":
            raise ValueError("edit overlaps an earlier edit")
        return real(data, doc_id, relative, rules)  # type: ignore[arg-type]

    monkeypatch.setattr(run_module, "clean_bytes", failing)
    summary = normalize_folder(mixed, tmp_path / "out", jobs=1)
    assert summary.documents == 2
    bug = [row for row in summary.errors if row["path"] == "c.txt"]
    assert bug and bug[0]["kind"] == "internal_error" and "ValueError" in bug[0]["message"]


def test_leftovers_of_a_killed_run_are_cleaned_up(tmp_path: Path) -> None:
    normalize_folder(SEEDS, tmp_path / "out")
    (tmp_path / "out" / ".000_x.txt.abc123.tmp").write_text("half", encoding="utf-8")
    (tmp_path / "out" / ".documents.jsonl.xyz.tmp").write_text("half", encoding="utf-8")
    (tmp_path / "out" / "old" / "empty").mkdir(parents=True)
    (tmp_path / "out" / "old" / "stale.txt").write_text("stale", encoding="utf-8")
    (tmp_path / "out" / ".seedclean.lock").write_text("99999999", encoding="utf-8")  # a dead run's lock
    normalize_folder(SEEDS, tmp_path / "again")
    normalize_folder(SEEDS, tmp_path / "out")
    assert contents(tmp_path / "out") == contents(tmp_path / "again")


def test_restore_never_writes_over_the_original_input(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(SEED_TEXTS[0], encoding="utf-8")
    normalize_folder(source, tmp_path / "out")
    result = cli("restore", str(tmp_path / "out"), str(source))
    assert result.returncode == 2 and "never over the original" in result.stderr
    assert (source / "a.txt").read_text(encoding="utf-8") == SEED_TEXTS[0]


def test_restore_lists_a_document_it_cannot_rebuild_and_goes_on(tmp_path: Path) -> None:
    normalize_folder(SEEDS, tmp_path / "out")
    victim = sorted((tmp_path / "out").glob("*.txt"))[0]
    victim.unlink()
    result = cli("restore", str(tmp_path / "out"), str(tmp_path / "back"))
    assert result.returncode == 1 and f"cannot be rebuilt: {victim.name}" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(list((tmp_path / "back").glob("*.txt"))) == len(SEED_TEXTS) - 1
