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

import itertools
import json
import math
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

from seedclean.edits import Edit
from seedclean.normalize.linefeatures import FEATURES, line_features, page_dump
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

    @cached_property
    def forest(self) -> _Forest:
        return _Forest.from_trees(self.trees)

    def explain_rows(
        self, rows: list[dict[str, float]], wanted: Any
    ) -> tuple[list[float], dict[int, list[tuple[str, float]] | None]]:
        """:meth:`explain` for many lines at once: the probability of every
        row (bit for bit), and for each row where ``wanted(position,
        probability)`` holds, its three largest contributions as ``explain``
        ranks them, or None where only ``explain`` can tell (see
        :meth:`_Forest._ranked`)."""
        return self.forest.explain(self.base, rows, wanted)


class _Forest:
    """The trees as flat numpy arrays, walked for all lines and trees at once.

    ``explain`` adds floats in a fixed order (tree by tree, root to leaf); a
    sum in another order can differ in the last bit, and a probability on the
    threshold or a contribution on a rounding edge would then change the log.
    So the terms are laid out in that order and summed sequentially
    (``cumsum``), and each feature's contribution is built with the very same
    operations ``(c + child) - value``, one occurrence after another.
    """

    def __init__(self, feature: Any, threshold: Any, left: Any, right: Any, value: Any, roots: Any) -> None:
        self.feature, self.threshold, self.left, self.right, self.value, self.roots = (
            feature,
            threshold,
            left,
            right,
            value,
            roots,
        )

    @classmethod
    def from_trees(cls, trees: tuple[Any, ...]) -> _Forest:
        import numpy as np

        index = {name: i for i, name in enumerate(FEATURES)}
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []

        def add(node: Any) -> int:
            at = len(feature)
            feature.append(-1)
            threshold.append(0.0)
            left.append(-1)
            right.append(-1)
            value.append(node[4] if isinstance(node, list) else node)
            if isinstance(node, list):
                feature[at] = index[node[0]]
                threshold[at] = node[1]
                left[at] = add(node[2])
                right[at] = add(node[3])
            return at

        roots = [add(tree) for tree in trees]
        return cls(
            np.array(feature, dtype=np.intp),
            np.array(threshold, dtype=np.float64),
            np.array(left, dtype=np.intp),
            np.array(right, dtype=np.intp),
            np.array(value, dtype=np.float64),
            np.array(roots, dtype=np.intp),
        )

    def explain(
        self, base: float, rows: list[dict[str, float]], wanted: Any
    ) -> tuple[list[float], dict[int, list[tuple[str, float]] | None]]:
        import numpy as np

        x = np.array([[row[name] for name in FEATURES] for row in rows], dtype=np.float64)
        n, trees = len(rows), len(self.roots)
        at = np.arange(n)[:, None]
        node = np.broadcast_to(self.roots, (n, trees)).copy()
        terms = [self.value[node]]  # the roots' values, then one step a level
        steps: list[tuple[Any, Any, Any]] = []  # per level: feature, child value, node value
        while True:
            feature = self.feature[node]
            inner = feature >= 0
            if not inner.any():
                break
            go_left = x[at, feature] <= self.threshold[node]
            child = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
            child_value, node_value = self.value[child], self.value[node]
            terms.append(np.where(inner, child_value - node_value, 0.0))
            steps.append((np.where(inner, feature, -1), child_value, node_value))
            node = child
        # base, then per tree its root and its steps: explain's order of additions
        ordered = np.stack(terms, axis=2).reshape(n, -1)
        scores = np.cumsum(np.concatenate([np.full((n, 1), base), ordered], axis=1), axis=1)[:, -1]
        probabilities = [1 / (1 + math.exp(-score)) for score in scores.tolist()]
        chosen = [i for i, p in enumerate(probabilities) if wanted(i, p)]
        return probabilities, self._ranked(steps, chosen) if chosen else {}

    def _ranked(
        self, steps: list[tuple[Any, Any, Any]], chosen: list[int]
    ) -> dict[int, list[tuple[str, float]] | None]:
        """Per chosen row, ``explain``'s three largest contributions, in its order.

        The contributions are summed here in any order (``bincount``), which
        can differ from ``explain``'s sequential sum in the last bits only.
        A row is answered from them when no such difference can show: its
        top four are further apart than :data:`SUM_SLACK` and each printed
        value (two decimals) is the same at either end of the slack.
        Otherwise (ties, values on a rounding edge) the row's answer is None
        and the caller asks ``explain``.
        """
        import numpy as np

        width = len(FEATURES)
        rows = np.array(chosen)
        feature = np.stack([f[rows] for f, _, _ in steps], axis=2).reshape(len(rows), -1)
        delta = np.stack([(c - v)[rows] for _, c, v in steps], axis=2).reshape(len(rows), -1)
        taken = feature >= 0
        key = (np.arange(len(rows))[:, None] * width + feature)[taken]
        totals = np.bincount(key, weights=delta[taken], minlength=len(rows) * width).reshape(len(rows), width)
        met = np.bincount(key, minlength=len(rows) * width).reshape(len(rows), width) > 0
        totals = np.where(met, totals, -np.inf)
        top = np.argsort(-totals, axis=1, kind="stable")[:, :4]
        values = np.take_along_axis(totals, top, axis=1)
        out: dict[int, list[tuple[str, float]] | None] = {}
        for position, names, row_values in zip(chosen, top.tolist(), values.tolist(), strict=True):
            shown = [(FEATURES[i], v) for i, v in zip(names[:3], row_values[:3], strict=True) if v != -math.inf]
            if all(a - b > 2 * SUM_SLACK for a, b in itertools.pairwise(row_values) if b != -math.inf) and all(
                f"{v - SUM_SLACK:+.2f}" == f"{v + SUM_SLACK:+.2f}" for _, v in shown
            ):
                out[position] = shown
            else:
                out[position] = None
        return out


#: how far a sum of a line's tree contributions in another order can be from
#: ``explain``'s (hundreds of terms below 1 in size: about 1e-13 at most)
SUM_SLACK = 1e-9


@cache
def load_model() -> LineModel:
    data = json.loads(resources.files("seedclean.data").joinpath("line_model.json").read_text(encoding="utf-8"))
    return LineModel(float(data["threshold"]), float(data["base"]), tuple(data["trees"]))


def _verdicts(lines: list[Line], model: LineModel) -> dict[int, tuple[str, str]]:
    if not page_dump(lines):  # most documents: decided without the features
        return {}
    features = line_features(lines)
    # the headline: the title step takes it, it is not chrome
    skip_first = len(lines) > 1 and looks_like_headline(lines[0].text)
    probabilities, ranked = model.explain_rows(
        features, lambda position, p: p >= model.threshold and not (position == 0 and skip_first)
    )
    verdicts = {}
    for position, top in ranked.items():
        if top is None:  # too close to call from the fast sums: ask explain itself
            top = sorted(model.explain(features[position])[1].items(), key=lambda kv: -kv[1])
        why = ", ".join(f"{name} {value:+.2f}" for name, value in top[:3])
        detail = f"P(chrome)={probabilities[position]:.2f} in a page dump; {why}"
        verdicts[lines[position].index] = ("page_chrome", detail)
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
