"""The line model on full-page dumps: menus go, the article stays, every
deletion explains itself, and clean articles are never handed to it."""

from __future__ import annotations

from pathlib import Path

from conftest import SEEDS
from seedclean.normalize.linefeatures import line_features
from seedclean.normalize.linemodel import load_model, remove_page_chrome
from seedclean.normalize.lines import split_lines
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules

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
