"""Parts of the model read through the store: some nodes with their classes, properties and
evidence, and some edges with theirs, as a small :class:`~ecokg.graph.model.KnowledgeGraph`.

A view draws at most a thousand nodes; it reads their shape from the
:mod:`~ecokg.graph.skeleton` and then only these nodes and edges in full, never the whole graph.
What comes back is exactly what :meth:`~ecokg.graph.stores.base.GraphStore.read` would give for
those nodes and edges (same classes, values and evidence, in the same canonical order), from
either store: each read is written in SPARQL and in Cypher, side by side.

>>> from ecokg.graph.model import Evidence, KnowledgeGraph
>>> from ecokg.graph.stores.oxigraph import RdfStore
>>> from ecokg.ontology.terms import C, D, P
>>> kg = KnowledgeGraph()
>>> ev = Evidence(source="https://w3id.org/ecokg/id/source/s", quote="A 属于 S", basis="bluebook", start=0, end=6)
>>> a, s = "https://w3id.org/ecokg/id/org/a", "https://w3id.org/ecokg/id/sector/s"
>>> _ = kg.add_node(a, C.Company, {D.name: "A"}, ev)
>>> _ = kg.add_node(s, C.Sector, {D.name: "S"})
>>> _ = kg.add_edge(a, P.inSector, s, ev)
>>> store = RdfStore()
>>> _ = store.write(kg)
>>> part = read_part(store, [a, s], links(store, [a], [P.inSector]))
>>> part.canonical() == kg.canonical()
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.graph.stores.base import GraphStore
from ecokg.ontology import ECO_NS, RDF_NS, literals
from ecokg.ontology.errors import QueryError
from ecokg.ontology.iris import is_ecokg_iri, statement_iri
from ecokg.ontology.neo4j import EVIDENCE_LIST, ID, check_identifier
from ecokg.ontology.schema import Schema, get_schema
from ecokg.ontology.terms import D

#: IRIs per SPARQL ``VALUES`` block (a query stays well under the 1 MB the guard allows).
CHUNK = 2000
RDF_TYPE = RDF_NS + "type"

Triple = tuple[str, str, str]
NodeFacts = tuple[set[str], dict[str, Any], list[str]]  # classes, properties, evidence ids


@dataclass
class PartCache:
    """What :func:`read_part` has read, kept so that views drawing the same nodes read them once."""

    nodes: dict[str, NodeFacts] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    edge_evidence: dict[Triple, list[str]] = field(default_factory=dict)


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


#: What SPARQL allows inside ``<...>`` (IRIREF): no spaces, controls, ``<>"{}|^`\``.
_IRI = re.compile(r'^[^\x00-\x20<>"{}|^`\\]+$')


def values(ids: Iterable[str]) -> str:
    """The ``VALUES`` content of node ids: IRIs the store gave (checked anyway: an id that could end
    the ``<...>`` it is written in is refused)."""
    out = []
    for i in ids:
        if not (is_ecokg_iri(i) or _IRI.match(i)):
            raise QueryError(f"not an IRI: {i!r}")
        out.append(f"<{i}>")
    return " ".join(out)


def _model_value(value: Any, rng: str) -> Any:
    """A value as a store's query gives it (decimals as floats) back as the model's value: both stores
    give canonical decimals, which survive the float (see :mod:`ecokg.ontology.literals`)."""
    return literals.from_neo4j(value, rng)


class _Roots:
    """Cypher reads look nodes up by their root label, where the ``id`` constraint's index is."""

    def __init__(self, schema: Schema, roots: Mapping[str, str] | None) -> None:
        self.schema, self.roots = schema, roots or {}

    def groups(self, ids: Iterable[str]) -> dict[str | None, list[str]]:
        out: dict[str | None, list[str]] = defaultdict(list)
        for i in dict.fromkeys(ids):
            out[self.roots.get(i)].append(i)
        return out

    def match(self, var: str, root: str | None) -> str:
        """``MATCH`` of the node ``var`` whose id is ``x`` (``UNWIND $ids AS x`` before it)."""
        if root is None:
            return f"MATCH ({var}) WHERE {var}.{ID} = x"
        return f"MATCH ({var}:{check_identifier(root)} {{{ID}: x}})"


def _per_node(store: GraphStore, ids: Sequence[str], roots: Mapping[str, str] | None, cypher: str, sparql: str,
              params: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of one read asked of the nodes ``ids``: on Neo4j ``UNWIND $ids AS x MATCH (n ...)``
    then ``cypher``, once per root label (``roots``: where the ``id`` index is); on the embedded store
    ``sparql`` with ``$IDS`` filled by the ``VALUES`` of a chunk of ids at a time. ``params`` go to
    the Cypher. Both queries name their columns alike."""
    if store.language == "cypher":
        r = _Roots(get_schema(), roots)
        for root, group in r.groups(ids).items():
            yield from store.query(f"UNWIND $ids AS x {r.match('n', root)} {cypher}", {**(params or {}), "ids": group})
        return
    for chunk in _chunks(ids):
        yield from store.query(sparql.replace("$IDS", values(chunk)))


def roots_of(classes: Mapping[str, Iterable[str]], schema: Schema | None = None) -> dict[str, str]:
    """The root class of each node, from its classes (what :func:`read_part` needs on Neo4j)."""
    schema = schema or get_schema()
    return {n: schema.root_of(cs) for n, cs in classes.items()}


# -- edges -------------------------------------------------------------------------------------------

def links(store: GraphStore, ids: Iterable[str], props: Iterable[str], *, incoming: bool = False,
          roots: Mapping[str, str] | None = None) -> list[Triple]:
    """The ``(source, prop, target)`` of every edge of ``props`` out of ``ids`` (into them with
    ``incoming``), sorted; no evidence (:func:`read_part` reads it)."""
    schema = get_schema()
    wanted = sorted(set(props))
    ids = sorted(set(ids))
    if not wanted or not ids:
        return []
    found: set[Triple] = set()
    cypher = store.language == "cypher"
    preds = ", ".join(f"eco:{p}" for p in wanted)
    # on the embedded store a FILTER, not a second VALUES block: oxigraph 0.5 joins two VALUES blocks
    # by scanning every triple of the properties (15x slower at 100k entities)
    rows = _per_node(store, ids, roots,
                     f"MATCH {'(n)<-[r]-(o)' if incoming else '(n)-[r]->(o)'} WHERE type(r) IN $types "
                     f"RETURN n.{ID} AS n, type(r) AS p, o.{ID} AS o",
                     f"SELECT ?n ?p ?o WHERE {{ VALUES ?n {{ $IDS }} {'?o ?p ?n' if incoming else '?n ?p ?o'} "
                     f"FILTER(?p IN ({preds})) }}",
                     {"types": [schema.rel_type(p) for p in wanted]})
    for row in rows:
        if cypher and not isinstance(row["o"], str):
            continue
        p = schema.property_of_type(row["p"]) if cypher else str(row["p"])[len(ECO_NS):]
        found.add((row["o"], p, row["n"]) if incoming else (row["n"], p, row["o"]))
    return sorted(found)


# -- nodes, edges and evidence in full ----------------------------------------------------------------

def _nodes_sparql(store: GraphStore, ids: Sequence[str], schema: Schema
                  ) -> dict[str, tuple[set[str], dict[str, Any], list[str]]]:
    out: dict[str, tuple[set[str], dict[str, Any], list[str]]] = {}
    link = ECO_NS + schema.evidence_link
    for chunk in _chunks(ids):
        rows = store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values(chunk)} }} ?s ?p ?o "
                           f"FILTER((isLiteral(?o) && STRSTARTS(STR(?p), STR(eco:))) || ?p = rdf:type "
                           f"|| ?p = eco:{schema.evidence_link}) }}")
        for row in rows:
            s, p, o = row["s"], str(row["p"]), row["o"]
            classes, props, evs = out.setdefault(s, (set(), {}, []))
            if p == RDF_TYPE:
                if isinstance(o, str) and o.startswith(ECO_NS):
                    classes.add(o[len(ECO_NS):])
            elif p == link:
                evs.append(str(o))
            elif p.startswith(ECO_NS) and p[len(ECO_NS):] in schema.datatype_properties:
                local = p[len(ECO_NS):]
                value = _model_value(o, schema.datatype_properties[local])
                if schema.is_multi(local):
                    props.setdefault(local, []).append(value)
                else:
                    props[local] = value
    return out


def _nodes_cypher(store: GraphStore, ids: Sequence[str], schema: Schema, roots: Mapping[str, str] | None
                  ) -> dict[str, tuple[set[str], dict[str, Any], list[str]]]:
    out: dict[str, tuple[set[str], dict[str, Any], list[str]]] = {}
    r = _Roots(schema, roots)
    ev_type = schema.rel_type(schema.evidence_link)
    for root, group in r.groups(ids).items():
        rows = store.query(f"UNWIND $ids AS x {r.match('n', root)} OPTIONAL MATCH (n)-[:{ev_type}]->(e) "
                           f"RETURN n.{ID} AS id, labels(n) AS labels, properties(n) AS p, collect(e.{ID}) AS ev",
                           {"ids": list(group)})
        for row in rows:
            props = {k: _model_value(v, schema.datatype_properties[k]) for k, v in row["p"].items()
                     if k in schema.datatype_properties}
            out[row["id"]] = ({lb for lb in row["labels"] if lb in schema.classes}, props, list(row["ev"]))
    return out


def read_evidence(store: GraphStore, ids: Iterable[str]) -> dict[str, Evidence]:
    """The evidence of these ids."""
    schema = get_schema()
    fields = {prop: fld for fld, prop in schema.evidence_fields.items()}
    wanted = sorted(set(ids))
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    if store.language == "cypher":
        src = schema.rel_type(schema.evidence_fields["source"])
        cls = check_identifier(schema.evidence_class)
        for chunk in _chunks(wanted, 20_000):
            for row in store.query(f"UNWIND $ids AS x MATCH (e:{cls} {{{ID}: x}}) OPTIONAL MATCH (e)-[:{src}]->(s) "
                                   f"RETURN properties(e) AS p, s.{ID} AS source", {"ids": list(chunk)}):
                values_ = {fields[k]: _model_value(v, schema.datatype_properties[k])
                           for k, v in row["p"].items() if k in fields}
                found[row["p"][ID]] = {**values_, "source": row["source"]}
    else:
        for chunk in _chunks(wanted):
            for row in store.query(f"SELECT ?e ?p ?o WHERE {{ VALUES ?e {{ {values(chunk)} }} ?e ?p ?o "
                                   "FILTER(?p != rdf:type) }"):
                p = str(row["p"])
                local = p[len(ECO_NS):] if p.startswith(ECO_NS) else ""
                if local in fields:
                    rng = schema.datatype_properties.get(local)
                    found[row["e"]][fields[local]] = row["o"] if rng is None else _model_value(row["o"], rng)
    return {e: Evidence(**f) for e, f in found.items()}


def _edge_evidence(store: GraphStore, edges: Sequence[Triple], schema: Schema, roots: Mapping[str, str] | None
                   ) -> dict[Triple, list[str]]:
    """The evidence ids of each evidenced edge (an ``rdf:Statement`` in RDF, a list on the relationship in Neo4j)."""
    evidenced = [e for e in edges if schema.is_evidenced(e[1])]
    out: dict[Triple, list[str]] = {}
    if not evidenced:
        return out
    if store.language == "cypher":
        r = _Roots(schema, roots)
        by_source: dict[str, list[Triple]] = defaultdict(list)
        for e in evidenced:
            by_source[e[0]].append(e)
        types = sorted({schema.rel_type(e[1]) for e in evidenced})
        for root, group in r.groups(by_source).items():
            rows = store.query(f"UNWIND $ids AS x {r.match('n', root)} MATCH (n)-[r]->(o) WHERE type(r) IN $types "
                               f"RETURN n.{ID} AS s, type(r) AS t, o.{ID} AS o, r.{EVIDENCE_LIST} AS ev",
                               {"ids": list(group), "types": types})
            wanted = set(evidenced)
            for row in rows:
                key = (row["s"], schema.property_of_type(row["t"]), row["o"])
                if key in wanted:
                    out[key] = list(row["ev"] or [])
        return out
    statements = {statement_iri(*e): e for e in evidenced}
    for chunk in _chunks(sorted(statements)):
        for row in store.query(f"SELECT ?st ?e WHERE {{ VALUES ?st {{ {values(chunk)} }} "
                               f"?st eco:{schema.evidence_link} ?e }}"):
            out.setdefault(statements[row["st"]], []).append(row["e"])
    return out


def read_part(store: GraphStore, ids: Iterable[str], edges: Iterable[Triple] = (), *,
              roots: Mapping[str, str] | None = None, cache: PartCache | None = None) -> KnowledgeGraph:
    """The nodes ``ids`` (classes, properties, evidence) and the ``edges`` (with their evidence) as a
    model graph in canonical order; ``roots`` (node id -> root class) lets Neo4j use its id indexes
    (without it a node is found by a scan); ``cache`` keeps what was read for the next call."""
    schema = get_schema()
    cache = cache if cache is not None else PartCache()
    wanted = sorted(set(ids))
    edge_list = sorted(set(edges))
    missing = [n for n in wanted if n not in cache.nodes]
    if missing:
        found = (_nodes_cypher(store, missing, schema, roots) if store.language == "cypher"
                 else _nodes_sparql(store, missing, schema))
        cache.nodes.update(found)
    unknown = [e for e in edge_list if e not in cache.edge_evidence]
    if unknown:
        found_ev = _edge_evidence(store, unknown, schema, roots)
        for e in unknown:
            cache.edge_evidence[e] = found_ev.get(e, [])
    nodes = {n: cache.nodes[n] for n in wanted if n in cache.nodes}
    needed = {e for _, _, evs in nodes.values() for e in evs} | {e for x in edge_list for e in cache.edge_evidence[x]}
    cache.evidence.update(read_evidence(store, needed - set(cache.evidence)))
    evidence = cache.evidence
    kg = KnowledgeGraph(schema)
    for n in wanted:
        if n not in nodes:
            continue
        classes, props, evs = nodes[n]
        node_ev = [evidence[e] for e in evs if e in evidence]
        for c in schema.most_specific(classes):
            kg.add_node(n, c, props, node_ev)
    for s, p, o in edge_list:
        kg.add_edge(s, p, o, [evidence[e] for e in cache.edge_evidence[(s, p, o)] if e in evidence] or None)
    return kg.ordered()


def read_names(store: GraphStore, ids: Iterable[str], roots: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``name`` of each of ``ids`` that has one."""
    wanted = sorted(set(ids))
    out: dict[str, str] = {}
    name = D.name
    for row in _per_node(store, wanted, roots, f"RETURN n.{ID} AS n, n.{name} AS name",
                         f"SELECT ?n ?name WHERE {{ VALUES ?n {{ $IDS }} ?n eco:{name} ?name }}"):
        if row["name"] is not None:
            out[row["n"]] = str(row["name"])
    return out


def evidence_bases(store: GraphStore, ids: Iterable[str], roots: Mapping[str, str] | None = None
                   ) -> dict[str, set[str]]:
    """The bases of the evidence of each of ``ids`` (no other field of the evidence is read)."""
    schema = get_schema()
    wanted = sorted(set(ids))
    out: dict[str, set[str]] = defaultdict(set)
    basis = schema.evidence_fields["basis"]
    link = schema.evidence_link
    for row in _per_node(store, wanted, roots,
                         f"MATCH (n)-[:{schema.rel_type(link)}]->(e) RETURN n.{ID} AS n, e.{basis} AS b",
                         f"SELECT ?n ?b WHERE {{ VALUES ?n {{ $IDS }} ?n eco:{link} ?e . ?e eco:{basis} ?b }}"):
        out[row["n"]].add(str(row["b"]))
    return dict(out)


def edge_bases(store: GraphStore, edges: Iterable[Triple], roots: Mapping[str, str] | None = None
               ) -> dict[Triple, set[str]]:
    """The bases of the evidence of each evidenced edge of ``edges``."""
    schema = get_schema()
    evidenced = sorted({e for e in edges if schema.is_evidenced(e[1])})
    ids = _edge_evidence(store, evidenced, schema, roots)
    found = evidence_bases_of(store, {e for evs in ids.values() for e in evs})
    return {e: {found[x] for x in evs if x in found} for e, evs in ids.items()}


def evidence_bases_of(store: GraphStore, evidence: Iterable[str]) -> dict[str, str]:
    """The basis of each piece of evidence."""
    schema = get_schema()
    wanted = sorted(set(evidence))
    basis = schema.evidence_fields["basis"]
    out: dict[str, str] = {}
    if store.language == "cypher":
        cls = check_identifier(schema.evidence_class)
        for row in store.query(f"UNWIND $ids AS x MATCH (e:{cls} {{{ID}: x}}) RETURN e.{ID} AS e, e.{basis} AS b",
                               {"ids": wanted}):
            out[row["e"]] = str(row["b"])
        return out
    for chunk in _chunks(wanted):
        for row in store.query(f"SELECT ?e ?b WHERE {{ VALUES ?e {{ {values(chunk)} }} ?e eco:{basis} ?b }}"):
            out[row["e"]] = str(row["b"])
    return out
