"""Facts a run proved about data files, remembered for the next runs.

Checking the boilerplate rules (does each compile for RE2? does any match
an empty line?) means compiling every pattern, about a fifth of a second;
a run that finds them sound leaves a marker named by a hash of everything
the answer depends on (the file's text, the code that reads it, Python's
and RE2's builds), and later runs with the same hash compile each pattern
on first use instead. Any change to one of those is another hash, so a
changed file is checked again. Markers live in ``$XDG_CACHE_HOME/seedclean``
(else ``~/.cache/seedclean``); without a writable one every run checks.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from seedclean.cache import user_cache

#: bump when what a marker vouches for changes meaning
_LAYOUT = 1


def _folder() -> Path:
    return user_cache() / "proven"


def _file_identity(path: str | None) -> str:
    if not path:
        return "-"
    try:
        stat = os.stat(path)
    except OSError:
        return f"{path}:?"
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def fact_key(
    kind: str, *, texts: tuple[str, ...], code_files: tuple[str | None, ...], builds: tuple[str | None, ...] = ()
) -> str:
    """A name for the fact ``kind`` about ``texts`` as read by ``code_files``
    (their contents are hashed: an edit changes the key even within the
    file system's mtime resolution) and compiled libraries ``builds``
    (named by path, size and time: a reinstall changes them) under this Python."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (str(_LAYOUT), kind, sys.version, sys.executable):
        digest.update(part.encode() + b"\0")
    for path in code_files:
        try:
            digest.update(Path(path).read_bytes() if path else b"-")
        except OSError:
            digest.update(_file_identity(path).encode())
        digest.update(b"\0")
    for path in builds:
        digest.update(_file_identity(path).encode() + b"\0")
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return f"{kind}-{digest.hexdigest()}"


def is_proven(key: str) -> bool:
    try:
        return (_folder() / key).is_file()
    except OSError:
        return False


def remember(key: str) -> None:
    """Leave the marker ``key``; a cache that cannot be written is no error."""
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key}.", suffix=".tmp")
        os.close(fd)
        os.replace(tmp, folder / key)
    except OSError:
        pass
