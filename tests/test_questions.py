"""The named questions: their files, their answers on the sample, clear errors.

The arguments are derived from the built graph, not typed in: for each question we pick
entities that make the answer non-empty (:func:`question_args`, which the store
contract tests use to check that every store gives the same answers).
"""

from __future__ import annotations

import json

import pytest
from ecokg.graph.questions import ask, find, public_questions, questions


@pytest.fixture(scope="module")
def rdf(store):
    return store


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
    # the developer whose overall total scores span the most months
    months: dict[str, set] = {}
    for r in kg.of_class("BenchmarkResult"):
        if r.props.get("measure", "总分") == "总分" and r.props.get("board", "overall") == "overall":
            for m in kg.out_edges(r.id, "forModel"):
                for d in kg.out_edges(m.target, "developedBy"):
                    months.setdefault(d.target, set()).add(str(r.props.get("assessedIn")))
    racer = max(sorted(months), key=lambda d: len(months[d]))
    makers_at: dict[str, set] = {}
    for e in kg.edges.values():
        if e.prop == "locatedIn" and any(True for _ in kg.in_edges(e.source, "developedBy")):
            makers_at.setdefault(e.target, set()).add(e.source)
    place = max(sorted(makers_at), key=lambda p: len(makers_at[p]))
    tied = {pos_org.target for e in kg.edges.values() if e.prop == "holds"
            for pos_org in kg.out_edges(e.target, "inOrganisation")}
    developer = next(d for d in sorted(months, key=lambda d: (-len(months[d]), d)) if d in tied)
    return {
        "model-race": [name(racer)],
        "makers-in": [name(place)],
        "developer-ties": [name(developer)],
        "people-of": [name(busiest_org)],
        "organisations-of": [name(people[0].id)],
        "person-trends": [name(person_with_trend)],
        "investors-of": [f"Trend:{name(trend)}"],
        "sectors-of": [name(investor)],
        "connection": [name(members[0]), name(far_org)],
        "co-members": [name(people[-1].id)],
    }


PUBLIC = list(public_questions())


def question_args(kg):
    """For every public question, arguments (by parameter name) that make its answer non-empty."""
    chosen = _args(kg)
    return {n: dict(zip((p.name for p in q.params if not p.optional), chosen.get(n, [])))
            for n, q in public_questions().items()}


def test_every_question_has_both_query_texts_or_composes_others():
    for q in questions().values():
        if q.post and not q.sparql:
            assert q.uses, q.name  # a composed question names the questions it runs
            continue
        assert q.sparql.strip() and q.cypher.strip(), q.name
        for p in q.params:
            if p.type == "entity":
                assert f"${p.name}" in q.cypher and f"?{p.name}" in q.sparql, (q.name, p.name)
            if p.type in ("iris", "classes", "triples"):
                assert p.placeholder in q.sparql and f"${p.name}" in q.cypher, (q.name, p.name)


def test_a_question_file_is_checked(tmp_path):
    from ecokg.graph.questions.spec import load

    from ecokg.errors import SchemaError

    good = "name: x\nsummary: s\ncolumns: {a: text}\nsparql: SELECT ?a {}\ncypher: RETURN 1 AS a\n"
    assert load(good).columns == {"a": "text"}
    for bad, message in ((good.replace("text", "txt"), "column 'a' has type"),
                         (good.replace("cypher: RETURN 1 AS a\n", ""), "both a sparql and a cypher"),
                         (good + "params: [{name: p, type: entity, classes: [Persn]}]\n", "Persn"),
                         (good + "colour: red\n", "unknown field")):
        with pytest.raises(SchemaError, match=message):
            load(bad)


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
        ask(rdf, "nodes", {})  # internal building blocks are not questions users ask
    with pytest.raises(QueryError, match="people-of takes ORG"):
        ask(rdf, "people-of", ["a", "b"])


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


def test_the_path_step_looks_up_every_entity_class_on_neo4j():
    """The Cypher step of the path search finds a node under its root label; every root class of
    the ontology that a path may cross must be there, or Neo4j finds fewer paths than SPARQL."""
    from ecokg.ontology.schema import get_schema

    schema = get_schema()
    plumbing = {"Evidence", "SourceDocument", "Report", "Benchmark", "BenchmarkResult"}
    roots = [c for c in schema.classes if not [a for a in schema.ancestors(c) if a != c] and c not in plumbing]
    cypher = questions()["neighbours"].cypher
    assert [c for c in roots if f"(n:{c} {{id: id}})" not in cypher] == []


def test_no_answer_repeats_a_row(rdf, kg):
    """A fact cited twice (one post in two lists) is one row, not two."""
    for name, args in question_args(kg).items():
        rows = ask(rdf, name, args).rows
        seen = [tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows]
        assert len(seen) == len(set(seen)), name


def test_a_post_cited_twice_is_one_row(rdf, kg):
    twice = [e for e in kg.edges.values() if e.prop == "holds"
             and len({ev.quote for ev in kg.nodes[e.target].evidence}) < len(kg.nodes[e.target].evidence)]
    assert twice, "the sample has a post cited in two lists"
    pos = kg.nodes[twice[0].target]
    org = next(kg.nodes[o.target].props["name"] for o in kg.out_edges(pos.id, "inOrganisation"))
    person = kg.nodes[twice[0].source].props["name"]
    rows = [r for r in ask(rdf, "people-of", {"org": org}).rows if r["person"] == person]
    assert len(rows) == len({(r["title"], r["organisation"], r["quote"]) for r in rows})


def test_surnames_are_read_as_surnames_and_found_in_pinyin(rdf, kg):
    """曾 is zeng in a name (not ceng): people whose surname has another common reading are
    found by the surname's reading."""
    from pypinyin import lazy_pinyin

    from ecokg.graph.questions.engine import find
    from ecokg.loaders.lists.lexicon import SURNAME_READINGS

    tricky = [p for p in kg.of_class("Person") if p.props["name"][0] in SURNAME_READINGS
              and lazy_pinyin(p.props["name"][0])[0] != SURNAME_READINGS[p.props["name"][0]]]
    assert tricky, "the sample has people with polyphonic surnames (曾, 仇, 单 ...)"
    for p in tricky:
        full = lazy_pinyin(p.props["name"][1:])
        query = f"{SURNAME_READINGS[p.props['name'][0]]} {''.join(full)}"
        assert p.id in {c["id"] for c in find(rdf, query)}, (p.props["name"], query)


def test_traditional_chinese_finds_the_simplified_entity(rdf, roster):
    import opencc

    from ecokg.graph.questions.engine import find

    to_trad = opencc.OpenCC("s2t")
    changed = [o["name"] for o in roster["organisations"] if to_trad.convert(o["name"]) != o["name"]][:20]
    assert changed
    for name in changed:
        assert name in {c["name"] for c in find(rdf, to_trad.convert(name))}, name


def test_organisations_are_found_by_pinyin_and_initials(rdf, kg):
    """An analyst types 阳光保险集团 as yangguangbaoxian or as its initials ygbxjt."""
    from ecokg.graph.questions.engine import find
    from ecokg.loaders.pinyin import initials, name_pinyin

    orgs = [n for n in kg.of_class("Organisation") if any("\u4e00" <= ch <= "\u9fff" for ch in n.props["name"])]
    assert len(orgs) > 20
    for org in orgs[:40]:
        name = org.props["name"]
        spoken = name_pinyin(name).replace(" ", "")
        assert org.id in {c["id"] for c in find(rdf, spoken)}, (name, spoken)
        by_initials = find(rdf, initials(name))
        assert org.id in {c["id"] for c in by_initials if c["matched"] == "initials"}, name
        # initials match whole: a prefix of them finds nothing by initials
        if len(initials(name)) > 2:
            assert org.id not in {c["id"] for c in find(rdf, initials(name)[:-1]) if c["matched"] == "initials"}


def test_the_leaderboard_defaults_to_the_latest_month_of_its_board(rdf, kg):
    """The default month comes from one small query first (latest-month); the answer names it and
    equals the answer for that month given explicitly, on every board of the graph."""
    results = [n for n in kg.nodes.values() if "BenchmarkResult" in n.classes]
    boards = {n.props.get("board", "overall") for n in results}
    assert len(boards) > 1
    for board in sorted(boards):
        months = {str(n.props["assessedIn"]) for n in results
                  if n.props.get("board", "overall") == board and n.props.get("assessedIn")}
        default = ask(rdf, "leaderboard", {"board": board})
        assert default.params["date"] == max(months)
        explicit = ask(rdf, "leaderboard", {"board": board, "date": max(months)})
        assert default.ranking == explicit.ranking and default.rows == explicit.rows
        assert {r["assessedIn"] for r in default.rows} == {max(months)}


def test_a_page_of_a_ranking_equals_that_slice_of_the_whole_ranking(rdf, kg):
    """investors-of reads the people of the page's investors only; the page must not differ."""
    target = question_args(kg)["investors-of"]
    whole = ask(rdf, "investors-of", target)
    n = len(whole.ranking)
    assert n > 2 and any(item["people"] for item in whole.ranking)
    for offset, limit in ((0, 1), (1, 2), (n - 1, 5)):
        page = ask(rdf, "investors-of", target, limit=limit, offset=offset)
        assert page.ranking == whole.ranking[offset:offset + limit]
