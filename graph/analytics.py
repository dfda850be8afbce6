"""Network analytics on the networkx form of the graph: who is central, which groups
form, and who links otherwise separate groups.

Every function works on the *undirected simple projection* of a graph (see
:func:`project`): direction and parallel edges are dropped, so two entities are
neighbours when any relation links them. The input is normally
:func:`ecokg.graph.nx.entity_graph`, where people link directly to the
organisations they hold posts at and the expert groups they belong to.

Results are plain data (dicts, lists, numbers, strings) ready for JSON. Each
section carries a one-sentence ``meaning`` for an analyst, and each node is
identified as ``{"id", "label", "cls"}``. Results are deterministic: the
projection is built in node-id order, Louvain and betweenness sampling are
seeded, and ties are broken by node id.

>>> import networkx as nx
>>> g = nx.path_graph(3)
>>> r = centrality(g, top=1)
>>> r["betweenness"]["top"][0]["id"], r["betweenness"]["top"][0]["value"]
(1, 1.0)
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Hashable, Iterable

import networkx as nx

if TYPE_CHECKING:  # pragma: no cover
    from ecokg.graph.model import KnowledgeGraph

EXACT_LIMIT = 2000
SAMPLE = 500
# Sampled betweenness costs about one BFS per source over n + m: keep k * (n + m) under this
# budget (about a minute here), so k shrinks on very large graphs (k=66 at 100k nodes).
BETWEENNESS_BUDGET = 20_000_000
MIN_SAMPLE = 50
# networkx Louvain takes ~7.5 min at 100k nodes on 2 cores; above this size label propagation
# (about linear) is used instead, and the result says which method ran.
LOUVAIN_LIMIT = 50_000
SEED = 42
_DIGITS = 6

DEGREE_MEANING = ("Degree centrality is the share of all other entities an entity is directly linked to "
                  "(posts, group memberships, sectors, models); the highest are the best-connected hubs.")
BETWEENNESS_MEANING = ("Betweenness centrality is the share of shortest paths between pairs of other entities "
                       "that pass through an entity; a high value marks a broker through whom otherwise "
                       "distant parts of the ecosystem are connected.")
COMMUNITIES_MEANING = ("Communities are groups of entities more densely linked to each other than to the rest "
                       "(Louvain method); modularity above about 0.3 means the grouping is clearly stronger "
                       "than chance.")
BRIDGES_MEANING = ("Bridges are people and organisations that link otherwise separate groups: removing an "
                   "articulation point disconnects part of the graph, and a community bridge has neighbours "
                   "in two or more communities; they are ranked by betweenness.")
GRAPH_MEANING = ("The analysed graph links entities (people, organisations, groups, models, sectors, trends) "
                 "directly, ignoring direction and counting two entities as neighbours once however many "
                 "relations link them.")


# -- helpers -----------------------------------------------------------------

def _key(n: Hashable) -> tuple[int, Any]:
    """A sort key that orders numbers numerically and everything else by its text."""
    if isinstance(n, (int, float)) and not isinstance(n, bool):
        return (0, n)
    return (1, str(n))


def _rank(values: dict[Hashable, float]) -> list[Hashable]:
    """Node ids by value, highest first, ties broken by node id."""
    return sorted(values, key=lambda n: (-values[n], _key(n)))


def _ident(h: nx.Graph[Any], n: Hashable) -> dict[str, Any]:
    d = h.nodes[n]
    return {"id": n, "label": d.get("label") or str(n), "cls": d.get("cls")}


def _r(x: float) -> float:
    return round(float(x), _DIGITS)


def _take(items: list[Any], top: int | None) -> list[Any]:
    return items if top is None else items[:max(top, 0)]


def project(g: nx.Graph[Any]) -> nx.Graph[Any]:
    """The undirected simple projection of ``g``, built in node-id order.

    Direction, parallel edges and self-loops are dropped; node attributes ``label``
    and ``cls`` are kept (``label`` defaults to the id as text, ``cls`` to ``None``).

    Args:
        g: any networkx graph, typically :func:`ecokg.graph.nx.entity_graph`.

    Returns:
        A new :class:`networkx.Graph`.
    """
    h: nx.Graph[Any] = nx.Graph()
    for n in sorted(g.nodes, key=_key):
        d = g.nodes[n]
        h.add_node(n, label=d.get("label") or str(n), cls=d.get("cls"))
    pairs = set()
    for u, v in g.edges():
        if u != v:
            pairs.add((u, v) if _key(u) <= _key(v) else (v, u))
    h.add_edges_from(sorted(pairs, key=lambda e: (_key(e[0]), _key(e[1]))))
    return h


def _betweenness(h: nx.Graph[Any], exact_limit: int, sample: int, seed: int) -> tuple[dict[Hashable, float], int | None]:
    """Betweenness of every node: exact when ``n <= exact_limit``, else from ``k`` sampled sources.

    Returns the values and ``k`` (``None`` when exact).
    """
    n = h.number_of_nodes()
    if n <= exact_limit:
        return nx.betweenness_centrality(h, normalized=True), None
    budget_k = max(MIN_SAMPLE, BETWEENNESS_BUDGET // max(1, n + h.number_of_edges()))
    k = max(1, min(sample, n, budget_k))
    return nx.betweenness_centrality(h, k=k, normalized=True, seed=seed), k


def _partition(h: nx.Graph[Any], seed: int) -> list[list[Hashable]]:
    """Louvain communities, each sorted by node id; largest first, ties by smallest member id."""
    if h.number_of_nodes() == 0:
        return []
    parts: Iterable[Iterable[Hashable]]
    if community_method(h) == "louvain":
        parts = nx.community.louvain_communities(h, seed=seed)
    else:
        parts = nx.community.label_propagation_communities(h)
    out = [sorted(p, key=_key) for p in parts]
    out.sort(key=lambda p: (-len(p), _key(p[0])))
    return out


def community_method(h: nx.Graph[Any]) -> str:
    """``louvain`` up to :data:`LOUVAIN_LIMIT` nodes, ``label-propagation`` above."""
    return "louvain" if h.number_of_nodes() <= LOUVAIN_LIMIT else "label-propagation"


def _modularity(h: nx.Graph[Any], parts: list[list[Hashable]]) -> float | None:
    if h.number_of_edges() == 0 or not parts:
        return None
    return _r(nx.community.modularity(h, [set(p) for p in parts]))


def _community_label(h: nx.Graph[Any], members: list[Hashable]) -> str:
    best = min(members, key=lambda n: (-h.degree(n), _key(n)))
    return h.nodes[best].get("label") or str(best)


def default_bridge_classes() -> tuple[str, ...]:
    """Classes whose nodes may be reported as bridges: Person, Organisation and its subclasses."""
    from ecokg.ontology.schema import get_schema
    from ecokg.ontology.terms import C

    s = get_schema()
    return tuple(sorted(set(s.descendants(C.Person)) | set(s.descendants(C.Organisation))))


# -- public functions ----------------------------------------------------------

def graph_info(g: nx.Graph[Any], h: nx.Graph[Any] | None = None) -> dict[str, Any]:
    """Node and edge counts of ``g`` and of its undirected simple projection.

    Args:
        g: the graph as given (e.g. the entity graph, a MultiDiGraph).
        h: its projection, if already computed.

    Returns:
        ``{"nodes", "edges", "projection_nodes", "projection_edges", "components", "meaning"}``.
    """
    h = project(g) if h is None else h
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "projection_nodes": h.number_of_nodes(),
        "projection_edges": h.number_of_edges(),
        "components": nx.number_connected_components(h) if h.number_of_nodes() else 0,
        "classes": dict(sorted(Counter(str(d.get("cls")) for _, d in h.nodes(data=True)).items())),
        "meaning": GRAPH_MEANING,
    }


def _centrality_from(h: nx.Graph[Any], bc: dict[Hashable, float], k: int | None, top: int | None,
                     exact_limit: int, seed: int) -> dict[str, Any]:
    n = h.number_of_nodes()
    dc = nx.degree_centrality(h) if n > 1 else {v: 0.0 for v in h}
    degree_top = [{**_ident(h, v), "value": _r(dc[v]), "degree": h.degree(v)} for v in _take(_rank(dc), top)]
    bet_top = [{**_ident(h, v), "value": _r(bc[v])} for v in _take(_rank(bc), top)]
    sampled = k is not None
    how = (f"estimated from {k} of {n} source nodes sampled with seed {seed}, because the graph has more "
           f"than {exact_limit} nodes; small differences between close values are not significant."
           if sampled else f"computed exactly over all {n} nodes.")
    return {
        "nodes": n,
        "edges": h.number_of_edges(),
        "betweenness_sampled": sampled,
        "k": k,
        "seed": seed,
        "degree": {"meaning": DEGREE_MEANING, "top": degree_top},
        "betweenness": {"meaning": BETWEENNESS_MEANING[:-1] + "; " + how, "sampled": sampled, "k": k,
                        "top": bet_top},
        "meaning": "Centrality ranks entities by how connected (degree) and how brokering (betweenness) they are.",
    }


def centrality(g: nx.Graph[Any], top: int | None = 10, exact_limit: int = EXACT_LIMIT, sample: int = SAMPLE,
               seed: int = SEED) -> dict[str, Any]:
    """Degree and betweenness centrality on the undirected simple projection of ``g``.

    Betweenness is exact when the projection has at most ``exact_limit`` nodes;
    otherwise it is estimated from ``k = min(sample, n)`` source nodes drawn with
    ``seed`` (exact betweenness is O(n·m) and takes minutes on 100k nodes).

    Args:
        g: any networkx graph, typically :func:`ecokg.graph.nx.entity_graph`.
        top: how many nodes to list per measure (``None``: all).
        exact_limit: the largest node count for exact betweenness.
        sample: the number of sampled sources above ``exact_limit``.
        seed: random seed of the sampling.

    Returns:
        ``{"nodes", "edges", "betweenness_sampled", "k", "seed", "degree": {"meaning", "top"},
        "betweenness": {"meaning", "sampled", "k", "top"}, "meaning"}``; each ``top`` entry is
        ``{"id", "label", "cls", "value"}`` (degree entries add ``"degree"``, the number of
        distinct neighbours), highest first, ties by id.
    """
    h = project(g)
    bc, k = _betweenness(h, exact_limit, sample, seed)
    return _centrality_from(h, bc, k, top, exact_limit, seed)


def _communities_from(h: nx.Graph[Any], parts: list[list[Hashable]], top: int | None, members: int,
                      seed: int) -> dict[str, Any]:
    entries = []
    for i, p in enumerate(parts):
        central = sorted(p, key=lambda n: (-h.degree(n), _key(n)))[:members]
        classes = Counter(str(h.nodes[n].get("cls")) for n in p)
        dominant = sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        internal = h.subgraph(p).number_of_edges()
        entries.append({
            "community": i,
            "label": _community_label(h, p),
            "size": len(p),
            "internal_edges": internal,
            "central_members": [{**_ident(h, n), "degree": h.degree(n)} for n in central],
            "dominant_classes": [{"cls": c, "count": k, "share": _r(k / len(p))} for c, k in dominant],
        })
    singletons = sum(1 for p in parts if len(p) == 1)
    return {
        "count": len(parts),
        "singletons": singletons,
        "sizes": [len(p) for p in parts],
        "modularity": _modularity(h, parts),
        "seed": seed,
        "communities": _take(entries, top),
        "method": community_method(h),
        "meaning": COMMUNITIES_MEANING if community_method(h) == "louvain" else COMMUNITIES_MEANING.replace(
            "(Louvain method)", f"(label propagation: above {LOUVAIN_LIMIT:,} entities Louvain is too slow here)"),
    }


def communities(g: nx.Graph[Any], seed: int = SEED, top: int | None = None, members: int = 5) -> dict[str, Any]:
    """Louvain communities of the undirected simple projection of ``g``, with modularity.

    Args:
        g: any networkx graph, typically :func:`ecokg.graph.nx.entity_graph`.
        seed: the Louvain seed (same seed, same graph: same communities).
        top: how many communities to describe, largest first (``None``: all); ``sizes`` always
            lists every community.
        members: how many of the most connected members to name per community.

    Returns:
        ``{"count", "singletons", "sizes", "modularity", "seed", "communities", "meaning"}``; each
        community is ``{"community", "label", "size", "internal_edges", "central_members",
        "dominant_classes"}``, numbered from 0 by size (ties by smallest member id), ``label``
        being the name of its most connected member. Isolated nodes form communities of one.
    """
    h = project(g)
    return _communities_from(h, _partition(h, seed), top, members, seed)


def _pieces_without(h: nx.Graph[Any], v: Hashable) -> list[list[Hashable]]:
    """The connected pieces the neighbours of ``v`` fall into once ``v`` is removed, largest first."""
    seen: set[Hashable] = {v}
    pieces = []
    for start in sorted(h.neighbors(v), key=_key):
        if start in seen:
            continue
        seen.add(start)
        piece, todo = [start], [start]
        while todo:
            x = todo.pop()
            for y in h.neighbors(x):
                if y not in seen:
                    seen.add(y)
                    piece.append(y)
                    todo.append(y)
        pieces.append(sorted(piece, key=_key))
    pieces.sort(key=lambda p: (-len(p), _key(p[0])))
    return pieces


def _examples(h: nx.Graph[Any], nodes: Iterable[Hashable], n: int = 3) -> list[str]:
    best = sorted(nodes, key=lambda x: (-h.degree(x), _key(x)))[:n]
    return [h.nodes[x].get("label") or str(x) for x in best]


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _bridges_from(h: nx.Graph[Any], bc: dict[Hashable, float], k: int | None, parts: list[list[Hashable]],
                  top: int | None, classes: Iterable[str] | None) -> dict[str, Any]:
    allowed = None if classes is None else set(classes)

    def eligible(n: Hashable) -> bool:
        return allowed is None or h.nodes[n].get("cls") in allowed

    cid = {n: i for i, p in enumerate(parts) for n in p}
    plabel = [_community_label(h, p) for p in parts]
    aps = {n for n in nx.articulation_points(h) if eligible(n)}
    spans: dict[Hashable, Counter[int]] = {}
    for n in h:
        if not eligible(n):
            continue
        c = Counter(cid[m] for m in h.neighbors(n))
        if any(x != cid[n] for x in c):  # with its own community, it spans two or more
            spans[n] = c
    candidates = aps | set(spans)
    ranked = sorted(candidates, key=lambda n: (-bc[n], 0 if n in aps else 1, _key(n)))
    out = []
    for n in _take(ranked, top):
        ident = _ident(h, n)
        entry: dict[str, Any] = {**ident, "betweenness": _r(bc[n]), "articulation_point": n in aps}
        cnt = spans.get(n) or Counter(cid[m] for m in h.neighbors(n))
        own = cid[n]
        spanned = sorted(set(cnt) | {own}, key=lambda c: (c != own, -cnt.get(c, 0), c))
        entry["communities"] = [{"community": c, "label": plabel[c], "neighbours": cnt.get(c, 0), "own": c == own}
                                for c in spanned]
        reasons = []
        if len(spanned) >= 2:
            named = ", ".join(f"#{c} {plabel[c]} ({_n(cnt.get(c, 0), 'neighbour')})" for c in spanned[:4])
            reasons.append(f"has neighbours in {len(spanned)} communities ({named}{', …' if len(spanned) > 4 else ''})")
        if n in aps:
            pieces = _pieces_without(h, n)
            cut = pieces[1:]
            entry["separates"] = [{"size": len(p), "examples": _examples(h, p)} for p in cut[:5]]
            entry["pieces"] = len(pieces)
            entry["cut_off_nodes"] = sum(len(p) for p in cut)
            shown = "; ".join(f"{len(p)}: {'、'.join(_examples(h, p))}" for p in cut[:3])
            reasons.append(f"is the only link of {_n(entry['cut_off_nodes'], 'entity', 'entities')} in "
                           f"{_n(len(cut), 'group')} ({shown}{'; …' if len(cut) > 3 else ''}) to the other "
                           f"{len(pieces[0])} entities of its component")
        reasons.append(f"lies on {_pct(bc[n])} of the shortest paths between other entities"
                       + (" (sampled estimate)" if k is not None else ""))
        why = f"{ident['label']} " + "; ".join(reasons[:-1]) + (" and " if len(reasons) > 1 else "") + reasons[-1] + "."
        entry["why"] = why
        out.append(entry)
    return {
        "articulation_points": len(aps),
        "community_bridges": len(spans),
        "candidates": len(candidates),
        "classes": None if allowed is None else sorted(allowed),
        "top": out,
        "meaning": BRIDGES_MEANING,
    }


def bridges(g: nx.Graph[Any], top: int | None = 10, seed: int = SEED, exact_limit: int = EXACT_LIMIT,
            sample: int = SAMPLE, classes: Iterable[str] | None = ()) -> dict[str, Any]:
    """People and organisations that link otherwise separate groups.

    Candidates are the articulation points of the undirected simple projection
    (removing one disconnects part of the graph) and the nodes whose neighbours lie
    in two or more Louvain communities (their own included). They are ranked by
    betweenness (see :func:`centrality` for when it is sampled), then articulation
    points first, then by id.

    Args:
        g: any networkx graph, typically :func:`ecokg.graph.nx.entity_graph`.
        top: how many bridges to list (``None``: all).
        seed: seed of Louvain and of betweenness sampling.
        exact_limit: the largest node count for exact betweenness.
        sample: the number of sampled sources above ``exact_limit``.
        classes: the ``cls`` values a bridge may have. The default ``()`` means
            Person, Organisation and its subclasses (from the ontology); ``None`` allows every node.

    Returns:
        ``{"articulation_points", "community_bridges", "candidates", "classes", "top", "meaning"}``;
        counts are of eligible nodes. Each ``top`` entry is ``{"id", "label", "cls", "betweenness",
        "articulation_point", "communities", "why"}`` plus, for articulation points,
        ``"separates"`` (the groups cut off: size and example labels), ``"pieces"`` and ``"cut_off_nodes"``.
    """
    if classes == ():
        classes = default_bridge_classes()
    h = project(g)
    bc, k = _betweenness(h, exact_limit, sample, seed)
    return _bridges_from(h, bc, k, _partition(h, seed), top, classes)


def analyze_graph(g: nx.Graph[Any], top: int = 10, seed: int = SEED, exact_limit: int = EXACT_LIMIT,
                  sample: int = SAMPLE, classes: Iterable[str] | None = ()) -> dict[str, Any]:
    """Centrality, communities and bridges of ``g``, sharing one projection, one betweenness
    and one Louvain run.

    Args:
        g: any networkx graph, typically :func:`ecokg.graph.nx.entity_graph`.
        top: how many entries to list per ranking (and communities to describe).
        seed: seed of Louvain and of betweenness sampling.
        exact_limit: the largest node count for exact betweenness.
        sample: the number of sampled sources above ``exact_limit``.
        classes: bridge classes, as in :func:`bridges`.

    Returns:
        ``{"graph", "centrality", "communities", "bridges", "parameters"}``.
    """
    if classes == ():
        classes = default_bridge_classes()
    h = project(g)
    bc, k = _betweenness(h, exact_limit, sample, seed)
    parts = _partition(h, seed)
    return {
        "graph": graph_info(g, h),
        "centrality": _centrality_from(h, bc, k, top, exact_limit, seed),
        "communities": _communities_from(h, parts, top, 5, seed),
        "bridges": _bridges_from(h, bc, k, parts, top, classes),
        "parameters": {"top": top, "seed": seed, "exact_limit": exact_limit, "sample": sample},
    }


def analyze(kg: KnowledgeGraph, top: int = 10, **kwargs: Any) -> dict[str, Any]:
    """Analyse a knowledge graph: its entity graph's counts, centrality, communities and bridges.

    Args:
        kg: the graph, e.g. ``GraphStore.read()`` of any store.
        top: how many entries to list per ranking.
        **kwargs: ``seed``, ``exact_limit``, ``sample``, ``classes`` (see :func:`analyze_graph`).

    Returns:
        ``{"graph", "centrality", "communities", "bridges", "parameters"}``, each section with a
        ``meaning`` sentence.
    """
    from ecokg.graph.nx import entity_graph

    return analyze_graph(entity_graph(kg), top=top, **kwargs)
