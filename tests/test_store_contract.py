"""The store contract: the same checks on every store behind the GraphStore protocol.

Each store gets the sample graph written into it, and must then report the model's
counts, give the model back exactly, change nothing on a second write, refuse writes
in read-only queries, bind parameters, and answer every named question exactly as
every other store does. The Neo4j store is the real server (never a mock); in CI it
must run.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from ecokg.graph.stores import STORES
from ecokg.graph.stores.base import Counts, GraphStore

KINDS = sorted(STORES)


@pytest.fixture(scope="session")
def rdf_written(kg: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A new embedded store on disk with the sample written into it, and the write's report."""
    from ecokg.graph.stores import open_store

    store = open_store("rdf", path=tmp_path_factory.mktemp("contract") / "store", read_only=False)
    return store, store.write(kg)


def _written(request: pytest.FixtureRequest, kind: str) -> Any:
    """(store holding the sample graph, the first write's report) of ``kind``."""
    return request.getfixturevalue("loaded_neo4j" if kind == "neo4j" else f"{kind}_written")


@pytest.fixture(params=KINDS)
def written(request: pytest.FixtureRequest) -> Any:
    return _written(request, request.param)


@pytest.fixture()
def stores(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {kind: _written(request, kind) for kind in KINDS}


def test_is_a_graph_store(written: Any) -> None:
    store, _ = written
    assert isinstance(store, GraphStore)
    assert store.kind in STORES and store.language in ("sparql", "cypher") and store.describe()


def test_counts_equal_the_models(written: Any, kg: Any) -> None:
    store, first = written
    assert first.changed > 0
    assert store.counts() == Counts.of(kg)


def test_read_back_equals_the_model(written: Any, kg: Any) -> None:
    store, _ = written
    back = store.read()
    assert back.canonical() == kg.canonical()
    # the read-back comes in the canonical order, so whatever is drawn from it is the same on every store
    assert list(back.nodes) == sorted(back.nodes)
    for n in back.nodes.values():
        assert n.evidence == sorted(n.evidence, key=back.evidence_key)


def test_second_write_changes_nothing(written: Any, kg: Any) -> None:
    store, _ = written
    before = store.counts()
    again = store.write(kg)
    assert again.changed == 0, again
    assert again.rows == written[1].rows
    assert store.counts() == before


def test_queries_are_read_only(written: Any) -> None:
    from ecokg.errors import ReadOnlyViolation

    store, _ = written
    before = store.counts()
    write = ("INSERT DATA { <urn:x> <urn:y> <urn:z> }" if store.language == "sparql"
             else "CREATE (n:Intruder {id: 'urn:x'}) RETURN n")
    with pytest.raises(ReadOnlyViolation):
        store.query(write)
    assert store.counts() == before


def test_parameters_are_bound_not_pasted(written: Any, kg: Any) -> None:
    store, _ = written
    name = sorted(n.name for n in kg.of_class("Person"))[0]
    evil = f'{name}" }} ; DROP ALL ; MATCH (n) DETACH DELETE n //'
    text = ("SELECT ?p ?name WHERE { ?p eco:name ?name }" if store.language == "sparql"
            else "MATCH (p:Person {name: $name}) RETURN p.id AS p")
    assert store.query(text, {"name": evil}) == []
    assert len(store.query(text, {"name": name})) == 1
    assert store.counts() == Counts.of(kg)


def _answers(store: Any, kg: Any) -> dict[str, Any]:
    from ecokg.graph.questions import ask
    from test_questions import question_args

    out = {}
    for name, args in question_args(kg).items():
        a = ask(store, name, args)
        assert a.rows, f"{store.kind}: {name} {args}: empty answer"
        out[name] = json.loads(json.dumps({"rows": a.rows, "ranking": a.ranking, "explanation": a.explanation,
                                           "resolved": a.resolved}, sort_keys=True, default=str))
    return out


def test_every_question_gives_the_same_answer_on_every_store(stores: Any, kg: Any) -> None:
    answers = {kind: _answers(store, kg) for kind, (store, _) in stores.items()}
    first, *others = KINDS
    for other in others:
        for name, expected in answers[first].items():
            assert answers[other][name] == expected, (other, name)


def test_clear_removes_the_ecokg_graph_and_nothing_else(written: Any, kg: Any) -> None:
    store, _ = written
    if store.kind == "neo4j":
        store.query("MERGE (x:Unrelated {id: 'not-ecokg'})", write=True)
    assert store.clear() > 0
    assert store.counts() == Counts({}, {}, 0)
    if store.kind == "neo4j":
        assert store.query("MATCH (x:Unrelated {id: 'not-ecokg'}) RETURN count(x) AS n") == [{"n": 1}]
        store.query("MATCH (x:Unrelated) DETACH DELETE x", write=True)
    store.write(kg)  # leave the store as the other tests expect it
    assert store.counts() == Counts.of(kg)


def _canon(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)


@pytest.mark.parametrize("name", ["org-bridges", "bridges", "developer-people", "people-of", "leaderboard"])
def test_pages_make_up_the_whole_answer(written: Any, name: str) -> None:
    """Pages of any size, one after another, hold exactly the rows of the whole answer, on every
    store; a page never has more rows than asked; past the end is empty."""
    from ecokg.graph.questions.engine import ask

    store, _ = written
    args = {"org": "阳光保险集团"} if name == "people-of" else {}
    whole = ask(store, name, args).rows
    assert whole, f"{name} has an answer on the sample"
    for size in (1, 3, max(1, len(whole) // 2)):
        pages: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = ask(store, name, args, limit=size, offset=offset).rows
            assert len(page) <= size
            if not page:
                break
            pages += page
            offset += size
        assert _canon(pages) == _canon(whole), (name, size)
    assert ask(store, name, args, limit=5, offset=len(whole)).rows == []
    assert ask(store, name, args, limit=0).rows == []


@pytest.mark.parametrize("evil", ['overall" ) } } SELECT * WHERE { ?s ?p ?o', "overall\\\" } #", 'x"\n} UNION { ?s ?p ?o }',
                                  "overall' } LIMIT 1"])
def test_question_parameters_are_bound_not_pasted(written: Any, kg: Any, evil: str) -> None:
    """A named question's text parameter (bound by a VALUES row on the embedded store, a parameter on
    Neo4j) is a value, whatever quotes, braces and newlines it holds: no board has that name."""
    from ecokg.graph.questions.engine import ask

    store, _ = written
    assert ask(store, "leaderboard", {"board": evil}).rows == []
    assert ask(store, "leaderboard", {"board": "overall"}).rows
    assert store.counts() == Counts.of(kg)


def test_every_store_finds_the_same_shortest_paths(stores: Any, kg: Any) -> None:
    """Neo4j's own path search and the shared two-ended search give the same shortest paths, for
    pairs of people, organisations, groups and sectors drawn from the sample (strongest first)."""
    import random

    from ecokg.graph.questions.paths import shortest_paths

    entities = sorted(n.id for n in kg.nodes.values()
                      if n.classes & {"Person", "Organisation", "ExpertGroup", "Sector", "Trend", "AIModel"})
    rnd = random.Random(13)
    pairs = [tuple(rnd.sample(entities, 2)) for _ in range(25)]
    found = {kind: [shortest_paths(store, a, b, limit=10_000) for a, b in pairs] for kind, (store, _) in stores.items()}
    first, *others = KINDS
    assert sum(bool(p) for p in found[first]) >= 10, "most pairs are connected"
    for other in others:
        assert found[other] == found[first], other
