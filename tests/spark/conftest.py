"""A Spark session in local mode shared by the Spark tests.

Every module here starts with ``pytest.importorskip("pyspark")``: in the
default environment (``nox -s tests``) pyspark is absent and they are skipped;
``nox -s spark`` installs it and runs them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED

NEWS_BENCH = SHARED / "corpora" / "news-bench-dev"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from seedclean.engines.spark import spark_session

    session = spark_session(os.environ.get("SEEDCLEAN_SPARK_MASTER", "local[2]"), app_name="seedclean-tests")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def news_bench_local(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """news-bench-dev normalized by the local engine once for all Spark tests:
    (the output folder, its run summary)."""
    if not NEWS_BENCH.is_dir():
        pytest.skip(f"{NEWS_BENCH} not found (the shared corpora sit beside the repository)")
    from seedclean.write.run import normalize_folder

    out = tmp_path_factory.mktemp("news-bench") / "local"
    return out, normalize_folder(NEWS_BENCH, out, jobs=1)
