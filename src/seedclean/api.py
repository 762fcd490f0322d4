"""The Python API: clean one string, one document, or one folder.

>>> from seedclean import clean_text
>>> clean_text("Gaza talks resume | World News\\n\\nNegotiators met to nego-tiate a deal.\\n")
'Gaza talks resume\\n\\nNegotiators met to negotiate a deal.\\n'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seedclean.config import Config
from seedclean.document import CleanDocument, clean_bytes
from seedclean.normalize.pipeline import Normalized, normalize
from seedclean.normalize.rules import load_rules
from seedclean.write.restore import RestoreSummary, restore_folder
from seedclean.write.run import RunSummary, normalize_folder


def _checked_text(text: object, name: str) -> str:
    """``text`` if it is a str that UTF-8 can hold, else an error saying what
    to pass instead (a lone surrogate is what ``errors="surrogateescape"``
    decoding leaves of a byte that was not UTF-8: not a character, and the
    log could not rebuild it)."""
    if not isinstance(text, str):
        hint = (
            "; pass bytes to clean_document, which detects their encoding"
            if isinstance(text, bytes | bytearray)
            else ""
        )
        raise TypeError(f"{name} takes a str, not {type(text).__name__}{hint}")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(
                f"{name}: the text holds a lone surrogate ({text[exc.start]!r} at offset {exc.start}), which is no "
                "Unicode character; decode the source with errors='replace', or pass its bytes to clean_document"
            ) from None
    return text


def clean_text(text: str, config: Config | None = None) -> str:
    """The normalized text of ``text`` (title line, blank line, paragraphs).

    Raises ``TypeError`` for anything but a str and ``ValueError`` for a str
    holding a lone surrogate."""
    return normalize(_checked_text(text, "clean_text"), load_rules(config)).text


def explain_text(text: str, config: Config | None = None) -> Normalized:
    """The normalized text together with every edit that made it (errors as
    :func:`clean_text`)."""
    return normalize(_checked_text(text, "explain_text"), load_rules(config))


def clean_document(source: str | bytes | Path, doc_id: str = "document", config: Config | None = None) -> CleanDocument:
    """Clean one article given as text, bytes, or a path to a file.

    The result holds the output text, the documents.jsonl record (title,
    body, fields) and the edits.jsonl rows.
    """
    if isinstance(source, Path):
        data = source.read_bytes()
        path = source.name
    elif isinstance(source, str):
        data = _checked_text(source, "clean_document").encode("utf-8")
        path = f"{doc_id}.txt"
    else:
        data = bytes(source)
        path = f"{doc_id}.txt"
    return clean_bytes(data, doc_id, path, load_rules(config))


def clean_folder(
    in_dir: str | Path,
    out_dir: str | Path,
    config: Config | None = None,
    jobs: int = 1,
    engine: str = "local",
    **spark_options: Any,
) -> RunSummary:
    """Normalize every ``*.txt`` under ``in_dir`` into ``out_dir`` (see the CLI).

    ``engine="spark"`` runs the same cleaner on Spark; ``spark_options`` are
    ``master``, ``output_format`` ("folder", "jsonl", "parquet") and ``spark``
    (a running SparkSession to reuse). ``in_dir`` may then be a Hadoop URI.
    """
    if engine == "local" and not spark_options:
        return normalize_folder(Path(in_dir), Path(out_dir), config=config, jobs=jobs)
    from seedclean.engines import normalize_with

    return normalize_with(engine, in_dir, out_dir, config, jobs=jobs, **spark_options)


def restore(out_dir: str | Path, dest_dir: str | Path) -> RestoreSummary:
    """Rebuild the raw inputs of a normalized folder under ``dest_dir``."""
    return restore_folder(Path(out_dir), Path(dest_dir))
