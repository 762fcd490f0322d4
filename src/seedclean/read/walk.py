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
    #: absolute; a plain string from walk_inputs (a Path per file cost the
    #: walk and each batch's pickling to a worker microseconds a file)
    path: str | Path
    relative: str  # POSIX path relative to the input folder, e.g. "site/a.txt"

    @property
    def doc_id(self) -> str:
        return self.relative[: -len(SUFFIX)]


@dataclass
class WalkStats:
    ignored: int = 0  # files that are not .txt
    found: int = 0  # .txt files, known once the first is yielded


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
    # plain strings, not a Path per file: at a million files pathlib's
    # parsing alone was seconds, all of it before the first file is cleaned
    top = os.fspath(root)
    skip = len(os.path.join(top, ""))  # the root and its slash ("/" alone at the file system's root)
    for current, _dirnames, filenames in os.walk(top, followlinks=False):
        prefix = current[skip:] + "/" if len(current) > len(top) else ""
        for name in filenames:
            if name.endswith(SUFFIX) and not name.startswith("."):
                found.append(prefix + name)
            else:
                stats.ignored += 1
    stats.found = len(found)
    # sorting names only (not file contents) keeps memory small even for
    # millions of files, and makes the output order independent of the disk
    found.sort()
    base = os.path.join(top, "")
    for relative in found:
        yield InputFile(base + relative, relative)
