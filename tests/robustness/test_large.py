"""Very long lines and very large articles are cleaned and restored like any
other (they once met quadratic searches: a 5 MB run of newlines never
finished). No timing is asserted; a step that turns quadratic again makes
these tests hang rather than pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEEDS, read_jsonl
from seedclean.write.restore import restore_folder
from seedclean.write.run import normalize_folder

SEED_TEXT = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
MB = 1_000_000


def _varied(text: str, size: int) -> str:
    """``text`` repeated to ``size`` characters, each copy's lines numbered so
    no line repeats: repeated lines are chrome the normalizer rightly removes,
    and this article must stay an article."""
    copies = []
    length = 0
    for number in range(size // len(text) + 1):
        copy = "\n".join(f"{line} [{number}]" if line.strip() else line for line in text.splitlines())
        copies.append(copy)
        length += len(copy)
        if length >= size:
            break
    return "\n\n".join(copies)


LARGE = {
    "article_20mb.txt": _varied(SEED_TEXT, 20 * MB).encode(),
    "line_5mb_words.txt": ("A headline\n\n" + "The occu-pation of the town went on and on. " * (5 * MB // 44)).encode(),
    "line_5mb_one_word.txt": ("A headline\n\n" + "a" * 5 * MB).encode(),
    "newlines_5mb.txt": ("A headline\n\nx" + "\n" * 5 * MB + "y").encode(),
    "spaces_5mb.txt": ("A headline\n\nx\u3000" + " " * 5 * MB + "y\n").encode(),
    "crlf_1mb.txt": ("A headline\r\n\r\n" + "Short line.\r\n" * (MB // 13)).encode(),
    "parens_5mb.txt": ("A headline\n\n" + "(" * 5 * MB).encode(),
}


@pytest.fixture(scope="module")
def large_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large")
    (root / "in").mkdir()
    for name, data in LARGE.items():
        (root / "in" / name).write_bytes(data)
    summary = normalize_folder(root / "in", root / "out", jobs=1)
    assert summary.failed == 0, summary.errors
    return root


def test_large_inputs_are_cleaned(large_run: Path) -> None:
    rows = {row["path"]: row for row in read_jsonl(large_run / "out" / "documents.jsonl")}
    assert set(rows) == set(LARGE)
    assert rows["article_20mb.txt"]["words"] > 500_000
    assert rows["line_5mb_words.txt"]["words"] > 900_000
    newlines = (large_run / "out" / "newlines_5mb.txt").read_text(encoding="utf-8")
    assert newlines == "A headline\n\nx\n\ny\n"


def test_large_inputs_are_restored_byte_for_byte(large_run: Path) -> None:
    summary = restore_folder(large_run / "out", large_run / "back")
    assert summary.mismatched == []
    for name, data in LARGE.items():
        assert (large_run / "back" / name).read_bytes() == data, name
