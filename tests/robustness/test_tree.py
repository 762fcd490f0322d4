"""Input trees: nesting, odd file names, links, loops, pipes, other files;
IN is never written; OUT may not be IN or lie inside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import read_jsonl
from seedclean.errors import UserError
from seedclean.write.restore import restore_folder
from seedclean.write.run import normalize_folder

ARTICLE = "Talks resume in Cairo\n\nNegotiators met on Sunday to discuss the plan.\n"
ODD_NAMES = [
    "with space.txt",
    'it\'s "quoted".txt',
    "Ünïcödé – 新闻.txt",
    "-leading-dash.txt",
    "semi;colon&amp$dollar.txt",
    "deep/er/still/nested.txt",
]


def snapshot(folder: Path) -> dict[str, tuple[bytes | str, int]]:
    """Every entry under ``folder``: content (or link target) and mtime."""
    found = {}
    for current, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(current) / name
            info = path.lstat()
            content: bytes | str = b"" if path.is_dir() else path.read_bytes()
            if path.is_symlink():
                content = os.readlink(path)
            found[path.relative_to(folder).as_posix()] = (content, info.st_mtime_ns)
    return found


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seedclean", *args], capture_output=True, text=True, check=False, timeout=120
    )


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    source = tmp_path / "in"
    for name in ODD_NAMES:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(ARTICLE.replace("Cairo", Path(name).stem), encoding="utf-8")
    (source / "notes.md").write_text("not an article", encoding="utf-8")
    (source / "deep" / "image.jpg").write_bytes(b"\xff\xd8\xff")
    (source / "README").write_text("no suffix", encoding="utf-8")
    (source / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    return source


def test_nested_folders_and_odd_names_are_mirrored_in_out(tree: Path, tmp_path: Path) -> None:
    summary = normalize_folder(tree, tmp_path / "out")
    assert summary.failed == 0 and summary.documents == len(ODD_NAMES)
    assert summary.ignored == 4  # notes.md, image.jpg, README, .hidden.txt
    for name in ODD_NAMES:
        assert Path(name).stem in (tmp_path / "out" / name).read_text(encoding="utf-8")
    assert sorted(row["path"] for row in read_jsonl(tmp_path / "out" / "documents.jsonl")) == sorted(ODD_NAMES)
    restore_folder(tmp_path / "out", tmp_path / "back")
    for name in ODD_NAMES:
        assert (tmp_path / "back" / name).read_bytes() == (tree / name).read_bytes()


def test_the_input_folder_is_never_written(tree: Path, tmp_path: Path) -> None:
    (tree / "bad.txt").write_bytes(b"\x00" * 100)
    before = snapshot(tree)
    normalize_folder(tree, tmp_path / "out", jobs=2)
    normalize_folder(tree, tmp_path / "out", jobs=1)  # and a rerun into the same OUT
    assert snapshot(tree) == before


def test_symlink_loops_do_not_hang_and_linked_files_are_read(tree: Path, tmp_path: Path) -> None:
    (tree / "deep" / "loop").symlink_to(tree, target_is_directory=True)  # a folder that contains itself
    (tree / "self.txt").symlink_to(tree / "self.txt")  # a link to itself
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(ARTICLE, encoding="utf-8")
    (tree / "linked.txt").symlink_to(outside)
    (tree / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    summary = normalize_folder(tree, tmp_path / "out")
    assert summary.documents == len(ODD_NAMES) + 1
    assert (tmp_path / "out" / "linked.txt").read_text(encoding="utf-8") == ARTICLE
    kinds = {row["path"]: row["kind"] for row in read_jsonl(tmp_path / "out" / "errors.jsonl")}
    assert kinds == {"self.txt": "unreadable", "dangling.txt": "unreadable"}
    assert not (tmp_path / "out" / "deep" / "loop").exists()


def test_a_pipe_named_txt_is_reported_not_read(tree: Path, tmp_path: Path) -> None:
    os.mkfifo(tree / "pipe.txt")  # reading it would block for ever
    summary = normalize_folder(tree, tmp_path / "out")
    assert summary.documents == len(ODD_NAMES)
    assert summary.errors == [{"path": "pipe.txt", "kind": "not_a_file", "message": summary.errors[0]["message"]}]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_is_reported(tree: Path, tmp_path: Path) -> None:
    with open(os.fsencode(tree) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(ARTICLE.encode())
    summary = normalize_folder(tree, tmp_path / "out")
    assert summary.documents == len(ODD_NAMES)
    assert [(row["path"], row["kind"]) for row in read_jsonl(tmp_path / "out" / "errors.jsonl")] == [
        ("caf\\xe9.txt", "bad_file_name")
    ]


@pytest.mark.parametrize("where", ["missing", "file"])
def test_an_input_that_is_no_folder_exits_2_naming_it(tmp_path: Path, where: str) -> None:
    target = tmp_path / "articles"
    if where == "file":
        target.write_text(ARTICLE, encoding="utf-8")
    result = cli("normalize", str(target), str(tmp_path / "out"))
    assert result.returncode == 2
    assert str(target) in result.stderr and "Traceback" not in result.stderr
    assert ("does not exist" if where == "missing" else "is not a folder") in result.stderr


@pytest.mark.parametrize("where", ["same", "inside", "inside-new", "via-link", "contains-input", "is-a-file"])
def test_unsafe_output_folders_are_refused_with_exit_2(tree: Path, tmp_path: Path, where: str) -> None:
    out = {
        "same": tree,
        "inside": tree / "deep",
        "inside-new": tree / "new" / "out",
        "via-link": tmp_path / "link",
        "contains-input": tmp_path,
        "is-a-file": tmp_path / "a-file",
    }[where]
    (tmp_path / "link").symlink_to(tree / "deep", target_is_directory=True)
    (tmp_path / "a-file").write_text("mine", encoding="utf-8")
    before = snapshot(tree)
    result = cli("normalize", str(tree), str(out))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "folder" in result.stderr
    assert snapshot(tree) == before
    with pytest.raises(UserError):
        normalize_folder(tree, out)


def test_a_folder_named_like_an_output_table_is_reported(tree: Path, tmp_path: Path) -> None:
    (tree / "errors.jsonl").mkdir()
    (tree / "errors.jsonl" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    summary = normalize_folder(tree, tmp_path / "out")
    assert [(row["path"], row["kind"]) for row in summary.errors] == [("errors.jsonl/a.txt", "bad_file_name")]
    assert (tmp_path / "out" / "errors.jsonl").is_file()
