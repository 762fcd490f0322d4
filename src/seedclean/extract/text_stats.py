"""Counts and document-quality statistics of a cleaned article.

The quality statistics follow the corpus-cleaning filters whose thresholds
are in ``docs``/prior art: Gopher (Rae et al. 2021; datatrove
``GopherQualityFilter``) and FineWeb (datatrove ``FineWebQualityFilter``).
They are measured, not acted on: the validate stage holds them against the
thresholds with a ``mostly``, so an unusual article is flagged, never dropped.
"""

from __future__ import annotations

import re

from seedclean.extract import kernels
from seedclean.extract.body import data_words, words_of

_WORD = re.compile(r"\w+")
# a sentence ends at . ! ? or … (after any closing quotes or brackets), before
# a space and what starts a sentence
# (the punctuation is matched, not looked behind for: a lookbehind is tried at
# every character, a literal class lets the regex engine skip ahead)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\u00c0-\u024f])")
_INITIALISM = re.compile(r"(?:[A-Z]\.?)+")
# terminal punctuation, with the CJK full stops and closing brackets ("。", "」")
_TERMINAL = (".", "!", "?", '"', "”", "’", "'", "…", ")", "。", "！", "？", "」", "』", "）")
_BULLET = re.compile(r"^\s*(?:[•●▪‣◦\-*–]|\d+[.)])\s")


_data_words = data_words


def sentences(paragraph: str, abbreviations: frozenset[str] | None = None) -> list[str]:
    """Sentences of one paragraph; an abbreviation's period ("Oct. 7",
    "U.S. officials") does not end one (``abbreviations``: the shipped list
    unless given)."""
    if abbreviations is None:
        abbreviations = _data_words("abbreviations.txt")
    parts: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        end = m.start() + 1  # just after the punctuation
        if paragraph[m.start()] == ".":
            # the last word before the period (rsplit from the right reads
            # only that word, where split() would read the whole sentence)
            words = paragraph[start:end].rsplit(None, 1)
            stem = words[-1].rstrip(".") if words else ""
            if stem in abbreviations or _INITIALISM.fullmatch(stem):
                continue
        parts.append(paragraph[start:end].strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        parts.append(tail)
    return [p for p in parts if _WORD.search(p)]


def words(text: str) -> list[str]:
    """The ``\\w+`` words of ``text``: found once per body, and passed to the
    counts, the quality statistics and the MinHash keys."""
    return _WORD.findall(text)


def counts(body: str, body_words: list[str] | None = None) -> dict[str, int]:
    # a paragraph holds at least one word: a "* * *" separator is layout, not
    # text (the paragraphs and their sentences counted in C when built)
    paragraphs, found = kernels.paragraphs_and_sentences(body, _data_words("abbreviations.txt"))
    return {
        "paragraphs": paragraphs,
        "sentences": found,
        "words": words_of(body).words if body_words is None else len(body_words),
        "characters": len(body),
    }


def quotes(text: str) -> dict[str, int]:
    """Double quotation marks: typographic opening and closing ones, and
    straight ones (which open or close). 004 opens 12 and closes 8, and closes
    the other four with straight quotes: mixed styles, or truncated text."""
    # counted in the one pass over the body (kernels.BODY_MARKS)
    *_, curly, low, closing, straight = words_of(text).marks
    opening = curly + low
    return {
        "quotes_opening": opening,
        "quotes_closing": closing,
        "quotes_straight": straight,
        "quote_balance": opening - closing,
    }


def _round(value: float) -> float:
    return round(value, 4)


def _stop_words(body: str, body_words: list[str] | None, stop_words: frozenset[str]) -> int:
    """How many of the body's words, lowercased, are stop words."""
    counted = words_of(body).stop_words
    if counted is not None:
        # the body's words lowered and looked up in the one pass over the
        # body (in C when built, without a lowered copy of it)
        return counted
    found = words(body) if body_words is None else body_words
    # one lower() of the words joined by spaces: a space also ends the
    # context of a final sigma, so each word lowers as on its own
    return sum(map(stop_words.__contains__, " ".join(found).lower().split(" "))) if found else 0


def quality(body: str, body_words: list[str] | None = None) -> dict[str, float | int]:
    """Gopher and FineWeb statistics of the body."""
    # one pass over the characters: the \w+ words and their characters,
    # Gopher's tokens (what str.split() keeps) and those holding a letter
    found = words_of(body)
    n_words, word_chars, n_tokens_found, alpha_tokens = found[:4]
    hashes, ellipses_chars, triple_dots, newlines = found.marks[:4]
    # and one pass over the stripped non-empty lines
    lines, bullets, ellipses, terminal, short, duplicate_chars = kernels.line_stats(body)
    n_tokens = n_tokens_found or 1
    n_lines = lines or 1
    stop_words = _data_words("stopwords_gopher.txt")
    return {
        "mean_word_length": _round(word_chars / n_words) if n_words else 0.0,
        # Gopher: >= 80% of words contain at least one alphabetic character
        "alpha_word_ratio": _round(alpha_tokens / n_tokens) if n_tokens_found else 0.0,
        "stop_words": _stop_words(body, body_words, stop_words),
        "symbol_word_ratio": _round((hashes + ellipses_chars + triple_dots) / n_tokens),
        "bullet_line_ratio": _round(bullets / n_lines) if lines else 0.0,
        "ellipsis_line_ratio": _round(ellipses / n_lines) if lines else 0.0,
        # FineWeb
        "terminal_punct_line_ratio": _round(terminal / n_lines) if lines else 0.0,
        "short_line_ratio": _round(short / n_lines) if lines else 0.0,
        "duplicate_line_char_ratio": _round(duplicate_chars / len(body)) if body else 0.0,
        "newline_word_ratio": _round(newlines / n_words) if n_words else 0.0,
    }
