"""The ecokg ontology: the hand-written OWL (``ecokg.ttl``) and SHACL shapes (``shapes.ttl``).

Everything else derives from these files: :mod:`ecokg.ontology.terms` (generated
constants, a typo raises) and :mod:`ecokg.ontology.schema` (classes, properties,
Neo4j labels and relationship types).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ECO_NS = "https://w3id.org/ecokg/ontology#"
ID_NS = "https://w3id.org/ecokg/id/"


def ontology_path() -> Path:
    """Path of the OWL ontology in Turtle."""
    return Path(str(resources.files(__name__).joinpath("ecokg.ttl")))


def shapes_path() -> Path:
    """Path of the SHACL shapes in Turtle."""
    return Path(str(resources.files(__name__).joinpath("shapes.ttl")))
