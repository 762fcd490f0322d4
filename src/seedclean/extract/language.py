"""Language of an article with py3langid's packaged model (nothing is
downloaded at run time). Scores are normalized probabilities in [0, 1]."""

from __future__ import annotations

from functools import lru_cache

#: below this probability the language is reported as "und" (undetermined);
#: datatrove and RefinedWeb keep documents at >= 0.65
MIN_SCORE = 0.65
#: characters read: an article's language is plain from its opening, and the
#: model's cost grows with the text (9 ms for a long article, about 1 for this much)
SAMPLE_CHARS = 1500


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code or "und", probability of the best language)."""
    if not text.strip():
        return "und", 0.0
    code, score = _identifier().classify(text[:SAMPLE_CHARS])
    score = round(float(score), 4)
    return (code if score >= MIN_SCORE else "und"), score
