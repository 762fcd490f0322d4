"""Everything people run: `nox -s tests`, `lint`, `normalize`, `validate`, `bench`...

Each session installs what it needs into its own virtual environment, so
these commands work on a fresh machine with only Python and nox.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = False

PYTHON = "3.11"


def _ensure_chromium(session: nox.Session) -> None:
    """The report tests drive Debian's Chromium; install it when missing (as
    root, e.g. in CI), otherwise those tests are skipped with a reason."""
    if Path("/usr/bin/chromium").exists() or not shutil.which("apt-get"):
        return
    if os.geteuid() != 0:
        session.warn("chromium is missing: run `sudo apt-get install -y chromium` to run the browser tests")
        return
    session.run("apt-get", "update", "-qq", external=True)
    session.run("apt-get", "install", "-y", "-qq", "chromium", external=True)


_CHECK_COMPILED = """
import importlib.util, sys
modules = ("seedclean.extract._native", "seedclean.normalize._native")
missing = [m for m in modules if importlib.util.find_spec(m) is None]
if missing:
    sys.exit(f"not built: {', '.join(missing)}. Install a C compiler and the Python headers "
             "(e.g. apt-get install gcc python3-dev) and rerun, "
             "or set SEEDCLEAN_PURE=1 to test the pure-Python path only")
"""


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    _ensure_chromium(session)
    session.install("-e", ".[validate,test]")
    # the compiled modules are optional for users, but the tests must run
    # them: a build that silently fell back would leave the C untested
    if os.environ.get("SEEDCLEAN_PURE") != "1":
        session.run("python", "-c", _CHECK_COMPILED)
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


def _ensure_java(session: nox.Session) -> None:
    """Spark needs a Java runtime: install Debian's default one when missing
    (CI machines are Debian, as root), else say what to install."""
    if shutil.which("java") or os.environ.get("JAVA_HOME"):
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        session.run("apt-get", "update", "-qq", external=True)
        session.run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "default-jre-headless", external=True)
        return
    session.error("Spark needs Java 17 or later: install a JRE (e.g. apt-get install default-jre-headless)")


@nox.session(python=PYTHON)
def spark(session: nox.Session) -> None:
    """The Spark engine and Spark-side validation, in Spark's local mode
    (its own environment: pyspark, pandas<3, pandera[pyspark])."""
    _ensure_java(session)
    session.install("-e", ".[spark,validate,test]")
    session.run("pytest", "tests/spark", *session.posargs, env={"SEEDCLEAN_SPARK_MASTER": "local[2]"})


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


@nox.session(python=PYTHON)
def validate(session: nox.Session) -> None:
    """Clean seeds/ into out/, validate it, write reports/ (open reports/index.html)."""
    session.install("-e", ".[validate]")
    session.run("seedclean", "normalize", "seeds", "out", "--quiet")
    session.run("seedclean", "validate", "out", "--reports", "reports", *session.posargs)


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """Fuzz the normalizer on mutated real articles for a bounded time:
    `nox -s fuzz -- --seconds 600`. Findings go to fuzz-findings/."""
    session.install("-e", ".[test]")
    session.run("python", "tests/robustness/fuzz.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Speed and memory against the naive ftfy script and the I/O floor (not run in CI).

    `nox -s bench` runs 1k and 10k articles (a few minutes); `nox -s bench -- --full`
    adds 100k (memory, about 10 minutes). `nox -s bench -- --validate-rows 1000000`
    (the option may repeat) also times `seedclean validate` on folders of that many
    rows (bench/validate.py). Results go in docs/benchmarks.md.
    The Spark row (Java, pyspark) is `nox -s bench_spark`.
    """
    session.install("-e", ".[validate]")
    args, validate_rows = list(session.posargs), []
    while "--validate-rows" in args:
        at = args.index("--validate-rows")
        validate_rows += ["--rows", args[at + 1]]
        del args[at : at + 2]
    session.run("python", "bench/run.py", *args)
    if validate_rows:
        session.run("python", "bench/validate.py", *validate_rows)


@nox.session(python=PYTHON)
def bench_spark(session: nox.Session) -> None:
    """The Spark row of the benchmark (not run in CI): the bench corpora through
    `--engine spark --master local[2]` beside `--jobs 2`, and Spark's start-up
    alone, in the spark environment, so `nox -s bench` needs no Java.
    `nox -s bench_spark -- --sizes 1k --runs 1`. Results go in docs/benchmarks-spark.md."""
    _ensure_java(session)
    session.install("-e", ".[spark]")
    session.run("python", "bench/spark.py", *session.posargs)
