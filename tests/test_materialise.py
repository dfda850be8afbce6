"""Answers the build computes (graph/questions/materialise.py) are exactly the rows the questions'
SPARQL gives on the same graph: on the sample, on generated graphs of several seeds, and through
``kg.ask`` (whole and paged); a folder without the file (an older build) answers by SPARQL."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pytest

import ecokg
from ecokg.graph.questions import materialise
from ecokg.graph.questions.engine import _sort_key
from ecokg.graph.questions.spec import public_questions, questions
from ecokg.graph.stores import answers as saved
from ecokg.graph.stores.oxigraph import RdfStore

BENCH = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def sparql_rows(store: RdfStore, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The question's own SPARQL, run directly by the store (no saved answer in the way), in the
    engine's order."""
    return sorted(store.run_question(questions()[name], params or {}), key=_sort_key)


def parameter_values(model: Any, name: str) -> list[dict[str, Any]]:
    """Every parameter value worth asking of a materialised question with parameters (and one
    that matches nothing): for the leaderboard each board with "" and each of its months."""
    if not questions()[name].params:
        return [{}]
    results = [n for n in model.nodes.values() if "BenchmarkResult" in n.classes]
    boards = sorted({str(n.props.get("board", "overall")) for n in results}) + ["no such board"]
    if name == "latest-month":
        return [{"board": b} for b in boards]
    assert name == "leaderboard", f"{name}: say which parameter values to compare"
    months = sorted({str(n.props["assessedIn"]) for n in results if n.props.get("assessedIn")})
    return [{"board": b, "date": d} for b in boards for d in ["", *months, "1999-01"]]


def compare(model: Any, store: RdfStore, tables: dict[str, list[dict[str, Any]]], label: str) -> None:
    for name, table in tables.items():
        answered = 0
        for params in parameter_values(model, name):
            live = sparql_rows(store, name, params)
            assert materialise.select(name, table, params) == live, (label, name, params)
            answered += bool(live and any(v is not None for r in live for v in r.values()))
        assert answered, f"{label}: {name} has an answer"


@pytest.fixture(scope="module")
def generate() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate_m", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_materialised_question_with_parameters_says_how_to_select_its_rows() -> None:
    qs = questions()
    assert materialise.MATERIALISED
    for name in materialise.MATERIALISED:
        assert not qs[name].params or name in materialise.SELECT, name


def test_the_build_saves_answers_equal_to_the_sparql_on_the_sample(built: Any, store: RdfStore) -> None:
    files = saved.load(Path(store.path).parent / saved.ANSWERS_FILE)
    assert files is not None and set(files) == set(materialise.MATERIALISED)
    compare(built.kg, store, files, "sample")


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_computed_answers_equal_the_sparql_on_generated_graphs(generate: Any, seed: int) -> None:
    model = generate.generate(400, seed=seed)
    store = RdfStore()  # in memory, not a published generation: every question runs its SPARQL
    store.write(model)
    compare(model, store, materialise.compute(model), f"seed {seed}")


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
    copy = tmp_path / "out"
    shutil.copytree(built.out_dir, copy, symlinks=True)
    current = copy / "current"
    (current.resolve() / saved.ANSWERS_FILE).unlink()
    with ecokg.open(built.out_dir) as kg, ecokg.open(copy) as older:
        assert older.store.materialised() == {}
        for name in public_questions():
            if name in materialise.MATERIALISED:
                assert older.ask(name).rows == kg.ask(name).rows


def test_a_file_of_another_format_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / saved.ANSWERS_FILE
    path.write_text('{"format": 0, "answers": {"bridges": []}}', encoding="utf-8")
    assert saved.load(path) is None
    saved.save({"bridges": [{"person": "甲", "group": "乙", "groups": 2}]}, path)
    assert saved.load(path) == {"bridges": [{"person": "甲", "group": "乙", "groups": 2}]}


def test_editing_an_answer_leaves_the_saved_rows_alone(built: Any) -> None:
    with ecokg.open(built.out_dir) as kg:
        first = kg.ask("bridges").rows
        before = [dict(r) for r in first]
        first[0]["person"] = "<changed>"
        assert kg.ask("bridges").rows == before
