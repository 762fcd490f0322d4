"""The compiled scans of the small steps (normalize/native.py, "small steps"
block) find what their pure-Python twins (the steps' regexes)
find: on every text of the seeds and dev corpora, on every text the spaces,
whitespace and repeated_title steps are given in a pipeline run over them,
and on generated edge cases (empty text, NUL, U+FFFF, non-BMP characters,
combining marks, every kind of whitespace)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, dev_texts, needs_dev_corpora
from seedclean.extract import kernels
from seedclean.normalize import native, pipeline, title, unicode
from seedclean.normalize.lines import split_lines
from seedclean.normalize.rules import load_rules
from seedclean.read.decode import decode_bytes

pytestmark = pytest.mark.skipif(not native.DOC7_COMPILED, reason="seedclean.normalize._native is not built")

SCANS = ("edge_spaces", "space_runs", "odd_spaces")
#: spaces of every kind, line breaks, and the awkward characters
_ODD = "  \n\n\t\r\x0b\x0c\x1c\x00\x85\xa0\u2000\u2009\u200a\u200b\u202f\u205f\u3000\u0301\uffff\U0001f600ßİΣ"
_TEXT = st.text(alphabet=st.sampled_from(_ODD) | st.characters(), max_size=60)


def _step_inputs(texts: list[str]) -> dict[str, list[str]]:
    """The texts each step is given when the pipeline runs over ``texts``."""
    seen: dict[str, list[str]] = {}

    def recorded(name: str, function: pipeline.StepFunction) -> pipeline.StepFunction:
        def run(text: str, rules: object) -> list:
            seen.setdefault(name, []).append(text)
            return function(text, rules)  # type: ignore[arg-type]

        return run

    original = pipeline._STAGES
    pipeline._STAGES = tuple(tuple(replace(s, function=recorded(s.name, s.function)) for s in st) for st in original)
    try:
        rules = load_rules()
        for text in texts:
            pipeline.normalize(text, rules)
    finally:
        pipeline._STAGES = original
    return seen


def _assert_scans_match(text: str) -> None:
    for name in SCANS:
        assert getattr(native, name)(text) == native.PURE[name](text), (name, text[:200])


def _assert_candidates_hold(text: str) -> None:
    """Every line the pure filter passes is a compiled candidate, and a
    compiled candidate it does not pass cannot repeat the headline."""
    lines = split_lines(text)
    headline = title.find_title(text)
    key = title._key(headline if headline else (lines[0].text if lines else "x")) or "x"
    words = key.split(" ")
    compiled = native.repeat_candidates(lines, words[0], words[-1])
    pure = native.PURE["repeat_candidates"](lines, words[0], words[-1])
    assert set(pure) <= set(compiled)
    for position in set(compiled) - set(pure):
        assert not title._repeats(title._key(lines[position].text), key)


@needs_dev_corpora
def test_the_scans_match_on_real_text() -> None:
    texts = dev_texts()
    inputs = _step_inputs(texts)
    assert sum(len(native.space_runs(text)) for text in inputs["spaces"]) > 0
    assert sum(len(native.edge_spaces(text)) for text in inputs["whitespace"]) > 0
    for text in texts + inputs["spaces"] + inputs["whitespace"]:
        _assert_scans_match(text)
        _assert_scans_match(text.replace("\n", " \n  "))
    for text in inputs["repeated_title"]:
        _assert_candidates_hold(text)


def test_the_candidates_on_real_text_are_the_pure_ones() -> None:
    """On the seeds (no character outside what simple_fold folds in their
    first and last words) the compiled candidates are exactly the pure ones."""
    for path in sorted(SEEDS.glob("*.txt")):
        text = decode_bytes(path.read_bytes(), path.name).text
        lines = split_lines(text)
        for line in lines[1:]:
            words = title._key(line.text).split(" ")
            first, last = words[0], words[-1]
            assert native.repeat_candidates(lines, first, last) == native.PURE["repeat_candidates"](lines, first, last)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_the_scans_match_on_any_text(text: str) -> None:
    _assert_scans_match(text)
    _assert_candidates_hold(text)


@pytest.mark.parametrize(
    "text",
    ["", " ", "  ", "\n", " \n ", "a", "a  b", "a  \nb", "\n  a  b  \n", "a \u00a0 b", "\u2000x\u205f", "a\t  b",
     "a  \x00", "\x00  \x00", "Talks resume in the city of Kelvin \ufb01\n\ncity of Kelvin \ufb01\n\nBody.\n",
     "\uffff  \uffff", "\U0001f600  \U0001f600 \n", "e\u0301  e\u0301", "a  \u3000b"],
)  # fmt: skip
def test_the_scans_match_on_edge_cases(text: str) -> None:
    _assert_scans_match(text)
    _assert_candidates_hold(text)


def test_the_scans_find_what_the_steps_fix() -> None:
    assert native.edge_spaces("  a b \n c\n") == [(0, 2), (5, 6), (7, 8)]
    assert native.space_runs("a  b\t  c   d  \n") == [(1, 3), (8, 11)]
    assert native.odd_spaces("a\xa0b\u2009c\u3000") == [1, 3]
    rules = load_rules()
    assert unicode.normalize_spaces("a  b", rules)[0][:5] == (1, 3, " ", "space_run", "2 spaces")
    assert unicode.trim_whitespace("a \nb", rules)[0][:4] == (1, 2, "", "edge_space")


def test_a_copy_of_the_headline_is_found_through_the_candidates() -> None:
    text = "Talks resume in Geneva today\n\nTALKS RESUME IN GENEVA TODAY\n\nThe delegates met.\n"
    edits = title.remove_repeated_title(text, load_rules())
    assert [(edit.start, edit.reason) for edit in edits] == [(30, "repeated_title")]


def test_repeat_candidates_refuses_what_is_not_a_line() -> None:
    with pytest.raises(TypeError):
        native.repeat_candidates(["a", "b"], "a", "b")
    with pytest.raises(TypeError):
        native.repeat_candidates([(0, 0, 0, 5), (1, 0, 0, 5)], "a", "b")


# ---- the words a text writes solid (dehyphenate) ------------------------------

_WORDY = st.text(
    alphabet=st.sampled_from("abcABC kK\u212a-\u2010_1\n.é\u00c9\u0416\u0436\u0130\u03a3\u03c3\u03c2ß'"), max_size=40
)


def _asked(text: str, cuts: list[tuple[int, int]]) -> list[str]:
    """Words as dehyphenate asks them: pieces of the text, as written and lower-cased."""
    words = []
    for start, length in cuts:
        piece = text[start : start + length] or "ab"
        words += [piece, piece.lower()]
    return words


def _assert_solid_matches(text: str, words: list[str]) -> None:
    found = native.solid_words(text, words)
    expected = native.PURE["solid_words"](text, words)
    if all(len(word) <= 128 for word in words):  # kernels.solid_among's own limit
        assert expected == kernels.solid_among(text, words)
    if found is None:  # only where it says it is not told
        assert (
            "\u0130" in text
            or "\u03a3" in text
            or len(words) > 40
            or any(len(w) > 128 or not any("a" <= ch.lower() <= "z" for ch in w) for w in words if w)
        )
    else:
        assert found == expected, (text, words)


@settings(max_examples=800, deadline=None)
@given(_WORDY, st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=6))
def test_solid_words_match_on_any_text(text: str, cuts: list) -> None:
    _assert_solid_matches(text, _asked(text, cuts))


@needs_dev_corpora
def test_solid_words_match_on_real_text() -> None:
    from seedclean.normalize.dehyphenate import split_spans

    told = 0
    for text in dev_texts() + _step_inputs(dev_texts()[:200])["dehyphenate"]:
        words = [
            w for s, h, a, e in split_spans(text) for w in (text[s:h] + text[a:e], (text[s:h] + text[a:e]).lower())
        ]
        _assert_solid_matches(text, words)
        # and words the text surely writes, in other cases
        some = [w for w in text.split()[:30] if w.isalpha()]
        _assert_solid_matches(text, some + [w.upper() for w in some] + [w.lower() for w in some])
        told += native.solid_words(text, words) is not None
    assert told > 100


def test_solid_words_edge_cases() -> None:
    for text, words in [
        ("", ["a"]), ("abc", []), ("abc", [""]), ("Kelvin \u212aelvin", ["kelvin"]),
        ("a2bc abc_ ABC", ["abc", "ABC", "bc"]),
        ("\u00c7a \u00e7a", ["\u00e7a"]), ("x-abc abc\u2010y abc", ["abc"]), ("\x00abc\uffff \U0001f600abc", ["abc"]),
        ("ABC", ["abc"] * 50), ("a" * 200, ["a" * 200]), ("\u0416\u0436", ["\u0436\u0436"]),
    ]:  # fmt: skip
        _assert_solid_matches(text, words)
    assert native.solid_words("The Schwartzman said schwartzman", ["Schwartzman", "schwartzman", "x"]) == {
        "Schwartzman",
        "schwartzman",
    }
    with pytest.raises(TypeError):
        native.solid_words("abc", [b"abc"])


def test_solid_words_found_at_every_offset() -> None:
    """The compiled search tests sixteen places a step and the last few one
    by one: a word at any place of a long text, the very end included, is
    found as written and lower-cased, and a word differing in one letter or
    in case ("quizzicaL": its bytes are searched lowered) is not."""
    for at in range(48):
        for tail in ("", " ", " and more words after it"):
            text = "x " * at + "Quizzical" + tail
            words = ["Quizzical", "quizzical", "quizzicaL", "quizzicam", "Puizzical", "uizzical"]
            assert native.solid_words(text, words) == {"Quizzical", "quizzical"}, (at, tail)
            _assert_solid_matches(text, words)
