"""The line model's compiled gate and document language
give what their pure-Python twins give on real text and on generated edge
cases, and the twins give what the definitions they stand for give:
``linefeatures.page_dump`` of a text's lines and ``document_language`` of
its words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_dev_corpora
from seedclean.normalize import linefeatures, native
from seedclean.normalize.linemodel import MAX_LINES, load_model
from seedclean.normalize.lines import split_lines
from seedclean.normalize.wordlists import word_set

from .test_linemodel import FOOTER, MENU
from .test_native import _PIECES, _real_texts

compiled_only = pytest.mark.skipif(not native.LINEMODEL7_COMPILED, reason="seedclean.normalize._native is not built")
CHROME = word_set("chrome_words.txt")
PURE_GATE = native.PURE["dump_gate"]
PURE_LANGUAGE = native.PURE["stop_language"]


def _gates(text: str, min_lines: int, max_lines: int) -> list[bool]:
    """The gate's answer on each path that is there (the compiled one when built)."""
    answers = [PURE_GATE(text, CHROME, min_lines, max_lines)]
    if native.LINEMODEL7_COMPILED:
        from seedclean.normalize import _native

        answers.append(_native.dump_gate(text, CHROME, min_lines, max_lines))
    return answers


def _check_gate(text: str) -> None:
    lines = split_lines(text)
    # as the line model asks it: page_dump of the text's lines
    expected = len(lines) <= MAX_LINES and linefeatures.page_dump(lines)
    assert _gates(text, linefeatures.DUMP_MIN_LINES, MAX_LINES) == [expected] * len(_gates(text, 0, 0))
    for bounds in ((0, 10**9), (1, 3), (len(lines), len(lines)), (len(lines) + 1, 10**9), (0, len(lines) - 1)):
        answers = _gates(text, *bounds)
        assert len(set(answers)) == 1, (bounds, answers)


def _languages(stats: list) -> list[str | None]:
    names, masks = linefeatures.stop_masks()
    answers = [PURE_LANGUAGE(stats, names, masks)]
    if native.LINEMODEL7_COMPILED:
        from seedclean.normalize import _native

        answers.append(_native.stop_language(stats, names, masks))
    return answers


def _check_language(texts: list[str]) -> None:
    stats = native.PURE["line_stats"](texts)
    expected = linefeatures.document_language([word for stat in stats for word in stat[0]])
    assert _languages(stats) == [expected] * len(_languages(stats))


@needs_dev_corpora
def test_gate_and_language_on_real_text() -> None:
    texts = _real_texts()
    dumps = 0
    for text in texts:
        _check_gate(text)
        _check_language([line.text for line in split_lines(text)])
        dumps += linefeatures.page_dump(split_lines(text))
    assert len(texts) > 50 and dumps > 5  # the page dumps among them pass the gate


def test_gate_on_a_page_dump_and_its_article() -> None:
    from .test_linemodel import ARTICLE

    dump = MENU * 2 + "\n".join(ARTICLE) + "\n" + FOOTER * 2
    assert _gates(dump, linefeatures.DUMP_MIN_LINES, MAX_LINES) == [True] * len(_gates("", 0, 0))
    assert not any(_gates(dump, linefeatures.DUMP_MIN_LINES, 10))  # longer than a page: never judged
    assert not any(_gates("\n\n".join(ARTICLE * 20), linefeatures.DUMP_MIN_LINES, MAX_LINES))
    _check_gate(dump)
    _check_gate(dump.replace("\n", "\n\n"))


# lines of chrome words, of CJK, of prose and of odd characters, so that
# the gate's every condition is met and missed
_GATE_LINES = st.one_of(
    st.sampled_from(["Share", "Log in", "Facebook Twitter", "Reply", "Home News", "新闻", "日本語の文章です", ""]),
    st.sampled_from(["SUBSCRIBE NOW", "İnstagram", "Comments (3)", "x y z w", "one two three four five six seven"]),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.characters()), max_size=12).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_GATE_LINES, max_size=70), st.integers(0, 4), st.integers(0, 80))
def test_gate_matches_on_any_lines(lines: list[str], min_lines: int, max_lines: int) -> None:
    text = "\n".join(lines)
    answers = _gates(text, min_lines, max_lines)
    assert len(set(answers)) == 1
    _check_gate(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["the and of", "der die und", "le la les", "и в не", "ve bir bu", "de", "en"]),
            st.lists(st.one_of(st.sampled_from(_PIECES), st.characters()), max_size=12).map("".join),
        ),
        max_size=20,
    )
)
def test_language_matches_on_any_words(texts: list[str]) -> None:
    _check_language(texts)


@pytest.mark.parametrize("text", ["", "\n", "\n\n\n", "\x00", "\uffff\n\uffff", "a\n" * 60, "Share\n" * 60])
def test_gate_edge_cases(text: str) -> None:
    _check_gate(text)
    assert len(set(_gates(text, 0, 10**9))) == 1


def test_language_edge_cases() -> None:
    for texts in ([], [""], ["\x00"], ["\uffff the"], ["the"] * 3, ["日本語"]):
        _check_language(texts)


@compiled_only
def test_compiled_twins_reject_what_they_cannot_read() -> None:
    from seedclean.normalize import _native

    names, masks = linefeatures.stop_masks()
    with pytest.raises(TypeError):
        _native.dump_gate("text", ["share"], 0, 10)
    with pytest.raises(TypeError):
        _native.dump_gate(b"text", CHROME, 0, 10)
    with pytest.raises(TypeError):
        _native.stop_language([("not a list",)], names, masks)
    with pytest.raises(TypeError):
        _native.stop_language([(["the"],)], names, {"the": "not a number"})
    with pytest.raises(ValueError):
        _native.stop_language([], tuple(str(i) for i in range(63)), {})


# --- the forest's verdicts ------------------------------------------------------


def _same_verdicts(rows: list, thresholds: tuple[float, ...] = ()) -> None:
    from seedclean.normalize import _native

    model = load_model()
    flat = model.forest.flat
    for threshold in (model.threshold, *thresholds):
        for skip_first in (False, True):
            args = (flat, model.base, rows, threshold, skip_first, linefeatures.FEATURES)
            assert _native.chrome_verdicts(*args) == native.PURE["chrome_verdicts"](*args)


@compiled_only
@needs_dev_corpora
def test_verdicts_match_on_real_page_dumps() -> None:
    needed = load_model().used_features
    chosen = 0
    for text in _real_texts():
        lines = split_lines(text)
        if linefeatures.page_dump(lines):
            rows = linefeatures.feature_rows(lines, needed=needed)
            _same_verdicts(rows, (0.0, 0.99))
            chosen += 1
    assert chosen > 5


_value = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1.0, 0.5, 1e-300, float("nan")])
)


@compiled_only
@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(*[_value] * len(linefeatures.FEATURES)), max_size=12))
def test_verdicts_match_on_any_numbers(rows: list) -> None:
    _same_verdicts(rows, (0.0, 1.0, 2.0, float("nan")))


@compiled_only
def test_verdicts_edge_cases_and_errors() -> None:
    from seedclean.normalize import _native

    model = load_model()
    flat, width = model.forest.flat, len(linefeatures.FEATURES)
    _same_verdicts([])
    _same_verdicts([[1] * width, (True,) * width, (0.5,) * width], (0.0,))  # ints, bools, lists: read as floats
    args = (flat, model.base)
    with pytest.raises(ValueError):
        _native.chrome_verdicts(*args, [(1.0, 2.0)], 0.5, False, linefeatures.FEATURES)  # too few features
    with pytest.raises(ValueError):
        _native.chrome_verdicts(*args, [(1.0,) * width, (1.0,) * (width - 1)], 0.5, False, linefeatures.FEATURES)
    with pytest.raises(TypeError):
        _native.chrome_verdicts(*args, [("a",) * width], 0.5, False, linefeatures.FEATURES)
    with pytest.raises(ValueError):
        _native.chrome_verdicts(*args, [(1.0,) * width], 0.5, False, linefeatures.FEATURES[:3])
    with pytest.raises(TypeError):
        _native.chrome_verdicts(*args, [(1.0,) * width], 0.0, False, (1,) * width)


# --- dates ------------------------------------------------------------------------


def _same_dates(texts: list[str]) -> None:
    from seedclean.normalize import _native

    stats = native.PURE["line_stats"](texts)
    assert _native.date_marks(texts, stats) == native.PURE["date_marks"](texts, stats), texts


@compiled_only
@needs_dev_corpora
def test_date_marks_match_on_real_lines() -> None:
    marked = 0
    for text in _real_texts():
        texts = [line.text for line in split_lines(text)]
        _same_dates(texts)
        marked += sum(native.PURE["date_marks"](texts, native.PURE["line_stats"](texts))) > 0
    assert marked > 20


# the parts of every alternative of linefeatures._DATE, in other cases and
# scripts: the letters re folds to ASCII ones (İ ı ſ K), digits of other
# scripts, superscripts (words but not \d), spaces str.isspace knows
_DATE_PIECES = st.sampled_from(
    [
        *("0", "1", "2", "9", "12", "19", "20", "2024", "1999", "123", "٣", "１", "²", "_", ":", ".", "-", "/"),
        *(" ", "  ", "\t", "\u00a0", "\u3000", "\x1c", "\n", "x", "é", "A"),
        *("jan", "Jan", "JANUARY", "sept", "ſept", "SEP", "May", "mayor", "dec.", "oct", "nov", "ﬁ"),
        *("hours", "HOUR", "min", "mİns", "mıns", "minutes", "days", "hrs", "hr", "day", "ago", "AGO", "agO"),
        *("İ", "ı", "ſ", "K", "ago1", "jané"),
    ]
)


@compiled_only
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.lists(st.one_of(_DATE_PIECES, st.characters()), max_size=10).map("".join), max_size=4))
def test_date_marks_match_on_any_text(texts: list[str]) -> None:
    _same_dates(texts)


@compiled_only
def test_date_marks_edge_cases_and_errors() -> None:
    from seedclean.normalize import _native

    _same_dates(["", "\x00", "\uffff", "12:30", "1:305", "a12:30", "2024", "20245", "1999x", "x1999"])
    _same_dates(["Jan 5", "Jan. 05", "January  12th", "ſep 1", "5 jan", "05 Dec", "5 janvier2", "3 hours ago"])
    _same_dates(["10 mİnutes   ago", "1 hr ago.", "1 hrs agox", "2 days\u00a0ago", "٣ hours ago", "12 hours"])
    _same_dates(["mayor 12", "May 123", "may 1²", "𝔘 2020", "2020 𝔘", "_2020", "2020_", "19:0٣", "Jan\x1c1"])
    with pytest.raises(ValueError):
        _native.date_marks(["a"], [])
    with pytest.raises(TypeError):
        _native.date_marks(["a"], [("a",)])
    with pytest.raises(TypeError):
        _native.date_marks([b"2020"], native.PURE["line_stats"](["2020"]))
