"""The build's store is loaded from N-Triples text written in Python (``graph.rdf.write_ntriples``),
and that text is the build's ``ecokg.nt``: it must hold exactly the triples of ``to_triples(kg)``,
whatever the literals hold, and refuse what it cannot write rather than drop it."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.graph.rdf import to_ntriples, to_triples, write_ntriples
from ecokg.graph.stores.oxigraph import RdfStore
from ecokg.ontology.iris import mint
from ecokg.ontology.terms import C, D, P

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402

HARD = ['say "hi"', "back\\slash \\n not a newline", "line\nbreak\r\nand\ttab", "nul\x00 bell\x07 del\x7f",
        "non-BMP 𠀋𝄞😀 and U+2028\u2028", "中文名", "trailing backslash\\", "'single' quotes"]


def _triples(items: object) -> set[ox.Triple]:
    return {ox.Triple(t.subject, t.predicate, t.object) for t in items}  # type: ignore[attr-defined]


def _check(kg: KnowledgeGraph, tmp_path: Path) -> None:
    expected = set(to_triples(kg))
    nt = tmp_path / "g.nt"
    lines = write_ntriples(kg, nt)
    assert lines == len(expected)  # no duplicate line, none missing
    assert _triples(ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)) == expected
    store = RdfStore(tmp_path / "store")
    store.load_ntriples(nt)
    assert len(store) == len(expected)
    assert _triples(store._store.quads_for_pattern(None, None, None, ox.DefaultGraph())) == expected
    from rdflib import Graph
    from rdflib.compare import isomorphic

    ours = Graph().parse(nt, format="nt")  # an independent parser agrees
    theirs = Graph().parse(data=ox.serialize(to_triples(kg), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    assert isomorphic(ours, theirs)


def hard_graph() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    src = mint("source", "hard")
    kg.add_node(src, C.SourceDocument, {D.fileName: "hard \"name\".txt"})
    for i, text in enumerate(HARD):
        ev = Evidence(source=src, quote=text, basis="bluebook", start=i, end=i + len(text), note=text)
        org = mint("org", text)
        kg.add_node(org, C.Company, {D.name: text, D.nameEn: text, D.alias: [text, text + "2"]}, ev)
        sector = mint("sector", text)
        kg.add_node(sector, C.Sector, {D.name: text})
        kg.add_edge(org, P.inSector, sector, ev)  # evidenced: reified, with the evidence's literals
        inv = mint("investment", text)
        kg.add_node(inv, C.Investment, {D.amount: Decimal("71.9"), D.date: "2024-01-31"}, ev)
    person = mint("person", "p")
    kg.add_node(person, C.Person, {D.name: "陈宏", D.pinyin: "Chen Hong"})
    pos = mint("position", "p")
    kg.add_node(pos, C.Position, {D.title: "CTO", D.isFormer: True})
    return kg


def test_hard_literals_round_trip(tmp_path):
    kg = hard_graph()
    text = "".join(to_ntriples(kg))
    assert '"Chen Hong"@zh-latn-pinyin' in text  # language tags in lower case, as pyoxigraph writes them
    assert "^^<http://www.w3.org/2001/XMLSchema#boolean>" in text and "𠀋" in text  # non-BMP as written
    _check(kg, tmp_path)


def test_a_small_generated_graph(tmp_path):
    _check(generate.generate(300, 7), tmp_path)


def test_the_sample_build(built, tmp_path):
    _check(built.kg, tmp_path)
    # the build's ecokg.nt is that text: the same triples as its store
    store = RdfStore(built.out_dir / "current" / "store", read_only=True)
    assert _triples(ox.parse(path=str(built.outputs["nt"]), format=ox.RdfFormat.N_TRIPLES)) == \
        _triples(store._store.quads_for_pattern(None, None, None, ox.DefaultGraph())) == set(to_triples(built.kg))


@pytest.mark.parametrize("iri", ["https://w3id.org/ecokg/id/x y", "https://w3id.org/ecokg/id/x> <http://a/p> <http://a/o",
                                 "https://w3id.org/ecokg/id/x\n<http://a/s>", 'https://w3id.org/ecokg/id/"x'])
def test_an_iri_that_would_break_a_line_is_refused(iri):
    kg = KnowledgeGraph()
    kg.nodes.clear()
    kg.add_node("https://w3id.org/ecokg/id/ok", C.Sector, {D.name: "ok"})
    kg.add_edge("https://w3id.org/ecokg/id/ok", "broaderSector", iri)
    with pytest.raises(ValueError):
        list(to_ntriples(kg))
    with pytest.raises(ValueError):  # as the quads always did
        list(to_triples(kg))


def test_an_invalid_iri_that_gets_through_fails_the_load(tmp_path):
    kg = KnowledgeGraph()
    kg.add_node("http://[x/s", C.Sector, {D.name: "bad host"})  # no character that breaks a line
    nt = tmp_path / "g.nt"
    write_ntriples(kg, nt)
    with pytest.raises(SyntaxError):
        RdfStore(tmp_path / "store").load_ntriples(nt)


def test_a_lone_surrogate_is_refused(tmp_path):
    kg = KnowledgeGraph()
    kg.add_node("https://w3id.org/ecokg/id/s", C.Sector, {D.name: "half \ud800 a pair"})
    with pytest.raises(UnicodeEncodeError):
        write_ntriples(kg, tmp_path / "g.nt")
