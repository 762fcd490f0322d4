"""Choosing an engine: usage errors and the default environment without pyspark."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from seedclean.cli import main
from seedclean.engines import normalize_with
from seedclean.errors import UserError

HAS_PYSPARK = importlib.util.find_spec("pyspark") is not None


def test_a_uri_needs_the_spark_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["normalize", "s3a://bucket/articles", str(tmp_path / "out")]) == 2
    assert "s3a://bucket/articles" in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_spark_options_need_the_spark_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["normalize", str(SEEDS), str(tmp_path / "out"), "--master", "local[2]"]) == 2
    assert "--engine spark" in capsys.readouterr().err
    with pytest.raises(UserError, match="master"):
        normalize_with("local", SEEDS, tmp_path / "out", master="local[2]")
    with pytest.raises(UserError, match="unknown engine"):
        normalize_with("dask", SEEDS, tmp_path / "out")


@pytest.mark.skipif(HAS_PYSPARK, reason="pyspark is installed here")
def test_without_pyspark_the_spark_engine_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["normalize", str(SEEDS), str(tmp_path / "out"), "--engine", "spark"]) == 2
    assert "pip install 'seedclean[spark]'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_command_line_does_not_import_pyspark() -> None:
    code = "import sys; from seedclean.cli import _build_parser; _build_parser(); print('pyspark' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
