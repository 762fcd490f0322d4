"""Train the line model shipped in src/seedclean/data/line_model.json.

    .venv/bin/python scripts/train_line_model.py [--corpora ../shared/corpora] [--cv]

Data: news-bench-dev. Each extractor output is run through the pipeline up to
the boilerplate rules; each remaining line is labelled by the benchmark's own
oracle line filter (kept iff its words occur in the human-annotated body), and
the annotated bodies themselves are added as documents whose every line
stays. The model is a small gradient-boosted tree ensemble (300 trees of depth 3,
logistic loss, Newton leaves, quantile bins: deterministic) over the general
features of seedclean.normalize.linefeatures, trained on the documents that
look like full-page dumps (the only ones it judges), lines weighted by their
word count as the shingle metric weighs them. --cv reports site-grouped 5-fold figures instead of writing.
Needs numpy (a development tool, not a dependency of seedclean).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np

from seedclean.config import Config
from seedclean.normalize.linefeatures import FEATURES, line_features
from seedclean.normalize.lines import split_lines
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules
from seedclean.normalize.title import looks_like_headline

EXTRACTORS = ("trafilatura", "readability", "newspaper", "goose3", "boilerpipe", "html-text")
_WORD = re.compile(r"\w+")
ROUNDS = 300
DEPTH = 3
RATE = 0.1
LAMBDA = 1.0
MIN_HESSIAN = 20.0


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def shingles(tokens: list[str], n: int = 4) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = {}
    size = min(n, len(tokens))
    for i in range(len(tokens) - size + 1 if tokens else 0):
        key = tuple(tokens[i : i + size])
        out[key] = out.get(key, 0) + 1
    return out


def oracle_keep(line: str, truth_str: str, truth_shingles: set) -> bool:
    """The benchmark scorer's oracle line filter, line by line."""
    toks = words(line)
    if not toks or (" " + " ".join(toks) + " ") in truth_str:
        return True
    sh = shingles(toks)
    total = sum(sh.values())
    return len(toks) >= 4 and sum(c for k, c in sh.items() if k in truth_shingles) / total >= 0.5


def pre_model_text(text: str, rules) -> str:
    """The text as the line model sees it (after the boilerplate rules)."""
    return normalize(text, rules).text


def load(corpora: Path):
    config = Config().with_steps(line_model=False, title_suffix=False, repeated_title=False, layout=False)
    rules = load_rules(config)
    base = corpora / "news-bench-dev"
    meta = json.loads((base / "meta.json").read_text())
    docs = []  # (site, set, name, lines, features, labels, truth)
    for set_name in (*EXTRACTORS, "truth"):
        for path in sorted((base / set_name).glob("*.txt")):
            truth = (base / "truth" / path.name).read_text(encoding="utf-8")
            text = pre_model_text(path.read_text(encoding="utf-8"), rules)
            lines = split_lines(text)
            if not lines:
                continue
            truth_str = " " + " ".join(words(truth)) + " "
            truth_sh = set(shingles(words(truth)))
            labels = [1 if set_name == "truth" or oracle_keep(li.text, truth_str, truth_sh) else 0 for li in lines]
            feats = line_features(lines)
            docs.append((meta[path.stem]["site"], set_name, path.stem, lines, feats, labels, truth))
    return docs


def matrix(docs):
    rows, ys, ws = [], [], []
    for _site, _set, _name, lines, feats, labels, _truth in docs:
        for i, (line, f, y) in enumerate(zip(lines, feats, labels, strict=True)):
            if i == 0 and len(lines) > 1 and looks_like_headline(line.text):
                continue  # the title: find_title takes it out of the body
            rows.append([f[k] for k in FEATURES])
            ys.append(1 - y)  # 1 = chrome
            ws.append(max(1, len(words(line.text))))
    return np.array(rows), np.array(ys, dtype=float), np.array(ws, dtype=float)


def _thresholds(x: np.ndarray, bins: int = 32) -> list[np.ndarray]:
    return [np.unique(np.quantile(x[:, j], np.linspace(0, 1, bins + 1)[1:-1])) for j in range(x.shape[1])]


def _tree(xb, th, g, h, idx, depth):
    big_g, big_h = g[idx].sum(), h[idx].sum()
    value = -big_g / (big_h + LAMBDA)
    if depth == 0 or big_h < 2 * MIN_HESSIAN:
        return value
    base = big_g * big_g / (big_h + LAMBDA)
    best_gain, best = 0.0, None
    for j in range(xb.shape[1]):
        nb = len(th[j])
        if nb == 0:
            continue
        gs = np.bincount(xb[idx, j], weights=g[idx], minlength=nb + 1)
        hs = np.bincount(xb[idx, j], weights=h[idx], minlength=nb + 1)
        gl, hl = np.cumsum(gs)[:-1], np.cumsum(hs)[:-1]
        gr, hr = big_g - gl, big_h - hl
        ok = (hl >= MIN_HESSIAN) & (hr >= MIN_HESSIAN)
        if not ok.any():
            continue
        gain = np.where(ok, gl * gl / (hl + LAMBDA) + gr * gr / (hr + LAMBDA) - base, -1.0)
        k = int(np.argmax(gain))
        if gain[k] > best_gain:
            best_gain, best = float(gain[k]), (j, k)
    if best is None:
        return value
    j, k = best
    left, right = idx[xb[idx, j] <= k], idx[xb[idx, j] > k]
    return [j, float(th[j][k]), _tree(xb, th, g, h, left, depth - 1), _tree(xb, th, g, h, right, depth - 1), value]


def _scale(node, rate):
    if not isinstance(node, list):
        return node * rate
    return [node[0], node[1], _scale(node[2], rate), _scale(node[3], rate), node[4] * rate]


def _predict_tree(node, x):
    out = np.empty(len(x))

    def walk(node, idx):
        if not isinstance(node, list):
            out[idx] = node
            return
        mask = x[idx, node[0]] <= node[1]
        walk(node[2], idx[mask])
        walk(node[3], idx[~mask])

    walk(node, np.arange(len(x)))
    return out


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray):
    """Gradient-boosted trees on the logistic loss (Newton leaves)."""
    th = _thresholds(x)
    xb = np.stack([np.searchsorted(th[j], x[:, j], side="left") for j in range(x.shape[1])], 1)
    prior = float(np.clip(np.average(y, weights=w), 1e-3, 1 - 1e-3))
    base = float(np.log(prior / (1 - prior)))
    f = np.full(len(y), base)
    trees = []
    idx = np.arange(len(y))
    for _ in range(ROUNDS):
        p = 1 / (1 + np.exp(-f))
        tree = _scale(_tree(xb, th, w * (p - y), w * p * (1 - p), idx, DEPTH), RATE)
        trees.append(tree)
        f += _predict_tree(tree, x)
    return base, trees


def predict(model, x: np.ndarray) -> np.ndarray:
    base, trees = model
    f = np.full(len(x), base)
    for tree in trees:
        f += _predict_tree(tree, x)
    return 1 / (1 + np.exp(-f))


def _named(node):
    if not isinstance(node, list):
        return round(float(node), 6)
    return [FEATURES[node[0]], round(node[1], 6), _named(node[2]), _named(node[3]), round(float(node[4]), 6)]


def f1_by_set(docs, chrome_prob, threshold):
    """Shingle precision/recall/F1 of the kept lines per input set, as score.py."""
    per = {}
    for (_site, set_name, _name, lines, _f, _l, truth), probs in zip(docs, chrome_prob, strict=True):
        kept = [
            li.text
            for i, (li, p) in enumerate(zip(lines, probs, strict=True))
            if not (i == 0 and len(lines) > 1 and looks_like_headline(li.text)) and p < threshold
        ]
        pred, true = shingles(words("\n".join(kept))), shingles(words(truth))
        tp = sum(min(c, true.get(k, 0)) for k, c in pred.items())
        fp, fn = sum(pred.values()) - tp, sum(true.values()) - tp
        s = tp + fp + fn or 1
        tp, fp, fn = tp / s, fp / s, fn / s
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 1.0
        per.setdefault(set_name, []).append((prec, rec, bool(kept)))
    out = {}
    for set_name, vals in per.items():
        p = np.mean([v[0] for v in vals if v[2]])
        r = np.mean([v[1] for v in vals])
        out[set_name] = (2 * p * r / (p + r), p, r)
    return out


def probabilities(docs, model):
    return [list(predict(model, np.array([[f[k] for k in FEATURES] for f in d[4]]))) for d in docs]


def dump_docs(docs):
    """The model judges full-page dumps only (see linefeatures.is_page_dump)."""
    return [d for d in docs if d[4][0]["page_dump"]]


def fold_of(site: str) -> int:
    return int(hashlib.sha256(site.encode()).hexdigest(), 16) % 5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpora")
    parser.add_argument("--cv", action="store_true")
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args(argv)
    docs = load(args.corpora)
    thresholds = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
    if args.cv:
        probs: list = [[0.0] * len(d[3]) for d in docs]
        for fold in range(5):
            model = fit(*matrix([d for d in dump_docs(docs) if fold_of(d[0]) != fold]))
            for i, d in enumerate(docs):
                if fold_of(d[0]) == fold and d[4][0]["page_dump"]:
                    probs[i] = probabilities([d], model)[0]
        raw = f1_by_set(docs, [[0.0] * len(d[3]) for d in docs], 1.0)
        print("set          raw F1/P/R            " + "  ".join(f"t={t}" for t in thresholds))
        for set_name in (*EXTRACTORS, "truth"):
            scores = [f1_by_set(docs, probs, t)[set_name] for t in thresholds]
            cells = [f"{f1:.3f}/{r:.3f}" for f1, _p, r in scores]
            f1, p, r = raw[set_name]
            print(f"{set_name:<12} {f1:.3f}/{p:.3f}/{r:.3f}  " + " ".join(cells))
        return 0
    base, trees = fit(*matrix(dump_docs(docs)))
    model = {
        "about": (
            "gradient-boosted trees: log-odds that a line of a full-page dump is site chrome; "
            "trained by scripts/train_line_model.py on news-bench-dev"
        ),
        "threshold": args.threshold,
        "features": list(FEATURES),
        "base": round(base, 6),
        # a node is [feature, threshold, if <= threshold, if >, value of the node]
        "trees": [_named(t) for t in trees],
    }
    target = Path(__file__).resolve().parents[1] / "src/seedclean/data/line_model.json"
    target.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(trees)} trees)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
