"""The compiled line facts (line keys, agency-name ends, CJK counts and the
line model's feature rows) give what their pure-Python twins give, bit for
bit, on real text and on generated edge cases; and the boilerplate step's
narrowed checks judge every line as the full check does."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_dev_corpora
from seedclean.normalize import boilerplate, linefeatures, native
from seedclean.normalize.lines import split_lines
from seedclean.normalize.rules import load_rules

from .test_native import _PIECES, _STAT_TEXTS, _real_texts

compiled_only = pytest.mark.skipif(not native.COMPILED, reason="seedclean.normalize._native is not built")
RULES = load_rules()

# spaces str.split() takes, characters casefold maps to two or to another
# script, Latin-1 letters, general punctuation, CJK, NUL and U+FFFF
_KEY_PIECES = st.sampled_from(
    [
        *_PIECES,
        "\u00a0",
        "\u2028",
        "\u3000",
        "\x1c",
        "\x85",
        "µ",
        "ß",
        "ẞ",
        "ﬁ",
        "İ",
        "Σ",
        "ÀÉÎ",
        "×",
        "’",
        "“”",
        "—",
        "\u205f",
        "日本",
        "AP",
        "Reuters",
        ".",
        "!",
        "?",
        "(AP)",
        " AFP ",
    ]
)
_KEY_TEXTS = st.lists(st.one_of(_KEY_PIECES, st.characters()), max_size=40).map("".join)


def _bits(rows: list[tuple[float, ...]]) -> list[bytes]:
    """Rows as bytes: equal only when every value is the same double (0.0 is not -0.0)."""
    return [struct.pack(f"{len(row)}d", *row) for row in rows]


def _table(texts: list[str], needed: frozenset[str] | None, table: object) -> object:
    stats = native.line_stats(texts)
    language = linefeatures.document_language([w for stat in stats for w in stat[0]])
    stops = linefeatures.stop_lists().get(language) if language else None
    wanted = (needed is None or name in needed for name in ("url", "separators", "byline"))
    marks = linefeatures.pattern_marks(texts, stats, *wanted)
    keys = native.PURE["line_keys"](texts)
    rows = table(texts, stats, stops, linefeatures.word_set("chrome_words.txt"), keys, marks)  # type: ignore[operator]
    return _bits(rows)


def _same_table(texts: list[str]) -> None:
    from seedclean.normalize import _native
    from seedclean.normalize.linemodel import load_model

    for needed in (None, load_model().used_features):
        assert _table(texts, needed, _native.feature_table) == _table(texts, needed, native.PURE["feature_table"])


@compiled_only
@needs_dev_corpora
def test_feature_rows_match_bit_for_bit_on_real_documents() -> None:
    documents = 0
    for text in _real_texts():
        texts = [line.text for line in split_lines(text)]
        if texts:
            _same_table(texts)
            documents += 1
    assert documents > 50


@compiled_only
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_STAT_TEXTS, _KEY_TEXTS), min_size=1, max_size=60))
def test_feature_rows_match_on_any_lines(texts: list[str]) -> None:
    _same_table([text.replace("\n", " ") or "x" for text in texts])


@compiled_only
def test_feature_rows_edge_cases_and_errors() -> None:
    from seedclean.normalize import _native

    _same_table(["\x00", "\uffff", "日本語の文章です。" * 10, "- item", "• item", "Title:", "So...", "Wait…"])
    _same_table(["one line"])
    _same_table(["   ", "a line"])  # stripped to nothing: no digits to share, on both paths
    assert _native.feature_table([], [], None, frozenset(), [], []) == []
    with pytest.raises(ValueError):
        _native.feature_table(["a"], [], None, frozenset(), [], [])
    with pytest.raises(TypeError):
        _native.feature_table(["a"], [("a",)], None, frozenset(), ["a"], [0])
    with pytest.raises(TypeError):
        _native.feature_table(["a"], native.line_stats(["a"]), [], frozenset(), ["a"], [0])


def _same_keys_and_cjk(texts: list[str]) -> None:
    from seedclean.normalize import _native

    assert _native.line_keys(texts) == native.PURE["line_keys"](texts)
    assert _native.cjk_counts(texts) == native.PURE["cjk_counts"](texts)


@compiled_only
@needs_dev_corpora
def test_keys_and_cjk_match_on_real_lines() -> None:
    lines = [line.text for text in _real_texts() for line in split_lines(text)]
    assert len(lines) > 1000
    _same_keys_and_cjk(lines)


@compiled_only
@settings(max_examples=300, deadline=None)
@given(st.lists(_KEY_TEXTS, max_size=8))
def test_keys_and_cjk_match_on_any_text(texts: list[str]) -> None:
    _same_keys_and_cjk(texts)


@compiled_only
def test_keys_of_every_character() -> None:
    # each character alone, between words and doubled: the one-character
    # foldings made in C are casefold's own (and the rest falls back to it)
    chars = [chr(c) for c in range(0x3100)] + [chr(c) for c in (0xFFFF, 0x10400, 0x1D518, 0x1F600)]
    _same_keys_and_cjk([f"Ab {c}{c} x{c}" for c in chars] + chars)


@compiled_only
def test_keys_and_cjk_edge_cases_and_errors() -> None:
    from seedclean.normalize import _native

    _same_keys_and_cjk(["", " ", "\x00", "\uffff", "Photo: AP.", "Tom Davies Associated Press ", "Straße AFP"])
    with pytest.raises(TypeError):
        _native.line_keys([b"a"])
    with pytest.raises(TypeError):
        _native.cjk_counts([None])


@compiled_only
def test_forest_scores_of_any_number_of_rows() -> None:
    # the compiled walk takes rows four at a time: every remainder is summed alike
    from seedclean.normalize import _native
    from seedclean.normalize.linemodel import load_model

    model = load_model()
    texts = [line.text for line in split_lines(open(__file__, encoding="utf-8").read())][:9]
    rows = linefeatures.feature_rows(split_lines("\n".join(texts)))
    for n in range(len(rows) + 1):
        mine = _native.forest_scores(model.forest.flat, model.base, rows[:n])
        assert _bits([tuple(mine)]) == _bits(
            [tuple(native.PURE["forest_scores"](model.forest.flat, model.base, rows[:n]))]
        )


def _narrowed(text: str) -> int:
    """Checks every line's verdict with only the checks the scans allow;
    returns how many lines were called chrome."""
    lines = split_lines(text)
    checks = boilerplate._suspect_checks(text, lines, RULES)
    assert checks is not None
    hits = RULES.may_match_whole("line", [line.text.strip() for line in lines])
    chrome = 0
    for line, hit in zip(lines, hits, strict=True):
        may = checks.get(line.index, 0) | (boilerplate.MAY_LINE if hit else 0)
        full = boilerplate._chrome_verdict(line, RULES)
        assert (boilerplate._chrome_verdict(line, RULES, may) if may else None) == full, line.text
        chrome += full is not None
    return chrome


@needs_dev_corpora
def test_narrowed_checks_judge_real_lines_as_the_full_check() -> None:
    assert sum(_narrowed(text) for text in _real_texts()) > 100


# a lone surrogate never reaches the steps (decoding cannot make one, and the
# API refuses a str holding one), and RE2 reads UTF-8, which cannot hold one
_TEXTS_WITHOUT_SURROGATES = st.lists(
    st.one_of(_KEY_PIECES, st.characters(exclude_categories=("Cs",))), max_size=40
).map("".join)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            _TEXTS_WITHOUT_SURROGATES,
            st.sampled_from(["(AP Photo/Jane Doe)", "Published Nov 19, 2019", "Privacy Policy"]),
        ),
        max_size=12,
    )
)
def test_narrowed_checks_judge_any_lines_as_the_full_check(pieces: list[str]) -> None:
    _narrowed("\n".join(pieces))


def test_caption_ends() -> None:
    for text in ["(AP Photo)", "(AP Photo).", "(AP) . .", "x (AP)\u00a0.", "(AP)   "]:
        assert boilerplate._may_end_caption(text.strip())
    for text in ["(AP) said", "no caption", "(AP) x."]:
        assert not boilerplate._may_end_caption(text)


def _thread_line_by_line(lines: list) -> int | None:
    headers = [
        line.index
        for line in lines
        if line.text.rstrip().endswith(":") and boilerplate._COMMENT_HEADER.fullmatch(line.text.strip())
    ]
    return headers[0] if len(headers) >= boilerplate.COMMENT_HEADERS and headers[0] > 0 else None


_THREAD = st.lists(
    st.one_of(
        _KEY_TEXTS,
        st.sampled_from(["Jane Doe says:", "Jane Doe says :  ", "\tBob wrote:\r", "x says: no", "Ann said:", "said:"]),
    ),
    max_size=10,
)


@settings(max_examples=300, deadline=None)
@given(_THREAD)
def test_comment_thread_prefilter_changes_nothing(pieces: list[str]) -> None:
    text = "\n".join(pieces)
    lines = split_lines(text)
    assert boilerplate._comment_thread(lines, text) == _thread_line_by_line(lines)


@needs_dev_corpora
def test_comment_thread_prefilter_changes_nothing_on_real_text() -> None:
    texts = _real_texts()
    assert len(texts) > 50
    for text in texts:
        lines = split_lines(text)
        assert boilerplate._comment_thread(lines, text) == _thread_line_by_line(lines)


def _header_ends_by_regex(text: str) -> int:
    return sum(1 for _ in zip(range(2), boilerplate._HEADER_END.finditer(text), strict=False))


_HEADER_PIECES = st.lists(
    st.one_of(
        _KEY_PIECES,
        st.sampled_from(
            ["says", "said", "wrote", "writes", "essays", ":", " :", "\n", "\r", "\t", " ", "\u2028", "\x85", "Says"]
        ),
    ),
    max_size=14,
)


@settings(max_examples=500, deadline=None)
@given(_HEADER_PIECES)
def test_header_ends_counts_as_the_regex_does(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert boilerplate._header_ends(text) == _header_ends_by_regex(text)


def test_header_ends_edge_cases() -> None:
    # a line break inside the header's optional space, a word inside a word,
    # two colons on one line, the end of the text, upper case (not a header)
    cases = {"a says\n:\nb wrote:": 2, "essays:\nx": 1, "says: said:": 1, "said:": 1, "Says:\nWROTE:": 0, "": 0}
    for text, count in cases.items():
        assert boilerplate._header_ends(text) == _header_ends_by_regex(text) == count, text


@needs_dev_corpora
def test_header_ends_counts_as_the_regex_does_on_real_text() -> None:
    for text in _real_texts():
        assert boilerplate._header_ends(text) == _header_ends_by_regex(text)


@compiled_only
def test_the_compiled_word_test_agrees_with_the_pure_count_on_every_character() -> None:
    """Every code point (lone surrogates cannot be in our str), alone and
    between two word characters: the ASCII table and the Unicode tables
    read \\w as Python's re does."""
    pure = native.PURE["count_words"]
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        assert native.count_words(char) == pure(char), hex(code)
        assert native.count_words(f"a{char}b") == pure(f"a{char}b"), hex(code)
    ascii_lines = "\n".join(chr(code) * 3 + " x" for code in range(128) if code != 10)
    assert native.scan_lines(ascii_lines, tuple) == native.PURE["scan_lines"](ascii_lines, tuple)


@compiled_only
@pytest.mark.parametrize(
    "call",
    [
        lambda lines: native.line_suspects(lines, ("AP",)),
        native.utf8_lines,
        lambda lines: native.repeat_candidates(lines, "a", "b"),
    ],
    ids=["line_suspects", "utf8_lines", "repeat_candidates"],
)
def test_the_compiled_line_readers_refuse_what_is_no_split_line(call) -> None:
    lines = split_lines("A first line\nA second line\nA third line\n")
    call(lines)  # real lines are read
    for bad in [(0, 0, 12), "A line", None]:
        with pytest.raises(TypeError):
            call([lines[0], bad, lines[2]])
