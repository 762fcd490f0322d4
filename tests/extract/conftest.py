from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEEDS, SHARED


@pytest.fixture(scope="session")
def dev_texts() -> list[tuple[Path, str]]:
    """(path, text) of the seeds and, where ../shared/corpora is beside the
    checkout, of every text of the dev corpora (news-bench-dev's extractor
    outputs, dehyphen-dev, mojibake-dev): real text for the tests that hold
    a fast computation to its plain definition."""
    paths = sorted(SEEDS.glob("*.txt"))
    if (SHARED / "corpora").is_dir():
        paths += sorted((SHARED / "corpora").rglob("*.txt"))
    return [(path, path.read_text(encoding="utf-8", errors="replace")) for path in paths]
