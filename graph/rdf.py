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

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from json.encoder import encode_basestring as _json_string
from pathlib import Path
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

import pyoxigraph as ox
from ecokg.graph.model import Evidence, GraphReader, KnowledgeGraph
from ecokg.ontology import ECO_NS, PREFIXES, RDF_NS, literals
from ecokg.ontology.terms import D
from ecokg.ontology.iris import statement_iri
from ecokg.ontology.schema import Schema, get_schema

T = TypeVar("T")  # what a term is made as (a pyoxigraph term, or N-Triples text)
S = TypeVar("S")  # what a statement is made as (ox.Triple, ox.Quad, or a line of N-Triples)

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


@dataclass(frozen=True)
class _Terms(Generic[T, S]):
    """How :func:`_statements` makes terms and statements: pyoxigraph objects (:func:`_ox_terms`) or
    N-Triples text (:func:`_text_terms`). One walk of the model for both, so they cannot drift."""

    iri: Callable[[str], T]
    eco: Callable[[str], T]
    literal: Callable[[Any, str], T]  # a model value and its range
    label: Callable[[str, str], T]  # a name and its language tag
    make: Callable[[T, T, T], S]
    rdf_type: T
    rdf_statement: T
    reify: tuple[T, T, T]  # rdf:subject, rdf:predicate, rdf:object
    labels: dict[str, T]  # name property -> rdfs:label or skos:altLabel


def _ox_label(text: str, language: str) -> ox.Literal:
    return ox.Literal(text, language=language)


def _ox_terms(make: Callable[[Any, Any, Any], S]) -> _Terms[Any, S]:
    """pyoxigraph terms; statements made by ``make`` (``ox.Triple`` or ``ox.Quad``)."""
    rs, rp, ro = (ox.NamedNode(RDF_NS + part) for part in _REIFY)
    return _Terms(ox.NamedNode, eco, literal, _ox_label, make, RDF_TYPE, RDF_STATEMENT, (rs, rp, ro), dict(LABELS))


#: What cannot appear unescaped inside an N-Triples ``<IRI>`` (IRIREF): an IRI with one of these
#: would end the term or the line early (and could make other triples), so it is refused here;
#: every other rule of IRIs is checked by the parser that reads the text (the store's bulk load).
_IRI_BREAKS = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _text_iri(value: str) -> str:
    if _IRI_BREAKS.search(value):
        ox.NamedNode(value)  # pyoxigraph's own error for an invalid IRI (ValueError) ...
        raise ValueError(f"IRI {value!r} cannot be written in N-Triples")  # ... or this one
    return f"<{value}>"


def _text_terms() -> _Terms[str, str]:
    """N-Triples text (W3C N-Triples 1.1): IRIs as ``<...>`` (checked by :func:`_text_iri`), literals
    as JSON strings (``json``'s C encoder escapes ``"``, backslash and every control character as
    ``\\n``, ``\\r``, ``\\t``, ``\\b``, ``\\f`` or ``\\uXXXX``, all of them ECHAR or UCHAR escapes of
    N-Triples; everything else, non-BMP characters too, stays as written, in UTF-8), then ``@lang``
    or ``^^<datatype>`` (none for ``xsd:string``, as pyoxigraph writes them). A line is ``s p o .``."""
    eco_terms: dict[str, str] = {}
    suffix = {rng: f"^^<{rng}>" for rng in literals.TYPED}
    lexical = literals.to_lexical

    def eco_term(local: str) -> str:
        term = eco_terms.get(local)
        if term is None:
            term = eco_terms[local] = _text_iri(ECO_NS + local)
        return term

    def literal_term(value: Any, rng: str) -> str:
        return _json_string(lexical(value, rng)) + suffix.get(rng, "")

    def label_term(text: str, language: str) -> str:  # tags in lower case, as pyoxigraph keeps them
        return f"{_json_string(text)}@{language.lower()}"

    def line(s: str, p: str, o: str) -> str:
        return f"{s} {p} {o} .\n"

    rs, rp, ro = (f"<{RDF_NS}{part}>" for part in _REIFY)
    return _Terms(_text_iri, eco_term, literal_term, label_term, line, f"<{RDF_TYPE.value}>",
                  f"<{RDF_STATEMENT.value}>", (rs, rp, ro), {k: f"<{v.value}>" for k, v in LABELS.items()})


def to_triples(kg: GraphReader) -> Iterator[ox.Triple]:
    """Every triple of the graph, evidence and reified statements included."""
    return _statements(kg, _ox_terms(ox.Triple))


def to_quads(kg: GraphReader) -> Iterator[ox.Quad]:
    """The triples of :func:`to_triples` as quads of the default graph (what a store loads, made
    directly rather than converted one by one)."""
    return _statements(kg, _ox_terms(ox.Quad))


def to_ntriples(kg: GraphReader) -> Iterator[str]:
    """The triples of :func:`to_triples`, in the same order, as lines of N-Triples text (each ending
    in a newline), made without a pyoxigraph object: what :func:`write_ntriples` writes.

    >>> from ecokg.graph.model import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> _ = kg.add_node("https://w3id.org/ecokg/id/org/x", "Company", {"name": 'say "hi"\\n'})
    >>> print("".join(to_ntriples(kg)), end="")  # doctest: +NORMALIZE_WHITESPACE
    <https://w3id.org/ecokg/id/org/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ecokg/ontology#Company> .
    <https://w3id.org/ecokg/id/org/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ecokg/ontology#Organisation> .
    <https://w3id.org/ecokg/id/org/x> <https://w3id.org/ecokg/ontology#name> "say \\"hi\\"\\n" .
    <https://w3id.org/ecokg/id/org/x> <http://www.w3.org/2000/01/rdf-schema#label> "say \\"hi\\"\\n"@en .
    """
    return _statements(kg, _text_terms())


def write_ntriples(kg: GraphReader, path: Path, chunk: int = 1 << 16) -> int:
    """Write the graph as N-Triples (:func:`to_ntriples`) to ``path``, in UTF-8; return the number of
    lines. A value that cannot be written (an IRI with a space or ``>``, a lone surrogate) raises,
    and a bad IRI that gets through is refused by the parser that reads the file: nothing is dropped."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        lines = to_ntriples(kg)
        while batch := list(islice(lines, chunk)):
            f.write("".join(batch))
            n += len(batch)
    return n


def _statements(kg: GraphReader, terms: _Terms[T, S]) -> Iterator[S]:
    schema = kg.schema
    dt = schema.datatype_properties
    make, iri, eco_, literal_, label = terms.make, terms.iri, terms.eco, terms.literal, terms.label
    rdf_type, labels = terms.rdf_type, terms.labels
    link = eco_(schema.evidence_link)
    evidence_class = eco_(schema.evidence_class)
    evidence_fields = [(fld, eco_(prop), prop in schema.object_properties, dt.get(prop, ""))
                       for fld, prop in schema.evidence_fields.items()]
    seen_ev: set[str] = set()

    def evidence(subject: T, evs: Iterable[Evidence]) -> Iterator[S]:
        for ev in evs:
            ev_id = ev.id
            e = iri(ev_id)
            yield make(subject, link, e)
            if ev_id not in seen_ev:
                seen_ev.add(ev_id)
                yield make(e, rdf_type, evidence_class)
                for fld, prop, is_iri, rng in evidence_fields:
                    value = getattr(ev, fld)
                    if value is None or value == "":
                        continue
                    yield make(e, prop, iri(value) if is_iri else literal_(value, rng))

    for node in kg.nodes.values():
        s = iri(node.id)
        for cls in kg.labels_of(node.id):
            yield make(s, rdf_type, eco_(cls))
        named: set[tuple[T, T]] = set()  # a name and an English name alike make one rdfs:label, once
        for key, value in node.props.items():
            p, rng = eco_(key), dt[key]
            for v in value if isinstance(value, list) else [value]:
                yield make(s, p, literal_(v, rng))
                if key in labels:
                    name = (labels[key], label(str(v), language_of(str(v), key)))
                    if name not in named:
                        named.add(name)
                        yield make(s, *name)
        yield from evidence(s, node.evidence)
    reify = terms.reify
    for edge in kg.edges.values():
        s, p, o = iri(edge.source), eco_(edge.prop), iri(edge.target)
        yield make(s, p, o)
        if edge.evidence:
            st = iri(statement_iri(edge.source, edge.prop, edge.target))
            yield make(st, rdf_type, terms.rdf_statement)
            for part, term in zip(reify, (s, p, o)):
                yield make(st, part, term)
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


def to_rdflib(kg: GraphReader) -> Any:
    """The graph as an :class:`rdflib.Graph` (with the ecokg prefixes bound)."""
    import rdflib

    data = ox.serialize(to_triples(kg), format=ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.parse(data=(data or b"").decode("utf-8"), format="nt")
    return g
