"""wordfreq's Zipf frequency of a word, without loading wordfreq.

``wordfreq.zipf_frequency`` first imports wordfreq (regex, langcodes,
msgpack: ~0.1 s of CPU) and unpacks the language's whole word list into a
dict (321k words for English: ~0.1 s more), half of a one-file run's CPU,
for the thousand or so words a run asks. Here the list's words and their
frequency bands are written once into a hash table file in the cache folder
(``$XDG_CACHE_HOME/seedclean``, else the temporary folder), keyed by the
list file's content and wordfreq's code, and memory-mapped: opening it
costs nothing, a lookup is a CRC and a probe or two, forked workers share
its pages.

The answer is wordfreq's own for a *plain* word, one wordfreq's lookup
takes as it is: letters of the Latin, Greek and Cyrillic blocks (not the
modifier letters, "ʼ" is a quote to wordfreq), already case-folded and in
NFC. Such a word is one token with no digit, so wordfreq's frequency for it
is its band's in the list (its minimum when absent), the same for every
word of a band: the table holds each band's answer from wordfreq itself.
Any other word, a language whose wordfreq lookup does more than NFC and
case folding, or no writable cache folder: wordfreq itself, loaded then.
tests/normalize/test_lexicon.py checks the answers against wordfreq's on
arbitrary words and on every word of the dev corpora.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import mmap
import os
import re
import struct
import sys
import tempfile
import unicodedata
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from seedclean.cache import cache_folders
from seedclean.lazy import lazy_import

wordfreq = lazy_import("wordfreq")  # only for a word or language the table cannot answer

#: the file's layout; a new one is written beside an old one
_LAYOUT = 1
_MAGIC = b"SCLEX%03d" % _LAYOUT
#: magic, slots, bands; then a float64 Zipf frequency per band, two uint32
#: per slot (the word's offset in the file; its UTF-8 length << 16 | its band),
#: then the words' UTF-8
_HEADER = struct.Struct(f"={len(_MAGIC)}sII")

# The letters a plain word is made of; is_plain() adds that they are
# letters, case-folded and in NFC.
_PLAIN_SCRIPTS = re.compile("[a-z\u00aa-\u02af\u0370-\u052f]+")
#: what wordfreq's preprocessing of a language must be for the table to
#: answer it (English's): NFC, case folding, its regex tokenizer
_PLAIN_LANGUAGE = {
    "tokenizer": "regex",
    "normal_form": "NFC",
    "remove_marks": False,
    "dotless_i": False,
    "diacritics_under": None,
    "transliteration": None,
    "lookup_transliteration": None,
}


def is_plain(word: str) -> bool:
    """Whether wordfreq looks ``word`` up as it is, as one token."""
    return (
        word.isalpha()
        and _PLAIN_SCRIPTS.fullmatch(word) is not None
        and word.casefold() == word
        and unicodedata.is_normalized("NFC", word)
    )


class Lexicon:
    """One language's word list as a memory-mapped hash table."""

    def __init__(self, data: Any) -> None:
        if len(data) < _HEADER.size:
            raise ValueError("not a lexicon file: too short")
        magic, slots, bands = _HEADER.unpack_from(data)
        zipfs_at = _HEADER.size
        slots_at = zipfs_at + 8 * bands
        if magic != _MAGIC or slots & (slots - 1) or len(data) < slots_at + 8 * slots:
            raise ValueError("not a lexicon file of this layout")
        self._data = data
        self._zipfs = struct.unpack_from(f"={bands}d", data, zipfs_at)
        self._slots = memoryview(data)[slots_at : slots_at + 8 * slots].cast("I")
        self._mask = slots - 1

    def zipf(self, word: str) -> float:
        """wordfreq's Zipf frequency of the plain ``word``."""
        encoded = word.encode()
        slot = zlib.crc32(encoded) & self._mask
        slots = self._slots
        for _ in range(self._mask + 1):  # a damaged file without an empty slot ends too
            meta = slots[2 * slot + 1]
            if not meta:
                break
            at = slots[2 * slot]
            if meta >> 16 == len(encoded) and self._data[at : at + len(encoded)] == encoded:
                return self._zipfs[meta & 0xFFFF]
            slot = (slot + 1) & self._mask
        return 0.0  # not in the list: wordfreq's minimum


def build(bands: list[list[str]], band_zipf: Any) -> bytes:
    """The table file of a wordfreq list (``get_frequency_list``: its words
    by band), keeping its plain words; ``band_zipf(word)`` is wordfreq's
    Zipf frequency of a plain word, asked for one word of each band."""
    band_of: dict[str, int] = {}
    for band, words in enumerate(bands):
        for word in words:
            if is_plain(word):
                band_of[word] = band  # a word listed twice: its last band, as in wordfreq's dict
    zipfs = [0.0] * len(bands)  # a band with no plain word is never read
    asked: set[int] = set()
    for word, band in band_of.items():
        if band not in asked:
            asked.add(band)
            zipfs[band] = band_zipf(word)
    slots = 1 << (2 * len(band_of)).bit_length()  # at most half full: a miss ends within a few probes
    table = memoryview(bytearray(8 * slots)).cast("I")
    mask = slots - 1
    words_at = _HEADER.size + 8 * len(bands) + 8 * slots
    blob = bytearray()
    for word, band in band_of.items():
        encoded = word.encode()
        if len(encoded) > 0xFFFF or band > 0xFFFF:
            raise ValueError(f"{word[:20]!r}... or its band {band} does not fit a slot")
        slot = zlib.crc32(encoded) & mask
        while table[2 * slot + 1]:
            slot = (slot + 1) & mask
        table[2 * slot] = words_at + len(blob)
        table[2 * slot + 1] = len(encoded) << 16 | band
        blob += encoded
    return b"".join(
        (_HEADER.pack(_MAGIC, slots, len(bands)), struct.pack(f"={len(bands)}d", *zipfs), table.tobytes(), blob)
    )


def _wordfreq_files(lang: str) -> tuple[Path, Path] | None:
    """wordfreq's package folder and the list file its "best" list of
    ``lang`` is read from, found without importing wordfreq."""
    spec = importlib.machinery.PathFinder.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    package = Path(spec.submodule_search_locations[0])
    for size in ("large", "small"):
        path = package / "data" / f"{size}_{lang}.msgpack.gz"
        if path.is_file():
            return package, path
    return None


def _cache_files(package: Path, data: Path, lang: str) -> list[Path]:
    # keyed by what the answers depend on: the list file (a gzip file ends
    # with its content's CRC and size), wordfreq's code, the Unicode tables
    # that say which words are plain, and the byte order of the table
    key = hashlib.blake2b(f"{_LAYOUT}:{lang}:{sys.byteorder}:{unicodedata.unidata_version}:".encode(), digest_size=8)
    with data.open("rb") as handle:
        key.update(b"%d:" % handle.seek(0, os.SEEK_END))
        handle.seek(-8, os.SEEK_END)
        key.update(handle.read())
    for source in sorted(package.glob("*.py")):
        key.update(source.read_bytes())
    name = f"wordfreq-{lang}-{key.hexdigest()}.lexicon"
    return [folder / name for folder in cache_folders()]


def _write(lang: str, into: Path) -> None:
    """Build the table from wordfreq and write it to ``into`` atomically:
    two processes may write at once, a reader never sees half a file."""
    from wordfreq.language_info import get_language_info

    info = get_language_info(lang)
    if any(info[name] != value for name, value in _PLAIN_LANGUAGE.items()):
        raise ValueError(f"wordfreq preprocesses {lang!r} beyond NFC and case folding")
    content = build(wordfreq.get_frequency_list(lang), lambda word: wordfreq.zipf_frequency(word, lang))
    into.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=into.name + ".", dir=into.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(staging, into)
    except BaseException:
        os.unlink(staging)
        raise


def _open(path: Path) -> Lexicon | None:
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_uid != os.getuid():  # in a shared temporary folder, only our own
            return None
        return Lexicon(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))


@cache
def lexicon(lang: str) -> Lexicon | None:
    """``lang``'s table, written first if no cache holds it; None when
    the table cannot answer for ``lang`` or cannot be written."""
    files = _wordfreq_files(lang)
    if files is None:
        return None
    for path in _cache_files(*files, lang):
        try:
            if not path.exists():
                _write(lang, path)
            table = _open(path)
        except (OSError, ValueError):
            continue
        if table is not None:
            return table
    return None


def zipf_frequency(word: str, lang: str) -> float:
    """``wordfreq.zipf_frequency(word, lang)``."""
    table = lexicon(lang)
    if table is not None and is_plain(word):
        return table.zipf(word)
    return wordfreq.zipf_frequency(word, lang)
