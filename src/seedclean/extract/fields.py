"""Fields extracted from a normalized article, added to its documents.jsonl row.

This is the extract stage's entry point: :func:`extract_fields` receives the
normalized text, its edit log, the title and body, and returns the fields to
add. Field names, once published, are kept.
"""

from __future__ import annotations

from typing import Any

from seedclean.normalize.lines import word_count
from seedclean.normalize.pipeline import Normalized


def extract_fields(normalized: Normalized, title: str | None, body: str, raw_text: str) -> dict[str, Any]:
    """Per-article fields computed from the cleaned text (and, where a field
    is about what was removed, from the edit log)."""
    raw_words = word_count(raw_text)
    out_words = word_count(normalized.text)
    return {
        "paragraphs": body.count("\n\n") + 1 if body else 0,
        "words": word_count(body),
        "characters": len(body),
        "words_removed_share": round(max(raw_words - out_words, 0) / raw_words, 4) if raw_words else 0.0,
    }
