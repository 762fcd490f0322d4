"""Loading the rule data files shipped in ``seedclean/data`` (and the user's).

Rules are data, not code: boilerplate patterns, agency names and protected
words live in plain text files a user can read and extend. They are loaded
once per process and shared by every document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import re2

from seedclean.config import Config
from seedclean.errors import UserError
from seedclean.lazy import Deferred, LazyRE2
from seedclean.normalize import native
from seedclean.proven import fact_key, is_proven, remember

SCOPES = ("line", "short", "end")


class Pattern(Protocol):
    """What the steps use of a compiled boilerplate pattern."""

    def fullmatch(self, text: str) -> Any: ...
    def search(self, text: str) -> Any: ...


@dataclass(frozen=True)
class BoilerplateRule:
    scope: str
    pattern: Pattern
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

    #: each scope's shared prefilter, if its rules have one
    _groups: dict[str, _Group | None] = field(init=False, repr=False, compare=False)

    #: per scope: are all its rules RE2 patterns with the fast low-level calls
    _linear: dict[str, bool] = field(init=False, repr=False, compare=False)
    #: each scope's line finder, built on first use (see lines_matching)
    _finders: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_finders", {})
        object.__setattr__(self, "_by_scope", {s: tuple(r for r in self.boilerplate if r.scope == s) for s in SCOPES})
        object.__setattr__(self, "_groups", {s: _shared_group(rules) for s, rules in self._by_scope.items()})
        object.__setattr__(
            self,
            "_linear",
            {s: _FAST and all(type(rule.pattern) is _Linear for rule in rules) for s, rules in self._by_scope.items()},
        )

    def rules_for(self, scope: str) -> tuple[BoilerplateRule, ...]:
        return self._by_scope[scope]

    def lines_matching(self, scope: str, lines: Sequence[Any]) -> list[bool] | None:
        """For each of ``lines`` (``Line``s): may a rule of ``scope`` match
        its stripped text (all of it for ``line`` and ``end``, anywhere in it
        for ``short``)? False means :meth:`first_match` gives None. All lines
        in one search (see :func:`line_finder`); None when the scope's rules
        cannot be asked so."""
        finder = self._finders.get(scope, _UNBUILT)
        if finder is _UNBUILT:
            finder = self._finders[scope] = self._line_finder(scope)
        if finder is None:
            return None
        data = native.utf8_lines(lines)
        return None if data is None else finder.in_lines(data, len(lines))

    def _line_finder(self, scope: str) -> LineFinder | None:
        rules = self._by_scope[scope]
        whole = scope != "short"
        group = self._groups[scope]
        if whole and group is not None:
            return group.whole_lines()  # compiled once for both
        if not rules or not _FAST or not all(isinstance(rule.pattern, _Linear) for rule in rules):
            return None
        return line_finder([widen(to_re2(rule.pattern.pattern)) for rule in rules], whole)

    def may_match_whole(self, scope: str, texts: list[str]) -> list[bool]:
        """For each of ``texts``: may a rule of ``scope`` match all of it?
        False means :meth:`first_match` (``whole=True``) gives None; True
        that it has to be asked. One prefilter call a text, and no more."""
        group = self._groups[scope]
        if group is None:
            return [self.first_match(scope, text, whole=True) is not None for text in texts]
        find = group.whole_lines()
        if find is not None and texts:
            hits = find(texts)
            if hits is not None:
                return hits
        return [group.hit(_BOTH, text) for text in texts]

    def first_match(self, scope: str, text: str, whole: bool, prefiltered: bool = False) -> BoilerplateRule | None:
        """The first rule of ``scope`` matching ``text`` (all of it when
        ``whole``, else anywhere), or None. Almost every line matches no
        rule: the scope's shared prefilter says so in one call.
        ``prefiltered``: the caller has that call's answer already, a hit
        (``may_match_whole``), so it is not asked again."""
        rules = self._by_scope[scope]
        if not rules:
            return None
        group = self._groups[scope]
        linear = self._linear[scope]
        anchor = (_BOTH if whole else _UNANCHORED) if group is not None or linear else None
        places = None
        if group is not None:
            if not prefiltered and not group.hit(anchor, text):
                return None
            # a hit (a few lines in a hundred): which rules may match, in one call
            places = group.matching(whole, text)
            if places is not None:
                rules = tuple(rules[i] for i in places)
        if linear:  # whether each matches, without a match object
            size = len(_utf8(text))
            for rule in rules:
                pattern: _Linear = rule.pattern  # type: ignore[assignment]
                if (places is not None and size <= pattern._exact_up_to) or _ask(pattern._raw, anchor, text):
                    return rule
            return None
        for rule in rules:
            if (rule.pattern.fullmatch(text) if whole else rule.pattern.search(text)) is not None:
                return rule
        return None


_UNBUILT = object()


def _pieces(pattern: str) -> Iterator[tuple[int, str, bool]]:
    """The pieces of a pattern with their offsets, and whether each stands
    inside a character class: an escape (two characters), a class's opening
    (``[``, ``[^``, with a leading literal ``]``), or one character."""
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            yield i, pattern[i : i + 2], in_class
            i += 2
            continue
        if not in_class and char == "[":
            start = i
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":  # a "]" first in a class is a literal
                i += 1
            yield start, pattern[start:i], False
            in_class = True
            continue
        if in_class and char == "]":
            in_class = False
        yield i, char, in_class
        i += 1


def _has_anchor(pattern: str) -> bool:
    """Does an RE2 pattern anchor to the start or end of the text (``^``,
    ``$``, ``\\A``, ``\\z``) outside a character class?"""
    return any(not in_class and piece in _ANCHORS for _, piece, in_class in _pieces(pattern))


_ANCHORS = frozenset({"^", "$", "\\A", "\\z", "\\Z"})


def line_finder(patterns: list[str], whole: bool = True) -> LineFinder | None:
    r"""A :class:`LineFinder` telling, for each of a list of lines, whether
    one of the RE2 ``patterns`` (case-insensitive) matches all of it
    (``whole``), or a part of it; None if it cannot be built (then ask
    each line alone: ANCHOR_BOTH, or UNANCHORED).

    Why: a call into RE2 costs about 0.7 us whatever it does, and a line
    rule was asked once on every line of every text: most of its time.
    The lines are joined with line breaks into one buffer and searched
    from the start for the first line matching from its start (``^``) to
    its end (``$``), or holding a match (``^[^\n]*?``); the search goes on
    from the line after each hit's, so a text has one call plus one a hit.
    The same answers as asking each line:

    * ``never_nl`` keeps a match from taking in a line break (RE2 drops
      ``\n`` from every class, ``.`` and literal), so a match of the
      patterns is in one line, never in two. Only ``\C`` (any byte)
      ignores it: the leading skip uses it to step over a line break
      (``[^\n]*\C``, landing on a line start by ``^``); a pattern of
      ours holding it is refused here.
    * on a line that holds no line break ``never_nl`` changes nothing;
      ``\b`` sees a line break or the buffer's end beside each line where
      the line alone has nothing, both non-word; ``^`` and ``$`` of the
      patterns would see more: patterns holding an anchor are refused.
    * the search is anchored at its start and runs forward only: an
      unanchored search would run RE2's reverse automaton to find where
      each match starts, whose states cost about 0.2 s to build per
      process over distinct pages.
    """
    if not _FAST or any(_has_anchor(pattern) or _takes_any_byte(pattern) for pattern in patterns):
        return None
    options = _re2_options()
    options.never_nl = True
    alternation = "|".join(f"(?:{pattern})" for pattern in patterns)
    line = f"^(?:{alternation})$" if whole else f"^[^\\n]*?(?:{alternation})"
    try:
        raw = re2.compile(f"(?m)(?:[^\\n]*\\C)*?{line}", options)._regexp
    except re2.error:  # too large for RE2's memory budget
        return None
    return LineFinder(raw)


class LineFinder:
    """See :func:`line_finder`."""

    __slots__ = ("_match",)

    def __init__(self, raw: Any) -> None:
        self._match = raw.Match

    def __call__(self, texts: list[str]) -> list[bool] | None:
        """The answer for each of ``texts``; None when one holds a line break."""
        data = "\n".join(texts).encode("utf-8")
        if data.count(b"\n") != max(len(texts) - 1, 0):
            return None
        return self.in_lines(data, len(texts))

    def in_lines(self, data: bytes, count: int) -> list[bool]:
        """The answer for each of the ``count`` lines that ``data`` (UTF-8)
        holds, joined by line breaks."""
        hits = [False] * count
        match, size = self._match, len(data)
        pos = line = 0  # where the search goes on, and that line's index
        while count and pos <= size:
            end = match(_START, data, pos, size)[0][1]
            if end < 0:
                break
            line += data.count(b"\n", pos, end)  # the line the match ends (and starts) in
            hits[line] = True
            after = data.find(b"\n", end)  # a whole line's match ends at its line break
            if after < 0:
                break
            pos, line = after + 1, line + 1
        return hits


def _takes_any_byte(pattern: str) -> bool:
    r"""Does an RE2 pattern hold ``\C`` (any byte, a line break too)?"""
    return any(piece == "\\C" for _, piece, in_class in _pieces(pattern) if not in_class)


def _data_lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines of a data file, without comments and blank lines."""
    return [
        (number, line.rstrip("\n"))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _shipped(name: str) -> str:
    return resources.files("seedclean.data").joinpath(name).read_text(encoding="utf-8")


# Python's \w, \d and \s are Unicode-aware, RE2's are ASCII: spell them out
# so a rule matches "Café" under RE2 as it does under Python's re.
_WORD = r"\pL\pN_"
_SPACE = r"\t\n\x0b\f\r\x1c-\x1f \x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_CLASSES = {"w": _WORD, "d": r"\p{Nd}", "s": _SPACE}


def to_re2(pattern: str) -> str:
    """Rewrite a Python pattern into RE2 syntax with the same meaning.

    Raises ``ValueError`` for what cannot be rewritten (a negated class
    escape such as ``\\W`` inside ``[...]``). ``\\b`` stays, with RE2's
    ASCII meaning of a word boundary.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            code = pattern[i + 1]
            i += 2
            if code.lower() in _CLASSES:
                members = _CLASSES[code.lower()]
                if code.islower():
                    out.append(members if in_class else f"[{members}]")
                elif code == "D":
                    out.append(r"\P{Nd}")
                elif in_class:
                    raise ValueError(f"\\{code} inside [...] (write the class out, e.g. [^...])")
                else:
                    out.append(f"[^{members}]")
            elif code == "Z":
                out.append(r"\z")  # Python's end of text is RE2's \z
            else:
                out.append(char + code)
            continue
        if not in_class and char == "[":
            in_class = True
            out.append(char)
            i += 1
            # a "]" first in a class (after an optional "^") is a literal
            if i < len(pattern) and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < len(pattern) and pattern[i] == "]":
                out.append(r"\]")
                i += 1
            continue
        if in_class and char == "]":
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # the error is reported to the user, once
    options.never_capture = True  # rules ask whether a line matches, not for groups
    options.max_mem = 64 << 20  # case-folded Unicode classes make large automata
    return options


class _Group:
    """All rules of one scope as one RE2 alternation, asked once per line.

    Calling RE2 from Python costs about a microsecond whatever the pattern;
    a folder run tries every line against every rule, and almost every line
    matches none. So the first rule asked about a line asks the alternation
    of its scope for all of them, and the others reuse that answer. On a
    hit an RE2 set of the members' patterns says which match (:meth:`matching`),
    which is each rule's own answer on a line within its bounds
    (:func:`exact_up_to`): only past them is a rule compiled and asked.
    """

    __slots__ = ("_last", "_lines", "_matched", "_patterns", "_raw", "_sets", "members")

    def __init__(self, raw: Any, members: list[_Linear], patterns: list[str], lines: Any = _UNBUILT) -> None:
        self._raw = raw  # the alternation's matcher (maybe compiled on first use)
        self.members = tuple(members)
        self._patterns = patterns  # the members' patterns as joined, in order
        # per anchor (0 whole line, 1 search): the last text and the answer;
        # a list, not a dict keyed by the anchor, whose hash is slow
        self._last: list[tuple[str | None, bool]] = [(None, False), (None, False)]
        self._sets: list[Any] = [None, None]  # per anchor, built on first use
        self._matched: list[tuple[str | None, tuple[int, ...] | None]] = [(None, None), (None, None)]
        self._lines: Any = lines  # see whole_lines

    def whole_lines(self) -> LineFinder | None:
        """:func:`line_finder` for this group's patterns, built on first use."""
        if self._lines is _UNBUILT:
            self._lines = line_finder(self._patterns)
        return self._lines

    def matching(self, whole: bool, text: str) -> tuple[int, ...] | None:
        """The places of the members whose joined pattern matches ``text``
        (all of it when ``whole``), in order: a superset of those whose own
        pattern does. An RE2 set answers for all at once; None when it
        cannot (out of memory: it reports nothing), and when none matches
        (a hit of the prefilter says one does). The last text's answer is
        kept: the extract stage asks the rules one after another."""
        slot = 0 if whole else 1
        last_text, places = self._matched[slot]
        if last_text is text:
            return places
        members = self._sets[slot]
        if members is None:
            members = re2._re2.Set(_BOTH if whole else _UNANCHORED, _re2_options())
            added = [members.Add(pattern.encode("utf-8")) for pattern in self._patterns]
            if -1 in added or not members.Compile():  # pragma: no cover - too large: ask each rule
                members = False
            self._sets[slot] = members
        found = members.Match(_utf8(text)) if members else None
        places = tuple(sorted(found)) if found else None
        self._matched[slot] = (text, places)
        return places

    def hit(self, anchor: Any, text: str) -> bool:
        slot = 0 if anchor is _BOTH else 1
        last_text, last_hit = self._last[slot]
        if last_text is text:
            return last_hit
        found = None
        if anchor is _BOTH and (find := self.whole_lines()) is not None:
            found = find([text])  # None for a text with a line break
        if found is not None:
            hit = found[0]
        else:
            try:
                hit = _ask(self._raw, anchor, text)
            except re2.error:  # pragma: no cover - compiled on first use, and too large: ask each rule
                hit = True
        self._last[slot] = (text, hit)
        return hit


class _Linear:
    """An RE2 pattern with a fast path for the common answer, "no match"
    (see :class:`_Group`); a match object is built only for a hit."""

    __slots__ = ("_compiled", "_exact_up_to", "_group", "_place", "_raw", "pattern")

    def __init__(self, compiled: Any, pattern: str) -> None:
        self.pattern = pattern  # as the user wrote it, like re.Pattern.pattern
        self._compiled = compiled
        self._raw = compiled._regexp
        self._group: _Group | None = None
        self._place = 0  # its place among its group's members
        #: its group's pattern for it matches exactly as it does on a text
        #: of at most this many UTF-8 bytes (see exact_up_to)
        self._exact_up_to = 0

    def _hit(self, anchor: Any, text: str) -> bool:
        group = self._group
        if group is not None:
            if not group.hit(anchor, text):
                return False
            # the group's set says whether its pattern for this one matches:
            # if not, this one does not; if so, on a short text this one does
            # too, and is not compiled to say so
            places = group.matching(anchor is _BOTH, text)
            if places is not None:
                if self._place not in places:
                    return False
                if len(_utf8(text)) <= self._exact_up_to:
                    return True
        return _ask(self._raw, anchor, text)

    def fullmatch(self, text: str) -> Any:
        return self._compiled.fullmatch(text) if self._hit(_BOTH, text) else None

    def search(self, text: str) -> Any:
        return self._compiled.search(text) if self._hit(_UNANCHORED, text) else None


# the last text asked about and its UTF-8 bytes: the rules are tried one
# after another on the same line
_encoded: list[Any] = [None, b""]


def _utf8(text: str) -> bytes:
    if _encoded[0] is not text:
        _encoded[:] = [text, text.encode("utf-8")]
    return _encoded[1]


def _ask(raw: Any, anchor: Any, text: str) -> bool:
    data = _utf8(text)
    return raw.Match(anchor, data, 0, len(data))[0] != (-1, -1)


try:  # the low-level calls the fast path needs; without them re2's own API is used
    _BOTH, _UNANCHORED, _START = re2._Anchor.ANCHOR_BOTH, re2._Anchor.UNANCHORED, re2._Anchor.ANCHOR_START
    _FAST = hasattr(re2.compile("a"), "_regexp")
except AttributeError:  # pragma: no cover - another re2 build
    _FAST = False


_BOUNDED = re.compile(r"\{(\d+),(\d+)\}")


def _bounded_repeats(pattern: str) -> Iterator[re.Match[str]]:
    """The bounded repeats ``{m,n}`` of an RE2 pattern (outside classes)."""
    for i, piece, in_class in _pieces(pattern):
        if not in_class and piece == "{" and (m := _BOUNDED.match(pattern, i)) is not None:
            yield m


def widen(pattern: str) -> str:
    """An RE2 pattern matching everything ``pattern`` matches, and more: each
    bounded repeat ``{m,n}`` made unbounded ``{m,}``.

    A prefilter of many rules needs only to say "none of them" right. Bounded
    repeats (``.{0,300}``, ``[\\w .]{1,40}``) joined in one alternation make
    RE2's automaton too large for its cache, and it falls back to a matcher
    ten times slower; unbounded ones keep it small.
    """
    out: list[str] = []
    at = 0
    for m in _bounded_repeats(pattern):
        out += (pattern[at : m.start()], f"{{{m.group(1)},}}")
        at = m.end()
    out.append(pattern[at:])
    return "".join(out)


def exact_up_to(pattern: str) -> float:
    """The length (in UTF-8 bytes) up to which ``widen(pattern)`` matches a
    text, or a part of it, exactly when ``pattern`` does: its smallest bound.

    A match of the widened pattern repeats an item ``k`` times where the
    pattern allows ``m`` to ``n``. At most as many repeats as the match has
    bytes take a byte, so when ``k > n`` and the match is no longer than
    ``n``, some repeats match nothing: dropped down to ``m`` or the number
    of the others, both at most ``n``, they leave the same text matched.
    """
    return min((int(m.group(2)) for m in _bounded_repeats(pattern)), default=math.inf)


def _share_prefilters(rules: list[BoilerplateRule]) -> None:
    """Give the rules of each scope one :class:`_Group`."""
    for scope in SCOPES:
        members = [rule.pattern for rule in rules if rule.scope == scope and isinstance(rule.pattern, _Linear)]
        if len(members) < 2:
            continue
        group = None
        exact = [to_re2(member.pattern) for member in members]
        for shape in (widen, str):  # the exact patterns if the widened ones do not compile
            patterns = [shape(pattern) for pattern in exact]
            alternation = "|".join(f"(?:{pattern})" for pattern in patterns)
            # With a finder, the questions of a run (the whole line) are its:
            # the alternation is compiled only if a rule is searched for
            # (22 ms for the line rules, now one compile instead of two).
            find = line_finder(patterns)
            try:
                raw = Deferred(partial(_compiled_raw, alternation)) if find is not None else _compiled_raw(alternation)
                group = _Group(raw, members, patterns, find)
            except re2.error:  # too large for RE2's memory budget: ask each rule
                continue
            for place, (member, pattern) in enumerate(zip(members, exact, strict=True)):
                member._place = place
                member._exact_up_to = exact_up_to(pattern) if shape is widen else math.inf
            break
        for member in members:
            member._group = group


def _compiled_raw(source: str) -> Any:
    return re2.compile(source, _re2_options())._regexp


def _shared_group(rules: tuple[BoilerplateRule, ...]) -> _Group | None:
    """The prefilter all of ``rules`` share, if they do."""
    if not rules:
        return None
    first = rules[0].pattern
    group = first._group if isinstance(first, _Linear) else None
    # exactly its members, in order: its answers name rules by their place
    if group is None or group.members != tuple(rule.pattern for rule in rules):
        return None
    return group


def compile_pattern(pattern: str, where: str, checked: bool = False) -> Pattern:
    """Compile a user's boilerplate pattern for RE2, whose matching time is
    linear in the line's length: no pattern can hang a run, whatever it is.
    A bad pattern is a :class:`UserError` naming ``where`` (file:line).
    ``checked``: an earlier run found the pattern sound (see
    :func:`parse_boilerplate_rules`); it is compiled on first use."""
    if checked and _FAST:
        return _Linear(LazyRE2(to_re2(pattern), _re2_options()), pattern)
    try:
        re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise UserError(f"{where}: the pattern {pattern!r} is not a valid regular expression: {exc}") from None
    try:
        compiled = re2.compile(to_re2(pattern), _re2_options())
    except (ValueError, re2.error) as exc:
        reason = exc.args[0].decode("utf-8", "replace") if isinstance(exc.args[0], bytes) else str(exc.args[0])
        raise UserError(
            f"{where}: the pattern {pattern!r} uses what the linear-time matcher cannot do ({reason}); "
            "look-arounds and back-references are not supported, rewrite the pattern without them"
        ) from None
    return _Linear(compiled, pattern) if _FAST else compiled


def parse_boilerplate_rules(text: str, source: str) -> list[BoilerplateRule]:
    """Parse a boilerplate TSV file; a bad line is a :class:`UserError`
    naming the file and line.

    Checking every pattern means compiling it, which costs more than most
    small runs' work; a file found sound is remembered (keyed by its text,
    this module's code and the Python and RE2 builds), and then its
    patterns are compiled when first asked: most never are, their scope's
    shared prefilter answering for them."""
    key = fact_key("boilerplate-rules", texts=(text,), code_files=(__file__,), builds=(re2._re2.__file__,))
    checked = is_proven(key)
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
        compiled = compile_pattern(pattern, where, checked)
        if not checked and compiled.fullmatch(""):
            raise UserError(f"{where}: the pattern {pattern!r} matches an empty line; it would match everywhere")
        rules.append(BoilerplateRule(scope, compiled, reason or "boilerplate", where))
    if not checked:
        remember(key)
    return rules


#: the last configs asked for, with their rules (newest first). A Rules keeps
#: what it compiles and the steps keep their caches per Rules object, so a
#: notebook calling ``clean_text`` in a loop must get the same one back: a
#: new Rules per call made each call about four times as slow. (A Config
#: holds a dict, so it is compared, not hashed.)
_recent_rules: list[tuple[Config, Rules]] = []
_RECENT_RULES_MAX = 8


def load_rules(config: Config | None = None) -> Rules:
    """The shipped rules plus the user's extra rule files named in ``config``
    (the same object again for an equal config)."""
    config = config or Config()
    for known, rules in _recent_rules:
        if known == config:
            return rules
    rules = replace(_load_rules(config.boilerplate.extra_rules), config=config)
    _recent_rules.insert(0, (config, rules))
    del _recent_rules[_RECENT_RULES_MAX:]
    return rules


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
    _share_prefilters(boilerplate)
    return Rules(
        config=Config(),
        boilerplate=tuple(boilerplate),
        agencies=tuple(line.strip() for _, line in _data_lines(_shipped("agencies.txt"))),
        hyphen_prefixes=frozenset(line.strip().lower() for _, line in _data_lines(_shipped("hyphen_prefixes.txt"))),
        protected_compounds=frozenset(
            line.strip().lower() for _, line in _data_lines(_shipped("protected_compounds.txt"))
        ),
    )
