"""Loading the rule data files shipped in ``seedclean/data`` (and the user's).

Rules are data, not code: boilerplate patterns, agency names and protected
words live in plain text files a user can read and extend. They are loaded
once per process and shared by every document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from seedclean.config import Config
from seedclean.errors import UserError

SCOPES = ("line", "short", "end")


@dataclass(frozen=True)
class BoilerplateRule:
    scope: str
    pattern: re.Pattern[str]
    reason: str
    source: str  # "file:line", for error messages and the edit log


@dataclass(frozen=True)
class Rules:
    """Everything the steps need besides the text: compiled once per process."""

    config: Config
    boilerplate: tuple[BoilerplateRule, ...]
    agencies: tuple[str, ...]
    hyphen_prefixes: frozenset[str]
    protected_compounds: frozenset[str]

    #: the rules of each scope, grouped once: steps ask for them on every line
    _by_scope: dict[str, tuple[BoilerplateRule, ...]] = field(init=False, repr=False, compare=False)
    #: per scope, all its patterns as one alternation (None: cannot be joined)
    _joined: dict[str, re.Pattern[str] | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_scope = {s: tuple(r for r in self.boilerplate if r.scope == s) for s in SCOPES}
        object.__setattr__(self, "_by_scope", by_scope)
        object.__setattr__(self, "_joined", {s: _join(rules) for s, rules in by_scope.items()})

    def rules_for(self, scope: str) -> tuple[BoilerplateRule, ...]:
        return self._by_scope[scope]

    def may_match(self, scope: str, text: str) -> bool:
        """False when no rule of ``scope`` can match ``text`` (``fullmatch`` for
        line and end rules, ``search`` for short ones): one regex pass instead
        of one per rule, for the many lines that are article text."""
        joined = self._joined[scope]
        if joined is None:
            return bool(self._by_scope[scope])
        return (joined.search(text) if scope == "short" else joined.fullmatch(text)) is not None


# A backreference or a named group would change meaning (or clash) once the
# patterns are numbered together in one alternation.
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P[<=]|\\g<")


def _join(rules: tuple[BoilerplateRule, ...]) -> re.Pattern[str] | None:
    """The rules' patterns as one alternation, which matches exactly when one
    of them does; None when that cannot be promised."""
    if not rules or any(_GROUP_REFERENCE.search(r.pattern.pattern) for r in rules):
        return None
    if any(r.pattern.flags != rules[0].pattern.flags for r in rules):
        return None
    try:
        return re.compile("|".join(f"(?:{r.pattern.pattern})" for r in rules), rules[0].pattern.flags)
    except re.error:  # e.g. a global inline flag inside one pattern
        return None


def _data_lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines of a data file, without comments and blank lines."""
    return [
        (number, line.rstrip("\n"))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _shipped(name: str) -> str:
    return resources.files("seedclean.data").joinpath(name).read_text(encoding="utf-8")


def parse_boilerplate_rules(text: str, source: str) -> list[BoilerplateRule]:
    """Parse a boilerplate TSV file; a bad line is a :class:`UserError`
    naming the file and line."""
    rules = []
    for number, line in _data_lines(text):
        where = f"{source}:{number}"
        columns = line.split("\t")
        if len(columns) < 3:
            raise UserError(
                f"{where}: a rule needs at least 3 tab-separated columns (scope, pattern, reason), found {len(columns)}"
            )
        scope, pattern, reason = columns[0].strip(), columns[1], columns[2].strip()
        if scope not in SCOPES:
            raise UserError(f"{where}: unknown scope {scope!r}; use one of {', '.join(SCOPES)}")
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise UserError(f"{where}: the pattern {pattern!r} is not a valid regular expression: {exc}") from None
        if compiled.fullmatch(""):
            raise UserError(f"{where}: the pattern {pattern!r} matches an empty line; it would match everywhere")
        rules.append(BoilerplateRule(scope, compiled, reason or "boilerplate", where))
    return rules


def load_rules(config: Config | None = None) -> Rules:
    """The shipped rules plus the user's extra rule files named in ``config``."""
    config = config or Config()
    return replace(_load_rules(config.boilerplate.extra_rules), config=config)


@lru_cache(maxsize=8)
def _load_rules(extra_rules: tuple[str, ...]) -> Rules:
    boilerplate = parse_boilerplate_rules(_shipped("boilerplate.tsv"), "seedclean/data/boilerplate.tsv")
    for extra in extra_rules:
        path = Path(extra)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(
                f"rule file {path} cannot be read ({exc.strerror}); check the path in your config"
            ) from None
        boilerplate += parse_boilerplate_rules(text, str(path))
    return Rules(
        config=Config(),
        boilerplate=tuple(boilerplate),
        agencies=tuple(line.strip() for _, line in _data_lines(_shipped("agencies.txt"))),
        hyphen_prefixes=frozenset(line.strip().lower() for _, line in _data_lines(_shipped("hyphen_prefixes.txt"))),
        protected_compounds=frozenset(
            line.strip().lower() for _, line in _data_lines(_shipped("protected_compounds.txt"))
        ),
    )
