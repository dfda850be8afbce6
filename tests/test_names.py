"""The name index of the embedded store gives exactly the candidates of the find question's SPARQL.

The needles are drawn from the built sample itself: pieces of names, aliases, English names and
pinyin, whole initials, and text that matches nothing; the index (written by the build, and one
built from the store) must agree with the SPARQL scan row for row.
"""

from __future__ import annotations

import random
from typing import Any

from ecokg.graph.questions.engine import needle
from ecokg.graph.questions.spec import questions
from ecokg.graph.stores.names import NAMES_FILE, NameIndex
from ecokg.graph.stores.oxigraph import RdfStore
from ecokg.ontology.schema import get_schema
from ecokg.ontology.terms import C


def _key(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return sorted({(r["id"], r["name"], r["cls"], r["field"], r["value"]) for r in rows})


def _needles(store: RdfStore, k: int = 60) -> list[str]:
    rnd = random.Random(13)
    rows = store.query("SELECT ?p ?v WHERE { VALUES ?p { eco:name eco:alias eco:nameEn eco:pinyin eco:initials } "
                       "?s ?p ?v }")
    out = {"zzzz-nothing", "a", "集团"}
    for r in rnd.sample(rows, min(k, len(rows))):
        text = needle(str(r["v"]))
        if r["p"].endswith("initials"):
            out.add(text)
        elif text:
            i = rnd.randrange(len(text))
            out.add(text[i:i + rnd.randint(1, 4)])
    return sorted(out)


def test_the_index_gives_the_find_questions_rows(store: RdfStore) -> None:
    classes = list(get_schema().entity_classes)
    find = questions()["find"]
    index = store.name_index()
    fresh = NameIndex.from_store(store)
    checked = 0
    for n in _needles(store):
        want = _key(store.run_question(find, {"needle": n, "classes": classes}))
        assert _key(index.search(n, classes)) == want, n
        assert _key(fresh.search(n, classes)) == want, n
        checked += bool(want)
    assert checked >= 20  # most needles come from the graph, so most must find something


def test_the_build_writes_the_index_and_the_store_reads_it(built: Any, store: RdfStore, tmp_path: Any) -> None:
    path = store.path.parent / NAMES_FILE
    assert path.is_file()
    saved = NameIndex.load(path)
    assert sorted(saved.entities) == sorted(NameIndex.from_store(store).entities)
    again = NameIndex.load(saved.save(tmp_path / NAMES_FILE))
    assert again.values == saved.values and again.entities == saved.entities


def _contents(index: NameIndex) -> tuple[list[Any], list[Any]]:
    """What an index holds, independent of the order entities and values were met in."""
    ids = [e[0] for e in index.entities]
    ents = sorted((i, tuple(n), tuple(c)) for i, n, c in index.entities)
    vals = sorted((ids[k], f, v) for k, f, v in index.values)
    return ents, vals


def test_the_index_from_the_model_is_the_index_from_the_store(kg: Any, store: RdfStore) -> None:
    """The build indexes names from the model it has in hand; that must be what the store it wrote
    holds, on the sample and on a generated graph (every class, aliases, English names, pinyin)."""
    ents, vals = _contents(NameIndex.from_model(kg))
    assert (ents, vals) == _contents(NameIndex.from_store(store))
    assert {f for _, f, _ in vals} >= {"name", "alias", "nameEn", "pinyin", "initials"}
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import generate

    gen = generate.generate(600, seed=11)
    written = RdfStore()
    written.write(gen)
    ents, vals = _contents(NameIndex.from_model(gen))
    assert len(ents) > 500 and (ents, vals) == _contents(NameIndex.from_store(written))


def test_a_written_store_indexes_what_it_holds_now(kg: Any) -> None:
    store = RdfStore()
    assert store.candidates("a", ["Person"]) == []
    store.write(kg)
    person = next(n for n in kg.nodes.values() if C.Person in n.classes)
    rows = store.candidates(needle(person.name), list(get_schema().entity_classes))
    assert person.id in {r["id"] for r in rows}


def test_the_adjacency_gives_the_neighbours_questions_rows(store: RdfStore) -> None:
    """The path search's step from the adjacency index equals the neighbours question, node by node."""
    ids = sorted({str(r["s"]) for r in store.query("SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(STRSTARTS(STR(?c), STR(eco:))) }")})
    named = sorted({str(r["s"]) for r in store.query("SELECT DISTINCT ?s WHERE { ?s eco:name ?n }")})
    q = questions()["neighbours"]
    rnd = random.Random(5)
    groups = [[i] for i in rnd.sample(named, 30)] + [[i] for i in rnd.sample(ids, 10)] + [ids[:300], ids]
    nonempty = 0
    for group in groups:
        want = {(r["source"], r["relation"], r["target"]) for r in store.run_question(q, {"ids": group})}
        got = store.neighbours(group)
        assert len(got) == len(set(got)), "each edge once"
        assert set(got) == want
        nonempty += bool(want)
    assert nonempty >= 20


def test_an_in_memory_copy_answers_as_the_store_on_disk(built: Any, kg: Any) -> None:
    """ecokg.open(..., memory=True): the same answer to every question, the same candidates, read-only."""
    import ecokg
    from ecokg.ontology.errors import ReadOnlyViolation
    from test_store_contract import _answers

    with ecokg.open(built.out_dir) as disk, ecokg.open(built.out_dir, memory=True) as mem:
        assert mem.store.path is None and "in-memory copy" in mem.store.describe()
        assert len(mem.store) == len(disk.store)
        assert _answers(mem.store, kg) == _answers(disk.store, kg)
        assert mem.find("阳光") == disk.find("阳光")
        try:
            mem.store.write(kg)
        except ReadOnlyViolation:
            pass
        else:
            raise AssertionError("an in-memory copy must be read-only")
