"""Config files: steps switched by name, thresholds, user rule files."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedclean.config import load_config
from seedclean.errors import UserError
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules


def test_defaults_enable_every_step() -> None:
    config = load_config(None)
    assert config.enabled("dehyphenate") and config.enabled("boilerplate")


def test_steps_and_thresholds_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "seedclean.toml"
    path.write_text("[steps]\nboilerplate = false\n\n[dehyphenate]\nmin_joined_zipf = 4.5\n", encoding="utf-8")
    config = load_config(path)
    assert not config.enabled("boilerplate")
    assert config.dehyphenate.min_joined_zipf == 4.5
    # negotiate (zipf ~4.0) is no longer common enough to join
    assert "nego-tiate" in normalize("They met to nego-tiate.\n", load_rules(config)).text


def test_user_rule_file_extends_the_shipped_rules(tmp_path: Path) -> None:
    (tmp_path / "mine.tsv").write_text("line\tbrought to you by .+\tsponsor\tour sponsor line\n", encoding="utf-8")
    path = tmp_path / "seedclean.toml"
    path.write_text('[boilerplate]\nextra_rules = ["mine.tsv"]\n', encoding="utf-8")
    result = normalize("A headline here\n\nBody text.\n\nBrought to you by Acme\n", load_rules(load_config(path)))
    assert "Acme" not in result.text
    assert [e.reason for e in result.edits if e.step == "boilerplate"] == ["sponsor"]


@pytest.mark.parametrize(
    ("toml", "rules", "message"),
    [
        ("[steps]\nnope = true\n", None, "unknown step"),
        ("[dehyphenate]\nmin_zipf = 1\n", None, "unknown setting"),
        ("[weird]\n", None, "unknown section"),
        ("steps = [", None, "not valid TOML"),
        ('[boilerplate]\nextra_rules = ["r.tsv"]\n', "line\t(unclosed\tx\n", "r.tsv:1"),
        ('[boilerplate]\nextra_rules = ["r.tsv"]\n', "wrong\tx\ty\n", "unknown scope"),
        ('[boilerplate]\nextra_rules = ["r.tsv"]\n', "line\t.*\ty\n", "matches an empty line"),
        ('[boilerplate]\nextra_rules = ["missing.tsv"]\n', None, "cannot be read"),
    ],
)
def test_mistakes_name_the_file_and_what_is_wrong(tmp_path: Path, toml: str, rules: str | None, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml, encoding="utf-8")
    if rules is not None:
        (tmp_path / "r.tsv").write_text(rules, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load_rules(load_config(path))
