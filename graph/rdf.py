"""The RDF form of a :class:`KnowledgeGraph`, and back, under the ecokg ontology.

- every node gets ``rdf:type`` for its classes and all their ``eco:`` superclasses, so
  ``?x a eco:Organisation`` finds banks without a reasoner;
- datatype properties become literals typed by the ontology's ``rdfs:range``
  (:mod:`ecokg.ontology.literals`);
- evidence becomes ``eco:Evidence`` nodes linked by ``eco:evidence``;
- a relation whose property is an ``eco:EvidencedRelation`` is also reified as an
  ``rdf:Statement`` carrying ``eco:evidence``, so the source of every fact is one
  SPARQL pattern away.

:func:`from_triples` is the exact inverse: ``from_triples(to_triples(kg))`` has the same
:meth:`~ecokg.graph.model.KnowledgeGraph.canonical` form as ``kg``.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, TypeVar

import pyoxigraph as ox
from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.ontology import ECO_NS, PREFIXES, RDF_NS, literals
from ecokg.ontology.terms import D
from ecokg.ontology.iris import statement_iri
from ecokg.ontology.schema import Schema, get_schema

S = TypeVar("S", ox.Triple, ox.Quad)  # what a statement is made as

RDF_TYPE = ox.NamedNode(RDF_NS + "type")
#: Names also written as language-tagged labels, for tools that show ``rdfs:label``
#: (Protégé, GraphDB, YASGUI): the name and the English name as ``rdfs:label``, aliases and
#: pinyin as ``skos:altLabel``. They repeat ``eco:`` values, so reading back ignores them.
LABELS = {D.name: ox.NamedNode(PREFIXES["rdfs"] + "label"), D.nameEn: ox.NamedNode(PREFIXES["rdfs"] + "label"),
          D.alias: ox.NamedNode(PREFIXES["skos"] + "altLabel"), D.pinyin: ox.NamedNode(PREFIXES["skos"] + "altLabel")}


def language_of(text: str, prop: str) -> str:
    """The language tag of a name: ``zh`` for Chinese, ``zh-Latn-pinyin`` for pinyin, ``en`` otherwise.

    >>> language_of("智谱华章", "name"), language_of("Zhipu AI", "nameEn"), language_of("Chen Hong", "pinyin")
    ('zh', 'en', 'zh-Latn-pinyin')
    """
    if prop == D.pinyin:
        return "zh-Latn-pinyin"
    if any("\u3400" <= ch <= "\u9fff" for ch in text):
        return "zh"
    return "en"
RDF_STATEMENT = ox.NamedNode(RDF_NS + "Statement")
_REIFY = ("subject", "predicate", "object")


@lru_cache(maxsize=None)
def eco(local: str) -> ox.NamedNode:
    """The ``eco:`` IRI of a term (callers pass names from :mod:`ecokg.ontology.terms`; one object per
    term, made once: a large graph asks for the same few hundred millions of times)."""
    return ox.NamedNode(ECO_NS + local)


def literal(value: Any, rng: str) -> ox.Literal:
    """A literal of a model value, typed by the property's range.

    >>> from decimal import Decimal
    >>> literal(True, literals.XSD_BOOLEAN).value, literal(Decimal("71.9"), literals.XSD_DECIMAL).value
    ('true', '71.9')
    """
    text = literals.to_lexical(value, rng)
    if rng in literals.TYPED:
        return ox.Literal(text, datatype=ox.NamedNode(rng))
    return ox.Literal(text)


def value_of(term: Any) -> Any:
    """The Python value of an oxigraph term: IRIs as strings, typed literals converted."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return literals.from_lexical(term.value, term.datatype.value if term.datatype else None)
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _evidence_triples(ev: Evidence, schema: Schema, make: Callable[..., S]) -> Iterator[S]:
    e = ox.NamedNode(ev.id)
    yield make(e, RDF_TYPE, eco(schema.evidence_class))
    for fld, prop in schema.evidence_fields.items():
        value = getattr(ev, fld)
        if value is None or value == "":
            continue
        if prop in schema.object_properties:
            yield make(e, eco(prop), ox.NamedNode(value))
        else:
            yield make(e, eco(prop), literal(value, schema.datatype_properties[prop]))


def to_triples(kg: KnowledgeGraph) -> Iterator[ox.Triple]:
    """Every triple of the graph, evidence and reified statements included."""
    return _statements(kg, ox.Triple)


def to_quads(kg: KnowledgeGraph) -> Iterator[ox.Quad]:
    """The triples of :func:`to_triples` as quads of the default graph (what a store loads, made
    directly rather than converted one by one)."""
    return _statements(kg, ox.Quad)


def _statements(kg: KnowledgeGraph, make: Callable[..., S]) -> Iterator[S]:
    schema = kg.schema
    dt = schema.datatype_properties
    link = eco(schema.evidence_link)
    seen_ev: set[str] = set()

    def evidence(subject: ox.NamedNode, evs: Iterable[Evidence]) -> Iterator[S]:
        for ev in evs:
            yield make(subject, link, ox.NamedNode(ev.id))
            if ev.id not in seen_ev:
                seen_ev.add(ev.id)
                yield from _evidence_triples(ev, schema, make)

    for node in kg.nodes.values():
        s = ox.NamedNode(node.id)
        for cls in kg.labels_of(node.id):
            yield make(s, RDF_TYPE, eco(cls))
        for key, value in node.props.items():
            for v in value if isinstance(value, list) else [value]:
                yield make(s, eco(key), literal(v, dt[key]))
                if key in LABELS:
                    yield make(s, LABELS[key], ox.Literal(str(v), language=language_of(str(v), key)))
        yield from evidence(s, node.evidence)
    for edge in kg.edges.values():
        s, p, o = ox.NamedNode(edge.source), eco(edge.prop), ox.NamedNode(edge.target)
        yield make(s, p, o)
        if edge.evidence:
            st = ox.NamedNode(statement_iri(edge.source, edge.prop, edge.target))
            yield make(st, RDF_TYPE, RDF_STATEMENT)
            for part, term in zip(_REIFY, (s, p, o)):
                yield make(st, ox.NamedNode(RDF_NS + part), term)
            yield from evidence(st, edge.evidence)


class _Reader:
    """Collects the triples of an ecokg graph, then rebuilds the model."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.fields = {prop: fld for fld, prop in schema.evidence_fields.items()}
        self.types: dict[str, set[str]] = defaultdict(set)
        self.props: dict[str, dict[str, Any]] = defaultdict(dict)
        self.links: dict[str, list[str]] = defaultdict(list)
        self.ev_fields: dict[str, dict[str, Any]] = defaultdict(dict)
        self.edges: list[tuple[str, str, str]] = []
        self.statements: dict[str, dict[str, str]] = defaultdict(dict)

    def add(self, s: str, p: str, o: Any) -> None:
        if p == RDF_TYPE.value:
            if isinstance(o, ox.NamedNode) and o.value.startswith(ECO_NS):
                self.types[s].add(o.value[len(ECO_NS):])
            return
        if p.startswith(RDF_NS):
            if p[len(RDF_NS):] in _REIFY:
                self.statements[s][p[len(RDF_NS):]] = o.value
            return
        if not p.startswith(ECO_NS):
            return
        local = p[len(ECO_NS):]
        if local == self.schema.evidence_link:
            self.links[s].append(o.value)
        elif local in self.fields:
            self.ev_fields[s][self.fields[local]] = value_of(o)
        elif isinstance(o, ox.Literal):
            if self.schema.is_multi(local):
                self.props[s].setdefault(local, []).append(value_of(o))
            else:
                self.props[s][local] = value_of(o)
        else:
            self.edges.append((s, local, o.value))

    def graph(self) -> KnowledgeGraph:
        kg = KnowledgeGraph(self.schema)
        evidence = {e: Evidence(**f) for e, f in self.ev_fields.items()}

        def evs(subject: str) -> list[Evidence]:
            return [evidence[e] for e in self.links.get(subject, []) if e in evidence]

        for s, classes in self.types.items():
            if self.schema.evidence_class in classes:
                continue
            for c in self.schema.most_specific(classes):
                kg.add_node(s, c, self.props.get(s), evs(s))
        facts = {}
        for st, d in self.statements.items():
            if set(d) == set(_REIFY) and d["predicate"].startswith(ECO_NS):
                facts[(d["subject"], d["predicate"][len(ECO_NS):], d["object"])] = evs(st)
        for s, local, o in self.edges:
            kg.add_edge(s, local, o, facts.get((s, local, o)) or None)
        return kg.ordered()


def from_triples(triples: Iterable[ox.Triple | ox.Quad], schema: Schema | None = None) -> KnowledgeGraph:
    """Rebuild the model (nodes, edges, evidence) from the triples of an ecokg graph."""
    reader = _Reader(schema or get_schema())
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and isinstance(t.predicate, ox.NamedNode):
            reader.add(t.subject.value, t.predicate.value, t.object)
    return reader.graph()


def to_rdflib(kg: KnowledgeGraph) -> Any:
    """The graph as an :class:`rdflib.Graph` (with the ecokg prefixes bound)."""
    import rdflib

    data = ox.serialize(to_triples(kg), format=ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.parse(data=(data or b"").decode("utf-8"), format="nt")
    return g
