"""Read the ontology once and derive what code needs from it.

The ontology is the single source of truth: node labels, relationship types,
property datatypes and the class hierarchy all come from ``ecokg.ttl``.

>>> s = get_schema()
>>> s.rel_type("inOrganisation")
'IN_ORGANISATION'
>>> "Organisation" in s.ancestors("Bank")
True
>>> s.is_evidenced("developedBy")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from ecokg.errors import SchemaError
from ecokg.ontology import ECO_NS, ontology_path


def upper_snake(local: str) -> str:
    """``inOrganisation`` -> ``IN_ORGANISATION``.

    >>> upper_snake("parentOrganisation")
    'PARENT_ORGANISATION'
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local).upper()


_ANCESTORS: dict[tuple[int, str], tuple[str, ...]] = {}


@dataclass(frozen=True)
class Schema:
    """Classes and properties of the ecokg namespace, with derived names."""

    classes: dict[str, tuple[str, ...]]  # class -> its eco: superclasses (direct)
    object_properties: dict[str, bool]  # property -> is an EvidencedRelation
    datatype_properties: dict[str, str]  # property -> xsd range IRI
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # term -> {lang: label}

    def iri(self, local: str) -> str:
        """Full IRI of a term; raises :class:`SchemaError` if the ontology lacks it."""
        if local in self.classes or local in self.object_properties or local in self.datatype_properties:
            return ECO_NS + local
        raise SchemaError(f"eco:{local} is not defined in the ontology")

    def check_class(self, local: str) -> str:
        if local not in self.classes:
            raise SchemaError(f"eco:{local} is not a class of the ontology")
        return local

    def ancestors(self, cls: str) -> list[str]:
        """The class and all its eco: superclasses, most specific first."""
        cached = _ANCESTORS.get((id(self), cls))
        if cached is not None:
            return list(cached)
        self.check_class(cls)
        out: list[str] = []
        todo = [cls]
        while todo:
            c = todo.pop(0)
            if c not in out:
                out.append(c)
                todo.extend(self.classes.get(c, ()))
        _ANCESTORS[(id(self), cls)] = tuple(out)
        return out

    def most_specific(self, classes: "Iterable[str]") -> list[str]:
        """The classes of a set that are no superclass of another member, sorted.

        >>> get_schema().most_specific(["Organisation", "Company", "CloudProvider", "Investor", "Fund"])
        ['CloudProvider', 'Fund']
        """
        cs = [c for c in set(classes) if c in self.classes]
        return sorted(c for c in cs if not any(c != d and c in self.ancestors(d) for d in cs))

    def descendants(self, cls: str) -> list[str]:
        """The class and every eco: class below it."""
        self.check_class(cls)
        return [c for c in self.classes if cls in self.ancestors(c)]

    def rel_type(self, prop: str) -> str:
        """The Neo4j relationship type of an object property."""
        if prop not in self.object_properties:
            raise SchemaError(f"eco:{prop} is not an object property of the ontology")
        return upper_snake(prop)

    def is_evidenced(self, prop: str) -> bool:
        self.rel_type(prop)
        return self.object_properties[prop]

    def label(self, term: str, lang: str = "en") -> str:
        return self.labels.get(term, {}).get(lang, term)


def _local(iri: URIRef) -> str | None:
    s = str(iri)
    return s[len(ECO_NS):] if s.startswith(ECO_NS) else None


@lru_cache(maxsize=1)
def get_schema() -> Schema:
    """Parse ``ecokg.ttl`` once and return its :class:`Schema`."""
    g = Graph()
    g.parse(ontology_path(), format="turtle")
    eco_evidenced = URIRef(ECO_NS + "EvidencedRelation")
    classes: dict[str, tuple[str, ...]] = {}
    for c in g.subjects(RDF.type, OWL.Class):
        lc = _local(c)
        if lc is None or lc == "EvidencedRelation":
            continue
        supers = tuple(sorted(x for x in (_local(s) for s in g.objects(c, RDFS.subClassOf)) if x))
        classes[lc] = supers
    objs: dict[str, bool] = {}
    for p in g.subjects(RDF.type, OWL.ObjectProperty):
        lp = _local(p)
        if lp:
            objs[lp] = (p, RDF.type, eco_evidenced) in g
    dts: dict[str, str] = {}
    for p in g.subjects(RDF.type, OWL.DatatypeProperty):
        lp = _local(p)
        if lp:
            rng = g.value(p, RDFS.range)
            dts[lp] = str(rng) if rng else ""
    labels: dict[str, dict[str, str]] = {}
    for s, o in g.subject_objects(RDFS.label):
        ls = _local(s)
        if ls:
            labels.setdefault(ls, {})[getattr(o, "language", None) or "en"] = str(o)
    return Schema(
        classes=dict(sorted(classes.items())),
        object_properties=dict(sorted(objs.items())),
        datatype_properties=dict(sorted(dts.items())),
        labels=labels,
    )
