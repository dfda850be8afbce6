"""Validate instance data against the SHACL shapes of the ontology (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, SH, Graph

from ecokg.ontology import shapes_path


@dataclass
class ValidationReport:
    conforms: bool
    violations: int
    text: str


def validate(store: ox.Store) -> ValidationReport:
    """Run pyshacl on the store's default graph with the project's shapes.

    The data already carries every superclass as ``rdf:type``, so no inference is run.
    """
    import pyshacl

    data = Graph()
    nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store), format=ox.RdfFormat.N_TRIPLES)
    data.parse(data=nt.decode("utf-8"), format="nt")
    shapes = Graph().parse(shapes_path(), format="turtle")
    conforms, report_graph, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
    )
    n = len(list(report_graph.subjects(RDF.type, SH.ValidationResult)))
    return ValidationReport(bool(conforms), n, text)
