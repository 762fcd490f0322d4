"""The quality statistics are computed without a string per token and with
the body's words found once; they must equal their first, plain definitions
(Gopher and FineWeb's) on real and generated text."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.extract import text_stats


def _quality_as_defined(body: str) -> dict[str, float | int]:
    tokens = re.findall(r"\S+", body)
    words = re.findall(r"\w+", body)
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    n_tokens = len(tokens) or 1
    n_lines = len(lines) or 1
    duplicate_chars = sum(len(line) * (n - 1) for line, n in Counter(lines).items() if n > 1)
    stop_words = text_stats._data_words("stopwords_gopher.txt")
    r = text_stats._round
    return {
        "mean_word_length": r(sum(len(w) for w in words) / len(words)) if words else 0.0,
        "alpha_word_ratio": r(sum(1 for t in tokens if re.search(r"[^\W\d_]", t)) / n_tokens) if tokens else 0.0,
        "stop_words": sum(1 for w in words if w.lower() in stop_words),
        "symbol_word_ratio": r((body.count("#") + body.count("…") + body.count("...")) / n_tokens),
        "bullet_line_ratio": r(sum(1 for line in lines if text_stats._BULLET.match(line)) / n_lines) if lines else 0.0,
        "ellipsis_line_ratio": r(sum(1 for line in lines if line.endswith(("…", "..."))) / n_lines) if lines else 0.0,
        "terminal_punct_line_ratio": r(sum(1 for line in lines if line.endswith(text_stats._TERMINAL)) / n_lines)
        if lines
        else 0.0,
        "short_line_ratio": r(sum(1 for line in lines if len(line) <= 30) / n_lines) if lines else 0.0,
        "duplicate_line_char_ratio": r(duplicate_chars / len(body)) if body else 0.0,
        "newline_word_ratio": r(body.count("\n") / len(words)) if words else 0.0,
    }


def test_quality_equals_its_definition_on_real_text(dev_texts) -> None:
    for _path, text in dev_texts:
        expected = _quality_as_defined(text)
        assert text_stats.quality(text) == expected
        assert text_stats.quality(text, text_stats.words(text)) == expected
        assert text_stats.counts(text, text_stats.words(text)) == text_stats.counts(text)
        assert text_stats.counts(text)["words"] == len(re.findall(r"\w+", text))


# letters, digits, underscore, final and other sigmas, characters whose
# lowercase is longer (İ), spaces str.split() and \s agree on, punctuation
_ALPHABET = "aB1_ ΣσςİK\u212aß\u00a0\u2003\u3000\x1c\x85\t\n—“”#….-²½é中"


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=_ALPHABET, max_size=80)
    | st.text(max_size=40)
    | st.lists(
        st.sampled_from(["The", "tHe", "AND", "of", "ΟΔΟΣ", "İt", "\u212aey", "with", "that's", " ", "\n", "—"])
    ).map(" ".join)
)
def test_quality_equals_its_definition(text: str) -> None:
    assert text_stats.quality(text) == _quality_as_defined(text)
    assert len(text.split()) == len(re.findall(r"\S+", text))
