"""Fields extracted per article: data-driven cases on real text, the seeds,
and invariants on generated text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, load_case_file, needs_dev_corpora, read_jsonl
from seedclean.extract import article, fingerprints, residual, text_stats
from seedclean.normalize.rules import load_rules

CASES = load_case_file("extract_article.json")
RULES = load_rules()


@pytest.mark.parametrize("case", CASES["dateline"], ids=lambda c: c["reason"])
def test_dateline(case: dict) -> None:
    assert article.dateline(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", CASES["credits"], ids=lambda c: c["reason"])
def test_credits(case: dict) -> None:
    assert article.credits([case["input"]], RULES.agencies) == case["expected"]


@pytest.mark.parametrize("case", CASES["published"], ids=lambda c: c["reason"])
def test_published(case: dict) -> None:
    assert article.published(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", CASES["sentences"], ids=lambda c: c["reason"])
def test_sentences(case: dict) -> None:
    assert len(text_stats.sentences(case["input"])) == case["expected"]


@pytest.fixture(scope="module")
def seed_rows(seeds_out) -> dict[str, dict]:
    return {row["id"][:3]: row for row in read_jsonl(seeds_out / "documents.jsonl")}


def test_seed_fields_match_what_the_articles_say(seed_rows: dict[str, dict]) -> None:
    assert seed_rows["000"]["dateline"] == "WEST BANK"
    assert seed_rows["000"]["credits"] == ["Agencies"]
    # 002's "(AP)" sits in a caption the normalizer removes: credits read the raw text too
    assert set(seed_rows["002"]["credits"]) == {"AP", "AFP"}
    assert all(row["language"] == "en" and row["language_score"] >= 0.9 for row in seed_rows.values())
    assert seed_rows["000"]["lede"].startswith("WEST BANK: Negotiations")
    assert "\n" not in seed_rows["000"]["lede"]


def test_quote_balance_of_004(seed_rows: dict[str, dict]) -> None:
    row = seed_rows["004"]
    assert (row["quotes_opening"], row["quotes_closing"], row["quote_balance"]) == (12, 8, 4)
    assert row["quotes_straight"] == 6  # the other four quotes close with a straight "
    assert all(seed_rows[k]["quote_balance"] == 0 for k in ("000", "001", "002", "003"))


def test_seed_counts_match_the_body(seed_rows: dict[str, dict], seeds_out) -> None:
    for row in seed_rows.values():
        body = row["body"]
        assert row["characters"] == len(body)
        assert row["paragraphs"] == len([p for p in body.split("\n\n") if p.strip()])
        assert row["paragraphs"] <= row["sentences"] <= row["words"] <= row["characters"]


def test_residual_artifacts_are_zero_on_clean_seeds(seed_rows: dict[str, dict]) -> None:
    for row in seed_rows.values():
        assert row["residual_hyphen_splits"] == row["residual_boilerplate_lines"] == row["mojibake_badness"] == 0
        assert row["title_in_body"] is False


def test_residual_artifacts_are_counted_on_dirty_text() -> None:
    raw = (SEEDS / "000_769b480d123bd270.txt").read_text(encoding="utf-8")
    assert residual.hyphen_splits(raw, RULES)[0] == 2  # occu-pation, nego-tiate
    tail = (SEEDS / "002_d60c0d61afcbb3f2.txt").read_text(encoding="utf-8")
    assert residual.boilerplate_lines(tail, RULES) >= 2  # Source link, Leave a Reply, ...
    assert residual.mojibake_badness("The cafÃ© reopened on Monday â€” finally.") > 0
    assert residual.title_in_body("Talks resume", "Talks resume\n\nNegotiators met.")
    assert not residual.title_in_body("Talks resume", "Talks resume in Doha, negotiators said.")


def test_000_and_004_share_a_remark_and_no_other_seed_pair_does(seed_rows: dict[str, dict]) -> None:
    def best(a: str, b: str) -> float:
        return max(
            (
                fingerprints.jaccard(fingerprints.remark_shingles(x), fingerprints.remark_shingles(y))
                for x in fingerprints.remarks(seed_rows[a]["body"])
                for y in fingerprints.remarks(seed_rows[b]["body"])
            ),
            default=0.0,
        )

    assert best("000", "004") >= fingerprints.REMARK_THRESHOLD
    others = [("000", "001"), ("001", "002"), ("002", "003"), ("003", "004"), ("001", "004"), ("002", "004")]
    assert all(best(a, b) < fingerprints.REMARK_THRESHOLD for a, b in others)
    # and they share LSH keys, so the corpus pass finds them as candidates
    assert set(seed_rows["000"]["minhash_remarks"]) & set(seed_rows["004"]["minhash_remarks"])


def test_minhash_keys_are_deterministic_and_find_copies() -> None:
    body = (SEEDS / "003_da06f829ba32bcb2.txt").read_text(encoding="utf-8")
    assert fingerprints.doc_keys(body) == fingerprints.doc_keys(body)
    edited = body.replace("Tuesday", "Wednesday", 1)  # a copy with one word changed
    assert set(fingerprints.doc_keys(body)) & set(fingerprints.doc_keys(edited))
    assert fingerprints.jaccard(fingerprints.doc_shingles(body), fingerprints.doc_shingles(edited)) >= 0.8


def test_quality_stats_follow_their_definitions() -> None:
    body = "The cat sat on the mat.\n\nThe cat sat on the mat.\n\n* * *\n\nShort line"
    stats = text_stats.quality(body)
    assert stats["stop_words"] == 4  # the, the, the, the ("on" is not a Gopher stop word)
    assert stats["duplicate_line_char_ratio"] == round(len("The cat sat on the mat.") / len(body), 4)
    assert stats["terminal_punct_line_ratio"] == 0.5
    assert stats["alpha_word_ratio"] == round(14 / 17, 4)  # 3 "*" tokens are not words


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab .!?\n“”"-*Ç1')), max_size=200))
def test_counts_are_always_consistent(text: str) -> None:
    counts = text_stats.counts(text)
    assert counts["paragraphs"] <= counts["sentences"] <= counts["words"] <= counts["characters"]
    assert (counts["characters"] > 0) or counts["paragraphs"] == 0


def _credits_as_first_written(texts: list[str], agencies: tuple[str, ...]) -> list[str]:
    """article.credits with its third pattern as first written (a word
    boundary before the credit word): the fast spelling must agree."""
    import re

    names = "|".join(re.escape(a) for a in sorted(agencies, key=len, reverse=True))
    agency = rf"(?P<agency>{names})"
    patterns = (
        *article._credit_patterns(agencies)[:2],
        re.compile(rf"(?:\b(?:[Bb]y|[Ff]rom|[Pp]hoto:|[Cc]redit:|[Ss]ource:)|©)\s+(?:the\s+)?{agency}(?![\w-])"),
    )
    found: dict[str, int] = {}
    for offset, text in enumerate(texts):
        for pattern in patterns:
            for m in pattern.finditer(text):
                name = m.group("agency")
                stem = name.removesuffix(" Photo")
                found.setdefault(stem if stem in agencies else name, offset * 10_000_000 + m.start())
    return sorted(found, key=found.__getitem__)


def test_credits_equal_their_first_definition_on_real_text(dev_texts) -> None:
    named = 0
    for path, text in dev_texts:
        texts = [text, text.lower()]
        expected = _credits_as_first_written(texts, RULES.agencies)
        assert article.credits(texts, RULES.agencies) == expected, path
        named += bool(expected)
    assert named


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "by",
                "By",
                "xby",
                "from",
                "Photo:",
                "credit:",
                "Source:",
                "©",
                "the",
                "AP",
                "AFP",
                "Reuters",
                "EPA-EFE",
                "Getty Images",
                "(",
                ")",
                "/",
                " ",
                "  ",
                "\n",
                "-",
                "_by",
                "éby",
                "1by",
                "\u00a0",
                "\u2009",
                "\u3000",
                "\x1c",
                "–",
                "—",
                "Associated Press",
            ]
        ),
        max_size=14,
    ).map(" ".join)
)
def test_credits_equal_their_first_definition(text: str) -> None:
    assert article.credits([text], RULES.agencies) == _credits_as_first_written([text], RULES.agencies)


def test_the_re2_space_class_is_pythons_whitespace() -> None:
    # the credit prefilter spells \s for RE2 from the characters up to U+3000
    import re

    spaces = [chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))]
    assert spaces[-1] <= "\u3000"
    assert all(f"\\x{{{ord(c):x}}}" in article._SPACE for c in spaces)


def _published_as_first_written(raw_text: str) -> str | None:
    for m in article._PUBLISHED.finditer(raw_text):
        date = article._iso(m)
        if date:
            return date
    return None


@needs_dev_corpora  # the seeds carry no publication date
def test_published_equals_its_first_definition_on_real_text(dev_texts) -> None:
    dated = 0
    for path, text in dev_texts:
        expected = _published_as_first_written(text)
        assert article.published(text) == expected, path
        dated += expected is not None
    assert dated


def test_a_label_line_opens_with_a_letter_that_folds_only_to_its_capital() -> None:
    # published() looks for labels only at lines opening with these letters
    import re

    for letter in "pudl":
        folds = re.compile(f"(?i){letter}")
        assert [chr(c) for c in range(0x110000) if folds.match(chr(c))] == [letter.upper(), letter]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Published",
                "published on",
                "POSTED:",
                "Updated",
                "Last updated",
                "Date:",
                "datE",
                "Monday,",
                "June",
                "Feb.",
                "30",
                "1st",
                "2025",
                "1999-02-30",
                "2024-06-01",
                " ",
                "\t",
                "\n",
                "\r\n",
                "x",
                "\u00a0",
            ]
        ),
        max_size=16,
    ).map(" ".join)
)
def test_published_equals_its_first_definition(text: str) -> None:
    assert article.published(text) == _published_as_first_written(text)
