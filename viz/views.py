"""The graph views of the knowledge graph: overview, ego, path, investors-sectors, investors-makers.

Each view selects nodes (deterministically, never more than ``cap``), turns them into
vis-network records and writes one self-contained offline HTML page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from .drawing import (
    EdgeTuple,
    LegendEntry,
    edge_records,
    legend_entries,
    node_label,
    node_records,
)
from .page import PageSpec, write_page
from .result import ViewResult, cap_notice
from .select import (
    Selection,
    degree_map,
    induced_edges,
    select_ego,
    select_investors_sectors,
    select_overview,
    select_paths,
    select_with_places,
)
from .style import HIGHLIGHT_COLOUR, class_colour, is_investor, is_maker, is_place, is_sector

DEFAULT_CAP = 1000
#: The most edges a view draws: a page with more is tens of megabytes and no browser lays it out
#: (the investors-makers view of 10,000 generated entities had 77,700 edges, 69 MB). Over it, the
#: edges among the first-kept nodes are kept first (see :func:`cap_edges`).
EDGE_CAP = 5_000
#: Edge labels (relationship types) are drawn only on drawings up to this many nodes.
EDGE_LABEL_LIMIT = 150


def _finish(
    view: str,
    spec: PageSpec,
    path: str | Path,
    selection: Selection,
    notice: str | None,
    total_edges: int | None = None,
) -> ViewResult:
    written = write_page(spec, path)
    return ViewResult(
        view=view,
        path=written,
        nodes_drawn=len(spec.nodes),
        edges_drawn=len(spec.edges),
        total_nodes=selection.total,
        sampled=selection.sampled,
        notice=notice,
        total_edges=len(spec.edges) if total_edges is None else total_edges,
    )


def cap_edges(
    edges: Sequence[EdgeTuple], nodes: Sequence[Hashable], edge_cap: int | None
) -> tuple[list[EdgeTuple], int]:
    """At most ``edge_cap`` of ``edges`` (``None``: all): those among the first of ``nodes`` first
    (by the later rank of their two ends, then the earlier), in their given order otherwise.
    Returns the kept edges, in the given order, and how many there were."""
    if edge_cap is None or len(edges) <= edge_cap:
        return list(edges), len(edges)
    if edge_cap < 0:
        raise ValueError(f"edge_cap must be >= 0, got {edge_cap}")
    rank = {n: k for k, n in enumerate(nodes)}
    order = sorted(range(len(edges)), key=lambda k: (max(rank[edges[k][0]], rank[edges[k][1]]),
                                                      min(rank[edges[k][0]], rank[edges[k][1]]), k))
    keep = sorted(order[:edge_cap])
    return [edges[k] for k in keep], len(edges)


def _notice(nodes_notice: str | None, drawn: int, total: int) -> str | None:
    """The cap notice, with the edges when the edge cap cut some."""
    if drawn >= total:
        return nodes_notice
    edges = f"{drawn:,} of {total:,} edges (those among the first nodes first)"
    return f"{nodes_notice}; {edges}" if nodes_notice else f"Showing {edges}"


def _meta(selection: Selection, drawn_edges: int) -> dict[str, Any]:
    return {
        "totalNodes": selection.total,
        "nodesDrawn": len(selection.nodes),
        "edgesDrawn": drawn_edges,
        "sampled": selection.sampled,
    }


def overview(
    G: nx.MultiDiGraph[Any],
    path: str | Path,
    cap: int = DEFAULT_CAP,
    *,
    title: str = "ecokg — ecosystem overview",
    selection: Selection | None = None,
    degree: Mapping[Hashable, int] | None = None,
    graph_size: tuple[int, int] | None = None,
    edge_cap: int | None = EDGE_CAP,
    edge_total: int | None = None,
) -> ViewResult:
    """Whole-graph view: colour by class (with legend), size by degree.

    Over ``cap`` nodes, the highest-degree nodes are kept (ties by id).

    A caller that has chosen the nodes itself (from a graph too big to hand over) passes ``G``
    holding only them, with ``selection`` (the nodes in order, how many there were to choose
    from), ``degree`` (each node's degree in the whole graph) and ``graph_size`` (the whole
    graph's node and edge counts, for the subtitle). Over ``edge_cap`` edges among the drawn nodes,
    those among the first nodes are kept (:func:`cap_edges`); a caller that capped them already
    says how many there were with ``edge_total``.
    """
    degree = degree_map(G) if degree is None else degree
    selection = select_overview(G, degree, cap) if selection is None else selection
    nodes = node_records(G, selection.nodes, degree)
    kept, total_edges = cap_edges(induced_edges(G, selection.nodes), selection.nodes, edge_cap)
    total_edges = total_edges if edge_total is None else edge_total
    edges = edge_records(G, kept, show_labels=len(nodes) <= EDGE_LABEL_LIMIT)
    notice = cap_notice(len(nodes), selection.total, "highest degree first") if selection.sampled else None
    notice = _notice(notice, len(edges), total_edges)
    n_nodes, n_edges = graph_size if graph_size is not None else (G.number_of_nodes(), G.number_of_edges())
    spec = PageSpec(
        title=title,
        nodes=nodes,
        edges=edges,
        legend=legend_entries(nodes),
        notice=notice,
        subtitle=f"{n_nodes:,} nodes and {n_edges:,} edges in the graph",
        view="overview",
        meta=_meta(selection, len(edges)),
    )
    return _finish("overview", spec, path, selection, notice, total_edges)


def ego(
    G: nx.MultiDiGraph[Any],
    center: Hashable,
    path: str | Path,
    hops: int = 2,
    cap: int = DEFAULT_CAP,
    *,
    title: str | None = None,
    selection: Selection | None = None,
    degree: Mapping[Hashable, int] | None = None,
    edge_cap: int | None = EDGE_CAP,
    edge_total: int | None = None,
) -> ViewResult:
    """The ``hops``-neighbourhood of ``center``, following edges in both directions.

    Over ``cap`` nodes, the nodes nearest to the centre are kept (then highest degree,
    then id). Raises ``KeyError`` if ``center`` is not in ``G``. ``selection`` and ``degree``: as
    in :func:`overview`, for a caller that chose the nodes itself.
    """
    if center not in G:
        raise KeyError(f"ego centre {center!r} is not a node of the graph")
    degree = degree_map(G) if degree is None else degree
    if selection is None:
        selection, _dist = select_ego(G, center, hops, degree, cap)
    nodes = node_records(G, selection.nodes, degree, highlighted=[center], roles={center: "center"})
    kept, total_edges = cap_edges(induced_edges(G, selection.nodes), selection.nodes, edge_cap)
    total_edges = total_edges if edge_total is None else edge_total
    edges = edge_records(G, kept, show_labels=len(nodes) <= EDGE_LABEL_LIMIT)
    notice = cap_notice(len(nodes), selection.total, "nearest to the centre first") if selection.sampled else None
    notice = _notice(notice, len(edges), total_edges)
    centre_label = node_label(center, G.nodes[center])
    spec = PageSpec(
        title=title if title is not None else f"Ego network: {centre_label}",
        nodes=nodes,
        edges=edges,
        legend=legend_entries(nodes),
        extra_legend=[LegendEntry(text=f"centre: {centre_label}", colour=HIGHLIGHT_COLOUR, count=-1, shape="line")],
        notice=notice,
        subtitle=f"{hops} hop{'s' if hops != 1 else ''} around {centre_label}, both directions",
        view="ego",
        meta={**_meta(selection, len(edges)), "center": str(center), "hops": hops},
    )
    return _finish("ego", spec, path, selection, notice, total_edges)


def _step_edges(
    G: nx.MultiDiGraph[Any], paths: Sequence[Sequence[Hashable]], kept: set[Hashable]
) -> tuple[list[EdgeTuple], list[tuple[Hashable, Hashable]], set[int]]:
    """Edges between consecutive path nodes (either direction), deduplicated.

    Steps with no edge in ``G`` get a synthetic ``PATH_STEP`` edge; their indices are
    returned so they can be drawn dashed.
    """
    edges: list[EdgeTuple] = []
    pairs: list[tuple[Hashable, Hashable]] = []
    synthetic: set[int] = set()
    seen_edges: set[tuple[Hashable, Hashable, Hashable]] = set()
    seen_steps: set[frozenset[Hashable]] = set()
    for p in paths:
        for a, b in zip(p, p[1:], strict=False):
            if a not in kept or b not in kept or a == b:
                continue
            step = frozenset((a, b))
            if step in seen_steps:
                continue
            seen_steps.add(step)
            pairs.append((a, b))
            found = False
            for u, v in ((a, b), (b, a)):
                for key, data in G.succ[u].get(v, {}).items():
                    found = True
                    if (u, v, key) not in seen_edges:
                        seen_edges.add((u, v, key))
                        edges.append((u, v, key, data))
            if not found:
                synthetic.add(len(edges))
                edges.append((a, b, None, {"type": "PATH_STEP", "evidence": []}))
    return edges, pairs, synthetic


def path_view(
    G: nx.MultiDiGraph[Any],
    paths: Sequence[Sequence[Hashable]],
    path: str | Path,
    cap: int = DEFAULT_CAP,
    *,
    title: str = "Explained connections",
    degree: Mapping[Hashable, int] | None = None,
) -> ViewResult:
    """Explained connections: the nodes of ``paths`` and the edges between consecutive
    nodes, highlighted. A step with no edge in ``G`` is drawn as a dashed ``PATH_STEP``.

    Over ``cap`` nodes, nodes of earlier paths are kept first. Raises ``KeyError`` if a
    path names a node that is not in ``G``. ``degree``: each node's degree in the whole graph,
    when ``G`` holds only part of it.
    """
    degree = degree_map(G) if degree is None else degree
    selection = select_paths(G, paths, cap)
    kept = set(selection.nodes)
    endpoints = {p[0] for p in paths if p} | {p[-1] for p in paths if p}
    nodes = node_records(G, selection.nodes, degree, highlighted=endpoints & kept)
    step_edges, pairs, synthetic = _step_edges(G, paths, kept)
    edges = edge_records(G, step_edges, show_labels=True, highlighted=pairs)
    for index in synthetic:
        edges[index]["dashes"] = True
    notice = cap_notice(len(nodes), selection.total, "earlier paths first") if selection.sampled else None
    spec = PageSpec(
        title=title,
        nodes=nodes,
        edges=edges,
        legend=legend_entries(nodes),
        extra_legend=[LegendEntry(text="path step", colour=HIGHLIGHT_COLOUR, count=len(pairs), shape="line")],
        notice=notice,
        subtitle=f"{len(paths):,} path{'s' if len(paths) != 1 else ''}",
        view="path",
        meta={**_meta(selection, len(edges)), "paths": len(paths)},
    )
    return _finish("path", spec, path, selection, notice)


def investors_sectors(
    G: nx.MultiDiGraph[Any],
    path: str | Path,
    cap: int = DEFAULT_CAP,
    *,
    max_hops: int = 3,
    connected_only: bool = False,
    title: str = "Investors and sectors",
    selection: Selection | None = None,
    degree: Mapping[Hashable, int] | None = None,
    edge_cap: int | None = EDGE_CAP,
    edge_total: int | None = None,
) -> ViewResult:
    """Investor nodes (``investor`` or ``props.investor`` true), sector nodes (``sector`` true), and the
    nodes on shortest undirected paths of at most ``max_hops`` between an investor and a
    sector, with the edges among them.

    Over ``cap`` nodes, the highest-degree nodes are kept. ``selection`` and ``degree``: as in
    :func:`overview`, for a caller that chose the nodes itself (the investors and sectors are then
    the nodes of ``G`` flagged so).
    """
    degree = degree_map(G) if degree is None else degree
    if selection is None:
        selection, investors, sectors = select_investors_sectors(G, degree, cap, max_hops,
                                                                 connected_only=connected_only)
    else:
        investors = {n for n, a in G.nodes(data=True) if is_investor(a)}
        sectors = {n for n, a in G.nodes(data=True) if is_sector(a)}
    roles: dict[Hashable, str] = {n: "investor" for n in investors}
    roles.update({n: "sector" for n in sectors})
    nodes = node_records(G, selection.nodes, degree, roles=roles)
    kept_edges, total_edges = cap_edges(induced_edges(G, selection.nodes), selection.nodes, edge_cap)
    total_edges = total_edges if edge_total is None else edge_total
    edges = edge_records(G, kept_edges, show_labels=len(nodes) <= EDGE_LABEL_LIMIT)
    notice = cap_notice(len(nodes), selection.total, "highest degree first") if selection.sampled else None
    notice = _notice(notice, len(edges), total_edges)
    kept = set(selection.nodes)
    spec = PageSpec(
        title=title,
        nodes=nodes,
        edges=edges,
        legend=legend_entries(nodes),
        notice=notice,
        subtitle=(
            f"{len(investors & kept):,} investors, {len(sectors & kept):,} sectors, paths of at most {max_hops} hops"
        ),
        view="investors_sectors",
        meta=_meta(selection, len(edges)),
    )
    return _finish("investors_sectors", spec, path, selection, notice, total_edges)


#: Edges to a place are drawn in this grey, dashed.
PLACE_EDGE_COLOUR = "#8c959f"
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _link_style(
    edges: list[dict[str, Any]], places: set[Hashable], given: Mapping[str, str] | None
) -> list[LegendEntry]:
    """Colour each edge by its type (``given`` colours first, place edges grey and dashed, else a
    palette colour by a stable hash of the type); one legend line per type."""
    counts: Counter[str] = Counter()
    colours: dict[str, str] = {}
    place_ids = {str(n) for n in places}
    for record in edges:
        rel = str(record["type"])
        wanted = (given or {}).get(rel, "")
        if record["to"] in place_ids:
            colour = PLACE_EDGE_COLOUR
            record["dashes"] = True
        elif _HEX_COLOUR.match(wanted):
            colour = wanted
        else:
            colour = class_colour(rel)
        colours.setdefault(rel, colour)
        counts[rel] += 1
        record["color"] = {"color": colour, "highlight": HIGHLIGHT_COLOUR, "hover": HIGHLIGHT_COLOUR}
    return [LegendEntry(text=rel, colour=colours[rel], count=n, shape="line")
            for rel, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def investors_makers(
    G: nx.MultiDiGraph[Any],
    path: str | Path,
    cap: int = DEFAULT_CAP,
    *,
    connected_only: bool = True,
    title: str = "Investors and model makers",
    note: str | None = None,
    edge_colours: Mapping[str, str] | None = None,
    selection: Selection | None = None,
    degree: Mapping[Hashable, int] | None = None,
    edge_cap: int | None = EDGE_CAP,
    edge_total: int | None = None,
) -> ViewResult:
    """Investors (``investor``), model makers (``maker``), the links between them (any edge whose
    ends are not places, through whatever other nodes ``G`` holds), and the places (``place``)
    each drawn node reaches by its out-edges (a maker's city, then the city's province).

    With ``connected_only`` (the default) nodes with no link are left out. Over ``cap`` nodes,
    the nodes with the most links are kept first (ties by id), each with its places. Edges are
    coloured by type (``edge_colours``, ``{"TYPE": "#rrggbb"}``, or a palette colour; edges to places
    grey and dashed), with a legend line per type. ``note`` (the rule the data follows) is shown
    under the heading. ``selection`` and ``degree``: as in :func:`overview`, for a caller that chose
    the nodes itself.
    """
    degree = degree_map(G) if degree is None else degree
    if selection is None:
        selection, places, _links = select_with_places(G, cap, connected_only=connected_only)
    else:
        places = {n for n, a in G.nodes(data=True) if is_place(a)}
    kept = set(selection.nodes)
    roles: dict[Hashable, str] = {}
    for n in selection.nodes:
        attrs = G.nodes[n]
        flags = [name for name, flag in (("investor", is_investor(attrs)), ("maker", is_maker(attrs)),
                                         ("place", n in places)) if flag]
        roles[n] = "-".join(flags) or "link"
    nodes = node_records(G, selection.nodes, degree, roles=roles)
    kept_edges, total_edges = cap_edges(induced_edges(G, selection.nodes), selection.nodes, edge_cap)
    total_edges = total_edges if edge_total is None else edge_total
    edges = edge_records(G, kept_edges, show_labels=len(nodes) <= EDGE_LABEL_LIMIT)
    link_legend = _link_style(edges, places, edge_colours)
    order = "most links first, each with its places"
    notice = cap_notice(len(nodes), selection.total, order) if selection.sampled else None
    notice = _notice(notice, len(edges), total_edges)
    count = Counter(role for n, role in roles.items() if n in kept)
    investors = sum(v for r, v in count.items() if "investor" in r.split("-"))
    makers = sum(v for r, v in count.items() if "maker" in r.split("-"))
    spec = PageSpec(
        title=title,
        nodes=nodes,
        edges=edges,
        legend=legend_entries(nodes),
        extra_legend=link_legend,
        notice=notice,
        note=note,
        subtitle=(f"{investors:,} investors, {makers:,} model makers, {count['place']:,} places"
                  + ("; nodes with no link left out" if connected_only else "")),
        view="investors_makers",
        meta=_meta(selection, len(edges)),
    )
    return _finish("investors_makers", spec, path, selection, notice, total_edges)
