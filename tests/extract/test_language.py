"""extract/language.py computes py3langid's classification its own way
(vectorised automaton walk, float16 rows read in place, memory-mapped
cache): label and score must be py3langid's, since both are published
fields, to within the float32 rounding of the order its sums are added in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from seedclean.extract import language

#: py3langid adds a text's weighted feature rows with numpy's matrix product,
#: OpenBLAS's sgemv, whose order of float32 additions depends on the
#: processor, OpenBLAS's kernel for it and its thread count; classify adds
#: them row after row, so the probabilities differ by float32 noise: at most
#: 1.4e-4 over the 30000 pieces of corpus-10k's articles read as below, where
#: 29 of the pieces' 4-place scores (and no label) differ
SCORE_TOLERANCE = 5e-4


@pytest.fixture(scope="module")
def reference():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _assert_agrees(reference, text: str) -> None:
    """Our (label, score) of ``text`` is py3langid's, to the tolerance: a
    label only differs where py3langid's own best two are that close."""
    label, score = language.classify(text)
    theirs = dict(reference.rank(text))
    assert abs(score - theirs[label]) <= SCORE_TOLERANCE
    assert abs(theirs[label] - max(theirs.values())) <= SCORE_TOLERANCE


def test_same_label_and_score_as_py3langid_on_real_text(reference, dev_texts) -> None:
    for _path, text in dev_texts:
        # the sample the field reads, a short piece, a piece from the middle
        for piece in (text[: language.SAMPLE_CHARS], text[:40], text[600:2100]):
            _assert_agrees(reference, piece)
            assert language.classify(piece)[0] == reference.classify(piece)[0]


def test_the_field_is_py3langids_on_real_text(reference, dev_texts) -> None:
    # the published field, rounded to 4 places: on the dev corpora no score
    # lies close enough to a rounding boundary for the sums' order to show
    for _path, text in dev_texts:
        label, score = reference.classify(text[: language.SAMPLE_CHARS])
        score = round(score, 4)
        expected = (label if score >= language.MIN_SCORE else "und", score)
        assert language.language(text) == (expected if text.strip() else ("und", 0.0))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300) | st.text(alphabet="abcdefghij ÉéüßжД中文 .,\n", max_size=300))
def test_same_label_and_score_as_py3langid_on_any_text(reference, text: str) -> None:
    _assert_agrees(reference, text)


def test_walk_counts_the_features_py3langid_counts(reference) -> None:
    from py3langid.langid import visit_counts

    for path in sorted(SEEDS.glob("*.txt")):
        data = path.read_bytes()
        expected = visit_counts(reference.tk_nextmove, reference._rowbase, reference.tk_output, data)
        ids, counts = language._features(language._model(), data)
        _assert_agrees(reference, path.read_text(encoding="utf-8"))
        # the same features, counts and order of first occurrence
        assert list(expected.items()) == list(zip(ids.tolist(), counts.astype(int).tolist(), strict=True))


def test_the_field() -> None:
    assert language.language("  \n ") == ("und", 0.0)
    code, score = language.language((SEEDS / "000_769b480d123bd270.txt").read_text(encoding="utf-8"))
    assert code == "en" and score >= 0.9


TEXT = (SEEDS / "001_aeeeb197b7e706e4.txt").read_text(encoding="utf-8")


def test_the_cache_is_written_once_and_mapped(tmp_path, monkeypatch, reference) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    arrays = language._load_arrays(language._model_file())
    (folder,) = (tmp_path / "seedclean").iterdir()  # no staging folder left behind
    assert isinstance(arrays["ptc"], np.memmap)
    written = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    language._load_arrays(language._model_file())
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == written
    try:
        language._model.cache_clear()
        _assert_agrees(reference, TEXT)
    finally:
        language._model.cache_clear()


def test_the_model_file_is_py3langids_own_found_without_importing_it() -> None:
    script = (
        "import sys\n"
        "from seedclean.extract import language\n"
        "print(language._model_file(), 'py3langid' in sys.modules)\n"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    assert found == [str(Path(MODEL_DIR) / MODEL_FILE), "False"]
    assert Path(found[0]).is_file()


def test_the_cache_is_keyed_by_the_models_content_not_its_path(tmp_path) -> None:
    # each virtual environment installs its own copy of the model (another
    # path, another mtime): they must share one cache, and another model must not
    model = language._model_file().read_bytes()
    copies = [tmp_path / "venv-a" / "model.npz.xz", tmp_path / "venv-b" / "model.npz.xz"]
    for copy in copies:
        copy.parent.mkdir()
        copy.write_bytes(model)
    os.utime(copies[1], ns=(0, 0))
    assert language._cache_dirs(copies[0]) == language._cache_dirs(copies[1])
    other = tmp_path / "other.npz.xz"
    other.write_bytes(model[:-1] + bytes([model[-1] ^ 1]))  # the same size, another checksum
    assert language._cache_dirs(other)[0] != language._cache_dirs(copies[0])[0]


def test_without_a_writable_cache_the_model_is_read_into_memory(tmp_path, monkeypatch, reference) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setattr(language, "_cache_dirs", lambda model_file: [blocked / "seedclean" / "py3langid"])
    arrays = language._load_arrays(language._model_file())
    assert not isinstance(arrays["ptc"], np.memmap)
    try:
        language._model.cache_clear()
        _assert_agrees(reference, TEXT)
    finally:
        language._model.cache_clear()
