"""Issue 14, builds: atomic generations (cases 9, 10), one writer (11), no silent regressions (12)
and clear errors for a bad --out (14). Real builds of the bundled sample (without SHACL, to stay
fast), real subprocesses, real SIGKILLs; nothing is mocked."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from ecokg.build import SHRINK, build
from ecokg.cli import cli
from ecokg.generations import LINKED, LOCK, writer_lock
from ecokg.graph.stores.oxigraph import CURRENT, GENERATIONS, RdfStore, generation_id, store_path
from ecokg.loaders import sample_path
from ecokg.ontology.errors import BackendError, LoaderError

ECOKG = [sys.executable, "-P", "-c", "from ecokg.cli import cli; cli()"]  # -P: the installed package, not the source tree
ROOT = Path(__file__).parent.parent
SAMPLE = sample_path().read_text(encoding="utf-8")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ECOKG, *args], capture_output=True, text=True, timeout=120)


def quick_build(book: Path, out: Path, **kw):
    return build([("bluebook", book)], out_dir=out, shacl=False, **kw)


def snapshot(out: Path) -> dict:
    """What a reader sees in OUT: the generation, the store's triples, and summary.json."""
    with _open(out) as store:
        triples = len(store)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {"generation": generation_id(out), "triples": triples, "summary": summary,
            "ttl": (out / "ecokg.ttl").read_bytes()}


class _open:
    """A read-only store of OUT, closed on leaving the block."""

    def __init__(self, out: Path) -> None:
        self.store = RdfStore.open(out)

    def __enter__(self) -> RdfStore:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def assert_whole(out: Path) -> dict:
    """The graph in OUT opens and every part of it belongs to the current generation."""
    snap = snapshot(out)
    assert snap["summary"]["triples"] == snap["triples"]
    assert snap["summary"]["generation"] == snap["generation"]
    for name in LINKED:
        assert Path(os.path.realpath(out / name)).parent.name == snap["generation"], name
    assert store_path(out).parent.name == snap["generation"]
    return snap


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A graph built from a copy of the sample (its path is what later builds compare against)."""
    d = tmp_path_factory.mktemp("hb")
    book = d / "book.txt"
    book.write_text(SAMPLE, encoding="utf-8")
    quick_build(book, d / "out")
    return d


@pytest.fixture()
def work(base, tmp_path):
    """A private copy of the base build (symlinks kept) and of its source."""
    shutil.copytree(base / "out", tmp_path / "out", symlinks=True)
    shutil.copy(base / "book.txt", tmp_path / "book.txt")
    return tmp_path


@contextlib.contextmanager
def base_source(base: Path, text: str) -> Iterator[Path]:
    """The source the base graph was built from, holding ``text`` for the block (a later build of
    the same file is compared with what it yielded then)."""
    book = base / "book.txt"
    try:
        book.write_text(text, encoding="utf-8")
        yield book
    finally:
        book.write_text(SAMPLE, encoding="utf-8")


# -- the layout ---------------------------------------------------------------------------------
def test_layout_generations_and_links(work):
    out = work / "out"
    first = assert_whole(out)
    assert os.readlink(out / CURRENT) == f"{GENERATIONS}/{first['generation']}"
    for name in LINKED:
        assert os.readlink(out / name) == f"{CURRENT}/{name}"
    with _open(out) as reader:  # a reader opened before a rebuild keeps its generation
        n_before = len(reader)
        quick_build(work / "book.txt", out, force=True)
        second = assert_whole(out)
        assert second["generation"] != first["generation"]
        assert len(reader) == n_before == first["triples"]
    kept = {p.name for p in (out / GENERATIONS).iterdir()}
    assert kept == {first["generation"], second["generation"]}  # the previous one is kept
    quick_build(work / "book.txt", out)
    third = assert_whole(out)
    assert {p.name for p in (out / GENERATIONS).iterdir()} == {second["generation"], third["generation"]}


def test_a_legacy_output_folder_is_taken_over_without_loss(work, tmp_path):
    legacy = tmp_path / "legacy"
    shutil.copytree(work / "out" / CURRENT, legacy)  # real files at the top, as older builds wrote
    (legacy / ".build-abc123").mkdir()  # a staging folder left by a crashed older build
    (legacy / "views").mkdir()
    (legacy / "views" / "overview.html").write_text("<html></html>", encoding="utf-8")
    old_ttl = (legacy / "ecokg.ttl").read_bytes()
    assert generation_id(legacy) is None and store_path(legacy) == legacy / "store"
    with _open(legacy) as store:
        old_triples = len(store)
    quick_build(work / "book.txt", legacy, force=True)
    new = assert_whole(legacy)
    gens = {p.name for p in (legacy / GENERATIONS).iterdir()}
    (previous,) = gens - {new["generation"]}
    assert previous.startswith("legacy-")
    assert (legacy / GENERATIONS / previous / "ecokg.ttl").read_bytes() == old_ttl
    with _open_path(legacy / GENERATIONS / previous / "store") as kept:
        assert len(kept) == old_triples
    assert not list(legacy.glob(".build-*"))
    assert (legacy / "views" / "overview.html").exists()


class _open_path(_open):
    def __init__(self, path: Path) -> None:
        self.store = RdfStore(path, read_only=True)


# -- cases 9 and 10: a build that fails or dies changes nothing ---------------------------------
class Boom(Exception):
    pass


@pytest.mark.parametrize("stage, exc, expected", [
    ("loading the embedded store, then writing Turtle and JSON-LD", Boom("x"), Boom),  # case 10: store loading
    ("switching to the new graph", KeyboardInterrupt(), KeyboardInterrupt),
    ("writing N-Triples", OSError(28, "No space left on device"), BackendError),
])
def test_a_failure_at_any_stage_leaves_the_old_graph_whole(work, stage, exc, expected):
    out = work / "out"
    before = assert_whole(out)

    def step(message: str) -> None:
        if message == stage:
            raise exc

    with pytest.raises(expected) as err:
        quick_build(work / "book.txt", out, step=step, force=True)
    if expected is BackendError:
        assert str(out) in str(err.value) and "No space left" in str(err.value) and "\n" not in str(err.value)
    after = assert_whole(out)
    assert after == before
    assert not [p for p in (out / GENERATIONS).iterdir() if p.name.startswith(".")]


def test_leftovers_of_dead_builds_are_removed_by_the_next_build(work):
    out = work / "out"
    dead = [out / GENERATIONS / ".staging-20000101T000000Z-dead01", out / ".build-old", out / GENERATIONS / "stale"]
    for d in dead:
        (d / "store").mkdir(parents=True)
    os.symlink("generations/stale", out / "current.tmp")
    quick_build(work / "book.txt", out, force=True)
    assert_whole(out)
    assert not any(os.path.lexists(d) for d in [*dead, out / "current.tmp"])


def _crash_bench():
    spec = importlib.util.spec_from_file_location("crash_build", ROOT / "bench" / "crash_build.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_sigkill_at_random_points_never_breaks_the_graph(work):
    """Case 9: the small version of bench/crash_build.py (3 kills: at a random time, during the
    store write, at the switch), starting from the base graph."""
    figures = _crash_bench().main(["--runs", "3", "--seed", "14", "--out", str(work / "out"), "--duration", "2.5",
                                   "--json"])
    assert figures["killed"] + figures["finished"] == 3 and figures["killed"] >= 2
    assert figures["unreadable"] == 0 and figures["mixed"] == 0, figures["failures"]
    assert figures["after_rebuild"] == {"staging": 0, "generations": 2, "whole": True}


def test_the_crash_checker_sees_a_mixed_graph(work):
    """The bench's check must be able to fail: a summary.json of another generation is seen."""
    out = work / "out"
    inspect = _crash_bench().inspect
    assert inspect(out)["whole"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    (out / "summary.json").unlink()
    (out / "summary.json").write_text(json.dumps({**summary, "triples": summary["triples"] + 1}), encoding="utf-8")
    assert not inspect(out)["whole"]


# -- case 11: one writer -------------------------------------------------------------------------
def test_a_second_build_fails_fast_while_one_writes(work):
    out = work / "out"
    before = assert_whole(out)
    with writer_lock(out):
        res = run_cli("build", "--out", str(out), "--no-shacl", "--source", str(work / "book.txt"))
    assert res.returncode == 1
    assert f"another ecokg build (pid {os.getpid()}) is writing {out}" in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert assert_whole(out) == before
    assert (out / LOCK).exists()


def test_two_concurrent_builds_one_wins_and_the_graph_is_whole(work):
    out = work / "out"
    cmd = [*ECOKG, "build", "--out", str(out), "--no-shacl", "--force", "--source", str(work / "book.txt")]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    (loser,) = [err for code, err in results if code == 1]
    assert "another ecokg build" in loser and "Traceback" not in loser
    assert_whole(out)


# -- case 12: no silent regressions ------------------------------------------------------------
NO_LIST = SAMPLE[SAMPLE.index("目录"):]  # the table of contents and the text, no expert list
CUT = SAMPLE[:1000]  # cut off inside the expert lists


@pytest.mark.parametrize("text, args, ok, message", [
    (NO_LIST, [], False, r"yields no people \(no expert list was read\)"),
    (NO_LIST, ["--allow-empty"], True, None),
    (CUT, [], False, r"yields \d+ people, down from \d+ in the current build"),
    (CUT, ["--force"], True, None),
    (SAMPLE, [], True, None),
])
def test_a_source_that_yields_too_little_is_refused(base, work, text, args, ok, message):
    out = work / "out"
    before = assert_whole(out)
    with base_source(base, text) as book:
        res = CliRunner().invoke(cli, ["build", "--out", str(out), "--no-shacl", "--json",
                                       "--source", str(book), *args], catch_exceptions=False)
    if ok:
        assert res.exit_code == 0, res.output
        after = assert_whole(out)
        assert after["generation"] != before["generation"]
        (src,) = after["summary"]["sources"]
        assert src["file"] == str(book.resolve()) and src["facts"] > 0
        return
    assert res.exit_code == 1
    assert re.search(message, res.output) and "--force" in res.output and str(out) in res.output
    assert assert_whole(out) == before


def test_shrink_threshold_is_half_of_the_last_build(base, work):
    out = work / "out"
    (old,) = assert_whole(out)["summary"]["sources"]
    with base_source(base, CUT) as book, pytest.raises(LoaderError) as err:
        quick_build(book, out)
    people = int(str(err.value).split(" yields ")[1].split(" people")[0])
    assert people < SHRINK * old["people"]
    assert f"down from {old['people']}" in str(err.value)


@pytest.mark.parametrize("text, truncated", [(SAMPLE, True), (CUT, True), (SAMPLE[:SAMPLE.rindex("。") + 1], False)])
def test_a_text_that_ends_mid_entry_is_reported(tmp_path, text, truncated):
    book = tmp_path / "book.txt"
    book.write_text(text, encoding="utf-8")
    result = quick_build(book, tmp_path / "out")
    items = [r for r in result.summary["review"] if r["kind"] == "truncated"]
    assert bool(items) == truncated
    if items:
        (item,) = items
        assert text.rstrip().endswith(item["quote"]) and item["end"] == len(text.rstrip())


def test_a_markdown_table_cut_mid_row_is_reported(tmp_path):
    from ecokg.build import truncation

    board = ROOT / "data" / "sources" / "superclue" / "superclue-2023-09.md"
    assert truncation("superclue", board) is None
    text = board.read_text(encoding="utf-8").rstrip()
    rows = [i for i, line in enumerate(text.splitlines()) if line.startswith("|")]
    cut = "\n".join(text.splitlines()[: rows[-1] + 1])
    cut = cut[: cut.rindex("|")].rstrip()
    (tmp_path / "cut.md").write_text(cut, encoding="utf-8")
    item = truncation("superclue", tmp_path / "cut.md")
    assert item is not None and item.kind == "truncated" and cut.endswith(item.quote)


# -- case 14: a bad --out ------------------------------------------------------------------------
def _bad_outs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    f = tmp_path / "afile"
    f.write_text("keep me", encoding="utf-8")
    return {
        "a file": (f, "is a file"),
        "under a file": (f / "sub" / "out", "which is not a folder"),
        "in /proc": (Path("/proc/ecokg-test-out"), "cannot create a folder in /proc"),
        "under /dev/null": (Path("/dev/null/out"), "which is not a folder"),
    }


@pytest.mark.parametrize("case", ["a file", "under a file", "in /proc", "under /dev/null"])
def test_a_bad_out_gives_one_clear_line(tmp_path, case):
    out, reason = _bad_outs(tmp_path)[case]
    res = run_cli("build", "--out", str(out), "--no-shacl", "--source", str(sample_path()))
    assert res.returncode != 0
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(out).split("/")[-1] in errors[0] and reason in errors[0], res.stderr
    assert "Traceback" not in res.stderr
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to read-only folders; /proc and /sys cover root")
def test_an_unwritable_out_keeps_the_old_graph(work):
    out = work / "out"
    before = assert_whole(out)
    out.chmod(0o555)
    try:
        res = run_cli("build", "--out", str(out), "--no-shacl", "--source", str(work / "book.txt"))
    finally:
        out.chmod(0o755)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert f"cannot write the graph to {out}" in res.stderr and "Permission denied" in res.stderr
    assert assert_whole(out) == before


def test_the_library_names_the_bad_out(tmp_path):
    f = tmp_path / "afile"
    f.write_text("x", encoding="utf-8")
    for out in (f, f / "sub"):
        with pytest.raises(BackendError, match=f"cannot write the graph to {out}"):
            quick_build(sample_path(), out)
    assert f.read_text(encoding="utf-8") == "x"
