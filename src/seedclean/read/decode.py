"""Bytes to text, recording exactly how, so the bytes can be rebuilt.

UTF-8 (with or without BOM) and UTF-16 with a BOM are read directly; other
encodings are detected with charset-normalizer. A file is accepted only if
encoding its text again gives back its bytes: no replacement characters, no
silent guessing into garbage.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from seedclean.errors import InputFileError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Bytes that plain text never holds (NUL and most C0 controls); a file with
# many of them is binary whatever its name says.
_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
MAX_BINARY_SHARE = 0.01


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name
    bom: bytes  # the byte-order mark the file started with, if any

    def encode(self, text: str | None = None) -> bytes:
        """The bytes of ``text`` (default: this text) in the file's encoding."""
        return self.bom + (self.text if text is None else text).encode(self.encoding)


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    control = sum(sample.count(b) for b in _BINARY_BYTES)
    return control / len(sample) > MAX_BINARY_SHARE


def decode_bytes(data: bytes, path: str) -> Decoded:
    """Decode a file's bytes; raise :class:`InputFileError` when that cannot
    be done faithfully."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), encoding, bom)
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    path,
                    "bad_encoding",
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"({exc.reason} at byte {exc.start + len(bom)}); re-save it as UTF-8",
                ) from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8", b"")
    except UnicodeDecodeError:
        pass
    if _looks_binary(data):
        raise InputFileError(
            path,
            "binary",
            "is binary, not text (it holds NUL or control bytes); remove it or rename it so it does not end in .txt",
        )
    from charset_normalizer import from_bytes  # imported here: most corpora are UTF-8

    best = from_bytes(data).best()
    if best is None:
        raise InputFileError(
            path, "unknown_encoding", "its encoding cannot be told; convert it to UTF-8 (e.g. with iconv) and run again"
        )
    encoding = codecs.lookup(best.encoding).name
    text = data.decode(encoding)
    if text.encode(encoding) != data:
        raise InputFileError(
            path, "unknown_encoding", f"decodes as {encoding} but not reversibly; convert it to UTF-8 and run again"
        )
    return Decoded(text, encoding, b"")
