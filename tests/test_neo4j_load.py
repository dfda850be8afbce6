"""`ecokg load neo4j` from the rows a build saves, writing only what changed (issue 13).

The rows file round-trips and is refused when stale or cut off (no server needed); against the real
server: an unchanged re-load writes nothing, a re-load after a change writes exactly the nodes that
changed (and their relationships), removal still removes (keeping a node a user's relationship
touches), a user's property survives, a load that died makes the next one check everything.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.graph.stores.neo4j_write import ROWS_FILE, WritePlan, open_rows, plan, save


def same_rows(a: WritePlan, b: WritePlan) -> bool:
    """The same rows, whatever their order."""
    def rows(p: WritePlan) -> tuple[dict[str, Any], set[Any]]:
        p.read_props()
        nodes = {i: (g.root, g.labels, h, props) for g in p.nodes
                 for i, h, props in zip(g.ids, g.hashes, g.props or ())}
        edges = {(e.type, e.src, e.dst, s, t, tuple(e.evidence[k] or ()) if e.evidence is not None else None)
                 for e in p.edges() for k, (s, t) in enumerate(zip(e.sources, e.targets))}
        return nodes, edges

    return rows(a) == rows(b)


def generation(built: Any) -> Path:
    return (Path(built.out_dir) / "current").resolve()


# ------------------------------------------------------------------------------ the rows file
def test_the_build_saves_the_rows_of_its_graph(built: Any, kg: KnowledgeGraph) -> None:
    rows = open_rows(generation(built) / ROWS_FILE)
    assert rows is not None
    assert rows.node_count == len(kg.nodes) + len(kg.all_evidence())
    assert same_rows(rows, plan(kg))


def test_a_stale_or_cut_off_rows_file_is_not_used(built: Any, tmp_path: Path) -> None:
    text = (generation(built) / ROWS_FILE).read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    cases = {
        "format": json.dumps({**json.loads(header), "format": 0}) + "\n" + rest,
        "ontology": json.dumps({**json.loads(header), "schema": "0" * 16}) + "\n" + rest,
        "cut": text[:len(text) * 3 // 4],
        "empty": "",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        assert open_rows(path) is None, name
    assert open_rows(tmp_path / "missing") is None


def test_hashes_change_with_what_a_load_writes(kg: KnowledgeGraph) -> None:
    """A node's hash covers its properties, labels and outgoing relationships, and nothing else's."""
    base = {i: h for g in plan(kg).nodes for i, h in zip(g.ids, g.hashes)}
    person = sorted(n.id for n in kg.nodes.values() if "Person" in n.classes)[0]
    target = next(e.target for e in kg.edges.values() if e.source == person)
    changed = KnowledgeGraph(kg.schema).merge(kg)
    changed.nodes[person].props["name"] = "改了名字"
    after = {i: h for g in plan(changed).nodes for i, h in zip(g.ids, g.hashes)}
    assert {i for i in base if base[i] != after[i]} == {person}
    assert base[target] == after[target]


def test_a_graph_built_before_rows_is_planned_from_the_store(built: Any, kg: KnowledgeGraph, tmp_path: Path) -> None:
    """A folder without the rows file (an older build, or bench/generate.py's) still loads: the rows
    are planned from the whole graph, and the step says so."""
    import ecokg

    copy = tmp_path / "out"
    shutil.copytree(built.out_dir, copy, symlinks=True)
    (copy / "current").resolve().joinpath(ROWS_FILE).unlink()
    said: list[str] = []
    with ecokg.open(copy) as g:
        rows = g.neo4j_rows(step=said.append)
    assert said and "older ecokg" in said[0]
    assert same_rows(rows, plan(kg))


# ------------------------------------------------------------------------------ against Neo4j
def copy_of(kg: KnowledgeGraph, drop_nodes: set[str] = frozenset(), drop_edges: set[Any] = frozenset()) -> KnowledgeGraph:
    """``kg`` without some nodes (and the edges that touch them) and edges."""
    out = KnowledgeGraph(kg.schema)
    for n in kg.nodes.values():
        if n.id not in drop_nodes:
            for cls in sorted(n.classes):
                out.add_node(n.id, cls, {k: list(v) if isinstance(v, list) else v for k, v in n.props.items()},
                             n.evidence)
    for key, e in kg.edges.items():
        if key not in drop_edges and e.source not in drop_nodes and e.target not in drop_nodes:
            out.add_edge(e.source, e.prop, e.target, e.evidence or None)
    return out


@pytest.fixture()
def restored(loaded_neo4j: Any, kg: KnowledgeGraph) -> Iterator[Any]:
    """The loaded store; afterwards the sample graph is whole again (and the user's additions gone)."""
    store, _ = loaded_neo4j
    store.load(plan(kg))
    yield store
    store.query("MATCH (u:UserNote) DETACH DELETE u", write=True)
    store.query("MATCH (n) WHERE n.myNote IS NOT NULL REMOVE n.myNote", write=True)
    store.write(kg)


@pytest.fixture()
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[Any]]]:
    """Every (Cypher, rows) batch a load sends."""
    from ecokg.graph.stores import neo4j_load

    batches: list[tuple[str, list[Any]]] = []
    original = neo4j_load.Loader._write

    def spy(self: Any, cypher: str, rows: list[Any], count: bool = True, **params: Any) -> None:
        batches.append((cypher, rows))
        original(self, cypher, rows, count, **params)

    monkeypatch.setattr(neo4j_load.Loader, "_write", spy)
    return batches


def state(store: Any) -> list[dict[str, Any]]:
    return store.query("MATCH (m:EcoKGLoad) RETURN m.state AS state, toString(m.at) AS at", write=True)


@pytest.mark.neo4j
def test_an_unchanged_reload_writes_nothing(restored: Any, kg: KnowledgeGraph,
                                            sent: list[tuple[str, list[Any]]]) -> None:
    store = restored
    before = state(store)
    report = store.load(plan(kg))
    assert (report.new, report.changed, report.removed, report.kept) == ([], [], [], [])
    assert report.unchanged == len(kg.nodes) + len(kg.all_evidence()) and not report.checked_all
    assert report.report.details == {"nodes_created": 0, "relationships_created": 0, "properties_set": 0,
                                     "labels_added": 0}
    assert sent == [] and state(store) == before  # not one write transaction, not even the load state


@pytest.mark.neo4j
def test_a_reload_after_a_change_writes_exactly_the_changed_nodes(
        restored: Any, kg: KnowledgeGraph, sent: list[tuple[str, list[Any]]]) -> None:
    """Rename a person, make a company a bank, add an edge, drop an edge, drop a person, add a
    person: the load writes exactly those nodes (and the sources of the edges), creates the new
    ones, removes the dropped ones, and the database then holds exactly the new graph."""
    from ecokg.graph.stores.base import Counts
    from ecokg.ontology.terms import C, P

    store = restored
    people = sorted(n.id for n in kg.nodes.values() if C.Person in n.classes)
    renamed, dropped, linker = people[0], people[1], people[2]
    company = sorted(n.id for n in kg.nodes.values() if kg.schema.most_specific(n.classes) == [C.Company])[0]
    dropped_edge = next(k for k in sorted(kg.edges) if k[1] == P.holds and k[0] not in (renamed, dropped, linker))
    post = next(k[2] for k in sorted(kg.edges) if k[1] == P.holds and k[0] == people[3])
    into_dropped = {k[0] for k in kg.edges if k[2] == dropped}
    changed = copy_of(kg, drop_nodes={dropped}, drop_edges={dropped_edge})
    changed.nodes[renamed].props["name"] = "改了名字"
    changed.nodes[company].classes = {C.Bank}
    changed.add_edge(linker, P.holds, post)
    newcomer = "https://w3id.org/ecokg/id/person/test-newcomer"
    ev = Evidence(source=next(iter(kg.all_evidence().values())).source, quote="新来的人", basis="bluebook",
                  start=0, end=4)
    changed.add_node(newcomer, C.Person, {"name": "新来的人"}, ev)
    gone_evidence = {e.id for e in kg.nodes[dropped].evidence} - set(changed.all_evidence())

    report = store.load(plan(changed))

    assert sorted(report.new) == sorted({newcomer, ev.id} - set(kg.all_evidence()))
    assert set(report.changed) == {renamed, company, linker, dropped_edge[0]} | into_dropped
    assert set(report.removed) == {dropped} | gone_evidence and report.kept == []
    assert report.unchanged == len(kg.nodes) + len(kg.all_evidence()) - len(report.changed) - len(report.removed)
    written = {r["id"] for c, rows in sent if "CREATE (n:" in c or "MERGE (n:" in c for r in rows}
    assert written == set(report.new) | set(report.changed)
    sources = {r["s"] for c, rows in sent if "row.s" in c for r in rows}
    assert sources <= set(report.new) | set(report.changed)
    assert store.read().canonical() == changed.canonical()
    assert store.counts() == Counts.of(changed)
    labels = store.query("MATCH (n {id: $id}) RETURN labels(n) AS l", {"id": company})[0]["l"]
    assert sorted(labels) == [C.Bank, C.Organisation]
    assert store.load(plan(changed)).changed == []  # and again: nothing


@pytest.mark.neo4j
def test_removal_keeps_a_node_a_user_links_to_and_user_properties(restored: Any, kg: KnowledgeGraph) -> None:
    from ecokg.ontology.terms import C

    store = restored
    people = sorted(n.id for n in kg.nodes.values() if C.Person in n.classes)
    linked, noted = people[0], people[1]
    store.query("MATCH (p:Person {id: $a}), (q:Person {id: $b}) SET q.myNote = 'keep' "
                "CREATE (:UserNote {text: 'mine'})-[:ABOUT]->(p)", {"a": linked, "b": noted}, write=True)
    changed = copy_of(kg, drop_nodes={linked})
    changed.nodes[noted].props["name"] = "也改了名字"
    report = store.load(plan(changed))
    assert report.kept == [linked] and linked not in report.removed and noted in report.changed
    row = store.query("MATCH (u:UserNote)-[:ABOUT]->(p:Person {id: $id}) "
                      "RETURN count { (p)--() } AS links", {"id": linked})
    assert row == [{"links": 1}]  # the user's relationship only: ecokg's are gone
    assert store.query("MATCH (q:Person {id: $id}) RETURN q.myNote AS note, q.name AS name", {"id": noted}) == \
        [{"note": "keep", "name": "也改了名字"}]
    store.query("MATCH (u:UserNote) DETACH DELETE u", write=True)
    again = store.load(plan(changed))
    assert again.removed == [linked] and again.kept == []  # the user unlinked it: now it goes


@pytest.mark.neo4j
def test_a_load_that_died_makes_the_next_check_everything(restored: Any, kg: KnowledgeGraph) -> None:
    store = restored
    store.query("MATCH (m:EcoKGLoad) SET m.state = 'running'", write=True)
    pid = sorted(n.id for n in kg.nodes.values() if n.props.get("name"))[0]
    store.query("MATCH (n {id: $id}) SET n.name = 'by hand'", {"id": pid}, write=True)
    report = store.load(plan(kg))
    assert report.checked_all and report.verified == len(kg.nodes) + len(kg.all_evidence())
    assert report.changed == [] and report.report.details["properties_set"] >= 1  # the name put back
    assert store.query("MATCH (n {id: $id}) RETURN n.name AS name", {"id": pid}) == [{"name": kg.nodes[pid].props["name"]}]
    assert state(store)[0]["state"] == "complete"
    assert not store.load(plan(kg)).checked_all


@pytest.mark.neo4j
def test_full_puts_back_what_was_changed_by_hand(restored: Any, kg: KnowledgeGraph, built: Any,
                                                 neo4j_env: dict[str, str]) -> None:
    from ecokg.cli import cli

    store = restored
    pid = sorted(n.id for n in kg.nodes.values() if n.props.get("name"))[0]
    store.query("MATCH (n {id: $id}) SET n.name = 'by hand'", {"id": pid}, write=True)
    out = ["load", "neo4j", "--out", str(built.out_dir)]
    quick = json.loads(CliRunner().invoke(cli, out, env=neo4j_env).stdout)
    assert quick["nodes"]["unchanged"] == len(kg.nodes) + len(kg.all_evidence())  # the hash cannot see it
    res = CliRunner().invoke(cli, [*out, "--full"], env=neo4j_env)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["written"]["properties_set"] >= 1
    assert store.query("MATCH (n {id: $id}) RETURN n.name AS name", {"id": pid}) == [{"name": kg.nodes[pid].props["name"]}]


@pytest.mark.neo4j
def test_a_node_deleted_by_hand_comes_back_with_the_relationships_into_it(restored: Any, kg: KnowledgeGraph) -> None:
    """A plain re-load finds the node missing (its root label's checksum differs), creates it, and
    also the relationships of unchanged nodes into it (a person's HOLDS of the deleted post)."""
    from ecokg.graph.stores.base import Counts
    from ecokg.ontology.terms import P

    store = restored
    person, _, post = next(k for k in sorted(kg.edges) if k[1] == P.holds)
    store.query("MATCH (n {id: $id}) DETACH DELETE n", {"id": post}, write=True)
    report = store.load(plan(kg))
    assert report.new == [post] and report.changed == [] and not report.checked_all
    assert store.query("MATCH (:Person {id: $a})-[:HOLDS]->(m {id: $b}) RETURN count(m) AS c",
                       {"a": person, "b": post}) == [{"c": 1}]
    assert store.counts() == Counts.of(kg)
    assert store.read().canonical() == kg.canonical()


@pytest.mark.neo4j
def test_wipe_forgets_the_load_state(restored: Any, kg: KnowledgeGraph) -> None:
    store = restored
    assert state(store)[0]["state"] == "complete"
    store.wipe()
    assert state(store) == []
    report = store.load(plan(kg))
    assert len(report.new) == len(kg.nodes) + len(kg.all_evidence())
