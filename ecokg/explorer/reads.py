"""What the explorer's pages show, read through the store protocol (either store, the same answer).

An entity's page is its classes and names, its own evidence, and its facts: the edges around it
(:meth:`~ecokg.graph.stores.base.GraphStore.neighbours`), where an edge to an n-ary node (a post, a
group membership, an investment) is followed one step further to the entities that node links, and
every fact carries its evidence (read with :func:`~ecokg.graph.partial.read_part`: the statement's
evidence for an evidenced relation, the n-ary node's own evidence otherwise). Every read is
bounded: at most :data:`MAX_PER_GROUP` facts of one relation are read in full, the rest are counted.

The classes, relations and evidence fields all come from the ontology (:func:`get_schema`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.graph.partial import links, read_part
from ecokg.graph.stores.base import GraphStore
from ecokg.graph.stores.base import PLUMBING_RELATIONS
from ecokg.ontology import ID_NS
from ecokg.ontology.errors import QueryError
from ecokg.ontology.iris import is_ecokg_iri
from ecokg.ontology.neo4j import ID, check_identifier
from ecokg.ontology.schema import Schema, get_schema
from ecokg.ontology.terms import D

#: Facts of one relation read in full on an entity page (the others are counted: "N more").
MAX_PER_GROUP = 60
#: Edges around one node that are looked at (a hub's others are counted, never read).
MAX_EDGES = 5000
#: The datatype properties that name an entity (shown as its names, not as facts).
NAME_PROPS = (D.name, D.nameEn, D.alias, D.pinyin, D.initials)
Triple = tuple[str, str, str]
GroupKey = tuple[str, str, "str | None"]  # relation, direction, class of the n-ary node


def entity_iri(key: str) -> str:
    """The IRI of the local id in an explorer URL (``org/yang-guang…`` -> ``https://w3id.org/ecokg/id/org/…``).

    >>> entity_iri("person/wang-rui-1")
    'https://w3id.org/ecokg/id/person/wang-rui-1'
    >>> entity_iri("../etc/passwd")
    Traceback (most recent call last):
    ...
    ecokg.ontology.errors.QueryError: not an entity id: '../etc/passwd'
    """
    iri = ID_NS + key
    if not is_ecokg_iri(iri) or ".." in key or key.startswith("/"):
        raise QueryError(f"not an entity id: {key!r}")
    return iri


def entity_key(iri: str) -> str:
    """The local id of an entity IRI, as it appears in explorer URLs.

    >>> entity_key("https://w3id.org/ecokg/id/org/x-1")
    'org/x-1'
    """
    return iri[len(ID_NS):] if iri.startswith(ID_NS) else iri


@dataclass
class Ref:
    """An entity a fact points to: id, name and most specific class."""

    id: str
    name: str
    cls: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": entity_key(self.id), "name": self.name, "cls": self.cls}


@dataclass
class Fact:
    """One statement about an entity: the relation, the entity at the other end (through an n-ary
    node when there is one: a post's title and organisation), and the evidence."""

    relation: str  # the property linking the entity (to the other entity, or to the n-ary node)
    direction: str  # "out" (entity -relation-> ...) or "in"
    others: list[tuple[str, str, Ref]]  # (property, direction from the n-ary node or entity, entity)
    via: Ref | None = None  # the n-ary node (post, membership, investment), if any
    details: dict[str, Any] = field(default_factory=dict)  # the n-ary node's values (title, isFormer...)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def bases(self) -> list[str]:
        return sorted({e.basis for e in self.evidence})

    def as_dict(self) -> dict[str, Any]:
        return {"relation": self.relation, "direction": self.direction,
                "others": [{"relation": p, "direction": d, **r.as_dict()} for p, d, r in self.others],
                "via": self.via.as_dict() if self.via else None, "details": self.details,
                "evidence": [e.as_dict() for e in self.evidence]}


@dataclass
class FactGroup:
    """The facts of one relation (and kind of n-ary node), with how many there are in all."""

    relation: str
    direction: str
    via_cls: str | None
    facts: list[Fact]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.facts)

    def as_dict(self) -> dict[str, Any]:
        return {"relation": self.relation, "direction": self.direction, "via_cls": self.via_cls,
                "total": self.total, "facts": [f.as_dict() for f in self.facts]}


@dataclass
class EntityView:
    """An entity's page: who it is, its own evidence and its facts grouped by relation."""

    id: str
    name: str
    classes: list[str]
    props: dict[str, Any]
    evidence: list[Evidence]
    groups: list[FactGroup]

    @property
    def cls(self) -> str:
        return self.classes[0] if self.classes else ""

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": entity_key(self.id), "name": self.name, "classes": self.classes,
                "props": self.props, "evidence": [e.as_dict() for e in self.evidence],
                "groups": [g.as_dict() for g in self.groups]}


class Reader:
    """The explorer's reads of one store (ids of n-ary nodes and roots are kept between pages)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.schema: Schema = get_schema()
        self._roots: dict[str, str] = {}

    # -- who is what ------------------------------------------------------------------------------
    def is_entity(self, classes: Iterable[str]) -> bool:
        """An entity has a page of its own (a class found by name); a post or an investment does not."""
        return self.schema.search_class(classes) is not None

    def display_class(self, classes: Iterable[str]) -> str:
        cs = self.schema.most_specific(classes)
        return cs[0] if cs else ""

    def roots(self, ids: Sequence[str]) -> dict[str, str]:
        """Each node's root class (Neo4j finds a node by id through its root label's index); on the
        embedded store, none are needed."""
        if self.store.language != "cypher":
            return {}
        wanted = [i for i in dict.fromkeys(ids) if i not in self._roots]
        if wanted:
            roots = self.schema.root_classes()
            union = " UNION ".join(f"MATCH (n:{check_identifier(r)} {{{ID}: x}}) RETURN n" for r in roots)
            for row in self.store.query(f"UNWIND $ids AS x CALL (x) {{ {union} }} "
                                        f"RETURN n.{ID} AS id, labels(n) AS labels", {"ids": wanted}):
                classes = [c for c in row["labels"] if c in self.schema.classes]
                if classes:
                    self._roots[row["id"]] = self.schema.root_of(classes)
        return {i: self._roots[i] for i in ids if i in self._roots}

    def part(self, ids: Iterable[str], edges: Iterable[Triple] = ()) -> KnowledgeGraph:
        ids = list(dict.fromkeys(ids))
        edges = list(edges)
        return read_part(self.store, ids, edges, roots=self.roots(ids + [e[2] for e in edges]))

    def edges(self, ids: Sequence[str]) -> list[Triple]:
        """The edges around ``ids`` as ``(source, property, target)``, sorted, at most :data:`MAX_EDGES` per node."""
        found: dict[str, set[Triple]] = defaultdict(set)
        wanted = set(ids)
        for s, rel, t in self.store.neighbours(list(ids)):
            triple = (s, self.schema.property_of_type(rel), t)
            for end in (s, t):
                if end in wanted:
                    found[end].add(triple)
        out: set[Triple] = set()
        for group in found.values():
            out.update(sorted(group)[:MAX_EDGES])
        return sorted(out)

    # -- an entity's page ---------------------------------------------------------------------------
    def entity(self, iri: str, *, per_group: int = MAX_PER_GROUP, only: str | None = None) -> EntityView | None:
        """The page of ``iri`` (None when the store has no such node); ``only`` (``relation:direction``)
        reads that group alone, up to ``per_group`` facts."""
        me = self.part([iri])
        if iri not in me.nodes:
            return None
        node = me.nodes[iri]
        # the first hop by (relation, direction); at most per_group of each are read in full
        first: dict[tuple[str, str], list[Triple]] = defaultdict(list)
        for s, p, t in self.edges([iri]) + self._scored(iri, node.classes):
            if s != t:
                first[(p, "out" if s == iri else "in")].append((s, p, t))
        if only is not None:
            first = defaultdict(list, {k: v for k, v in first.items() if f"{k[0]}:{k[1]}" == only})
        chosen = {k: v[:per_group] for k, v in first.items()}
        others = sorted({t if s == iri else s for v in chosen.values() for s, _, t in v})
        near = self.part(others, [e for v in chosen.values() for e in v])
        hubs = {o for o in others if o in near.nodes and not self.is_entity(near.nodes[o].classes)}
        hub_links = self._hub_links(iri, sorted(hubs))
        groups: dict[GroupKey, list[Fact]] = defaultdict(list)
        totals: dict[GroupKey, int] = defaultdict(int)
        for (p, direction), triples in chosen.items():
            keys: list[GroupKey] = []
            for s, _, t in triples:
                other = t if direction == "out" else s
                if other not in near.nodes:
                    continue
                fact = self._fact(near, (s, p, t), direction, other, hub_links.get(other) if other in hubs else None)
                gkey: GroupKey = (p, direction, fact.via.cls if fact.via else None)
                groups[gkey].append(fact)
                totals[gkey] += 1
                keys.append(gkey)
            unread = len(first[(p, direction)]) - len(triples)
            if unread > 0:  # counted towards the first group of the relation ("N more" reads them)
                totals[keys[0] if keys else (p, direction, None)] += unread
                groups.setdefault(keys[0] if keys else (p, direction, None), [])
        out = [FactGroup(p, d, v, sorted(fs, key=_fact_key), totals[(p, d, v)]) for (p, d, v), fs in groups.items()]
        out.sort(key=lambda g: (g.direction != "out", g.relation, g.via_cls or ""))
        return EntityView(iri, node.name, self.schema.most_specific(node.classes), dict(node.props),
                          list(node.evidence), out)

    def _scored(self, iri: str, classes: Iterable[str]) -> list[Triple]:
        """The links into ``iri`` that the neighbours step leaves out as plumbing but a page shows: a
        model's benchmark results (``forModel``), a publisher's reports (``publishedBy``)."""
        above = {a for c in classes if c in self.schema.classes for a in self.schema.ancestors(c)}
        props = [p for p in PLUMBING_RELATIONS
                 if p != self.schema.evidence_link and self.schema.object_ranges.get(p) in above]
        if not props:
            return []
        return links(self.store, [iri], props, incoming=True, roots=self.roots([iri]))

    def _hub_links(self, iri: str, hubs: list[str]) -> dict[str, list[tuple[str, str, Ref]]]:
        """For each n-ary node, the entities it links besides ``iri`` (a post's organisation, a deal's investee)."""
        if not hubs:
            return {}
        beyond = [e for e in self.edges(hubs) if iri not in (e[0], e[2])]
        hub_set = set(hubs)
        far = self.part(sorted({t if s in hub_set else s for s, _, t in beyond}))
        out: dict[str, list[tuple[str, str, Ref]]] = defaultdict(list)
        for s, p, t in beyond:
            hub, other, direction = (s, t, "out") if s in hub_set else (t, s, "in")
            if other in far.nodes:
                out[hub].append((p, direction, self._ref(far, other)))
        return {h: sorted(v, key=_link_key) for h, v in out.items()}

    def _fact(self, near: KnowledgeGraph, triple: Triple, direction: str, other: str,
              hub_links: list[tuple[str, str, Ref]] | None) -> Fact:
        """One fact: through the n-ary node ``other`` (with its links), or straight to the entity ``other``."""
        p = triple[1]
        n = near.nodes[other]
        if hub_links is not None or not self.is_entity(n.classes):
            details = {k: v for k, v in n.props.items() if k not in NAME_PROPS}
            return Fact(p, direction, list(hub_links or []), self._ref(near, other), details, list(n.evidence))
        edge = near.edges.get(triple)
        return Fact(p, direction, [(p, direction, self._ref(near, other))], None, {},
                    list(edge.evidence) if edge is not None else [])

    def _ref(self, kg: KnowledgeGraph, node_id: str) -> Ref:
        n = kg.nodes[node_id]
        cls = self.display_class(n.classes)
        label = n.props.get(D.name) or n.props.get(D.title) or n.props.get(D.role) or cls or entity_key(node_id)
        return Ref(node_id, str(label), cls)

    # -- sources ------------------------------------------------------------------------------------
    def sources(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The source documents ``ids``: file name, digest, URL and date."""
        kg = self.part(ids)
        return {i: dict(n.props) for i, n in kg.nodes.items()}

    def evidence(self, ev_id: str) -> Evidence | None:
        """One piece of evidence by its IRI."""
        from ecokg.graph.partial import read_evidence

        return read_evidence(self.store, [ev_id]).get(ev_id)


def _link_key(link: tuple[str, str, Ref]) -> tuple[str, str, str, str]:
    return (link[0], link[1], link[2].name, link[2].id)


def _fact_key(f: Fact) -> tuple[Any, ...]:
    names = tuple(r.name for _, _, r in f.others)
    return (names, str(f.via.name if f.via else ""), f.via.id if f.via else "", tuple(r.id for _, _, r in f.others))


def neighbourhood(view: EntityView, schema: Schema, *, limit: int, offset: int = 0) -> dict[str, Any]:
    """The graph panel's data around an entity, from its page: the entities it is linked to (an
    n-ary node becomes an edge labelled with its title), each edge with the bases of its evidence;
    at most ``limit`` neighbours from ``offset``, and how many more there are."""
    links: dict[str, dict[str, Any]] = {}
    refs: dict[str, Ref] = {}
    for g in view.groups:
        for f in g.facts:
            for prop, direction, ref in f.others:
                if ref.id == view.id:
                    continue
                refs[ref.id] = ref
                rel = f.relation if f.via is None else prop
                label = schema.label(rel)
                if f.via is not None:  # the post's title; which of its links, when it has several
                    title = str(f.details.get(D.title) or f.details.get(D.role) or f.via.name)
                    label = title if len(f.others) == 1 else f"{title} ({label})"
                out = (f.direction == "out") if f.via is None else (direction == "out")
                key = f"{ref.id}|{f.relation}|{prop}|{f.via.id if f.via else ''}"
                links[key] = {"from": view.id if out else ref.id, "to": ref.id if out else view.id,
                              "relation": schema.rel_type(rel), "label": label, "bases": f.bases,
                              "other": ref.id}
    hidden = sum(g.more for g in view.groups)
    order = sorted(refs.values(), key=lambda r: (r.cls, r.name, r.id))
    page = order[offset:offset + limit]
    shown = {r.id for r in page}
    edges = [e for e in links.values() if e["other"] in shown]
    colour = schema.colour
    nodes = [{"id": view.id, "key": entity_key(view.id), "label": view.name, "cls": view.cls,
              "colour": colour(view.cls) or "#888888"}]
    nodes += [{"id": r.id, "key": entity_key(r.id), "label": r.name, "cls": r.cls, "colour": colour(r.cls) or "#888888"}
              for r in page]
    return {"center": view.id, "nodes": nodes,
            "edges": [{k: v for k, v in e.items() if k != "other"} for e in edges],
            "total": len(order) + hidden, "offset": offset, "more": max(0, len(order) - offset - len(page)) + hidden}


def path_steps(reader: Reader, steps: Sequence[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
    """One explained path: each step's two ends (named, classed) and the evidence of the fact."""
    ids = list(dict.fromkeys([s[0] for s in steps] + [s[2] for s in steps]))
    triples = []
    for a, rel, b, direction in steps:
        s, t = (a, b) if direction == "out" else (b, a)
        triples.append((s, reader.schema.property_of_type(rel), t))
    kg = reader.part(ids, triples)
    out = []
    for (a, rel, b, direction), triple in zip(steps, triples):
        hub = next((x for x in (a, b) if x in kg.nodes and not reader.is_entity(kg.nodes[x].classes)), None)
        edge = kg.edges.get(triple)
        evidence = list(edge.evidence) if edge is not None and edge.evidence else \
            list(kg.nodes[hub].evidence) if hub is not None else []
        out.append({"from": reader._ref(kg, a) if a in kg.nodes else Ref(a, a, ""),
                    "to": reader._ref(kg, b) if b in kg.nodes else Ref(b, b, ""),
                    "relation": rel, "label": reader.schema.label(triple[1]), "direction": direction,
                    "evidence": evidence})
    return out


def plain(value: Any) -> Any:
    """Values of a page as JSON-friendly data."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


__all__ = ["EntityView", "Fact", "FactGroup", "MAX_PER_GROUP", "Reader", "Ref", "entity_iri", "entity_key",
           "neighbourhood", "path_steps", "plain"]
