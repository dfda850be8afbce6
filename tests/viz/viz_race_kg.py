"""A small hand-built KnowledgeGraph for the model-race tests: leaderboard totals and what is not one.

Expectations in the tests are derived from the tables here, not typed in.
"""

from __future__ import annotations

from typing import Any

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.ontology.terms import C, D, P
from viz_graphs import INJECTIONS

NS = "urn:race:"
BENCH, OTHER_BENCH = "SuperCLUE", "OtherBench"
EVIL = INJECTIONS[1] + INJECTIONS[2]  # closes a script, breaks out of an attribute

#: Organisations: id -> (name, parent id)
ORGS = {
    "acme": ("Acme 集团", None),
    "acme-cloud": ("Acme 云", "acme"),  # a unit; its parent is also a developer on the boards
    "beta": ("Beta 智能", None),
    "evil": (EVIL, None),
    "lister": ("某列表公司", None),  # names A2's developer, but only in the list source
}
#: Models: id -> (name, {developer: basis of the developedBy evidence}, family id or None)
MODELS = {
    "a1": ("A1-Chat", {"acme-cloud": "superclue"}, "fam-a"),
    "a2": ("A2-Pro", {"acme": "superclue", "lister": "llm-list"}, "fam-a"),
    "b1": ("Beta-1", {"beta": "superclue"}, None),
    "e1": (INJECTIONS[0], {"evil": "superclue"}, None),
}
FAMILIES = {"fam-a": "A 家族"}
#: Results: (model, month, measure, board, score, benchmark, basis)
RESULTS = [
    ("a1", "2023-09", "总分", "overall", "60.00", BENCH, "superclue"),
    ("a2", "2023-09", "总分", "overall", "65.50", BENCH, "superclue"),
    ("a1", "2023-10", "总分", "overall", "70.25", BENCH, "superclue"),
    ("a2", "2023-10", "OPEN", "overall", "99.00", BENCH, "superclue"),  # not the total
    ("a2", "2023-11", "总分", "open-source", "95.00", BENCH, "superclue"),  # not the overall board
    ("a1", "2024-04", "总分", None, "72.00", BENCH, "bluebook"),  # a table with no board: the total
    ("b1", "2023-09", "总分", "overall", "50.00", BENCH, "superclue"),
    ("b1", "2024-04", "总分", None, "55.10", BENCH, "bluebook"),
    ("e1", "2023-10", "总分", "overall", "40.00", BENCH, "superclue"),
    ("b1", "2023-10", "总分", "overall", "100.00", OTHER_BENCH, "superclue"),  # the rarer benchmark
]


def _ev(quote: str, basis: str = "superclue", line: int = 1) -> Evidence:
    return Evidence(source="urn:race:source", quote=quote, basis=basis, line=line)


def race_kg() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    for b in (BENCH, OTHER_BENCH):
        kg.add_node(NS + b, C.Benchmark, {D.name: b}, _ev(b, "curated"))
    for oid, (name, _parent) in ORGS.items():
        kg.add_node(NS + oid, C.Company, {D.name: name}, _ev(name, "curated"))
    for oid, (_name, parent) in ORGS.items():
        if parent:
            kg.add_edge(NS + oid, P.parentOrganisation, NS + parent, _ev(f"{oid} < {parent}", "curated"))
    for fid, name in FAMILIES.items():
        kg.add_node(NS + fid, C.ModelFamily, {D.name: name}, _ev(name, "curated"))
    for mid, (name, devs, family) in MODELS.items():
        kg.add_node(NS + mid, C.AIModel, {D.name: name}, _ev(name))
        for dev, basis in devs.items():
            kg.add_edge(NS + mid, P.developedBy, NS + dev, _ev(f"{name} {dev}", basis))
        if family:
            kg.add_edge(NS + mid, P.inFamily, NS + family)
    for i, (mid, month, measure, board, score, bench, basis) in enumerate(RESULTS):
        rid = f"{NS}r{i}"
        props: dict[str, Any] = {D.score: score, D.assessedIn: month, D.measure: measure}
        if board:
            props[D.board] = board
        kg.add_node(rid, C.BenchmarkResult, props, _ev(f"| {MODELS[mid][0]} | {score} |", basis, line=i + 1))
        kg.add_edge(rid, P.forModel, NS + mid)
        kg.add_edge(rid, P.onBenchmark, NS + bench)
    return kg
