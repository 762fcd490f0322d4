"""The command line: exit codes and messages a user sees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import SEEDS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "seedclean", *args], capture_output=True, text=True, check=False)


def test_help_and_version() -> None:
    assert run("--help").returncode == 0
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("seedclean ")


def test_normalize_then_restore(tmp_path: Path) -> None:
    result = run("normalize", str(SEEDS), str(tmp_path / "out"), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "5 documents cleaned" in result.stderr
    result = run("restore", str(tmp_path / "out"), str(tmp_path / "back"))
    assert result.returncode == 0, result.stderr
    for seed in SEEDS.glob("*.txt"):
        assert (tmp_path / "back" / seed.name).read_bytes() == seed.read_bytes()


def test_missing_input_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    result = run("normalize", str(tmp_path / "nope"), str(tmp_path / "out"))
    assert result.returncode == 2
    assert "nope" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_skip_switches_a_step_off(tmp_path: Path) -> None:
    result = run("normalize", str(SEEDS), str(tmp_path / "out"), "--skip", "dehyphenate", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "occu-pation" in (tmp_path / "out" / "000_769b480d123bd270.txt").read_text(encoding="utf-8")


def test_bad_file_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "good.txt").write_text("A headline here\n\nA paragraph.\n", encoding="utf-8")
    (source / "binary.txt").write_bytes(bytes(range(256)) * 8)
    result = run("normalize", str(source), str(tmp_path / "out"))
    assert result.returncode == 1
    assert "binary.txt" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "out" / "good.txt").is_file()
    assert "binary" in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8")


def test_bad_config_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[steps]\nnot_a_step = false\n", encoding="utf-8")
    result = run("normalize", str(SEEDS), str(tmp_path / "out"), "--config", str(config))
    assert result.returncode == 2 and "not_a_step" in result.stderr


def test_the_command_ends_at_once_after_normalize_with_its_status_and_every_line_printed(tmp_path: Path) -> None:
    # entry() leaves through os._exit after a normalize run: the summary (and
    # a failed file's line) must still reach the pipe, and the status the caller
    (tmp_path / "in").mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (tmp_path / "in" / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "in" / "zz-binary.txt").write_bytes(b"\x00\x01\x02" * 400)
    result = subprocess.run(
        [sys.executable, "-m", "seedclean", "normalize", "--jobs", "1", str(tmp_path / "in"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "2 documents cleaned" in result.stderr and "failed: zz-binary.txt" in result.stderr
    assert "(listed in" in result.stderr.splitlines()[-1]
    assert (tmp_path / "out" / "documents.jsonl").read_bytes().count(b"\n") == 2
