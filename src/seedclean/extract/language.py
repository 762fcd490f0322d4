"""Language of an article with py3langid's packaged model (nothing is
downloaded at run time). Scores are normalized probabilities in [0, 1].

The scores are py3langid's own (``LanguageIdentifier.classify`` with
``norm_probs=True``), computed faster and in less memory, but for the order
of one float32 sum: py3langid adds a text's weighted feature rows with
numpy's matrix product (OpenBLAS, whose order depends on the processor and
its thread count), and here they are added row after row, as each is read
from the table. The probabilities differ by float32 noise (at most 1.4e-4
on corpus-10k), the 4-place field in ~1 article of 1000, the label in none
seen:

- py3langid walks its byte automaton one byte at a time in Python (most of
  its cost). Here extract/kernels.py walks it: in C when the compiled module
  is built, else with ``depth`` numpy gathers (6 for the packaged model);
- py3langid expands the model into Python lists and arrays (~75 MiB per
  process, ~130 MiB while loading). Here the model's own arrays (float16
  feature table, uint32 transitions: ~68 MiB) are written once, uncompressed,
  to a cache folder (``$XDG_CACHE_HOME/seedclean``, else the temporary
  folder) and memory-mapped: nothing is decompressed per process, a worker
  holds only the pages its texts touch, and workers share them. Without a
  writable cache they are read into memory. (The ~700 float16 rows an
  article uses are converted with F16C where the processor has it, and
  prefetched: what is left of the sum is waiting for memory, which a
  float32 copy would double.)

tests/extract/test_language.py checks label and score against py3langid's
(to 5e-4, and the rounded field equal on the dev corpora).
"""

from __future__ import annotations

import hashlib
import importlib.util
import lzma
import math
import os
import shutil
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from seedclean.cache import cache_folders
from seedclean.extract import kernels

#: below this probability the language is reported as "und" (undetermined);
#: datatrove and RefinedWeb keep documents at >= 0.65
MIN_SCORE = 0.65
#: characters read: an article's language is plain from its opening, and the
#: model's cost grows with the text (9 ms for a long article, about 1 for this much)
SAMPLE_CHARS = 1500

#: the cache's layout; a new one is written beside an old one
_LAYOUT = 2
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "rowbase", "out", "depth")


class _Model(NamedTuple):
    ptc: Any  # float16 (features, classes): log-probabilities of a feature per class
    pc: Any  # float32 (classes,): class priors
    classes: list[str]
    nextmove: Any  # uint32 (rows * 256,): the state a row's byte leads to
    rowbase: Any  # uint32 (states,): where a state's row starts in nextmove
    out: Any  # int32 (states,): the feature a state emits, or -1
    depth: int  # the longest path from the start state to any state (bytes of the longest feature)
    aliases: bytes  # int32 (first, duplicate) pairs: the columns of a repeated label


def _model_file() -> Path:
    """py3langid's packaged model (its langid.MODEL_DIR / MODEL_FILE), found
    without importing py3langid: the import (its modules and logging, 3 ms
    and more a process) is needed only to write the cache."""
    spec = importlib.util.find_spec("py3langid")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("py3langid, whose language model seedclean uses, is not installed")
    return Path(spec.submodule_search_locations[0]) / "data" / "model.npz.xz"


def _depth(nextmove: Any, rowbase: Any) -> int:
    """Breadth-first depth of the automaton (its longest feature, in bytes)."""
    import numpy as np

    seen = np.zeros(len(rowbase), dtype=bool)
    seen[0] = True
    frontier = np.zeros(1, dtype=np.intp)
    depth = 0
    offsets = np.arange(256, dtype=np.intp)
    while True:
        rows = np.unique(rowbase[frontier])
        # in slices: all rows at once would be ~70 MiB of indexes
        reached = np.unique(
            np.concatenate(
                [np.unique(nextmove[(rows[i : i + 4096, None] + offsets).ravel()]) for i in range(0, len(rows), 4096)]
            )
        )
        frontier = reached[~seen[reached]]
        if not len(frontier):
            return depth
        seen[frontier] = True
        depth += 1


def _arrays(model_file: Path) -> dict[str, Any]:
    """The model in the layout used here, computed from py3langid's file."""
    import numpy as np

    # streamed through a temporary file, as py3langid does: the whole
    # uncompressed npz is never in memory at once
    with tempfile.TemporaryFile(suffix=".npz") as tmp:
        with lzma.open(model_file) as src:
            shutil.copyfileobj(src, tmp, length=1 << 20)
        tmp.seek(0)
        with np.load(tmp, allow_pickle=False) as data:
            raw = {name: data[name] for name in data.files}
    rowbase = raw["nextmove_row"].astype(np.uint32) << np.uint32(8)
    nextmove = raw["nextmove"].astype(np.uint32)
    return {
        "ptc": raw["ptc"],
        "pc": raw["pc"],
        "classes": raw["classes"],
        "nextmove": nextmove,
        "rowbase": rowbase,
        "out": raw["out_feat"].astype(np.int32),
        "depth": np.array(_depth(nextmove, rowbase.astype(np.intp)), dtype=np.int64),
    }


#: bytes read from the model file's end for the cache key: an xz file ends
#: with its index and the checksums of its blocks, so two files that end
#: alike (at the same size) hold the same model
_KEY_TAIL = 1 << 16


def _cache_dirs(model_file: Path) -> list[Path]:
    # keyed by the model's content, not its path: every virtual environment
    # with the same py3langid release shares one ~68 MiB cache (each nox
    # session, each venv of a user, wrote its own when the path was in the key)
    with model_file.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - _KEY_TAIL))
        tail = handle.read()
    key = hashlib.blake2b(f"{_LAYOUT}:{size}:".encode() + tail, digest_size=8).hexdigest()
    return [folder / f"py3langid-{key}" for folder in cache_folders()]


def _write_cache(model_file: Path, into: Path) -> None:
    """Write the arrays as .npy files into ``into``, atomically: a
    half-written cache is never seen by another process."""
    import numpy as np

    arrays = _arrays(model_file)
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=into.name + ".", dir=into.parent))
    try:
        for name in _ARRAYS:
            np.save(staging / f"{name}.npy", arrays[name], allow_pickle=False)
        os.replace(staging, into)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not (into / f"{_ARRAYS[-1]}.npy").exists():  # another process may have written it first
            raise


def _load_arrays(model_file: Path) -> dict[str, Any]:
    """Memory-mapped from the first cache that exists or can be written;
    read into memory when none can."""
    import numpy as np

    for cache in _cache_dirs(model_file):
        try:
            if not (cache / f"{_ARRAYS[-1]}.npy").exists():
                _write_cache(model_file, cache)
            if cache.stat().st_uid != os.getuid():  # in a shared temporary folder, only our own
                continue
            return {name: np.load(cache / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
        except (OSError, ValueError):
            continue
    return _arrays(model_file)


@lru_cache(maxsize=1)
def _model() -> _Model:
    import numpy as np

    # plain ndarray views of the maps: np.memmap's indexing is ten times slower
    arrays = {name: np.asarray(array) for name, array in _load_arrays(_model_file()).items()}
    classes = [str(c) for c in arrays["classes"]]
    first: dict[str, int] = {}
    aliases = []
    for i, c in enumerate(classes):
        if c in first:
            aliases.append((first[c], i))
        else:
            first[c] = i
    return _Model(
        ptc=arrays["ptc"],
        pc=arrays["pc"],
        classes=classes,
        nextmove=arrays["nextmove"],
        rowbase=arrays["rowbase"],
        out=arrays["out"],
        depth=int(arrays["depth"]),
        aliases=np.array(aliases, dtype=np.int32).tobytes(),
    )


def _encode(text: str) -> bytes:
    # py3langid's LanguageIdentifier._encode for a str
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


def _features(model: _Model, data: bytes) -> tuple[Any, Any]:
    """(feature ids, counts) emitted while reading ``data``, in the order of
    their first occurrence: py3langid's ``visit_counts``, whose Counter keeps
    that order (it decides the order of the float sum below)."""
    import numpy as np

    ids, counts = kernels.langid_features(data, model.nextmove, model.rowbase, model.out, len(model.ptc), model.depth)
    return np.frombuffer(ids, dtype=np.int32), np.frombuffer(counts, dtype=np.float32)


def classify(text: str) -> tuple[str, float]:
    """py3langid's ``classify`` (normalized probabilities) of all of ``text``:
    the argmax of its ``LanguageIdentifier._decide`` with ``norm_probs=True``."""
    import numpy as np

    model = _model()
    data = _encode(text)
    ids, counts = _features(model, data)
    classes = len(model.pc)
    scores = np.zeros(classes, dtype=np.float32)
    if len(ids):
        # its "log1p(counts) @ rows + pc", scale and maximum taken off, in
        # float32 (in C when built, reading the float16 rows in place)
        kernels.class_scores(model.ptc, ids, np.log1p(counts), model.pc, 1.0 / math.sqrt(len(data)), scores)
    # else no feature: py3langid's scores are all 0 (no priors), and stay 0 until its exp
    np.exp(scores, out=scores)
    # over their sum, the repeated labels folded, and the best
    best, score = kernels.pick_label(scores, scores.sum(), model.aliases)
    return model.classes[best], score


def language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code or "und", probability of the best language)."""
    if text.isspace() or not text:  # (what strip() would leave empty, without the copy)
        return "und", 0.0
    code, score = classify(text[:SAMPLE_CHARS])
    score = round(float(score), 4)
    return (code if score >= MIN_SCORE else "und"), score
