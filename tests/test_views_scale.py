"""Views and analytics that read the graph through the store (issue 13): on a generated graph
(bench/generate.py) every view drawn from the store is the page the whole in-memory graph gives,
every selection is the one its definition gives, and the analysis is the one of the whole model.
The expected values come from the model graph with networkx and the reference implementations,
never from numbers written here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from ecokg.graph import analytics as an
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.nx import entity_graph, to_networkx
from ecokg.graph.skeleton import SKELETON_FILE, kept_path, load, read_skeleton, skeleton_from_model, skeleton_of
from ecokg.graph.stores.oxigraph import RdfStore
from ecokg.ontology.terms import C, P
from ecokg.viewdata import ViewGraphs, investors_sectors_selection, makers_selection, makers_shape, styled

import ecokg
from ecokg import viz
from ecokg.views import (
    MAKERS_RULE,
    LINK_COLOURS,
    makers_graph,
    race_series,
    write_makers,
    write_race,
    write_race_store,
    write_view,
)

ENTITIES = 1500


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, generate: Any) -> tuple[Path, KnowledgeGraph]:
    kg = generate.generate(ENTITIES, seed=11)
    out = tmp_path_factory.mktemp("generated")
    generate.write(kg, out, shacl=False, dump=False)
    return out, kg.ordered()


@pytest.fixture(scope="module")
def store(generated: tuple[Path, KnowledgeGraph]) -> Any:
    out, _ = generated
    with ecokg.open(out) as kg:
        yield kg.store


@pytest.fixture(scope="module")
def model(generated: tuple[Path, KnowledgeGraph]) -> KnowledgeGraph:
    return generated[1]


def _pages_equal(a: viz.ViewResult, b: viz.ViewResult) -> bool:
    return Path(a.path).read_bytes() == Path(b.path).read_bytes()


# -- the skeleton ------------------------------------------------------------------------------------

def test_the_skeleton_is_the_entity_graph(store: Any, model: KnowledgeGraph) -> None:
    g = entity_graph(model)
    sk = read_skeleton(store)
    assert sk.ids == sorted(g.nodes)
    assert sk.cls == [g.nodes[n]["cls"] for n in sk.ids]
    assert dict(zip(sk.ids, sk.degree())) == dict(g.degree())
    assert sorted((sk.ids[u], sk.ids[v]) for u, v in zip(sk.src, sk.dst)) == sorted((u, v) for u, v in g.edges())
    assert sk.edge_count == g.number_of_edges()
    flagged = {n for n, d in g.nodes(data=True) if d["props"].get("investor")}
    assert {sk.ids[i] for i in sk.investors_by_links()} == flagged


def test_a_build_can_make_the_skeleton_from_the_model(store: Any, model: KnowledgeGraph) -> None:
    """What a build would keep beside the store it writes is what a reader of that store reads."""
    a, b = read_skeleton(store), skeleton_from_model(model)
    assert (a.ids, a.classes, a.deal_investors) == (b.ids, b.classes, b.deal_investors)
    assert sorted(zip(a.src, a.rel, a.dst, a.via)) == sorted(zip(b.src, b.rel, b.dst, b.via))


def test_the_skeleton_is_kept_beside_a_published_store(generated: tuple[Path, KnowledgeGraph], tmp_path: Path) -> None:
    out, _ = generated
    with ecokg.open(out) as kg:
        path = kept_path(kg.store)
        assert path is not None and path.name == SKELETON_FILE
        path.unlink(missing_ok=True)
        read = skeleton_of(kg.store)
        assert path.is_file()
        kept = load(path)
        assert kept is not None and kept == read == read_skeleton(kg.store)
    # a file of another format or ontology, or a damaged one, is not used
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, value in (("format", -1), ("fingerprint", "another ontology")):
        (tmp_path / SKELETON_FILE).write_text(json.dumps({**data, key: value}), encoding="utf-8")
        assert load(tmp_path / SKELETON_FILE) is None
    (tmp_path / SKELETON_FILE).write_text("{", encoding="utf-8")
    assert load(tmp_path / SKELETON_FILE) is None
    assert kept_path(RdfStore()) is None  # an in-memory store keeps nothing


# -- the selections ------------------------------------------------------------------------------

def test_investors_sectors_candidates_are_the_shortest_paths(store: Any, model: KnowledgeGraph) -> None:
    """The linear selection finds exactly the nodes networkx's all-shortest-paths finds pair by pair."""
    g = styled(entity_graph(model), model)
    u = nx.Graph(g.to_undirected())
    investors = {n for n, d in g.nodes(data=True) if viz.is_investor(d)}
    sectors = {n for n, d in g.nodes(data=True) if viz.is_sector(d)}
    expected = set(investors) | sectors
    lengths = {s: nx.single_source_shortest_path_length(u, s, cutoff=3) for s in sectors}
    for s in sectors:
        for i in investors:
            if i != s and i in lengths[s]:
                for path in nx.all_shortest_paths(u, i, s):
                    expected.update(path)
    chosen = investors_sectors_selection(ViewGraphs.of_store(store), cap=10**6)
    assert set(chosen.nodes) == expected and chosen.total == len(expected)
    assert len(expected) > len(investors) + len(sectors)  # the graph has paths through other nodes


@pytest.mark.parametrize("kind", ["overview", "investors-sectors"])
def test_entity_views_from_the_store_are_the_whole_graphs_pages(store: Any, model: KnowledgeGraph, tmp_path: Path,
                                                                kind: str) -> None:
    """Drawn from the skeleton and the part read, the page is byte for byte the page of the whole
    entity graph in memory (selection, sizes, tooltips, evidence, notice)."""
    whole = styled(entity_graph(model), model)
    for cap in (150, 10_000):
        fast = write_view(kind, ViewGraphs.of_store(store), tmp_path / f"store-{cap}", cap=cap)
        if kind == "overview":
            slow = viz.overview(whole, tmp_path / f"memory-{cap}.html", cap=cap, title="ecokg — 中国云生态 overview")
        else:
            slow = viz.investors_sectors(whole, tmp_path / f"memory-{cap}.html", cap=cap)
        assert fast.total_nodes == slow.total_nodes and fast.sampled == (cap < slow.total_nodes)
        assert _pages_equal(fast, slow)


def test_makers_view_from_the_store_is_the_reference_page(store: Any, model: KnowledgeGraph, tmp_path: Path) -> None:
    """The makers view counts its links without listing the pairs; its page is the page of the whole
    makers graph (every pair listed, :func:`makers_graph`), with and without the caps."""
    reference = makers_graph(model, styled(to_networkx(model), model))
    assert any(d["type"] == "PARENT_ORGANISATION" for _, _, d in reference.edges(data=True))
    for cap, edge_cap in ((10_000, None), (120, None), (120, 300)):
        fast = write_makers(ViewGraphs.of_store(store), tmp_path / f"store-{cap}-{edge_cap}.html", cap, edge_cap)
        slow = viz.investors_makers(reference, tmp_path / f"memory-{cap}-{edge_cap}.html", cap=cap,
                                    title="Investors and model makers, with the makers' places", note=MAKERS_RULE,
                                    edge_colours=LINK_COLOURS, edge_cap=edge_cap)
        assert (fast.nodes_drawn, fast.total_nodes, fast.total_edges) == (slow.nodes_drawn, slow.total_nodes,
                                                                          slow.total_edges)
        assert _pages_equal(fast, slow)
    graphs = ViewGraphs.of_store(store)
    shape = makers_shape(graphs, [graphs.skeleton.ids[i] for i in graphs.skeleton.deal_investors])
    links = {n: 0 for n in reference}
    for a, b in reference.edges():
        if a != b and not reference.nodes[a]["place"] and not reference.nodes[b]["place"]:
            links[a] += 1
            links[b] += 1
    assert {n: k for n, k in shape.links.items() if k} == {n: k for n, k in links.items() if k}
    assert makers_selection(shape, 10**6).total == viz.select.select_with_places(reference, 10**6)[0].total


def test_parent_links_with_a_cycle_follow_the_rule(tmp_path: Path) -> None:
    """Parent chains that loop (bad data) take the pair-by-pair path; the page is still the reference's."""
    kg = KnowledgeGraph()
    ns = "https://w3id.org/ecokg/id/org/"
    names = ["fund", "maker", "parent-a", "parent-b", "other-maker"]
    for n in names:
        kg.add_node(ns + n, C.InvestmentFirm if n == "fund" else C.Company, {"name": n})
    kg.add_node(ns + "model", C.AIModel, {"name": "model"})
    kg.add_node(ns + "model2", C.AIModel, {"name": "model2"})
    kg.add_edge(ns + "model", P.developedBy, ns + "maker")
    kg.add_edge(ns + "model2", P.developedBy, ns + "other-maker")
    for child, parent in (("fund", "parent-a"), ("maker", "parent-b"), ("parent-a", "parent-b"),
                          ("parent-b", "parent-a"), ("other-maker", "fund")):
        kg.add_edge(ns + child, P.parentOrganisation, ns + parent)
    graphs = ViewGraphs.of(kg)
    fast = write_makers(graphs, tmp_path / "fast.html")
    reference = makers_graph(kg, graphs.full)
    slow = viz.investors_makers(reference, tmp_path / "slow.html", title="Investors and model makers, with the "
                                "makers' places", note=MAKERS_RULE, edge_colours=LINK_COLOURS)
    assert fast.edges_drawn == slow.edges_drawn > 0 and _pages_equal(fast, slow)


def test_an_investor_whose_deal_is_not_drawn_is_still_flagged(tmp_path: Path) -> None:
    """A fund kept alone (its deal's investee left out by the cap) still carries the investor flag
    the whole entity graph gives it."""
    kg = KnowledgeGraph()
    ns = "https://w3id.org/ecokg/id/"
    kg.add_node(ns + "org/fund", C.Fund, {"name": "fund"})
    kg.add_node(ns + "org/x", C.Company, {"name": "x"})
    kg.add_node(ns + "deal/1", C.Investment, {"round": "A"})
    kg.add_edge(ns + "deal/1", P.investor, ns + "org/fund")
    kg.add_edge(ns + "deal/1", P.investee, ns + "org/x")
    for k in range(3):
        kg.add_node(ns + f"place/p{k}", C.Place, {"name": f"p{k}"})
        kg.add_edge(ns + "org/fund", P.locatedIn, ns + f"place/p{k}")
    whole = styled(entity_graph(kg), kg)
    assert whole.nodes[ns + "org/fund"]["props"].get("investor") is True
    fast = write_view("overview", ViewGraphs.of(kg), tmp_path / "store", cap=1)
    slow = viz.overview(whole, tmp_path / "memory.html", cap=1, title="ecokg — 中国云生态 overview")
    assert fast.nodes_drawn == 1 and _pages_equal(fast, slow)


@pytest.mark.parametrize("by", ["developer", "family"])
def test_race_from_the_store_is_the_models_race(store: Any, model: KnowledgeGraph, tmp_path: Path, by: str) -> None:
    fast = write_race_store(ViewGraphs.of_store(store), tmp_path / "store.html", by)
    slow = write_race(model, tmp_path / "memory.html", by)
    assert fast.total_nodes == len(race_series(model, by).series) > 0
    assert _pages_equal(fast, slow)


# -- analytics -----------------------------------------------------------------------------------

def test_analysis_from_the_store_is_the_models(store: Any, model: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    """Sampled betweenness (numpy) and label propagation (numpy) give networkx's figures: the whole
    analysis read from the store equals the one of the model with networkx's own functions."""
    monkeypatch.setattr(an, "LOUVAIN_LIMIT", 100)  # label propagation on this small graph
    fast = an.analyze_store(store, top=10, exact_limit=200, sample=40)
    monkeypatch.setattr(an, "sampled_betweenness",
                        lambda h, k, seed=an.SEED, adj=None: nx.betweenness_centrality(h, k=k, normalized=True, seed=seed))
    monkeypatch.setattr(an, "label_propagation", lambda h, adj=None: nx.community.label_propagation_communities(h))
    slow = an.analyze(model, top=10, exact_limit=200, sample=40)
    assert fast["centrality"]["k"] == 40 and fast["communities"]["method"] == "label-propagation"
    assert json.dumps(fast, sort_keys=True, default=str) == json.dumps(slow, sort_keys=True, default=str)


def test_sampled_betweenness_and_label_propagation_are_networkx() -> None:
    for seed in range(12):
        g = nx.barabasi_albert_graph(150 + 20 * seed, 1 + seed % 3, seed=seed) if seed % 2 \
            else nx.gnm_random_graph(120 + 10 * seed, 300, seed=seed)
        h = an.project(nx.relabel_nodes(g, {v: f"v{v:04d}" for v in g}))
        k = 5 + seed * 3
        ours = an.sampled_betweenness(h, k, seed)
        theirs = nx.betweenness_centrality(h, k=k, normalized=True, seed=seed)
        assert ours.keys() == theirs.keys()
        assert all(abs(ours[v] - theirs[v]) <= 1e-9 for v in ours)
        parts = sorted(map(sorted, an.label_propagation(h)))
        assert parts == sorted(map(sorted, nx.community.label_propagation_communities(h)))
        assert an._modularity(h, parts, an.Adjacency(h)) == an._modularity(h, parts)
