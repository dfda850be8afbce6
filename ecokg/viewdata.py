"""What the views read from the store: the shape of the whole graph once, then only what they draw.

Every default view used to start from the whole graph as the model (``GraphStore.read``, 18 s at
100,000 generated entities) and select in networkx. Here a view

1. chooses its nodes on the :class:`~ecokg.graph.skeleton.Skeleton` (entities, classes, links; read
   once per run and shared by the views), with no all-pairs work;
2. reads only the chosen nodes and the edges among them, with their properties and evidence
   (:func:`~ecokg.graph.partial.read_part`), and turns them into the networkx form the views
   draw (:func:`~ecokg.graph.nx.to_networkx`, :func:`~ecokg.graph.nx.entity_graph`), so a node and
   an edge look exactly as they did when drawn from the whole model.

Both steps go through the store protocol, with SPARQL and Cypher side by side, so the pages are
the same from either store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

import networkx as nx

from ecokg import viz
from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.graph.nx import SKIPPED, entity_graph, to_networkx
from ecokg.graph.partial import PartCache, Triple, links, read_part, values
from ecokg.graph.skeleton import (
    INVESTED,
    INVESTED_SECTOR,
    MEMBERSHIP,
    MEMBERSHIP_LINKS,
    SCORED,
    Skeleton,
    skeleton_of,
    sorted_by,
)
from ecokg.graph.stores.base import GraphStore
from ecokg.ontology import ECO_NS, ID_NS
from ecokg.ontology.neo4j import ID, check_identifier
from ecokg.ontology.schema import Schema
from ecokg.ontology.terms import C, P
from ecokg.viz.views import cap_edges


def styled(g: nx.MultiDiGraph[Any], kg: KnowledgeGraph) -> nx.MultiDiGraph[Any]:
    """Give each node of ``g`` its colour and investor/sector flags from the ontology (in place)."""
    schema = kg.schema
    for n, d in g.nodes(data=True):
        cls = d.get("cls")
        if cls in schema.classes:
            d["colour"] = schema.colour(cls)
            d["sector"] = schema.is_a([cls], C.Sector)
            d["investor"] = schema.is_a([cls], C.Investor) or bool((d.get("props") or {}).get("investor"))
    return g


class ViewGraphs:
    """What the views read: a store, the graph's :class:`~ecokg.graph.skeleton.Skeleton` (read once,
    on first use) and, when the views were made from a model graph, that model.

    ``ViewGraphs.of_store(store)`` is how ``ecokg viz`` reads a built graph; ``ViewGraphs.of(kg)``
    puts a model into an in-memory store first, so that a notebook's graph is drawn by the same
    code. ``full`` and ``entities`` (the whole graph in networkx) exist only for a model.
    """

    def __init__(self, store: GraphStore, kg: KnowledgeGraph | None = None) -> None:
        self.store = store
        self.kg = kg
        self.schema: Schema = (kg.schema if kg is not None else None) or _schema()
        self.cache = PartCache()  # nodes and evidence already read, shared by the views

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> ViewGraphs:
        from ecokg.graph.stores.oxigraph import RdfStore

        store = RdfStore()
        store.write(kg)
        return cls(store, kg)

    @classmethod
    def of_store(cls, store: GraphStore) -> ViewGraphs:
        return cls(store)

    # -- the whole graph (a model only) ---------------------------------------------------------------
    @cached_property
    def full(self) -> nx.MultiDiGraph[Any]:
        return styled(to_networkx(self.model()), self.model())

    @cached_property
    def entities(self) -> nx.MultiDiGraph[Any]:
        return styled(entity_graph(self.model(), to_networkx(self.model())), self.model())

    def model(self) -> KnowledgeGraph:
        if self.kg is None:
            raise ValueError("the whole model graph exists only for ViewGraphs.of(kg); views read the store")
        return self.kg

    # -- the shape, read once ------------------------------------------------------------------------
    @cached_property
    def skeleton(self) -> Skeleton:
        return skeleton_of(self.store, self.schema)

    @cached_property
    def degree(self) -> list[int]:
        """Each entity's degree in the entity graph."""
        return self.skeleton.degree()

    @cached_property
    def investor_class(self) -> list[bool]:
        """Entities of an investor class (by the first class, as :func:`styled` decides)."""
        return self.skeleton.is_a(C.Investor, self.schema, first_only=True)

    @cached_property
    def investing(self) -> set[int]:
        """Entities investing in a deal or stating a focus (``props["investor"]`` in the entity graph)."""
        return self.skeleton.investors_by_links()

    @cached_property
    def investors(self) -> list[bool]:
        """Entities drawn as investors: an investor class, or investing in a deal or stating a focus."""
        return [flag or i in self.investing for i, flag in enumerate(self.investor_class)]

    @cached_property
    def roots(self) -> dict[str, str]:
        """Each entity's root class (Neo4j finds nodes by it)."""
        sk = self.skeleton
        root = {cs: self.schema.root_of(cs) for cs in set(sk.classes)}
        return dict(zip(sk.ids, (root[cs] for cs in sk.classes)))

    def degree_of(self, ids: Iterable[str]) -> dict[str, int]:
        index, degree = self.skeleton.index, self.degree
        return {n: degree[index[n]] for n in ids}

    # -- the parts a view draws ----------------------------------------------------------------------
    def entity_part(self, chosen: Sequence[str]) -> nx.MultiDiGraph[Any]:
        """The entity-graph form (:func:`~ecokg.graph.nx.entity_graph`, styled) of the ``chosen``
        entities and every link among them, read from the store: their properties, evidence, the
        direct edges between them and the posts, memberships, deals and results that link them."""
        sk, schema = self.skeleton, self.schema
        index = sk.index
        keep = set(chosen)
        kept = {index[n] for n in keep}
        direct: list[Triple] = []
        holders: set[str] = set()
        deals: set[str] = set()
        models: set[str] = set()
        for u, v, rel, via in zip(sk.src, sk.dst, sk.rel, sk.via):
            if u not in kept or v not in kept:
                continue
            if rel == MEMBERSHIP:
                holders.add(sk.ids[u])
            elif rel in (INVESTED, INVESTED_SECTOR):
                deals.add(via)
            elif rel == SCORED:
                models.add(sk.ids[u])
            else:
                direct.append((sk.ids[u], rel, sk.ids[v]))
        roots = self.roots
        plumbing: list[Triple] = []
        collapsed: dict[str, str] = {}
        held = links(self.store, holders, [P.holds], roots=roots)
        member_root = schema.root_of([C.Position])
        ms = {o for _, _, o in held}
        joins = [e for e in links(self.store, ms, MEMBERSHIP_LINKS, roots=dict.fromkeys(ms, member_root))
                 if e[2] in keep]
        joined = {m for m, _, _ in joins}
        plumbing += [e for e in held if e[2] in joined] + joins
        collapsed.update(dict.fromkeys(joined, member_root))
        deal_root = schema.root_of([C.Investment])
        sides = [e for e in links(self.store, deals, [P.investor, P.investee, P.investmentSector],
                                  roots=dict.fromkeys(deals, deal_root)) if e[2] in keep]
        plumbing += sides
        collapsed.update(dict.fromkeys(deals, deal_root))
        result_root = schema.root_of([C.BenchmarkResult])
        scored = links(self.store, models, [P.forModel], incoming=True, roots=roots)
        rs = {s for s, _, _ in scored}
        benches = [e for e in links(self.store, rs, [P.onBenchmark], roots=dict.fromkeys(rs, result_root))
                   if e[2] in keep]
        on = {r for r, _, _ in benches}
        plumbing += [e for e in scored if e[0] in on] + benches
        collapsed.update(dict.fromkeys(on, result_root))
        part = read_part(self.store, [*keep, *collapsed], direct + plumbing, roots={**roots, **collapsed},
                         cache=self.cache)
        g = entity_graph(part)
        investing = self.investing
        for n in keep:  # a deal or a focus outside the part still makes its investor one
            d = g.nodes[n]
            if index[n] in investing and not d["props"].get("investor"):
                d["props"] = {**d["props"], "investor": True}
        return styled(g, part)

    def full_part(self, chosen: Iterable[str], roots: Mapping[str, str] | None = None) -> nx.MultiDiGraph[Any]:
        """The :func:`~ecokg.graph.nx.to_networkx` form (styled) of the ``chosen`` nodes (any node but
        evidence and sources) and every edge among them, read from the store."""
        keep = set(chosen)
        roots = {**self.roots, **(roots or {})} if self.store.language == "cypher" else {}
        edges = [e for e in links(self.store, keep, full_properties(self.schema), roots=roots) if e[2] in keep]
        part = read_part(self.store, keep, edges, roots=roots, cache=self.cache)
        return styled(to_networkx(part), part)


def _schema() -> Schema:
    from ecokg.ontology.schema import get_schema

    return get_schema()


@dataclass(frozen=True)
class Chosen:
    """The nodes a view draws, in drawing order, and how many it chose them from (what
    :class:`ecokg.viz.Selection` holds, for node ids that are IRIs)."""

    nodes: list[str]
    total: int

    @property
    def sampled(self) -> bool:
        return self.total > len(self.nodes)

    def selection(self) -> viz.Selection:
        nodes: list[Hashable] = list(self.nodes)
        return viz.Selection(nodes=nodes, total=self.total, sampled=self.sampled)


def full_properties(schema: Schema) -> list[str]:
    """The relations of the full graph: every object property but the evidence's own."""
    skip = {schema.evidence_link, schema.evidence_fields["source"]}
    return sorted(p for p in schema.object_properties if p not in skip)


# -- the overview and investors-sectors selections ------------------------------------------------

def overview_selection(graphs: ViewGraphs, cap: int) -> Chosen:
    """Every entity, highest degree first (ties by id), the first ``cap`` kept."""
    if cap < 1:
        raise ValueError(f"cap must be >= 1, got {cap}")
    sk = graphs.skeleton
    order = sorted_by(sk.ids, graphs.degree)
    return Chosen([sk.ids[i] for i in order[:cap]], len(sk))


def investors_sectors_selection(graphs: ViewGraphs, cap: int, max_hops: int = 3, *,
                                connected_only: bool = False) -> Chosen:
    """Investors, sectors and every entity on a shortest path of at most ``max_hops`` between an
    investor and a sector (:func:`ecokg.viz.shortest_path_candidates`: linear, no search per pair),
    highest degree first, capped."""
    if cap < 1:
        raise ValueError(f"cap must be >= 1, got {cap}")
    sk = graphs.skeleton
    investors = {i for i, flag in enumerate(graphs.investors) if flag}
    sectors = {i for i, flag in enumerate(sk.is_a(C.Sector, graphs.schema, first_only=True)) if flag}
    inner, linked_i, linked_s = viz.shortest_path_candidates(sk.adjacency(), investors, sectors, max_hops)
    if connected_only:
        investors, sectors = linked_i, linked_s
    candidates = sorted(investors | sectors | inner)
    degree = graphs.degree
    ranked = sorted(candidates, key=lambda i: (-degree[i], sk.ids[i]))
    return Chosen([sk.ids[i] for i in ranked[:cap]], len(ranked))


# -- the ego and path views: the full graph around some nodes -------------------------------------

def _step(store: GraphStore, schema: Schema, frontier: Sequence[str], roots: Mapping[str, str]
          ) -> tuple[list[Triple], dict[str, set[str]]]:
    """The full-graph edges at the ``frontier`` (both directions) and the classes of their far ends."""
    props = full_properties(schema)
    found: set[Triple] = set()
    classes: dict[str, set[str]] = defaultdict(set)
    if not frontier:
        return [], {}
    if store.language == "cypher":
        types = [schema.rel_type(p) for p in props]
        by_root: dict[str | None, list[str]] = defaultdict(list)
        for n in frontier:
            by_root[roots.get(n)].append(n)
        for root, group in by_root.items():
            match = f"MATCH (n:{check_identifier(root)} {{{ID}: x}})" if root else f"MATCH (n) WHERE n.{ID} = x"
            for pattern, out in (("(n)-[r]->(o)", True), ("(n)<-[r]-(o)", False)):
                rows = store.query(f"UNWIND $ids AS x {match} MATCH {pattern} WHERE type(r) IN $types "
                                   f"AND o.{ID} STARTS WITH $ns RETURN n.{ID} AS n, type(r) AS t, o.{ID} AS o, "
                                   "labels(o) AS labels", {"ids": group, "types": types, "ns": ID_NS})
                for row in rows:
                    p = schema.property_of_type(row["t"])
                    found.add((row["n"], p, row["o"]) if out else (row["o"], p, row["n"]))
                    classes[row["o"]].update(lb for lb in row["labels"] if lb in schema.classes)
        return sorted(found), dict(classes)
    preds = ", ".join(f"eco:{p}" for p in props)
    for start in range(0, len(frontier), 2000):
        chunk = values(frontier[start:start + 2000])
        for pattern, out in (("?n ?p ?o", True), ("?o ?p ?n", False)):
            for row in store.query(f"SELECT ?n ?p ?o ?c WHERE {{ VALUES ?n {{ {chunk} }} {pattern} "
                                   f"FILTER(?p IN ({preds})) ?o a ?c }}"):
                o, c = row["o"], str(row["c"])
                if not isinstance(o, str):
                    continue
                p = str(row["p"])[len(ECO_NS):]
                found.add((row["n"], p, o) if out else (o, p, row["n"]))
                if c.startswith(ECO_NS):
                    classes[o].add(c[len(ECO_NS):])
    return sorted(found), dict(classes)


def full_degrees(store: GraphStore, schema: Schema, ids: Sequence[str], roots: Mapping[str, str]) -> dict[str, int]:
    """Each node's degree in the full graph (:func:`~ecokg.graph.nx.to_networkx`: edges to evidence
    and source documents left out)."""
    props = full_properties(schema)
    skipped = list(SKIPPED)
    out = dict.fromkeys(ids, 0)
    if store.language == "cypher":
        types = [schema.rel_type(p) for p in props]
        skip = " OR ".join(f"o:{check_identifier(c)}" for c in skipped)
        by_root: dict[str | None, list[str]] = defaultdict(list)
        for n in ids:
            by_root[roots.get(n)].append(n)
        for root, group in by_root.items():
            match = f"MATCH (n:{check_identifier(root)} {{{ID}: x}})" if root else f"MATCH (n) WHERE n.{ID} = x"
            for pattern in ("(n)-[r]->(o)", "(n)<-[r]-(o)"):
                for row in store.query(f"UNWIND $ids AS x {match} MATCH {pattern} WHERE type(r) IN $types "
                                       f"AND o.{ID} STARTS WITH $ns AND NOT ({skip}) RETURN n.{ID} AS n, count(r) AS d",
                                       {"ids": group, "types": types, "ns": ID_NS}):
                    out[row["n"]] += int(row["d"])
        return out
    preds = ", ".join(f"eco:{p}" for p in props)
    skip = " ".join(f"eco:{c}" for c in skipped)
    for start in range(0, len(ids), 2000):
        chunk = values(ids[start:start + 2000])
        for pattern in ("?n ?p ?o", "?o ?p ?n"):
            for row in store.query(f"SELECT ?n (COUNT(*) AS ?d) WHERE {{ VALUES ?n {{ {chunk} }} {pattern} . "
                                   f"FILTER(?p IN ({preds}) && isIRI(?o)) "
                                   f"FILTER NOT EXISTS {{ ?o a ?k . VALUES ?k {{ {skip} }} }} }} GROUP BY ?n"):
                out[row["n"]] += int(row["d"])
    return out


def _kept_class(schema: Schema, classes: Iterable[str]) -> bool:
    """A node of the full graph: its first most specific class is not evidence or a source."""
    own = schema.most_specific(classes)
    return bool(own) and own[0] not in SKIPPED


def ego_part(graphs: ViewGraphs, center: str, hops: int, cap: int
             ) -> tuple[nx.MultiDiGraph[Any], Chosen, dict[str, int]]:
    """The ``hops``-neighbourhood of ``center`` in the full graph, read ring by ring from the store:
    the kept nodes (nearest first, then highest degree, then id; at most ``cap``) as a graph, the
    selection and their degrees."""
    if cap < 1:
        raise ValueError(f"cap must be >= 1, got {cap}")
    if hops < 0:
        raise ValueError(f"hops must be >= 0, got {hops}")
    schema, store = graphs.schema, graphs.store
    roots = dict(graphs.roots) if store.language == "cypher" else {}
    dist = {center: 0}
    frontier = [center]
    for d in range(1, hops + 1):
        edges, classes = _step(store, schema, frontier, roots)
        nxt = []
        for n, cs in sorted(classes.items()):
            if n not in dist and _kept_class(schema, cs):
                dist[n] = d
                nxt.append(n)
                if store.language == "cypher":
                    roots.setdefault(n, schema.root_of(schema.most_specific(cs)))
        frontier = nxt
    degree = full_degrees(store, schema, sorted(dist), roots)
    ranked = sorted(dist, key=lambda n: (dist[n], -degree[n], n))
    chosen = Chosen(ranked[:cap], len(ranked))
    return graphs.full_part(chosen.nodes, roots), chosen, {n: degree[n] for n in chosen.nodes}


def path_part(graphs: ViewGraphs, paths: Sequence[Sequence[str]]) -> tuple[nx.MultiDiGraph[Any], dict[str, int]]:
    """The nodes of ``paths`` and the edges among them (full graph), with their degrees."""
    nodes = sorted({n for p in paths for n in p})
    roots = _node_roots(graphs, nodes)
    degree = full_degrees(graphs.store, graphs.schema, nodes, roots)
    return graphs.full_part(nodes, roots), degree


def _node_roots(graphs: ViewGraphs, nodes: Sequence[str]) -> dict[str, str]:
    """Root classes of any nodes (entities from the skeleton; the rest read), for Neo4j lookups."""
    if graphs.store.language != "cypher":
        return {}
    roots = graphs.roots
    out = {n: roots[n] for n in nodes if n in roots}
    missing = [n for n in nodes if n not in out]
    if missing:
        for row in graphs.store.query(f"MATCH (n) WHERE n.{ID} IN $ids RETURN n.{ID} AS n, labels(n) AS labels",
                                      {"ids": missing}):
            own = graphs.schema.most_specific(lb for lb in row["labels"] if lb in graphs.schema.classes)
            if own:
                out[row["n"]] = graphs.schema.root_of(own)
    return out


# -- investors and model makers -------------------------------------------------------------------

def narrower_sectors(kg: KnowledgeGraph, sector: str) -> set[str]:
    """``sector`` and every sector below it (``broaderSector`` followed backwards)."""
    found = {sector}
    todo = [sector]
    while todo:
        for e in kg.in_edges(todo.pop(), P.broaderSector):
            if e.source not in found:
                found.add(e.source)
                todo.append(e.source)
    return found


def maker_sectors(kg: KnowledgeGraph, maker: str) -> dict[str, list[tuple[str, list[Evidence]]]]:
    """The sectors of a maker: its own (``inSector``) and its models' (``modelSector``), each with what
    puts it there and the evidence."""
    found: dict[str, list[tuple[str, list[Evidence]]]] = defaultdict(list)
    for e in kg.out_edges(maker, P.inSector):
        found[e.target].append(("in sector", e.evidence))
    for d in sorted(kg.in_edges(maker, P.developedBy), key=lambda d: d.source):
        for e in kg.out_edges(d.source, P.modelSector):
            found[e.target].append((f"model {kg.nodes[d.source].name}", e.evidence))
    return found


def overlap(kg: KnowledgeGraph, investor: str, sectors: Mapping[str, list[tuple[str, list[Evidence]]]],
            memo: dict[str, dict[str, tuple[list[Evidence], set[str]]]] | None = None
            ) -> tuple[dict[str, str], list[Evidence]] | None:
    """The SECTOR_OVERLAP link from ``investor`` to a maker with ``sectors`` (:func:`maker_sectors`):
    its props (the focus, the sectors met, what puts the maker there) and the evidence of every fact
    it rests on; ``None`` when no focus sector (or one below it) is the maker's. ``memo`` keeps each
    investor's focus (with the sectors below) for the next maker."""
    focus = memo.get(investor) if memo is not None else None
    if focus is None:
        focus = {e.target: (e.evidence, narrower_sectors(kg, e.target))
                 for e in kg.out_edges(investor, P.investmentFocus)}
        if memo is not None:
            memo[investor] = focus
    hits = [(f, s) for f, (_, below) in sorted(focus.items()) for s in sorted(below) if s in sectors]
    if not hits:
        return None
    evidence = [ev for f, _ in hits for ev in focus[f][0]]
    vias: list[str] = []
    for _, s in hits:
        for via, evs in sectors[s]:
            vias.append(via)
            evidence += evs
    props = {"focus": "、".join(dict.fromkeys(kg.nodes[f].name for f, _ in hits)),
             "sectors": "、".join(dict.fromkeys(kg.nodes[s].name for _, s in hits)),
             "via": "、".join(dict.fromkeys(vias))}
    return props, evidence


def chain(parents: Callable[[str], Sequence[str]], node: str) -> tuple[list[str], bool]:
    """``node`` and its parents up the first-parent chain (``parents`` in id order; cycles stop), and
    whether a cycle stopped it."""
    out = [node]
    seen = {node}
    while True:
        ps = parents(out[-1])
        parent = next((p for p in ps if p not in seen), None)
        if parent is None:
            return out, bool(ps)
        out.append(parent)
        seen.add(parent)


@dataclass
class MakersShape:
    """The investors-makers graph (see :data:`ecokg.views.MAKERS_RULE`) as counts and small edge
    lists, from the skeleton: every link counted, the sector overlaps never listed pair by pair."""

    investors: set[str]
    makers: set[str]
    places: set[str]
    deals: list[tuple[str, str, str]]  # (deal, investor, maker), by deal id, investor, maker
    parents: list[tuple[str, str]]  # (child, parent) drawn
    place_edges: list[Triple]  # (maker, locatedIn, place), (place, withinPlace, province)
    focus_mask: dict[str, int]  # investor -> the sectors of its focus, with those below
    sector_mask: dict[str, int]  # maker -> its sectors and its models'
    links: dict[str, int] = field(default_factory=dict)  # per node, edges to non-place nodes
    degree: dict[str, int] = field(default_factory=dict)  # per node, every edge

    def overlaps(self, investor: str, maker: str) -> bool:
        return investor != maker and bool(self.focus_mask.get(investor, 0) & self.sector_mask.get(maker, 0))


def makers_shape(graphs: ViewGraphs, deal_investors: Iterable[str]) -> MakersShape:
    """Count the investors-makers graph's links on the skeleton.

    Sector overlaps are counted by sector sets: each investor's focus and each maker's sectors become
    bit masks, and an investor's overlap count is the number of makers whose mask meets its own,
    summed over the distinct masks (the pairs are never listed). Parent links are drawn for a pair
    (investor, maker) up to the nearest common parent; for each node only the farthest such parent
    matters, found from how many makers (investors) each chain node has above them.
    """
    sk, schema = graphs.skeleton, graphs.schema
    ids = sk.ids
    out_links: dict[str, dict[int, list[int]]] = {}

    def targets(rel: str) -> dict[int, list[int]]:
        if rel not in out_links:
            out_links[rel] = sk.out_links(rel)
        return out_links[rel]

    investors = {ids[i] for i, flag in enumerate(sk.is_a(C.Investor, schema)) if flag}
    investors |= {ids[u] for u in targets(P.investmentFocus)}
    investors |= set(deal_investors)
    makers = {ids[v] for vs in targets(P.developedBy).values() for v in vs}
    place_flag = sk.is_a(C.Place, schema)
    places = {ids[i] for i, flag in enumerate(place_flag) if flag}
    index = sk.index
    # deals into makers
    deals = sorted((via, ids[u], ids[v]) for u, v, via in sk.links_of(INVESTED) if ids[v] in makers and u != v)
    # sector masks
    broader_in = sk.in_links(P.broaderSector)
    bits: dict[int, int] = {}

    def bit(s: int) -> int:
        if s not in bits:
            bits[s] = 1 << len(bits)
        return bits[s]

    sector_mask: dict[str, int] = {}
    in_sector, model_sector = targets(P.inSector), targets(P.modelSector)
    models_of = sk.in_links(P.developedBy)
    for m in sorted(makers):
        i = index[m]
        mask = 0
        for s in in_sector.get(i, ()):
            mask |= bit(s)
        for model in models_of.get(i, ()):
            for s in model_sector.get(model, ()):
                mask |= bit(s)
        sector_mask[m] = mask
    below: dict[int, set[int]] = {}

    def narrower(s: int) -> set[int]:
        if s not in below:
            found, todo = {s}, [s]
            while todo:
                for t in broader_in.get(todo.pop(), ()):
                    if t not in found:
                        found.add(t)
                        todo.append(t)
            below[s] = found
        return below[s]

    focus_mask: dict[str, int] = {}
    for u, fs in targets(P.investmentFocus).items():
        if ids[u] in investors:
            mask = 0
            for f in fs:
                for s in narrower(f):
                    if s in bits:
                        mask |= bits[s]
            focus_mask[ids[u]] = mask
    # parent links
    parents_of = targets(P.parentOrganisation)
    chains: dict[str, list[str]] = {}
    cyclic = False
    for n in sorted(makers | investors):
        c, stopped = chain(lambda x: [ids[p] for p in parents_of.get(index[x], ())] if x in index else [], n)
        chains[n] = c
        cyclic = cyclic or stopped
    parents = _parent_steps(chains, investors, makers, cyclic)
    # place edges
    located, within = targets(P.locatedIn), targets(P.withinPlace)
    place_edges: set[Triple] = set()
    for m in sorted(makers):
        for p in located.get(index[m], ()):
            place_edges.add((m, P.locatedIn, ids[p]))
            for q in within.get(p, ()):
                place_edges.add((ids[p], P.withinPlace, ids[q]))
    shape = MakersShape(investors, makers, places, deals, parents, sorted(place_edges), focus_mask, sector_mask)
    _count(shape)
    return shape


def _parent_steps(chains: Mapping[str, list[str]], investors: set[str], makers: set[str], cyclic: bool
                  ) -> list[tuple[str, str]]:
    """The ``parentOrganisation`` steps drawn: for every investor and maker (not the same node) whose
    chains meet, each chain up to the first node of the maker's chain that is in the investor's."""
    reach: dict[str, int] = {}  # node -> how far along its own chain it is drawn (index of the farthest meeting)
    if cyclic:  # a cycle breaks the "chains merge" argument below: compare the pairs that meet
        holders: dict[str, set[str]] = defaultdict(set)
        for m in makers:
            for x in chains[m]:
                holders[x].add(m)
        for i in sorted(investors):
            ci = chains[i]
            pos = {x: k for k, x in enumerate(ci)}
            for m in sorted(set().union(*(holders.get(x, set()) for x in ci)) - {i}):
                common = next(x for x in chains[m] if x in pos)
                reach[i] = max(reach.get(i, 0), pos[common])
                reach[m] = max(reach.get(m, 0), chains[m].index(common))
    else:
        # Without cycles each node has one next parent, so two chains that meet go on together:
        # the first node of a maker's chain in an investor's chain c0, c1 ... is c_t with c_t in the
        # maker's chain and c_(t-1) not. Counting, per node, the makers whose chain holds it, such a
        # maker exists exactly where the count grows from c_(t-1) to c_t.
        for side, others in ((investors, makers), (makers, investors)):
            count: dict[str, int] = defaultdict(int)
            for o in others:
                for x in chains[o]:
                    count[x] += 1
            for n in side:
                c = chains[n]
                own = 1 if n in others else 0  # the node itself is no partner
                best = -1
                if count.get(c[0], 0) - own > 0:
                    best = 0
                for t in range(1, len(c)):
                    if count.get(c[t], 0) > count.get(c[t - 1], 0):
                        best = t
                if best >= 0:
                    reach[n] = max(reach.get(n, 0), best)
    steps: set[tuple[str, str]] = set()
    for n, k in reach.items():
        steps.update(pairwise(chains[n][:k + 1]))
    return sorted(steps)


def _count(shape: MakersShape) -> None:
    """Fill ``links`` (edges between two non-places) and ``degree`` (all edges) of every node."""
    links_: dict[str, int] = defaultdict(int)
    degree: dict[str, int] = defaultdict(int)
    places = shape.places

    def edge(u: str, v: str, times: int = 1) -> None:
        degree[u] += times
        degree[v] += times
        if u != v and u not in places and v not in places:
            links_[u] += times
            links_[v] += times

    for _, who, whom in shape.deals:
        edge(who, whom)
    # sector overlaps, counted by distinct masks
    makers_by_mask: dict[int, int] = defaultdict(int)
    for m, mask in shape.sector_mask.items():
        if mask:
            makers_by_mask[mask] += 1
    investors_by_mask: dict[int, int] = defaultdict(int)
    for i, mask in shape.focus_mask.items():
        if mask:
            investors_by_mask[mask] += 1
    meets: dict[int, int] = {}
    for fmask in investors_by_mask:
        meets[fmask] = sum(n for mmask, n in makers_by_mask.items() if mmask & fmask)
    met: dict[int, int] = {}
    for mmask in makers_by_mask:
        met[mmask] = sum(n for fmask, n in investors_by_mask.items() if mmask & fmask)
    for i, fmask in shape.focus_mask.items():
        if fmask:
            n = meets[fmask] - (1 if i in shape.sector_mask and shape.sector_mask[i] & fmask else 0)
            if n:
                _add(degree, links_, i, n, i in places)
    for m, mmask in shape.sector_mask.items():
        if mmask:
            n = met[mmask] - (1 if m in shape.focus_mask and shape.focus_mask[m] & mmask else 0)
            if n:
                _add(degree, links_, m, n, m in places)
    for child, parent in shape.parents:
        edge(child, parent)
    for u, _, v in shape.place_edges:
        edge(u, v)
    shape.links, shape.degree = dict(links_), dict(degree)


def _add(degree: dict[str, int], links_: dict[str, int], n: str, times: int, place: bool) -> None:
    degree[n] += times
    if not place:
        links_[n] += times


def makers_selection(shape: MakersShape, cap: int) -> Chosen:
    """What ``viz.investors_makers`` keeps of the makers graph (nodes with a link, most links first,
    each followed by its places; at most ``cap``), from the counts."""
    if cap < 1:
        raise ValueError(f"cap must be >= 1, got {cap}")
    places = shape.places
    out: dict[str, list[str]] = defaultdict(list)
    for u, _, v in shape.place_edges:
        if v in places:
            out[u].append(v)
    core = sorted((n for n, k in shape.links.items() if k > 0 and n not in places),
                  key=lambda n: (-shape.links[n], n))

    def companions(n: str) -> list[str]:
        dist = {n: 0}
        queue = [n]
        while queue:
            current = queue.pop(0)
            for nbr in sorted(out.get(current, ())):
                if nbr not in dist:
                    dist[nbr] = dist[current] + 1
                    queue.append(nbr)
        return sorted((x for x in dist if x != n), key=lambda x: (dist[x], x))

    kept: list[str] = []
    seen: set[str] = set()
    candidates: set[str] = set(core)
    full = False
    for n in core:
        comp = companions(n)
        candidates.update(comp)
        if full:
            continue
        for m in (n, *comp):
            if len(kept) < cap and m not in seen:
                kept.append(m)
                seen.add(m)
        full = len(kept) >= cap
    return Chosen(kept, len(candidates))


def makers_part(graphs: ViewGraphs, shape: MakersShape, selection: Chosen, edge_cap: int | None
                ) -> tuple[nx.MultiDiGraph[Any], int]:
    """The kept nodes of the investors-makers view and the edges ``viz.investors_makers`` draws among
    them (at most ``edge_cap``, chosen as :func:`ecokg.viz.views.cap_edges` chooses them), built from
    the store; and how many edges there are among the kept nodes before the edge cap."""
    kept = list(selection.nodes)
    keep = set(kept)
    # the edges among the kept nodes, in the order the whole makers graph would hold them
    succ: dict[str, dict[str, list[tuple[str, str, str]]]] = defaultdict(lambda: defaultdict(list))
    for deal, who, whom in shape.deals:
        if who in keep and whom in keep:
            succ[who][whom].append(("deal", deal, ""))
    kept_investors = sorted(n for n in keep if shape.focus_mask.get(n))
    kept_makers = sorted(n for n in keep if shape.sector_mask.get(n))
    for i in kept_investors:
        for m in kept_makers:
            if shape.overlaps(i, m):
                succ[i][m].append(("overlap", "", ""))
    for child, parent in shape.parents:
        if child in keep and parent in keep:
            succ[child][parent].append(("relation", P.parentOrganisation, ""))
    for u, prop, v in shape.place_edges:
        if u in keep and v in keep:
            succ[u][v].append(("relation", prop, ""))
    ordered: list[tuple[Hashable, Hashable, Hashable, Mapping[str, Any]]] = []
    for u in kept:
        for v in sorted(succ.get(u, {})):
            for what in succ[u][v]:
                ordered.append((u, v, what, {}))
    nodes: list[Hashable] = list(kept)
    capped, total = cap_edges(ordered, nodes, edge_cap)
    chosen = [(str(u), str(v), _what(w)) for u, v, w, _ in capped]
    # what those edges and nodes say, read from the store
    deals = sorted({what[1] for _, _, what in chosen if what[0] == "deal"})
    overlaps = [(u, v) for u, v, what in chosen if what[0] == "overlap"]
    relations = [(u, what[1], v) for u, v, what in chosen if what[0] == "relation"]
    sk, store = graphs.skeleton, graphs.store
    index = sk.index
    investors_o = sorted({u for u, _ in overlaps})
    makers_o = sorted({v for _, v in overlaps})
    roots = graphs.roots if store.language == "cypher" else {}
    focus = links(store, investors_o, [P.investmentFocus], roots=roots)
    own = links(store, makers_o, [P.inSector], roots=roots)
    models_of = sk.in_links(P.developedBy)
    models = sorted({sk.ids[m] for n in makers_o for m in models_of.get(index[n], ())})
    made = [(sk.ids[m], P.developedBy, n) for n in makers_o for m in models_of.get(index[n], ())]
    model_sectors = links(store, models, [P.modelSector], roots=roots)
    broader = [(sk.ids[u], P.broaderSector, sk.ids[v]) for u, v, _ in sk.links_of(P.broaderSector)]
    sectors = {e[2] for e in focus + own + model_sectors} | {x for e in broader for x in (e[0], e[2])}
    deal_root = graphs.schema.root_of([C.Investment])
    part = read_part(store, [*keep, *deals, *models, *sectors],
                     [*relations, *focus, *own, *made, *model_sectors, *broader],
                     roots={**roots, **dict.fromkeys(deals, deal_root)}, cache=graphs.cache)
    full = styled(to_networkx(part), part)
    g: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    for n in kept:
        g.add_node(n, **{**full.nodes[n], "investor": n in shape.investors, "maker": n in shape.makers,
                         "place": n in shape.places, "sector": False})
    sectors_of: dict[str, dict[str, list[tuple[str, list[Evidence]]]]] = {}
    memo: dict[str, dict[str, tuple[list[Evidence], set[str]]]] = {}
    as_dict: dict[Evidence, dict[str, Any]] = {}  # each piece of evidence as data, made once

    def data(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
        out = []
        for ev in dict.fromkeys(evidence):
            if ev not in as_dict:
                as_dict[ev] = ev.as_dict()
            out.append(as_dict[ev])
        return out

    for u, v, what in chosen:
        if what[0] == "deal":
            inv = part.nodes[what[1]]
            g.add_edge(u, v, key=f"INVESTED_IN:{inv.id}", type="INVESTED_IN", props=dict(full.nodes[inv.id]["props"]),
                       evidence=data(inv.evidence))
        elif what[0] == "overlap":
            if v not in sectors_of:
                sectors_of[v] = maker_sectors(part, v)
            found = overlap(part, u, sectors_of[v], memo)
            if found is None:  # pragma: no cover - the masks said they meet
                raise ValueError(f"no sector overlap between {u} and {v}")
            props, evidence = found
            g.add_edge(u, v, key="SECTOR_OVERLAP", type="SECTOR_OVERLAP", props=props, evidence=data(evidence))
        else:
            g.add_edge(u, v, key=what[1], **full.edges[u, v, what[1]])
    return g, total


def _what(w: Hashable) -> tuple[str, str, str]:
    """An edge's description in :func:`makers_part` (kind, what it rests on, "")."""
    if not (isinstance(w, tuple) and len(w) == 3):  # pragma: no cover - made above
        raise TypeError(f"not an edge description: {w!r}")
    return str(w[0]), str(w[1]), str(w[2])
