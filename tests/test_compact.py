"""The compact whole graph (:mod:`ecokg.graph.compact`) reads as the model it is made from.

Each graph (the sample build's model, generated graphs and a small hostile one) is split into
parts as the parts contract allows (nodes in chunks, each edge in a random part, before or after
its nodes, review items spread, each part's objects its own copies), and the compact graph made
from the parts must give every stage of a build exactly what the model the same parts merge into
gives it: the N-Triples lines in order, the name index, the skeleton, the computed answers, the
rows of Neo4j (the same bytes), the summary's counts, and the read surface itself.
"""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ecokg.graph.compact import CompactGraph
from ecokg.graph.model import Evidence, KnowledgeGraph, ReviewItem
from ecokg.graph.questions import materialise
from ecokg.graph.rdf import to_ntriples
from ecokg.graph.skeleton import skeleton_from_model
from ecokg.graph.stores import neo4j_write
from ecokg.graph.stores.base import Counts
from ecokg.graph.stores.names import NameIndex
from ecokg.ontology.errors import SchemaError
from ecokg.ontology.terms import C, D, P


def split(kg: KnowledgeGraph, k: int, seed: int) -> list[KnowledgeGraph]:
    """``kg`` in ``k`` parts by the parts contract: nodes in ``k`` chunks in order, each edge in a
    random part (often one before the parts of its nodes), each review item in a random part; each
    part holds deep copies (equal evidence in two parts is two objects)."""
    rnd = random.Random(seed)
    nodes = list(kg.nodes.values())
    size = -(-len(nodes) // k)
    node_parts = [nodes[i * size:(i + 1) * size] for i in range(k)]
    edge_parts: list[list[Any]] = [[] for _ in range(k)]
    for e in kg.edges.values():
        edge_parts[rnd.randrange(k)].append(e)
    review_parts: list[list[ReviewItem]] = [[] for _ in range(k)]
    for item in kg.review:
        review_parts[rnd.randrange(k)].append(item)
    parts = []
    for ns, es, rs in zip(node_parts, edge_parts, review_parts):
        ns, es = copy.deepcopy((ns, es))
        part = KnowledgeGraph(kg.schema)
        part.nodes = {n.id: n for n in ns}
        part.edges = {(e.source, e.prop, e.target): e for e in es}
        part.review = list(rs)
        parts.append(part)
    return parts


def merged(parts: list[KnowledgeGraph]) -> KnowledgeGraph:
    """The graph the parts make, by the contract: ``merge`` over them in order."""
    kg = KnowledgeGraph(parts[0].schema)
    for p in parts:
        kg.merge(p)
    return kg


def hostile(dangling: bool = False) -> KnowledgeGraph:
    """Multi-valued properties, typed literals, evidence shared by nodes and an edge (and equal
    evidence made twice), a node without evidence, a node of several classes, a review item; with
    ``dangling`` an edge to a node that is no node (which the model allows, and Neo4j's rows do not)."""
    kg = KnowledgeGraph()
    doc = "https://w3id.org/ecokg/id/source/doc"
    shared = Evidence(source=doc, quote="甲公司属于云行业", basis="bluebook", start=0, end=8)
    twin = Evidence(source=doc, quote="甲公司属于云行业", basis="bluebook", start=0, end=8)
    row = Evidence(source=doc, quote="乙 | 71.90", basis="superclue", line=7)
    note = Evidence(source=doc, quote="curated", basis="curated", note="by hand")
    org, sector, model, result = (f"https://w3id.org/ecokg/id/{k}" for k in ("org/a", "sector/s", "model/m", "result/r"))
    kg.add_node(doc, C.SourceDocument, {D.fileName: "doc.txt"})
    kg.add_node(org, C.Company, {D.name: "甲公司", D.alias: ["甲", "Jia", "甲"], D.nameEn: "Jia Co"}, [shared, note])
    kg.add_node(org, C.InvestmentFirm, {D.alias: ["JC"]}, twin)
    kg.add_node(sector, C.Sector, {D.name: "云"})  # no evidence
    kg.add_node(model, C.AIModel, {D.name: "模型", D.descriptor: ["大", "开源"]}, row)
    kg.add_node(result, C.BenchmarkResult, {D.score: Decimal("71.90"), D.rank: 3, D.assessedIn: "2024-05",
                                            D.board: "overall"}, row)
    pos = "https://w3id.org/ecokg/id/position/p"
    kg.add_node(pos, C.Position, {D.title: "董事长", D.isFormer: True, D.remit: "投资"}, note)
    person = "https://w3id.org/ecokg/id/person/p"
    kg.add_node(person, C.Person, {D.name: "陈宏", D.pinyin: "Chen Hong"}, shared)
    kg.add_node("https://w3id.org/ecokg/id/report/r", C.Report, {D.name: "报告", D.edition: 2024,
                                                                 D.sourceDate: "2024-03-01"}, note)
    kg.add_edge(org, P.inSector, sector, [twin, row])
    kg.add_edge(model, P.developedBy, org, shared)
    kg.add_edge(result, P.forModel, model)
    kg.add_edge(person, P.holds, pos)
    kg.add_edge(pos, P.inOrganisation, org)
    kg.add_edge(org, P.investmentFocus, sector, note)
    if dangling:
        kg.add_edge(org, P.partner, "https://w3id.org/ecokg/id/org/elsewhere", row)
    kg.flag(ReviewItem("kind", "a message", "a quote", doc, subject=org))
    return kg


@pytest.fixture(scope="module")
def sample() -> KnowledgeGraph:
    from ecokg.build import make_graph

    return make_graph()


@pytest.fixture(scope="module", params=["sample", "hostile", "generated-1", "generated-2"])
def pair(request: pytest.FixtureRequest, sample: KnowledgeGraph, generate: Any) -> tuple[str, KnowledgeGraph,
                                                                                      CompactGraph]:
    """(name, the model the parts merge into, the compact graph of the same parts)."""
    name = request.param
    kg = {"sample": lambda: sample, "hostile": hostile, "generated-1": lambda: generate.generate(400, 1),
          "generated-2": lambda: generate.generate(400, 2)}[name]()
    parts = split(kg, 4 if name != "hostile" else 3, seed=len(name))
    model = merged(parts)
    assert model.canonical() == kg.canonical()  # the split keeps the graph
    return name, model, CompactGraph.from_parts(parts)


def test_the_split_moves_edges_before_their_nodes(sample: KnowledgeGraph) -> None:
    parts = split(sample, 4, seed=6)
    where = {n: i for i, p in enumerate(parts) for n in p.nodes}
    early = [e for i, p in enumerate(parts) for e in p.edges.values() if i < where.get(e.source, -1)]
    assert early and all(p.nodes and p.edges for p in parts)
    assert [e for p in parts for e in p.edges] != list(sample.edges)  # so edge order is the parts'


def test_read_surface(pair: tuple[str, KnowledgeGraph, CompactGraph]) -> None:
    _, kg, g = pair
    assert g.schema is kg.schema and g.review == kg.review
    assert list(g.nodes.items()) == list(kg.nodes.items())
    assert list(g.nodes.values()) == list(kg.nodes.values()) and list(g.nodes) == list(kg.nodes)
    assert list(g.edges.items()) == list(kg.edges.items())
    assert list(g.edges.values()) == list(kg.edges.values()) and list(g.edges) == list(kg.edges)
    assert len(g.nodes) == len(kg.nodes) and len(g.edges) == len(kg.edges)
    for n in kg.nodes.values():
        assert g.nodes[n.id] == n and g.nodes.get(n.id) == n and n.id in g.nodes
        assert g.labels_of(n.id) == kg.labels_of(n.id) and g.most_specific(n.id) == kg.most_specific(n.id)
        assert list(g.out_edges(n.id)) == list(kg.out_edges(n.id))
        assert list(g.in_edges(n.id)) == list(kg.in_edges(n.id))
        for prop in {e.prop for e in kg.out_edges(n.id)} | {e.prop for e in kg.in_edges(n.id)}:
            assert list(g.out_edges(n.id, prop)) == list(kg.out_edges(n.id, prop))
            assert list(g.in_edges(n.id, prop)) == list(kg.in_edges(n.id, prop))
    for key, e in kg.edges.items():
        assert g.edges[key] == e and g.edges.get(key) == e and key in g.edges
        assert list(g.out_edges(e.target)) == list(kg.out_edges(e.target))  # ends that are no node too
    for cls in kg.schema.classes:
        assert list(g.of_class(cls)) == list(kg.of_class(cls))
    assert list(g.all_evidence().items()) == list(kg.all_evidence().items())
    assert g.evidence_count() == kg.evidence_count() == len(kg.all_evidence())
    assert list(g.class_counts().items()) == list(kg.class_counts().items())
    assert list(g.relation_counts().items()) == list(kg.relation_counts().items())
    assert g.canonical() == kg.canonical()
    evs = list(kg.all_evidence().values())
    assert sorted(evs, key=g.evidence_key) == sorted(evs, key=kg.evidence_key)


def test_missing_keys(pair: tuple[str, KnowledgeGraph, CompactGraph]) -> None:
    _, kg, g = pair
    some = next(iter(kg.edges))
    missing = [(some[0], some[1], some[0]), (some[0], "noSuchProp", some[2]), ("urn:none", some[1], some[2])]
    for key in missing:
        assert key not in kg.edges and key not in g.edges and g.edges.get(key) is None
        with pytest.raises(KeyError):
            g.edges[key]
    assert "urn:none" not in g.nodes and g.nodes.get("urn:none") is None and g.nodes.get("urn:none", 1) == 1
    assert some[2] not in kg.nodes or some[2] in g.nodes
    assert list(g.out_edges("urn:none")) == [] and list(g.in_edges("urn:none", P.holds)) == []
    with pytest.raises(KeyError):
        g.nodes["urn:none"]
    with pytest.raises(KeyError):
        g.labels_of("urn:none")
    with pytest.raises(SchemaError):
        list(g.of_class("NoSuchClass"))


def test_the_build_stages(pair: tuple[str, KnowledgeGraph, CompactGraph], tmp_path: Path, generate: Any) -> None:
    name, kg, g = pair
    assert list(to_ntriples(g)) == list(to_ntriples(kg))
    a, b = NameIndex.from_model(g), NameIndex.from_model(kg)
    assert a.entities == b.entities and a.values == b.values
    assert skeleton_from_model(g) == skeleton_from_model(kg)
    assert materialise.compute(g) == materialise.compute(kg)
    neo4j_write.save(neo4j_write.plan(g), tmp_path / "compact.rows")
    neo4j_write.save(neo4j_write.plan(kg), tmp_path / "model.rows")
    assert (tmp_path / "compact.rows").read_bytes() == (tmp_path / "model.rows").read_bytes()
    assert Counts.of(g) == Counts.of(kg)
    if name.startswith("generated"):
        assert generate.sample_args(g) == generate.sample_args(kg)


def test_one_part_is_the_model_itself(generate: Any) -> None:
    kg = generate.generate(300, 3)
    g = CompactGraph.of(kg)
    assert list(g.nodes.items()) == list(kg.nodes.items()) and list(g.edges.items()) == list(kg.edges.items())
    assert list(to_ntriples(g)) == list(to_ntriples(kg))
    # equal evidence is held once: as many as the model has distinct
    assert len(g._ev_quote) == len(set(ev for n in kg.nodes.values() for ev in n.evidence)
                                   | set(ev for e in kg.edges.values() for ev in e.evidence))


def test_an_edge_may_name_no_node() -> None:
    kg = hostile(dangling=True)
    parts = split(kg, 3, seed=2)
    model, g = merged(parts), CompactGraph.from_parts(parts)
    elsewhere = "https://w3id.org/ecokg/id/org/elsewhere"
    assert elsewhere not in g.nodes and list(g.in_edges(elsewhere)) == list(model.in_edges(elsewhere)) != []
    assert list(g.edges.items()) == list(model.edges.items()) and g.canonical() == model.canonical()
    assert list(to_ntriples(g)) == list(to_ntriples(model))


def test_values_are_fresh_objects() -> None:
    kg = hostile()
    g = CompactGraph.of(kg)
    org = "https://w3id.org/ecokg/id/org/a"
    n = g.nodes[org]
    n.props[D.name] = "改"
    n.props[D.alias].append("改")
    n.classes.add(C.Bank)
    n.evidence.clear()
    next(g.out_edges(org)).evidence.clear()
    assert g.nodes[org] == kg.nodes[org] and list(g.out_edges(org)) == list(kg.out_edges(org))
    assert g.nodes[org] is not g.nodes[org]


def test_a_repeated_node_or_edge_is_refused() -> None:
    kg = hostile()
    a, b = split(kg, 2, seed=1)
    again = KnowledgeGraph(kg.schema)
    org = "https://w3id.org/ecokg/id/org/a"
    again.nodes = {org: copy.deepcopy(kg.nodes[org])}
    with pytest.raises(SchemaError, match=f"node {org} is in two parts"):
        CompactGraph.from_parts([a, b, again])
    key = (org, P.inSector, "https://w3id.org/ecokg/id/sector/s")
    edge = KnowledgeGraph(kg.schema)
    edge.edges = {key: copy.deepcopy(kg.edges[key])}
    with pytest.raises(SchemaError, match="is in two parts") as e:
        CompactGraph.from_parts([a, b, edge])
    assert str(key) in str(e.value)
    g = CompactGraph()
    g.add(a)
    g.add(edge)
    g.add(b)  # the edge's first part may be any
    with pytest.raises(SchemaError, match="sector/s"):
        len(g.nodes)  # found on the first read


def test_no_part_after_reading() -> None:
    kg = hostile()
    g = CompactGraph()
    g.add(kg)
    assert len(g.nodes) == len(kg.nodes) == 8
    with pytest.raises(RuntimeError):
        g.add(KnowledgeGraph())


def test_clear_lets_go_of_everything() -> None:
    kg = hostile()
    g = CompactGraph.of(kg)
    assert len(g.nodes) == len(kg.nodes)
    g.clear()
    assert len(g.nodes) == len(g.edges) == g.evidence_count() == 0 and not g.review
    assert not list(g.out_edges(next(iter(kg.nodes)))) and g.canonical() == KnowledgeGraph().canonical()


def test_large_offsets_widen_their_column() -> None:
    kg = hostile()
    big = Evidence(source="https://w3id.org/ecokg/id/source/doc", quote="远", basis="bluebook", start=2**40, end=2**40 + 1)
    kg.add_node("https://w3id.org/ecokg/id/sector/s", C.Sector, evidence=big)
    g = CompactGraph.of(kg)
    assert g.nodes["https://w3id.org/ecokg/id/sector/s"].evidence == [big] and g.canonical() == kg.canonical()


def test_no_parts_is_the_empty_graph() -> None:
    g, kg = CompactGraph.from_parts([]), KnowledgeGraph()
    assert g.canonical() == kg.canonical() and list(to_ntriples(g)) == [] and len(g.edges) == 0
    assert Counts.of(g) == Counts.of(kg) and list(g.out_edges("urn:x")) == []
