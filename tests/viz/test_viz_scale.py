"""ecokg.viz at scale: the investors-sectors selection without a search per pair, and the edge cap."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
from viz_graphs import scale_graph, undirected_shortest_path_nodes
from viz_pages import payload

from ecokg import viz


def test_shortest_path_candidates_on_random_graphs() -> None:
    """The linear selection finds exactly what networkx's shortest paths find pair by pair, for
    every path length, including nodes that are both investor and sector."""
    rnd = random.Random(13)
    for _ in range(300):
        n = rnd.randint(1, 30)
        edges = {(rnd.randrange(n), rnd.randrange(n)) for _ in range(rnd.randint(0, 2 * n))}
        u = nx.Graph()
        u.add_nodes_from(range(n))
        u.add_edges_from((a, b) for a, b in edges if a != b)
        investors = set(rnd.sample(range(n), rnd.randint(0, min(n, 5))))
        sectors = set(rnd.sample(range(n), rnd.randint(0, min(n, 4))))
        hops = rnd.randint(0, 4)
        inner: set[int] = set()
        linked_i: set[int] = set()
        linked_s: set[int] = set()
        for i in investors:
            for s in sectors:
                if i != s and nx.has_path(u, i, s) and nx.shortest_path_length(u, i, s) <= hops:
                    linked_i.add(i)
                    linked_s.add(s)
                    for path in nx.all_shortest_paths(u, i, s):
                        inner.update(path)
        got = viz.shortest_path_candidates([sorted(u.adj[v]) for v in range(n)], investors, sectors, hops)
        assert got == (inner - investors - sectors, linked_i, linked_s)


def test_investors_sectors_scales_linearly(tmp_path: Path) -> None:
    """A larger graph: the same nodes as the oracle, found without a search per investor."""
    G = scale_graph(3000, seed=5, m=2)
    result = viz.investors_sectors(G, tmp_path / "inv.html", cap=100_000)
    assert {n["id"] for n in payload(result.path)["nodes"]} == undirected_shortest_path_nodes(G, max_hops=3)


def test_the_edge_cap_keeps_the_edges_among_the_first_nodes(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    nodes = [f"n{i}" for i in range(6)]
    for k, n in enumerate(nodes):
        g.add_node(n, label=n, cls="Company", props={}, evidence=[])
    pairs = [(a, b) for a in nodes for b in nodes if a < b and (a, b) != ("n0", "n5")]
    for a, b in pairs:
        g.add_edge(a, b, type="LINK", evidence=[])
    cap = 4
    result = viz.overview(g, tmp_path / "capped.html", edge_cap=cap)
    order = viz.select.rank_by_degree(g.nodes, dict(g.degree()))
    rank = {n: k for k, n in enumerate(order)}
    expected = sorted(pairs, key=lambda e: (max(rank[e[0]], rank[e[1]]), min(rank[e[0]], rank[e[1]])))[:cap]
    drawn = {(e["from"], e["to"]) for e in payload(result.path)["edges"]}
    assert drawn == set(expected)
    assert result.total_edges == len(pairs) and result.edges_drawn == cap
    assert result.notice is not None and f"{cap} of {len(pairs)} edges" in result.notice
    assert viz.overview(g, tmp_path / "whole.html").edges_drawn == len(pairs)  # under the cap: every edge
