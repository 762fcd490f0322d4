from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CASES = Path(__file__).resolve().parent / "cases"
SHARED = ROOT.parent / "shared"

#: for tests whose point is real text in bulk: they need the dev corpora
#: (../shared/corpora) beside the checkout, as CI has them
needs_dev_corpora = pytest.mark.skipif(
    not (SHARED / "corpora").is_dir(), reason="needs the dev corpora in ../shared/corpora beside the checkout"
)


def load_case_file(name: str) -> dict:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds normalized once for the whole session (read-only for tests)."""
    from seedclean.write.run import normalize_folder

    out = tmp_path_factory.mktemp("seeds") / "out"
    summary = normalize_folder(SEEDS, out, jobs=1)
    assert summary.failed == 0
    return out


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def dev_texts() -> list[str]:
    """The seeds and every file of the dev corpora, decoded as a run decodes
    them (the files a run refuses left out)."""
    from seedclean.read.decode import decode_bytes

    paths = sorted(SEEDS.glob("*.txt"))
    for name in ("news-bench-dev", "dehyphen-dev", "mojibake-dev"):
        paths += sorted((SHARED / "corpora" / name).glob("*/*.txt"))
    texts = []
    for path in paths:
        try:
            texts.append(decode_bytes(path.read_bytes(), path.name).text)
        except Exception:
            continue
    return texts
