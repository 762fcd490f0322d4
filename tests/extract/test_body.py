"""The one pass over a body (extract/body.py) gives what each field's plain
definition gives, and each text its own results when texts alternate."""

from __future__ import annotations

import re

from seedclean.extract import body, casing, fingerprints, kernels, text_stats

STOP_WORDS = body.data_words("stopwords_gopher.txt")


def _as_defined(text: str) -> body.BodyWords:
    words = re.findall(r"\w+", text)
    folded = [w.casefold() for w in words]
    permutations = fingerprints._permutations(fingerprints.DOC_BANDS * fingerprints.DOC_ROWS)
    return body.BodyWords(
        words=len(words),
        word_chars=sum(map(len, words)),
        tokens=len(text.split()),
        letter_tokens=sum(1 for t in text.split() if re.search(r"[^\W\d_]", t)),
        stop_words=sum(w in STOP_WORDS for w in re.findall(r"\w+", text.lower()))
        if casing.keeps_words(text, "lower")
        else None,
        doc_signature=kernels.PURE["word_shingle_signature"](folded, fingerprints.DOC_SHINGLE_WORDS, *permutations)
        if casing.keeps_words(text, "casefold")
        else None,
        marks=tuple(text.count(mark) for mark in kernels.BODY_MARKS),
    )


def test_equal_to_the_plain_definitions(dev_texts) -> None:
    for _path, text in dev_texts[:120]:
        assert body.words_of(text) == _as_defined(text)


def test_each_text_gets_its_own_words_when_texts_alternate() -> None:
    first, second = "The cat sat on the mat.", "Straße und ΣΑΣ: “quoted” #tag..."
    for text in (first, second, first, second):
        assert body.words_of(text) == _as_defined(text)
    # the fields that share the pass agree with it
    assert text_stats.counts(second)["words"] == body.words_of(second).words
    assert text_stats.quotes(second)["quotes_opening"] == 1
