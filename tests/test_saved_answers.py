"""How a generation's saved answers are read (graph/stores/answers.py, lazy_answers.py,
answers_file.py): a file per question, read when its question is first asked, so a process pays
for the questions it asks; a folder with the single ``answers.json`` of an older build answers as
before; a file that cannot be used leaves its question to the SPARQL (same rows, with a warning).
That the saved rows equal the SPARQL's is tests/test_materialise.py's."""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import ecokg
from ecokg.graph.questions import keyed, materialise
from ecokg.graph.questions.spec import public_questions
from ecokg.graph.stores import answers as saved
from ecokg.graph.stores import answers_file
from ecokg.graph.stores.lazy_answers import LazyAnswers
from ecokg.graph.stores.oxigraph import CURRENT, RdfStore


def generation(out: Path) -> Path:
    return (out / CURRENT).resolve()


def copy_out(built: Any, tmp_path: Path) -> Path:
    """A copy of the built folder to damage (its generation's files copied, not shared)."""
    copy = tmp_path / "out"
    shutil.copytree(built.out_dir, copy, symlinks=True)
    return copy


def spy_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The questions whose saved answer files are read from now on, in order."""
    reads: list[str] = []
    read = saved.read

    def spy(folder: Path, name: str, **kw: Any) -> Any:
        reads.append(name)
        return read(folder, name, **kw)

    monkeypatch.setattr(saved, "read", spy)
    return reads


def test_the_build_saves_a_file_per_question_and_an_index_last(built: Any) -> None:
    gen = generation(built.out_dir)
    folder = gen / saved.ANSWERS_DIR
    names = sorted(materialise.MATERIALISED)
    assert sorted(p.name for p in folder.iterdir()) == sorted([saved.INDEX_FILE, *(f"{n}.json" for n in names)])
    assert not (gen / answers_file.ANSWERS_FILE).exists()  # not the single file any more
    index = json.loads((folder / saved.INDEX_FILE).read_text(encoding="utf-8"))
    assert index == {"format": saved.FORMAT, "questions": names}
    assert (folder / saved.INDEX_FILE).stat().st_mtime_ns >= max((folder / f"{n}.json").stat().st_mtime_ns
                                                                 for n in names)
    for name in names:
        data = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        assert data["format"] == saved.FORMAT and data["question"] == name and data["answer"], name


def test_a_store_reads_only_the_answers_of_the_questions_it_asks(built: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_questions import question_args

    args = question_args(built.kg)
    reads = spy_reads(monkeypatch)
    with ecokg.open(built.out_dir) as kg:
        answers = kg.store.materialised()
        assert isinstance(answers, LazyAnswers) and set(answers) == set(materialise.MATERIALISED)
        assert kg.ask("people-of", **args["people-of"]).rows  # not saved: no answer read
        assert "bridges" in answers and "people-of" not in answers and reads == []  # `in` reads nothing
        assert kg.ask("bridges").rows
        assert reads == ["bridges"] and answers.read_so_far() == ["bridges"]
        assert kg.ask("bridges", limit=2).rows
        assert reads == ["bridges"]  # kept
        assert kg.ask("investors-of", **args["investors-of"]).ranking
        assert reads == ["bridges", "investors-of"]  # its parts, its investors' people among them
        assert kg.ask("developer-ties", **args["developer-ties"]).rows
        assert reads == ["bridges", "investors-of", "developer-ties"]
    with ecokg.open(built.out_dir) as kg:  # another process, or store: starts with none read
        assert kg.ask("developer-ties", **args["developer-ties"]).rows
        assert reads[3:] == ["developer-ties"]


def test_threads_asking_first_read_each_file_once() -> None:
    reads: list[str] = []

    def slow(name: str) -> Any:
        reads.append(name)
        time.sleep(0.05)
        return [name]

    answers = LazyAnswers(["a", "b"], slow)
    got: list[Any] = []
    threads = [threading.Thread(target=lambda n=n: got.append(answers[n])) for n in "ab" * 8]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(reads) == ["a", "b"] and len(got) == 16
    assert all(g is answers["a"] for g in got if g == ["a"]) and all(g is answers["b"] for g in got if g == ["b"])
    with pytest.raises(KeyError):
        answers["c"]


def test_an_answer_that_cannot_be_read_runs_its_query(built: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A cut-off file, a missing one and another question's: each question runs its SPARQL (the
    same rows, in the same order) with a warning, leaves the saved answers, and the others are
    still read from their files."""
    from test_questions import question_args

    args = question_args(built.kg)
    copy = copy_out(built, tmp_path)
    folder = generation(copy) / saved.ANSWERS_DIR
    text = (folder / "bridges.json").read_text(encoding="utf-8")
    (folder / "bridges.json").write_text(text[: len(text) // 2], encoding="utf-8")
    (folder / "developer-ties.json").unlink()
    other = json.loads((folder / "leaderboard.json").read_text(encoding="utf-8"))
    (folder / "org-bridges.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    damaged = ("bridges", "developer-ties", "org-bridges")
    caplog.set_level(logging.WARNING)
    with ecokg.open(built.out_dir) as kg, ecokg.open(copy) as older:
        queried: list[str] = []
        run_question = older.store.run_question
        monkeypatch.setattr(older.store, "run_question", lambda q, *a, **k: queried.append(q.name) or run_question(q, *a, **k))
        for name in (*damaged, "leaderboard"):
            assert older.ask(name, **args[name]).rows == kg.ask(name, **args[name]).rows, name
        assert queried == list(damaged)
        answers = older.store.materialised()
        assert set(answers) == set(materialise.MATERIALISED) - set(damaged)
        assert answers.get("bridges") is None and "leaderboard" in answers
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert all(name in warned for name in damaged), warned


@pytest.mark.parametrize("index, warns", [("{\"format\": 3, ", True), ('{"format": 99, "questions": []}', False),
                                          ('{"format": 3, "questions": ["../x"]}', True)])
def test_an_index_that_cannot_be_used_leaves_every_question_to_its_query(
        built: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture, index: str, warns: bool) -> None:
    """Cut off or tampered with: a warning; of another format (another ecokg's): ignored quietly."""
    copy = copy_out(built, tmp_path)
    (generation(copy) / saved.ANSWERS_DIR / saved.INDEX_FILE).write_text(index, encoding="utf-8")
    caplog.set_level(logging.WARNING)
    with ecokg.open(built.out_dir) as kg, ecokg.open(copy) as older:
        assert dict(older.store.materialised()) == {}
        assert older.ask("bridges").rows == kg.ask("bridges").rows
    assert any(r.levelno == logging.WARNING for r in caplog.records) == warns


def single_file_folder(built: Any, tmp_path: Path, fmt: int) -> tuple[Path, dict[str, Any]]:
    """A copy of the built folder as an older ecokg wrote it: one ``answers.json`` of format
    ``fmt`` (format 1 without the keyed parts) and no ``answers/``; and what of it this ecokg reads
    (not investors-of, whose parts had another shape then: :data:`saved.SHAPE_SINCE`)."""
    copy = copy_out(built, tmp_path)
    gen = generation(copy)
    every = saved.held(saved.of_generation(gen))
    old = every if fmt == 2 else {k: v for k, v in every.items() if k not in keyed.KEYED}
    shutil.rmtree(gen / saved.ANSWERS_DIR)
    (gen / answers_file.ANSWERS_FILE).write_text(json.dumps({"format": fmt, "answers": old}, ensure_ascii=False),
                                                 encoding="utf-8")
    return copy, {k: v for k, v in old.items() if k not in saved.SHAPE_SINCE}


@pytest.mark.parametrize("fmt", [1, 2])
def test_a_folder_with_the_single_file_of_an_older_build_answers_the_same(built: Any, tmp_path: Path, fmt: int) -> None:
    """Format 2 answers every saved question from the file but investors-of (of another shape
    then), format 1 those it has (the keyed questions run their SPARQL): the same rows, rankings
    and pages as the files per question."""
    from test_questions import question_args

    copy, used = single_file_folder(built, tmp_path, fmt)
    args = question_args(built.kg)
    with ecokg.open(built.out_dir) as kg, ecokg.open(copy) as older:
        answers = older.store.materialised()
        assert type(answers) is dict and answers == used  # read whole, as before
        assert set(used) == set(materialise.MATERIALISED) - set(keyed.KEYED if fmt == 1 else saved.SHAPE_SINCE)
        for name in [n for n in public_questions() if n in materialise.MATERIALISED]:
            new, was = kg.ask(name, **args[name]), older.ask(name, **args[name])
            assert was.rows == new.rows and was.ranking == new.ranking, name
            if name in answers:  # a page of the SPARQL is the query's own (tests/test_questions.py)
                assert older.ask(name, limit=2, offset=1, **args[name]).rows == new.rows[1:3], name


def test_a_folder_of_the_previous_format_answers_the_same(built: Any, tmp_path: Path) -> None:
    """Files per question of format 3: every saved question answers from its file but
    investors-of, whose parts had another shape then (:data:`saved.SHAPE_SINCE`): it runs its
    SPARQL, quietly, with the same rows and ranking."""
    from test_questions import question_args

    copy = copy_out(built, tmp_path)
    folder = generation(copy) / saved.ANSWERS_DIR
    for path in folder.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**data, "format": 3}, ensure_ascii=False), encoding="utf-8")
    args = question_args(built.kg)
    with ecokg.open(built.out_dir) as kg, ecokg.open(copy) as older:
        answers = older.store.materialised()
        assert set(answers) == set(materialise.MATERIALISED) - set(saved.SHAPE_SINCE)
        for name in [n for n in public_questions() if n in materialise.MATERIALISED]:
            new, was = kg.ask(name, **args[name]), older.ask(name, **args[name])
            assert was.rows == new.rows and was.ranking == new.ranking, name
        assert saved.held(answers) == {k: v for k, v in saved.held(kg.store.materialised()).items()
                                       if k not in saved.SHAPE_SINCE}


@pytest.mark.parametrize("text, warns", [('{"format": 0, "answers": {"bridges": []}}', False), ('{"format": 2, ', True)])
def test_a_single_file_that_cannot_be_used_is_ignored(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                     text: str, warns: bool) -> None:
    path = tmp_path / answers_file.ANSWERS_FILE
    path.write_text(text, encoding="utf-8")
    caplog.set_level(logging.WARNING)
    assert answers_file.load(path) is None and saved.of_generation(tmp_path) == {}
    assert any(r.levelno == logging.WARNING for r in caplog.records) == warns
    path.write_text('{"format": 2, "answers": {"bridges": [{"person": "甲"}]}}', encoding="utf-8")
    assert saved.of_generation(tmp_path) == {"bridges": [{"person": "甲"}]}


def test_saved_answers_read_back_as_saved(tmp_path: Path) -> None:
    answers = {"bridges": [{"person": "甲", "group": "乙", "groups": 2}], "people-at": {"o": [["甲", None, False]]}}
    folder = saved.save(answers, tmp_path)
    assert folder == tmp_path / saved.ANSWERS_DIR and not list(folder.glob("*.tmp"))
    assert saved.held(saved.of_generation(tmp_path)) == answers
    for bad in ("../bridges", "index", "", ".hidden"):
        with pytest.raises(ValueError):
            saved.save({bad: []}, tmp_path / "other")


def test_an_in_memory_copy_holds_every_answer(built: Any) -> None:
    """The copy of a long-running reader is independent of the folder (which a build after next
    removes): it reads every answer when it is made."""
    disk = RdfStore.open(built.out_dir)
    copy = disk.in_memory()
    try:
        answers = copy.materialised()
        assert type(answers) is dict and set(answers) == set(materialise.MATERIALISED)
        assert answers == saved.held(saved.of_generation(generation(built.out_dir)))
    finally:
        copy.close()
        disk.close()
