"""The ontology is the single source of truth: generated terms match it, every term
is documented in Chinese and English, and the data uses only its terms."""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from ecokg.ontology import ECO_NS, ontology_path, shapes_path


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
    import pytest

    from ecokg.errors import SchemaError
    from ecokg.graph.model import KnowledgeGraph
    from ecokg.ontology.terms import ECO

    with pytest.raises(AttributeError):
        ECO.Persn  # noqa: B018
    kg = KnowledgeGraph()
    with pytest.raises(SchemaError):
        kg.add_node("urn:x", "Person", {"nmae": "x"})
    with pytest.raises(SchemaError):
        kg.add_edge("urn:x", "worksAt", "urn:y")


def test_data_uses_only_ontology_terms(store):
    from ecokg.graph.store import sparql

    rows = sparql(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")
    onto = Graph().parse(ontology_path(), format="turtle")
    defined = {str(s) for s in onto.subjects() if str(s).startswith(ECO_NS)}
    for r in rows:
        if r["p"].startswith(ECO_NS):
            assert r["p"] in defined, r["p"]


def test_doctests_of_the_installed_modules():
    import doctest
    import importlib
    import pkgutil

    failures = 0
    tested = 0
    names = ["ecokg.cli", "ecokg.errors"]
    for pkg_name in ("ecokg.graph", "ecokg.loaders", "ecokg.ontology"):
        pkg = importlib.import_module(pkg_name)
        names.extend(mod.name for mod in pkgutil.walk_packages(pkg.__path__, pkg_name + "."))
    for name in names:
        m = importlib.import_module(name)
        result = doctest.testmod(m, optionflags=doctest.ELLIPSIS)
        failures += result.failed
        tested += result.attempted
    assert tested > 10 and failures == 0


def test_no_generic_top_level_modules_installed():
    import importlib.util

    import ecokg.graph

    assert "ecokg" in Path(ecokg.graph.__file__).parts[-3:] or Path(ecokg.graph.__file__).parent.name == "graph"
    for generic in ("loaders", "ontology"):
        spec = importlib.util.find_spec(generic)
        assert spec is None or "site-packages" not in str(spec.origin or ""), generic
