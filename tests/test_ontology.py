"""The ontology is the single source of truth: generated terms match it, every term
is documented in Chinese and English, and the data uses only its terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from ecokg.ontology import ECO_NS, ontology_path, shapes_path
from rdflib import OWL, RDF, RDFS, Graph, URIRef


def test_generated_terms_have_not_drifted():
    from ecokg.ontology import generate

    current = Path(generate.__file__).with_name("terms.py").read_text(encoding="utf-8")
    assert current == generate.render(), "run: python -m ecokg.ontology.generate"


def test_every_term_has_chinese_and_english_label_and_comment():
    g = Graph().parse(ontology_path(), format="turtle")
    terms = [s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in g.subjects(RDF.type, t) if str(s).startswith(ECO_NS)]
    assert len(terms) > 40
    for t in terms:
        for pred in (RDFS.label, RDFS.comment):
            langs = {o.language for o in g.objects(t, pred)}
            assert {"en", "zh"} <= langs, (t, pred, langs)


def test_shapes_only_name_terms_of_the_ontology():
    onto = Graph().parse(ontology_path(), format="turtle")
    shapes = Graph().parse(shapes_path(), format="turtle")
    defined = {str(s) for s in onto.subjects() if str(s).startswith(ECO_NS)}
    used = {str(o) for o in shapes.objects() if isinstance(o, URIRef) and str(o).startswith(ECO_NS)}
    assert used <= defined, used - defined


def test_typo_raises():
    from ecokg.graph.model import KnowledgeGraph
    from ecokg.ontology.terms import ECO

    from ecokg.errors import SchemaError

    with pytest.raises(AttributeError):
        ECO.Persn  # noqa: B018
    kg = KnowledgeGraph()
    with pytest.raises(SchemaError):
        kg.add_node("urn:x", "Person", {"nmae": "x"})
    with pytest.raises(SchemaError):
        kg.add_edge("urn:x", "worksAt", "urn:y")


def test_data_uses_only_ontology_terms(store):
    rows = store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")
    onto = Graph().parse(ontology_path(), format="turtle")
    defined = {str(s) for s in onto.subjects() if str(s).startswith(ECO_NS)}
    used = {r["p"] for r in rows if r["p"].startswith(ECO_NS)}
    assert used and used <= defined, used - defined


def test_evidence_fields_come_from_the_ontology():
    """The Python Evidence record has exactly the fields the ontology maps (eco:fieldName)."""
    import dataclasses

    from ecokg.graph.model import Evidence
    from ecokg.ontology.schema import get_schema

    s = get_schema()
    assert {f.name for f in dataclasses.fields(Evidence)} == set(s.evidence_fields)
    for prop in s.evidence_fields.values():
        assert prop in s.datatype_properties or s.object_ranges.get(prop) == s.source_class, prop
    assert s.evidence_class == "Evidence" and s.evidence_link == "evidence" and s.source_class == "SourceDocument"


def test_every_class_has_a_display_colour_and_searchable_classes_are_ranked():
    from ecokg.ontology.schema import get_schema

    s = get_schema()
    for c in s.classes:
        assert s.colour(c) and s.colour(c).startswith("#"), c
    ranks = sorted(s.search_ranks.values())
    assert ranks == list(range(1, len(ranks) + 1))


def test_bases_come_from_the_shapes():
    from ecokg.graph.model import Evidence
    from ecokg.ontology.schema import get_schema

    from ecokg.errors import SchemaError

    bases = get_schema().bases
    assert "bluebook" in bases and "curated" in bases
    for b in bases:
        Evidence(source="urn:s", quote="q", basis=b)
    with pytest.raises(SchemaError, match="basis"):
        Evidence(source="urn:s", quote="q", basis="rumour")


def test_values_are_checked_against_their_ranges():
    from decimal import Decimal

    from ecokg.graph.model import KnowledgeGraph

    from ecokg.errors import SchemaError

    kg = KnowledgeGraph()
    n = kg.add_node("urn:r", "BenchmarkResult", {"score": "71.90", "assessedIn": "2024-04"})
    assert n.props["score"] == Decimal("71.90")
    for bad in ({"score": "high"}, {"assessedIn": "April"}, {"trendNumber": True}):
        with pytest.raises(SchemaError):
            kg.add_node("urn:t", "Trend", bad) if "trendNumber" in bad else kg.add_node("urn:r", "BenchmarkResult", bad)


def test_doctests_of_the_installed_modules():
    import doctest
    import importlib
    import pkgutil

    failures = 0
    tested = 0
    names = []
    for pkg_name in ("ecokg", "ecokg.graph", "ecokg.loaders", "ecokg.ontology", "ecokg.viz"):
        pkg = importlib.import_module(pkg_name)
        names += [pkg_name] + [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg_name + ".")]
    names = sorted(set(names))
    assert {"ecokg.graph.stores.oxigraph", "ecokg.loaders.deals", "ecokg.ontology.iris", "ecokg.facade"} <= set(names)
    for name in names:
        m = importlib.import_module(name)
        result = doctest.testmod(m, optionflags=doctest.ELLIPSIS)
        failures += result.failed
        tested += result.attempted
    assert tested > 30 and failures == 0


def test_only_the_ecokg_package_is_installed():
    """The folders graph/, loaders/, ontology/, viz/ install as ecokg.* (package-dir mapping), never
    as generic top-level packages."""
    import importlib.metadata
    import importlib.util

    import ecokg.graph

    assert ecokg.graph.__name__ == "ecokg.graph"
    files = importlib.metadata.distribution("ecokg").files or []
    tops = {f.parts[0] for f in files if f.suffix == ".py" and not f.parts[0].startswith("__editable__")}
    assert tops in ({"ecokg"}, set()), tops  # a wheel install: only ecokg/; an editable one: only its finder
    for generic in ("graph", "loaders", "ontology", "viz"):
        spec = importlib.util.find_spec(generic)
        assert spec is None or "site-packages" not in str(spec.origin or ""), generic
