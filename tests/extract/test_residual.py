"""extract/residual.py's fast counts must equal their plain definitions on
any text: the windowed mojibake count equals ftfy's badness, and the
one-pass boilerplate count equals asking every line against every rule."""

from __future__ import annotations

import dataclasses
import re

import pytest
import re2
from ftfy.badness import badness
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_dev_corpora
from seedclean.extract import residual
from seedclean.extract.residual import mojibake_badness
from seedclean.normalize.lines import split_lines
from seedclean.normalize.rules import load_rules, parse_boilerplate_rules, to_re2

# ASCII, the characters ftfy's sequences are made of, and other scripts
_ALPHABET = "ab Z.,-'\"\n\t0123456789" + "ÃÂâ€œ™©®°·»«¿¡–—´ØÙàáœŒ√≈‚ÄВГРСЂўβΒΓΞΟā€×²³\x80\x9d\xa0" + "дж中文é"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120) | st.text(max_size=80))
def test_badness_equals_ftfy(text: str) -> None:
    assert mojibake_badness(text) == badness(text)


def test_badness_on_real_mojibake() -> None:
    text = "Itâ€™s a “test” â€” with Ã© and Â  here.\n" + "x" * 40 + "Ã\xa0 cafÃ©"
    assert badness(text) > 0
    assert mojibake_badness(text) == badness(text)


@needs_dev_corpora
def test_badness_equals_ftfy_on_real_text(dev_texts) -> None:
    # mojibake-dev holds real mojibake of several kinds beside clean text
    searched = skipped = 0
    for path, text in dev_texts:
        assert mojibake_badness(text) == badness(text), path
        if not text.isascii():
            rest = "".join(sorted({c for c in text if not c.isascii()}))
            possible = residual._badness_possible(rest)
            searched += possible
            skipped += not possible
    assert searched and skipped  # the prefilter is neither always on nor always off


def test_the_badness_regex_is_read_not_given_up_on() -> None:
    # a future ftfy or re module that cannot be read would make the prefilter
    # say "possible" always: correct, but the speed-up gone unnoticed
    _need, tests = residual._badness_requirements()
    assert len(tests) > 20
    assert not residual._badness_possible("’‘“”—–…")
    assert residual._badness_possible("Ã") and residual._badness_possible("â€")


_CODE = st.sampled_from([0x20, 0x41, 0x7E, 0x7F, 0x80, 0xC3, 0xFF, 0x2019, 0x1F600]) | st.integers(0, 0x10FFFF)


@settings(max_examples=400, deadline=None)
@given(
    st.booleans(),
    st.lists(st.tuples(_CODE, _CODE).map(sorted) | _CODE.map(lambda code: [code]), min_size=1, max_size=4),
    st.sampled_from(["", r"\w", r"\S", r"\d"]),
)
def test_a_classs_ascii_characters_are_read_off_it_as_tried_one_by_one(
    negated: bool, members: list[list[int]], category: str
) -> None:
    source = "[" + "^" * negated + "".join("-".join(f"\\U{code:08x}" for code in member) for member in members)
    ((op, av),) = list(re._parser.parse(source + category + "]"))  # type: ignore[attr-defined]
    test = residual._char_item(str(op), av)
    assert residual._passes_some_ascii(str(op), av, test) == any(map(test, map(chr, range(128))))


def test_hyphen_splits_equal_their_definition_on_real_text(dev_texts) -> None:
    # the verdicts are remembered across texts: asked twice, each text still
    # gets the normalizer's own verdicts
    from seedclean.normalize.dehyphenate import _splits, decide

    rules = load_rules()
    for _round in range(2):
        for path, text in dev_texts:
            verdicts = [decide(m.group(1), m.group(4), rules)[0] for m in _splits(text)]
            expected = (verdicts.count("join"), verdicts.count("unsure"))
            assert residual.hyphen_splits(text, rules) == expected, path


# --- residual boilerplate: one pass over the text finds the candidate lines ---

RULES = load_rules()


def _line_by_line(text: str, rules) -> int:
    """The field's definition: every line asked against every rule."""
    whole = rules.rules_for("line") + rules.rules_for("end")
    short = rules.rules_for("short")
    count = 0
    for line in split_lines(text):
        stripped = line.text.strip()
        if any(rule.pattern.fullmatch(stripped) for rule in whole) or (
            len(re.findall(r"\w+", line.text)) <= residual.SHORT_LINE_WORDS
            and any(rule.pattern.search(stripped) for rule in short)
        ):
            count += 1
    return count


def test_boilerplate_lines_equal_the_line_by_line_count_on_real_text(dev_texts) -> None:
    counted = 0
    for path, text in dev_texts:
        expected = _line_by_line(text, RULES)
        assert residual.boilerplate_lines(text, RULES) == expected, path
        counted += expected > 0
    assert counted  # raw pages hold chrome: the comparison saw matching lines


_CHROME = [
    "Share this article",
    "  Leave a Reply ",
    "Photo: Jane Doe/Reuters",
    "Read more:",
    "Advertisement",
    "© 2024 Example Media. All rights reserved.",
    "Privacy Policy",
    "We use cookies to improve this site and the article goes on for a while",
    "Smith contributed reporting from Paris.",
    "Follow us on Twitter",
    "The minister said on Tuesday, March 3, 2020 that talks would go on.",
    "\u00a0Tags: politics, Europe\u2003",
    "Café owners met on Monday.",
    "By Jane Doe and John Roe",
    "5 min read",
]
_LINE = st.one_of(
    st.sampled_from(_CHROME),
    st.text(alphabet="ab cdé.,:©|()[]-\t\u00a0\u2003", max_size=60),
    st.builds(lambda a, b: a + " " + b, st.sampled_from(_CHROME), st.sampled_from(_CHROME)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=12), st.sampled_from(["\n", "\n\n", "\n \n"]))
def test_boilerplate_lines_equal_the_line_by_line_count(lines: list[str], separator: str) -> None:
    text = separator.join(lines)
    assert residual.boilerplate_lines(text, RULES) == _line_by_line(text, RULES)


def test_rules_anchored_to_the_line_are_asked_line_by_line() -> None:
    rules = dataclasses.replace(
        RULES,
        boilerplate=tuple(parse_boilerplate_rules("line\t^menu\tnavigation\nshort\tcookies$\tlegal\n", "test.tsv")),
    )
    text = "  menu\nmain menu\nWe use cookies  \nabout cookies and more"
    assert residual._candidates(("^menu",), ("cookies$",)) is None
    assert residual.boilerplate_lines(text, rules) == _line_by_line(text, rules) == 2


def _re2_search(pattern: str, text: str, whole: bool) -> bool:
    options = re2.Options()
    options.case_sensitive = False  # as the rules are asked
    compiled = re2.compile(to_re2(pattern), options)
    return (compiled.fullmatch if whole else compiled.search)(text) is not None


# word characters of several scripts, non-word ones, and characters that
# fold to ASCII letters under case-insensitive matching (ſ, the Kelvin sign)
_WORDY = st.text(alphabet="aZ9_ -.'’—éßſ\u212a中١\u00a0\u2003!", max_size=12)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(
        [r"\w+", r"\W+", r"[\w .]{2,5}", r"[^\w\s]+", r"a\w*b", r"[^\w]", r"\w\W\w", r"[\w'’.\-]+", r"(?-i:[A-Z]\w+)"]
    ),
    _WORDY,
    st.booleans(),
)
def test_the_candidate_scan_widens_word_classes_to_a_superset(pattern: str, text: str, whole: bool) -> None:
    # the scan reads \w as "ASCII word character or any non-ASCII one": it
    # may find more lines, never fewer
    assert residual._loosened(pattern) != pattern
    if _re2_search(pattern, text, whole):
        assert _re2_search(residual._loosened(pattern), text, whole)


def test_word_classes_are_widened_only_where_they_are_escapes() -> None:
    assert residual._loosened(r"a\\w[\\w]") == r"a\\w[\\w]"
    assert residual._loosened(r"[^]\w]") == "[^]0-9A-Za-z_]"


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [("^abc", True), ("abc$", True), (r"\Aabc", True), (r"a\$", False), ("[^x]y", False), ("[]^$]", False)],
)
def test_line_anchors_are_found_outside_classes(pattern: str, anchored: bool) -> None:
    assert residual._anchors_lines(pattern) is anchored


def _title_in_body_as_defined(title: str | None, body: str) -> bool:
    if not title:
        return False
    key = re.sub(r"\s+", " ", title).strip().casefold()
    return any(re.sub(r"\s+", " ", line.text).strip().casefold() == key for line in split_lines(body))


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="ab Aİß\u00a0\t.", max_size=8),
    st.lists(st.text(alphabet="ab Aİß\u00a0\t.\n", max_size=12), max_size=6).map("\n".join),
)
def test_title_in_body_equals_its_definition(title: str, body: str) -> None:
    for text in (body, body + "\n" + title, f"x\n  {title.upper()} \ny"):
        assert residual.title_in_body(title, text) == _title_in_body_as_defined(title, text)


def test_residual_checks_equal_their_definitions_on_real_text(dev_texts) -> None:
    from seedclean.normalize.dehyphenate import _SPLIT, decide

    for _path, text in dev_texts:
        verdicts = [decide(m.group(1), m.group(4), RULES)[0] for m in _SPLIT.finditer(text)]
        assert residual.hyphen_splits(text, RULES) == (verdicts.count("join"), verdicts.count("unsure"))
        title = text.split("\n", 1)[0]
        for body in (text, text.split("\n", 2)[-1]):
            assert residual.title_in_body(title, body) == _title_in_body_as_defined(title, body)
