"""The RDF outputs: they parse with independent parsers, conform to the shapes,
and every fact can be traced to the source text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from needs import require


def test_turtle_parses_with_rapper(built):
    require(shutil.which("rapper") is not None, "rapper (Debian raptor2-utils) is not installed")
    ttl = built.outputs["ttl"]
    proc = subprocess.run(["rapper", "-i", "turtle", "-c", str(ttl)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"returned (\d+) triples", proc.stderr)
    assert m and int(m.group(1)) == built.triples


def test_ntriples_and_jsonld_hold_the_same_triples(built):
    from rdflib import Graph

    nt = Graph().parse(built.outputs["nt"], format="nt")
    assert len(nt) == built.triples
    jl = Graph().parse(built.outputs["jsonld"], format="json-ld")
    assert len(jl) == built.triples
    ttl = Graph().parse(built.outputs["ttl"], format="turtle")
    assert len(ttl) == built.triples


def test_conforms_to_shacl(built):
    assert built.validation.conforms, built.validation.text


def test_shapes_catch_a_broken_graph(built):
    """The shapes can fail: a person without evidence or pinyin is a violation."""
    import copy

    from ecokg.graph.validate import validate

    kg = copy.deepcopy(built.kg)
    person = next(kg.of_class("Person"))
    person.evidence.clear()
    del person.props["pinyin"]
    report = validate(kg)
    assert not report.conforms
    assert report.violations >= 2


def test_every_quote_is_the_source_text_at_its_offsets(built, sample_text):
    evs = [e for e in built.kg.all_evidence().values() if e.basis == "bluebook"]
    assert evs
    for ev in evs:
        assert sample_text[ev.start:ev.end] == ev.quote, ev


def test_every_entity_has_evidence(built):
    for cls in ("Person", "Organisation", "Position", "AllianceRole", "GroupMembership", "AIModel", "Trend",
                "BenchmarkResult"):
        for n in built.kg.of_class(cls):
            assert n.evidence, (cls, n.props.get("name"), n.id)


def test_curated_facts_never_pass_for_blue_book_statements(built, curated):
    """Parents, sectors and kinds from data/organisations.yaml carry curated evidence only; what
    the Blue Book states (a company written after its parent, a fund named for its sector)
    carries Blue Book evidence that quotes it."""
    for e in built.kg.edges.values():
        if e.prop in ("parentOrganisation", "inSector", "investmentFocus"):
            assert e.evidence, e
            for ev in e.evidence:
                if ev.basis == "curated":
                    assert ev.note
                elif ev.basis == "name-grammar":
                    # 北京大学信息工程学院: a unit named after its parent; the quote is the unit's name
                    assert e.prop == "parentOrganisation", e
                    assert ev.quote == built.kg.nodes[e.source].props["name"] and ev.note, e
                elif e.prop == "parentOrganisation":
                    # 海尔集团海尔新能源: the quote is the parent's name followed by the company's
                    assert ev.basis == "bluebook", e
                    child = built.kg.nodes[e.source].props["name"]
                    parent = built.kg.nodes[e.target].props["name"]
                    assert ev.quote.endswith(child) or any(ev.quote.endswith(a) for a in
                                                           built.kg.nodes[e.source].props.get("alias", [])), e
                    assert ev.quote[:-len(child)] in [parent] + list(built.kg.nodes[e.target].props.get("alias", [])), e
                else:
                    # the one Blue Book source of a focus: a fund whose own name names the sector
                    assert e.prop == "investmentFocus" and ev.basis == "bluebook", e
                    assert ev.quote in built.kg.nodes[e.source].props["name"], e


def test_people_in_several_lists_are_one_node(built, gold):
    several = [p["name"] for p in gold["people"] if len(p["groups"]) > 1]
    assert several
    persons = [n.props["name"] for n in built.kg.of_class("Person")]
    for name in several:
        assert persons.count(name) == 1


def test_aliases_resolve_to_one_organisation(built, sample_text, curated):
    """Short forms that the sample writes (阿里, 字节 ...) resolve to their canonical organisation."""
    gaz = curated.gazetteer()
    for alias, full in (("阿里", "阿里巴巴"), ("字节", "字节跳动")):
        assert alias in sample_text
        assert gaz.canonical_org(alias) == full
        org = [n for n in built.kg.of_class("Organisation") if n.props["name"] == full]
        assert len(org) == 1
        assert any(ev.quote.find(alias) >= 0 for ev in org[0].evidence)
    names = [n.props["name"] for n in built.kg.of_class("Organisation")]
    assert "阿里" not in names and "字节" not in names


def test_summary_file_written(built):
    s = json.loads((built.out_dir / "summary.json").read_text(encoding="utf-8"))
    assert s["triples"] == built.triples
    assert s["classes"]["Person"] == len(list(built.kg.of_class("Person")))


def test_graph_reads_back_from_the_built_store(built, store):
    """RDF -> graph is the inverse of graph -> RDF: same nodes, classes, properties, edges, evidence."""
    assert store.read().canonical() == built.kg.canonical()


def test_rdflib_form_has_every_triple(built):
    from ecokg.graph.rdf import to_rdflib

    g = to_rdflib(built.kg)
    assert len(g) == built.triples
    assert dict(g.namespaces())["eco"].startswith("https://w3id.org/ecokg/ontology")


def test_names_are_language_tagged_labels(store, kg):
    """Tools that show rdfs:label (and a SPARQL user filtering on lang) see every name, tagged."""
    rows = store.query("SELECT ?s ?label (LANG(?label) AS ?lang) WHERE { ?s rdfs:label ?label }")
    labels = {(r["s"], r["label"]) for r in rows}
    langs = {(r["s"], r["label"]): r["lang"] for r in rows}
    for node in kg.nodes.values():
        name = node.props.get("name")
        if name:
            assert (node.id, name) in labels, name
            chinese = any("\u3400" <= ch <= "\u9fff" for ch in name)
            assert langs[(node.id, name)] == ("zh" if chinese else "en"), name
        if node.props.get("nameEn"):
            assert langs[(node.id, node.props["nameEn"])] == "en"
    pinyin = store.query("SELECT ?s ?p WHERE { ?s skos:altLabel ?p FILTER(LCASE(LANG(?p)) = 'zh-latn-pinyin') }")
    assert {(r["s"], r["p"]) for r in pinyin} == {(p.id, p.props["pinyin"]) for p in kg.nodes.values()
                                                  if p.props.get("pinyin")}
