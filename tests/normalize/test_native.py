"""The compiled loops of the normalize stage give what their pure-Python
twins give, bit for bit, on real text and on generated edge cases."""

from __future__ import annotations

import math
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.normalize.test_linemodel import _documents

from seedclean.normalize import native
from seedclean.normalize.linefeatures import FEATURES, line_features
from seedclean.normalize.linemodel import load_model

pytestmark = pytest.mark.skipif(not native.COMPILED, reason="seedclean.normalize._native is not built")


def _rows(features: list[dict[str, float]]) -> list[tuple[float, ...]]:
    return list(map(operator.itemgetter(*FEATURES), features))


@pytest.fixture(scope="module")
def real_rows() -> list[list[tuple[float, ...]]]:
    return [_rows(line_features(lines)) for lines in _documents()]


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
