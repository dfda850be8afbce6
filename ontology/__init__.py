"""The ecokg ontology: the hand-written OWL (``ecokg.ttl``) and SHACL shapes (``shapes.ttl``).

This is the lowest layer of ecokg and imports nothing else of it. Everything the code
needs to know about terms derives from these two files, in one place each:

- :mod:`ecokg.ontology.schema`: classes, properties, labels, colours, Neo4j labels and
  relationship types, the evidence field mapping;
- :mod:`ecokg.ontology.terms`: generated constants (``C.Person``, ``P.holds``, ``D.name``),
  so that no class or property name is typed by hand elsewhere (a typo raises);
- :mod:`ecokg.ontology.iris`: the one scheme that mints IRIs;
- :mod:`ecokg.ontology.literals`: the one conversion of values to and from RDF and Neo4j;
- :mod:`ecokg.ontology.neo4j`: constraints and indexes for Neo4j;
- :mod:`ecokg.ontology.errors`: the exception hierarchy (public as :mod:`ecokg.errors`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ECO_NS = "https://w3id.org/ecokg/ontology#"
ONTOLOGY_IRI = "https://w3id.org/ecokg/ontology"  # the owl:Ontology, and the named graph that holds it
ID_NS = "https://w3id.org/ecokg/id/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

#: Prefixes predefined for SPARQL queries and used when writing Turtle and JSON-LD.
PREFIXES: dict[str, str] = {
    "eco": ECO_NS,
    "id": ID_NS,
    "rdf": RDF_NS,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD_NS,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def ontology_path() -> Path:
    """Path of the OWL ontology in Turtle."""
    return Path(str(resources.files(__name__).joinpath("ecokg.ttl")))


def shapes_path() -> Path:
    """Path of the SHACL shapes in Turtle."""
    return Path(str(resources.files(__name__).joinpath("shapes.ttl")))


def sparql_prologue() -> str:
    """``PREFIX`` lines for every predefined prefix, for tools that do not predefine them.

    >>> sparql_prologue().splitlines()[0]
    'PREFIX eco: <https://w3id.org/ecokg/ontology#>'
    """
    return "\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items()) + "\n"
