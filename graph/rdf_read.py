"""Read an ecokg graph back from RDF into a :class:`KnowledgeGraph`.

The inverse of :func:`ecokg.graph.rdf.to_triples`: commands that work on a built
graph (``load neo4j``, ``viz``, ``analyze``) start from the store ``ecokg build``
wrote, so they see exactly what was validated and written.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.graph.rdf import RDF_NS, XSD
from ecokg.ontology import ECO_NS

_EV_FIELDS = {"inSource": "source", "quote": "quote", "basis": "basis", "startOffset": "start",
              "endOffset": "end", "line": "line", "basisNote": "note"}
_MULTI = {"alias", "descriptor"}


def _py(term: ox.Literal) -> Any:
    dt = term.datatype.value if term.datatype else ""
    if dt == XSD + "boolean":
        return term.value == "true"
    if dt == XSD + "integer":
        return int(term.value)
    if dt == XSD + "decimal":
        return Decimal(term.value)
    return term.value


def kg_from_store(store: ox.Store) -> KnowledgeGraph:
    """Rebuild the graph (nodes, edges, evidence) from the store's default graph."""
    kg = KnowledgeGraph()
    schema = kg.schema
    types: dict[str, set[str]] = defaultdict(set)
    props: dict[str, dict[str, Any]] = defaultdict(dict)
    ev_links: dict[str, list[str]] = defaultdict(list)
    ev_fields: dict[str, dict[str, Any]] = defaultdict(dict)
    triples: list[tuple[str, str, str]] = []
    statements: dict[str, dict[str, str]] = defaultdict(dict)
    is_statement: set[str] = set()
    for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p == RDF_NS + "type":
            if o.value.startswith(ECO_NS):
                types[s].add(o.value[len(ECO_NS):])
            elif o.value == RDF_NS + "Statement":
                is_statement.add(s)
            continue
        if p.startswith(RDF_NS):
            statements[s][p[len(RDF_NS):]] = o.value
            continue
        if not p.startswith(ECO_NS):
            continue
        local = p[len(ECO_NS):]
        if local == "evidence":
            ev_links[s].append(o.value)
        elif local in _EV_FIELDS and local != "inSource":
            ev_fields[s][_EV_FIELDS[local]] = _py(o)
        elif local == "inSource":
            ev_fields[s]["source"] = o.value
            triples.append((s, local, o.value))
        elif isinstance(o, ox.Literal):
            if local in _MULTI:
                props[s].setdefault(local, []).append(_py(o))
            else:
                props[s][local] = _py(o)
        else:
            triples.append((s, local, o.value))
    evidence = {e: Evidence(**f) for e, f in ev_fields.items() if "quote" in f}
    for s, classes in types.items():
        if "Evidence" in classes:
            continue
        # keep the most specific classes; superclasses are derived again from the ontology
        node = None
        for c in schema.most_specific(classes):
            node = kg.add_node(s, c, props.get(s), [evidence[e] for e in ev_links.get(s, []) if e in evidence])
        if node is not None:
            for k in _MULTI:
                if k in node.props:
                    node.props[k] = sorted(set(node.props[k]))
    facts: dict[tuple[str, str, str], list[Evidence]] = {}
    for st in is_statement:
        d = statements[st]
        key = (d["subject"], d["predicate"][len(ECO_NS):], d["object"])
        facts[key] = [evidence[e] for e in ev_links.get(st, []) if e in evidence]
    for s, local, o in triples:
        if local == "inSource" or s in evidence:
            continue
        kg.add_edge(s, local, o, facts.get((s, local, o)))
    return kg
