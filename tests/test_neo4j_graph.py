"""The graph in a real Neo4j (over Bolt, official driver): idempotent loads, read-only
Cypher, and parity with the RDF graph."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from ecokg.ontology import ECO_NS

pytestmark = pytest.mark.neo4j


def test_second_load_changes_nothing(loaded_neo4j, built):
    from ecokg.graph import neo4j_store

    driver, conn, first = loaded_neo4j
    before = neo4j_store.counts(driver, conn.database)
    second = neo4j_store.load(driver, conn.database, built.kg)
    after = neo4j_store.counts(driver, conn.database)
    assert first["nodes_created"] > 0
    assert second == {"nodes_created": 0, "properties_set": 0, "labels_added": 0, "relationships_created": 0}
    assert before == after


def test_person_nodes_equal_roster_people(loaded_neo4j, roster):
    from ecokg.graph import neo4j_store

    driver, conn, _ = loaded_neo4j
    nodes, _ = neo4j_store.counts(driver, conn.database)
    assert nodes["Person"] == len(roster["people"])


def test_counts_per_class_and_relation_match_rdf(loaded_neo4j, store):
    from ecokg.graph import neo4j_store
    from ecokg.graph.store import sparql

    driver, conn, _ = loaded_neo4j
    nodes, rels = neo4j_store.counts(driver, conn.database)
    rdf_classes = {r["c"][len(ECO_NS):]: r["n"] for r in sparql(store, f"""
        SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "{ECO_NS}")) }} GROUP BY ?c""")}
    assert rdf_classes == nodes
    rdf_rels = {r["p"][len(ECO_NS):]: r["n"] for r in sparql(store, f"""
        SELECT ?p (COUNT(*) AS ?n) WHERE {{
          ?s ?p ?o FILTER(STRSTARTS(STR(?p), "{ECO_NS}") && isIRI(?o))
          FILTER NOT EXISTS {{ ?s a rdf:Statement }} }} GROUP BY ?p""")}
    from ecokg.ontology.schema import get_schema

    schema = get_schema()
    assert {schema.rel_type(p): n for p, n in rdf_rels.items()} == rels
    # the evidence of reified facts travels as the `evidence` list on the relationship
    (row,) = sparql(store, "SELECT (COUNT(*) AS ?n) WHERE { ?st a rdf:Statement ; eco:evidence ?e }")
    with driver.session(database=conn.database) as s:
        total = s.run("MATCH ()-[r]->() WHERE r.evidence IS NOT NULL RETURN sum(size(r.evidence)) AS n").single()["n"]
    assert total == row["n"]


def test_every_person_matches(loaded_neo4j, store):
    from ecokg.graph.store import sparql

    driver, conn, _ = loaded_neo4j
    rdf_people = {r["id"]: (r["name"], r["pinyin"]) for r in sparql(store, """
        SELECT ?id ?name ?pinyin WHERE { ?id a eco:Person ; eco:name ?name ; eco:pinyin ?pinyin }""")}
    rdf_affs = Counter((r["id"], r["org"], r["title"], r["former"]) for r in sparql(store, """
        SELECT ?id ?org ?title ?former WHERE { ?id eco:holds ?m . ?m a eco:Position ; eco:isFormer ?former ;
          eco:inOrganisation/eco:name ?org . OPTIONAL { ?m eco:title ?title } }"""))
    with driver.session(database=conn.database) as s:
        neo_people = {r["id"]: (r["name"], r["pinyin"]) for r in s.run(
            "MATCH (p:Person) RETURN p.id AS id, p.name AS name, p.pinyin AS pinyin")}
        neo_affs = Counter((r["id"], r["org"], r["title"], r["former"]) for r in s.run(
            "MATCH (p:Person)-[:HOLDS]->(m:Position)-[:IN_ORGANISATION]->(o) "
            "RETURN p.id AS id, o.name AS org, m.title AS title, m.isFormer AS former"))
    assert neo_people == rdf_people
    assert neo_affs == rdf_affs


def test_evidence_is_reachable(loaded_neo4j, sample_text):
    driver, conn, _ = loaded_neo4j
    with driver.session(database=conn.database) as s:
        rows = s.run("MATCH (p:Person {name: $n})-[:HOLDS]->(m:Position)-[:EVIDENCE]->(e:Evidence)-[:IN_SOURCE]->(d) "
                     "RETURN e.quote AS quote, e.startOffset AS s, e.endOffset AS t, d.fileName AS f", n="张亚勤").data()
        facts = s.run("MATCH (m:AIModel)-[r:DEVELOPED_BY]->(o) UNWIND r.evidence AS eid "
                      "MATCH (e:Evidence {id: eid}) RETURN m.name AS m, e.basis AS basis").data()
    assert rows and all(sample_text[r["s"]:r["t"]] == r["quote"] for r in rows)
    assert {f["basis"] for f in facts} >= {"bluebook", "curated"}


def test_cypher_cli_is_read_only(loaded_neo4j):
    from ecokg.cli import cli

    driver, conn, _ = loaded_neo4j
    with driver.session(database=conn.database) as s:
        before = s.run("MATCH (n) RETURN count(n) AS c").single()["c"]
    res = CliRunner().invoke(cli, ["cypher", "CREATE (n) RETURN n"])
    assert res.exit_code == 1
    assert "read-only" in res.output
    with driver.session(database=conn.database) as s:
        assert s.run("MATCH (n) RETURN count(n) AS c").single()["c"] == before


def test_cypher_cli_parameters(loaded_neo4j, gold):
    from ecokg.cli import cli

    res = CliRunner().invoke(cli, ["cypher", "MATCH (p:Person {name: $name})-[:HOLDS]->(m:Position) "
                                   "RETURN m.title AS title", "-p", "name=陈宏"])
    assert res.exit_code == 0, res.output
    expected = {a["title"] for p in gold["people"] if p["name"] == "陈宏" for a in p["affiliations"]}
    assert {r["title"] for r in json.loads(res.stdout)} == expected


def test_load_cli_twice_and_wipe(neo4j_conn, built):
    from ecokg.cli import cli
    from ecokg.graph import neo4j_store

    driver, conn = neo4j_conn
    with driver.session(database=conn.database) as s:
        s.run("MERGE (x:Unrelated {id: 'not-ecokg'})").consume()
    out = ["--out", str(built.out_dir)]
    r1 = CliRunner().invoke(cli, ["load", "neo4j", *out])
    r2 = CliRunner().invoke(cli, ["load", "neo4j", *out])
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    a, b = json.loads(r1.stdout), json.loads(r2.stdout)
    assert (a["labels"], a["relationships"]) == (b["labels"], b["relationships"])
    assert b["written"]["nodes_created"] == 0 and b["written"]["relationships_created"] == 0
    r3 = CliRunner().invoke(cli, ["load", "neo4j", "--wipe", *out])
    assert r3.exit_code == 0
    with driver.session(database=conn.database) as s:
        assert s.run("MATCH (x:Unrelated {id: 'not-ecokg'}) RETURN count(x) AS c").single()["c"] == 1
        s.run("MATCH (x:Unrelated) DETACH DELETE x").consume()
    assert neo4j_store.counts(driver, conn.database) == (a["labels"], a["relationships"])


def test_bad_credentials_are_a_clear_error(neo4j_conn):
    from ecokg.cli import cli

    res = CliRunner().invoke(cli, ["cypher", "RETURN 1", "--password", "wrong-password-123"])
    assert res.exit_code == 1
    assert "refused the credentials" in res.output
    assert "wrong-password-123" not in res.output
