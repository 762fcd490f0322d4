"""The compiled boilerplate gates (line_suspects, repeated_keys, and
utf8_lines, what the rule scans search) give what
their pure-Python twins give, on real text and on generated edge cases; and
each gate lets through every line its check can call chrome. (The line
model's verdicts, chrome_verdicts, are checked in test_native_linemodel.)"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_dev_corpora
from seedclean.normalize import boilerplate, native
from seedclean.normalize.lines import Line, split_lines
from seedclean.normalize.rules import load_rules

from .test_native import _PIECES, _real_texts

compiled_only = pytest.mark.skipif(not native.BOILER6_COMPILED, reason="seedclean.normalize._native is not built")
RULES = load_rules()
NAMES = boilerplate._folded(RULES.agencies)

# what the gates look for: dates and times in several shapes, other digits,
# captions' ends, credits, dashes, underscores, and characters casefold maps
# to two (the keys' slow path)
_GATE_PIECES = st.sampled_from(
    [
        *_PIECES,
        "2019",
        "1999",
        "2100",
        "11:45",
        "1:3",
        "12/05/2020",
        "1-2-33",
        "1.22.3",
        "٣:٤٥",
        "²³",
        "(",
        ")",
        "(AP Photo)",
        ". .",
        "Associated Press",
        "Al Goldis, AP",
        "Reuters",
        "—",
        "–",
        "-",
        ":",
        "!",
        "?",
        ".",
        "\u00a0",
        "\u3000",
        "ß",
        "ﬁ",
        "İ",
        "Nov",
        "word",
        "Word",
    ]
)
_GATE_TEXTS = st.lists(st.one_of(_GATE_PIECES, st.characters()), max_size=30).map("".join)


def _lines(texts: list[str]) -> list[Line]:
    return split_lines("\n".join(text.replace("\n", " ") for text in texts))


@compiled_only
@needs_dev_corpora
def test_line_suspects_match_on_real_lines() -> None:
    suspects = 0
    for text in _real_texts():
        lines = split_lines(text)
        compiled = native.line_suspects(lines, NAMES)
        assert compiled == native.PURE["line_suspects"](lines, NAMES)
        suspects += len(compiled)
    assert suspects > 100


@compiled_only
@settings(max_examples=400, deadline=None)
@given(st.lists(_GATE_TEXTS, max_size=12))
def test_line_suspects_match_on_any_lines(texts: list[str]) -> None:
    lines = _lines(texts)
    assert native.line_suspects(lines, NAMES) == native.PURE["line_suspects"](lines, NAMES)


def test_line_suspects_gate_each_check() -> None:
    # each check's own first questions decide its bit, in both twins
    cases = {
        "Gaza City, Sunday, June 1, 2025. (AP Photo/Jane Doe)": native.SUSPECT_CAPTION | native.SUSPECT_DATELINE,
        "(Photo: Reuters) .": native.SUSPECT_CAPTION,  # a ":" is in no credit
        "Al Goldis, Reuters": native.SUSPECT_CREDIT,
        "Published 11:11 PM EST Nov 19, 2019": native.SUSPECT_DATELINE,
        "— Jane (@jane) June 1, 2025": 0,  # an embedded post's attribution
        "Tom Davies Associated Press": native.SUSPECT_CREDIT,
        "Tom Davies Associated Press.": 0,
        "It rained (a lot) on 12/05/2020 in the city of Springfield, as the forecast had said it would.": 0,
        "": 0,
    }
    for twin in (native.line_suspects, native.PURE["line_suspects"]):
        for text, bits in cases.items():
            found = twin([Line(0, 0, len(text), text)] if text else [], NAMES)
            assert found.get(0, 0) == bits, (twin, text)


def _key_sets() -> list[list[str]]:
    sets = []
    for text in _real_texts():
        texts = [line.text for line in split_lines(text) if line.words >= boilerplate.REPEAT_MIN_WORDS]
        sets += [texts, texts + texts[:1], [t.upper() for t in texts[:2]] + texts[:2]]
    return sets


@compiled_only
@needs_dev_corpora
def test_repeated_keys_match_on_real_lines() -> None:
    answers = {native.repeated_keys(texts) is None for texts in _key_sets()}
    for texts in _key_sets():
        assert native.repeated_keys(texts) == native.PURE["repeated_keys"](texts)
    assert answers == {True, False}


@compiled_only
@settings(max_examples=400, deadline=None)
@given(st.lists(_GATE_TEXTS, max_size=8), st.sampled_from(["", "x" * 60 + " ", "The same long start of a line. " * 2]))
def test_repeated_keys_match_on_any_text(texts: list[str], prefix: str) -> None:
    # a shared start longer than the hashed prefix: the keys themselves decide
    texts = [prefix + text for text in texts]
    assert native.repeated_keys(texts) == native.PURE["repeated_keys"](texts)
    assert native.repeated_keys(texts + texts[:1]) == native.PURE["repeated_keys"](texts + texts[:1])


def test_repeated_keys_edge_cases() -> None:
    for twin in (native.repeated_keys, native.PURE["repeated_keys"]):
        assert twin([]) is None and twin(["a"]) is None
        assert twin(["Straße  a", "STRASSE a", "b"]) == ["strasse a", "strasse a", "b"]  # casefold and spaces
        assert twin(["x" * 50 + "ß", "x" * 50 + "SS"]) == ["x" * 50 + "ss"] * 2
        assert twin(["x" * 50 + "a", "x" * 50 + "b"]) is None  # alike past the hashed prefix
        assert twin(["\x00\uffff", " \x00\uffff "]) == ["\x00\uffff"] * 2
        # a character casefold maps to several, past the hashed prefix: the keys tell
        assert twin(["ﬁ " * 30 + "a", "FI " * 30 + "b"]) is None
        assert twin(["ﬁ " * 30 + "a", "FI   " * 30 + "A"]) == [("fi " * 30 + "a")] * 2


@compiled_only
@needs_dev_corpora
def test_utf8_lines_match_on_real_lines() -> None:
    for text in _real_texts():
        lines = split_lines(text)
        assert native.utf8_lines(lines) == native.PURE["utf8_lines"](lines)
        assert native.utf8_lines(lines[::3]) == native.PURE["utf8_lines"](lines[::3])


@compiled_only
@settings(max_examples=400, deadline=None)
@given(st.lists(_GATE_TEXTS, max_size=12))
def test_utf8_lines_match_on_any_lines(texts: list[str]) -> None:
    lines = _lines(texts)
    assert native.utf8_lines(lines) == native.PURE["utf8_lines"](lines)


def test_utf8_lines_edge_cases() -> None:
    for twin in (native.utf8_lines, native.PURE["utf8_lines"]):
        assert twin([]) == b""
        assert twin(split_lines(" a\u00a0\n\n\tb é \u3000\n😀")) == "a\nb é\n😀".encode()
        assert twin(split_lines("\u2003 \nx")) == b"\nx"  # a line of spaces is kept, empty
        assert twin(split_lines("ok\nlone \ud800 surrogate")) is None  # UTF-8 cannot hold it


@compiled_only
def test_line_suspects_errors() -> None:
    from seedclean.normalize import _native

    with pytest.raises(TypeError):
        _native.line_suspects([("not a line",)], NAMES)
    with pytest.raises(TypeError):  # an agency name that is no str
        _native.line_suspects(split_lines("Photo by AP"), ("ap", 1))
    with pytest.raises(TypeError):
        _native.repeated_keys([None])
    with pytest.raises(TypeError):
        _native.utf8_lines([("not a line",)])
    with pytest.raises(TypeError):
        _native.utf8_lines([(0, 0, 1, None, 1)])
