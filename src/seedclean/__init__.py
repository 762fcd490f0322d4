"""seedclean: repair, clean and validate scraped news-article text.

The API (imported lazily, so ``seedclean --help`` starts fast)::

    clean_text(text)              -> cleaned text
    explain_text(text)            -> cleaned text and every edit
    clean_document(text_or_path)  -> text, record (title, body, fields), edits
    clean_folder(IN, OUT)         -> what `seedclean normalize IN OUT` does
    restore(OUT, DEST)            -> the raw inputs, byte for byte
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Config", "__version__", "clean_document", "clean_folder", "clean_text", "explain_text", "restore"]


def __getattr__(name: str) -> Any:
    if name == "Config":
        from seedclean.config import Config

        return Config
    if name in __all__:
        from seedclean import api

        return getattr(api, name)
    raise AttributeError(f"module 'seedclean' has no attribute {name!r}")
