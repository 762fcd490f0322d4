"""The compiled loops of the normalize stage give what their pure-Python
twins give, bit for bit, on real text and on generated edge cases."""

from __future__ import annotations

import math
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_dev_corpora
from seedclean.normalize import native
from seedclean.normalize.linefeatures import FEATURES, line_features
from seedclean.normalize.linemodel import load_model

from .test_linemodel import _documents

pytestmark = pytest.mark.skipif(not native.COMPILED, reason="seedclean.normalize._native is not built")


def _rows(features: list[dict[str, float]]) -> list[tuple[float, ...]]:
    return list(map(operator.itemgetter(*FEATURES), features))


@pytest.fixture(scope="module")
def real_rows() -> list[list[tuple[float, ...]]]:
    return [_rows(line_features(lines)) for lines in _documents()]


@needs_dev_corpora
def test_forest_scores_and_contributions_are_explains_bit_for_bit(real_rows: list) -> None:
    from seedclean.normalize import _native

    model = load_model()
    flat = model.forest.flat
    checked = 0
    for rows in real_rows:
        scores = _native.forest_scores(flat, model.base, rows)
        if len(rows) < 80:  # the pure twin walks 300 trees in Python: the smaller pages
            assert scores == native.PURE["forest_scores"](flat, model.base, rows)
        for row, score in zip(rows, scores, strict=True):
            probability, contributions = model.explain(dict(zip(FEATURES, row, strict=True)))
            assert 1 / (1 + math.exp(-score)) == probability
            mine = _native.forest_contributions(flat, row)
            assert [(FEATURES[i], v) for i, v in mine] == list(contributions.items())
            checked += 1
        if len(rows) < 80:
            assert native.PURE["forest_contributions"](flat, rows[-1]) == mine
        assert _native.forest_top(flat, rows, 3) == native.PURE["forest_top"](flat, rows, 3)
    assert checked > 1000


def test_the_compiled_and_numpy_walks_give_the_same_verdict_details(real_rows: list) -> None:
    model = load_model()
    for rows in real_rows[::4]:
        features = [dict(zip(FEATURES, row, strict=True)) for row in rows]
        fast_p, fast_top = model.forest._explain_compiled(model.base, features, lambda i, p: True)
        numpy_p, numpy_top = model.forest._explain_numpy(model.base, features, lambda i, p: True)
        assert fast_p == numpy_p
        for position, top in numpy_top.items():
            if top is not None:  # the numpy sums leave near-ties to explain
                shown = [(name, f"{v:+.2f}") for name, v in top]
                assert [(name, f"{v:+.2f}") for name, v in fast_top[position]] == shown


_value = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1.0, 0.5, 1e-300, math.nan])
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(*[_value] * len(FEATURES)), max_size=3))
def test_forest_on_any_numbers_matches_the_pure_twin(rows: list) -> None:
    from seedclean.normalize import _native

    model = load_model()
    flat = model.forest.flat
    assert _native.forest_scores(flat, model.base, rows) == native.PURE["forest_scores"](flat, model.base, rows)
    for row in rows:
        assert _native.forest_contributions(flat, row) == native.PURE["forest_contributions"](flat, row)
    for k in (0, 1, 3, 99):
        assert _native.forest_top(flat, rows, k) == native.PURE["forest_top"](flat, rows, k)


def test_forest_rejects_rows_it_cannot_read() -> None:
    from seedclean.normalize import _native

    flat = load_model().forest.flat
    assert _native.forest_scores(flat, 0.0, []) == []
    with pytest.raises(ValueError):
        _native.forest_scores(flat, 0.0, [(1.0, 2.0)])  # fewer features than the trees use
    with pytest.raises(TypeError):
        _native.forest_scores(flat, 0.0, [("a",) * len(FEATURES)])
    with pytest.raises(ValueError):
        _native.forest_scores((*flat[:5], 99), 0.0, [])
    with pytest.raises(ValueError):
        _native.forest_top(flat, [], -1)
    assert _native.forest_top(flat, [], 3) == []


# --- lines and words ----------------------------------------------------------

# line breaks, spaces, NUL, U+FFFF, combining marks, non-BMP letters and
# digits of other scripts among any characters
_PIECES = ["\n", "\n\n", " ", "\t", "_", "\x00", "\uffff", "\u0301", "é", "ß", "İ", "𝔘", "😀", "٣", "²"]
_TEXTS = st.lists(st.one_of(st.sampled_from(_PIECES), st.characters()), max_size=200).map("".join)


def _real_texts() -> list[str]:
    from conftest import SEEDS, SHARED

    paths = sorted(SEEDS.glob("*.txt"))
    for corpus in ("news-bench-dev", "dehyphen-dev", "mojibake-dev"):
        paths += sorted((SHARED / "corpora" / corpus).rglob("*.txt"))[::5]
    return [path.read_bytes().decode("utf-8", "replace") for path in paths]


def _same_lines(text: str) -> None:
    from seedclean.normalize import _native
    from seedclean.normalize.lines import Line

    compiled = _native.scan_lines(text, Line)
    pure = native.PURE["scan_lines"](text, Line)
    assert compiled == pure
    assert all(type(line) is Line for line in compiled)
    assert _native.count_words(text) == native.PURE["count_words"](text)


@needs_dev_corpora
def test_lines_and_words_match_on_real_text() -> None:
    texts = _real_texts()
    assert len(texts) > 50
    for text in texts:
        _same_lines(text)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_lines_and_words_match_on_any_text(text: str) -> None:
    _same_lines(text)


@pytest.mark.parametrize(
    "text", ["", "\n", "\n\n\n", "a", "\x00", "\uffff\n\uffff", "e\u0301 x", "𝔘𝔫𝔦 code", "a_b c-d"]
)
def test_lines_and_words_match_on_edge_cases(text: str) -> None:
    _same_lines(text)


def test_scan_lines_refuses_other_types() -> None:
    from seedclean.normalize import _native

    with pytest.raises(TypeError):
        _native.scan_lines("a", list)
    with pytest.raises(TypeError):
        _native.scan_lines(b"a", tuple)
    with pytest.raises(TypeError):
        _native.count_words(b"a")
    with pytest.raises(TypeError):
        _native.hyphen_splits(None)


# --- the whole pipeline, compiled and pure ------------------------------------

_PURE_RUN = """
import json, sys
from seedclean.normalize import native
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules
assert not native.COMPILED
rules = load_rules()
texts = json.load(sys.stdin)
results = [normalize(text, rules) for text in texts]
json.dump([[r.text, [list(e) for e in r.edits], list(r.passes)] for r in results], sys.stdout)
"""


@needs_dev_corpora
def test_the_pipeline_gives_the_same_log_with_and_without_the_compiled_module() -> None:
    import json
    import os
    import subprocess
    import sys

    from seedclean.normalize.pipeline import normalize
    from seedclean.normalize.rules import load_rules

    texts = _real_texts()
    env = {**os.environ, "SEEDCLEAN_PURE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _PURE_RUN], input=json.dumps(texts), capture_output=True, text=True, env=env, check=True
    )
    pure = json.loads(done.stdout)
    rules = load_rules()
    compiled = [normalize(text, rules) for text in texts]
    assert len(pure) == len(compiled)
    dumps = 0
    for (text, edits, passes), result in zip(pure, compiled, strict=True):
        assert text == result.text
        assert edits == [list(edit) for edit in result.edits]
        assert passes == list(result.passes)
        dumps += any(edit.reason == "page_chrome" for edit in result.edits)
    assert dumps >= 3, "the line model's compiled walk was exercised"


# --- layout hyphens -------------------------------------------------------------

_HYPHEN_PIECES = st.sampled_from(
    ["-", "\u2010", "\n", "-\n", " ", "@", "/", ".", "_", "1", "٣", "²", "é", "ß", "𝔘", "\u0301", "\x00", "\uffff"]
)
_RUNS = st.builds(lambda n, c: c * n, st.sampled_from([1, 2, 39, 40, 41, 60]), st.sampled_from(["a", "é", "Ж"]))
_HYPHEN_TEXTS = st.lists(st.one_of(_HYPHEN_PIECES, _RUNS, st.characters()), max_size=60).map("".join)


def _same_splits(text: str) -> None:
    from seedclean.normalize import _native
    from seedclean.normalize.dehyphenate import _splits

    compiled = _native.hyphen_splits(text)
    assert compiled == native.PURE["hyphen_splits"](text)
    assert compiled == [(m.start(), m.start(2), m.end(3), m.end()) for m in _splits(text)]


@needs_dev_corpora
def test_hyphen_splits_match_on_real_text() -> None:
    found = 0
    for text in _real_texts():
        _same_splits(text)
        found += len(native.hyphen_splits(text))
    assert found > 100


@settings(max_examples=500, deadline=None)
@given(_HYPHEN_TEXTS)
def test_hyphen_splits_match_on_any_text(text: str) -> None:
    _same_splits(text)


@pytest.mark.parametrize(
    "text",
    [
        "", "-", "a-b", "a-\nb", "x.a-b", "a-b-c", "a-b.", "a-b@", "a" * 40 + "-b", "a" * 41 + "-b", "b-" + "a" * 41,
        # the hyphen-first search: a match ending at U+2010 (its right run is
        # not a left run again), a left run after U+2010, hyphens in a row,
        # a long run cut at 41 letters, NUL, U+FFFF and letters past the BMP
        "ab-cd\u2010ef", "x\u2010ab-\ncd", "ab--cd", "-ab-cd-", "\u2010", "a\u2010b",
        "c" * 80 + "-ab-cd", "ab-" + "c" * 40 + "-de", "\x00ab-cd\x00", "\uffffab-cd",
        "\U0001d400\U0001d401-cd x-\U0001d402",
        "gro\u00df-stadt", "\u4e2d\u6587-\u6587\u5b57", "ab-\n\ncd", "ab-\ncd-\nef",
    ],
)  # fmt: skip
def test_hyphen_splits_match_on_edge_cases(text: str) -> None:
    _same_splits(text)


# --- line statistics of the line model ------------------------------------------

_CASE_PIECES = st.sampled_from(
    [
        "İSTANBUL",
        "ǅemal",
        "ǈ",
        "ß",
        "ẞTRASSE",
        "ΣΊΣΥΦΟΣ",
        "Ωmega",
        "東京タワー",
        "한국어",
        "٣٤",
        "²³",
        "ABCD",
        "Word",
        "word",
    ]
)
_STAT_TEXTS = st.lists(st.one_of(_CASE_PIECES, st.sampled_from(_PIECES), st.characters()), max_size=40).map("".join)


def _same_stats(texts: list[str]) -> None:
    from seedclean.normalize import _native

    assert _native.line_stats(texts) == native.PURE["line_stats"](texts)


@needs_dev_corpora
def test_line_stats_match_on_real_lines() -> None:
    from seedclean.normalize.lines import split_lines

    lines = [line.text for text in _real_texts() for line in split_lines(text)]
    assert len(lines) > 1000
    _same_stats(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(_STAT_TEXTS, max_size=5))
def test_line_stats_match_on_any_text(texts: list[str]) -> None:
    _same_stats(texts)


def test_line_stats_edge_cases_and_errors() -> None:
    from seedclean.normalize import _native

    _same_stats(["", "\x00", "\uffff", "e\u0301tude ÉTUDE", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ABCD", "ǅemal Ǆemal", "a_b_c_d"])
    assert _native.line_stats([]) == []
    with pytest.raises(TypeError):
        _native.line_stats([b"bytes"])
    with pytest.raises(TypeError):
        _native.line_stats(None)


def test_a_stale_or_unwanted_build_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    from seedclean.normalize import _native

    assert native._compiled() is _native
    stale = types.ModuleType("seedclean.normalize._native")
    for name in native.PURE:
        if name != "line_stats":  # a build from before line_stats was written
            setattr(stale, name, getattr(_native, name))
    monkeypatch.setitem(sys.modules, "seedclean.normalize._native", stale)
    monkeypatch.setattr("seedclean.normalize._native", stale, raising=False)
    assert native._compiled() is None
    monkeypatch.setitem(sys.modules, "seedclean.normalize._native", _native)
    monkeypatch.setattr("seedclean.normalize._native", _native, raising=False)
    monkeypatch.setenv("SEEDCLEAN_PURE", "1")
    assert native._compiled() is None
