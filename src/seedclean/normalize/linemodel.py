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
import operator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

from seedclean.edits import Edit
from seedclean.normalize import native
from seedclean.normalize.linefeatures import DUMP_MIN_LINES, FEATURES, feature_inputs, line_features, page_dump
from seedclean.normalize.lines import Line, delete_lines, split_lines
from seedclean.normalize.rules import Rules
from seedclean.normalize.title import looks_like_headline
from seedclean.normalize.wordlists import word_set

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
    def used_features(self) -> frozenset[str]:
        """The features some tree decides on."""
        used: set[str] = set()
        nodes = list(self.trees)
        while nodes:
            node = nodes.pop()
            if isinstance(node, list):
                used.add(node[0])
                nodes += node[2:4]
        return frozenset(used)

    @cached_property
    def forest(self) -> _Forest:
        return _Forest(self.trees)

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
    """The trees as numpy arrays, walked for all lines and trees at once.

    Every tree is laid out complete to the depth of the deepest (a leaf
    higher up is continued by pass-through nodes that always go left and
    add nothing), so a line's path through a tree is its leaf's number, and
    the walk is a few array operations per level. What ``explain`` adds
    along each path (the root's value, then each step's ``child - value``)
    is kept per leaf.

    ``explain`` sums those terms tree by tree, root to leaf; a sum in
    another order can differ in the last bit, and a probability right on
    the threshold or on a rounding edge would then change the log. So the
    scores are summed in that very order (``np.add.accumulate`` over the
    terms, one tree level after another).
    """

    def __init__(self, trees: tuple[Any, ...]) -> None:
        import numpy as np

        def depth(node: Any) -> int:
            return 1 + max(depth(node[2]), depth(node[3])) if isinstance(node, list) else 0

        index = {name: i for i, name in enumerate(FEATURES)}
        self.depth = levels = max(depth(tree) for tree in trees)
        inner, leaves = 2**levels - 1, 2**levels
        self.feature = np.zeros((len(trees), inner), dtype=np.intp)
        self.threshold = np.full((len(trees), inner), np.inf)
        #: per tree and leaf: the root's value and each level's step (0.0 past a
        #: real leaf), and the feature each step was decided on (-1: none)
        self.terms = np.zeros((len(trees), leaves, levels + 1))
        self.step_feature = np.full((len(trees), leaves, levels), -1, dtype=np.intp)

        #: per tree and leaf: the value of each node on the path (the last repeated
        #: past a real leaf), for contributions summed as ``explain`` sums them
        self.values = np.zeros((len(trees), leaves, levels + 1))

        def lay_out(
            t: int, node: Any, at: int, level: int, terms: list[float], features: list[int], values: list[float]
        ) -> None:
            value = node[4] if isinstance(node, list) else node
            if level == levels:
                self.terms[t, at - inner] = terms + [0.0] * (levels + 1 - len(terms))
                self.step_feature[t, at - inner] = features + [-1] * (levels - len(features))
                self.values[t, at - inner] = values + [values[-1]] * (levels + 1 - len(values))
                return
            if not isinstance(node, list):  # pass-through: threshold +inf, always left
                lay_out(t, node, 2 * at + 1, level + 1, terms, features, values)
                lay_out(t, node, 2 * at + 2, level + 1, terms, features, values)
                return
            name, threshold, left, right, _ = node
            self.feature[t, at] = index[name]
            self.threshold[t, at] = threshold
            for child, child_at in ((left, 2 * at + 1), (right, 2 * at + 2)):
                child_value = child[4] if isinstance(child, list) else child
                lay_out(
                    t,
                    child,
                    child_at,
                    level + 1,
                    [*terms, child_value - value],
                    [*features, index[name]],
                    [*values, child_value],
                )

        for t, tree in enumerate(trees):
            root = tree[4] if isinstance(tree, list) else tree
            lay_out(t, tree, 0, 0, [root], [], [root])
        self.step_column = np.where(self.step_feature < 0, len(FEATURES), self.step_feature)
        # flat, tree by tree and level by level, each level's term at every leaf
        self.terms_by_level = np.ascontiguousarray(self.terms.transpose(0, 2, 1)).ravel()
        self.level_at = (np.arange(len(trees))[:, None] * (levels + 1) + np.arange(levels + 1)[None, :])[
            :, :, None
        ] * leaves
        self.steps = np.ascontiguousarray(self.terms[:, :, 1:]).reshape(-1, levels)  # (tree, leaf), level

    @cached_property
    def flat(self) -> native.ForestArrays:
        """The arrays the compiled walk reads (see :mod:`seedclean.normalize.native`)."""
        import numpy as np

        def c(array: Any, dtype: Any) -> Any:
            return np.ascontiguousarray(array, dtype=dtype).ravel()

        return (
            c(self.feature, np.int32),
            c(self.threshold, np.float64),
            c(self.terms, np.float64),
            c(self.step_feature, np.int32),
            c(self.values, np.float64),
            self.depth,
        )

    def explain(
        self, base: float, rows: list[dict[str, float]], wanted: Any
    ) -> tuple[list[float], dict[int, list[tuple[str, float]] | None]]:
        if native.COMPILED:
            return self._explain_compiled(base, rows, wanted)
        return self._explain_numpy(base, rows, wanted)

    def _explain_compiled(
        self, base: float, rows: list[dict[str, float]], wanted: Any
    ) -> tuple[list[float], dict[int, list[tuple[str, float]] | None]]:
        return self.explain_tuples(base, list(map(operator.itemgetter(*FEATURES), rows)), wanted)

    def explain_tuples(
        self, base: float, x: list[tuple[float, ...]], wanted: Any
    ) -> tuple[list[float], dict[int, list[tuple[str, float]] | None]]:
        """:meth:`explain` for rows in the order of :data:`FEATURES`, with the
        compiled walk (only when it is built): each line walked in C, every
        sum in ``explain``'s order, so the chosen rows' contributions are
        ``explain``'s own, never undecided."""
        flat = self.flat
        probabilities = [1 / (1 + math.exp(-score)) for score in native.forest_scores(flat, base, x)]
        chosen = [position for position, p in enumerate(probabilities) if wanted(position, p)]
        tops = native.forest_top(flat, [x[position] for position in chosen], 3)
        ranked: dict[int, list[tuple[str, float]] | None] = {
            position: [(FEATURES[i], v) for i, v in top] for position, top in zip(chosen, tops, strict=True)
        }
        return probabilities, ranked

    def _explain_numpy(
        self, base: float, rows: list[dict[str, float]], wanted: Any
    ) -> tuple[list[float], dict[int, list[tuple[str, float]] | None]]:
        import numpy as np

        n, trees = len(rows), len(self.feature)
        x = np.array(list(map(operator.itemgetter(*FEATURES), rows)), dtype=np.float64).ravel()
        row_at = (np.arange(n) * len(FEATURES))[:, None]
        tree_at = (np.arange(trees) * self.feature.shape[1])[None, :]
        feature, threshold = self.feature.ravel(), self.threshold.ravel()
        at = np.zeros((n, trees), dtype=np.intp)  # heap position in each tree
        for _ in range(self.depth):
            node = tree_at + at
            at = 2 * at + 1 + (x[row_at + feature[node]] > threshold[node])
        leaf = at - self.feature.shape[1]
        leaf_at = np.arange(trees)[None, :] * self.terms.shape[1] + leaf
        # rows of terms in explain's order (tree by tree, root then levels), lines across
        ordered = self.terms_by_level[self.level_at + leaf.T[:, None, :]].reshape(-1, n)
        scores = np.add.accumulate(np.concatenate([np.full((1, n), base), ordered]), axis=0)[-1]
        probabilities = [1 / (1 + math.exp(-score)) for score in scores.tolist()]
        chosen = [i for i, p in enumerate(probabilities) if wanted(i, p)]
        return probabilities, self._ranked(leaf_at, chosen) if chosen else {}

    def _ranked(self, leaf_at: Any, chosen: list[int]) -> dict[int, list[tuple[str, float]] | None]:
        """Per chosen row, ``explain``'s three largest contributions, in its order.

        The contributions are summed here in any order (``bincount``), which
        can differ from ``explain``'s sequential sum in the last bits only.
        A row is answered from them when no such difference can show: its
        top four are further apart than :data:`SUM_SLACK` and no shown value
        is within :data:`ROUNDING_MARGIN` of where its two printed decimals
        (or its sign) would change.
        Otherwise (ties, values on a rounding edge) the row's answer is None
        and the caller asks ``explain``.
        """
        import numpy as np

        width = len(FEATURES) + 1  # steps on no feature (past a leaf) count in the last column
        paths = leaf_at[np.array(chosen)]
        rows = len(chosen)
        key = (self.step_column.reshape(-1, self.depth)[paths] + (np.arange(rows) * width)[:, None, None]).ravel()
        delta = self.steps[paths].ravel()
        totals = np.bincount(key, weights=delta, minlength=rows * width).reshape(rows, width)[:, :-1]
        met = np.bincount(key, minlength=rows * width).reshape(rows, width)[:, :-1] > 0
        totals = np.where(met, totals, -np.inf)
        top = np.argsort(-totals, axis=1, kind="stable")[:, :4]
        values = np.take_along_axis(totals, top, axis=1)
        # no two of the top four within the slack (a tie or near-tie could swap)
        apart = ((values[:, :-1] - values[:, 1:] > 2 * SUM_SLACK) | (values[:, 1:] == -np.inf)).all(axis=1)
        # no shown value near a rounding edge of two decimals, nor near 0 ("-0.00" or "+0.00")
        hundredths = values[:, :3] * 100
        edge = np.abs(hundredths - np.floor(hundredths) - 0.5) < ROUNDING_MARGIN
        near_zero = np.abs(values[:, :3]) < ROUNDING_MARGIN / 100
        clear = apart & ~(edge | near_zero).any(axis=1)
        out: dict[int, list[tuple[str, float]] | None] = {}
        for position, names, row_values, ok in zip(chosen, top.tolist(), values.tolist(), clear.tolist(), strict=True):
            if ok:
                out[position] = [
                    (FEATURES[i], v) for i, v in zip(names[:3], row_values[:3], strict=True) if v != -math.inf
                ]
            else:
                out[position] = None
        return out


#: how far a sum of a line's tree contributions in another order can be from
#: ``explain``'s (hundreds of terms below 1 in size: about 1e-13 at most)
SUM_SLACK = 1e-9
#: a value this close (in hundredths) to a rounding edge of ``:+.2f`` is left to ``explain``
ROUNDING_MARGIN = 1e-5


@cache
def load_model() -> LineModel:
    data = json.loads(resources.files("seedclean.data").joinpath("line_model.json").read_text(encoding="utf-8"))
    return LineModel(float(data["threshold"]), float(data["base"]), tuple(data["trees"]))


def _verdicts(lines: list[Line], model: LineModel, dump: bool = False) -> dict[int, tuple[str, str]]:
    """``dump``: ``page_dump(lines)`` is known to hold."""
    if not (dump or page_dump(lines)):  # decided without the features
        return {}
    # the headline: the title step takes it, it is not chrome
    skip_first = len(lines) > 1 and looks_like_headline(lines[0].text)

    def wanted(position: int, p: float) -> bool:
        return p >= model.threshold and not (position == 0 and skip_first)

    if native.COMPILED:  # rows made, scored, chosen and explained in one C call
        inputs = feature_inputs(lines, needed=model.used_features)
        chosen = native.table_verdicts(model.forest.flat, model.base, inputs, model.threshold, skip_first, FEATURES)
        if len(chosen) == len(lines):
            return {}
        return {lines[position].index: ("page_chrome", detail) for position, detail in chosen}
    features = line_features(lines, needed=model.used_features)
    probabilities, ranked = model.explain_rows(features, wanted)
    verdicts = {}
    for position, top in ranked.items():
        if top is None:  # too close to call from the numpy sums: ask explain itself
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
    # Most documents are no page dump (or too long to be one), told from
    # the text in one pass: no line, word or feature of theirs is made.
    if not native.dump_gate(text, word_set("chrome_words.txt"), DUMP_MIN_LINES, MAX_LINES):
        return []
    lines = split_lines(text)
    model = load_model()
    removed: dict[int, tuple[str, str]] = {}
    remaining = lines
    for round_no in range(MAX_ROUNDS):
        verdicts = _verdicts(remaining, model, dump=round_no == 0)  # the gate said so of round 0's lines
        if not verdicts:
            break
        removed.update(verdicts)
        remaining = [line for line in remaining if line.index not in verdicts]
    return delete_lines(text, lines, removed)
