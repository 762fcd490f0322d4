"""extract/language.py computes py3langid's classification its own way
(vectorised automaton walk, float32 table, memory-mapped cache): label and
score must be py3langid's exactly, since both are published fields."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from seedclean.extract import language


@pytest.fixture(scope="module")
def reference():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_same_label_and_score_as_py3langid_on_real_text(reference, dev_texts) -> None:
    for _path, text in dev_texts:
        # the sample the field reads, a short piece, a piece from the middle
        for piece in (text[: language.SAMPLE_CHARS], text[:40], text[600:2100]):
            assert language.classify(piece) == reference.classify(piece)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300) | st.text(alphabet="abcdefghij ÉéüßжД中文 .,\n", max_size=300))
def test_same_label_and_score_as_py3langid_on_any_text(reference, text: str) -> None:
    assert language.classify(text) == reference.classify(text)


def test_walk_counts_the_features_py3langid_counts(reference) -> None:
    from py3langid.langid import visit_counts

    for path in sorted(SEEDS.glob("*.txt")):
        data = path.read_bytes()
        expected = visit_counts(reference.tk_nextmove, reference._rowbase, reference.tk_output, data)
        ids, counts = language._features(language._model(), data)
        assert language.classify(path.read_text(encoding="utf-8")) == reference.classify(
            path.read_text(encoding="utf-8")
        )
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
        assert language.classify(TEXT) == reference.classify(TEXT)
    finally:
        language._model.cache_clear()


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
        assert language.classify(TEXT) == reference.classify(TEXT)
    finally:
        language._model.cache_clear()
