"""Analytics on the entity graph: deterministic, explained, and derived from the graph."""

from __future__ import annotations

import itertools
import json

import networkx as nx
import pytest
from ecokg.graph.analytics import (
    analyze,
    analyze_graph,
    bridges,
    centrality,
    communities,
    project,
)
from ecokg.graph.nx import entity_graph

from ecokg.tables import analysis_tables


@pytest.fixture(scope="module")
def eg(built):
    return entity_graph(built.kg)


@pytest.fixture(scope="module")
def result(built):
    return analyze(built.kg, top=10)


def _sentence(text) -> bool:
    return isinstance(text, str) and len(text.split()) >= 6 and text.rstrip().endswith(".")


def two_cliques(size: int = 6) -> tuple[nx.MultiDiGraph, str]:
    """Two cliques of people whose only link is one person, who knows two members of each."""
    g = nx.MultiDiGraph()
    a = [f"a{i}" for i in range(size)]
    b = [f"b{i}" for i in range(size)]
    hub = "hub"
    for n in [*a, *b, hub]:
        g.add_node(n, label=n.upper(), cls="Person")
    for clique in (a, b):
        for u, v in itertools.combinations(clique, 2):
            g.add_edge(u, v, type="KNOWS")
    for v in (a[0], a[1], b[0], b[1]):
        g.add_edge(hub, v, type="KNOWS")
    return g, hub


# -- determinism and explanations -------------------------------------------------

def test_deterministic(built, result):
    again = analyze(built.kg, top=10)
    assert json.dumps(again, sort_keys=True, default=str) == json.dumps(result, sort_keys=True, default=str)


def test_same_result_from_the_store(store, result):
    """`ecokg analyze` reads the graph back from the store; it must agree with the build's graph."""
    assert analyze(store.read(), top=10) == result


def test_every_section_has_a_meaning(result):
    sections = [result["graph"], result["centrality"], result["centrality"]["degree"],
                result["centrality"]["betweenness"], result["communities"], result["bridges"]]
    for s in sections:
        assert _sentence(s["meaning"]), s
    assert result["bridges"]["top"]
    for b in result["bridges"]["top"]:
        assert _sentence(b["why"]) and b["label"] in b["why"], b
    json.dumps(result, ensure_ascii=False)  # plain data


def test_node_identity(result):
    entries = [*result["centrality"]["degree"]["top"], *result["centrality"]["betweenness"]["top"],
               *result["bridges"]["top"],
               *(m for c in result["communities"]["communities"] for m in c["central_members"])]
    for e in entries:
        assert {"id", "label", "cls"} <= set(e), e
        assert e["id"].startswith("https://w3id.org/ecokg/id/") and e["label"] and e["cls"]


# -- numbers derive from the graph ----------------------------------------------------

def test_counts_derive_from_the_graph(eg, result):
    h = project(eg)
    gi = result["graph"]
    assert (gi["nodes"], gi["edges"]) == (eg.number_of_nodes(), eg.number_of_edges())
    assert (gi["projection_nodes"], gi["projection_edges"]) == (h.number_of_nodes(), h.number_of_edges())
    assert gi["components"] == nx.number_connected_components(h)
    co = result["communities"]
    assert sum(co["sizes"]) == h.number_of_nodes()
    assert co["count"] == len(co["sizes"]) and co["sizes"] == sorted(co["sizes"], reverse=True)
    assert co["singletons"] == sum(1 for s in co["sizes"] if s == 1) >= nx.number_of_isolates(h)
    assert 0.3 < co["modularity"] <= 1
    for c in co["communities"]:
        assert c["size"] == co["sizes"][c["community"]]
        assert sum(d["count"] for d in c["dominant_classes"]) <= c["size"]
    ce = result["centrality"]
    assert ce["betweenness_sampled"] is False and ce["k"] is None  # the sample is small: exact
    n = h.number_of_nodes()
    for e in ce["degree"]["top"]:
        assert e["degree"] == h.degree(e["id"])
        assert e["value"] == pytest.approx(h.degree(e["id"]) / (n - 1), abs=1e-6)
    values = [e["value"] for e in ce["degree"]["top"]]
    assert values == sorted(values, reverse=True) and len(values) == 10


def test_all_communities_cover_the_projection(eg):
    co = communities(eg)
    members = [m for c in co["communities"] for m in c["central_members"]]
    assert len(co["communities"]) == co["count"]
    assert len({m["id"] for m in members}) == len(members)  # a node is in one community
    assert sum(c["size"] for c in co["communities"]) == project(eg).number_of_nodes()


def _groups_of(kg, person_id: str) -> set[str]:
    return {g.target for h in kg.out_edges(person_id, "holds")
            if "GroupMembership" in kg.nodes[h.target].classes for g in kg.out_edges(h.target, "inGroup")}


def _other_ties(kg, person_id: str) -> set[str]:
    """Organisations a person holds posts or alliance roles at (not expert groups)."""
    return {o.target for h in kg.out_edges(person_id, "holds")
            if "GroupMembership" not in kg.nodes[h.target].classes for o in kg.out_edges(h.target, "inOrganisation")}


def test_people_in_several_groups_have_higher_degree(built, eg):
    kg = built.kg
    people = sorted(p.id for p in kg.of_class("Person"))
    groups = {p: _groups_of(kg, p) for p in people}
    ties = {p: _other_ties(kg, p) for p in people}
    multi = [p for p in people if len(groups[p]) >= 2]
    assert multi, "the sample has people in several expert groups"
    deg = {e["id"]: e for e in centrality(eg, top=None)["degree"]["top"]}
    compared = 0
    for m in multi:
        # people in one group with no more posts than m: m must be more central
        for s in (p for p in people if len(groups[p]) == 1 and len(ties[p]) <= len(ties[m])):
            assert deg[m]["value"] > deg[s]["value"], (kg.nodes[m].name, kg.nodes[s].name)
            compared += 1
    assert compared > 0


# -- bridges ----------------------------------------------------------------------------

def test_bridge_between_two_cliques():
    g, hub = two_cliques()
    br = bridges(g, top=5)
    top = br["top"][0]
    assert top["id"] == hub and top["articulation_point"] is True
    assert br["articulation_points"] == 1
    assert [s["size"] for s in top["separates"]] == [6] and top["cut_off_nodes"] == 6
    assert len(top["communities"]) == 2 and _sentence(top["why"]) and "HUB" in top["why"]
    co = communities(g)
    assert co["sizes"] == [7, 6]  # the hub joins one of the two cliques
    bc = centrality(g, top=1)["betweenness"]["top"][0]
    assert bc["id"] == hub


def test_bridges_only_people_and_organisations(result):
    allowed = set(result["bridges"]["classes"])
    assert "Person" in allowed and "Bank" in allowed and "ExpertGroup" not in allowed
    assert all(b["cls"] in allowed for b in result["bridges"]["top"])
    ranked = [b["betweenness"] for b in result["bridges"]["top"]]
    assert ranked == sorted(ranked, reverse=True)


def test_bridges_with_every_class(eg):
    br = bridges(eg, top=3, classes=None)
    assert br["classes"] is None
    # with every class allowed, the top bridge is the candidate of highest betweenness, whatever its class
    h = project(eg)
    bc = nx.betweenness_centrality(h)
    cands = set(br_all := [b["id"] for b in bridges(eg, top=None, classes=None)["top"]])
    assert br["top"][0]["id"] == max(sorted(cands), key=lambda n: bc[n])
    assert len(br_all) >= 3


# -- sampling ---------------------------------------------------------------------------

def test_sampled_betweenness_above_exact_limit():
    g = nx.barabasi_albert_graph(300, 2, seed=1)
    exact = centrality(g, top=5, exact_limit=1000)
    assert exact["betweenness_sampled"] is False and exact["k"] is None
    sampled = centrality(g, top=5, exact_limit=100, sample=50, seed=7)
    assert sampled["betweenness_sampled"] is True and sampled["k"] == 50
    assert sampled["betweenness"]["sampled"] is True and "sampled" in sampled["betweenness"]["meaning"]
    assert sampled == centrality(g, top=5, exact_limit=100, sample=50, seed=7)
    # the estimate finds the same main hub as the exact computation
    assert sampled["betweenness"]["top"][0]["id"] == exact["betweenness"]["top"][0]["id"]
    capped = centrality(g, top=1, exact_limit=10, sample=10_000)
    assert capped["k"] == 300  # k = min(sample, n)


def test_ties_broken_by_id():
    g = nx.cycle_graph(6)  # every node is equal
    ce = centrality(g, top=None)
    assert [e["id"] for e in ce["degree"]["top"]] == list(range(6))
    assert [e["id"] for e in ce["betweenness"]["top"]] == list(range(6))


def test_empty_and_tiny_graphs():
    r = analyze_graph(nx.MultiDiGraph())
    assert r["graph"]["nodes"] == 0 and r["communities"]["count"] == 0 and r["communities"]["modularity"] is None
    r = analyze_graph(nx.path_graph(2), classes=None)
    assert r["centrality"]["degree"]["top"][0]["value"] == 1.0


def test_tables_render(result):
    from rich.console import Console

    ts = analysis_tables(result)
    captions = [t.caption for t in ts]
    for section in (result["graph"], result["centrality"]["degree"], result["communities"], result["bridges"]):
        assert section["meaning"] in captions
    con = Console(record=True, width=200)
    for t in ts:
        con.print(t)
    text = con.export_text()
    assert result["bridges"]["top"][0]["label"] in text
    assert result["centrality"]["degree"]["top"][0]["label"] in text


def test_tables_escape_markup():
    from rich.console import Console

    g, hub = two_cliques()
    g.nodes[hub]["label"] = "[bold]hub[/bold] [link=javascript:x]y[/link]"
    con = Console(record=True, width=300)
    for t in analysis_tables(analyze_graph(g, classes=None)):
        con.print(t)
    assert "[bold]hub[/bold] [link=javascript:x]y[/link]" in con.export_text()
