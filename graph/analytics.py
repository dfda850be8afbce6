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

import math
import random
from collections import Counter
from typing import TYPE_CHECKING, Any, Hashable, Iterable, Sequence

import networkx as nx
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # pragma: no cover
    from ecokg.graph.model import KnowledgeGraph
    from ecokg.graph.stores.base import GraphStore

EXACT_LIMIT = 2000
SAMPLE = 500
# Sampled betweenness costs one breadth-first search per sampled source over n + m, done with
# numpy a level at a time (:func:`sampled_betweenness`, about 15-20 ms a source at 100k entities
# and 263k links here): keep k * (n + m) under this budget (about 5 s), so k shrinks on large
# graphs (k=500 up to 200k nodes and links, k=275 at 100k entities, k=50 from 2 M on).
BETWEENNESS_BUDGET = 100_000_000
MIN_SAMPLE = 50
# networkx Louvain takes ~7.5 min at 100k nodes on 2 cores; above this size label propagation
# (about linear, :func:`label_propagation`: networkx's semi-synchronous method, a colour class
# at a time with numpy) is used instead, and the result says which method ran.
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


def _betweenness(h: nx.Graph[Any], exact_limit: int, sample: int, seed: int, adj: Adjacency | None = None
                 ) -> tuple[dict[Hashable, float], int | None]:
    """Betweenness of every node: exact when ``n <= exact_limit``, else from ``k`` sampled sources.

    Returns the values and ``k`` (``None`` when exact).
    """
    n = h.number_of_nodes()
    if n <= exact_limit:
        return nx.betweenness_centrality(h, normalized=True), None
    k = sample_size(n, h.number_of_edges(), sample)
    if k >= n:  # every node a source: the exact figure (networkx does the same)
        return nx.betweenness_centrality(h, normalized=True), k
    return sampled_betweenness(h, k, seed, adj), k


def sample_size(n: int, m: int, sample: int = SAMPLE) -> int:
    """How many sources sampled betweenness uses: ``sample``, fewer when ``k * (n + m)`` would pass
    :data:`BETWEENNESS_BUDGET` (never fewer than :data:`MIN_SAMPLE`), at most ``n``."""
    budget_k = max(MIN_SAMPLE, BETWEENNESS_BUDGET // max(1, n + m))
    return max(1, min(sample, n, budget_k))


class Adjacency:
    """A graph's undirected adjacency as arrays (CSR): the neighbours of node ``i`` (the ``i``-th of
    ``nodes``) are ``indices[indptr[i]:indptr[i + 1]]``, in node order."""

    def __init__(self, h: nx.Graph[Any], lists: Sequence[Sequence[int]] | None = None) -> None:
        self.nodes: list[Hashable] = list(h)
        if lists is None:
            index = {v: i for i, v in enumerate(self.nodes)}
            lists = [sorted(index[u] for u in h.adj[v] if u != v) for v in self.nodes]
        self.degree = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
        self.indptr = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(self.degree, out=self.indptr[1:])
        self.indices = np.fromiter((u for x in lists for u in x), dtype=np.int64, count=int(self.indptr[-1]))

    def __len__(self) -> int:
        return len(self.nodes)

    def expand(self, frontier: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Every (node, neighbour) pair of the ``frontier`` nodes, as two arrays."""
        starts = self.indptr[frontier]
        counts = self.indptr[frontier + 1] - starts
        total = int(counts.sum())
        if total == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        source = np.repeat(frontier, counts)
        offsets = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(counts) - counts), counts)
        return source, self.indices[offsets]


def sampled_betweenness(h: nx.Graph[Any], k: int, seed: int = SEED, adj: Adjacency | None = None
                        ) -> dict[Hashable, float]:
    """Betweenness estimated from ``k`` source nodes, as ``networkx.betweenness_centrality(h, k=k,
    normalized=True, seed=seed)`` computes it (the same sources, drawn with ``seed`` from the nodes
    in graph order, the same rescaling) with Brandes' accumulation done a BFS level at a time with
    numpy: one source costs a few array passes over its edges instead of a Python loop per edge.
    Values agree with networkx up to rounding of float sums (1e-12)."""
    adj = Adjacency(h) if adj is None else adj
    n = len(adj)
    if n == 0:
        return {}
    sources = random.Random(seed).sample(adj.nodes, k)
    position = {v: i for i, v in enumerate(adj.nodes)}
    total = np.zeros(n, dtype=np.float64)
    for s in sources:
        total += _dependencies(adj, position[s])
    big_n = n - 1  # pairs (s, t) with t != v: endpoints excluded
    if big_n < 2:
        return dict.fromkeys(adj.nodes, 0.0)
    scale_source = 1 / ((k - 1) * (big_n - 1)) if k > 1 else math.nan
    scale_other = 1 / (k * (big_n - 1))
    sampled = {position[s] for s in sources}
    return {v: float(total[i]) * (scale_source if i in sampled else scale_other) for i, v in enumerate(adj.nodes)}


def _dependencies(adj: Adjacency, s: int) -> npt.NDArray[np.float64]:
    """Brandes' dependencies of every node on the shortest paths from ``s`` (``s`` itself 0)."""
    n = len(adj)
    dist = np.full(n, -1, dtype=np.int64)
    sigma = np.zeros(n, dtype=np.float64)
    dist[s] = 0
    sigma[s] = 1.0
    frontier = np.array([s], dtype=np.int64)
    steps: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []  # (pred, succ) edges of each level
    d = 0
    while frontier.size:
        source, target = adj.expand(frontier)
        dist[target[dist[target] == -1]] = d + 1
        new = np.flatnonzero(dist == d + 1)
        down = dist[target] == d + 1
        pred, succ = source[down], target[down]
        sigma += np.bincount(succ, weights=sigma[pred], minlength=n)
        steps.append((pred, succ))
        frontier = new
        d += 1
    delta = np.zeros(n, dtype=np.float64)
    for pred, succ in reversed(steps):
        delta += np.bincount(pred, weights=sigma[pred] / sigma[succ] * (1.0 + delta[succ]), minlength=n)
    delta[s] = 0.0
    return delta


def _partition(h: nx.Graph[Any], seed: int, adj: Adjacency | None = None) -> list[list[Hashable]]:
    """Louvain communities, each sorted by node id; largest first, ties by smallest member id."""
    if h.number_of_nodes() == 0:
        return []
    parts: Iterable[Iterable[Hashable]]
    if community_method(h) == "louvain":
        parts = nx.community.louvain_communities(h, seed=seed)
    else:
        parts = label_propagation(h, adj)
    out = [sorted(p, key=_key) for p in parts]
    out.sort(key=lambda p: (-len(p), _key(p[0])))
    return out


def label_propagation(h: nx.Graph[Any], adj: Adjacency | None = None) -> list[set[Hashable]]:
    """The communities of ``networkx.community.label_propagation_communities(h)`` (Cordasco and
    Gargano's semi-synchronous label propagation: a greedy colouring, largest degree first, then each
    colour class takes its neighbours' most frequent label at once, keeping its own label on a tie
    it is part of, else the largest; until every node holds a most frequent label), computed a colour
    class at a time with numpy instead of a Python loop per node: the same communities, about 10x faster.
    """
    adj = Adjacency(h) if adj is None else adj
    n = len(adj)
    if n == 0:
        return []
    colour = _greedy_colour(adj)
    classes = [np.flatnonzero(colour == c) for c in range(int(colour.max()) + 1)]
    classes = [c[adj.degree[c] > 0] for c in classes]
    labels = np.arange(n, dtype=np.int64)
    active = np.flatnonzero(adj.degree > 0)
    while not _settled(adj, labels, active):
        for nodes in classes:
            if nodes.size:
                labels[nodes] = _relabel(adj, labels, nodes)
    groups: dict[int, set[Hashable]] = {}
    for i, label in enumerate(labels.tolist()):
        groups.setdefault(label, set()).add(adj.nodes[i])
    return list(groups.values())


def _greedy_colour(adj: Adjacency) -> npt.NDArray[np.int64]:
    """``networkx.greedy_color`` with its default strategy (largest degree first, ties in node order)."""
    n = len(adj)
    colour = [-1] * n
    indptr, indices = adj.indptr.tolist(), adj.indices.tolist()
    for v in sorted(range(n), key=lambda i: -int(adj.degree[i])):
        used = {colour[u] for u in indices[indptr[v]:indptr[v + 1]]}
        c = 0
        while c in used:
            c += 1
        colour[v] = c
    return np.array(colour, dtype=np.int64)


def _label_counts(adj: Adjacency, labels: npt.NDArray[np.int64], nodes: npt.NDArray[np.int64]
                  ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For ``nodes`` (each with a neighbour): the distinct (node, neighbour label) pairs, sorted, and
    how many neighbours carry each."""
    source, target = adj.expand(nodes)
    n = len(adj)
    keys = source * n + labels[target]
    pairs, counts = np.unique(keys, return_counts=True)
    return pairs // n, pairs % n, counts


def _best(adj: Adjacency, labels: npt.NDArray[np.int64], nodes: npt.NDArray[np.int64]
          ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """For ``nodes``: the largest of their most frequent neighbour labels, and whether their own
    label is one of the most frequent."""
    node, label, count = _label_counts(adj, labels, nodes)
    starts = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])
    top = np.maximum.reduceat(count, starts)
    seg = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, node.size]))
    is_top = count == top[seg]
    largest = np.maximum.reduceat(np.where(is_top, label, -1), starts)
    own = np.zeros(starts.size, dtype=bool)
    hit = is_top & (label == labels[node])
    own[seg[hit]] = True
    return largest, own


def _relabel(adj: Adjacency, labels: npt.NDArray[np.int64], nodes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    largest, own = _best(adj, labels, nodes)
    return np.where(own, labels[nodes], largest)


def _settled(adj: Adjacency, labels: npt.NDArray[np.int64], active: npt.NDArray[np.int64]) -> bool:
    if not active.size:
        return True
    _, own = _best(adj, labels, active)
    return bool(own.all())


def community_method(h: nx.Graph[Any]) -> str:
    """``louvain`` up to :data:`LOUVAIN_LIMIT` nodes, ``label-propagation`` above."""
    return "louvain" if h.number_of_nodes() <= LOUVAIN_LIMIT else "label-propagation"


def _inside(adj: Adjacency, parts: Sequence[Sequence[Hashable]]) -> npt.NDArray[np.int64]:
    """The number of links inside each of ``parts`` (nodes in no part count for none)."""
    position = {v: i for i, v in enumerate(adj.nodes)}
    community = np.full(len(adj), -1, dtype=np.int64)
    for c, p in enumerate(parts):
        community[[position[v] for v in p]] = c
    source = np.repeat(np.arange(len(adj), dtype=np.int64), adj.degree)
    same = (community[source] == community[adj.indices]) & (community[source] >= 0)
    return np.bincount(community[source][same], minlength=len(parts)) // 2


def _modularity(h: nx.Graph[Any], parts: list[list[Hashable]], adj: Adjacency | None = None) -> float | None:
    if h.number_of_edges() == 0 or not parts:
        return None
    if adj is None:
        return _r(nx.community.modularity(h, [set(p) for p in parts]))
    # networkx's formula (resolution 1, no weights) on the arrays: sum over communities of
    # (links inside / m) - (degree sum / 2m)^2
    position = {v: i for i, v in enumerate(adj.nodes)}
    community = np.zeros(len(adj), dtype=np.int64)
    for c, p in enumerate(parts):
        community[[position[v] for v in p]] = c
    source = np.repeat(np.arange(len(adj), dtype=np.int64), adj.degree)
    m = adj.indices.size / 2
    inside = np.bincount(community[source][community[source] == community[adj.indices]], minlength=len(parts)) / 2
    degree = np.bincount(community, weights=adj.degree.astype(np.float64), minlength=len(parts))
    return _r(float(np.sum(inside / m - (degree / (2 * m)) ** 2)))


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
    return _graph_info(g.number_of_nodes(), g.number_of_edges(), h)


def _graph_info(nodes: int, edges: int, h: nx.Graph[Any]) -> dict[str, Any]:
    return {
        "nodes": nodes,
        "edges": edges,
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
                      seed: int, adj: Adjacency | None = None) -> dict[str, Any]:
    entries = []
    described = _take(parts, top)  # only the communities described are worked out
    inside = _inside(adj, described) if adj is not None else None
    for i, p in enumerate(described):
        central = sorted(p, key=lambda n: (-h.degree(n), _key(n)))[:members]
        classes = Counter(str(h.nodes[n].get("cls")) for n in p)
        dominant = sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        internal = int(inside[i]) if inside is not None else h.subgraph(p).number_of_edges()
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
        "modularity": _modularity(h, parts, adj),
        "seed": seed,
        "communities": entries,
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


class _Labels:
    """Community labels (:func:`_community_label`), each worked out when first asked for."""

    def __init__(self, h: nx.Graph[Any], parts: list[list[Hashable]]) -> None:
        self.h, self.parts = h, parts
        self.known: dict[int, str] = {}

    def __getitem__(self, c: int) -> str:
        if c not in self.known:
            self.known[c] = _community_label(self.h, self.parts[c])
        return self.known[c]


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
    plabel = _Labels(h, parts)
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
    return _analysis(project(g), (g.number_of_nodes(), g.number_of_edges()), top, seed, exact_limit, sample, classes)


def _analysis(h: nx.Graph[Any], size: tuple[int, int], top: int, seed: int, exact_limit: int, sample: int,
              classes: Iterable[str] | None, adj: Adjacency | None = None,
              timings: dict[str, float] | None = None) -> dict[str, Any]:
    """:func:`analyze_graph` of the projection ``h`` of a graph of ``size`` (nodes, edges)."""
    if classes == ():
        classes = default_bridge_classes()
    clock = _Clock(timings)
    if adj is None and h.number_of_nodes() > min(exact_limit, LOUVAIN_LIMIT):
        adj = Adjacency(h)
    bc, k = _betweenness(h, exact_limit, sample, seed, adj)
    clock("betweenness")
    parts = _partition(h, seed, adj)
    clock("communities")
    out = {
        "graph": _graph_info(*size, h),
        "centrality": _centrality_from(h, bc, k, top, exact_limit, seed),
        "communities": _communities_from(h, parts, top, 5, seed, adj),
        "bridges": _bridges_from(h, bc, k, parts, top, classes),
        "parameters": {"top": top, "seed": seed, "exact_limit": exact_limit, "sample": sample},
    }
    clock("bridges and the rest")
    return out


class _Clock:
    """Records how long each stage took into ``timings`` (seconds), when given."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        import time

        self.timings, self._now = timings, time.perf_counter
        self.last = self._now()

    def __call__(self, stage: str) -> None:
        now = self._now()
        if self.timings is not None:
            self.timings[stage] = now - self.last
        self.last = now


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


def analyze_store(store: GraphStore, top: int = 10, *, timings: dict[str, float] | None = None,
                  **kwargs: Any) -> dict[str, Any]:
    """:func:`analyze` of the graph in ``store`` (either store), reading only what the analysis needs:
    the entity graph's shape (:func:`~ecokg.graph.skeleton.read_skeleton`: entities, classes, links)
    and the entities' labels, never the properties or evidence of the whole graph. The same result as
    ``analyze(store.read())``. ``timings`` (if given) receives the seconds of each stage.
    """
    from ecokg.graph.skeleton import skeleton_of

    clock = _Clock(timings)
    sk = skeleton_of(store)
    clock("reading the shape of the graph")
    labels = entity_labels(store, sk.ids, sk.cls)
    clock("reading the labels")
    h: nx.Graph[Any] = nx.Graph()
    for n, label, cls in zip(sk.ids, labels, sk.cls):
        h.add_node(n, label=label, cls=cls)
    lists = sk.neighbours()
    h.add_edges_from((sk.ids[u], sk.ids[v]) for u, vs in enumerate(lists) for v in vs if u < v)
    adj = Adjacency(h, lists) if len(sk) > min(kwargs.get("exact_limit", EXACT_LIMIT), LOUVAIN_LIMIT) else None
    clock("building the projection")
    return _analysis(h, (len(sk), sk.edge_count), top, kwargs.get("seed", SEED), kwargs.get("exact_limit", EXACT_LIMIT),
                     kwargs.get("sample", SAMPLE), kwargs.get("classes", ()), adj, timings)


def entity_labels(store: GraphStore, ids: Sequence[str], classes: Sequence[str]) -> list[str]:
    """The label of each entity as :func:`~ecokg.graph.nx.to_networkx` gives it: its name (else its
    title, role or score), else its class."""
    from ecokg.graph.nx import label_of
    from ecokg.graph.partial import read_part
    from ecokg.ontology import ID_NS
    from ecokg.ontology.terms import D

    names: dict[str, str] = {}
    if store.language == "cypher":
        rows = store.query(f"MATCH (n) WHERE n.id STARTS WITH $ns AND n.{D.name} IS NOT NULL "
                           f"RETURN n.id AS n, n.{D.name} AS name", {"ns": ID_NS})
    else:
        rows = store.query(f"SELECT ?n ?name WHERE {{ ?n eco:{D.name} ?name }}")
    for r in rows:
        names[str(r["n"])] = str(r["name"])
    unnamed = [n for n in ids if not names.get(n)]
    props = {n: node.props for n, node in read_part(store, unnamed).nodes.items()} if unnamed else {}
    return [names.get(n) or label_of(props.get(n, {}), cls) for n, cls in zip(ids, classes)]
