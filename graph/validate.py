"""Validate a graph against the SHACL shapes of the ontology (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass

from ecokg.graph.model import KnowledgeGraph
from ecokg.ontology import shapes_path


@dataclass
class ValidationReport:
    """The outcome of a SHACL validation: whether the data conforms, and pyshacl's report."""

    conforms: bool
    violations: int
    text: str


def validate(kg: KnowledgeGraph) -> ValidationReport:
    """Run pyshacl on the RDF form of ``kg`` with the project's shapes.

    The RDF form carries every superclass as ``rdf:type``, so no inference is run.
    """
    import pyshacl
    from ecokg.graph.rdf import to_rdflib
    from rdflib import RDF, SH, Graph

    shapes = Graph().parse(shapes_path(), format="turtle")
    conforms, report_graph, text = pyshacl.validate(
        to_rdflib(kg), shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
    )
    n = len(list(report_graph.subjects(RDF.type, SH.ValidationResult)))
    return ValidationReport(bool(conforms), n, str(text))
