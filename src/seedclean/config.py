"""Configuration of the normalizing pipeline.

Every step can be switched off by name, and the few numeric thresholds that
steps use live here so a user can tune them from a TOML file without editing
code::

    # seedclean.toml
    [steps]
    dehyphenate = false

    [dehyphenate]
    min_joined_zipf = 2.0

    [boilerplate]
    extra_rules = ["my_site_rules.tsv"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from seedclean.errors import UserError


@dataclass(frozen=True)
class DehyphenateConfig:
    #: the joined word must be at least this common (wordfreq Zipf scale) for
    #: any join the document itself does not vote for; stronger evidence is
    #: needed on top (see normalize/dehyphenate.py)
    min_joined_zipf: float = 1.0
    #: ... and this much more common than the hyphenated form
    min_zipf_gain: float = 0.5
    #: languages whose lexicon is consulted (wordfreq codes)
    languages: tuple[str, ...] = ("en",)


@dataclass(frozen=True)
class BoilerplateConfig:
    #: extra rule files (same TSV format as the shipped ones)
    extra_rules: tuple[str, ...] = ()
    #: an end-of-article marker only cuts a tail that holds at most this
    #: share of the document's words: a wrong cut must never take the article
    max_tail_share: float = 0.3


@dataclass(frozen=True)
class Config:
    #: step name -> enabled; steps not named are enabled
    steps: dict[str, bool] = field(default_factory=dict)
    dehyphenate: DehyphenateConfig = DehyphenateConfig()
    boilerplate: BoilerplateConfig = BoilerplateConfig()

    def enabled(self, step: str) -> bool:
        return self.steps.get(step, True)

    def with_steps(self, **switches: bool) -> Config:
        return replace(self, steps={**self.steps, **switches})


def _section(cls: type, data: dict[str, Any], where: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise UserError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return cls(**values)


def load_config(path: Path | None) -> Config:
    """Read a TOML config file; ``None`` gives the defaults."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"config file {path} does not exist; pass an existing TOML file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"config file {path} is not valid TOML: {exc}") from None
    from seedclean.normalize.pipeline import STEP_NAMES  # local: avoids an import cycle

    steps = data.pop("steps", {})
    bad = set(steps) - set(STEP_NAMES)
    if bad:
        raise UserError(f"{path}: unknown step(s) {', '.join(sorted(bad))}; steps are {', '.join(STEP_NAMES)}")
    dehyphenate = _section(DehyphenateConfig, data.pop("dehyphenate", {}), f"{path} [dehyphenate]")
    boilerplate_data = data.pop("boilerplate", {})
    # rule files are named relative to the config file
    boilerplate_data["extra_rules"] = [
        str((Path(path).parent / p).resolve()) for p in boilerplate_data.get("extra_rules", [])
    ]
    boilerplate = _section(BoilerplateConfig, boilerplate_data, f"{path} [boilerplate]")
    if data:
        raise UserError(f"{path}: unknown section(s) {', '.join(sorted(data))}")
    return Config(steps=dict(steps), dehyphenate=dehyphenate, boilerplate=boilerplate)
