"""Writing outputs atomically: a reader never sees a half-written file."""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any, Self

# mkstemp creates files readable by the owner only; outputs should get the
# permissions any other file the user writes gets.
_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK


#: a temporary file's name: this process's id and a counter, so no two
#: writers of this process (or of another one) pick the same name
_TMP_NAMES = itertools.count()
#: new files get the permissions the process's umask gives (mkstemp's 0o600 does not)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
#: this process's id, read once (a system call per article file otherwise) and again in a forked child
_PID = [os.getpid()]
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _PID.__setitem__(0, os.getpid()))


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write UTF-8 text with ``\\n`` line ends to ``path`` via a temporary file
    and a rename, so a killed run leaves either the old file or the new one.

    Called once per article: the temporary file is named from the target
    (``.<name>.<pid>-<n>.tmp``) and created with O_EXCL, which refuses a
    name that exists (a killed run's leftover: then mkstemp picks one),
    and the folder is made only when the first open finds it missing."""
    data = text.encode("utf-8")
    path = os.fspath(path)  # strings: a Path's parts cost more than the write (once per article)
    folder, name = os.path.split(path)
    folder = folder or "."
    tmp = os.path.join(folder, f".{name}.{_PID[0]}-{next(_TMP_NAMES)}.tmp")
    try:
        fd = os.open(tmp, _CREATE, FILE_MODE)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, _CREATE, FILE_MODE)
    except FileExistsError:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        os.chmod(tmp, FILE_MODE)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


# json.dumps with a non-default option builds a new encoder per call
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def json_line(row: dict[str, Any]) -> str:
    """``row`` as one JSON-lines line (with its newline), as the tables hold it."""
    return _ENCODER.encode(row) + "\n"


class Publishing:
    """A context manager that publishes what its block wrote (``commit``)
    when the block ends normally and discards it (``abort``) when it raises."""

    def commit(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


class _AtomicFile(Publishing):
    """A file written under a temporary name beside ``path`` and published
    by rename on commit, so a killed run never leaves half of it."""

    def __init__(self, path: Path, mode: str, **open_args: Any) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self._handle: IO[Any] = os.fdopen(fd, mode, **open_args)

    def commit(self) -> None:
        self._handle.close()
        os.chmod(self._tmp, FILE_MODE)
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._handle.close()
        Path(self._tmp).unlink(missing_ok=True)

    def put(self, data: bytes | Any, source: memoryview | None = None) -> None:
        """Append ``data``: bytes, or a ``Span`` (offset, length) of ``source``
        (the shared memory a pool's worker put its batch in: written from
        there, the bytes are copied once, into the file)."""
        if isinstance(data, bytes):
            self._handle.write(data)
        elif data.length:
            assert source is not None
            self._handle.write(source[data.offset : data.offset + data.length])


class AtomicJsonl(_AtomicFile):
    """A JSON-lines file (UTF-8) written row by row and published by rename on close."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "wb", buffering=2**20)
        self.rows = 0

    def write(self, row: dict[str, Any]) -> None:
        self._handle.write(json_line(row).encode("utf-8"))
        self.rows += 1

    def write_lines(self, lines: str | bytes | Any, rows: int, source: memoryview | None = None) -> None:
        """Append ``rows`` rows already encoded with :func:`json_line`
        (as str, or in UTF-8: workers encode them where they clean, or a
        ``Span`` of the shared memory ``source`` a worker put them in)."""
        self.put(lines.encode("utf-8") if isinstance(lines, str) else lines, source)
        self.rows += rows


class AtomicBinary(_AtomicFile):
    """A binary file written piece by piece and published by rename on commit."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "wb", buffering=2**20)

    def write(self, data: bytes) -> None:
        self._handle.write(data)
