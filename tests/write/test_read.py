"""run._read_file: the whole file, whatever its size, in as few reads as it allows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SEEDS, SHARED
from seedclean.write import run

CORPORA = SHARED / "corpora"


def _samples() -> list[Path]:
    found = sorted(SEEDS.glob("*.txt"))
    found += sorted((CORPORA / "mojibake-dev").glob("*/*.txt"))[:40] if CORPORA.is_dir() else []
    return found


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
def test_real_files_read_whole(path: Path) -> None:
    assert run._read_file(str(path), path.stat().st_size) == path.read_bytes()


@pytest.mark.parametrize("size", [0, 1, 2**20 - 1, 2**20, 3 * 2**20 + 7])
def test_every_size_reads_whole(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    (tmp_path / "a.txt").write_bytes(data)
    assert run._read_file(tmp_path / "a.txt", size) == data


@pytest.mark.parametrize("stale", [0, 10, 2**20 + 5])
def test_a_file_that_changed_size_since_its_stat_is_read_to_its_end(tmp_path: Path, stale: int) -> None:
    data = b"x\x00\xff" * 100_000
    (tmp_path / "a.txt").write_bytes(data)
    assert run._read_file(tmp_path / "a.txt", stale) == data
