"""Contract tests: every named question gives the same answer on the RDF store and on Neo4j.

The arguments are derived from the built graph, not typed in: for each question we pick
entities that make the answer non-empty.
"""

from __future__ import annotations

import json

import pytest

from ecokg.graph.questions import INTERNAL, RdfBackend, ask, find, questions


@pytest.fixture(scope="module")
def rdf(store):
    return RdfBackend(store)


@pytest.fixture(scope="module")
def neo(loaded_neo4j):
    from ecokg.graph.questions import Neo4jBackend

    driver, conn, _ = loaded_neo4j
    return Neo4jBackend(driver, conn.database)


def _args(kg):
    """Arguments for every question, chosen from the graph so that answers are not empty."""
    def name(i):
        return kg.nodes[i].props["name"]

    holders = {}
    for e in kg.edges.values():
        if e.prop == "inOrganisation" and "Position" in kg.nodes[e.source].classes:
            holders.setdefault(e.target, set()).add(e.source)
    busiest_org = max(sorted(holders), key=lambda o: len(holders[o]))
    trend_sectors = {e.target for e in kg.edges.values() if e.prop == "concernsSector"}

    def sectors_of(person):
        out = set()
        for h in kg.out_edges(person, "holds"):
            out |= {e.target for e in kg.out_edges(h.target, "remitSector")}
            for o in kg.out_edges(h.target, "inOrganisation"):
                out |= {e.target for e in kg.out_edges(o.target) if e.prop in ("inSector", "investmentFocus")}
        return out

    person_with_trend = next(n.id for n in sorted(kg.of_class("Person"), key=lambda n: n.id)
                             if "Position" in {c for h in kg.out_edges(n.id, "holds") for c in kg.nodes[h.target].classes}
                             and sectors_of(n.id) & trend_sectors)
    # a co-member's organisation is at most six steps away
    group_of = {}
    for e in sorted(kg.edges.values(), key=lambda e: (e.source, e.target)):
        if e.prop == "inGroup":
            holder = next(h.source for h in kg.in_edges(e.source, "holds"))
            group_of.setdefault(e.target, []).append(holder)
    members = next(m for m in group_of.values() if len(m) > 1)
    far_org = next(o.target for h in kg.out_edges(members[-1], "holds") for o in kg.out_edges(h.target, "inOrganisation"))
    investor = next(e.target for e in sorted(kg.edges.values(), key=lambda e: e.source) if e.prop == "investor")
    trend = next(n.id for n in sorted(kg.of_class("Trend"), key=lambda n: n.props["trendNumber"]))
    people = sorted(kg.of_class("Person"), key=lambda n: n.id)
    return {
        "people-of": [name(busiest_org)],
        "organisations-of": [name(people[0].id)],
        "person-trends": [name(person_with_trend)],
        "investors-of": [f"Trend:{name(trend)}"],
        "sectors-of": [name(investor)],
        "connection": [name(members[0]), name(far_org)],
        "co-members": [name(people[-1].id)],
    }


PUBLIC = [n for n in questions() if n not in INTERNAL]


def test_every_question_has_both_query_texts():
    for q in questions().values():
        assert q.sparql.strip() and q.cypher.strip(), q.name
        for p in q.params:
            if p.kind == "entity":
                assert f"${p.name}" in q.cypher or q.post == "shortest_paths", (q.name, p.name)


@pytest.mark.neo4j
@pytest.mark.parametrize("name", PUBLIC)
def test_same_answer_on_both_backends(name, rdf, neo, built):
    q = questions()[name]
    args = dict(zip((p.name for p in q.params), _args(built.kg).get(name, [])))
    a, b = ask(rdf, name, args), ask(neo, name, args)
    assert a.rows, f"{name} {args}: empty answer"
    assert json.dumps(a.rows, sort_keys=True, default=str) == json.dumps(b.rows, sort_keys=True, default=str)
    assert a.ranking == b.ranking
    assert a.explanation == b.explanation


def test_investors_of_the_aigc_trend_are_explained(rdf):
    ans = ask(rdf, "investors-of", {"target": "Trend:AIGC"})
    assert ans.resolved["target"]["cls"] == "Trend"
    assert ans.ranking
    for item in ans.ranking:
        assert item["links"] and all(link["reason"] and link["quote"] for link in item["links"])
    bases = {link["reason"].rsplit("; ", 1)[-1].rstrip("]") for item in ans.ranking for link in item["links"]}
    assert "bluebook" in bases  # the Blue Book's own statements (商汤's investments, the fund's name) count


def test_chen_hong_to_zhipu_is_explained(rdf):
    ans = ask(rdf, "connection", {"a": "陈宏", "b": "智谱华章"})
    assert ans.explanation and ans.rows
    first = [r for r in ans.rows if r["path"] == 1]
    assert first[0]["source"] == "陈宏" and first[-1]["target"] == "智谱华章"
    assert all(r["relation"] for r in first)
    assert any(r["evidence"] for r in first)


@pytest.mark.parametrize("text,expected", [("chen hong", "陈宏"), ("Zhipu AI", "智谱华章"), ("阿里", "阿里巴巴"),
                                           ("ZHANG YAQIN", "张亚勤")])
def test_find_in_pinyin_english_and_aliases(rdf, text, expected):
    cands = find(rdf, text)
    assert cands and cands[0]["name"] == expected and cands[0]["exact"]


def test_ambiguous_and_unknown_names_are_clear_errors(rdf):
    from ecokg.errors import QueryError

    with pytest.raises(QueryError, match="no Person matches"):
        ask(rdf, "organisations-of", {"person": "不存在的人"})
    with pytest.raises(QueryError, match="no question named"):
        ask(rdf, "nodes", {})


def test_ask_cli_list_and_table(built):
    from click.testing import CliRunner

    from ecokg.cli import cli

    res = CliRunner().invoke(cli, ["ask", "--list"])
    assert res.exit_code == 0
    for name in PUBLIC:
        assert name in res.output
    res = CliRunner().invoke(cli, ["ask", "people-of", "阳光保险集团", "--out", str(built.out_dir)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    people = {r["person"] for r in data["rows"]}
    expected = {n.props["name"] for n in built.kg.of_class("Person")
                if any(built.kg.nodes[e.target].props.get("orgAsWritten") == "阳光保险集团"
                       for e in built.kg.out_edges(n.id, "holds"))}
    assert expected and expected <= people
    res = CliRunner().invoke(cli, ["ask", "people-of", "--out", str(built.out_dir)])
    assert res.exit_code == 2
