"""Bytes to text, recording exactly how, so the bytes can be rebuilt.

UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read directly;
other encodings are detected with charset-normalizer. A file is accepted
only if encoding its text again gives back its bytes: no replacement
characters, no silent guessing into garbage. A file that is binary, or whose
encoding cannot be told, is an :class:`InputFileError` naming what to do.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from seedclean.errors import InputFileError
from seedclean.normalize.native import SCAN_CONTROL
from seedclean.normalize.unicode import scan as unicode_scan

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
#: share of such bytes above which a file that is not UTF-8 is binary
MAX_BINARY_SHARE = 0.01
#: ... and above which even valid UTF-8 (a zero-filled file is) is binary;
#: a text with a stray NUL or two stays text, and the NULs are logged edits
MAX_CONTROL_SHARE_UTF8 = 0.1
# File signatures of formats that get saved as ".txt" by mistake.
_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"SQLite format 3\x00",
    b"\x00\x00\x01\x00",
)
# When charset-normalizer finds several encodings about as plausible, the
# ones web text is most often in win: WHATWG decodes "latin-1" as
# windows-1252 too, since pages labelled latin-1 use its quotes and dashes.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")
#: charset-normalizer "chaos" (share of odd characters) within which two
#: candidate decodings count as equally plausible
CHAOS_TIE = 0.02
#: coherence (language-model fit) by which the best candidate must beat a
#: different-text rival of equal chaos to be taken without doubt
COHERENCE_MARGIN = 0.05


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name
    bom: bytes  # the byte-order mark the file started with, if any

    def encode(self, text: str | None = None) -> bytes:
        """The bytes of ``text`` (default: this text) in the file's encoding."""
        return self.bom + (self.text if text is None else text).encode(self.encoding)


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    if not sample:
        return 0.0
    # one pass deleting those bytes, not one count per byte value (25 passes)
    return (len(sample) - len(sample.translate(None, _BINARY_BYTES))) / len(sample)


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: mostly-Latin text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:  # no NUL at all: nothing to count
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4 and min(even.count(0), odd.count(0)) == 0


def _binary(path: str) -> InputFileError:
    return InputFileError(
        path,
        "binary",
        "is binary, not text (it holds NUL or control bytes, or starts like an image or archive); "
        "remove it or rename it so it does not end in .txt",
    )


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
    if data.startswith(_MAGIC):
        raise _binary(path)
    if _looks_utf16(data):
        raise InputFileError(
            path,
            "bad_encoding",
            "looks like UTF-16 without a byte-order mark, which cannot be told apart safely; re-save it as UTF-8",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # in UTF-8 those bytes are those characters: a text the scan finds
        # none in has none to count (the scan is the one the first unicode
        # step asks for this very text, kept, so it costs nothing here)
        if unicode_scan(text) & SCAN_CONTROL and _control_share(data) > MAX_CONTROL_SHARE_UTF8:
            raise _binary(path)
        return Decoded(text, "utf-8", b"")
    if _control_share(data) > MAX_BINARY_SHARE:
        raise _binary(path)
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return mixed
    return _detect(data, path)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few stray cp1252 bytes, as pages pasted together from
    two sources are: read as cp1252 (latin-1 where cp1252 has holes), so the
    bytes are kept exactly, and the mojibake step repairs the UTF-8 runs,
    logging each repair. ``None`` when the file is not like that."""
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd") - data.count("\ufffd".encode())
    good = len(lossy) - len(lossy.encode("ascii", "ignore")) - lossy.count("\ufffd")  # other non-ASCII
    if not 0 < bad <= good:
        return None
    for encoding in ("cp1252", "latin-1"):
        try:
            return Decoded(data.decode(encoding), codecs.lookup(encoding).name, b"")
        except UnicodeDecodeError:
            continue
    return None  # pragma: no cover - latin-1 decodes any bytes


# A non-ASCII character that is no letter, standing between two letters
# ("Rz¹d", "dziœ"): the mark of text read in the wrong single-byte codepage.
_IN_WORD = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")
_WORD_JOINERS = "’‘·‐"


def _odd_in_words(text: str) -> int:
    return sum(
        1
        for m in _IN_WORD.finditer(text)
        if unicodedata.category(m.group())[0] not in "LM" and m.group() not in _WORD_JOINERS
    )


def _detect(data: bytes, path: str) -> Decoded:
    from charset_normalizer import from_bytes  # imported here: most corpora are UTF-8

    matches = list(from_bytes(data))
    if not matches:
        raise InputFileError(
            path, "unknown_encoding", "its encoding cannot be told; convert it to UTF-8 (e.g. with iconv) and run again"
        )
    tied = [m for m in matches if m.chaos <= matches[0].chaos + CHAOS_TIE]

    def preference(match: object) -> int:
        aliases = match.could_be_from_charset  # type: ignore[attr-defined]
        return min((rank for rank, name in enumerate(_PREFERRED) if name in aliases), default=len(_PREFERRED))

    odd = {id(m): _odd_in_words(str(m)) for m in tied}
    # fewest letters broken by symbols first, then the common web encodings,
    # then charset-normalizer's own order
    ranked = sorted(tied, key=lambda m: (odd[id(m)], preference(m)))
    best = ranked[0]
    if preference(best) < len(_PREFERRED):
        encoding = _PREFERRED[preference(best)]
    else:
        rivals = [
            m
            for m in ranked[1:]
            if odd[id(m)] == odd[id(best)] and str(m) != str(best) and best.coherence - m.coherence < COHERENCE_MARGIN
        ]
        if rivals:
            names = ", ".join(dict.fromkeys(m.encoding for m in [best, *rivals][:4]))
            raise InputFileError(
                path,
                "unknown_encoding",
                f"its encoding cannot be told (it reads equally well as {names}, with different text); "
                "convert it to UTF-8 (e.g. with iconv) and run again",
            )
        encoding = best.encoding
    encoding = codecs.lookup(encoding).name
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = None
    if text is None or "\ufffd" in text or text.encode(encoding) != data:
        raise InputFileError(
            path, "unknown_encoding", f"decodes as {encoding} but not reversibly; convert it to UTF-8 and run again"
        )
    return Decoded(text, encoding, b"")
