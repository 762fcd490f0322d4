"""The rules the Spark engine ships to executors rebuild the driver's rules,
even where the user's rule file does not exist (no Spark needed)."""

from __future__ import annotations

import pickle
from pathlib import Path

from seedclean.config import BoilerplateConfig, Config
from seedclean.document import clean_bytes
from seedclean.engines.spark import ShippedRules
from seedclean.normalize.rules import load_rules

ARTICLE = b"Storm hits the coast\n\nAP Photo by a staff photographer\n\nThe storm hit the coast on Monday.\n"


def test_shipped_rules_clean_like_the_driver_without_the_rule_file(tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.tsv"
    rules_file.write_text("line\t(?i)^ap photo\\b.*\tcaption\tour photo credits\n", encoding="utf-8")
    config = Config(boilerplate=BoilerplateConfig(extra_rules=(str(rules_file),)))
    driver = clean_bytes(ARTICLE, "a", "a.txt", load_rules(config))
    shipped = pickle.loads(pickle.dumps(ShippedRules.of(config)))  # as the task closure travels
    rules_file.unlink()  # an executor that never saw the file
    executor = clean_bytes(ARTICLE, "a", "a.txt", shipped.load())
    assert "AP Photo" not in executor.text
    assert (executor.text, executor.record, executor.edit_rows) == (driver.text, driver.record, driver.edit_rows)
