"""Choosing which nodes a view draws: neighbourhoods, investor-sector paths, the cap.

All functions are deterministic: ties are broken by node id, so the same graph
always yields the same drawing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .style import is_investor, is_place, is_sector


@dataclass(frozen=True)
class Selection:
    """The nodes a view draws, in drawing order, and how many were candidates."""

    nodes: list[Hashable]
    total: int
    sampled: bool


def degree_map(G: nx.MultiDiGraph[Any]) -> dict[Hashable, int]:
    """Total degree (in + out, parallel edges counted) of every node."""
    return dict(G.degree())


def _id_key(node: Hashable) -> str:
    return str(node)


def rank_by_degree(nodes: Iterable[Hashable], degree: Mapping[Hashable, int]) -> list[Hashable]:
    """Nodes sorted by degree (highest first), ties by id."""
    return sorted(nodes, key=lambda n: (-degree.get(n, 0), _id_key(n)))


def apply_cap(ranked: Sequence[Hashable], cap: int) -> Selection:
    """Keep the first ``cap`` of the already-ranked ``ranked`` nodes."""
    if cap < 1:
        raise ValueError(f"cap must be >= 1, got {cap}")
    kept = list(ranked[:cap])
    return Selection(nodes=kept, total=len(ranked), sampled=len(ranked) > len(kept))


def undirected_distances(G: nx.MultiDiGraph[Any], source: Hashable, cutoff: int) -> dict[Hashable, int]:
    """Hop distance from ``source`` to every node within ``cutoff``, ignoring direction."""
    dist: dict[Hashable, int] = {source: 0}
    queue: deque[Hashable] = deque([source])
    succ, pred = G.succ, G.pred
    while queue:
        node = queue.popleft()
        d = dist[node]
        if d >= cutoff:
            continue
        for nbr in _sorted_neighbours(succ[node], pred[node]):
            if nbr not in dist:
                dist[nbr] = d + 1
                queue.append(nbr)
    return dist


def _sorted_neighbours(out: Mapping[Hashable, Any], inc: Mapping[Hashable, Any]) -> list[Hashable]:
    neighbours = set(out)
    neighbours.update(inc)
    return sorted(neighbours, key=_id_key)


def select_overview(G: nx.MultiDiGraph[Any], degree: Mapping[Hashable, int], cap: int) -> Selection:
    """All nodes, highest degree first, capped."""
    return apply_cap(rank_by_degree(G.nodes, degree), cap)


def select_ego(
    G: nx.MultiDiGraph[Any],
    center: Hashable,
    hops: int,
    degree: Mapping[Hashable, int],
    cap: int,
) -> tuple[Selection, dict[Hashable, int]]:
    """The ``hops``-neighbourhood of ``center`` (both directions), nearest first, capped.

    Within one distance ring, higher-degree nodes come first. Returns the selection and
    the distance of each candidate node.
    """
    if center not in G:
        raise KeyError(f"ego centre {center!r} is not a node of the graph")
    if hops < 0:
        raise ValueError(f"hops must be >= 0, got {hops}")
    dist = undirected_distances(G, center, hops)
    ranked = sorted(dist, key=lambda n: (dist[n], -degree.get(n, 0), _id_key(n)))
    return apply_cap(ranked, cap), dist


def shortest_path_candidates(
    neighbours: Sequence[Sequence[int]],
    investors: Iterable[int],
    sectors: Iterable[int],
    max_hops: int = 3,
) -> tuple[set[int], set[int], set[int]]:
    """Every node on a shortest path of at most ``max_hops`` hops between an investor and a
    sector, in linear time: no path is searched pair by pair.

    ``neighbours[v]`` lists the nodes next to ``v`` (undirected; nodes are ``0 .. n-1``; a node
    listed twice, or ``v`` itself, does no harm).
    Returns ``(intermediates, linked_investors, linked_sectors)``: the nodes strictly inside such a
    path (ends excluded), and the investors and sectors that have one.

    How: each sector gets a bit. ``near[k][v]`` holds the sectors within ``k`` hops of ``v`` (one
    pass over the edges per ``k``); an investor ``i`` knows the sectors at exactly ``D`` hops,
    ``at(i, D)``. ``reach[j][D][v]`` ORs ``at(i, D)`` over the investors ``i`` within ``j`` hops of
    ``v``. Then ``v`` lies on a shortest investor-sector path of length ``D`` with the investor ``j``
    hops away exactly when ``reach[j][D][v] & near[D - j][v]`` is not empty: a sector ``D`` hops from
    such an investor and at most ``D - j`` from ``v`` is at exactly ``D - j`` (the triangle
    inequality), and conversely. The work is ``O(max_hops² · (n + m))`` word operations.
    """
    inv = sorted(set(investors))
    sec = sorted(set(sectors))
    n = len(neighbours)
    bit = {s: 1 << k for k, s in enumerate(sec)}

    def spread(masks: list[int]) -> list[int]:
        out = masks[:]
        for u, mask in enumerate(masks):
            if mask:
                for v in neighbours[u]:
                    out[v] |= mask
        return out

    own = [0] * n
    for s, b in bit.items():
        own[s] = b
    near = [own]
    for _ in range(max(max_hops - 1, 0)):
        near.append(spread(near[-1]))
    # the sectors at exactly D hops of each investor, D = 1 .. max_hops
    at: dict[int, dict[int, int]] = {}
    linked_investors: set[int] = set()
    linked_mask = 0
    for i in inv:
        if max_hops >= 1:
            within = [near[k][i] for k in range(max_hops)]  # within k hops, k = 0 .. max_hops - 1
            top = within[-1]
            for v in neighbours[i]:
                top |= near[max_hops - 1][v]
            within.append(top)
        else:
            within = [own[i]]
        at[i] = {d: within[d] & ~within[d - 1] for d in range(1, max_hops + 1)}
        reached = within[-1] & ~own[i]
        if reached:
            linked_investors.add(i)
            linked_mask |= reached
    linked_sectors = {s for s, b in bit.items() if linked_mask & b}
    intermediates: set[int] = set()
    for d in range(2, max_hops + 1):
        reach = [0] * n
        for i in inv:
            reach[i] = at[i].get(d, 0)
        for j in range(1, d):
            reach = spread(reach)
            close = near[d - j]
            for v, mask in enumerate(reach):
                if mask & close[v]:
                    intermediates.add(v)
    intermediates -= set(inv) | set(sec)
    return intermediates, linked_investors, linked_sectors


def investor_sector_candidates(
    G: nx.MultiDiGraph[Any],
    max_hops: int = 3,
    *,
    investor: Callable[[Mapping[str, Any]], bool] = is_investor,
    sector: Callable[[Mapping[str, Any]], bool] = is_sector,
    connected_only: bool = False,
) -> tuple[set[Hashable], set[Hashable], set[Hashable]]:
    """Investors, sectors, and every node on a shortest undirected path between them.

    A node ``v`` is on a shortest path between investor ``i`` and sector ``s`` with
    ``d(i, s) <= max_hops`` iff ``d(i, v) + d(v, s) == d(i, s)``; see
    :func:`shortest_path_candidates` for how that is found without a search per pair. Returns
    ``(investors, sectors, intermediates)``. With ``connected_only`` only investors and
    sectors joined by such a path are returned.
    """
    nodes = sorted(G.nodes, key=_id_key)
    index = {v: k for k, v in enumerate(nodes)}
    neighbours = [sorted({index[w] for w in (*G.succ[v], *G.pred[v])} - {index[v]}) for v in nodes]
    investors = {n for n, a in G.nodes(data=True) if investor(a)}
    sectors = {n for n, a in G.nodes(data=True) if sector(a)}
    inner, linked_i, linked_s = shortest_path_candidates(
        neighbours, (index[v] for v in investors), (index[v] for v in sectors), max_hops)
    intermediates = {nodes[k] for k in inner}
    if connected_only:
        investors, sectors = {nodes[k] for k in linked_i}, {nodes[k] for k in linked_s}
    intermediates -= investors | sectors
    return investors, sectors, intermediates


def select_investors_sectors(
    G: nx.MultiDiGraph[Any],
    degree: Mapping[Hashable, int],
    cap: int,
    max_hops: int = 3,
    *,
    connected_only: bool = False,
) -> tuple[Selection, set[Hashable], set[Hashable]]:
    """Selection for the investors-sectors view, highest degree first, capped.

    Returns the selection plus the investor and sector sets (for styling).
    """
    investors, sectors, intermediates = investor_sector_candidates(G, max_hops, connected_only=connected_only)
    ranked = rank_by_degree(investors | sectors | intermediates, degree)
    return apply_cap(ranked, cap), investors, sectors


def select_paths(G: nx.MultiDiGraph[Any], paths: Sequence[Sequence[Hashable]], cap: int) -> Selection:
    """Nodes of ``paths`` in first-seen order (earlier paths first), capped."""
    ordered: dict[Hashable, None] = {}
    missing: list[Hashable] = []
    for p in paths:
        for node in p:
            if node not in G:
                missing.append(node)
            ordered.setdefault(node, None)
    if missing:
        raise KeyError(f"path nodes not in the graph: {sorted(set(map(str, missing)))[:10]}")
    return apply_cap(list(ordered), cap)


def induced_edges(
    G: nx.MultiDiGraph[Any], nodes: Sequence[Hashable]
) -> list[tuple[Hashable, Hashable, Hashable, dict[str, Any]]]:
    """All edges (with keys and data) whose both ends are in ``nodes``, in a stable order."""
    keep = set(nodes)
    out: list[tuple[Hashable, Hashable, Hashable, dict[str, Any]]] = []
    succ = G.succ
    for u in nodes:
        nbrs = succ[u]
        for v in sorted((v for v in nbrs if v in keep), key=_id_key):
            for key, data in nbrs[v].items():
                out.append((u, v, key, data))
    return out


def place_companions(G: nx.MultiDiGraph[Any], node: Hashable, places: Collection[Hashable]) -> list[Hashable]:
    """The places ``node`` reaches by following out-edges through places only (its city, then the
    city's province...), nearest first, ties by id."""
    dist = {node: 0}
    queue: deque[Hashable] = deque([node])
    while queue:
        current = queue.popleft()
        for nbr in sorted(G.succ[current], key=_id_key):
            if nbr in places and nbr not in dist:
                dist[nbr] = dist[current] + 1
                queue.append(nbr)
    return sorted((n for n in dist if n != node), key=lambda n: (dist[n], _id_key(n)))


def link_degrees(G: nx.MultiDiGraph[Any], places: Collection[Hashable]) -> dict[Hashable, int]:
    """Per node, the number of edges (either direction) to nodes that are not places."""
    degree: dict[Hashable, int] = {n: 0 for n in G.nodes}
    for u, v in G.edges():
        if u not in places and v not in places and u != v:
            degree[u] += 1
            degree[v] += 1
    return degree


def select_with_places(
    G: nx.MultiDiGraph[Any],
    cap: int,
    *,
    connected_only: bool = True,
) -> tuple[Selection, set[Hashable], dict[Hashable, int]]:
    """Selection for the investors-makers view: every node that is not a place (only those
    with a link to another such node when ``connected_only``), most links first (ties by id),
    each followed by its places (:func:`place_companions`); capped.

    Returns the selection, the place nodes, and each node's link degree.
    """
    if cap < 1:
        raise ValueError(f"cap must be >= 1, got {cap}")
    places = {n for n, a in G.nodes(data=True) if is_place(a)}
    links = link_degrees(G, places)
    core = [n for n in G.nodes if n not in places and (links[n] > 0 or not connected_only)]
    ranked = sorted(core, key=lambda n: (-links[n], _id_key(n)))
    companions = {n: place_companions(G, n, places) for n in ranked}
    candidates = set(ranked).union(*companions.values()) if ranked else set()
    kept: list[Hashable] = []
    seen: set[Hashable] = set()
    for n in ranked:
        for m in (n, *companions[n]):
            if len(kept) < cap and m not in seen:
                kept.append(m)
                seen.add(m)
        if len(kept) >= cap:
            break
    return Selection(nodes=kept, total=len(candidates), sampled=len(kept) < len(candidates)), places, links
