"""The walk finds what pathlib finds, in the same order, with the same names."""

from __future__ import annotations

import os
from pathlib import Path

from seedclean.read.walk import WalkStats, walk_inputs


def _pathlib_walk(root: Path) -> tuple[list[str], int]:
    """The walk as it was written with pathlib (the reference)."""
    found, ignored = [], 0
    for current, _dirs, names in os.walk(root, followlinks=False):
        for name in names:
            if name.endswith(".txt") and not name.startswith("."):
                found.append((Path(current) / name).relative_to(root).as_posix())
            else:
                ignored += 1
    return sorted(found), ignored


def test_names_order_and_counts_are_pathlibs(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for relative in ("a.txt", "b/c.txt", "b/d/e.txt", "b/d/.hidden.txt", "b/notes.md", "z z/ü.txt", "b/d/f.TXT"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("x", encoding="utf-8")
    os.mkdir(os.fsencode(root) + b"/odd\xff")
    with open(os.fsencode(root) + b"/odd\xff/g\xfe.txt", "wb") as handle:
        handle.write(b"x")
    (root / "linked").symlink_to(root / "b", target_is_directory=True)  # not followed
    stats = WalkStats()
    items = list(walk_inputs(root, stats))
    found, ignored = _pathlib_walk(root.resolve())
    assert [item.relative for item in items] == found
    assert [Path(item.path) for item in items] == [root.resolve() / relative for relative in found]
    assert all(os.path.isabs(item.path) and os.path.isfile(item.path) for item in items)
    assert stats.ignored == ignored and stats.found == len(found) == 5
