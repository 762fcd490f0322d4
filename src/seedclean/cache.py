"""Where seedclean keeps what it derives once a machine: the user's cache
folder (``$XDG_CACHE_HOME/seedclean``, else ``~/.cache/seedclean``), and
for tables that can be written again by anyone, the temporary folder as a
second choice when that one is not writable."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def user_cache() -> Path:
    """The user's seedclean cache folder (read anew: tests and users set
    ``XDG_CACHE_HOME`` after import)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "seedclean"


def cache_folders() -> list[Path]:
    """The folders a derived table may be kept in, in order of preference.
    A reader of the temporary one keeps to files it owns (others may write there)."""
    return [user_cache(), Path(tempfile.gettempdir()) / "seedclean"]
