"""The backend-free data model: nodes, edges and evidence, checked against the ontology.

Source adapters (:mod:`ecokg.loaders`) build a :class:`KnowledgeGraph`; the stores
(:mod:`ecokg.graph.stores`) write it and read it back. Nothing here knows a database.

>>> from ecokg.ontology.terms import C, D
>>> kg = KnowledgeGraph()
>>> ev = Evidence(source="urn:doc", quote="陈宏", basis="bluebook", start=0, end=2)
>>> p = kg.add_node("urn:p", C.Person, {D.name: "陈宏", D.pinyin: "Chen Hong"}, ev)
>>> kg.labels_of("urn:p")
['Person']
>>> kg.add_node("urn:x", "Persn")
Traceback (most recent call last):
...
ecokg.ontology.errors.SchemaError: eco:Persn is not a class of the ontology
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Iterable, Iterator, Mapping, Protocol, Sequence

from ecokg.ontology import literals
from ecokg.ontology.errors import SchemaError
from ecokg.ontology.iris import mint
from ecokg.ontology.schema import Schema, get_schema
from ecokg.ontology.terms import D


@dataclass(frozen=True)
class Evidence:
    """Where a fact is stated.

    The fields map to the properties of ``eco:Evidence`` (see the ontology's
    ``eco:fieldName`` annotations).

    Attributes:
        source: IRI of the source document.
        quote: the exact source text (or the curated entry, or the data row).
        basis: what kind of source states it (``bluebook``, ``curated``, ``user-data``...; the
            SHACL shapes list the allowed values).
        start: character offset of the quote in the source text, if a text.
        end: offset just past the quote.
        line: 1-based line or row in a data file.
        note: where curated or user data comes from.
    """

    source: str
    quote: str
    basis: str
    start: int | None = None
    end: int | None = None
    line: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        bases = get_schema().bases
        if self.basis not in bases:
            raise SchemaError(f"evidence basis must be one of {bases}, not {self.basis!r}")
        if not self.quote:
            raise SchemaError("evidence needs a non-empty quote")

    @cached_property
    def id(self) -> str:
        """The evidence's IRI: the same statement from the same place always gets the same one
        (computed once per object: views and exports ask for it many times)."""
        return mint("evidence", self.source, self.basis, self.start, self.end, self.line, self.quote, self.note)

    def as_dict(self) -> dict[str, Any]:
        """The evidence as plain data (``id`` and the fields that are set)."""
        d: dict[str, Any] = {"id": self.id}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                d[f.name] = value
        return d


@dataclass
class Node:
    """An entity: its IRI, declared classes, datatype properties and evidence."""

    id: str
    classes: set[str]
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.props.get(D.name, self.id))


@dataclass
class Edge:
    """A relation ``source -prop-> target``; evidenced relations carry their evidence."""

    source: str
    prop: str
    target: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewItem:
    """Something a source adapter could not place with confidence."""

    kind: str
    message: str
    quote: str
    source: str
    start: int | None = None
    end: int | None = None
    subject: str | None = None
    line: int | None = None  # for a data file: the 1-based line

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _add_evidence(target: list[Evidence], evidence: Evidence | Iterable[Evidence] | None) -> None:
    if evidence is None:
        return
    items = [evidence] if isinstance(evidence, Evidence) else list(evidence)
    for ev in items:
        if ev not in target:
            target.append(ev)


def evidence_order(schema: Schema, ev: Evidence) -> tuple[Any, ...]:
    """The order evidence is listed in: by basis (the shapes' order: Blue Book first), then place
    (:meth:`KnowledgeGraph.evidence_key`, shared by every :class:`GraphReader`)."""
    rank = schema.bases.index(ev.basis) if ev.basis in schema.bases else len(schema.bases)
    return (rank, ev.source, -1 if ev.start is None else ev.start, -1 if ev.end is None else ev.end,
            -1 if ev.line is None else ev.line, ev.quote)


class GraphReader(Protocol):
    """What the stages of a build read of a whole graph: the N-Triples writer, the name index, the
    skeleton, the computed answers, the rows of Neo4j and the summary's counts.

    :class:`KnowledgeGraph` is one (the graph the loaders build and merge);
    :class:`ecokg.graph.compact.CompactGraph` is another (the same graph held in a fraction of the
    memory, read-only). Both give the same values in the same order.
    """

    @property
    def schema(self) -> Schema: ...

    @property
    def nodes(self) -> Mapping[str, Node]: ...

    @property
    def edges(self) -> Mapping[tuple[str, str, str], Edge]: ...

    @property
    def review(self) -> Sequence[ReviewItem]: ...

    def labels_of(self, node_id: str) -> list[str]: ...

    def most_specific(self, node_id: str) -> str: ...

    def of_class(self, cls: str) -> Iterator[Node]: ...

    def out_edges(self, node_id: str, prop: str | None = None) -> Iterator[Edge]: ...

    def in_edges(self, node_id: str, prop: str | None = None) -> Iterator[Edge]: ...

    def all_evidence(self) -> dict[str, Evidence]: ...

    def evidence_count(self) -> int: ...

    def class_counts(self) -> Counter[str]: ...

    def relation_counts(self) -> Counter[str]: ...

    def evidence_key(self, ev: Evidence) -> tuple[Any, ...]: ...

    def canonical(self) -> dict[str, Any]: ...


def canonical(kg: GraphReader) -> dict[str, Any]:
    """:meth:`KnowledgeGraph.canonical` of any :class:`GraphReader`."""
    schema = kg.schema
    nodes = {}
    for n in kg.nodes.values():
        props = {k: sorted(v) if isinstance(v, list) else v for k, v in n.props.items()}
        nodes[n.id] = (tuple(schema.most_specific(n.classes)), tuple(sorted(props.items())),
                       tuple(sorted(ev.id for ev in n.evidence)))
    edges = {k: tuple(sorted(ev.id for ev in e.evidence)) for k, e in kg.edges.items()}
    return {"nodes": nodes, "edges": edges, "evidence": sorted(kg.all_evidence())}


class KnowledgeGraph:
    """An in-memory graph of ecokg facts, every term and value checked against the ontology."""

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or get_schema()
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self.review: list[ReviewItem] = []
        self._out: dict[str, list[tuple[str, str, str]]] = {}
        self._in: dict[str, list[tuple[str, str, str]]] = {}

    # -- building -------------------------------------------------------
    def add_node(
        self,
        node_id: str,
        cls: str,
        props: dict[str, Any] | None = None,
        evidence: Evidence | Iterable[Evidence] | None = None,
    ) -> Node:
        """Add or merge a node. Multi-valued properties (lists) merge by union; a single
        value already present is kept (first statement wins)."""
        self.schema.check_class(cls)
        node = self.nodes.get(node_id)
        if node is None:
            node = self.nodes[node_id] = Node(node_id, set())
        node.classes.add(cls)
        for key, value in (props or {}).items():
            rng = self.schema.datatype_properties.get(key)
            if rng is None:
                raise SchemaError(f"eco:{key} is not a datatype property of the ontology")
            if value is None:
                continue
            if self.schema.is_multi(key):
                values = value if isinstance(value, (list, tuple, set)) else [value]
                if not values:
                    continue
                cur = node.props.setdefault(key, [])
                for v in values:
                    v = literals.check(v, rng, key)
                    if v not in cur:
                        cur.append(v)
            elif isinstance(value, (list, tuple, set)):
                raise SchemaError(f"eco:{key} takes one value, not a list")
            else:
                node.props.setdefault(key, literals.check(value, rng, key))
        _add_evidence(node.evidence, evidence)
        return node

    def add_edge(
        self,
        source: str,
        prop: str,
        target: str,
        evidence: Evidence | Iterable[Evidence] | None = None,
    ) -> Edge:
        """Add or merge the relation ``source -prop-> target``.

        Only relations that state a fact (``eco:EvidencedRelation``) carry evidence of their own;
        the others are explained by the evidence of the nodes they join.
        """
        evidenced = self.schema.is_evidenced(prop)
        if evidence and not evidenced:
            raise SchemaError(f"eco:{prop} is not an evidenced relation: put the evidence on its nodes")
        key = (source, prop, target)
        edge = self.edges.get(key)
        if edge is None:
            edge = self.edges[key] = Edge(source, prop, target)
            self._out.setdefault(source, []).append(key)
            self._in.setdefault(target, []).append(key)
        _add_evidence(edge.evidence, evidence)
        return edge

    def flag(self, item: ReviewItem) -> None:
        """Add an item to the review list (once)."""
        if item not in self.review:
            self.review.append(item)

    def merge(self, other: KnowledgeGraph) -> KnowledgeGraph:
        """Add every node, edge, piece of evidence and review item of ``other``; return self."""
        for n in other.nodes.values():
            for cls in sorted(n.classes):
                self.add_node(n.id, cls, n.props, n.evidence)
            if not n.classes:  # pragma: no cover - nodes always have a class
                raise SchemaError(f"{n.id} has no class")
        for e in other.edges.values():
            self.add_edge(e.source, e.prop, e.target, e.evidence or None)
        for item in other.review:
            self.flag(item)
        return self

    # -- reading ----------------------------------------------------------
    def labels_of(self, node_id: str) -> list[str]:
        """All classes of a node, including every ontology superclass, sorted."""
        return self.schema.closure(self.nodes[node_id].classes)

    def most_specific(self, node_id: str) -> str:
        """The node's most specific class (the first in name order when it has several)."""
        return self.schema.most_specific(self.nodes[node_id].classes)[0]

    def of_class(self, cls: str) -> Iterator[Node]:
        """The nodes of ``cls`` or a class below it."""
        self.schema.check_class(cls)
        for n in list(self.nodes.values()):
            if self.schema.is_a(n.classes, cls):
                yield n

    def out_edges(self, node_id: str, prop: str | None = None) -> Iterator[Edge]:
        for key in self._out.get(node_id, ()):
            if prop is None or key[1] == prop:
                yield self.edges[key]

    def in_edges(self, node_id: str, prop: str | None = None) -> Iterator[Edge]:
        for key in self._in.get(node_id, ()):
            if prop is None or key[1] == prop:
                yield self.edges[key]

    def all_evidence(self) -> dict[str, Evidence]:
        """Every piece of evidence, by id."""
        out: dict[str, Evidence] = {}
        for n in self.nodes.values():
            for ev in n.evidence:
                out[ev.id] = ev
        for e in self.edges.values():
            for ev in e.evidence:
                out[ev.id] = ev
        return out

    def evidence_count(self) -> int:
        """How many distinct pieces of evidence the graph holds (``len(all_evidence())``)."""
        return len(self.all_evidence())

    def class_counts(self) -> Counter[str]:
        """Nodes per class (every node counts under each of its classes and superclasses)."""
        c: Counter[str] = Counter()
        for n in self.nodes.values():
            c.update(self.labels_of(n.id))
        return c

    def relation_counts(self) -> Counter[str]:
        """Edges per object property."""
        return Counter(e.prop for e in self.edges.values())

    def evidence_key(self, ev: Evidence) -> tuple[Any, ...]:
        """The order evidence is listed in: by basis (the shapes' order: Blue Book first), then place."""
        return evidence_order(self.schema, ev)

    def ordered(self) -> KnowledgeGraph:
        """The same graph in a canonical order: nodes and edges by id, evidence by
        :meth:`evidence_key`, multi-valued properties sorted. Stores return their graph in
        this order, so everything drawn from it is the same whichever store it came from."""
        out = KnowledgeGraph(self.schema)
        for node_id in sorted(self.nodes):
            n = self.nodes[node_id]
            props = {k: sorted(v) if isinstance(v, list) else v for k, v in sorted(n.props.items())}
            out.nodes[node_id] = Node(node_id, set(n.classes), props, sorted(n.evidence, key=self.evidence_key))
        for key in sorted(self.edges):
            e = self.edges[key]
            out.add_edge(e.source, e.prop, e.target, sorted(e.evidence, key=self.evidence_key) or None)
        out.review = list(self.review)
        return out

    def canonical(self) -> dict[str, Any]:
        """A comparable form of the graph: what a store must give back after writing it.

        Nodes by id with their most specific classes, properties (multi-valued ones as sorted
        lists) and evidence ids; edges by ``(source, prop, target)`` with their evidence ids.
        The review list is not part of it (stores keep only the ``needsReview`` flags).
        """
        return canonical(self)
