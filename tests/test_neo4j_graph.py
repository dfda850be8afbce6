"""The graph in a real Neo4j through the command line and Cypher: loads, read-only Cypher,
evidence reachable from every fact, clear errors. (The store contract, parity with the
embedded store included, is tests/test_store_contract.py.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.neo4j


def test_person_nodes_equal_roster_people(loaded_neo4j: Any, roster: Any) -> None:
    store, _ = loaded_neo4j
    assert store.counts().classes["Person"] == len(roster["people"])


def test_evidence_is_reachable(loaded_neo4j: Any, sample_text: str) -> None:
    store, _ = loaded_neo4j
    rows = store.query("MATCH (p:Person {name: $n})-[:HOLDS]->(m:Position)-[:EVIDENCE]->(e:Evidence)-[:IN_SOURCE]->(d) "
                       "RETURN e.quote AS quote, e.startOffset AS s, e.endOffset AS t, d.fileName AS f", {"n": "张亚勤"})
    facts = store.query("MATCH (m:AIModel)-[r:DEVELOPED_BY]->(o) UNWIND r.evidence AS eid "
                        "MATCH (e:Evidence {id: eid}) RETURN m.name AS m, e.basis AS basis")
    assert rows and all(sample_text[r["s"]:r["t"]] == r["quote"] for r in rows)
    assert {f["basis"] for f in facts} >= {"bluebook", "curated"}


def test_cypher_cli_is_read_only(loaded_neo4j: Any, neo4j_env: dict[str, str]) -> None:
    from ecokg.cli import cli

    store, _ = loaded_neo4j
    before = store.query("MATCH (n) RETURN count(n) AS c")
    res = CliRunner().invoke(cli, ["cypher", "CREATE (n) RETURN n"], env=neo4j_env)
    assert res.exit_code == 1
    assert "read-only" in res.output
    assert store.query("MATCH (n) RETURN count(n) AS c") == before


def test_cypher_cli_parameters(loaded_neo4j: Any, gold: Any, neo4j_env: dict[str, str]) -> None:
    from ecokg.cli import cli

    res = CliRunner().invoke(cli, ["cypher", "MATCH (p:Person {name: $name})-[:HOLDS]->(m:Position) "
                                   "RETURN m.title AS title", "-p", "name=陈宏"], env=neo4j_env)
    assert res.exit_code == 0, res.output
    expected = {a["title"] for p in gold["people"] if p["name"] == "陈宏" for a in p["affiliations"]}
    assert {r["title"] for r in json.loads(res.stdout)} == expected


def test_load_cli_twice_and_wipe(loaded_neo4j: Any, built: Any, neo4j_env: dict[str, str]) -> None:
    from ecokg.cli import cli

    store, _ = loaded_neo4j
    store.query("MERGE (x:Unrelated {id: 'not-ecokg'})", write=True)
    out = ["--out", str(built.out_dir)]
    r1 = CliRunner().invoke(cli, ["load", "neo4j", *out], env=neo4j_env)
    r2 = CliRunner().invoke(cli, ["load", "neo4j", *out], env=neo4j_env)
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    a, b = json.loads(r1.stdout), json.loads(r2.stdout)
    assert (a["labels"], a["relationships"]) == (b["labels"], b["relationships"])
    assert b["written"] == {"nodes_created": 0, "relationships_created": 0, "properties_set": 0, "labels_added": 0}
    r3 = CliRunner().invoke(cli, ["load", "neo4j", "--wipe", *out], env=neo4j_env)
    assert r3.exit_code == 0, r3.output
    assert "wiped" in r3.stderr
    assert store.query("MATCH (x:Unrelated {id: 'not-ecokg'}) RETURN count(x) AS c") == [{"c": 1}]
    store.query("MATCH (x:Unrelated) DETACH DELETE x", write=True)
    counts = store.counts()
    assert (counts.classes, counts.relations) == (a["labels"], a["relationships"])


def test_bad_credentials_are_a_clear_error(neo4j_server: Any, neo4j_env: dict[str, str]) -> None:
    from ecokg.cli import cli

    res = CliRunner().invoke(cli, ["cypher", "RETURN 1", "--password", "wrong-password-123"], env=neo4j_env)
    assert res.exit_code == 1
    assert "refused the credentials" in res.output
    assert "wrong-password-123" not in res.output


def test_views_and_analytics_are_the_same_from_neo4j(loaded_neo4j: Any, built: Any, tmp_path: Any,
                                                     neo4j_env: dict[str, str]) -> None:
    """`ecokg viz` and `ecokg analyze` read the graph through the store protocol: from Neo4j they
    draw the same pages and compute the same figures as from the embedded store."""
    from ecokg.cli import cli

    out = ["--out", str(built.out_dir)]
    pages = {}
    for backend in ("rdf", "neo4j"):
        views = tmp_path / backend
        res = CliRunner().invoke(cli, ["viz", *out, "--backend", backend, "--dir", str(views),
                                       "--ego", "陈宏", "--path", "陈宏", "智谱华章"], env=neo4j_env)
        assert res.exit_code == 0, res.output
        pages[backend] = {p.name: p.read_bytes() for p in sorted(views.glob("*.html"))}
    from ecokg.views import DEFAULT_VIEWS

    assert len(pages["rdf"]) == len(DEFAULT_VIEWS) + 2  # the default views, the ego view and the path view
    assert pages["neo4j"] == pages["rdf"]
    figures = [json.loads(CliRunner().invoke(cli, ["analyze", *out, "--backend", b], env=neo4j_env).stdout)
               for b in ("rdf", "neo4j")]
    assert figures[0]["bridges"]["top"] and figures[0] == figures[1]


def test_an_empty_neo4j_says_to_load(loaded_neo4j: Any, built: Any, kg: Any, roster: Any,
                                     neo4j_env: dict[str, str]) -> None:
    """A running Neo4j without the graph is told apart from an empty answer, before any query runs."""
    from ecokg.cli import cli

    store, _ = loaded_neo4j
    org = roster["organisations"][0]["name"]
    store.clear()
    try:
        for args in (["ask", "people-of", org], ["find", org], ["analyze"]):
            res = CliRunner().invoke(cli, [*args, "--backend", "neo4j"], env=neo4j_env)
            assert res.exit_code == 1, (args, res.output)
            assert "holds no ecokg graph" in res.output and "ecokg load neo4j" in res.output, args
            assert "Traceback" not in res.output and res.output.count("\n") <= 2, res.output
    finally:
        store.write(kg)
    res = CliRunner().invoke(cli, ["ask", "people-of", org, "--backend", "neo4j", "--json"], env=neo4j_env)
    assert res.exit_code == 0, res.output


def test_the_browser_style_matches_the_ontology_and_the_loaded_labels(loaded_neo4j: Any) -> None:
    """docs/neo4j/ecokg.grass is what the ontology generates, styles every label the load
    created, and captions each with a property its nodes have."""
    import re
    from pathlib import Path

    from ecokg.ontology.neo4j import grass
    from ecokg.ontology.schema import get_schema

    shipped = (Path(__file__).parent.parent / "docs" / "neo4j" / "ecokg.grass").read_text(encoding="utf-8")
    assert shipped == grass(get_schema()), "regenerate docs/neo4j/ecokg.grass (see docs/neo4j.md)"
    rules = dict(re.findall(r"node\.(\w+) \{[^}]*caption: \"\{(\w+)\}\";", shipped))
    store, _ = loaded_neo4j
    labels = {r["label"] for r in store.query("CALL db.labels() YIELD label RETURN label")}
    ecokg_labels = {lb for lb in labels if store.query(
        f"MATCH (n:`{lb}`) WHERE n.id STARTS WITH 'https://w3id.org/ecokg/' RETURN count(n) AS c")[0]["c"]}
    assert ecokg_labels and ecokg_labels <= set(rules)
    for label in ecokg_labels:
        with_caption = store.query(f"MATCH (n:`{label}`) WHERE n.`{rules[label]}` IS NOT NULL RETURN count(n) AS c")
        assert with_caption[0]["c"] > 0, (label, rules[label])


def test_nodes_carry_their_own_class_and_the_groups_only(loaded_neo4j: Any, kg: Any) -> None:
    """A node's labels are its most specific class plus the root classes and groups users filter
    by (Organisation, Investor, Membership ...), not every intermediate superclass."""
    from ecokg.ontology.neo4j import labels
    from ecokg.ontology.schema import get_schema

    schema = get_schema()
    store, _ = loaded_neo4j
    rows = store.query("MATCH (n) WHERE n.id STARTS WITH 'https://w3id.org/ecokg/' AND NOT n:Evidence "
                       "RETURN n.id AS id, labels(n) AS labels")
    got = {r["id"]: sorted(r["labels"]) for r in rows}
    skipped = {n.id for n in kg.nodes.values() if schema.evidence_class in n.classes}
    want = {n.id: sorted(labels(schema, n.classes)) for n in kg.nodes.values() if n.id not in skipped}
    assert got == want
    deep = [n for n in kg.nodes.values() if len(schema.closure(n.classes)) > len(want.get(n.id, []))]
    assert deep, "the sample has a class below an intermediate one (a cloud provider is a company)"


def test_find_on_neo4j_uses_the_full_text_index_and_answers_as_rdf(loaded_neo4j: Any, store: Any, kg: Any) -> None:
    """find --backend neo4j looks names up in the full-text index (no scan of every node) and
    gives exactly the RDF store's candidates, whatever the text holds (Lucene's special characters
    included)."""
    from ecokg.graph.questions import questions
    from ecokg.graph.questions.engine import find, needle
    from ecokg.loaders.pinyin import initials
    from ecokg.ontology.neo4j import SEARCH_INDEX
    from ecokg.ontology.schema import get_schema

    neo, _ = loaded_neo4j
    index = neo.query("SHOW FULLTEXT INDEXES YIELD name, state, labelsOrTypes RETURN name, state, labelsOrTypes")
    assert {(r["name"], r["state"]) for r in index} >= {(SEARCH_INDEX, "ONLINE")}
    with neo.driver.session(database=neo.database) as session:
        plan = session.run("EXPLAIN " + questions()["find"].cypher, needle="x", classes=["Person"]).consume().plan

    def operators(p: Any) -> set[str]:
        return {p["operatorType"].split("@")[0], *(o for c in p.get("children", []) for o in operators(c))}

    ops = operators(plan)
    assert "ProcedureCall" in ops and not {"AllNodesScan", "NodeByLabelScan"} & ops, ops
    orgs = [n.props["name"] for n in kg.of_class("Organisation")][:15]
    needles = [*orgs, *(o[1:3] for o in orgs if len(o) > 3), *(initials(o) for o in orgs if initials(o)),
               "zhipu", "chen hong", "AI", "c++", "a:b", "(", ")", "*", "?", "\\", "/", '"', "[x]", "~", "!",
               "陽光保險", "ai+", "-"]
    for text in needles:
        if not needle(text):
            continue
        on_rdf = [(c["id"], c["cls"], c["matched"]) for c in find(store, text)]
        on_neo = [(c["id"], c["cls"], c["matched"]) for c in find(neo, text)]
        assert on_neo == on_rdf, text
    assert get_schema().entity_classes
