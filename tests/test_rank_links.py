"""The ranking of investors and sectors (graph/questions/post.py ``rank_links``) made faster at
100,000 entities gives what it gave before: the same groups, scores, order and reason strings, on
the rows of every sector and trend (investors-of) and of every organisation (sectors-of), in the
engine's order and shuffled (the ranking follows the rows' order: a link's first row counts)."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import pytest

from ecokg.graph.questions import materialise
from ecokg.graph.questions.engine import _sort_key
from ecokg.graph.questions.post import BASIS_WEIGHT, rank_links
from ecokg.graph.questions.spec import questions
from ecokg.graph.stores.oxigraph import RdfStore


def reference(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """``rank_links`` as it was written first (plain, one dict per group)."""
    other = "sector" if key == "investor" else "investor"
    groups: dict[str, dict[str, Any]] = defaultdict(lambda: {"score": 0, "links": []})
    seen: set[tuple[Any, ...]] = set()
    counted: set[tuple[str, str]] = set()
    for r in rows:
        link = (r[key], r["how"], r[other], r["basis"], r.get("person"))
        if link in seen:
            continue
        seen.add(link)
        g = groups[r[key]]
        if (r[key], r["quote"]) not in counted:
            counted.add((r[key], r["quote"]))
            g["score"] += BASIS_WEIGHT.get(r["basis"], 1)
        reason = f"{r['how']} [{r[other]}; {r['basis']}]"
        if r.get("person"):
            reason = f"{r['person']}: {reason}"
        g["links"].append({"reason": reason, "quote": r["quote"]})
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1]["score"], kv[0]))
    return [{"rank": i, key: name, "score": g["score"], "links": g["links"]}
            for i, (name, g) in enumerate(ranked, start=1)]


def same_ranking(rows: list[dict[str, Any]], key: str, shuffle: random.Random) -> bool:
    shuffled = shuffle.sample(rows, len(rows))
    return rank_links(rows, key) == reference(rows, key) and rank_links(shuffled, key) == reference(shuffled, key)


def test_ties_duplicates_and_people_rank_as_before() -> None:
    rows = [
        {"investor": "乙", "person": None, "how": "h", "sector": "S", "basis": "curated", "quote": "q1"},
        {"investor": "甲", "person": None, "how": "h", "sector": "S", "basis": "curated", "quote": "q1"},
        {"investor": "甲", "person": None, "how": "h", "sector": "S", "basis": "curated", "quote": "q2"},  # same link
        {"investor": "丙", "person": "张三", "how": "post remit: 投资", "sector": "S", "basis": "bluebook",
         "quote": "q"},
        {"investor": "丙", "person": None, "how": "h", "sector": "T", "basis": "bluebook", "quote": "q"},  # same quote
        {"investor": "丁", "person": "", "how": "h", "sector": "S", "basis": "other", "quote": "q3"},
    ]
    got = rank_links(rows, "investor")
    assert got == reference(rows, "investor")
    assert [(item["investor"], item["score"]) for item in got] == [("丙", 2), ("丁", 1), ("乙", 1), ("甲", 1)]
    assert got[0]["links"][0]["reason"] == "张三: post remit: 投资 [S; bluebook]"
    assert [ln["quote"] for ln in got[3]["links"]] == ["q1"]


@pytest.mark.parametrize("seed", [3, 11])
def test_rankings_of_generated_graphs_are_as_before(generate: Any, seed: int) -> None:
    model = generate.generate(400, seed=seed)
    store = RdfStore()
    store.write(model)
    parts = materialise.compute(model)["investors-of"]
    shuffle = random.Random(seed)
    def of(*classes: str) -> list[str]:
        return sorted(n.id for n in model.nodes.values() if any(model.schema.is_a(n.classes, c) for c in classes))

    targets = of("Sector", "Trend")
    ranked = defaultdict(int)
    for target in targets:
        rows = materialise.select("investors-of", parts, {"target": target})
        assert same_ranking(rows, "investor", shuffle), target
        ranked["investors"] += len(rows) > 1
    for org in of("Organisation"):
        rows = sorted(store.run_question(questions()["sectors-of"], {"org": org}), key=_sort_key)
        assert same_ranking(rows, "sector", shuffle), org
        ranked["sectors"] += len(rows) > 1
    assert ranked["investors"] and ranked["sectors"]
