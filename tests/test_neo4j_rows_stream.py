"""``write_rows`` streams the rows file of ``ecokg load neo4j``: byte for byte what
``save(plan(kg))`` writes, on the sample's model, generated graphs and hostile small graphs, through
a ``CompactGraph`` (fresh objects on every access, never the same object twice), and a
failure midway leaves neither the file nor a temporary file."""

from __future__ import annotations

import dataclasses
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ecokg.graph.compact import CompactGraph
from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.graph.stores import neo4j_write
from ecokg.graph.stores.neo4j_write import ROWS_FILE, open_rows, plan, save, write_rows
from ecokg.ontology.terms import C, D, P


def both(kg: Any, tmp_path: Path) -> tuple[bytes, bytes]:
    """The file ``save(plan(kg))`` writes and the one ``write_rows(kg)`` writes."""
    (tmp_path / "a").mkdir(exist_ok=True)
    (tmp_path / "b").mkdir(exist_ok=True)
    save(plan(kg), tmp_path / "a" / ROWS_FILE)
    write_rows(kg, tmp_path / "b" / ROWS_FILE)
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [ROWS_FILE]  # nothing left beside it
    return (tmp_path / "a" / ROWS_FILE).read_bytes(), (tmp_path / "b" / ROWS_FILE).read_bytes()


def assert_same(kg: Any, tmp_path: Path) -> bytes:
    planned, streamed = both(kg, tmp_path)
    assert streamed == planned
    return streamed


@pytest.fixture(scope="module")
def sample() -> KnowledgeGraph:
    """The model of the sample build (the Blue Book sample, the public sources, curated data)."""
    from ecokg.build import make_graph

    return make_graph()


def test_the_sample_model_streams_to_the_same_bytes(sample: KnowledgeGraph, tmp_path: Path) -> None:
    data = assert_same(sample, tmp_path)
    rows = open_rows(tmp_path / "b" / ROWS_FILE)
    assert rows is not None
    ev = sample.all_evidence()
    assert rows.node_count == len(sample.nodes) + len(ev)
    assert rows.edge_count == len(sample.edges) + len(ev) + sum(len({e.id for e in n.evidence})
                                                                  for n in sample.nodes.values())
    assert data.endswith(b'\n"end"\n') and data.count(b"\n") == 6


def test_the_sample_model_through_fresh_objects(sample: KnowledgeGraph, tmp_path: Path) -> None:
    save(plan(sample), tmp_path / "planned")
    write_rows(CompactGraph.of(sample), tmp_path / "streamed")
    assert (tmp_path / "streamed").read_bytes() == (tmp_path / "planned").read_bytes()


@pytest.mark.parametrize("size,seed", [(100, 1), (400, 3), (400, 11), (2000, 7)])
def test_generated_graphs_stream_to_the_same_bytes(generate: Any, size: int, seed: int, tmp_path: Path) -> None:
    kg = generate.generate(size, seed)
    assert_same(kg, tmp_path)
    p = plan(kg)
    assert any(len(g.ids) == 1 for g in p.nodes)  # a group of one node (the report, the alliance ...)
    streamed = open_rows(tmp_path / "b" / ROWS_FILE)
    assert streamed is not None
    assert [(g.root, g.labels, g.ids, g.hashes) for g in streamed.nodes] == \
           [(g.root, g.labels, g.ids, g.hashes) for g in p.nodes]
    assert [(g.type, g.src, g.dst, g.sources, g.targets, g.evidence) for g in streamed.edges()] == \
           [(g.type, g.src, g.dst, g.sources, g.targets, g.evidence) for g in p.edges()]


def test_a_generated_graph_through_fresh_objects(generate: Any, tmp_path: Path) -> None:
    kg = generate.generate(400, 5)
    save(plan(kg), tmp_path / "planned")
    write_rows(CompactGraph.of(kg), tmp_path / "streamed")
    assert (tmp_path / "streamed").read_bytes() == (tmp_path / "planned").read_bytes()


def hostile() -> KnowledgeGraph:
    """Shared evidence, evidence from a source that is not a node, typed and multi-valued values,
    several classes, hard characters, edges with and without evidence, a node without evidence."""
    kg = KnowledgeGraph()
    doc = "urn:ecokg:doc"
    kg.add_node(doc, C.SourceDocument, {D.fileName: 'a "quoted"\\ file\n.txt'})
    shared = Evidence(source=doc, quote='张三 "说" \\ 换行\n了', basis="bluebook", start=0, end=9)
    elsewhere = Evidence(source="urn:ecokg:not-a-node", quote="a row", basis="user-data", line=3, note="é\u2028x")
    late = Evidence(source="urn:ecokg:later", quote="later", basis="curated")
    kg.add_node("urn:ecokg:p1", C.Person, {D.name: "张三", D.alias: ["Zhang \"San\"", "三", "a\\b"],
                                          D.pinyin: "Zhāng Sān"}, [shared, elsewhere, shared])
    kg.add_node("urn:ecokg:p2", C.Person, {D.name: "李四\t"}, shared)  # the same evidence on a second node
    kg.add_node("urn:ecokg:o1", C.Company, {D.name: "公司 & <co>", D.nameEn: "Co\u00e9"}, elsewhere)
    kg.add_node("urn:ecokg:o1", C.InvestmentFirm)  # several classes
    kg.add_node("urn:ecokg:o1", C.Fund)
    kg.add_node("urn:ecokg:s1", C.Sector, {D.name: "行业"})  # no evidence
    kg.add_node("urn:ecokg:r1", C.BenchmarkResult, {D.score: Decimal("87.25"), D.rank: 3,
                                                    D.assessedIn: "2024-05"}, late)
    kg.add_node("urn:ecokg:i1", C.Investment, {D.date: "2024-01-31", D.amount: "1亿元", D.round: "A轮"})
    kg.add_node("urn:ecokg:pos1", C.Position, {D.title: "CTO", D.isFormer: True}, shared)
    kg.add_node("urn:ecokg:pos2", C.Position, {D.title: "总经理", D.isFormer: False})
    kg.add_edge("urn:ecokg:o1", P.inSector, "urn:ecokg:s1", [late, shared])  # evidenced, with evidence
    kg.add_edge("urn:ecokg:o1", P.partner, "urn:ecokg:o1")  # evidenced, without
    kg.add_edge("urn:ecokg:p1", P.holds, "urn:ecokg:pos1")  # not evidenced
    kg.add_edge("urn:ecokg:pos1", P.inOrganisation, "urn:ecokg:o1")
    kg.add_edge("urn:ecokg:i1", P.investor, "urn:ecokg:o1")
    # equal evidence twice in one list (another object: a graph read back may hand out such lists)
    kg.nodes["urn:ecokg:p2"].evidence.append(dataclasses.replace(shared))
    kg.edges[("urn:ecokg:o1", P.inSector, "urn:ecokg:s1")].evidence.append(dataclasses.replace(late))
    return kg


def test_hostile_graphs_stream_to_the_same_bytes(tmp_path: Path) -> None:
    kg = hostile()
    data = assert_same(kg, tmp_path)
    text = data.decode("utf-8")
    assert "87.25" in text and "true" in text and "\u2028" in text and "张三" in text  # as JSON, unescaped
    rows = open_rows(tmp_path / "b" / ROWS_FILE)
    assert rows is not None
    ev_ids = {ev.id for ev in (hostile().all_evidence().values())}
    ev_group = [g for g in rows.nodes if g.root == kg.schema.evidence_class]
    assert len(ev_group) == 1 and set(ev_group[0].ids) == ev_ids  # each piece once
    edges = {g.type: g for g in rows.edges()}
    src = [g for g in rows.edges() if g.type == kg.schema.rel_type(kg.schema.evidence_fields["source"])]
    assert sorted(t for g in src for t in g.targets) == sorted(["urn:ecokg:doc", "urn:ecokg:not-a-node",
                                                               "urn:ecokg:later"])
    assert edges[kg.schema.rel_type(P.partner)].evidence == [None]


def test_a_shared_evidence_object_and_node_order(tmp_path: Path) -> None:
    """Evidence first seen on an edge (sorted by evidence_key), groups whose first member comes late."""
    kg = KnowledgeGraph()
    a = Evidence(source="urn:ecokg:doc", quote="b", basis="curated")
    b = Evidence(source="urn:ecokg:doc", quote="a", basis="bluebook", start=1, end=2)
    kg.add_node("urn:ecokg:s1", C.Sector, {D.name: "一"})
    kg.add_node("urn:ecokg:o1", C.Company, {D.name: "甲"})
    kg.add_node("urn:ecokg:s2", C.Sector, {D.name: "二"}, a)
    kg.add_node("urn:ecokg:doc", C.SourceDocument)  # the source becomes a node after its evidence's holders
    kg.add_edge("urn:ecokg:o1", P.inSector, "urn:ecokg:s2", [a, b])
    kg.add_edge("urn:ecokg:o1", P.inSector, "urn:ecokg:s1", [b])
    assert_same(kg, tmp_path)


def test_an_empty_graph(tmp_path: Path) -> None:
    data = assert_same(KnowledgeGraph(), tmp_path)
    assert data.split(b"\n")[1:] == [b"[]", b"[]", b"[]", b"[]", b'"end"', b""]


def test_nodes_of_the_evidence_class_are_written_as_plan_writes_them(tmp_path: Path) -> None:
    kg = hostile()
    kg.add_node("urn:ecokg:ev-node", kg.schema.evidence_class, {D.quote: "odd"})
    assert_same(kg, tmp_path)


def test_a_value_json_cannot_encode_leaves_no_file(tmp_path: Path) -> None:
    kg = hostile()
    kg.nodes["urn:ecokg:s1"].props[D.name] = object()  # past the model's checks
    with pytest.raises(TypeError):
        write_rows(kg, tmp_path / ROWS_FILE)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / ROWS_FILE
    path.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(neo4j_write.os, "fsync", full)
    with pytest.raises(OSError):
        write_rows(hostile(), path)
    assert [p.name for p in tmp_path.iterdir()] == [ROWS_FILE] and path.read_text(encoding="utf-8") == "old"
    kg = hostile()
    kg.nodes["urn:ecokg:s1"].props[D.name] = "lone \ud800 surrogate"  # not UTF-8: fails while spooling
    monkeypatch.undo()
    with pytest.raises(UnicodeEncodeError):
        write_rows(kg, path)
    assert [p.name for p in tmp_path.iterdir()] == [ROWS_FILE] and path.read_text(encoding="utf-8") == "old"


def test_a_spool_of_many_chunks(monkeypatch: pytest.MonkeyPatch, generate: Any, tmp_path: Path) -> None:
    """Tiny spool chunks and line chunks: the joins between chunks and sections are commas."""
    monkeypatch.setattr(neo4j_write._Spool, "LIMIT", 3)
    monkeypatch.setattr(neo4j_write, "_CHUNK", 7)
    assert_same(generate.generate(100, 2), tmp_path)
    assert not any(p.name.startswith(".") for p in tmp_path.rglob("*"))
    assert os.listdir(tmp_path / "b") == [ROWS_FILE]
