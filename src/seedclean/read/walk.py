"""Finding the input files: every ``*.txt`` under a folder, in sorted order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from seedclean.errors import UserError

SUFFIX = ".txt"


@dataclass(frozen=True)
class InputFile:
    path: Path  # absolute
    relative: str  # POSIX path relative to the input folder, e.g. "site/a.txt"

    @property
    def doc_id(self) -> str:
        return self.relative[: -len(SUFFIX)]


@dataclass
class WalkStats:
    ignored: int = 0  # files that are not .txt


def check_input_folder(folder: Path) -> Path:
    if not folder.exists():
        raise UserError(f"input folder {folder} does not exist; pass a folder of .txt articles")
    if not folder.is_dir():
        raise UserError(f"input {folder} is not a folder; pass the folder that holds the .txt articles")
    return folder.resolve()


def walk_inputs(folder: Path, stats: WalkStats | None = None) -> Iterator[InputFile]:
    """Yield the ``.txt`` files below ``folder`` in sorted relative-path order.

    Symbolic links to folders are not followed, so link loops cannot hang
    the walk; linked files are read.
    """
    root = folder.resolve()
    stats = stats if stats is not None else WalkStats()
    found: list[str] = []
    for current, _dirnames, filenames in os.walk(root, followlinks=False):
        current_path = Path(current)
        for name in filenames:
            if name.endswith(SUFFIX) and not name.startswith("."):
                found.append((current_path / name).relative_to(root).as_posix())
            else:
                stats.ignored += 1
    # sorting names only (not file contents) keeps memory small even for
    # millions of files, and makes the output order independent of the disk
    for relative in sorted(found):
        yield InputFile(root / relative, relative)
