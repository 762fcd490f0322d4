"""Artifacts left in the cleaned text, measured on the output.

Each count should be 0 after a full run; a positive count means a step was
switched off, did not converge, or a rule stopped matching. The validate
stage turns them into checks (no mojibake, no split words, no boilerplate).
The boilerplate count holds every line against the shipped rules wherever it
stands, stricter than the step itself (which also weighs the tail's share),
so chrome left mid-article is counted too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import re2
from ftfy.badness import BADNESS_RE

from seedclean.extract import casing, kernels
from seedclean.normalize.dehyphenate import decide, split_spans
from seedclean.normalize.lines import split_lines
from seedclean.normalize.rules import BoilerplateRule, Rules, to_re2, widen

SHORT_LINE_WORDS = 12  # the boilerplate step's limit for `short`-scope rules
_WORD = re.compile(r"\w+")


def hyphen_splits(text: str, rules: Rules) -> tuple[int, int]:
    """(words the lexicon would still join, hyphens it cannot decide)."""
    joins = unsure = 0
    if "-" not in text and "\u2010" not in text:
        return 0, 0
    # the normalizer's search for split words (compiled when built) and its
    # decisions, which it keeps per pair: most pairs here were decided while
    # normalizing the same text
    for start, hyphen, after, end in split_spans(text):
        verdict = decide(text[start:hyphen], text[after:end], rules)[0]
        joins += verdict == "join"
        unsure += verdict == "unsure"
    return joins, unsure


def _matcher(rules: tuple[BoilerplateRule, ...], how: str) -> Callable[[str], bool]:
    """Whether any of ``rules`` matches a line (``how``: fullmatch or search).

    Each rule is asked on its own: its scope's shared prefilter (compiled
    with the rules) answers "none of them" in one RE2 call, and only a line
    it lets through asks the rules themselves. (A second alternation of all
    the rules' exact patterns, compiled here, cost a quarter of a second a
    process, as much as all the rules together: their bounded repeats grow
    RE2's program with the alternation's size. This check only ever sees
    the few lines the whole-text candidate scan finds.)"""
    asks = [getattr(rule.pattern, how) for rule in rules]
    return lambda text: any(ask(text) is not None for ask in asks)


def _scan(pattern: str) -> list[tuple[str, str]]:
    """``pattern`` in pieces, each ``(kind, text)``: "escape" (a backslash
    and what it escapes), "class" (a whole [...]), "count" (a {m,n}
    quantifier) or "char"."""
    pieces: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            end = i + 2
            if pattern[i + 1 : i + 3] == "N{":  # a named character: \N{EM DASH}
                end = pattern.index("}", i) + 1
            pieces.append(("escape", pattern[i:end]))
            i = end
            continue
        if char == "[":
            j = i + 1
            j += pattern[j : j + 1] == "^"  # "^" and "]" first in a class are part of it
            j += pattern[j : j + 1] == "]"
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            pieces.append(("class", pattern[i : j + 1]))
            i = j + 1
            continue
        count = _COUNT.match(pattern, i) if char == "{" else None
        if count:
            pieces.append(("count", count.group()))
            i = count.end()
            continue
        pieces.append(("char", char))
        i += 1
    return pieces


# {m}, {m,}, {m,n} and {,n}; "{}" or "{,}" are literal text
_COUNT = re.compile(r"\{(?=,?\d)(\d*)(?:,\d*)?\}")


def _anchors_lines(pattern: str) -> bool:
    """Whether ``pattern`` uses ^ $ \\A \\z or \\Z: those mean something else
    on a stripped line than inside the whole text (\\b does not: a line's
    ends border a space, a line break or nothing)."""
    return any(
        (kind == "char" and text in "^$") or (kind == "escape" and text in ("\\A", "\\z", "\\Z"))
        for kind, text in _scan(pattern)
    )


# a superset of what rules.to_re2 makes of \w (RE2's \pL\pN_): the ASCII
# word characters and every non-ASCII one, written as characters (both
# syntaxes read them). Unicode's letters folded for case made most of the
# candidate pattern's automaton: 17 ms to compile it a process, and its DFA
# states twice as slow to build; the scan only has to over-estimate (a line
# it finds is asked exactly), and almost every line it reads is ASCII.
_ASCII_WORD = "0-9A-Za-z_"
_WORD_SUPERSET = _ASCII_WORD + "\x80-\U0010ffff"
_ESCAPE = re.compile(r"\\(?:N\{[^}]*\}|.)", re.DOTALL)


def _loosened(pattern: str) -> str:
    """``pattern`` matching all it matches and more: each \\w (and \\W, and
    \\w in a class) widened to take any non-ASCII character as a word
    character or not, whichever matches more."""
    out = []
    for kind, text in _scan(pattern):
        if kind == "escape" and text in ("\\w", "\\W"):
            text = f"[{_WORD_SUPERSET}]" if text == "\\w" else f"[^{_ASCII_WORD}]"
        elif kind == "class":
            text = _ESCAPE.sub(_class_word(text.startswith("[^")), text)
        out.append(text)
    return "".join(out)


def _class_word(negated: bool) -> Callable[[re.Match[str]], str]:
    """What an escape in a class becomes: \\w the wider set, or in a negated
    class the narrower (fewer characters left out is more matched)."""
    word = _ASCII_WORD if negated else _WORD_SUPERSET
    return lambda escape: word if escape.group() == "\\w" else escape.group()


@lru_cache(maxsize=8)
def _candidates(whole: tuple[str, ...], short: tuple[str, ...]) -> Any:
    """One RE2 pattern over the whole text that matches in every line a rule
    could match (and in a few more): a line whose stripped text ``whole``
    could match entirely, or in which ``short`` could match somewhere.
    ``never_nl`` keeps every match inside one line, so a match cannot hide
    the next line's. None when the rules cannot be joined this way."""
    if any(map(_anchors_lines, whole + short)):
        return None
    space = to_re2(r"\s*")
    parts = []
    try:
        if whole:
            alternation = "|".join(f"(?:{widen(to_re2(_loosened(p)))})" for p in whole)
            parts.append(f"^{space}(?:{alternation}){space}$")
        parts += [f"(?:{widen(to_re2(_loosened(p)))})" for p in short]
        options = re2.Options()
        options.case_sensitive = False
        options.never_capture = True
        options.never_nl = True
        options.log_errors = False
        options.max_mem = 64 << 20
        return re2.compile("(?m)" + "|".join(parts), options)
    except (ValueError, re2.error):
        return None


def _line_matches(whole: Callable[[str], bool], short: Callable[[str], bool], text: str, words: int) -> bool:
    stripped = text.strip()
    return whole(stripped) or (words <= SHORT_LINE_WORDS and short(stripped))


# the last Rules asked about and its checks: building them gathers the
# rules' patterns and methods again, which took half of a cleaned article's
# check (Rules is frozen: the same object, the same checks)
_last_checks: list = [None, None]


def _checks(rules: Rules) -> tuple[Callable[[str], bool], Callable[[str], bool], Any]:
    """(whole-line matcher, short-line matcher, candidate scan) of ``rules``."""
    last = _last_checks  # one read: another thread may replace the pair
    if last[0] is not rules:
        whole_rules = rules.rules_for("line") + rules.rules_for("end")
        short_rules = rules.rules_for("short")
        candidates = _candidates(
            tuple(rule.pattern.pattern for rule in whole_rules), tuple(rule.pattern.pattern for rule in short_rules)
        )
        last = [rules, (_matcher(whole_rules, "fullmatch"), _matcher(short_rules, "search"), candidates)]
        _last_checks[:] = last
    return last[1]


def boilerplate_lines(text: str, rules: Rules) -> int:
    """Lines that a shipped boilerplate rule matches, wherever they stand."""
    whole, short, candidates = _checks(rules)
    if candidates is None:
        return sum(_line_matches(whole, short, line.text, line.words) for line in split_lines(text))
    # almost no line of a cleaned article matches: one pass over the text
    # finds the few candidates, which are then asked exactly as before. The
    # pass reads the UTF-8 bytes (RE2's wrapper otherwise maps its offsets
    # back to str indexes); a line break is one byte in UTF-8, so the lines
    # cut from the bytes are the same.
    data = text.encode("utf-8", "surrogatepass")
    count = 0
    last_start = -1
    for m in candidates.finditer(data):
        start = data.rfind(b"\n", 0, m.start()) + 1
        if start == last_start:  # another match in a line already asked
            continue
        last_start = start
        end = data.find(b"\n", m.end())
        line = data[start : end if end >= 0 else len(data)].decode("utf-8", "surrogatepass")
        count += _line_matches(whole, short, line, len(_WORD.findall(line)))
    return count


_ASCII_CHARS = frozenset(map(chr, range(128)))


def _category(name: str, char: str) -> bool:
    """sre's \\w \\s \\d (and their negations) for str patterns."""
    positive = {
        "CATEGORY_WORD": char.isalnum() or char == "_",
        "CATEGORY_SPACE": char.isspace(),
        "CATEGORY_DIGIT": char.isdecimal(),
    }
    if name in positive:
        return positive[name]
    if name.startswith("CATEGORY_NOT_") and "CATEGORY_" + name[len("CATEGORY_NOT_") :] in positive:
        return not positive["CATEGORY_" + name[len("CATEGORY_NOT_") :]]
    raise ValueError(f"unknown category {name}")


def _class_test(items: list) -> Callable[[str], bool]:
    """A parsed character class as a test of one character."""
    negate = False
    literals: set[str] = set()
    ranges: list[tuple[int, int]] = []
    categories: list[str] = []
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            literals.add(chr(av))
        elif name == "RANGE":
            ranges.append(av)
        elif name == "CATEGORY":
            _category(str(av), "a")  # an unknown category fails here, once
            categories.append(str(av))
        else:
            raise ValueError(f"unknown class item {name}")

    def test(char: str) -> bool:
        hit = (
            char in literals
            or any(low <= ord(char) <= high for low, high in ranges)
            or any(_category(name, char) for name in categories)
        )
        return hit != negate

    return test


def _char_item(op: str, av: Any) -> Callable[[str], bool]:
    if op == "LITERAL":
        return lambda c: c == chr(av)
    if op == "NOT_LITERAL":
        return lambda c: c != chr(av)
    if op == "ANY":
        return lambda c: c != "\n"
    return _class_test(av)


def _passes_some_ascii(name: str, av: Any, test: Callable[[str], bool]) -> bool:
    """Whether some ASCII character passes ``test``, the parsed item
    (``name``, ``av``)'s. A class of literals and ranges is read off them:
    most of the badness regex's ~70 classes are, and trying each on all
    128 characters was most of the 6 ms reading the regex took a process."""
    if name == "IN" and all(str(op) in ("LITERAL", "RANGE") for op, _value in av):
        return any((value if str(op) == "LITERAL" else value[0]) < 128 for op, value in av)
    return any(map(test, _ASCII_CHARS))


def _requirements(items: list, tests: list[Callable[[str], bool]]) -> Any:
    """A parsed pattern as what a match needs: ("all", [...]), ("any", [...])
    or ("char", i) for one character that only a non-ASCII one passing
    ``tests[i]`` gives (a character some ASCII one gives is no requirement)."""
    needs = []
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            test = _char_item(name, av)
            if not _passes_some_ascii(name, av, test):
                needs.append(("char", len(tests)))
                tests.append(test)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if av[0] > 0:
                needs.append(_requirements(av[2], tests))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            needs.append(_requirements(av[-1], tests))
        elif name == "BRANCH":
            needs.append(("any", [_requirements(branch, tests) for branch in av[1]]))
        elif name in ("AT", "ASSERT", "ASSERT_NOT", "GROUPREF", "GROUPREF_EXISTS"):
            continue  # taken to hold: an over-estimate
        else:
            raise ValueError(f"unknown pattern item {name}")
    return ("all", needs)


def _possible(need: Any, passed: int) -> bool:
    """Whether ``need`` can be met when the character tests in the bit set
    ``passed`` are passed by some character of the text."""
    kind, body = need
    if kind == "char":
        return bool(passed >> body & 1)
    if kind == "any":
        return any(_possible(n, passed) for n in body)
    return all(_possible(n, passed) for n in body)


@lru_cache(maxsize=1)
def _badness_requirements() -> tuple[Any, list[Callable[[str], bool]]]:
    if BADNESS_RE.flags & re.IGNORECASE:
        raise ValueError("a case-insensitive pattern is not read")
    tests: list[Callable[[str], bool]] = []
    need = _requirements(list(re._parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)), tests)  # type: ignore[attr-defined]
    return need, tests


@lru_cache(maxsize=65536)
def _tests_passed(char: str) -> int:
    """The bit set of the badness regex's character tests ``char`` passes."""
    return sum(1 << i for i, test in enumerate(_badness_requirements()[1]) if test(char))


@lru_cache(maxsize=4096)
def _possible_with(passed: int) -> bool:
    return _possible(_badness_requirements()[0], passed)


def _badness_possible(non_ascii: Iterable[str]) -> bool:
    """Whether ftfy's badness regex could match a text whose only non-ASCII
    characters are those of ``non_ascii`` (an over-estimate: anchors and
    lookarounds are taken to hold, so False means it surely cannot). Most
    articles hold a few typographic characters (’ “ ” —) that no such
    sequence is made of: then nothing is searched. True whenever the regex
    cannot be read (a future ftfy, a new re module)."""
    try:
        passed = 0
        for char in non_ascii:
            passed |= _tests_passed(char)
        return _possible_with(passed)
    except Exception:  # any failure to read the regex means: search
        return True


@lru_cache(maxsize=4096)
def _chars_possible(non_ascii: frozenset[str]) -> bool:
    """:func:`_badness_possible`, kept per set of characters: most runs hold
    the same one or two typographic characters (“, ”, ’, —) as many others."""
    return _badness_possible(non_ascii)


def mojibake_badness(text: str) -> int:
    """ftfy's count of character sequences that look like mojibake."""
    if text.isascii():
        return 0
    if not _badness_possible(casing.non_ascii(text)):
        return 0
    count = 0
    # the runs (found in C when built, the ASCII skipped a word at a time)
    # (ftfy's regex over a whole article was a quarter of the extract stage)
    for start, end in kernels.badness_runs(text):
        # the same test per run: a run's window holds no other run's non-ASCII
        # characters, and a sequence needs some of its own (an article with a
        # stray "Ã" has dozens of runs of “ ” ’ — and é that none can be made
        # of); its ASCII characters pass none of the tests
        if not _chars_possible(kernels.non_ascii(text[start:end])):
            continue
        # pos/endpos, not a slice: "^" still means the start of the text
        count += len(BADNESS_RE.findall(text, max(start - kernels.BADNESS_REACH, 0), end + kernels.BADNESS_REACH))
    return count


_SPACE = re.compile(r"\s+")


def title_in_body(title: str | None, body: str) -> bool:
    """True when the headline is printed again as a line of the body."""
    if not title:
        return False
    key = _SPACE.sub(" ", title).strip().casefold()

    if key:
        # each line of the body held against the key (in C when built: a
        # line is left at its first difference, and nothing is folded but
        # what is compared); None when casefolding changes the body's length
        found = kernels.title_line(body, key)
        if found is not None:
            return found
    return any(_SPACE.sub(" ", line.text).strip().casefold() == key for line in split_lines(body))
