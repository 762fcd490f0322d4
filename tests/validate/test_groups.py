"""The array-based grouping, its JSON writer and the side tables' key parts
give exactly what the plain-Python versions they replaced gave."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from seedclean.validate.duplicates import SIMILARITY, Groups, _group, split_passes
from seedclean.validate.run import write_near_duplicates
from seedclean.validate.sidetables import open_side_tables


def _reference_group(kind, threshold, ids, candidates, similarity, estimate, exact_pairs):
    """duplicates._group as it was: a Python union-find, a loop per pair."""
    firsts, others, shared = candidates
    scores = np.round(estimate(shared), 4)
    exact = np.sort(np.argsort(np.abs(scores - threshold), kind="stable")[:exact_pairs])
    for i in exact:
        scores[i] = round(similarity(int(firsts[i]), int(others[i])), 4)
    estimated = np.ones(len(firsts), dtype=bool)
    estimated[exact] = False
    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    best = np.zeros(len(ids))
    pairs = []
    for i in np.flatnonzero(scores >= threshold):
        a, b, score = int(firsts[i]), int(others[i]), float(scores[i])
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        best[a], best[b] = max(best[a], score), max(best[b], score)
        pairs.append((ids[a], ids[b], score, bool(estimated[i])))
    roots = [find(i) for i in range(len(ids))]
    sizes: dict[int, int] = {}
    for root in roots:
        sizes[root] = sizes.get(root, 0) + 1
    group = [ids[root] if sizes[root] > 1 else None for root in roots]
    return group, best.tolist(), pairs, len(firsts), int(estimated.sum())


@st.composite
def candidates(draw):
    n = draw(st.integers(1, 40))
    raw = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80))
    pairs = sorted({(min(a, b), max(a, b)) for a, b in raw if a != b})
    shared = draw(st.lists(st.integers(0, 20), min_size=len(pairs), max_size=len(pairs)))
    # ids may repeat: two groups whose first documents share an id
    ids = draw(st.lists(st.sampled_from(["a", "b", 'q"uote', "é\u2028", "x"]), min_size=n, max_size=n))
    exact = draw(st.integers(0, len(pairs)))
    return ids, pairs, shared, exact


def _estimate(shared: np.ndarray) -> np.ndarray:
    return np.minimum(shared / 20, 1.0) ** 0.5


@settings(max_examples=300, deadline=None)
@given(candidates())
def test_groups_equal_the_union_find(case) -> None:
    ids, pairs, shared, exact = case
    firsts = np.array([a for a, _ in pairs], dtype=np.int64)
    others = np.array([b for _, b in pairs], dtype=np.int64)
    arguments = ("near_duplicate", 0.5, ids, (firsts, others, np.array(shared, dtype=np.int64)))

    def similarity(a: int, b: int) -> float:
        return ((a * 7 + b * 3) % 10) / 9

    found = _group(*arguments, similarity, _estimate, exact)
    group, best, kept, candidates_, estimated = _reference_group(*arguments, similarity, _estimate, exact)
    assert found.group == group
    assert found.similarity == best
    assert list(found.pairs) == kept and found.pairs == kept and found.pairs[:3] == kept[:3]
    assert (found.candidates, found.estimated) == (candidates_, estimated)
    assert found.estimated_pairs == sum(p[3] for p in kept)
    travelled = found.without_ids()
    assert travelled.ids is None and travelled.with_ids(ids).group == group


def _reference_json(kinds: list[Groups]) -> str:
    """near_duplicates.json as it was written: one json.dumps per line."""
    text = "["
    for number, groups in enumerate(kinds):
        members: dict = {}
        for doc_id, group in zip(groups.ids, groups.group, strict=True):
            if group is not None:
                members.setdefault(group, []).append(str(doc_id))
        head = {
            "kind": groups.kind,
            "threshold": groups.threshold,
            "similarity": SIMILARITY,
            "candidates": groups.candidates,
            "candidates_verified": groups.candidates - groups.estimated,
        }
        text += ("," if number else "") + "\n" + json.dumps(head, ensure_ascii=False)[:-1] + ',\n"groups": ['
        for i, (group, ids) in enumerate(members.items()):
            text += ("," if i else "") + "\n" + json.dumps({"group": group, "members": ids}, ensure_ascii=False)
        text += '],\n"pairs": ['
        for i, (a, b, score, guessed) in enumerate(groups.pairs):
            pair = {"a": a, "b": b, "jaccard": score, **({"estimated": True} if guessed else {})}
            text += ("," if i else "") + "\n" + json.dumps(pair, ensure_ascii=False)
        text += "]}"
    return text + "\n]\n"


@settings(max_examples=150, deadline=None)
@given(candidates(), st.integers(1, 4))
def test_near_duplicates_json_is_what_json_dumps_wrote(tmp_path_factory, case, block) -> None:
    import seedclean.validate.run as run

    ids, pairs, shared, exact = case
    firsts = np.array([a for a, _ in pairs], dtype=np.int64)
    others = np.array([b for _, b in pairs], dtype=np.int64)
    kinds = [
        _group(kind, 0.4, ids, (firsts, others, np.array(shared)), lambda a, b: (a + b) % 3 / 2, _estimate, exact)
        for kind in ("near_duplicate", "shared_remark")
    ]
    path = tmp_path_factory.mktemp("json") / "near_duplicates.json"
    saved, run.PAIR_BLOCK = run.PAIR_BLOCK, block  # several blocks of pairs, as a million pairs make
    try:
        write_near_duplicates(path, kinds)
    finally:
        run.PAIR_BLOCK = saved
    assert path.read_text(encoding="utf-8") == _reference_json(kinds)


def test_key_parts_are_the_passes_of_the_keys(seeds_out: Path, monkeypatch) -> None:
    from seedclean.validate import sidetables

    monkeypatch.setattr(sidetables, "KEY_BLOCK", 2)  # several blocks of documents
    side = open_side_tables(seeds_out)
    assert side is not None
    counts = side.index()[:, 3:5]
    for column, kind in enumerate(("doc", "remarks")):
        keys = side.keys(kind)
        owners = np.repeat(np.arange(len(counts), dtype=np.int32), counts[:, column])
        expected = {int(k[0]) & 31: (k, o) for k, o in split_passes(keys, owners) if len(k)}
        found = {int(k[0]) & 31: (k, o) for k, o in side.key_parts(kind, counts[:, column]) if len(k)}
        assert found.keys() == expected.keys() and len(found) > 1
        for number, (k, o) in expected.items():
            assert np.array_equal(found[number][0], k) and np.array_equal(found[number][1], o)
