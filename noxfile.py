"""Everything people run: `nox -s tests`, `lint`, `normalize`, `validate`, `bench`...

Each session installs what it needs into its own virtual environment, so
these commands work on a fresh machine with only Python and nox.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = False

PYTHON = "3.11"


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    session.install("-e", ".[validate,test]")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and common bugs with ruff."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "noxfile.py")


@nox.session(python=PYTHON)
def normalize(session: nox.Session) -> None:
    """Clean the seed corpus: seeds/ -> out/."""
    session.install("-e", ".")
    session.run("seedclean", "normalize", "seeds", "out", *session.posargs)


@nox.session(python=PYTHON)
def accuracy(session: nox.Session) -> None:
    """Score the normalizer on the dev corpora (../shared): docs/accuracy.md."""
    from pathlib import Path

    shared = Path(__file__).resolve().parent.parent / "shared"
    score = shared / "tools" / "score.py"
    corpora = shared / "corpora"
    if not score.is_file() or not corpora.is_dir():
        session.error(
            f"the dev corpora and scorer are not at {shared} (expected tools/score.py and corpora/); "
            "place the shared folder beside the repository to run this session"
        )
    # jusText: the peer baseline row the scorer prints beside ours
    session.install("-e", ".", "justext")
    seedclean = Path(session.bin) / "seedclean"
    command = f"{seedclean} normalize {{in}} {{out}}"
    session.run("python", str(score), "--data-root", str(corpora), *session.posargs, command)
