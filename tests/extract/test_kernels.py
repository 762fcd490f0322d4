"""The compiled kernels (extract/_native.c) must give what their pure-Python
definitions in extract/kernels.py give: on the seeds and dev corpora, on
generated text, and at the edges (empty text, NUL, U+FFFF, non-BMP
characters, combining marks)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.extract import fingerprints, kernels, language, text_stats
from seedclean.normalize.dehyphenate import split_spans

native = pytest.mark.skipif(kernels.NATIVE is None, reason="the compiled module is not built (or SEEDCLEAN_PURE=1)")
PURE = kernels.PURE
EDGES = [
    "",
    "\x00",
    "\uffff",
    "a\x00b \uffff c",
    "𝄞 non-BMP 😀 words",
    "é vs e\u0301 (combining)",
    "İstanbul ΣΑΣ ß",
    "_ 12 ²³ x_1",
    # é and U+10E9 share a slot of the compiled folding cache (4096 apart)
    "café ჩჩ café The ჩ",
    "ﬁne Straße ΐ ͅ K the K",
]
DOC = fingerprints._permutations(fingerprints.DOC_BANDS * fingerprints.DOC_ROWS)
REMARK = fingerprints._permutations(fingerprints.REMARK_BANDS * fingerprints.REMARK_ROWS)
TEXTS = st.text(max_size=300) | st.text(alphabet="ab É1_\n\t\x00\uffff𝄞\u0301.-", max_size=120)


def _both(name: str, *args):
    return getattr(kernels.NATIVE, name)(*args), PURE[name](*args)


def _langid(data: bytes):
    model = language._model()
    return _both("langid_features", data, model.nextmove, model.rowbase, model.out, len(model.ptc), model.depth)


def _solid_questions(text: str) -> list[str]:
    """What dehyphenation asks of a text (each split pair joined, as written
    and lowered), and some of its own words in other cases."""
    asked = []
    for start, hyphen, after, end in split_spans(text):
        joined = text[start:hyphen] + text[after:end]
        asked += [joined, joined.lower()]
    for word in text.split()[:40]:
        asked += [word, word.lower(), word.upper(), word.strip(".,;:!?\"'()")]
    return asked


def _check(text: str) -> None:
    words = fingerprints._words(text)
    ours, theirs = _both("word_shingle_signature", words, fingerprints.DOC_SHINGLE_WORDS, *DOC)
    assert ours == theirs
    ours, theirs = _both("text_shingle_signature", text, fingerprints.DOC_SHINGLE_WORDS, *DOC)
    assert ours == theirs
    assert _both("text_shingle_signature", text, 2, *DOC)[0] == PURE["text_shingle_signature"](text, 2, *DOC)
    stop_words = text_stats._data_words("stopwords_gopher.txt")
    ours, theirs = _both("count_words_in", text.lower(), stop_words)
    assert ours == theirs
    assert _both("count_lowered_words_in", text, stop_words) == (ours, ours)
    ours, theirs = _both("body_words", text, stop_words, fingerprints.DOC_SHINGLE_WORDS, *DOC)
    assert ours == theirs
    ours, theirs = _both("remark_signature", text, fingerprints.REMARK_SHINGLE_CHARS, *REMARK)
    assert ours == theirs
    for line in [*text.split("\n")[:5], "x"]:
        key = " ".join(line.split()).casefold()
        ours, theirs = _both("title_line", text, key)
        assert ours == theirs
        ours, theirs = _both("title_line", text, key[:-1])
        assert ours == theirs
    flat = " ".join(words)
    ours, theirs = _both("char_shingle_signature", flat, fingerprints.REMARK_SHINGLE_CHARS, *REMARK)
    assert ours == theirs
    ours, theirs = _both("token_counts", text)
    assert ours == theirs
    assert _both("word_count", text) == (ours[0], ours[0])
    ours, theirs = _both("paragraphs_and_sentences", text, text_stats._data_words("abbreviations.txt"))
    assert ours == theirs
    ours, theirs = _both("line_stats", text)
    assert ours == theirs
    ours, theirs = _both("quotations", text)
    assert ours == theirs
    asked = _solid_questions(text)
    assert _both("solid_among", text, asked)[0] == PURE["solid_among"](text, asked)
    ours, theirs = _both("non_ascii", text)
    assert ours == theirs
    for gap in (0, 1, 15):
        ours, theirs = _both("non_ascii_runs", text, gap)
        assert ours == theirs
    data = language._encode(text[: language.SAMPLE_CHARS])
    (ids, counts), expected = _langid(data)
    assert (ids, counts) == expected
    model = language._model()
    weights = np.log1p(np.frombuffer(counts, dtype=np.float32))
    ours, theirs = _class_scores(model.ptc, ids, weights, model.pc, 1 / max(len(data), 1) ** 0.5)
    assert ours.tobytes() == theirs.tobytes()


def _class_scores(table, ids: bytes, weights, priors, scale: float):
    """class_scores compiled and pure, each into a new array."""
    ours, theirs = np.zeros(len(priors), dtype=np.float32), np.zeros(len(priors), dtype=np.float32)
    with np.errstate(all="ignore"):
        kernels.NATIVE.class_scores(table, ids, weights, priors, scale, ours)
        PURE["class_scores"](table, ids, weights, priors, scale, theirs)
    return ours, theirs


@native
def test_equal_on_real_text(dev_texts) -> None:
    for _path, text in dev_texts:
        _check(text)


@native
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n\x00\x7f\x80é“\uffff😀")), max_size=200), st.integers(0, 20))
def test_non_ascii_runs_equal_on_any_gaps(text: str, gap: int) -> None:
    # the word-at-a-time skip over ASCII at every alignment and width
    ours, theirs = _both("non_ascii_runs", text, gap)
    assert ours == theirs


@native
def test_equal_at_the_edges() -> None:
    for text in EDGES:
        _check(text)
        for n in (1, 2, 5, 9):
            assert _both("char_shingle_signature", text, n, *REMARK)[0] == PURE["char_shingle_signature"](
                text, n, *REMARK
            )
            words = text.split()
            assert _both("word_shingle_signature", words, n, *DOC)[0] == PURE["word_shingle_signature"](words, n, *DOC)


@native
@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_equal_on_generated_text(text: str) -> None:
    _check(text)


@native
@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=8), max_size=30), st.integers(1, 7))
def test_word_shingles_equal_on_any_words(words: list[str], n: int) -> None:
    ours, theirs = _both("word_shingle_signature", words, n, *DOC)
    assert ours == theirs


@native
@settings(max_examples=200, deadline=None)
@given(TEXTS, st.frozensets(st.text(alphabet="abtheKKİ", max_size=5), max_size=12), st.integers(1, 6))
def test_body_words_equal_with_any_words(text: str, words: frozenset, n: int) -> None:
    # the stop words in a table (a frozenset), asked one by one (a set), or
    # too long for the table's word buffer
    for asked in (words, set(words), words | {"x" * 70}):
        ours, theirs = _both("body_words", text, asked, n, *DOC)
        assert ours == theirs


def test_every_character_casefolds_to_one_to_three() -> None:
    # the compiled foldings hold three characters (and refuse more)
    assert {len(chr(c).casefold()) for c in range(0x110000)} == {1, 2, 3}


@native
@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["The", "the", "THE", " ", "\t", "\u00a0", "\n", "ß", "ss", "\u0130", "news", "."]), max_size=20
    ).map("".join),
    st.lists(st.sampled_from(["the", " ", "ss", "news", "i\u0307", "."]), max_size=6).map("".join),
)
def test_title_line_equal_on_spaced_text(text: str, key: str) -> None:
    ours, theirs = _both("title_line", text, key)
    assert ours == theirs


@native
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='..a B1#…“„”"\n\t é', max_size=60))
def test_body_words_counts_the_marks_as_str_count(text: str) -> None:
    # runs of "." of every length (str.count("...") does not overlap)
    found = kernels.NATIVE.body_words(text, frozenset({"a"}), 5, *DOC)
    assert found == PURE["body_words"](text, frozenset({"a"}), 5, *DOC)
    assert found[-1] == tuple(map(text.count, kernels.BODY_MARKS))


@native
def test_every_half_is_read_exactly() -> None:
    # each row alone, weighed by 1: its scores are its halves as float32
    # (less their maximum), infinities and NaN included
    halves = np.arange(1 << 16, dtype=np.uint16).view(np.float16)
    for columns in (8, 142):
        table = halves[: len(halves) // columns * columns].reshape(-1, columns)
        priors = np.zeros(columns, dtype=np.float32)
        for row in range(len(table)):
            ids = np.array([row], dtype=np.int32).tobytes()
            ours, theirs = _class_scores(table, ids, np.ones(1, dtype=np.float32), priors, 1.0)
            np.testing.assert_array_equal(ours, theirs)


@native
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_class_scores_equal_numpy(data) -> None:
    columns = data.draw(st.integers(1, 40))
    halves = st.integers(0, (1 << 16) - 1)
    table = np.array(data.draw(st.lists(halves, min_size=columns, max_size=columns * 6)), dtype=np.uint16)
    table = table[: len(table) // columns * columns].view(np.float16).reshape(-1, columns)
    count = data.draw(st.integers(0, 30))
    ids = np.array(data.draw(st.lists(st.integers(0, len(table) - 1), min_size=count, max_size=count)), dtype=np.int32)
    weights = np.array(data.draw(st.lists(FLOATS32, min_size=count, max_size=count)), dtype=np.float32)
    priors = np.array(data.draw(st.lists(FLOATS32, min_size=columns, max_size=columns)), dtype=np.float32)
    ours, theirs = _class_scores(table, ids.tobytes(), weights, priors, data.draw(st.floats(allow_nan=False)))
    np.testing.assert_array_equal(ours, theirs)


@native
def test_bad_input_is_refused_not_read_out_of_bounds() -> None:
    model = language._model()
    table = model.ptc
    scores = np.zeros(table.shape[1], dtype=np.float32)
    one = np.ones(1, dtype=np.float32)
    with pytest.raises(IndexError):
        beyond = np.array([len(table)], dtype=np.int32).tobytes()
        kernels.NATIVE.class_scores(table, beyond, one, model.pc, 1.0, scores)
    with pytest.raises(ValueError):  # a weight short
        kernels.NATIVE.class_scores(table, np.zeros(2, dtype=np.int32).tobytes(), one, model.pc, 1.0, scores)
    with pytest.raises(ValueError):
        kernels.NATIVE.langid_features(b"abc", model.nextmove, model.rowbase, model.out, len(table), 0)
    with pytest.raises(ValueError):  # a feature id beyond the table
        kernels.NATIVE.langid_features(b"the news of the day", model.nextmove, model.rowbase, model.out, 1, model.depth)
    with pytest.raises(ValueError):
        kernels.NATIVE.word_shingle_signature(["a"], 5, b"\x01\x00\x00\x00", b"")
    with pytest.raises(TypeError):
        kernels.NATIVE.body_words("text", ["a", "list"], 5, *DOC)
    with pytest.raises(ValueError):
        kernels.NATIVE.body_words("text", frozenset(), 0, *DOC)
    with pytest.raises(ValueError):
        kernels.NATIVE.non_ascii_runs("é", -1)
    with pytest.raises(TypeError):
        kernels.NATIVE.non_ascii_runs(b"bytes, not a str", 15)
    for name in ("token_counts", "word_count", "quotations", "line_stats"):
        with pytest.raises(TypeError, match=name):
            getattr(kernels.NATIVE, name)(b"bytes, not a str")


def test_the_fields_use_the_kernels(dev_texts) -> None:
    # whichever kernels are in use, the statistics match their plain definitions
    for _path, text in dev_texts[:50]:
        found = text_stats.words(text)
        stats = text_stats.quality(text, found)
        expected = round(sum(map(len, found)) / len(found), 4) if found else 0.0
        assert stats["mean_word_length"] == expected


@native
@settings(max_examples=300, deadline=None)
@given(st.integers(0, 20), st.integers(0, 40), st.binary(max_size=300), st.randoms(use_true_random=False))
def test_band_keys_equal_hashlib(bands: int, rows: int, salt: bytes, rng) -> None:
    # every message length across the 128-byte block edges of blake2b
    values = bytes(rng.getrandbits(8) for _ in range(bands * rows * 4))
    ours, theirs = _both("band_keys", values, bands, rows, salt)
    assert ours == theirs


@native
def test_band_keys_at_the_block_edges() -> None:
    for salt_size in range(120, 140):
        for rows in (0, 1, 2):
            values = bytes(range(256))[: 3 * rows * 4]
            ours, theirs = _both("band_keys", values, 3, rows, b"s" * salt_size)
            assert ours == theirs


@native
@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"aAZ0 .!?…\"”’')]“‘([\n\t\xa0É_", "U.S.", "Oct.", "Mr.", "D.C.", "e.g.", "\n\n"]), max_size=60
    ).map("".join)
)
def test_sentences_equal_on_punctuated_text(text: str) -> None:
    abbreviations = text_stats._data_words("abbreviations.txt")
    assert _both("paragraphs_and_sentences", text, abbreviations)[0] == PURE["paragraphs_and_sentences"](
        text, abbreviations
    )


@native
@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"a1٣ .)…\"”’'。）」\n\t\xa0•●▪‣◦-*–", "...", "12.", "3)", "dup", "\n\n"]), max_size=60
    ).map("".join)
)
def test_line_stats_equal_on_lined_text(text: str) -> None:
    ours, theirs = _both("line_stats", text)
    assert ours == theirs


@native
@settings(max_examples=200, deadline=None)
@given(TEXTS, st.frozensets(st.text(max_size=4) | st.integers(), max_size=12))
def test_count_words_in_any_set(text: str, words: frozenset) -> None:
    # a frozenset is read into a table once; a set is asked word by word
    expected = PURE["count_words_in"](text, words)
    assert kernels.NATIVE.count_words_in(text, words) == expected
    assert kernels.NATIVE.count_words_in(text, set(words)) == expected
    words_found = frozenset(text.split()[:3])
    assert kernels.NATIVE.count_words_in(text, words_found) == PURE["count_words_in"](text, words_found)


@native
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*'“”"„\n a', "abcdefghij", "x" * 9, "ab cd ef"]), max_size=30).map("".join))
def test_quotations_equal_on_quoted_text(text: str) -> None:
    ours, theirs = _both("quotations", text)
    assert ours == theirs


@native
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=80))
def test_non_ascii_equal_on_any_characters(text: str) -> None:
    ours, theirs = _both("non_ascii", text)
    assert ours == theirs


@native
def test_a_lone_surrogate_between_words_is_no_word() -> None:
    # not in a decoded article, but a str may hold one: it is not \w, so the
    # words around it hash as the pure definition hashes them
    for text in ("a\ud800b c d e f", "\udfff", "x \ud83d y"):
        ours, theirs = _both("text_shingle_signature", text, 5, *DOC)
        assert ours == theirs
        assert _both("token_counts", text)[0] == PURE["token_counts"](text)
        assert _both("non_ascii", text)[0] == PURE["non_ascii"](text)


# letters whose lowering is special: final sigma by context, "İ" to two
# characters, the Kelvin sign to ASCII "k"; "²" is a letter to [^\W\d_]
_CASE_EDGES = "aAkKΣσςİiı²_1-\u2010 .'\n\x00\uffff𝄞\u0301é"


@native
@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=_CASE_EDGES, max_size=60),
    st.lists(st.text(alphabet=_CASE_EDGES, min_size=0, max_size=5), max_size=12),
)
def test_solid_among_equals_the_lookups_at_the_case_edges(text: str, asked: list[str]) -> None:
    asked = asked + [w for w in text.split() if w][:10]
    ours, theirs = _both("solid_among", text, asked)
    assert ours == theirs


@native
def test_solid_among_finds_what_the_document_writes() -> None:
    text = "Schwartz-man met SCHWARTZMAN and schwartzman; x²y, long_term, co-op, ΟΔΟΣ."
    found = kernels.NATIVE.solid_among(
        text, ["schwartzman", "Schwartzman", "SCHWARTZMAN", "x²y", "longterm", "coop", "οδος"]
    )
    assert found == {"schwartzman", "SCHWARTZMAN", "x²y", "οδος"}
    assert found == PURE["solid_among"](
        text, ["schwartzman", "Schwartzman", "SCHWARTZMAN", "x²y", "longterm", "coop", "οδος"]
    )
    with pytest.raises(TypeError):
        kernels.NATIVE.solid_among(text, ["a", 1])


def test_only_one_character_lowers_to_more_than_one() -> None:
    # solid_among's C reads every other run by its length: a Unicode update
    # that gives another character a longer lowering must show up here
    assert [c for c in map(chr, range(0x110000)) if len(c.lower()) > 1] == ["\u0130"]


@native
def test_every_character_lowers_as_str_lower_does() -> None:
    # count_lowered_words_in lowers a character at a time in C: every code
    # point, alone and between letters, against str.lower() of the whole
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    for text in (" ".join(every), "a".join(every), "ΑΣ " + " ".join(every[:2000])):
        words = frozenset(text.lower().split()[::3] + text.lower().split("a")[::5])
        ours, theirs = _both("count_lowered_words_in", text, words)
        assert ours == theirs
    assert kernels.NATIVE.count_lowered_words_in("THE Cat İs ΟΔΟΣ", frozenset({"the", "cat", "οδος", "i̇s"})) == 3


FLOATS32 = st.floats(width=32, allow_nan=True, allow_infinity=True)
# ties and NaN where argmax and max must take numpy's first
SCORES = st.lists(FLOATS32 | st.sampled_from([0.0, 1.0, -2.5, float("nan")]), min_size=1, max_size=150)


@native
@settings(max_examples=500, deadline=None)
@given(SCORES, FLOATS32, st.data())
def test_pick_label_equal_numpy(values: list[float], total: float, data) -> None:
    column = st.integers(0, len(values) - 1)
    pairs = data.draw(st.lists(st.tuples(column, column), max_size=3))
    aliases = np.array(pairs, dtype=np.int32).tobytes()
    ours, theirs = np.array(values, dtype=np.float32), np.array(values, dtype=np.float32)
    with np.errstate(all="ignore"):
        (best, score), (their_best, their_score) = (
            kernels.NATIVE.pick_label(ours, total, aliases),
            PURE["pick_label"](theirs, total, aliases),
        )
    assert best == their_best
    # equal as numbers (a NaN's sign bit is the processor's choice)
    np.testing.assert_array_equal([score, *ours], [their_score, *theirs])


@native
def test_score_kernels_refuse_what_they_cannot_read() -> None:
    scores = np.zeros(4, dtype=np.float32)
    table, ids, one = np.zeros((2, 4), dtype=np.float16), np.zeros(1, dtype=np.int32).tobytes(), np.ones(1, np.float32)
    with pytest.raises(ValueError):
        kernels.NATIVE.class_scores(table, ids, one, np.zeros(3, dtype=np.float32), 1.0, scores)
    with pytest.raises(ValueError):
        kernels.NATIVE.class_scores(table, ids, one, np.zeros(0, dtype=np.float32), 1.0, np.zeros(0, np.float32))
    with pytest.raises(ValueError):  # rows of another width
        kernels.NATIVE.class_scores(np.zeros((2, 3), np.float16), ids, one, np.zeros(4, np.float32), 1.0, scores)
    with pytest.raises(TypeError):  # read-only scores are not written
        kernels.NATIVE.class_scores(table, ids, one, scores, 1.0, scores.tobytes())
    with pytest.raises(IndexError):
        kernels.NATIVE.pick_label(scores, 1.0, np.array([[0, 4]], dtype=np.int32).tobytes())
