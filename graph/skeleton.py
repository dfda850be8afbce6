"""The shape of the entity graph, read through the store: which entities there are, their classes,
and which entities are linked, with no property and no evidence.

This is what the views and the analytics need of the whole graph, at a tenth of the cost of
reading the whole model back (:meth:`~ecokg.graph.stores.base.GraphStore.read`): at 100,000
generated entities the store holds 4.5 M triples, of which the shape is about 0.7 M terms. The
properties and evidence of the few nodes a view draws are read afterwards
(:mod:`ecokg.graph.partial`).

The links are those of :func:`ecokg.graph.nx.entity_graph`: the n-ary nodes are collapsed, so a
person links to the organisation and the expert group of each post or membership, an investor to
what an investment went into, a model to the benchmark of each result. Each query is written for
both stores, SPARQL beside Cypher, and both give the same skeleton (the contract tests compare
them on the sample).

>>> from ecokg.graph.model import KnowledgeGraph
>>> from ecokg.graph.stores.oxigraph import RdfStore
>>> from ecokg.ontology.terms import C, P
>>> kg = KnowledgeGraph()
>>> _ = kg.add_node("https://w3id.org/ecokg/id/org/a", C.Company, {"name": "A"})
>>> _ = kg.add_node("https://w3id.org/ecokg/id/sector/s", C.Sector, {"name": "S"})
>>> _ = kg.add_edge("https://w3id.org/ecokg/id/org/a", P.inSector, "https://w3id.org/ecokg/id/sector/s")
>>> store = RdfStore()
>>> _ = store.write(kg)
>>> sk = read_skeleton(store)
>>> sk.cls, sk.degree(), sk.rel
(['Company', 'Sector'], [1, 1], ['inSector'])
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ecokg.graph.model import GraphReader
from ecokg.graph.nx import MEMBERSHIPS, SKIPPED
from ecokg.graph.stores.base import GraphStore
from ecokg.ontology import ID_NS
from ecokg.ontology.neo4j import ID, check_identifier
from ecokg.ontology.schema import Schema, get_schema
from ecokg.ontology.terms import C, P

#: Nodes that :func:`~ecokg.graph.nx.entity_graph` turns into links (a membership, an investment,
#: a result) or leaves out (a report).
COLLAPSED = (*MEMBERSHIPS, C.Investment, C.BenchmarkResult, C.Report)
#: The properties that join a collapsed node to the entities it links.
MEMBERSHIP_LINKS = (P.inOrganisation, P.inGroup)
INVESTMENT_OBJECTS = (P.investee, P.investmentSector)
PLUMBING = (P.holds, *MEMBERSHIP_LINKS, P.investor, *INVESTMENT_OBJECTS, P.forModel, P.onBenchmark)

#: The link kinds of the skeleton besides the direct properties (``inSector``...): a post or
#: membership (person to organisation or group), a deal (investor to investee, or to the sector an
#: investment names) and a benchmark result (model to benchmark).
MEMBERSHIP = "~membership"
INVESTED = "~investee"
INVESTED_SECTOR = "~investmentSector"
SCORED = "~scored"
#: The entity-graph edge type of each collapsed kind (a membership's type depends on its class).
COLLAPSED_TYPES = {INVESTED: "INVESTED_IN", INVESTED_SECTOR: "INVESTED_IN", SCORED: "SCORED"}


def non_entity_classes(schema: Schema) -> list[str]:
    """Classes whose nodes are not entities: evidence and source documents (never drawn), the
    collapsed classes, and classes above only collapsed ones (``Membership``)."""
    out = set(SKIPPED) | set(COLLAPSED)
    for c in schema.classes:
        below = [d for d in schema.descendants(c) if d != c]
        if below and all(d in COLLAPSED for d in below):
            out.add(c)
    return sorted(out)


def entity_classes(schema: Schema) -> list[str]:
    """Every class whose nodes are entities."""
    skip = set(non_entity_classes(schema))
    return sorted(c for c in schema.classes if c not in skip)


def direct_properties(schema: Schema) -> list[str]:
    """Object properties that link two entities directly: not the evidence's, not a collapsed node's
    own, and none whose ``rdfs:domain`` or ``rdfs:range`` is a class of non-entities (``remitSector``
    goes from a position, ``publishedBy`` from a report): by the ontology, such a triple never joins
    two entities, so its rows are not read."""
    skip = {schema.evidence_link, schema.evidence_fields["source"], *PLUMBING}
    others = set(non_entity_classes(schema))
    return sorted(p for p in schema.object_properties if p not in skip
                  and schema.object_domains.get(p) not in others and schema.object_ranges.get(p) not in others)


@dataclass
class Skeleton:
    """Entities (sorted by id) with their most specific classes, and the links of the entity graph.

    Link ``k`` goes from ``ids[src[k]]`` to ``ids[dst[k]]``; ``rel[k]`` is the property of a direct
    link (``inSector``) or one of :data:`MEMBERSHIP`, :data:`INVESTED`, :data:`INVESTED_SECTOR`,
    :data:`SCORED`; ``via[k]`` the investment or result behind a collapsed link ("" otherwise). Parallel
    links are kept, as in the entity graph (one per post, deal, result).
    """

    ids: list[str]
    classes: list[tuple[str, ...]]
    src: list[int] = field(default_factory=list)
    dst: list[int] = field(default_factory=list)
    rel: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)
    #: every investor of a deal, whether or not the deal names what it went into
    deal_investors: set[int] = field(default_factory=set)

    @cached_property
    def index(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.ids)}

    @cached_property
    def cls(self) -> list[str]:
        """Each entity's class as the views show it: its first most specific class in name order."""
        return [cs[0] for cs in self.classes]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        return len(self.src)

    def degree(self) -> list[int]:
        """Each entity's number of links, in and out (a self-link counts twice), as networkx counts it."""
        deg = [0] * len(self.ids)
        for u in self.src:
            deg[u] += 1
        for v in self.dst:
            deg[v] += 1
        return deg

    @cached_property
    def by_rel(self) -> dict[str, list[int]]:
        """The positions of the links of each kind."""
        out: dict[str, list[int]] = {}
        for k, r in enumerate(self.rel):
            out.setdefault(r, []).append(k)
        return out

    def adjacency(self) -> list[list[int]]:
        """Each entity's neighbours, either direction, repeated once per link (cheaper than
        :meth:`neighbours` where repeats do not matter)."""
        adj: list[list[int]] = [[] for _ in self.ids]
        for u, v in zip(self.src, self.dst):
            adj[u].append(v)
            adj[v].append(u)
        return adj

    def neighbours(self) -> list[list[int]]:
        """Undirected simple adjacency: each entity's distinct neighbours (itself left out), sorted."""
        sets: list[set[int]] = [set() for _ in self.ids]
        for u, v in zip(self.src, self.dst):
            if u != v:
                sets[u].add(v)
                sets[v].add(u)
        return [sorted(s) for s in sets]

    def is_a(self, cls: str, schema: Schema | None = None, *, first_only: bool = False) -> list[bool]:
        """Per entity: is it of ``cls`` or below (by its first class only with ``first_only``,
        as the views' styling does, else by any of its most specific classes)."""
        schema = schema or get_schema()
        below = set(schema.descendants(cls))
        if first_only:
            return [c in below for c in self.cls]
        return [any(c in below for c in cs) for cs in self.classes]

    def out_links(self, rel: str) -> dict[int, list[int]]:
        """``rel`` links by source: targets in id order (one per link)."""
        return self._grouped(rel, self.src, self.dst)

    def in_links(self, rel: str) -> dict[int, list[int]]:
        """``rel`` links by target: sources in id order."""
        return self._grouped(rel, self.dst, self.src)

    def _grouped(self, rel: str, key: Sequence[int], value: Sequence[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for k in self.by_rel.get(rel, ()):
            found.setdefault(key[k], []).append(value[k])
        return {u: sorted(vs) for u, vs in found.items()}

    def links_of(self, rel: str) -> Iterable[tuple[int, int, str]]:
        """``(source, target, via)`` of every ``rel`` link."""
        src, dst, via = self.src, self.dst, self.via
        for k in self.by_rel.get(rel, ()):
            yield src[k], dst[k], via[k]

    def investors_by_links(self) -> set[int]:
        """Entities that invest: the investor of a deal with an investee or sector, or with a stated
        focus (what :func:`~ecokg.graph.nx.entity_graph` flags as ``props["investor"]``)."""
        return {u for kind in (INVESTED, INVESTED_SECTOR, P.investmentFocus) for u, _, _ in self.links_of(kind)}


# -- reading ---------------------------------------------------------------------------------------

def _ids(rows: Iterable[dict[str, Any]], *keys: str) -> Iterable[tuple[str, ...]]:
    """The values of ``keys`` of each row whose values are all IRIs (text)."""
    if len(keys) == 1:
        (a,) = keys
        for r in rows:
            x = r.get(a)
            if type(x) is str:
                yield (x,)
        return
    if len(keys) == 2:
        a, b = keys
        for r in rows:
            x, y = r.get(a), r.get(b)
            if type(x) is str and type(y) is str:
                yield x, y
        return
    for r in rows:
        values = tuple(r.get(k) for k in keys)
        if all(type(v) is str for v in values):
            yield values  # type: ignore[misc]


def _nodes_sparql(store: GraphStore, schema: Schema) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for c in entity_classes(schema):
        for (n,) in _ids(store.query(f"SELECT ?n WHERE {{ ?n a eco:{c} }}"), "n"):
            found.setdefault(n, set()).add(c)
    return found


def _nodes_cypher(store: GraphStore, schema: Schema) -> dict[str, set[str]]:
    skip = " OR ".join(f"n:{check_identifier(c)}" for c in non_entity_classes(schema))
    found: dict[str, set[str]] = {}
    rows = store.query(f"MATCH (n) WHERE n.{ID} STARTS WITH $ns AND NOT ({skip}) RETURN n.{ID} AS n, labels(n) AS labels",
                       {"ns": ID_NS})
    for r in rows:
        classes = {lb for lb in r["labels"] if lb in schema.classes}
        if classes:
            found[r["n"]] = classes
    return found


def _links_sparql(store: GraphStore, schema: Schema, dealers: set[str]) -> Iterable[tuple[str, str, str, str]]:
    """(source, kind, target, via) of every link, with the queries ordered so that oxigraph joins
    each collapsed node from its far side (the other order is 5-10x slower on 0.5 pyoxigraph)."""
    for p in direct_properties(schema):
        for u, v in _ids(store.query(f"SELECT ?u ?v WHERE {{ ?u eco:{p} ?v }}"), "u", "v"):
            yield u, p, v, ""
    for p in MEMBERSHIP_LINKS:
        for h, t in _ids(store.query(f"SELECT ?h ?t WHERE {{ ?m eco:{p} ?t . ?h eco:{P.holds} ?m }}"), "h", "t"):
            yield h, MEMBERSHIP, t, ""
    investors = _pairs(store, P.investor)
    dealers.update(a for a_s in investors.values() for a in a_s)
    for p, kind in zip(INVESTMENT_OBJECTS, (INVESTED, INVESTED_SECTOR)):
        for i, b in _ids(store.query(f"SELECT ?i ?b WHERE {{ ?i eco:{p} ?b }}"), "i", "b"):
            for a in investors.get(i, ()):
                yield a, kind, b, i
    models = _pairs(store, P.forModel)
    for r, b in _ids(store.query(f"SELECT ?r ?b WHERE {{ ?r eco:{P.onBenchmark} ?b }}"), "r", "b"):
        for a in models.get(r, ()):
            yield a, SCORED, b, r


def _pairs(store: GraphStore, prop: str) -> dict[str, list[str]]:
    """The targets of ``prop`` by source (SPARQL)."""
    found: dict[str, list[str]] = {}
    for s, o in _ids(store.query(f"SELECT ?s ?o WHERE {{ ?s eco:{prop} ?o }}"), "s", "o"):
        found.setdefault(s, []).append(o)
    return found


def _links_cypher(store: GraphStore, schema: Schema, dealers: set[str]) -> Iterable[tuple[str, str, str, str]]:
    t = schema.rel_type
    types = [t(p) for p in direct_properties(schema)]
    for r in store.query(f"MATCH (u)-[r]->(v) WHERE type(r) IN $types RETURN u.{ID} AS u, type(r) AS t, v.{ID} AS v",
                         {"types": types}):
        if isinstance(r["u"], str) and isinstance(r["v"], str):
            yield r["u"], schema.property_of_type(r["t"]), r["v"], ""
    for r in store.query(f"MATCH (h)-[:{t(P.holds)}]->(m)-[l]->(x) WHERE type(l) IN $types "
                         f"RETURN h.{ID} AS h, x.{ID} AS t", {"types": [t(p) for p in MEMBERSHIP_LINKS]}):
        if isinstance(r["h"], str) and isinstance(r["t"], str):
            yield r["h"], MEMBERSHIP, r["t"], ""
    dealers.update(r["a"] for r in store.query(f"MATCH (i)-[:{t(P.investor)}]->(a) RETURN DISTINCT a.{ID} AS a")
                   if isinstance(r["a"], str))
    kinds = {t(P.investee): INVESTED, t(P.investmentSector): INVESTED_SECTOR}
    for r in store.query(f"MATCH (a)<-[:{t(P.investor)}]-(i)-[l]->(b) WHERE type(l) IN $types "
                         f"RETURN a.{ID} AS a, type(l) AS t, b.{ID} AS b, i.{ID} AS i", {"types": sorted(kinds)}):
        if isinstance(r["a"], str) and isinstance(r["b"], str):
            yield r["a"], kinds[r["t"]], r["b"], str(r["i"])
    for r in store.query(f"MATCH (a)<-[:{t(P.forModel)}]-(x)-[:{t(P.onBenchmark)}]->(b) "
                         f"RETURN a.{ID} AS a, b.{ID} AS b, x.{ID} AS r"):
        if isinstance(r["a"], str) and isinstance(r["b"], str):
            yield r["a"], SCORED, r["b"], str(r["r"])


def read_skeleton(store: GraphStore, schema: Schema | None = None) -> Skeleton:
    """The :class:`Skeleton` of the graph in ``store`` (either store; the same skeleton from both).

    Entities are the nodes of a class in :func:`entity_classes`; a link is kept when both its ends are
    entities, as :func:`~ecokg.graph.nx.entity_graph` keeps it. A deal that names the same node as
    investee and as sector is one link, as in the entity graph.
    """
    schema = schema or get_schema()
    cypher = store.language == "cypher"
    found = (_nodes_cypher if cypher else _nodes_sparql)(store, schema)
    ids = sorted(found)
    most: dict[frozenset[str], tuple[str, ...]] = {}
    classes = []
    for n in ids:
        key = frozenset(found[n])
        if key not in most:
            most[key] = tuple(schema.most_specific(key))
        classes.append(most[key])
    sk = Skeleton(ids, classes)
    index = sk.index
    deals: dict[tuple[int, int, str], str] = {}
    src, rel, dst, via_ = sk.src, sk.rel, sk.dst, sk.via
    dealers: set[str] = set()
    for u, kind, v, via in (_links_cypher if cypher else _links_sparql)(store, schema, dealers):
        iu = index.get(u)
        iv = index.get(v)
        if iu is None or iv is None:
            continue
        if kind == INVESTED or kind == INVESTED_SECTOR:  # one INVESTED_IN link per (investor, object, deal)
            if deals.get((iu, iv, via)) != INVESTED:
                deals[(iu, iv, via)] = kind
            continue
        src.append(iu)
        rel.append(kind)
        dst.append(iv)
        via_.append(via)
    for (iu, iv, via), kind in sorted(deals.items()):
        src.append(iu)
        rel.append(kind)
        dst.append(iv)
        via_.append(via)
    sk.deal_investors = {index[a] for a in dealers if a in index}
    return sk


def sorted_by(ids: Sequence[str], keys: Sequence[int]) -> list[int]:
    """Indices of ``ids`` by ``keys`` descending, ties by id (the views' order: highest degree first)."""
    return sorted(range(len(ids)), key=lambda i: (-keys[i], ids[i]))


# -- kept beside a published store ------------------------------------------------------------------

#: The skeleton of a published generation, kept beside its store (``OUT/generations/<id>/``), where
#: the build's other derived files are: a generation never changes once published, so neither does
#: its skeleton. Written by the first reader (atomically, when the folder is writable); any reader
#: may delete it, the next one reads the store again.
SKELETON_FILE = "skeleton.json"
FORMAT = 1


def fingerprint(schema: Schema) -> str:
    """What the skeleton's reading depends on in the ontology (a kept file made under another
    ontology is read again)."""
    import hashlib

    text = "|".join([*entity_classes(schema), "/", *direct_properties(schema), "/", *COLLAPSED])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def save(sk: Skeleton, path: Path, schema: Schema | None = None) -> None:
    """Write ``sk`` to ``path`` (JSON; written beside, then renamed into place)."""
    schema = schema or get_schema()
    class_sets = sorted({cs for cs in sk.classes})
    class_index = {cs: i for i, cs in enumerate(class_sets)}
    rels = sorted(set(sk.rel))
    rel_index = {r: i for i, r in enumerate(rels)}
    data = {
        "format": FORMAT, "fingerprint": fingerprint(schema),
        "ids": sk.ids, "class_sets": [list(cs) for cs in class_sets],
        "classes": [class_index[cs] for cs in sk.classes], "rels": rels,
        "src": sk.src, "dst": sk.dst, "rel": [rel_index[r] for r in sk.rel],
        "via": {str(k): v for k, v in enumerate(sk.via) if v}, "deal_investors": sorted(sk.deal_investors),
    }
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def load(path: Path, schema: Schema | None = None) -> Skeleton | None:
    """The skeleton kept at ``path``, or None when there is none, or it is of another format or
    ontology (a generation's store never changes, so its skeleton needs no other check)."""
    schema = schema or get_schema()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("fingerprint") != fingerprint(schema):
        return None
    class_sets = [tuple(cs) for cs in data["class_sets"]]
    rels = data["rels"]
    via = [""] * len(data["src"])
    for k, v in data["via"].items():
        via[int(k)] = v
    return Skeleton(data["ids"], [class_sets[i] for i in data["classes"]], data["src"], data["dst"],
                    [rels[i] for i in data["rel"]], via, set(data["deal_investors"]))


def kept_path(store: GraphStore) -> Path | None:
    """Where the skeleton of ``store`` is kept: beside an embedded store of a published generation,
    opened read-only; None for any other store (in memory, being built, Neo4j)."""
    from ecokg.graph.stores.oxigraph import GENERATIONS

    path = getattr(store, "path", None)
    if store.kind != "rdf" or not isinstance(path, Path) or not getattr(store, "read_only", False):
        return None
    if path.parent.parent.name != GENERATIONS:
        return None
    return path.parent / SKELETON_FILE


def skeleton_of(store: GraphStore, schema: Schema | None = None) -> Skeleton:
    """The store's :class:`Skeleton`: the one kept beside it (:func:`kept_path`) if there is one, else
    :func:`read_skeleton`, then kept there for the next reader (when the folder is writable)."""
    schema = schema or get_schema()
    path = kept_path(store)
    if path is not None:
        kept = load(path, schema)
        if kept is not None:
            return kept
    sk = read_skeleton(store, schema)
    if path is not None:
        try:
            save(sk, path, schema)
        except OSError:
            pass  # a folder we may not write: read the store again next time
    return sk


def skeleton_from_model(kg: GraphReader, schema: Schema | None = None) -> Skeleton:
    """The :class:`Skeleton` of a model graph, what :func:`read_skeleton` reads from a store holding
    it; for a build to keep beside the store it writes (``save(skeleton_from_model(kg),
    generation / SKELETON_FILE)``), so that even the first view after a build need not read the store."""
    schema = schema or kg.schema
    skip = set(non_entity_classes(schema))
    direct = set(direct_properties(schema))
    found = {n.id: schema.most_specific(n.classes) for n in kg.nodes.values()}
    ids = sorted(n for n, cs in found.items() if cs and not set(cs) & skip)
    sk = Skeleton(ids, [tuple(found[n]) for n in ids])
    index = sk.index
    links: list[tuple[int, str, int, str]] = []
    for e in kg.edges.values():
        if e.prop in direct and e.source in index and e.target in index:
            links.append((index[e.source], e.prop, index[e.target], ""))
    for m in kg.nodes.values():
        holders = [index[e.source] for e in kg.in_edges(m.id, P.holds) if e.source in index]
        for e in kg.out_edges(m.id):
            if e.prop in MEMBERSHIP_LINKS and e.target in index:
                links += [(h, MEMBERSHIP, index[e.target], "") for h in holders]
        investors = [index[e.target] for e in kg.out_edges(m.id, P.investor) if e.target in index]
        sk.deal_investors.update(investors)
        objects: dict[int, str] = {}
        for e in kg.out_edges(m.id):
            if e.prop in INVESTMENT_OBJECTS and e.target in index:
                kind = INVESTED if e.prop == P.investee else INVESTED_SECTOR
                objects[index[e.target]] = INVESTED if objects.get(index[e.target]) == INVESTED else kind
        links += [(a, kind, b, m.id) for a in investors for b, kind in objects.items()]
        models = [index[e.target] for e in kg.out_edges(m.id, P.forModel) if e.target in index]
        links += [(a, SCORED, index[e.target], m.id) for e in kg.out_edges(m.id, P.onBenchmark)
                  if e.target in index for a in models]
    links.sort()
    sk.src = [u for u, _, _, _ in links]
    sk.rel = [k for _, k, _, _ in links]
    sk.dst = [v for _, _, v, _ in links]
    sk.via = [w for _, _, _, w in links]
    return sk
