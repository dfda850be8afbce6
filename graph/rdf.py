"""Write a :class:`KnowledgeGraph` as RDF under the ecokg ontology.

- every node gets ``rdf:type`` for its classes and all their ``eco:`` superclasses, so
  ``?x a eco:Organisation`` finds banks without a reasoner;
- datatype properties become typed literals (the ontology's ``rdfs:range``);
- evidence becomes ``eco:Evidence`` nodes linked by ``eco:evidence``;
- a relation whose property is an ``eco:EvidencedRelation`` is also reified as an
  ``rdf:Statement`` carrying ``eco:evidence``, so the source of every fact is one
  SPARQL pattern away.

pyoxigraph is the embedded store: measured here it bulk-loads and writes Turtle far
faster than plain rdflib (see docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

import pyoxigraph as ox

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.ontology import ECO_NS, ID_NS

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode(RDF_NS + "type")
PREFIXES = {
    "eco": ECO_NS,
    "id": ID_NS,
    "rdf": RDF_NS,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
}
FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def eco(local: str) -> ox.NamedNode:
    return ox.NamedNode(ECO_NS + local)


def literal(value: Any, rng: str) -> ox.Literal:
    """A literal typed by the property's range.

    >>> literal(True, XSD + "boolean").value, literal(Decimal("71.9"), XSD + "decimal").value
    ('true', '71.9')
    """
    if rng == XSD + "boolean":
        return ox.Literal("true" if value else "false", datatype=_nn(rng))
    if rng in (XSD + "integer", XSD + "decimal", XSD + "gYearMonth", XSD + "date"):
        return ox.Literal(str(value), datatype=_nn(rng))
    return ox.Literal(str(value))


def statement_iri(s: str, p: str, o: str) -> str:
    return f"{ID_NS}statement/{hashlib.sha1(f'{s} {p} {o}'.encode()).hexdigest()[:16]}"


def _evidence_triples(ev: Evidence, schema_dt: dict[str, str]) -> Iterator[ox.Triple]:
    e = _nn(ev.id)
    yield ox.Triple(e, RDF_TYPE, eco("Evidence"))
    yield ox.Triple(e, eco("inSource"), _nn(ev.source))
    yield ox.Triple(e, eco("quote"), ox.Literal(ev.quote))
    yield ox.Triple(e, eco("basis"), ox.Literal(ev.basis))
    for local, value in (("startOffset", ev.start), ("endOffset", ev.end), ("line", ev.line), ("basisNote", ev.note)):
        if value is not None and value != "":
            yield ox.Triple(e, eco(local), literal(value, schema_dt[local]))


def to_triples(kg: KnowledgeGraph) -> Iterator[ox.Triple]:
    """Every triple of the graph, evidence and reified statements included."""
    schema = kg.schema
    dt = schema.datatype_properties
    seen_ev: set[str] = set()

    def evidence(subject: ox.NamedNode, evs: Iterable[Evidence]) -> Iterator[ox.Triple]:
        for ev in evs:
            yield ox.Triple(subject, eco("evidence"), _nn(ev.id))
            if ev.id not in seen_ev:
                seen_ev.add(ev.id)
                yield from _evidence_triples(ev, dt)

    for node in kg.nodes.values():
        s = _nn(node.id)
        for cls in kg.labels_of(node.id):
            yield ox.Triple(s, RDF_TYPE, eco(cls))
        for key, value in node.props.items():
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v is not None:
                    yield ox.Triple(s, eco(key), literal(v, dt[key]))
        yield from evidence(s, node.evidence)
    for edge in kg.edges.values():
        s, p, o = _nn(edge.source), eco(edge.prop), _nn(edge.target)
        yield ox.Triple(s, p, o)
        if schema.is_evidenced(edge.prop) and edge.evidence:
            st = _nn(statement_iri(edge.source, edge.prop, edge.target))
            yield ox.Triple(st, RDF_TYPE, _nn(RDF_NS + "Statement"))
            yield ox.Triple(st, _nn(RDF_NS + "subject"), s)
            yield ox.Triple(st, _nn(RDF_NS + "predicate"), p)
            yield ox.Triple(st, _nn(RDF_NS + "object"), o)
            yield from evidence(st, edge.evidence)


def to_store(kg: KnowledgeGraph, path: Path | None = None) -> ox.Store:
    """Load the graph into a pyoxigraph store (in memory, or on disk at ``path``)."""
    store = ox.Store(str(path)) if path else ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in to_triples(kg))
    return store


def write(store: ox.Store, out_dir: Path, stem: str = "ecokg") -> dict[str, Path]:
    """Write Turtle, N-Triples and JSON-LD of the store's default graph; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for ext, fmt in FORMATS.items():
        target = out_dir / f"{stem}.{ext}"
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        kwargs = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD) else {}
        try:
            ox.serialize(triples, str(target), fmt, **kwargs)
        except TypeError:
            ox.serialize(triples, str(target), fmt)
        paths[ext] = target
    return paths


def value_of(term: Any) -> Any:
    """A Python value for an oxigraph term (IRIs as strings, typed literals converted)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt == XSD + "boolean":
            return term.value == "true"
        if dt in (XSD + "integer", XSD + "int", XSD + "long"):
            return int(term.value)
        if dt == XSD + "decimal":
            return float(Decimal(term.value))
        if dt in (XSD + "double", XSD + "float"):
            return float(term.value)
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)
