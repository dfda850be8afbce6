"""Read the ontology once and derive what code needs from it.

The ontology is the single source of truth: classes and their hierarchy, object and
datatype properties with their ranges, labels in Chinese and English, display colours,
the classes found by name, the evidence record's fields, and the allowed evidence
bases (from the SHACL shapes) all come from ``ecokg.ttl`` and ``shapes.ttl``.

>>> s = get_schema()
>>> s.rel_type("inOrganisation")
'IN_ORGANISATION'
>>> s.property_of_type("IN_ORGANISATION")
'inOrganisation'
>>> "Organisation" in s.ancestors("Bank")
True
>>> s.is_evidenced("developedBy")
True
>>> s.evidence_fields["start"]
'startOffset'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from ecokg.ontology import ECO_NS, ontology_path, shapes_path
from ecokg.ontology.errors import SchemaError
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

_ECO = {name: URIRef(ECO_NS + name) for name in
        ("EvidencedRelation", "displayColour", "searchRank", "multiValued", "fieldName", "basis")}


@lru_cache(maxsize=1024)
def upper_snake(local: str) -> str:
    """``inOrganisation`` -> ``IN_ORGANISATION``.

    >>> upper_snake("parentOrganisation")
    'PARENT_ORGANISATION'
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local).upper()


@dataclass(frozen=True)
class Schema:
    """Classes and properties of the ``eco:`` namespace, with everything derived from them."""

    classes: dict[str, tuple[str, ...]]  # class -> its direct eco: superclasses
    object_properties: dict[str, bool]  # property -> is an EvidencedRelation
    datatype_properties: dict[str, str]  # property -> xsd range IRI
    object_ranges: dict[str, str | None] = field(default_factory=dict)  # property -> range class
    object_domains: dict[str, str | None] = field(default_factory=dict)  # property -> domain class
    multi_valued: frozenset[str] = frozenset()
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # term -> {lang: label}
    colours: dict[str, str] = field(default_factory=dict)  # class -> #rrggbb
    search_ranks: dict[str, int] = field(default_factory=dict)  # class -> rank (1 first)
    evidence_fields: dict[str, str] = field(default_factory=dict)  # Evidence field -> property
    bases: tuple[str, ...] = ()  # allowed values of eco:basis (SHACL sh:in)
    evidence_class: str = ""  # the domain of the properties with an eco:fieldName
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    # -- terms ------------------------------------------------------------------
    def iri(self, local: str) -> str:
        """Full IRI of a term; raises :class:`SchemaError` if the ontology lacks it."""
        if local in self.classes or local in self.object_properties or local in self.datatype_properties:
            return ECO_NS + local
        raise SchemaError(f"eco:{local} is not defined in the ontology")

    def local(self, iri: str) -> str:
        """The local name of an ``eco:`` IRI that the ontology defines.

        >>> get_schema().local("https://w3id.org/ecokg/ontology#Person")
        'Person'
        """
        if not iri.startswith(ECO_NS):
            raise SchemaError(f"{iri} is not in the eco: namespace")
        name = iri[len(ECO_NS):]
        self.iri(name)
        return name

    def check_class(self, local: str) -> str:
        if local not in self.classes:
            raise SchemaError(f"eco:{local} is not a class of the ontology")
        return local

    def check_datatype_property(self, local: str) -> str:
        if local not in self.datatype_properties:
            raise SchemaError(f"eco:{local} is not a datatype property of the ontology")
        return local

    # -- the class hierarchy ------------------------------------------------------
    def ancestors(self, cls: str) -> tuple[str, ...]:
        """The class and all its eco: superclasses, most specific first."""
        cached = self._ancestors.get(cls)
        if cached is not None:
            return cached
        self.check_class(cls)
        out: list[str] = []
        todo = [cls]
        while todo:
            c = todo.pop(0)
            if c not in out:
                out.append(c)
                todo.extend(self.classes.get(c, ()))
        self._ancestors[cls] = tuple(out)
        return self._ancestors[cls]

    def closure(self, classes: Iterable[str]) -> list[str]:
        """Every class of ``classes`` with all their superclasses, sorted.

        >>> get_schema().closure(["Bank"])
        ['Bank', 'Organisation']
        """
        out: set[str] = set()
        for c in classes:
            out.update(self.ancestors(c))
        return sorted(out)

    def most_specific(self, classes: Iterable[str]) -> list[str]:
        """The classes of a set that are no superclass of another member, sorted.

        >>> get_schema().most_specific(["Organisation", "Company", "CloudProvider", "Investor", "Fund"])
        ['CloudProvider', 'Fund']
        """
        cs = [c for c in set(classes) if c in self.classes]
        return sorted(c for c in cs if not any(c != d and c in self.ancestors(d) for d in cs))

    def descendants(self, cls: str) -> list[str]:
        """The class and every eco: class below it, sorted."""
        self.check_class(cls)
        return sorted(c for c in self.classes if cls in self.ancestors(c))

    def is_a(self, classes: Iterable[str], cls: str) -> bool:
        """True when one of ``classes`` is ``cls`` or below it."""
        return any(cls in self.ancestors(c) for c in classes if c in self.classes)

    def root_classes(self) -> list[str]:
        """Classes with no eco: superclass: each gets a uniqueness constraint on ``id`` in Neo4j."""
        return [c for c, supers in self.classes.items() if not supers]

    def root_of(self, classes: Iterable[str]) -> str:
        """The root class above ``classes`` (every ecokg node has exactly one)."""
        roots = {a for c in classes for a in self.ancestors(c) if not self.classes[a]}
        if len(roots) != 1:
            raise SchemaError(f"expected one root class above {sorted(classes)}, found {sorted(roots)}")
        return roots.pop()

    # -- properties ---------------------------------------------------------------
    def rel_type(self, prop: str) -> str:
        """The Neo4j relationship type of an object property."""
        if prop not in self.object_properties:
            raise SchemaError(f"eco:{prop} is not an object property of the ontology")
        return upper_snake(prop)

    def property_of_type(self, rel_type: str) -> str:
        """The object property behind a Neo4j relationship type (the inverse of :meth:`rel_type`)."""
        for p in self.object_properties:
            if upper_snake(p) == rel_type:
                return p
        raise SchemaError(f"{rel_type!r} is not a relationship type of the ontology")

    def is_evidenced(self, prop: str) -> bool:
        """True when ``prop`` states a fact that carries its own evidence (an eco:EvidencedRelation)."""
        self.rel_type(prop)
        return self.object_properties[prop]

    def is_multi(self, prop: str) -> bool:
        return prop in self.multi_valued

    @property
    def evidence_link(self) -> str:
        """The object property from an entity or statement to its evidence (range: the evidence class)."""
        links = [p for p, r in self.object_ranges.items() if r == self.evidence_class]
        if len(links) != 1:
            raise SchemaError(f"expected one object property whose range is the evidence class, found {links}")
        return links[0]

    @property
    def source_class(self) -> str:
        """The class of source documents (the range of the evidence's ``source`` field)."""
        rng = self.object_ranges.get(self.evidence_fields["source"])
        if rng is None:
            raise SchemaError("the evidence's source property has no range")
        return rng

    # -- presentation -------------------------------------------------------------
    def label(self, term: str, lang: str = "en") -> str:
        return self.labels.get(term, {}).get(lang, term)

    def colour(self, cls: str) -> str | None:
        """The display colour of a class, or of its nearest superclass that has one."""
        for c in self.ancestors(cls) if cls in self.classes else ():
            if c in self.colours:
                return self.colours[c]
        return None

    @property
    def entity_classes(self) -> tuple[str, ...]:
        """The classes found by name, in order of preference."""
        return tuple(sorted(self.search_ranks, key=lambda c: self.search_ranks[c]))

    def search_class(self, classes: Iterable[str]) -> str | None:
        """The searchable class a node of ``classes`` is found under (the best-ranked ancestor)."""
        found = {a for c in classes if c in self.classes for a in self.ancestors(c) if a in self.search_ranks}
        return min(found, key=lambda c: self.search_ranks[c]) if found else None


def _local(term: Node | None) -> str | None:
    s = str(term) if term is not None else ""
    return s[len(ECO_NS):] if s.startswith(ECO_NS) else None


def _locals(g: Graph, kind: URIRef) -> list[tuple[URIRef, str]]:
    out = []
    for s in g.subjects(RDF.type, kind):
        name = _local(s)
        if name and isinstance(s, URIRef):
            out.append((s, name))
    return sorted(out, key=lambda x: x[1])


def _bases(shapes: Graph) -> tuple[str, ...]:
    """The values SHACL allows for ``eco:basis`` (its ``sh:in`` list)."""
    for prop in shapes.subjects(SH.path, _ECO["basis"]):
        for lst in shapes.objects(prop, SH["in"]):
            return tuple(str(x) for x in Collection(shapes, lst))
    raise SchemaError("the shapes give no sh:in list for eco:basis")


@lru_cache(maxsize=1)
def get_schema() -> Schema:
    """Parse ``ecokg.ttl`` (and the bases of ``shapes.ttl``) once and return the :class:`Schema`."""
    g = Graph()
    g.parse(ontology_path(), format="turtle")
    classes: dict[str, tuple[str, ...]] = {}
    for c, name in _locals(g, OWL.Class):
        if name == "EvidencedRelation":
            continue
        classes[name] = tuple(sorted(x for x in (_local(s) for s in g.objects(c, RDFS.subClassOf)) if x))
    objs: dict[str, bool] = {}
    ranges: dict[str, str | None] = {}
    domains_: dict[str, str | None] = {}
    for p, name in _locals(g, OWL.ObjectProperty):
        objs[name] = (p, RDF.type, _ECO["EvidencedRelation"]) in g
        ranges[name] = _local(g.value(p, RDFS.range))
        domains_[name] = _local(g.value(p, RDFS.domain))
    dts: dict[str, str] = {}
    for p, name in _locals(g, OWL.DatatypeProperty):
        rng = g.value(p, RDFS.range)
        dts[name] = str(rng) if rng is not None else ""
    labels: dict[str, dict[str, str]] = {}
    for s, o in g.subject_objects(RDFS.label):
        ls = _local(s)
        if ls and isinstance(o, Literal):
            labels.setdefault(ls, {})[o.language or "en"] = str(o)

    def annotated(prop: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for s, o in g.subject_objects(_ECO[prop]):
            name = _local(s)
            if name:
                out[name] = str(o)
        return out

    fields = {v: k for k, v in annotated("fieldName").items()}
    domains = {_local(g.value(URIRef(ECO_NS + p), RDFS.domain)) for p in fields.values()}
    if len(domains) != 1 or None in domains:
        raise SchemaError(f"the properties with an eco:fieldName must share one domain, not {domains}")
    return Schema(
        classes=classes,
        object_properties=objs,
        datatype_properties=dts,
        object_ranges=ranges,
        object_domains=domains_,
        multi_valued=frozenset(k for k, v in annotated("multiValued").items() if v == "true"),
        labels=labels,
        colours=annotated("displayColour"),
        search_ranks={k: int(v) for k, v in annotated("searchRank").items()},
        evidence_fields=dict(sorted(fields.items())),
        bases=_bases(Graph().parse(shapes_path(), format="turtle")),
        evidence_class=str(domains.pop()),
    )
