"""Neo4j answers from the answers the build saved, loaded with the graph (graph/stores/neo4j_answers.py),
against the real server over Bolt: for every saved question and every parameter value, the answer
from the loaded answers equals the question's Cypher on the same database and the embedded store's
answer, on the sample and on generated graphs; the answers are used only while Neo4j holds the graph
they were computed for (not after a write through ecokg, a load of another graph, a load that did
not finish, or ``clear``); an unchanged re-load leaves them as they are; they are not entities.

Every expected value comes from the input: the build's own files, the model, the Cypher."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.questions import materialise
from ecokg.graph.questions.engine import _sort_key
from ecokg.graph.questions.spec import public_questions, questions
from ecokg.graph.stores import answers as saved
from ecokg.graph.stores import neo4j_answers
from ecokg.graph.stores.base import Counts, StaleAnswers
from ecokg.graph.stores.neo4j_write import plan
from test_materialise import parameter_values

pytestmark = pytest.mark.neo4j



def generation(out: Path) -> Path:
    return (Path(out) / "current").resolve()


def cli_load(out: Path, env: dict[str, str], *extra: str) -> dict[str, Any]:
    """``ecokg load neo4j --out OUT``: its JSON report."""
    from ecokg.cli import cli

    res = CliRunner().invoke(cli, ["load", "neo4j", "--out", str(out), *extra], env=env)
    assert res.exit_code == 0, res.output
    report: dict[str, Any] = json.loads(res.stdout)
    return report


def fresh(store: Any) -> Any:
    """Another store object on the same driver: one that has read no answer yet (a store keeps what
    it read while the graph stays the same)."""
    from ecokg.graph.stores.neo4j import Neo4jStore

    return Neo4jStore(store.driver, store.database)


def answer_nodes(store: Any) -> list[str]:
    return [r["id"] for r in store.query(f"MATCH (a:{neo4j_answers.ANSWER_LABEL}) RETURN elementId(a) AS id "
                                         "ORDER BY id")]


def cypher_rows(store: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The question's own Cypher, run directly (no saved answer in the way), in the engine's order."""
    return sorted(store.run_question(questions()[name], params), key=_sort_key)


def compare(model: KnowledgeGraph, neo: Any, files: dict[str, Any], label: str) -> None:
    """Every saved answer, for every parameter value: Neo4j's loaded answer == its Cypher == the
    embedded store's saved answer (``files``, read from the same generation)."""
    offered = neo.materialised()
    assert sorted(offered) == sorted(files) == sorted(materialise.MATERIALISED), label
    for name in sorted(offered):
        answered = 0
        for params in parameter_values(model, name):
            from_neo = materialise.select(name, offered[name], params)
            assert from_neo == cypher_rows(neo, name, params), (label, name, params)
            assert from_neo == materialise.select(name, files[name], params), (label, name, params)
            answered += any(v is not None for r in from_neo for v in r.values())
        assert answered, f"{label}: {name} has an answer"


def refusing_saved_questions(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the store refuse to run the Cypher of a question whose answer was saved (so a fallback
    to the Cypher, which gives the same rows only slowly, fails)."""
    original = store.run_question

    def run_question(q: Any, *args: Any, **kwargs: Any) -> Any:
        assert q.name not in materialise.MATERIALISED, f"ran the Cypher of {q.name}"
        return original(q, *args, **kwargs)

    monkeypatch.setattr(store, "run_question", run_question)


@pytest.fixture()
def neo(loaded_neo4j: Any, kg: KnowledgeGraph) -> Iterator[Any]:
    """The session's Neo4j store, emptied; afterwards the sample graph again, without answers (as
    ``loaded_neo4j`` left it for the other tests)."""
    store, _ = loaded_neo4j
    store.clear()
    yield store
    store.saved_answers = True
    store.clear()
    store.write(kg)



# ------------------------------------------------------------------------------ same answers
def test_the_sample_answers_from_its_loaded_answers(neo: Any, built: Any, kg: KnowledgeGraph, store: Any,
                                                    neo4j_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import ecokg
    from test_questions import question_args

    report = cli_load(built.out_dir, neo4j_env)
    files = saved.held(saved.of_generation(generation(built.out_dir)))
    assert report["answers"]["questions"] == len(files) and report["answers"]["nodes_written"] > len(files)
    compare(kg, neo, files, "sample")

    # through ask, whole and paged: the same rows and rankings with the answers, with the Cypher alone
    # and on the embedded store
    args = question_args(kg)
    names = [n for n in public_questions() if n in files]
    with_answers = {}
    with monkeypatch.context() as m:
        refusing_saved_questions(neo, m)
        for name in names:
            with_answers[name] = ecokg.EcoKG(neo).ask(name, **args[name])
        page = ecokg.EcoKG(neo).ask("bridges", limit=3, offset=2).rows
    assert page == with_answers["bridges"].rows[2:5]
    neo.saved_answers = False
    assert neo.materialised() == {}
    with ecokg.open(built.out_dir) as rdf:
        for name in names:
            by_cypher = ecokg.EcoKG(neo).ask(name, **args[name])
            embedded = rdf.ask(name, **args[name])
            assert with_answers[name].rows, name
            assert with_answers[name].rows == by_cypher.rows == embedded.rows, name
            assert with_answers[name].ranking == by_cypher.ranking == embedded.ranking, name

    # and the answers are no entities: the graph reads back, counts and finds as without them
    neo.saved_answers = True
    assert answer_nodes(neo)
    assert neo.query(f"MATCH (a:{neo4j_answers.ANSWER_LABEL}) WHERE a.id IS NOT NULL RETURN count(a) AS c") == [{"c": 0}]
    assert neo.counts() == Counts.of(kg) == store.counts()
    assert neo.read().canonical() == kg.canonical()
    assert not neo.is_empty()
    assert ecokg.EcoKG(neo).find("bridges") == []


@pytest.mark.parametrize("seed", [3, 11])
def test_generated_graphs_answer_from_their_loaded_answers(neo: Any, generate: Any, seed: int, tmp_path: Path,
                                                          neo4j_env: dict[str, str]) -> None:
    """bench/generate.py's graphs, written as a build writes them (rows and answers), loaded by the
    command: every saved answer for every parameter value equals the Cypher and the files."""
    model = generate.generate(400, seed=seed)
    generate.write(model, tmp_path / "out", shacl=False, dump=False)
    report = cli_load(tmp_path / "out", neo4j_env)
    files = saved.held(saved.of_generation(generation(tmp_path / "out")))
    assert report["answers"]["questions"] == len(files) == len(materialise.MATERIALISED)
    compare(model, neo, files, f"seed {seed}")
    assert neo.counts() == Counts.of(model)


# ------------------------------------------------------------------------------ never stale
def test_a_write_through_ecokg_withdraws_the_answers_until_a_full_load(neo: Any, built: Any, kg: KnowledgeGraph,
                                                                         neo4j_env: dict[str, str]) -> None:
    import ecokg

    cli_load(built.out_dir, neo4j_env)
    offered = fresh(neo).materialised()
    before = ecokg.EcoKG(neo).ask("bridges").rows
    person = before[0]["person"]
    renamed = f"{person} (renamed)"
    neo.query("MATCH (p:Person {name: $old}) SET p.name = $new", {"old": person, "new": renamed}, write=True)

    assert neo.materialised() == {}
    with pytest.raises(StaleAnswers):  # offered before the write, not read yet: refused when read
        offered["developer-people"]
    after = ecokg.EcoKG(neo).ask("bridges").rows
    assert after == cypher_rows(neo, "bridges", {}) and renamed in {r["person"] for r in after}

    # a plain re-load cannot see the rename (the content hashes did not change): no answers
    quick = cli_load(built.out_dir, neo4j_env)
    assert quick["nodes"]["unchanged"] == len(kg.nodes) + len(kg.all_evidence())
    assert quick["answers"]["withheld"] and neo.materialised() == {}
    # --full puts the name back and vouches for the answers again
    full = cli_load(built.out_dir, neo4j_env, "--full")
    assert full["answers"]["questions"] == len(materialise.MATERIALISED)
    assert ecokg.EcoKG(neo).ask("bridges").rows == before == cypher_rows(neo, "bridges", {})
    assert "bridges" in neo.materialised()


def test_a_load_of_another_graph_replaces_or_retires_the_answers(neo: Any, built: Any, kg: KnowledgeGraph,
                                                                  generate: Any, tmp_path: Path,
                                                                  neo4j_env: dict[str, str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ecokg.ontology.terms import C

    cli_load(built.out_dir, neo4j_env)
    sample_nodes = set(answer_nodes(neo))
    offered = fresh(neo).materialised()
    bridges_of_sample = cypher_rows(neo, "bridges", {})
    other = generate.generate(300, seed=5)

    # another graph without answers (the Python API, as an older build loads): none are offered,
    # those of the sample are gone, and what was offered before is refused when read
    report = neo.load(plan(other))
    assert report.answers["nodes_deleted"] == len(sample_nodes) and answer_nodes(neo) == []
    assert neo.materialised() == {}
    org = sorted(n.id for n in kg.nodes.values() if C.Organisation in n.classes)[0]
    with pytest.raises(StaleAnswers):
        materialise.select("people-at", offered["people-at"], {"ids": [org]})
    bridges = questions()["bridges"]
    with monkeypatch.context() as m:  # an ask offered the old answers just before the load runs the Cypher
        m.setattr(neo, "materialised", lambda: offered)
        assert materialise.run(neo, bridges, {}) == neo.run_question(bridges, {})
    assert cypher_rows(neo, "bridges", {}) != bridges_of_sample

    # another graph with its answers (a built folder): the new graph's answers replace them
    generate.write(other, tmp_path / "out", shacl=False, dump=False)
    report = cli_load(tmp_path / "out", neo4j_env)
    assert report["answers"]["questions"] == len(materialise.MATERIALISED)
    assert not set(answer_nodes(neo)) & sample_nodes
    assert materialise.run(neo, bridges, {}) == cypher_rows(neo, "bridges", {})

    # a load that did not finish: none offered until one does
    neo.query("MATCH (m:EcoKGLoad) SET m.state = 'running'", write=True)
    assert neo.materialised() == {}


def node_hashes(out: Path) -> dict[tuple[str, str, str, int], str]:
    """The answer nodes a load makes of the folder's saved answers: identity -> hash of its rows."""
    files = saved.held(saved.of_generation(generation(out)))
    return {(n["question"], n["part"], n["key"], n["chunk"]): n["hash"]
            for name, table in files.items() for n in neo4j_answers.answer_nodes(name, table)}


def test_a_changed_graph_rewrites_only_the_answer_nodes_that_changed(neo: Any, generate: Any, tmp_path: Path,
                                                                    neo4j_env: dict[str, str]) -> None:
    """Rename a person who sits in two groups: the load of the new build rewrites exactly the answer
    nodes whose rows differ between the two builds' files, and leaves the others as they are."""
    from ecokg.ontology.terms import C

    model = generate.generate(400, seed=3)
    generate.write(model, tmp_path / "a", shacl=False, dump=False)
    bridges = saved.held(saved.of_generation(generation(tmp_path / "a")))["bridges"]
    person = next(n for n in sorted(model.nodes.values(), key=lambda n: n.id)
                  if C.Person in n.classes and n.props.get("name") == bridges[0]["person"])
    person.props["name"] = f"{bridges[0]['person']}（改名）"
    generate.write(model, tmp_path / "b", shacl=False, dump=False)
    before, after = node_hashes(tmp_path / "a"), node_hashes(tmp_path / "b")
    changed = {i for i, h in after.items() if before.get(i) != h}
    gone = {i for i, h in before.items() if after.get(i) != h}
    assert 0 < len(changed) < len(after)

    cli_load(tmp_path / "a", neo4j_env)
    ids = {(r["q"], r["p"], r["k"], r["c"]): r["id"] for r in neo.query(
        f"MATCH (a:{neo4j_answers.ANSWER_LABEL}) RETURN a.question AS q, a.part AS p, a.key AS k, a.chunk AS c, "
        "elementId(a) AS id")}
    report = cli_load(tmp_path / "b", neo4j_env)
    assert report["answers"]["nodes_written"] == len(changed) and report["answers"]["nodes_deleted"] == len(gone)
    now = {(r["q"], r["p"], r["k"], r["c"]): r["id"] for r in neo.query(
        f"MATCH (a:{neo4j_answers.ANSWER_LABEL}) RETURN a.question AS q, a.part AS p, a.key AS k, a.chunk AS c, "
        "elementId(a) AS id")}
    assert set(now) == set(after)
    assert {i for i in now if now[i] != ids.get(i)} == changed  # the rest are the same nodes
    compare(model, neo, saved.held(saved.of_generation(generation(tmp_path / "b"))), "renamed")


def test_an_unchanged_reload_leaves_the_answers_alone(neo: Any, built: Any, neo4j_env: dict[str, str]) -> None:
    first = cli_load(built.out_dir, neo4j_env)
    nodes = answer_nodes(neo)
    at = neo.query("MATCH (m:EcoKGLoad) RETURN toString(m.at) AS at, m.answers AS answers")
    again = cli_load(built.out_dir, neo4j_env)
    assert again["nodes"]["rows_sent"] == 0
    assert again["answers"] == {**first["answers"], "kept": True, "nodes_written": 0, "nodes_deleted": 0}
    assert answer_nodes(neo) == nodes and neo.query("MATCH (m:EcoKGLoad) RETURN toString(m.at) AS at, "
                                                    "m.answers AS answers") == at
    assert "bridges" in neo.materialised()


def test_answers_loaded_in_another_answers_format_are_not_offered_until_a_load(neo: Any, built: Any,
                                                                               neo4j_env: dict[str, str]) -> None:
    """An ecokg of another answers format (before format 4 it recorded the bare digest) loaded
    answers whose shapes this one does not read (investors-of's links had six columns): they are
    not offered, the questions run their Cypher, until this ecokg's load vouches for its own (the
    nodes whose rows are the same stay). And what this one records is not the bare digest, which an
    older ecokg would take for its own."""
    cli_load(built.out_dir, neo4j_env)
    assert neo.query("MATCH (m:EcoKGLoad) RETURN m.answers = m.digest AS bare") == [{"bare": False}]
    with neo.driver.session(database=neo.database) as session:  # not through ecokg: no write is recorded
        session.run("MATCH (m:EcoKGLoad) SET m.answers = m.digest").consume()
    assert fresh(neo).materialised() == {}
    report = cli_load(built.out_dir, neo4j_env)
    assert not report["answers"]["kept"] and report["answers"]["nodes_written"] == 0
    assert sorted(fresh(neo).materialised()) == sorted(materialise.MATERIALISED)


def test_clear_removes_the_answers(neo: Any, built: Any, neo4j_env: dict[str, str]) -> None:
    cli_load(built.out_dir, neo4j_env)
    assert answer_nodes(neo) and neo.materialised()
    neo.clear()
    assert answer_nodes(neo) == [] and neo.materialised() == {} and neo.is_empty()


def test_a_folder_without_answers_loads_as_before_and_runs_the_cypher(neo: Any, built: Any, kg: KnowledgeGraph,
                                                                       tmp_path: Path, neo4j_env: dict[str, str],
                                                                       ) -> None:
    import ecokg

    copy = tmp_path / "out"
    shutil.copytree(built.out_dir, copy, symlinks=True)
    shutil.rmtree(generation(copy) / saved.ANSWERS_DIR)
    report = cli_load(copy, neo4j_env)
    assert report["answers"]["questions"] == 0 and report["answers"]["nodes_written"] == 0
    assert answer_nodes(neo) == [] and neo.materialised() == {}
    assert ecokg.EcoKG(neo).ask("bridges").rows == cypher_rows(neo, "bridges", {})
    assert neo.counts() == Counts.of(kg)


# ------------------------------------------------------------------------------ provenance
def test_the_query_page_says_the_answer_came_from_the_build_on_neo4j(neo: Any, built: Any,
                                                                      neo4j_env: dict[str, str]) -> None:
    from ecokg.facade import EcoKG
    from test_explorer import client_for

    client = client_for(EcoKG(neo), built.out_dir)
    assert "answers/" not in client.get("/questions/bridges/query").text  # nothing loaded: the Cypher
    cli_load(built.out_dir, neo4j_env)
    page = client.get("/questions/bridges/query").text
    assert "answers/bridges.json" in page and "ecokg load neo4j" in page
    assert "answers/" not in client.get("/questions/people-of/query").text  # not saved: its Cypher
