"""Fields extracted from a normalized article, added to its documents.jsonl row.

This is the extract stage's entry point: :func:`extract_fields` receives the
normalized text, its edit log, the title and body, and returns the fields to
add. Field names, once published, are kept. Fields that need the whole corpus
(near-duplicate groups) are computed by the validate stage from the
``minhash_*`` keys here, so normalizing stays one document at a time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from seedclean.extract import article, fingerprints, kernels, residual, text_stats
from seedclean.extract.language import language
from seedclean.normalize.lines import word_count
from seedclean.normalize.pipeline import Normalized
from seedclean.normalize.rules import Rules, load_rules


@lru_cache(maxsize=1)
def _shipped_rules() -> Rules:
    # one Rules per process: load_rules() builds a new one per call, and the
    # residual check caches its joined patterns per rule set
    return load_rules()


def extract_fields(normalized: Normalized, title: str | None, body: str, raw_text: str) -> dict[str, Any]:
    """Per-article fields computed from the cleaned text (and, where a field
    is about what was removed, from the raw text)."""
    # residual artifacts are held against the shipped rules, whatever the
    # run's config switched off: that is what makes a skipped step visible
    rules = _shipped_rules()
    # the \w+ words, counted in C when built (normalize's word_count counts the same)
    raw_words = kernels.word_count(raw_text)
    out_words = kernels.word_count(normalized.text)
    code, score = language(body)
    hyphen_joins, hyphen_unsure = residual.hyphen_splits(normalized.text, rules)
    fields: dict[str, Any] = {
        "dateline": article.dateline(body),
        "credits": article.credits([body, raw_text], rules.agencies),
        "published": article.published(raw_text),
        "lede": article.lede(body),
        **text_stats.counts(body),
        "title_words": word_count(title) if title else 0,
        "raw_words": raw_words,
        "words_removed_share": round(max(raw_words - out_words, 0) / raw_words, 4) if raw_words else 0.0,
        "language": code,
        "language_score": score,
        **text_stats.quotes(body),
        "residual_hyphen_splits": hyphen_joins,
        "unresolved_hyphens": hyphen_unsure,
        "residual_boilerplate_lines": residual.boilerplate_lines(normalized.text, rules),
        "mojibake_badness": residual.mojibake_badness(normalized.text),
        "title_in_body": residual.title_in_body(title, body),
        **text_stats.quality(body),
        "minhash_doc": fingerprints.doc_keys(body),
        "minhash_remarks": fingerprints.remark_keys(body),
    }
    return fields
