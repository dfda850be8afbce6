"""The backend-free data model: nodes, edges and evidence, checked against the ontology.

Loaders build a :class:`KnowledgeGraph`; writers turn it into RDF, Neo4j or
networkx. Nothing here knows a database.

>>> kg = KnowledgeGraph()
>>> ev = Evidence(source="urn:doc", quote="陈宏", basis="bluebook", start=0, end=2)
>>> p = kg.add_node("urn:p", "Person", {"name": "陈宏", "pinyin": "Chen Hong"}, ev)
>>> sorted(kg.labels_of("urn:p"))
['Person']
>>> kg.add_node("urn:x", "Persn")
Traceback (most recent call last):
...
ecokg.errors.SchemaError: eco:Persn is not a class of the ontology
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ecokg.errors import SchemaError
from ecokg.ontology import ID_NS
from ecokg.ontology.schema import get_schema

BASES = ("bluebook", "curated", "user-data")


@dataclass(frozen=True)
class Evidence:
    """Where a fact is stated.

    Attributes:
        source: IRI of the source document.
        quote: the exact source text (or the curated entry).
        basis: ``bluebook``, ``curated`` or ``user-data``.
        start: character offset of the quote in the source text, if a text.
        end: offset just past the quote.
        line: 1-based line or row in a data file.
        note: for curated facts, where the public knowledge comes from.
    """

    source: str
    quote: str
    basis: str
    start: int | None = None
    end: int | None = None
    line: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise SchemaError(f"evidence basis must be one of {BASES}, not {self.basis!r}")
        if not self.quote:
            raise SchemaError("evidence needs a non-empty quote")

    @property
    def id(self) -> str:
        key = "\x1f".join(str(x) for x in (self.source, self.basis, self.start, self.end, self.line, self.quote))
        return f"{ID_NS}evidence/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"

    def as_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "source": self.source, "quote": self.quote, "basis": self.basis,
             "start": self.start, "end": self.end, "line": self.line, "note": self.note}
        return {k: v for k, v in d.items() if v is not None}


@dataclass
class Node:
    """An entity: its IRI, declared classes, datatype properties and evidence."""

    id: str
    classes: set[str]
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.props.get("name", self.id))


@dataclass
class Edge:
    """A relation ``source -prop-> target``; evidenced relations carry their evidence."""

    source: str
    prop: str
    target: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewItem:
    """Something the loader could not place with confidence."""

    kind: str
    message: str
    quote: str
    source: str
    start: int | None = None
    end: int | None = None
    subject: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _add_evidence(target: list[Evidence], evidence: Evidence | Iterable[Evidence] | None) -> None:
    if evidence is None:
        return
    items = [evidence] if isinstance(evidence, Evidence) else list(evidence)
    for ev in items:
        if ev not in target:
            target.append(ev)


class KnowledgeGraph:
    """An in-memory graph of ecokg facts, every term checked against the ontology."""

    def __init__(self) -> None:
        self.schema = get_schema()
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
        """Add or merge a node. Lists in ``props`` are multi-valued and merge by union;
        a single value already present is kept (first statement wins)."""
        self.schema.check_class(cls)
        node = self.nodes.get(node_id)
        if node is None:
            node = self.nodes[node_id] = Node(node_id, set())
        node.classes.add(cls)
        for key, value in (props or {}).items():
            if key not in self.schema.datatype_properties:
                raise SchemaError(f"eco:{key} is not a datatype property of the ontology")
            if value is None:
                continue
            if isinstance(value, (list, tuple, set)):
                cur = node.props.setdefault(key, [])
                for v in value:
                    if v not in cur:
                        cur.append(v)
            else:
                node.props.setdefault(key, value)
        _add_evidence(node.evidence, evidence)
        return node

    def add_edge(
        self,
        source: str,
        prop: str,
        target: str,
        evidence: Evidence | Iterable[Evidence] | None = None,
    ) -> Edge:
        """Add or merge the relation ``source -prop-> target``."""
        self.schema.rel_type(prop)
        key = (source, prop, target)
        edge = self.edges.get(key)
        if edge is None:
            edge = self.edges[key] = Edge(source, prop, target)
            self._out.setdefault(source, []).append(key)
            self._in.setdefault(target, []).append(key)
        _add_evidence(edge.evidence, evidence)
        return edge

    def flag(self, item: ReviewItem) -> None:
        if item not in self.review:
            self.review.append(item)

    # -- reading ----------------------------------------------------------
    def labels_of(self, node_id: str) -> list[str]:
        """All classes of a node, including every ontology superclass."""
        out: list[str] = []
        for c in sorted(self.nodes[node_id].classes):
            for a in self.schema.ancestors(c):
                if a not in out:
                    out.append(a)
        return sorted(out)

    def of_class(self, cls: str) -> Iterator[Node]:
        self.schema.check_class(cls)
        for n in self.nodes.values():
            if cls in self.labels_of(n.id):
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
        out: dict[str, Evidence] = {}
        for n in self.nodes.values():
            for ev in n.evidence:
                out[ev.id] = ev
        for e in self.edges.values():
            for ev in e.evidence:
                out[ev.id] = ev
        return out

    def class_counts(self) -> Counter[str]:
        """Nodes per class (every node counts under each of its classes)."""
        c: Counter[str] = Counter()
        for n in self.nodes.values():
            c.update(self.labels_of(n.id))
        return c

    def relation_counts(self) -> Counter[str]:
        return Counter(e.prop for e in self.edges.values())
