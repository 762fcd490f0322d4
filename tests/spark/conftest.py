"""A Spark session in local mode shared by the Spark tests.

Every module here starts with ``pytest.importorskip("pyspark")``: in the
default environment (``nox -s tests``) pyspark is absent and they are skipped;
``nox -s spark`` installs it and runs them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from seedclean.engines.spark import spark_session

    session = spark_session(os.environ.get("SEEDCLEAN_SPARK_MASTER", "local[2]"), app_name="seedclean-tests")
    yield session
    session.stop()
