"""The compiled bookkeeping and scans of the pipeline (normalize/native.py,
"pipeline" block) give what their pure-Python twins give: on every text of
the seeds and dev corpora, through the whole pipeline, and on generated
edge cases (empty text, NUL, U+FFFF, non-BMP characters, combining marks)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import dev_texts, needs_dev_corpora
from seedclean.edits import Edit, LoggedEdit, StepMap
from seedclean.normalize import native, pipeline, unicode
from seedclean.normalize.rules import load_rules

pytestmark = pytest.mark.skipif(not native.PIPELINE_COMPILED, reason="seedclean.normalize._native is not built")

PIPELINE_FUNCTIONS = (
    "log_step", "edit_table", "json_record", "edit_counts", "unicode_scan", "paragraph_breaks", "mojibake_lines",
)  # fmt: skip
#: characters the scans and steps look for, and the awkward ones
_ODD = " \n\n\r\t\x00\x0b\x85\xa0\xad\xc3\xa9\xe2\u20ac\u2019\u2014\u2028\u200b\ufeff\u0301\u2000\u205f\uffff\U0001f600"
_TEXT = st.text(alphabet=st.sampled_from(_ODD) | st.characters(), max_size=60)


@pytest.fixture
def pure(monkeypatch: pytest.MonkeyPatch):
    """Within the test, the pipeline's pure twins are in use."""

    def use() -> None:
        for name in PIPELINE_FUNCTIONS:
            monkeypatch.setattr(native, name, native.PURE[name])
        monkeypatch.setattr(unicode, "_last_scan", ("", 0))

    return use


@needs_dev_corpora  # the seeds alone log 57 edits
def test_the_whole_pipeline_logs_the_same_with_the_pure_twins(pure) -> None:
    rules = load_rules()
    texts = dev_texts()
    compiled = [pipeline.normalize(text, rules) for text in texts]
    pure()
    assert [pipeline.normalize(text, rules) for text in texts] == compiled
    assert sum(len(result.edits) for result in compiled) > 100


def test_the_scans_match_on_real_text() -> None:
    for text in dev_texts():
        for part in (text, text[: len(text) // 3], text.replace("\n", "\n\n\n")):
            assert native.unicode_scan(part) == native.PURE["unicode_scan"](part)
            end = len(part.rstrip("\n"))
            assert native.paragraph_breaks(part, end) == native.PURE["paragraph_breaks"](part, end)
            assert native.mojibake_lines(part) == native.PURE["mojibake_lines"](part)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.integers(min_value=-3, max_value=70))
def test_the_scans_match_on_any_text(text: str, end: int) -> None:
    assert native.unicode_scan(text) == native.PURE["unicode_scan"](text)
    assert native.paragraph_breaks(text, end) == native.PURE["paragraph_breaks"](text, end)
    assert native.mojibake_lines(text) == native.PURE["mojibake_lines"](text)


def test_the_scan_bits_say_what_the_steps_look_for() -> None:
    scan = native.unicode_scan
    assert scan("") == 0 == scan("Plain words.\n\nMore words.\n")
    assert scan("a\r\nb") == native.SCAN_LINE_BREAK
    assert scan("a\x00b") == scan("a\tb") == native.SCAN_CONTROL
    assert scan("a\xa0b") == native.SCAN_ODD_SPACE
    assert scan("a  b") == native.SCAN_SPACE_PAIR
    assert scan("a \nb") == scan(" a") == native.SCAN_EDGE_SPACE
    assert scan("a\n\n\nb") == scan("\na") == scan("a\n\n") == native.SCAN_BLANK
    assert scan("caf\xc3\xa9") & native.SCAN_MOJIBAKE
    assert scan("e\u0301") == scan("\uffff") == scan("\U0001f600") == native.SCAN_COMBINING
    assert scan("it\u2019s \u2014 \u2026") == 0


def test_text_of_characters_the_scan_passes_is_nfc() -> None:
    """normalize_nfc trusts a text without SCAN_COMBINING to be NFC: no
    such character decomposes, combines or composes with its neighbour."""
    passed = [chr(c) for c in range(0x10000) if not native.unicode_scan(chr(c)) & native.SCAN_COMBINING]
    assert len(passed) > 800
    for char in passed:
        assert unicodedata.combining(char) == 0 and unicodedata.is_normalized("NFC", char)
    for first in passed:
        for second in passed:
            assert unicodedata.is_normalized("NFC", first + second), (first, second)


_EDIT = st.builds(
    lambda start, length, replacement, reason, flagged: Edit(
        start, start + length, "" if flagged else replacement, reason, f"d{start}", flagged
    ),
    st.integers(min_value=-2, max_value=25),
    st.integers(min_value=-1, max_value=6),
    st.sampled_from(["", "x", "\n\n", "\u2019", "\U0001f600"]),
    st.sampled_from(["a", "b"]),
    st.booleans(),
)


def _steps(log_step, text: str, steps: list[list[Edit]], drop: list[bool]):
    """Each step's edits through log_step in turn, as normalize runs them."""
    logged: list = []
    passes: list = []
    maps: list = []
    answers = []
    for number, (edits, drop_flags) in enumerate(zip(steps, drop, strict=False)):
        try:
            done = log_step(text, edits, maps, f"step{number}", len(maps), drop_flags, logged, passes, LoggedEdit)
        except ValueError as exc:
            answers.append(("error", str(exc)))
            break
        answers.append(done)
        if done is not None:
            text = done[0]
    return answers, logged, passes, maps


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.lists(st.lists(_EDIT, max_size=5), max_size=4), st.lists(st.booleans(), min_size=4, max_size=4))
def test_log_step_matches_the_pure_twin(text: str, steps: list, drop: list) -> None:
    assert _steps(native.log_step, text, steps, drop) == _steps(native.PURE["log_step"], text, steps, drop)


_KIND_TEXT = st.text(alphabet=st.sampled_from("ab \n\x7f\x80\xe9\xff\u0100\u2019\uffff\U0001f600"), max_size=40)


@settings(max_examples=500, deadline=None)
@given(
    _KIND_TEXT,
    st.integers(0, 150),
    st.sampled_from([0x80, 0x100, 0x10000]),
    st.sampled_from(["", "x", "\xe9", "\u2019", "\U0001f600"]),
)
def test_log_step_texts_are_of_the_smallest_kind_that_holds_them(
    text: str, pad: int, above: int, replacement: str
) -> None:
    # the compiled log_step makes the new text in one str, of the kind its
    # kept characters and replacements need: here every character from
    # ``above`` on is replaced, so what is left may need a narrower kind
    # than the text. A str of a wider kind compares unequal to the same text
    # made otherwise (str equality compares kinds first), and ASCII text
    # marked latin-1 says it is not ASCII. Padding takes the scans past
    # their 64-character blocks
    text = "a" * pad + text
    edits = [Edit(at, at + 1, replacement, "r") for at, character in enumerate(text) if ord(character) >= above]
    done = native.log_step(text, edits, [], "s", 0, False, [], [], LoggedEdit)
    if done is None:  # nothing from ``above`` on
        return
    made = done[0]
    assert made == native.PURE["log_step"](text, edits, [], "s", 0, False, [], [], LoggedEdit)[0]
    assert made == "".join(list(made))
    assert made.isascii() == all(character < "\x80" for character in made)


def test_log_step_maps_edits_back_to_the_raw_text() -> None:
    raw = "ab\r\ncd\r\n"
    logged: list = []
    passes: list = []
    maps: list = []
    first = [Edit(2, 4, "\n", "line_ending"), Edit(6, 8, "\n", "line_ending")]
    text, changed = native.log_step(raw, first, maps, "line_endings", 0, False, logged, passes, LoggedEdit)
    assert (text, changed) == ("ab\ncd\n", True)
    text, _ = native.log_step(text, [Edit(3, 5, "", "x")], maps, "other", 1, False, logged, passes, LoggedEdit)
    assert text == "ab\n\n"
    step_map = StepMap.from_edits(first)  # the offsets as edits.StepMap maps them
    raw_span = step_map.span_to_input(3, 5)
    assert (logged[-1].before, (logged[-1].raw_start, logged[-1].raw_end)) == ("cd", raw_span)
    assert raw[raw_span[0] : raw_span[1]] == "cd"  # not "cd\r\n": the span ends where the "\n" begins
    assert passes == [0, 0, 1]
    with pytest.raises(ValueError, match="overlaps an earlier edit"):
        native.log_step(text, [Edit(0, 2, "", "x"), Edit(1, 3, "", "x")], maps, "s", 2, False, [], [], LoggedEdit)
    assert native.log_step(text, [Edit(0, 1, "", "x", "", True)], maps, "s", 2, True, [], [], LoggedEdit) is None


def test_real_documents_encode_alike(pure) -> None:
    rules = load_rules()
    results = [(str(n), pipeline.normalize(text, rules)) for n, text in enumerate(dev_texts()[:80])]
    compiled = [(native.edit_table(doc, r.edits, r.passes), native.edit_counts(r.edits)) for doc, r in results]
    pure()
    assert [(native.edit_table(doc, r.edits, r.passes), native.edit_counts(r.edits)) for doc, r in results] == compiled


#: what the scan looks for, each put at every offset of a plain text below:
#: the compiled scan reads 16 bytes a step, comparing each character with
#: the one or two before it, so a pair may straddle two steps
_SCANNED = ("  ", " \n", "\n ", "\n\n\n", "\x00", "\t", "\r", "\x7f", "\x85", "\xa0", "\u2028", "\xc3\xa9", "e\u0301")


@pytest.mark.parametrize("wide", ["", "\u2019", "\U0001f600"], ids=["ascii", "ucs2", "ucs4"])
def test_the_scan_finds_each_thing_at_every_offset(wide: str) -> None:
    plain = "Talks.resume-in_Cairo" * 3 + wide
    for found in _SCANNED:
        for at in range(40):
            for text in (plain[:at] + found + plain[at:], plain[:at] + found, found + plain[:at]):
                assert native.unicode_scan(text) == native.PURE["unicode_scan"](text), (found, at)
