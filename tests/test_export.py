"""Exports for other tools: RDF datasets with the ontology, compact JSON-LD, GraphML and GEXF,
each read back with a library made for the format and compared with the built graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from ecokg.cli import cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's parsers warn once per triple


def export(built: Any, tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "export.out"
    res = CliRunner().invoke(cli, ["export", *args[:1], str(target), *args[1:], "--out", str(built.out_dir)])
    assert res.exit_code == 0, res.output
    return target


@pytest.mark.parametrize("fmt,rdflib_format", [("trig", "trig"), ("nquads", "nquads")])
def test_datasets_hold_the_data_and_the_ontology_apart(built: Any, store: Any, tmp_path: Path, fmt: str,
                                                       rdflib_format: str) -> None:
    import rdflib

    from ecokg.graph.export import ONTOLOGY_GRAPH
    from ecokg.ontology import ontology_path

    ds = rdflib.Dataset()
    ds.parse(export(built, tmp_path, "rdf", "--format", fmt), format=rdflib_format)
    data = ds.graph(rdflib.URIRef("urn:x-rdflib:default"))
    assert len(data) == len(store)
    onto = ds.graph(rdflib.URIRef(ONTOLOGY_GRAPH))
    assert len(onto) == len(rdflib.Graph().parse(ontology_path(), format="turtle"))
    assert (rdflib.URIRef(ONTOLOGY_GRAPH), rdflib.RDF.type, rdflib.OWL.Ontology) in onto


def test_compact_jsonld_has_a_context_and_the_same_triples(built: Any, store: Any, tmp_path: Path) -> None:
    import json

    import rdflib

    path = export(built, tmp_path, "rdf", "--format", "jsonld")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"]["eco"] == "https://w3id.org/ecokg/ontology#"
    assert any(k.startswith("eco:") for node in doc["@graph"] for k in node)
    assert len(rdflib.Graph().parse(path, format="json-ld")) == len(store)


@pytest.mark.parametrize("flag,reader", [((), nx.read_graphml), (("--gexf",), nx.read_gexf)])
def test_graph_files_hold_the_entity_graph(built: Any, kg: Any, tmp_path: Path, flag: tuple[str, ...],
                                           reader: Any) -> None:
    from ecokg.graph.nx import entity_graph

    want = entity_graph(kg)
    g = reader(export(built, tmp_path, "graphml", *flag))
    assert g.number_of_nodes() == want.number_of_nodes()
    assert g.number_of_edges() == want.number_of_edges()
    for n, d in list(want.nodes(data=True))[:50]:
        assert g.nodes[n]["label"] == str(d["label"])
        assert g.nodes[n]["class"] == d["cls"]
    quoted = [d for _, _, d in g.edges(data=True) if d.get("quote")]
    assert quoted and all(d["sources"] >= 1 for d in quoted)
