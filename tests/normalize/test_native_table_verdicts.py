"""The line model's verdicts from the feature inputs in one call
(``native.table_verdicts``): the compiled one, which never makes the rows
Python floats, says what ``chrome_verdicts`` of ``feature_table``'s rows
says, on real page dumps and on generated lines, log lines included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_dev_corpora
from seedclean.normalize import linefeatures, native
from seedclean.normalize.linemodel import load_model
from seedclean.normalize.lines import split_lines

from .test_linemodel import ARTICLE, FOOTER, MENU
from .test_native import _STAT_TEXTS, _real_texts
from .test_native_lines import _KEY_TEXTS

compiled_only = pytest.mark.skipif(not native.LINEMODEL9_COMPILED, reason="seedclean.normalize._native is not built")


def _verdicts_both_ways(inputs: tuple, threshold: float, skip_first: bool) -> list[tuple[int, str]]:
    """The compiled answer, checked against the pure twin and against
    chrome_verdicts of the compiled feature_table's rows."""
    from seedclean.normalize import _native

    model = load_model()
    args = (model.forest.flat, model.base)
    names = linefeatures.FEATURES
    found = _native.table_verdicts(*args, inputs, threshold, skip_first, names)
    assert found == native.PURE["table_verdicts"](*args, inputs, threshold, skip_first, names)
    rows = _native.feature_table(*inputs) if inputs[0] else []
    assert found == _native.chrome_verdicts(*args, rows, threshold, skip_first, names)
    return found


def _check(texts: list[str], thresholds: tuple[float, ...] = ()) -> list[tuple[int, str]]:
    lines = split_lines("\n".join(texts))
    inputs = linefeatures.feature_inputs(lines, needed=load_model().used_features)
    for threshold in thresholds:
        for skip_first in (False, True):
            _verdicts_both_ways(inputs, threshold, skip_first)
    return _verdicts_both_ways(inputs, load_model().threshold, False)


@compiled_only
def test_a_page_dump_menu_is_chrome_and_its_article_is_not() -> None:
    texts = ["City expands bus network", *MENU.split("\n"), *ARTICLE, *FOOTER.split("\n"), *MENU.split("\n")]
    lines = [text for text in texts if text]
    chosen = dict(_check(lines, (0.0, 0.99)))
    article = {lines.index(paragraph) for paragraph in ARTICLE}
    assert not article & chosen.keys()
    assert len(chosen) > len(lines) // 2
    assert all(detail.startswith("P(chrome)=") and " in a page dump; " in detail for detail in chosen.values())


@compiled_only
@needs_dev_corpora
def test_verdicts_match_on_real_page_dumps() -> None:
    dumps = 0
    for text in _real_texts():
        lines = split_lines(text)
        if linefeatures.page_dump(lines):
            _check([line.text for line in lines])  # the pure forest is slow: the model's threshold only
            dumps += 1
    assert dumps > 5


@compiled_only
@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_STAT_TEXTS, _KEY_TEXTS), min_size=1, max_size=60))
def test_verdicts_match_on_any_lines(texts: list[str]) -> None:
    lines = [text.replace("\n", " ").replace("\r", " ").strip() or "x" for text in texts]
    _check(lines, (0.0, 1.0))


@compiled_only
def test_edge_cases_and_errors() -> None:
    from seedclean.normalize import _native

    model = load_model()
    args = (model.forest.flat, model.base)
    names = linefeatures.FEATURES
    assert _verdicts_both_ways(([], [], None, frozenset(), [], []), 0.0, False) == []
    _check(["one line"], (0.0,))
    with pytest.raises(ValueError):  # a stat, key and mark per text
        _native.table_verdicts(*args, (["a"], [], None, frozenset(), [], []), 0.5, False, names)
    with pytest.raises(TypeError):  # feature_table's inputs, as a tuple
        _native.table_verdicts(
            *args, [["a"], native.line_stats(["a"]), None, frozenset(), ["a"], [0]], 0.5, False, names
        )
    inputs = (["a"], native.line_stats(["a"]), None, frozenset(), ["a"], [0])
    with pytest.raises(ValueError):  # a name for every feature
        _native.table_verdicts(*args, inputs, 0.5, False, names[:3])
    with pytest.raises(TypeError):
        _native.table_verdicts(*args, inputs, 0.0, False, (1,) * len(names))
