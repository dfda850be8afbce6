"""Answers the build computes (graph/questions/materialise.py, graph/questions/keyed.py) are exactly
the rows the questions' SPARQL gives on the same graph: on the sample, on generated graphs of
several seeds (for every parameter value: each board and month, each sector and trend, each
organisation), and through ``kg.ask`` (whole and paged); a folder without them (an older build)
or with the single file older builds wrote answers the same (tests/test_saved_answers.py: how
they are read)."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import ecokg
from ecokg.graph.questions import keyed, materialise
from ecokg.graph.questions.engine import _sort_key
from ecokg.graph.questions.spec import public_questions, questions
from ecokg.graph.stores import answers as saved
from ecokg.graph.stores.oxigraph import RdfStore



def sparql_rows(store: RdfStore, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The question's own SPARQL, run directly by the store (no saved answer in the way), in the
    engine's order."""
    return sorted(store.run_question(questions()[name], params or {}), key=_sort_key)


def _of(model: Any, *classes: str) -> list[str]:
    return sorted(n.id for n in model.nodes.values() if any(model.schema.is_a(n.classes, c) for c in classes))


NOWHERE = "https://w3id.org/ecokg/id/org/no-such-node"


def parameter_values(model: Any, name: str) -> list[dict[str, Any]]:
    """Every parameter value worth asking of a materialised question with parameters (and some
    that match nothing): for the leaderboard each board with "" and each of its months; every
    entity an entity parameter may name (and an entity of another class, an IRI of no node);
    each organisation alone and all together for ``people-at``."""
    if not questions()[name].params:
        return [{}]
    others = [_of(model, "Person")[0], NOWHERE]
    if name == "investors-of":
        return [{"target": t} for t in _of(model, "Sector", "Trend") + others]
    if name == "developer-ties":
        return [{"developer": d} for d in _of(model, "Organisation") + others]
    if name == "people-at":
        orgs = _of(model, "Organisation")
        return [{"ids": [o]} for o in orgs + others] + [{"ids": orgs + others}]
    results = [n for n in model.nodes.values() if "BenchmarkResult" in n.classes]
    boards = sorted({str(n.props.get("board", "overall")) for n in results}) + ["no such board"]
    if name == "latest-month":
        return [{"board": b} for b in boards]
    assert name == "leaderboard", f"{name}: say which parameter values to compare"
    months = sorted({str(n.props["assessedIn"]) for n in results if n.props.get("assessedIn")})
    return [{"board": b, "date": d} for b in boards for d in ["", *months, "1999-01"]]


#: What each way an answer is joined shows in its rows: every one must be compared on the
#: generated graphs (so that a join that drops or garbles one of them fails).
WAYS: dict[str, Any] = {
    "investors-of": lambda r: (r["how"].split(" ")[0] + (" (broader)" if r["how"].endswith("(broader sector)") else "")
                               + (" via a company" if ", which is in" in r["how"] else "")),
    "developer-ties": lambda r: r["tie"],
    "people-at": lambda r: "former" if r["former"] else "current",
}
EVERY_WAY = {
    "investors-of": {f"{how}{scope}" for how in ("stated", "investment", "post") for scope in ("", " (broader)")}
    | {"investment via a company", "investment (broader) via a company"},
    "developer-ties": {"post", "former post", "investment in it", "fund it set up",
                       "investor focused on a sector of its models"},
    "people-at": {"former", "current"},
}


def compare(model: Any, store: RdfStore, tables: dict[str, Any], label: str) -> set[tuple[str, str]]:
    """Check every saved answer against the SPARQL (its rows with the question's columns, in
    order); return the ways of :data:`WAYS` seen."""
    ways = set()
    for name, table in tables.items():
        answered = 0
        columns = list(questions()[name].columns)
        for params in parameter_values(model, name):
            live = sparql_rows(store, name, params)
            selected = materialise.select(name, table, params)
            assert selected == live, (label, name, params)
            assert all(list(r) == columns for r in selected), (label, name, params)
            answered += bool(live and any(v is not None for r in live for v in r.values()))
            ways |= {(name, WAYS[name](r)) for r in live if name in WAYS}
        assert answered, f"{label}: {name} has an answer"
    return ways



def test_a_materialised_question_with_parameters_says_how_to_select_its_rows() -> None:
    qs = questions()
    assert materialise.MATERIALISED
    for name in materialise.MATERIALISED:
        assert not qs[name].params or name in materialise.SELECT, name


def test_the_build_saves_answers_equal_to_the_sparql_on_the_sample(built: Any, store: RdfStore) -> None:
    files = saved.held(saved.of_generation(Path(store.path).parent))
    assert set(files) == set(materialise.MATERIALISED)
    compare(built.kg, store, files, "sample")


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_computed_answers_equal_the_sparql_on_generated_graphs(generate: Any, seed: int) -> None:
    model = generate.generate(400, seed=seed)
    store = RdfStore()  # in memory, not a published generation: every question runs its SPARQL
    store.write(model)
    ways = compare(model, store, materialise.compute(model), f"seed {seed}")
    for name, every in EVERY_WAY.items():
        assert every <= {way for n, way in ways if n == name}, (name, every - {way for n, way in ways if n == name})


def test_a_developers_ties_include_the_organisations_one_step_away(generate: Any) -> None:
    """developer-ties joins the ties of the developer's parent and units: some answer has rows
    ``via`` another organisation, and they are the SPARQL's."""
    model = generate.generate(400, seed=3)
    store = RdfStore()
    store.write(model)
    table = materialise.compute(model)["developer-ties"]
    parents = sorted({e.source for e in model.edges.values() if e.prop == "parentOrganisation"})
    assert parents
    seen_other = 0
    for d in parents:
        rows = materialise.select("developer-ties", table, {"developer": d})
        assert rows == sparql_rows(store, "developer-ties", {"developer": d})
        seen_other += any(r["via"] != model.nodes[d].props["name"] for r in rows)
    assert seen_other


def test_ask_reads_the_saved_answer_and_pages_are_slices(built: Any) -> None:
    with ecokg.open(built.out_dir) as kg:
        for name in [n for n in materialise.MATERIALISED if not questions()[n].params]:
            whole = kg.ask(name).rows
            assert whole == kg.store.materialised()[name]
            n = len(whole)
            for size in (1, 3, max(1, n // 2)):
                pages = [kg.ask(name, limit=size, offset=start).rows for start in range(0, n, size)]
                assert all(len(p) <= size for p in pages)
                assert [r for page in pages for r in page] == whole, (name, size)
            assert kg.ask(name, limit=5, offset=n).rows == []


def test_a_folder_without_saved_answers_answers_by_sparql(built: Any, tmp_path: Path) -> None:
    """The same answers, rankings (with each investor's people) and pages, asked of the saved
    answers and of the SPARQL."""
    from test_questions import question_args

    copy = tmp_path / "out"
    shutil.copytree(built.out_dir, copy, symlinks=True)
    current = copy / "current"
    shutil.rmtree(current.resolve() / saved.ANSWERS_DIR)
    args = question_args(built.kg)
    with ecokg.open(built.out_dir) as kg, ecokg.open(copy) as older:
        assert older.store.materialised() == {}
        saved_public = [name for name in public_questions() if name in materialise.MATERIALISED]
        assert {"investors-of", "developer-ties", "leaderboard", "bridges"} <= set(saved_public)
        for name in saved_public:
            new, old = kg.ask(name, **args[name]), older.ask(name, **args[name])
            assert new.rows and old.rows == new.rows and old.ranking == new.ranking, name
            page = kg.ask(name, limit=2, offset=1, **args[name])
            assert page.rows == new.rows[1:3] and page.ranking == new.ranking[1:3], name
        people = [item["people"] for item in kg.ask("investors-of", **args["investors-of"]).ranking]
        assert any(people)  # the saved people-at gave the investors' people


def test_the_keyed_questions_ask_the_store_nothing(built: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the saved parts, investors-of (its people too) and developer-ties run no query: a
    fallback to the SPARQL would give the same rows, only slowly, so the parity tests cannot see it."""
    from test_questions import question_args

    args = question_args(built.kg)

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("asked the store")

    with ecokg.open(built.out_dir) as kg:
        monkeypatch.setattr(kg.store, "run_question", refuse)
        monkeypatch.setattr(kg.store, "query", refuse)
        ranking = kg.ask("investors-of", **args["investors-of"]).ranking
        assert ranking and any(item["people"] for item in ranking)
        assert kg.ask("developer-ties", **args["developer-ties"]).rows


def test_editing_an_answer_leaves_the_saved_rows_alone(built: Any) -> None:
    with ecokg.open(built.out_dir) as kg:
        first = kg.ask("bridges").rows
        before = [dict(r) for r in first]
        first[0]["person"] = "<changed>"
        assert kg.ask("bridges").rows == before


def current_people_by_sparql(store: RdfStore, orgs: list[str]) -> dict[str, list[str]]:
    """The current people of each of ``orgs`` that has any, as a ranking of investors shows them,
    from people-at's SPARQL."""
    rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in sparql_rows(store, "people-at", {"ids": orgs}):
        rows[r["org"]].append((r["person"], r["title"], r["former"]))
    return {org: people for org, found in rows.items() if (people := keyed.staff(found))}


def saved_people_are_people_ats(parts: dict[str, Any], store: RdfStore) -> None:
    investors = sorted({row[1] for rows in parts["links"].values() for row in rows})
    expected = current_people_by_sparql(store, investors)
    assert expected and parts["people"] == expected


def test_the_saved_people_of_the_sample_s_investors_are_people_at_s(built: Any, store: RdfStore) -> None:
    """investors-of saves the current people of every organisation its answers rank, as the
    ranking shows them: those of people-at's SPARQL."""
    saved_people_are_people_ats(saved.of_generation(Path(store.path).parent)["investors-of"], store)


@pytest.mark.parametrize("seed", [3, 11])
def test_rankings_of_investors_from_the_saved_parts_equal_those_of_the_sparql(generate: Any, seed: int,
                                                                             tmp_path: Path) -> None:
    """A generated graph written as a build writes it: for every sector and trend, whole and a page,
    the rows, the ranking and each investor's people are the same joined from the saved parts (rows
    in the order of their saved places, the saved people) as asked of the SPARQL alone."""
    model = generate.generate(400, seed=seed)
    out = tmp_path / "out"
    generate.write(model, out, shacl=False, dump=False)
    copy = tmp_path / "copy"
    shutil.copytree(out, copy, symlinks=True)
    shutil.rmtree((copy / "current").resolve() / saved.ANSWERS_DIR)
    with ecokg.open(out) as kg, ecokg.open(copy) as asked:
        saved_people_are_people_ats(kg.store.materialised()["investors-of"], asked.store)
        people = 0
        for target in _of(model, "Sector", "Trend"):
            new, old = kg.ask("investors-of", target=target), asked.ask("investors-of", target=target)
            assert new.rows == old.rows and new.ranking == old.ranking, target
            page = kg.ask("investors-of", target=target, limit=3, offset=1)
            assert page.ranking == old.ranking[1:4], target
            people += sum(bool(item["people"]) for item in new.ranking)
        assert people
