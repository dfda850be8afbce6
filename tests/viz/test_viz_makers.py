"""The investors-makers view: the links ecokg derives (investments, sector overlaps, parent links),
the makers' places, the cap, and escaping; on a hand-built graph and on the real one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.nx import to_networkx
from ecokg.ontology.terms import C, P
from viz_graphs import ecosystem_graph
from viz_makers_kg import (
    DEALS,
    EVIL_MAKER,
    EVIL_PLACE,
    EXPECTED_LINKS,
    MODELS,
    NS,
    ORGS,
    SECTORS,
    makers_kg,
)
from viz_pages import parse_tags, payload, read_html

from ecokg import viz
from ecokg.views import ViewGraphs, investor_ids, makers_graph, write_view

PLACE_TYPES = ("LOCATED_IN", "WITHIN_PLACE")


def _links(g: nx.MultiDiGraph[Any]) -> set[tuple[str, str, str]]:
    return {(str(u)[len(NS):], str(v)[len(NS):], str(d["type"])) for u, v, d in g.edges(data=True)
            if d["type"] not in PLACE_TYPES}


def _graphs(kg: KnowledgeGraph) -> ViewGraphs:
    return ViewGraphs.of(kg)


def test_links_follow_the_rule() -> None:
    kg = makers_kg()
    g = makers_graph(kg, _graphs(kg).full)
    assert _links(g) == EXPECTED_LINKS
    makers = {m for m, _ in MODELS.values()}
    assert {str(n)[len(NS):] for n, a in g.nodes(data=True) if a["maker"]} == makers
    investors = {o for o, (cls, _n, focus, _p, _pl) in ORGS.items()
                 if cls in (C.Fund, C.InvestmentFirm) or focus} | {i for i, _ in DEALS.values()}
    assert {str(n)[len(NS):] for n, a in g.nodes(data=True) if a["investor"]} == investors
    assert investor_ids(kg) == {NS + i for i in investors}
    overlap = g.get_edge_data(NS + "fund-a", NS + "maker-x")["SECTOR_OVERLAP"]
    assert overlap["props"]["focus"] == SECTORS["ai"] and overlap["props"]["sectors"] == SECTORS["llm"]
    assert "模型x1" in overlap["props"]["via"]
    quotes = {ev["quote"] for ev in overlap["evidence"]}
    assert {f"甲基金 投资 {SECTORS['ai']}", f"x1 面向 {SECTORS['llm']}"} <= quotes


def _drawn(path: Path) -> tuple[dict[str, dict[str, Any]], set[tuple[str, str, str]]]:
    data = payload(path)
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {(e["from"], e["to"], e["type"]) for e in data["edges"]}
    return nodes, edges


def _places_of(kg: KnowledgeGraph, org: str) -> set[str]:
    places = set()
    for e in kg.out_edges(org, P.locatedIn):
        places.add(e.target)
        places.update(w.target for w in kg.out_edges(e.target, P.withinPlace))
    return places


def test_every_drawn_maker_has_its_places(tmp_path: Path) -> None:
    kg = makers_kg()
    result = write_view("investors-makers", _graphs(kg), tmp_path)
    nodes, edges = _drawn(result.path)
    drawn_makers = [n for n, r in nodes.items() if "maker" in r.get("role", "").split("-")]
    assert drawn_makers
    for m in drawn_makers:
        for e in kg.out_edges(m, P.locatedIn):
            assert e.target in nodes and (m, e.target, "LOCATED_IN") in edges
            for w in kg.out_edges(e.target, P.withinPlace):
                assert w.target in nodes and (e.target, w.target, "WITHIN_PLACE") in edges
    # nothing but the drawn makers' places is drawn as a place
    places = {n for n, r in nodes.items() if r.get("role") == "place"}
    assert places == set().union(*(_places_of(kg, m) for m in nodes))
    labels = {n: r["label"] for n, r in nodes.items()}
    assert labels[NS + "hz"] == "杭州" and labels[NS + "evil-place"] == EVIL_PLACE


def test_unlinked_nodes_are_left_out_unless_asked(tmp_path: Path) -> None:
    kg = makers_kg()
    g = makers_graph(kg, _graphs(kg).full)
    linked = {n for u, v, _t in EXPECTED_LINKS for n in (NS + u, NS + v)}
    nodes, _ = _drawn(viz.investors_makers(g, tmp_path / "a.html").path)
    core = {n for n, r in nodes.items() if r.get("role") != "place"}
    assert core == linked
    everything = viz.investors_makers(g, tmp_path / "b.html", connected_only=False)
    nodes, _ = _drawn(everything.path)
    assert set(nodes) == set(g.nodes)  # every investor and maker, and every maker's places


def test_cap_keeps_most_linked_first_with_their_places(tmp_path: Path) -> None:
    kg = makers_kg()
    g = makers_graph(kg, _graphs(kg).full)
    full = viz.investors_makers(g, tmp_path / "all.html")
    cap = full.nodes_drawn - 3
    a = viz.investors_makers(g, tmp_path / "a.html", cap=cap)
    b = viz.investors_makers(g, tmp_path / "b.html", cap=cap)
    assert read_html(a.path) == read_html(b.path)
    assert a.sampled and a.nodes_drawn == cap and a.total_nodes == full.nodes_drawn
    notice = f"Showing {cap:,} of {full.nodes_drawn:,} nodes (most links first, each with its places)"
    assert a.notice == notice and notice in read_html(a.path)
    nodes, _ = _drawn(a.path)
    order = list(nodes)
    places = {n for n, r in nodes.items() if r.get("role") == "place"}
    links = {n: sum(1 for u, v, d in g.edges(data=True) if n in (u, v) and d["type"] not in PLACE_TYPES)
             for n in g.nodes}
    core = [n for n in order if n not in places]
    assert [links[n] for n in core] == sorted((links[n] for n in core), reverse=True)
    left = {n for n in g.nodes if links[n] and n not in nodes}
    assert left and max(links[n] for n in left) <= min(links[n] for n in core)
    for n in core[:-1]:  # all but the last kept node have room for their places
        assert _places_of(kg, n) <= set(nodes)


def test_hostile_names_are_escaped(tmp_path: Path) -> None:
    kg = makers_kg()
    result = write_view("investors-makers", _graphs(kg), tmp_path)
    text = read_html(result.path)
    assert "<img" not in text and "<script>alert" not in text and '" onmouseover="' not in text
    tags = parse_tags(result.path)
    assert sum(1 for tag, _ in tags.tags if tag == "script") == 3
    for tag, attrs in tags.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    nodes, _ = _drawn(result.path)
    assert nodes[NS + "evil-maker"]["label"] == EVIL_MAKER  # literal text in the data


def test_edge_props_show_in_tooltips(tmp_path: Path) -> None:
    kg = makers_kg()
    result = write_view("investors-makers", _graphs(kg), tmp_path)
    edge = next(e for e in payload(result.path)["edges"] if e["type"] == "SECTOR_OVERLAP"
                and e["from"] == NS + "fund-a")
    assert ["sectors", SECTORS["llm"]] in edge["tip"]["p"]
    assert edge["color"]["color"] != next(e for e in payload(result.path)["edges"]
                                          if e["type"] == "LOCATED_IN")["color"]["color"]


def test_viz_view_needs_only_flags(tmp_path: Path) -> None:
    """viz knows no ontology: the view draws any graph whose nodes say investor / maker / place."""
    G = ecosystem_graph()
    for _n, a in G.nodes(data=True):
        a["maker"] = a["cls"] == "CloudProvider"
        a["place"] = a["cls"] == "Sector"  # any flagged node is a place to the view
    result = viz.investors_makers(G, tmp_path / "flags.html")
    nodes, _ = _drawn(result.path)
    roles = {n: r.get("role") for n, r in nodes.items()}
    assert roles["https://ecokg.example/id/aliyun"] == "maker"
    assert roles["https://ecokg.example/id/hongshan"] == "investor"
    # a place is drawn only as a companion of a drawn node that reaches it by out-edges
    for n, role in roles.items():
        if role == "place":
            assert any(u in nodes and G.nodes[u].get("place") is not True for u in G.predecessors(n))


# -- the real graph -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_page(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nx.MultiDiGraph[Any]]:
    graphs = ViewGraphs.of(kg)
    result = write_view("investors-makers", graphs, tmp_path_factory.mktemp("makers"))
    return result.path, makers_graph(kg, to_networkx(kg))


def test_real_graph_makers_have_their_places(kg: KnowledgeGraph, real_page: Any) -> None:
    path, _g = real_page
    nodes, edges = _drawn(path)
    makers = {e.target for e in kg.edges.values() if e.prop == P.developedBy}
    drawn = [n for n in nodes if n in makers]
    assert drawn and any(_places_of(kg, m) for m in drawn)
    for m in drawn:
        for e in kg.out_edges(m, P.locatedIn):
            assert (m, e.target, "LOCATED_IN") in edges
            assert nodes[e.target]["label"] == kg.nodes[e.target].name
            for w in kg.out_edges(e.target, P.withinPlace):
                assert (e.target, w.target, "WITHIN_PLACE") in edges


def test_real_graph_links_match_plain_queries(kg: KnowledgeGraph, real_page: Any) -> None:
    _path, g = real_page
    makers = {e.target for e in kg.edges.values() if e.prop == P.developedBy}
    links = {(u, v, d["type"]) for u, v, d in g.edges(data=True)}
    # every deal into a maker
    deals = {(i.target, t.target, "INVESTED_IN") for inv in kg.of_class(C.Investment)
             for i in kg.out_edges(inv.id, P.investor) for t in kg.out_edges(inv.id, P.investee)
             if t.target in makers and t.target != i.target}
    assert deals and {x for x in links if x[2] == "INVESTED_IN"} == deals
    # an investor's stated focus that a maker is in, or one of its models is for
    for f in (e for e in kg.edges.values() if e.prop == P.investmentFocus):
        for m in makers - {f.source}:
            own = any(e.target == f.target for e in kg.out_edges(m, P.inSector))
            models = any(s.target == f.target for d in kg.in_edges(m, P.developedBy)
                         for s in kg.out_edges(d.source, P.modelSector))
            if own or models:
                assert (f.source, m, "SECTOR_OVERLAP") in links, (kg.nodes[f.source].name, kg.nodes[m].name)
    # an investor that is a unit of a maker, or a maker that is a unit of an investor
    investors = investor_ids(kg)
    parents = [e for e in kg.edges.values() if e.prop == P.parentOrganisation
               and ((e.source in investors and e.target in makers) or (e.source in makers and e.target in investors))]
    assert parents
    for e in parents:
        assert (e.source, e.target, "PARENT_ORGANISATION") in links
