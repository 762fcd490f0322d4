"""The line model on full-page dumps: menus go, the article stays, every
deletion explains itself, and clean articles are never handed to it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED
from seedclean.normalize.linefeatures import line_features, page_dump
from seedclean.normalize.linemodel import _verdicts, load_model, remove_page_chrome
from seedclean.normalize.lines import split_lines
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules
from seedclean.normalize.title import looks_like_headline

RULES = load_rules()

MENU = (
    "World\nU.S.\nPolitics\nBusiness\nTech\nScience\nHealth\nSports\nArts\nBooks\nStyle\nFood\nTravel\n"
    "Magazine\nReal Estate\nVideo\nPodcasts\nNewsletters\nOpinion\nObituaries\nWeather\nLocal\nClimate\n"
)
FOOTER = (
    "Contact Us\nWork with us\nAdvertise\nYour Ad Choices\nPrivacy\nTerms of Service\nTerms of Sale\n"
    "Site Map\nHelp\nSubscriptions\nCareers\nAccessibility\nNewsroom\nCorrections\nMasthead\n"
)
ARTICLE = [
    "The city council voted on Tuesday to expand the bus network, adding six routes that will connect the "
    "northern suburbs with the hospital district for the first time in a decade.",
    "Supporters said the plan would cut commuting times for thousands of workers, while critics warned that "
    "the cost of the new vehicles had not been fully accounted for in the budget.",
    "The first of the new routes is expected to open in the spring, and the rest will follow over the "
    "course of the next two years as drivers are hired and trained.",
    "Transit officials said they would publish detailed timetables once the final stops had been agreed "
    "with residents in each of the neighbourhoods along the way.",
]


def _page() -> str:
    return "City expands bus network - The Daily Example\n" + MENU + "\n".join(ARTICLE) + "\n" + FOOTER + MENU


def test_menus_and_footers_of_a_page_dump_go_and_the_article_stays() -> None:
    result = normalize(_page(), RULES)
    for paragraph in ARTICLE:
        assert paragraph in result.text
    remaining_menu = [line for line in (MENU + FOOTER).split() if f"\n{line}\n" in result.text]
    assert len(remaining_menu) < 10, remaining_menu
    chrome = [e for e in result.edits if e.reason == "page_chrome"]
    assert chrome, "the model judged the dump"
    assert all(e.detail.startswith("P(chrome)=") for e in chrome)


def test_the_model_is_deterministic_and_a_fixpoint() -> None:
    text = _page()
    first = normalize(text, RULES)
    assert normalize(text, RULES).text == first.text
    assert remove_page_chrome(first.text, RULES) == []
    assert normalize(first.text, RULES).text == first.text


def test_clean_articles_are_not_page_dumps() -> None:
    for path in sorted(Path(SEEDS).glob("*.txt")):
        features = line_features(split_lines(path.read_text(encoding="utf-8")))
        assert features and not features[0]["page_dump"], path.name
    assert remove_page_chrome("\n\n".join(ARTICLE) + "\n", RULES) == []


def test_explanations_add_up_to_the_probability() -> None:
    import math

    model = load_model()
    lines = split_lines(_page())
    for row in line_features(lines)[:10]:
        probability, contributions = model.explain(row)
        base = model.base + sum(t[4] if isinstance(t, list) else t for t in model.trees)
        logit = base + sum(contributions.values())
        assert math.isclose(probability, 1 / (1 + math.exp(-logit)), rel_tol=1e-9)


# --- the fast paths give what the plain per-line code gives -----------------

HTML_TEXT = SHARED / "corpora" / "news-bench-dev"


def _documents() -> list[list]:
    """Line lists of real pages (every extractor of news-bench-dev when
    ../shared/corpora is there) and of the synthetic page dump."""
    texts = [_page(), _page().replace("\n", "\n\n"), "\n".join(ARTICLE + MENU.split("\n") * 3)]
    if HTML_TEXT.is_dir():
        texts += [path.read_text(encoding="utf-8") for path in sorted(HTML_TEXT.glob("*/*.txt"))]
    documents = [[line for line in split_lines(text) if line.text.strip()] for text in texts]
    return [lines for lines in documents if lines]


def _scalar_verdicts(lines: list, model) -> dict:
    """The line model's verdicts computed line by line with ``explain``
    (how the step worked before it scored all lines at once)."""
    features = line_features(lines)
    if not features or not features[0]["page_dump"]:
        return {}
    verdicts = {}
    for position, (line, row) in enumerate(zip(lines, features, strict=True)):
        if position == 0 and len(lines) > 1 and looks_like_headline(line.text):
            continue
        probability, contributions = model.explain(row)
        if probability >= model.threshold:
            top = sorted(contributions.items(), key=lambda kv: -kv[1])[:3]
            why = ", ".join(f"{name} {value:+.2f}" for name, value in top)
            verdicts[line.index] = ("page_chrome", f"P(chrome)={probability:.2f} in a page dump; {why}")
    return {} if len(verdicts) == len(lines) else verdicts


def test_all_trees_at_once_give_explains_probabilities_and_top_contributions() -> None:
    model = load_model()
    rows = undecided = 0
    for lines in _documents():
        features = line_features(lines)
        probabilities, ranked = model.explain_rows(features, lambda position, p: True)
        for position, row in enumerate(features):
            probability, contributions = model.explain(row)
            assert probabilities[position] == probability  # bit for bit
            top = sorted(contributions.items(), key=lambda kv: -kv[1])[:3]
            if ranked[position] is None:
                undecided += 1
                continue
            assert [name for name, _ in ranked[position]] == [name for name, _ in top]
            assert [f"{v:+.2f}" for _, v in ranked[position]] == [f"{v:+.2f}" for _, v in top]
            rows += 1
    assert rows > 100
    assert undecided <= rows / 100, "explain is asked again only for near-ties and rounding edges"


def test_the_step_gives_the_verdicts_of_the_line_by_line_model() -> None:
    model = load_model()
    dumps = 0
    for lines in _documents():
        expected = _scalar_verdicts(lines, model)
        assert _verdicts(lines, model) == expected
        dumps += bool(expected)
    assert dumps >= 1


def test_page_dumps_are_told_without_the_features() -> None:
    for lines in _documents():
        assert page_dump(lines) == bool(line_features(lines)[0]["page_dump"])
        # every shorter run of lines too: the step rescores what is left
        for cut in {49, 50, 60, len(lines) // 2} - {0}:
            assert page_dump(lines[:cut]) == bool(line_features(lines[:cut])[0]["page_dump"])


_LINES = st.sampled_from(
    [
        *MENU.split(),
        *FOOTER.split("\n")[:-1],
        *ARTICLE,
        "Home",
        "Log In",
        "Ad",
        "12:30",
        "東京の天気は晴れ",
        "a b c d e f g h i",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=120))
def test_page_dump_agrees_with_the_features_on_generated_documents(texts: list[str]) -> None:
    lines = split_lines("\n".join(texts))
    assert page_dump(lines) == bool(line_features(lines)[0]["page_dump"])


def test_a_line_of_spaces_in_a_page_dump_is_judged_when_the_steps_that_trim_it_are_off() -> None:
    # with whitespace and boilerplate switched off in a config, a line of
    # spaces reaches the line model: it has no characters left to share
    # digits among, and must not end the run with a ZeroDivisionError
    from seedclean.api import explain_text
    from seedclean.config import Config
    from seedclean.document import edit_rows
    from seedclean.write.restore import restore_text

    page = _page().replace("\nPodcasts\n", "\nPodcasts\n   \n", 1)
    config = Config().with_steps(whitespace=False, boilerplate=False)
    result = explain_text(page, config)
    for paragraph in ARTICLE:
        assert paragraph in result.text
    assert any(e.reason == "page_chrome" for e in result.edits)
    assert "\n   \n" in page and "\n   \n" not in result.text
    assert restore_text(result.text, edit_rows("page", result)) == page  # nothing lost
