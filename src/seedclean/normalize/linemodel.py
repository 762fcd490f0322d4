"""The line model: site chrome in full-page dumps (menus, footers, link lists).

Text extractors that keep a whole page (html-text and the like) leave the
article buried among navigation, related-article lists and footers, far more
than rules can name. A small gradient-boosted tree ensemble, trained on the
general features of :mod:`seedclean.normalize.linefeatures` (see
``scripts/train_line_model.py``) and shipped as data, scores each line. It is
deterministic, and only judges documents that look like a page dump, so
clean article text from a good extractor is never handed to it.

Each deletion is logged with the model's probability and the features that
pushed it most (their contributions along the trees' paths), so a reader can
see why a line went. The step runs to a fixpoint on its own output, so
normalizing an output again deletes nothing more.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from seedclean.edits import Edit
from seedclean.normalize.linefeatures import line_features
from seedclean.normalize.lines import Line, delete_lines, split_lines
from seedclean.normalize.rules import Rules
from seedclean.normalize.title import looks_like_headline

#: rounds of scoring on the remaining lines before the step gives up
MAX_ROUNDS = 8
#: a web page dump has a few hundred lines (dev: at most 388); a text far
#: longer is a book or a concatenation, not a page, and scoring every line
#: of it with hundreds of trees would take minutes
MAX_LINES = 5000


@dataclass(frozen=True)
class LineModel:
    threshold: float
    base: float
    trees: tuple[Any, ...]

    def explain(self, features: dict[str, float]) -> tuple[float, dict[str, float]]:
        """Probability of chrome and each feature's contribution (log-odds)."""
        score = self.base
        contributions: dict[str, float] = {}
        for tree in self.trees:
            node = tree
            score_node = node[4] if isinstance(node, list) else node
            score += score_node
            while isinstance(node, list):
                name, threshold, left, right, value = node
                node = left if features[name] <= threshold else right
                child = node[4] if isinstance(node, list) else node
                contributions[name] = contributions.get(name, 0.0) + child - value
                score += child - value
        return 1 / (1 + math.exp(-score)), contributions


@cache
def load_model() -> LineModel:
    data = json.loads(resources.files("seedclean.data").joinpath("line_model.json").read_text(encoding="utf-8"))
    return LineModel(float(data["threshold"]), float(data["base"]), tuple(data["trees"]))


def _verdicts(lines: list[Line], model: LineModel) -> dict[int, tuple[str, str]]:
    features = line_features(lines)
    if not features or not features[0]["page_dump"]:
        return {}
    verdicts = {}
    for position, (line, row) in enumerate(zip(lines, features, strict=True)):
        if position == 0 and len(lines) > 1 and looks_like_headline(line.text):
            continue  # the headline: the title step takes it, it is not chrome
        probability, contributions = model.explain(row)
        if probability >= model.threshold:
            top = sorted(contributions.items(), key=lambda kv: -kv[1])[:3]
            why = ", ".join(f"{name} {value:+.2f}" for name, value in top)
            verdicts[line.index] = ("page_chrome", f"P(chrome)={probability:.2f} in a page dump; {why}")
    if len(verdicts) == len(lines):
        return {}
    return verdicts


def remove_page_chrome(text: str, rules: Rules) -> list[Edit]:
    """Delete the lines the model calls chrome, rescoring what remains until
    nothing more goes (so the output is a fixpoint)."""
    lines = split_lines(text)
    if len(lines) > MAX_LINES:
        return []
    model = load_model()
    removed: dict[int, tuple[str, str]] = {}
    remaining = lines
    for _ in range(MAX_ROUNDS):
        verdicts = _verdicts(remaining, model)
        if not verdicts:
            break
        removed.update(verdicts)
        remaining = [line for line in remaining if line.index not in verdicts]
    return delete_lines(text, lines, removed)
