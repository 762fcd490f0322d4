"""`seedclean --help` must not import the heavy libraries: they are loaded
where they are used (checked by module, not by timing)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("ftfy", "wordfreq", "pandas", "pandera", "great_expectations", "charset_normalizer", "rich")

_PROBE = """
import contextlib, io, sys
from seedclean.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(["--help"])
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(["normalize", "--help"])
loaded = [m for m in {heavy!r} if m in sys.modules and type(sys.modules[m]).__name__ != "_LazyModule"]
print(",".join(loaded))
"""


def test_help_imports_no_heavy_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_lazy_modules_work_once_used() -> None:
    from seedclean.normalize.dehyphenate import _zipf
    from seedclean.normalize.rules import load_rules
    from seedclean.normalize.unicode import fix_mojibake

    assert _zipf("the", "en") > 6
    assert fix_mojibake("cafÃ©\n", load_rules())[0].replacement == "é"


def test_top_level_help_does_not_import_the_steps() -> None:
    probe = (
        "import contextlib, io, sys\n"
        "from seedclean.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "print('seedclean.normalize.pipeline' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_skip_names_every_step_in_its_help_and_accepts_only_those(capsys: pytest.CaptureFixture[str]) -> None:
    from seedclean.cli import _build_parser
    from seedclean.normalize.pipeline import STEP_NAMES

    parser = _build_parser()
    for name in STEP_NAMES:
        assert parser.parse_args(["normalize", "--skip", name, "in", "out"]).skip == [name]
    with pytest.raises(SystemExit):
        parser.parse_args(["normalize", "--help"])
    assert f"steps: {', '.join(STEP_NAMES)}" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["normalize", "--skip", "no_such_step", "in", "out"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'no_such_step'" in capsys.readouterr().err


def test_the_command_runs_openblas_on_one_thread_unless_the_user_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """OpenBLAS reads its thread count when numpy is first imported, which the
    command does only after ``entry`` has set it: one thread that never
    spins, since seedclean makes no matrix product. A user's own setting stays."""
    from seedclean import cli

    seen: list[str | None] = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(os.environ.get("OPENBLAS_NUM_THREADS")) or 0)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with pytest.raises(SystemExit):
        cli.entry()
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    with pytest.raises(SystemExit):
        cli.entry()
    assert seen == ["1", "4"]
