"""Modules imported on first use, so `seedclean --help` does not pay for
ftfy's and wordfreq's imports (a third of a second between them); and RE2
patterns compiled on first use, so a run pays only for the rules it asks."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any


def lazy_import(name: str) -> ModuleType:
    """``name``, whose code runs when one of its attributes is first used."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


class LazyRE2:
    """An RE2 pattern compiled on first use, for patterns a run may never
    ask (most boilerplate rules: their scope's prefilter answers for them).

    Stands in for ``re2.compile(source, options)``: every attribute is the
    compiled pattern's, and ``_regexp`` (the low-level matcher the rules
    keep a reference to when built) is itself deferred. Only for a pattern
    known to compile (a compile error would surface at its first use).
    """

    def __init__(self, source: str, options: Any) -> None:
        self._source = source
        self._options = options
        self._pattern: Any = None
        self._regexp = Deferred(lambda: self.compiled()._regexp)

    def compiled(self) -> Any:
        if self._pattern is None:
            import re2

            self._pattern = re2.compile(self._source, self._options)
        return self._pattern

    def __getattr__(self, name: str) -> Any:  # only for what __init__ did not set
        if name.startswith("_"):  # copy and pickle probe for these: no compiling, no recursion
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        setattr(self, name, value)  # read directly from now on
        return value


class Deferred:
    """An object built on first use of one of its attributes; each attribute
    is copied onto this one when first read, so later reads cost nothing extra."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_build":
            raise AttributeError(name)
        value = getattr(self._build(), name)
        setattr(self, name, value)
        return value
