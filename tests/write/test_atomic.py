"""write_text_atomic: the bytes land whole under the target's name, with the
user's permissions, and nothing else is left beside it."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from seedclean.write import atomic
from seedclean.write.atomic import write_text_atomic

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# NUL, U+FFFF, a non-BMP character, a combining mark, a CR that must stay a CR
ODD = "a\x00b\uffff\U0001f600e\u0301\r\nlast line without newline"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + [ODD, ""])
def test_the_file_holds_the_text_in_utf8_and_nothing_is_left_beside_it(tmp_path: Path, text: str) -> None:
    target = tmp_path / "deep" / "er" / "article.txt"
    write_text_atomic(target, text)
    assert target.read_bytes() == text.encode("utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["article.txt"]
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_an_existing_file_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old, and longer than the new text\n")
    write_text_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_leftover_temporary_file_under_the_next_name_is_not_touched(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(atomic, "_TMP_NAMES", itertools.count(7))
    leftover = tmp_path / f".a.txt.{os.getpid()}-7.tmp"
    leftover.write_text("a killed run's\n")
    write_text_atomic(tmp_path / "a.txt", "fresh\n")
    assert (tmp_path / "a.txt").read_text() == "fresh\n"
    assert leftover.read_text() == "a killed run's\n"
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert len(list(tmp_path.iterdir())) == 2  # no other temporary file stays


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old\n")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "lone \ud800 surrogate")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(OSError):
        write_text_atomic(tmp_path / "folder.txt", "cannot replace a folder\n")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "folder.txt"]
    assert list((tmp_path / "folder.txt").iterdir()) == []


@pytest.mark.parametrize("text", [ODD, ""])
def test_a_string_path_is_written_like_a_path(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # workers pass "OUT/relative" strings; a bare name is written in the working folder
    write_text_atomic(f"{tmp_path}/new/folder/a.txt", text)
    monkeypatch.chdir(tmp_path)
    write_text_atomic("b.txt", text)
    assert (tmp_path / "new" / "folder" / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()
    assert (tmp_path / "b.txt").read_bytes() == text.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt", "new"]


def test_a_forked_child_names_its_temporary_files_by_its_own_id(tmp_path: Path) -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports the id its temporary names would carry
        os.write(write, str(atomic._PID[0]).encode())
        os._exit(0)
    os.close(write)
    reported = int(os.read(read, 32))
    os.waitpid(pid, 0)
    os.close(read)
    assert reported == pid and atomic._PID[0] == os.getpid()
