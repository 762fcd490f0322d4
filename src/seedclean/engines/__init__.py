"""Where the per-document cleaner runs: ``local`` (this machine, a process
pool) or ``spark`` (a Spark cluster, or Spark's local mode).

Both engines call the same :func:`seedclean.document.clean_bytes` and write
the same output layout; the Spark engine lives in its own module so pyspark
is imported only when it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from seedclean.config import Config
from seedclean.errors import UserError
from seedclean.write.run import RunSummary, normalize_folder

ENGINES = ("local", "spark")


def normalize_with(
    engine: str,
    in_dir: str | Path,
    out_dir: str | Path,
    config: Config | None = None,
    jobs: int = 1,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    **spark_options: Any,
) -> RunSummary:
    """Run ``seedclean normalize`` on ``engine``.

    ``spark_options`` (``master``, ``output_format``) only mean something to
    the Spark engine; ``jobs`` and ``progress`` only to the local one.
    """
    if engine == "local":
        if spark_options:
            raise UserError(f"{', '.join(sorted(spark_options))}: options of the Spark engine; use engine='spark'")
        return normalize_folder(Path(in_dir), Path(out_dir), config=config, jobs=jobs, strict=strict, progress=progress)
    if engine == "spark":
        from seedclean.engines.spark import normalize_on_spark

        return normalize_on_spark(in_dir, out_dir, config=config, strict=strict, **spark_options)
    raise UserError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
