"""Dehyphenation: join words broken by layout ("occu-pation", "nego-\\ntiate").

A hyphen between two runs of letters is a layout break when the evidence
says the two parts make one word:

1. the document itself writes the joined word elsewhere ("Schwartzman" a
   few lines below "Schwartz-man": a corpus vote, the strongest signal);
2. one part is a bound suffix or prefix English writes solid ("crawl-ing",
   "mis-judgement", data file ``hyphen_fragments.txt``) and the joined
   word is known to wordfreq;
3. a part is no word at all ("quo-tidian", "Kyr-gios") and the joined word
   is known;
4. the joined word is very common (``other-wise``, ``through-out``).

Real compounds join two free words whose joined form is rare ("long-term",
"self-made"), so they stay; names ("Al-Thani"), abbreviations
("US-backed"), single letters ("e-mail", "T-Mobile") and the prefix
compounds of ``hyphen_prefixes.txt`` ("re-election") stay unless rule 1 or
a non-word right part says otherwise. wordfreq tokenizes a hyphenated form
into its parts, so its frequency of "be-comes" is that of "be comes" and
cannot be compared with "becomes": only the joined word and the parts are
looked up. A case the lexicon cannot decide is left alone and flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from functools import lru_cache

from seedclean.edits import Edit, flag
from seedclean.extract import kernels
from seedclean.normalize import lexicon, native
from seedclean.normalize.rules import Rules
from seedclean.normalize.wordlists import word_set

_LETTERS = r"[^\W\d_]"
# A hyphen between two runs of letters, not part of a longer chain
# ("two-year-long") and not inside an e-mail or URL-like token.
_SPLIT = re.compile(rf"(?<![\w\-@/.])({_LETTERS}{{1,40}})([\-\u2010])(\n?)({_LETTERS}{{1,40}})(?![\w\-@/])")
_HYPHEN = re.compile("[\\-\u2010]")
# A match of _SPLIT spans at most 40 letters, a hyphen, a line break and 40
# letters: around each hyphen, a window that wide holds every match using it.
_BEFORE, _AFTER = 41, 43


def _splits(text: str) -> list[re.Match[str]]:
    """``list(_SPLIT.finditer(text))``, searching only around hyphens.

    Scanning the whole text tries the pattern at every letter (a tenth of the
    time of a normalize run); hyphens are rare, so the windows are small. The
    lookbehind still sees the text before a window, and a window ends past
    the lookahead of any match using its hyphen, so the matches are the same
    (tests/normalize/test_dehyphenate_speed.py checks it on random text).
    """
    found: list[re.Match[str]] = []
    pos = 0
    size = len(text)
    for hyphen in _HYPHEN.finditer(text):
        at = hyphen.start()
        if at < pos:
            continue
        m = _SPLIT.search(text, max(pos, at - _BEFORE), min(size, at + _AFTER))
        if m is not None and m.start(2) == at:
            found.append(m)
            pos = m.end()
    return found


def split_spans(text: str) -> list[tuple[int, int, int, int]]:
    """Per match of ``_SPLIT``: its start, the hyphen, the end of the line
    break after it, and its end (one pass in C when it is built)."""
    if native.COMPILED:
        return native.hyphen_splits(text)
    return [(m.start(), m.start(2), m.end(3), m.end()) for m in _splits(text)]


# Whole words not touching a hyphen: what the document writes solid.
_SOLID = re.compile(rf"(?<![\w\-\u2010]){_LETTERS}+(?![\w\-\u2010])")

#: a joined word this common is a word, whatever its parts
COMMON_ZIPF = 3.8
#: a part below this is no word of its own (a syllable: "quo", "tidian")
FRAGMENT_ZIPF = 2.0
#: a part below this is rare, and a joined word above it is common
RARE_ZIPF = 3.0
#: the joined word must be this known to join a word and a bound suffix/prefix
BOUND_ZIPF = 1.5


@lru_cache(maxsize=200_000)
def _zipf(word: str, language: str) -> float:
    return lexicon.zipf_frequency(word, language)


def _best_zipf(word: str, languages: tuple[str, ...]) -> float:
    return max(_zipf(word, lang) for lang in languages)


def solid_words(text: str) -> frozenset[str]:
    """Words the text writes without a hyphen, as written and lower-cased."""
    words = set(_SOLID.findall(text))
    return frozenset(words | {w.lower() for w in words})


_WORDISH = re.compile(r"[\w\-\u2010]")
_LETTER_RUN = re.compile(f"{_LETTERS}+")


class SolidWords:
    """``word in solid_words(text)``, answered for the few words asked.

    Listing every solid word takes a lookaround regex tried at every
    character of the text; a hyphenated pair asks about one or two words,
    which ``str.find`` locates directly: an occurrence counts when it is a
    whole run of letters with no word character or hyphen on either side.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lower: str | None = None
        self._answers: dict[str, bool] = {}
        # the text's UTF-8, made on first use: a word absent from it is absent
        # from the text (and most words asked are). A search of bytes is several
        # times faster than one of a str holding a character past Latin-1.
        self._utf8: bytes | None = None
        self._lower_utf8: bytes | None = None

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        answer = self._answers.get(word)
        if answer is None:
            answer = self._answers[word] = self._solid(word)
        return answer

    def _solid(self, word: str) -> bool:
        text = self._text
        if self._utf8 is None:
            self._utf8 = text.encode("utf-8", "surrogatepass")
        encoded = word.encode("utf-8", "surrogatepass")
        if encoded in self._utf8 and self._occurs(text, word, lambda found: found == word):
            return True
        if self._lower is None:
            self._lower = text.lower()
            self._lower_utf8 = self._lower.encode("utf-8", "surrogatepass")
        if len(self._lower) != len(text):  # a letter lower-cased to two ("İ"): count them all
            return word in solid_words(text)
        if encoded not in self._lower_utf8:  # type: ignore[operator]
            return False
        # offsets of the lower-cased text are the text's: look for a word w with w.lower() == word
        return self._occurs(self._lower, word, lambda found: found.lower() == word)

    def _occurs(self, haystack: str, word: str, same: Callable[[str], bool]) -> bool:
        text = self._text
        at = haystack.find(word)
        while at >= 0:
            end = at + len(word)
            found = text[at:end]
            if (
                (at == 0 or not _WORDISH.match(text, at - 1))
                and (end == len(text) or not _WORDISH.match(text, end))
                and _LETTER_RUN.fullmatch(found)
                and same(found)
            ):
                return True
            at = haystack.find(word, at + 1)
        return False


_PROTECTED = ("keep", "protected compound")


def _early_verdict(left: str, right: str) -> tuple[str, str] | None:
    """The verdicts that come before the lexicon and need neither it nor the document."""
    if right[0].isupper():
        return "keep", "right part capitalised (name or title)"
    if len(left) == 1:
        return "keep", "single letter on the left (e-mail, T-Mobile)"
    if left.isupper():
        return "keep", "abbreviation on the left"
    return None


def _lexicon_verdict(left: str, right: str, joined: str, rules: Rules) -> tuple[str, str]:
    """The verdict from word frequencies and the rule files alone."""
    cfg = rules.config.dehyphenate
    fragments = word_set("hyphen_fragments.txt")
    z_joined = _best_zipf(joined, cfg.languages)
    z_left = _best_zipf(left.lower(), cfg.languages)
    z_right = _best_zipf(right.lower(), cfg.languages)
    scores = f"zipf {joined}={z_joined:.2f}, {left.lower()}={z_left:.2f}, {right.lower()}={z_right:.2f}"
    floor = cfg.min_joined_zipf  # no lexicon-based join below the user's floor

    def known(threshold: float) -> bool:
        return z_joined >= max(threshold, floor)

    if (right.lower() in fragments or f"{left.lower()}-" in fragments) and known(BOUND_ZIPF):
        return "join", f"bound suffix or prefix, joined word known: {scores}"
    if left.lower() in rules.hyphen_prefixes:
        if known(COMMON_ZIPF) or (z_right < RARE_ZIPF and known(z_right + cfg.min_zipf_gain)):
            return "join", f"after a prefix, but the joined word is the common form: {scores}"
        return "keep", f"prefix compound ({left.lower()}- + a word): {scores}"
    if known(COMMON_ZIPF):
        return "join", f"joined word is common: {scores}"
    if min(z_left, z_right) < FRAGMENT_ZIPF and known(0.0):
        return "join", f"a part is no word, the joined word is: {scores}"
    if min(z_left, z_right) < RARE_ZIPF and known(RARE_ZIPF):
        return "join", f"a part is rare, the joined word is common: {scores}"
    if z_joined == 0.0 and min(z_left, z_right) < FRAGMENT_ZIPF:
        # fragments that are no words, yet the lexicon does not know the join
        return "unsure", scores
    return "keep", scores


# What decide() finds about a pair apart from the document's solid words
# depends on the pair and on three parts of the rules alone, and the same
# pairs ("long-term", "so-called") come back article after article and again
# in the extract stage's residual count (which holds the text against the
# shipped rules, a second Rules object beside the run's): per pair
# [protected?, early verdict, lexicon verdict (filled when first needed)].
# One table per content of those parts; the last few Rules objects asked
# with are known by identity (and held, so an identity is never reused).
_RECENT_RULES = 4
_recent: list[tuple[Rules, dict]] = []
_tables: dict[tuple, dict] = {}
_PAIRS_KEPT = 100_000  # a bound on memory over a long run


def _table_for(rules: Rules) -> dict:
    recent = _recent  # one read: another thread may replace entries
    for known, table in recent:
        if known is rules:
            return table
    key = (rules.protected_compounds, rules.hyphen_prefixes, rules.config.dehyphenate)
    table = _tables.get(key)
    if table is None:
        if len(_tables) >= _RECENT_RULES:
            _tables.clear()
        table = _tables[key] = {}
    _recent[:] = [(rules, table), *recent[: _RECENT_RULES - 1]]
    return table


def _pair_facts(left: str, right: str, rules: Rules) -> list:
    table = _table_for(rules)
    facts = table.get((left, right))
    if facts is None:
        if len(table) >= _PAIRS_KEPT:
            table.clear()
        protected = f"{left}-{right}".lower() in rules.protected_compounds
        facts = table[(left, right)] = [protected, None if protected else _early_verdict(left, right), None]
    return facts


def decide(left: str, right: str, rules: Rules, solid: Container[str] = frozenset()) -> tuple[str, str]:
    """``("join" | "keep" | "unsure", why)`` for the pair ``left-right``;
    ``solid`` holds the words the document writes without a hyphen."""
    return _decide(left, right, _pair_facts(left, right, rules), rules, solid)


def _decide(left: str, right: str, facts: list, rules: Rules, solid: Container[str]) -> tuple[str, str]:
    """:func:`decide` with the pair's :func:`_pair_facts` in hand."""
    if facts[0]:
        return _PROTECTED
    if left + right in solid and len(left + right) > 3:
        return "join", f"the document writes {left + right!r} elsewhere"
    if facts[1] is not None:
        return facts[1]
    joined = (left + right).lower()
    if joined in solid:
        return "join", f"the document writes {joined!r} elsewhere"
    if facts[2] is None:
        facts[2] = _lexicon_verdict(left, right, joined, rules)
    return facts[2]


def asked_words(pairs: list[tuple[str, str]], facts: list[list]) -> list[str]:
    """The words :func:`decide` can look up in the solid words for ``pairs``
    (each with its :func:`_pair_facts`), each once, in order of first use.

    ``decide`` asks nothing for a protected pair, asks ``left + right`` only
    when it is longer than three (shorter, its answer is not read), and asks
    the lower-cased join only when the pair has no early verdict. So the
    solid words answered for this list answer every question ``decide``
    puts: the verdicts are the same as with every pair's two words. Fewer
    words keep a document under the compiled lookup's limit of words
    (``native.solid_words``: beyond it, a slower read of every character);
    on corpus-1k, 86 of 901 documents with pairs were over it, 4 are now.
    """
    words: dict[str, None] = {}
    for (left, right), (protected, early, _) in zip(pairs, facts, strict=True):
        if protected:
            continue
        word = left + right
        if len(word) > 3:
            words[word] = None
        if early is None:
            words[word.lower()] = None
    return list(words)


# the pairs of the last text asked about (settled() asks about it next)
_last_spans: tuple[str, list[tuple[int, int, int, int]]] = ("", [])


def dehyphenate(text: str, rules: Rules) -> list[Edit]:
    """Join layout-broken words; flag the ones the evidence cannot decide."""
    global _last_spans
    if "-" not in text and "\u2010" not in text:
        return []
    spans = split_spans(text)
    _last_spans = (text, spans)
    if not spans:  # nothing to decide: the document's words need not be read
        return []
    pairs = [(text[start:hyphen], text[after:end]) for start, hyphen, after, end in spans]
    table = _table_for(rules)  # the pairs seen before: their facts without a call each
    facts = [table.get(pair) or _pair_facts(*pair, rules) for pair in pairs]
    solid: Container[str]
    if kernels.NATIVE is None:
        solid = SolidWords(text)  # asked lazily: only the words decide() needs
    else:
        # one compiled pass over the text answers every word the pairs can ask
        # (native.solid_words reads the text's runs once; the extract stage's
        # kernels.solid_among answers the texts it leaves: Turkish İ, Greek Σ)
        words = asked_words(pairs, facts)
        found = native.solid_words(text, words) if native.DOC7_COMPILED else None
        solid = kernels.solid_among(text, words) if found is None else found
    edits: list[Edit] = []
    for (start, hyphen, after, end), (left, right), pair_facts in zip(spans, pairs, facts, strict=True):
        verdict, why = _decide(left, right, pair_facts, rules, solid)
        word = text[start:end]
        if verdict == "join":
            edits.append(Edit(hyphen, after, "", "layout_hyphen", f"{word!r}: {why}"))
        elif verdict == "unsure":
            edits.append(flag(hyphen, after, "unresolved_hyphen", f"{word!r}: {why}"))
    return edits


def settled(text: str, edits: list[Edit]) -> bool:
    """Whether :func:`dehyphenate` would join nothing in the text its
    ``edits`` (its answer for ``text``) make.

    A join turns ``left-\\nright`` into one run of letters between the same
    two characters, neither a word character nor a hyphen, so every other
    pair is found again as it was, and no new pair appears, unless one of
    those characters is U+2010 (which _SPLIT allows beside a pair: "x‐ab-cd").
    Each other pair had no solid word to join on, and the document's solid
    words are now the old ones, less the right parts of the joined pairs
    (after a line break they stood alone), plus the joined words. So a pair
    is decided again as before, kept or left unsure, unless a joined word,
    as written or lower-cased, is the pair's joined word or its lower case
    (what ``decide`` asks the solid words).
    """
    joins = {edit.start for edit in edits if not edit.flag_only}
    spans = _last_spans[1] if _last_spans[0] is text else split_spans(text)
    new_words: set[str] = set()
    for start, hyphen, after, end in spans:
        if hyphen in joins:
            if text[start - 1 : start] == "\u2010" or text[end : end + 1] == "\u2010":
                return False
            word = text[start:hyphen] + text[after:end]
            new_words.update((word, word.lower()))
    for start, hyphen, after, end in spans:
        if hyphen not in joins:
            word = text[start:hyphen] + text[after:end]
            if word in new_words or word.lower() in new_words:
                return False
    return True
