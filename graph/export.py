"""The built graph in the formats other tools read: RDF datasets with the ontology, compact
JSON-LD, and GraphML/GEXF for Gephi, yEd and Cytoscape.

- ``trig`` and ``nquads``: the data in the default graph and the ontology (``ecokg.ttl``) in
  the named graph ``<https://w3id.org/ecokg/ontology>``, so one file carries both and a
  SPARQL user can tell them apart with ``GRAPH``.
- ``jsonld``: compact JSON-LD with an ``@context`` of the ecokg prefixes (``eco:name``,
  ``id:person/...``), written by rdflib's JSON-LD serializer.
- ``turtle``, ``ntriples``: the data (the files ``ecokg build`` writes; here for symmetry).
- ``graphml`` and ``gexf``: the entity graph (:func:`ecokg.graph.nx.entity_graph`: people,
  organisations, models ... with memberships, investments and scores as edges), every
  attribute flattened to text or a number as both formats require; GEXF nodes carry the
  views' colours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

import networkx as nx
import pyoxigraph as ox
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.rdf import to_triples
from ecokg.ontology import ONTOLOGY_IRI, PREFIXES, ontology_path
from ecokg.ontology.errors import QueryError
from ecokg.ontology.schema import get_schema

ONTOLOGY_GRAPH = ONTOLOGY_IRI
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
               "nquads": ox.RdfFormat.N_QUADS}
GRAPH_FORMATS = ("graphml", "gexf")
FORMATS = (*RDF_FORMATS, "jsonld", *GRAPH_FORMATS)


def ontology_quads() -> Iterator[ox.Quad]:
    """The ontology's triples in its own named graph."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    for t in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(t.subject, t.predicate, t.object, graph)


def dataset_quads(kg: KnowledgeGraph) -> Iterator[ox.Quad]:
    """The data (default graph) and the ontology (its named graph)."""
    for t in to_triples(kg):
        yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
    yield from ontology_quads()


def write_rdf(kg: KnowledgeGraph, path: Path, fmt: str) -> int:
    """Write ``kg`` as ``fmt`` to ``path``; returns the number of triples or quads written."""
    if fmt == "jsonld":
        return _write_jsonld(kg, path)
    if fmt not in RDF_FORMATS:
        raise QueryError(f"no RDF format {fmt!r}; the formats are {', '.join(FORMATS)}")
    rdf = RDF_FORMATS[fmt]
    items: list[Any] = list(dataset_quads(kg) if fmt in ("trig", "nquads") else to_triples(kg))
    prefixes = PREFIXES if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    ox.serialize(items, str(path), rdf, prefixes=prefixes)
    return len(items)


def _write_jsonld(kg: KnowledgeGraph, path: Path) -> int:
    import rdflib

    data = ox.serialize(to_triples(kg), format=ox.RdfFormat.N_TRIPLES) or b""
    g = rdflib.Graph()
    g.parse(data=data.decode("utf-8"), format="nt")
    context = dict(PREFIXES)
    path.write_text(g.serialize(format="json-ld", context=context, auto_compact=True, indent=1), encoding="utf-8")
    return len(g)


def _flat(value: Any) -> str | int | float | bool:
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    return str(value)


def _hex_rgb(colour: str) -> dict[str, int]:
    c = colour.lstrip("#")
    return {"r": int(c[0:2], 16), "g": int(c[2:4], 16), "b": int(c[4:6], 16)}


def gephi_graph(kg: KnowledgeGraph, g: nx.MultiDiGraph[Any] | None = None) -> nx.MultiDiGraph[Any]:
    """The entity graph with attributes GraphML and GEXF can hold: ``label``, ``class``, each
    property as text or a number, and for edges ``type``, ``quote`` (the first source sentence)
    and ``sources`` (how many)."""
    from ecokg.graph.nx import entity_graph

    g = g if g is not None else entity_graph(kg)
    out: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        attrs: dict[str, Any] = {"label": str(d.get("label", n)), "class": str(d.get("cls", ""))}
        for k, v in (d.get("props") or {}).items():
            if v is not None and k not in ("label", "class"):
                attrs[k] = _flat(v)
        out.add_node(n, **attrs)
    for u, v, k, d in g.edges(keys=True, data=True):
        evidence = d.get("evidence") or []
        attrs = {"type": str(d.get("type", k)), "sources": len(evidence),
                 "quote": str(evidence[0].get("quote", "")) if evidence else ""}
        for pk, pv in (d.get("props") or {}).items():
            if pv is not None and pk not in attrs:
                attrs[pk] = _flat(pv)
        out.add_edge(u, v, key=str(k), **attrs)
    return out


def _one_type_per_key(g: nx.MultiDiGraph[Any], items: Iterable[dict[str, Any]]) -> None:
    """GraphML and GEXF declare one type per attribute: where a key holds mixed types, make it text."""
    kinds: dict[str, set[type]] = {}
    rows = list(items)
    for attrs in rows:
        for k, v in attrs.items():
            kinds.setdefault(k, set()).add(type(v))
    mixed = {k for k, ts in kinds.items() if len(ts) > 1}
    for attrs in rows:
        for k in mixed & attrs.keys():
            attrs[k] = str(attrs[k])


def write_graph(kg: KnowledgeGraph, path: Path, fmt: str) -> tuple[int, int]:
    """Write the entity graph as GraphML or GEXF; returns ``(nodes, edges)``."""
    if fmt not in GRAPH_FORMATS:
        raise QueryError(f"no graph format {fmt!r}; the formats are {', '.join(GRAPH_FORMATS)}")
    g = gephi_graph(kg)
    _one_type_per_key(g, (d for _, d in g.nodes(data=True)))
    _one_type_per_key(g, (d for _, _, d in g.edges(data=True)))
    if fmt == "graphml":
        nx.write_graphml(g, path)
    else:
        schema = get_schema()
        for _, d in g.nodes(data=True):
            colour = schema.colour(d["class"])
            if colour:
                d["viz"] = {"color": {**_hex_rgb(colour), "a": 1.0}}
        nx.write_gexf(g, path)
    return g.number_of_nodes(), g.number_of_edges()
