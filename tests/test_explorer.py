"""The explorer (issue 12), over HTTP with Starlette's TestClient: every route on the embedded store
AND on the real Neo4j (the same entity facts on both), values derived from the sample's answers,
never typed in. Without starlette/jinja2/httpx (``ecokg[serve]``, ``ecokg[test]``) these tests skip
locally and fail in CI."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
from html import unescape
from typing import Any

import pytest

from needs import require
from ecokg.ontology.schema import get_schema

try:
    import httpx  # noqa: F401
    import jinja2  # noqa: F401
    from starlette.testclient import TestClient
except ImportError as e:  # pragma: no cover - named in the skip
    TestClient = None  # type: ignore[assignment,misc]
    MISSING = str(e)
else:
    MISSING = ""

ORG = "阳光保险集团"
BASE = "http://127.0.0.1"


def client_for(kg: Any, out_dir: Any = None) -> Any:
    """A TestClient on the explorer's routes behind the server's guard (Host check)."""
    require(not MISSING, f"the explorer needs starlette, jinja2 and httpx: {MISSING}")
    from ecokg.endpoint import Gate, make_app
    from ecokg.explorer import Explorer

    explorer = Explorer(lambda: kg, out_dir=out_dir)
    return TestClient(make_app(None, explorer.routes(), Gate()), base_url=BASE)


@pytest.fixture(scope="module")
def rdf_kg(built: Any) -> Any:
    import ecokg

    kg = ecokg.open(built.out_dir)
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def rdf(rdf_kg: Any, built: Any) -> Any:
    return client_for(rdf_kg, built.out_dir)


@pytest.fixture(scope="module")
def neo(loaded_neo4j: Any, built: Any) -> Any:
    from ecokg.facade import EcoKG

    return client_for(EcoKG(loaded_neo4j[0]), built.out_dir)


@pytest.fixture(params=["rdf", "neo4j"])
def client(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue("rdf" if request.param == "rdf" else "neo")


def key_of(kg: Any, name: str, classes: tuple[str, ...] = ()) -> str:
    from ecokg.explorer.reads import entity_key

    return entity_key(kg.find(name, classes)[0]["id"])


def links(html: str) -> dict[str, str]:
    """The entity links of a page: text -> href."""
    return {unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip(): unescape(m.group(1))
            for m in re.finditer(r'<a class="entity" href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)}


def test_home_search_and_suggestions(client: Any, rdf_kg: Any) -> None:
    home = client.get("/explore")
    assert home.status_code == 200 and 'data-suggest="/api/search"' in home.text
    for name in rdf_kg.questions():
        assert f'href="/questions/{name}"' in home.text
    # pinyin, Traditional Chinese and English all find the organisation
    want = rdf_kg.find(ORG)[0]
    props = client.get(f"/api/entity/{key_of(rdf_kg, ORG)}").json()["props"]
    assert props["nameEn"]
    for q in (props["pinyin"], "陽光保險集團", props["nameEn"], *props.get("alias", [])):
        found = client.get("/api/search", params={"q": q}).json()["results"]
        assert want["id"] in [r["id"] for r in found], q
    page = client.get("/search", params={"q": ORG})
    assert page.status_code == 200 and links(page.text)[ORG].startswith("/entity/org/")


def test_the_organisation_page_lists_its_people_with_evidence(client: Any, rdf_kg: Any) -> None:
    people = {r["person"] for r in rdf_kg.ask("people-of", ORG).rows}
    page = client.get(f"/entity/{key_of(rdf_kg, ORG)}")
    assert page.status_code == 200
    found = links(page.text)
    assert people <= set(found), (people, found)
    for person in people:
        assert found[person] == f"/entity/{key_of(rdf_kg, person, ('Person',))}"
    # every post at the organisation itself shows the quote it rests on
    for row in rdf_kg.ask("people-of", ORG).rows:
        if row["organisation"] == ORG:
            quoted = unescape(page.text).replace('<q class="quote">', "«").replace("</q>", "»")
            assert f"«{row['quote']}»" in quoted


def test_a_person_page_shows_each_post_with_its_quote_and_source(client: Any, rdf_kg: Any) -> None:
    posts = rdf_kg.ask("organisations-of", "王睿").rows
    page = client.get(f"/entity/{key_of(rdf_kg, '王睿', ('Person',))}")
    text = unescape(page.text)
    assert posts
    for post in posts:
        assert post["organisation"] in text and post["quote"] in text
    evidence = re.findall(r'href="(/evidence/[^"]+)"', page.text)
    assert evidence
    src = client.get(evidence[0])
    assert src.status_code == 200 and '<mark id="quote">' in src.text


def test_source_text_shows_the_quote_at_its_offsets(client: Any, rdf_kg: Any, sample_text: str) -> None:
    data = client.get(f"/api/entity/{key_of(rdf_kg, '王睿', ('Person',))}").json()
    ev = next(e for g in data["groups"] for f in g["facts"] for e in f["evidence"] if e.get("start") is not None)
    page = client.get("/evidence/" + ev["id"].split("/id/", 1)[1])
    mark = unescape(re.search(r'<mark id="quote">(.*?)</mark>', page.text, re.S).group(1))
    assert mark == ev["quote"] == sample_text[ev["start"]:ev["end"]]
    before = unescape(re.search(r'<pre class="context">(.*?)<mark', page.text, re.S).group(1))
    assert sample_text[:ev["start"]].endswith(before)


def test_neighbours_json_is_capped_with_the_count_of_the_rest(client: Any, rdf_kg: Any) -> None:
    key = key_of(rdf_kg, ORG)
    whole = client.get(f"/api/neighbours/{key}", params={"limit": 200}).json()
    around = {n["id"] for n in whole["nodes"]} - {whole["center"]}
    people = {r["person"] for r in rdf_kg.ask("people-of", ORG).rows if r["organisation"] == ORG}
    assert people <= {n["label"] for n in whole["nodes"]}
    assert whole["more"] == 0 and whole["total"] == len(around)
    one = client.get(f"/api/neighbours/{key}", params={"limit": 1}).json()
    assert len(one["nodes"]) == 2 and one["more"] == len(around) - 1
    rest = client.get(f"/api/neighbours/{key}", params={"limit": 200, "offset": 1}).json()
    assert {n["id"] for n in one["nodes"] + rest["nodes"]} - {whole["center"]} == around
    assert all(e["from"] == whole["center"] or e["to"] == whole["center"] for e in whole["edges"])
    assert all(set(e["bases"]) <= set(get_schema().bases) for e in whole["edges"])


def test_a_question_as_a_form_with_json_csv_and_its_queries(client: Any, rdf_kg: Any) -> None:
    want = rdf_kg.ask("people-of", ORG)
    form = client.get("/questions/people-of")
    assert form.status_code == 200 and 'name="org"' in form.text and "data-suggest" in form.text
    page = client.get("/questions/people-of", params={"org": ORG})
    cells = [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", page.text, re.S)]
    for row in want.rows:
        assert row["person"] in cells and row["quote"] in cells
    assert "/go?name=" in page.text  # names link to their pages
    as_json = client.get("/questions/people-of.json", params={"org": ORG}).json()
    assert sorted(map(json.dumps, as_json["rows"])) == sorted(json.dumps(r) for r in want.rows)
    as_csv = list(csv.DictReader(io.StringIO(client.get("/questions/people-of.csv", params={"org": ORG}).text)))
    assert sorted(r["person"] for r in as_csv) == sorted(r["person"] for r in want.rows)
    query = client.get("/questions/people-of/query").text
    q = rdf_kg.questions()["people-of"]
    assert q.sparql.strip() in unescape(query) and q.cypher.strip() in unescape(query)
    assert "answers/" not in query  # asked of the store


def test_the_query_page_says_when_the_answer_was_computed_by_the_build(rdf: Any, neo: Any, rdf_kg: Any) -> None:
    assert rdf_kg.store.materialised().get("bridges")  # the built folder saved it
    assert "answers/bridges.json" in rdf.get("/questions/bridges/query").text
    assert "answers/" not in neo.get("/questions/bridges/query").text  # Neo4j runs the Cypher


def test_go_follows_a_name_to_its_page(client: Any, rdf_kg: Any) -> None:
    r = client.get("/go", params={"name": "王睿"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/entity/{key_of(rdf_kg, '王睿', ('Person',))}"
    r = client.get("/go", params={"name": "no such name at all 不存在"}, follow_redirects=False)
    assert r.headers["location"].startswith("/search?")


def test_the_path_between_two_entities_is_explained(client: Any, rdf_kg: Any) -> None:
    answer = rdf_kg.ask("connection", "陈宏", "智谱华章")
    page = client.get("/path", params={"a": "陈宏", "b": "智谱华章"})
    assert page.status_code == 200
    steps = {r["path"] for r in answer.rows}
    assert page.text.count('<ol class="steps">') == len(steps)
    names = {r["source"] for r in answer.rows} | {r["target"] for r in answer.rows}
    text = unescape(page.text)
    assert [n for n in names if n not in text] == []
    drawn = client.get("/api/path", params={"a": "陈宏", "b": "智谱华章"}).json()
    assert drawn["paths"] == len(steps) and names <= {n["label"] for n in drawn["nodes"]}
    assert {(r["source"], r["target"]) for r in answer.rows} <= (
        {(a, b) for a, b in ((_label(drawn, e["from"]), _label(drawn, e["to"])) for e in drawn["edges"])}
        | {(b, a) for a, b in ((_label(drawn, e["from"]), _label(drawn, e["to"])) for e in drawn["edges"])})


def _label(drawn: dict[str, Any], node_id: str) -> str:
    return next(n["label"] for n in drawn["nodes"] if n["id"] == node_id)


def test_the_same_entity_facts_on_both_stores(rdf: Any, neo: Any, rdf_kg: Any) -> None:
    """The contract: every page's data is the same whichever store answers."""
    people = sorted({r["person"] for r in rdf_kg.ask("people-of", ORG).rows})
    model = rdf_kg.ask("leaderboard").rows[0]["model"]  # a model with scores (forModel, read apart)
    names = [ORG, *people, "智谱华章", "人工智能", model]
    for name in names:
        key = key_of(rdf_kg, name)
        a, b = rdf.get(f"/api/entity/{key}").json(), neo.get(f"/api/entity/{key}").json()
        assert a["groups"], name
        assert a == b, name
        if name == model:
            assert any(g["relation"] == "forModel" and g["facts"][0]["details"].get("score") for g in a["groups"])
        assert rdf.get(f"/api/neighbours/{key}").json() == neo.get(f"/api/neighbours/{key}").json(), name
    for q in ("阳光", "wangrui", "Sunshine"):
        assert rdf.get("/api/search", params={"q": q}).json() == neo.get("/api/search", params={"q": q}).json()


def test_errors_are_pages_not_stack_traces(client: Any) -> None:
    for url, status in [("/entity/person/no-such-person-0", 404), ("/entity/..%2F..%2Fetc%2Fpasswd", 400),
                        ("/questions/no-such-question", 400), ("/evidence/evidence/nothing-here", 404),
                        ("/static/..%2Fapp.py", 404), ("/questions/people-of.json", 400)]:
        r = client.get(url)
        assert r.status_code == status, url
        assert "Traceback" not in r.text and "File \"" not in r.text
    bad = client.get("/questions/people-of", params={"org": "no such organisation 不存在"})
    assert bad.status_code == 400 and "no Organisation matches" in unescape(bad.text)


def test_read_only_headers_and_host_check(client: Any) -> None:
    r = client.get("/explore")
    policy = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "http" not in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert client.post("/explore").status_code == 405  # GET only
    assert client.get("/explore", headers={"Host": "evil.example"}).status_code == 403
    js = client.get("/static/explorer.js")
    assert js.status_code == 200 and "innerHTML" not in js.text
    assert client.get("/static/vis-network.min.js").status_code == 200


def test_pages_load_nothing_from_elsewhere(client: Any, rdf_kg: Any) -> None:
    for url in ["/explore", f"/entity/{key_of(rdf_kg, ORG)}", "/questions/people-of?org=" + urllib.parse.quote(ORG),
                "/search?q=" + urllib.parse.quote(ORG)]:
        html = client.get(url).text
        for attr in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert not re.match(r"(?i)^(https?:)?//", attr), (url, attr)


def test_serve_prints_the_explorer_and_serves_both(built: Any) -> None:
    """`running_server` (uvicorn) serves the explorer beside the SPARQL endpoint."""
    import urllib.request

    from ecokg.serve import running_server

    require(not MISSING, f"the explorer needs starlette and jinja2: {MISSING}")
    with running_server(built.out_dir, "127.0.0.1", 0, log=lambda m: None) as url:
        with urllib.request.urlopen(url + "/explore") as resp:
            assert "ecokg explorer" in resp.read().decode("utf-8")
        with urllib.request.urlopen(url + "/") as resp:
            assert 'href="/explore"' in resp.read().decode("utf-8")
        ask = url + "/query?" + urllib.parse.urlencode({"query": "ASK {}"})
        with urllib.request.urlopen(ask) as resp:
            assert resp.status == 200


def test_payloads_in_names_and_quotes_are_escaped(tmp_path: Any) -> None:
    """Names, titles, aliases, quotes and file names that are HTML or script come back as text on
    every page and in every JSON answer (escaped by Jinja2, never pasted)."""
    import ecokg
    from explorer_hostile import ORG as BAD_ORG
    from explorer_hostile import PERSON as BAD_PERSON
    from explorer_hostile import QUOTE, RAW, TITLE, write_hostile

    kg = ecokg.open(write_hostile(tmp_path))
    c = client_for(kg)
    org, person = key_of(kg, "阳光"), key_of(kg, "张")
    pages = [f"/entity/{org}", f"/entity/{person}", "/search?q=" + urllib.parse.quote("阳光"),
             "/search?q=" + urllib.parse.quote("<script>"), "/questions/people-of?org=" + urllib.parse.quote("阳光"),
             "/path?a=" + urllib.parse.quote(person) + "&b=" + urllib.parse.quote(org), "/go?name=%3Cscript%3E"]
    ev = c.get(f"/api/entity/{org}").json()["evidence"][0]["id"].split("/id/", 1)[1]
    pages.append(f"/evidence/{ev}")
    seen = ""
    for url in pages:
        r = c.get(url)
        assert r.status_code in (200, 400), url
        for raw in RAW:
            assert raw not in r.text, (url, raw)
        seen += unescape(r.text)
    for text in (BAD_ORG, BAD_PERSON, TITLE, QUOTE):
        assert text in seen, text
    assert "&lt;script&gt;" in c.get(f"/entity/{person}").text
    api = c.get("/api/search", params={"q": "阳光"})
    assert api.headers["content-type"].startswith("application/json") and api.json()["results"][0]["name"] == BAD_ORG
    kg.close()


def test_serve_on_neo4j_serves_the_explorer_only(loaded_neo4j: Any, neo4j_server: Any, rdf_kg: Any) -> None:
    """`ecokg serve --backend neo4j`: the explorer reads Neo4j; there is no SPARQL endpoint."""
    import urllib.error
    import urllib.request

    from ecokg.serve import running_server

    require(not MISSING, f"the explorer needs starlette and jinja2: {MISSING}")
    settings = {"uri": neo4j_server.uri, "user": neo4j_server.user, "password": neo4j_server.password,
                "database": neo4j_server.database}
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with running_server(rdf_kg.store.path.parent, "127.0.0.1", 0, backend="neo4j", neo4j=settings,
                        log=lambda m: None) as url:
        with opener.open(url + "/") as resp:  # redirected to the explorer
            assert resp.url.endswith("/explore") and "ecokg explorer" in resp.read().decode("utf-8")
        with opener.open(url + f"/entity/{key_of(rdf_kg, ORG)}") as resp:
            page = resp.read().decode("utf-8")
        assert {r["person"] for r in rdf_kg.ask("people-of", ORG).rows} <= set(links(page))
        with pytest.raises(urllib.error.HTTPError) as err:
            opener.open(url + "/query?query=ASK%7B%7D")
        assert err.value.code == 404


def test_a_page_past_the_time_limit_is_a_503_and_the_server_keeps_answering(rdf_kg: Any) -> None:
    import time

    from ecokg.endpoint import Gate, make_app
    from ecokg.explorer import Explorer

    require(not MISSING, f"the explorer needs starlette, jinja2 and httpx: {MISSING}")
    explorer = Explorer(lambda: rdf_kg, timeout=0.5)
    slow = explorer.reader.entity
    explorer.reader.entity = lambda *a, **k: (time.sleep(3), slow(*a, **k))[1]  # type: ignore[method-assign]
    c = TestClient(make_app(None, explorer.routes(), Gate()), base_url=BASE)
    start = time.monotonic()
    r = c.get(f"/entity/{key_of(rdf_kg, ORG)}")
    assert r.status_code == 503 and "longer than 0.5 s" in unescape(r.text)
    assert time.monotonic() - start < 2.5
    assert c.get("/api/search", params={"q": ORG}).json()["results"][0]["name"] == ORG


def test_serve_in_memory_gives_the_same_pages(built: Any, rdf: Any, rdf_kg: Any) -> None:
    import urllib.request

    from ecokg.serve import running_server

    require(not MISSING, f"the explorer needs starlette and jinja2: {MISSING}")
    key = key_of(rdf_kg, ORG)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with running_server(built.out_dir, "127.0.0.1", 0, memory=True, log=lambda m: None) as url:
        with opener.open(f"{url}/api/entity/{key}") as resp:
            assert json.loads(resp.read()) == rdf.get(f"/api/entity/{key}").json()


def test_the_explorer_follows_a_build_to_its_new_generation(built: Any, tmp_path: Any, store: Any) -> None:
    """A build that switches OUT/current: the explorer reads the new graph at the next request."""
    import os
    import shutil
    import urllib.request
    from pathlib import Path

    from ecokg.graph.stores.oxigraph import RdfStore
    from ecokg.serve import running_server
    from explorer_hostile import ORG as OTHER
    from explorer_hostile import hostile_graph

    require(not MISSING, f"the explorer needs starlette and jinja2: {MISSING}")
    out = tmp_path / "out"
    (out / "generations" / "g1").mkdir(parents=True)
    shutil.copytree(store.path, out / "generations" / "g1" / "store")
    (out / "current").symlink_to(Path("generations") / "g1")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def names(url: str) -> list[str]:
        with opener.open(url + "/api/search?q=" + urllib.parse.quote("阳光")) as resp:
            return [r["name"] for r in json.loads(resp.read())["results"]]
    with running_server(out, "127.0.0.1", 0, log=lambda m: None) as url:
        assert ORG in names(url) and OTHER not in names(url)
        (out / "generations" / "g2").mkdir()
        other = RdfStore(out / "generations" / "g2" / "store")
        other.write(hostile_graph())
        other.close()
        (out / "next").symlink_to(Path("generations") / "g2")
        os.replace(out / "next", out / "current")  # the one rename a build makes
        assert names(url) == [OTHER]
