"""`seedclean --help` must not import the heavy libraries: they are loaded
where they are used (checked by module, not by timing)."""

from __future__ import annotations

import subprocess
import sys

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
