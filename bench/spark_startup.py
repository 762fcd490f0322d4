"""Spark's fixed cost alone: start a session, run a trivial job, stop (the bench's start-up row)."""

import sys

from seedclean.engines.spark import spark_session

session = spark_session(sys.argv[1] if len(sys.argv) > 1 else "local[2]", app_name="seedclean-bench-startup")
session.range(1).count()
session.stop()
