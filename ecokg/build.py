"""The build, one way: read each source, merge, add curated knowledge once, validate, write.

Sources are read by their adapters (:mod:`ecokg.loaders`); the merged graph is checked
against the SHACL shapes, then written to the embedded store and to Turtle, N-Triples
and JSON-LD as a new generation of the output folder, which becomes current in one
rename (:mod:`ecokg.generations`). One build writes a folder at a time; a failed or
killed build loses nothing; a source that yields no people, or far fewer facts than it
did in the last build, stops the build before anything is switched (unless forced).
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ecokg.generations import check_out_dir, publish, staging_dir, staging_id, writer_lock
from ecokg.graph.model import GraphReader, KnowledgeGraph, ReviewItem
from ecokg.graph.rdf import write_ntriples
from ecokg.graph.stores.base import Counts
from ecokg.graph.questions import materialise
from ecokg.graph.stores import answers, neo4j_write
from ecokg.graph import skeleton
from ecokg.graph.stores.names import NAMES_FILE, NameIndex
from ecokg.graph.stores.oxigraph import FILE_FORMATS, STORE_DIR, RdfStore
from ecokg.graph.validate import ValidationReport, validate
from ecokg.loaders import SOURCES, default_sources, read_source
from ecokg.loaders.base import read_source_file
from ecokg.loaders.curated import CuratedData, enrich, load_curated
from ecokg.loaders.resolve import resolution_report
from ecokg.ontology import ontology_path
from ecokg.ontology.errors import BackendError, LoaderError, SchemaError
from ecokg.ontology.terms import C

SUMMARY = "summary.json"
MERGES = "merges.json"
ONTOLOGY_FILE = "ontology.ttl"
#: A source that yields less than this share of the people or facts it yielded in the last
#: build of the same folder stops the build (``force`` to accept it).
SHRINK = 0.5
#: What a complete text or table ends with; anything else may mean the file was cut off.
_CLOSING = set("。！？!?….;；:：）)」』”\"’'》】]>|")
Step = Callable[[str], None]


def _quiet(message: str) -> None:
    """The default progress callback: say nothing."""


@dataclass
class BuildResult:
    """What a build made: the graph, where it was written, and its summary."""

    kg: KnowledgeGraph
    out_dir: Path
    outputs: dict[str, Path]
    validation: ValidationReport
    triples: int
    summary: dict[str, Any] = field(default_factory=dict)


def parse_source(spec: str) -> tuple[str, Path]:
    """``KIND=PATH`` or a bare ``PATH`` (a Blue Book text) -> ``(kind, path)``.

    >>> parse_source("deals=data/deals.csv")
    ('deals', PosixPath('data/deals.csv'))
    >>> parse_source("book.txt")
    ('bluebook', PosixPath('book.txt'))
    """
    kind, sep, path = spec.partition("=")
    if sep and kind in SOURCES:
        return kind, Path(path)
    if sep and kind.isidentifier() and "/" not in kind:
        raise LoaderError(f"no source kind {kind!r}; the kinds are {', '.join(sorted(SOURCES))} (see `ecokg sources`)")
    return "bluebook", Path(spec)


def make_graph(sources: Sequence[tuple[str, Path]] = (), curated_dir: Path | None = None,
               step: Step = _quiet, curated: CuratedData | None = None) -> KnowledgeGraph:
    """Read every source (default: the Blue Book sample and the shipped public sources), merge,
    enrich with curated data. Names resolve through ``curated.resolver()``, whose merge log
    then covers every source."""
    curated = curated or load_curated(curated_dir)
    kg, _stats = read_sources(sources or default_sources(), curated, step)
    step("adding curated knowledge")
    enrich(kg, curated)
    return kg


@dataclass(frozen=True)
class SourceStats:
    """What one source yielded: people and facts (pieces of evidence), recorded in summary.json."""

    kind: str
    path: Path
    people: int
    facts: int

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": str(self.path), "file": str(self.path.resolve()),
                "people": self.people, "facts": self.facts}


def read_sources(sources: Sequence[tuple[str, Path]], curated: CuratedData,
                 step: Step = _quiet) -> tuple[KnowledgeGraph, list[SourceStats]]:
    """Read and merge ``sources``; the merged graph and what each source yielded. A text or table
    that looks cut off gets a review item."""
    kg = KnowledgeGraph()
    stats = []
    for kind, path in sources:
        step(f"reading {kind} source {path}")
        part = read_source(kind, path, curated)
        stats.append(SourceStats(kind, Path(path), part.class_counts().get(C.Person, 0), len(part.all_evidence())))
        cut = truncation(kind, Path(path))
        if cut is not None:
            part.flag(cut)
        kg.merge(part)
    return kg, stats


def truncation(kind: str, path: Path) -> ReviewItem | None:
    """A review item when the text (a Blue Book) or its last table row (a markdown source) does
    not end as a complete one does: the file may have been cut off mid-entry."""
    if kind not in ("bluebook", "superclue", "llm-list"):
        return None
    text = read_source_file(path).text
    end = len(text.rstrip())
    if end == 0:
        return None
    if kind == "bluebook":
        if text[end - 1] in _CLOSING:
            return None
        why = "the text ends mid-sentence or mid-entry, without closing punctuation: it may be cut off"
    else:
        line = text[:end].rsplit("\n", 1)[-1].strip()
        if not line.startswith("|") or line.endswith("|"):
            return None
        why = "the last table row is not closed with '|': the file may be cut off"
    start = max(0, end - 30)
    return ReviewItem("truncated", why, text[start:end], path.name, start, end)


def check_sources(stats: Sequence[SourceStats], previous: dict[str, Any] | None, out_dir: Path) -> None:
    """Refuse a source that yields no facts, a Blue Book that yields no people, and a source that
    yields less than :data:`SHRINK` of the people or facts it did in the ``previous`` build's summary.

    Raises:
        LoaderError: naming each such source, what it yielded and what it did before.
    """
    before = {(s.get("kind"), s.get("file")): s for s in (previous or {}).get("sources", [])}
    problems = []
    for s in stats:
        if s.facts == 0:
            problems.append(f"{s.path} ({s.kind}) yields no facts")
        elif s.kind == "bluebook" and s.people == 0:
            problems.append(f"{s.path} yields no people (no expert list was read)")
        old = before.get((s.kind, str(s.path.resolve())))
        for what, now in (("people", s.people), ("facts", s.facts)):
            was = int(old.get(what, 0)) if old else 0
            if was and now < SHRINK * was:
                problems.append(f"{s.path} yields {now} {what}, down from {was} in the current build")
    if problems:
        raise LoaderError("; ".join(problems) + f"; the graph in {out_dir} is left as it is "
                          "(use --force to build it anyway)")


def summarise(kg: GraphReader, triples: int, sources: Sequence[tuple[str, Path]] = (),
              stats: Sequence[SourceStats] = ()) -> dict[str, Any]:
    """Counts per class and relation, evidence, triples, the sources (with what each yielded, when
    known) and the review items."""
    counts = Counts.of(kg)
    return {
        "classes": counts.classes,
        "relations": counts.relations,
        "evidence": counts.evidence,
        "triples": triples,
        "sources": [s.as_dict() for s in stats] or [{"kind": k, "path": str(p)} for k, p in sources],
        "review": [r.as_dict() for r in kg.review],
    }


def previous_summary(out_dir: Path) -> dict[str, Any] | None:
    """The summary of the graph now current in ``out_dir`` (None if there is none or it is unreadable)."""
    try:
        data = json.loads((Path(out_dir) / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def build(
    sources: Sequence[tuple[str, Path]] = (),
    out_dir: Path = Path("out"),
    curated_dir: Path | None = None,
    step: Step = _quiet,
    shacl: bool = True,
    force: bool = False,
) -> BuildResult:
    """Build the graph from ``sources`` (``(kind, path)`` pairs; default: the bundled sample)
    into a new generation of ``out_dir``, and make it current.

    ``out_dir`` is checked and locked first; nothing in it changes until the whole new
    generation is on disk. ``force`` accepts sources that yield nothing or far less than in the
    current build (see :func:`check_sources`).

    Raises:
        LoaderError: a source or the curated data cannot be read, or yields too little.
        SchemaError: the graph does not conform to the SHACL shapes (nothing is written).
        BackendError: ``out_dir`` cannot be written, or another build is writing it.
    """
    sources = list(sources) or default_sources()
    out_dir = check_out_dir(Path(out_dir))
    with writer_lock(out_dir):
        curated = load_curated(curated_dir)
        kg, stats = read_sources(sources, curated, step)
        if not force:
            check_sources(stats, previous_summary(out_dir), out_dir)
        step("adding curated knowledge")
        enrich(kg, curated)
        if shacl:
            step("validating with SHACL")
            report = validate(kg)
            if not report.conforms:
                raise SchemaError(f"the graph does not conform to the shapes ({report.violations} violations):\n"
                                  f"{report.text}")
        else:
            report = ValidationReport(True, 0, "SHACL validation skipped (--no-shacl)")
        try:
            return _write(kg, report, sources, stats, curated, out_dir, step, shacl)
        except OSError as e:
            raise BackendError(f"cannot write the graph to {out_dir}: {e.strerror or e}; "
                               "the graph there is left as it was") from None


def write_generation(kg: GraphReader, staging: Path, step: Step = _quiet, *,
                     dump: bool = True, release: Callable[[], None] | None = None) -> tuple[int, dict[str, Path]]:
    """Write everything a generation holds besides its summary into ``staging``: the embedded store
    (with the ontology in its named graph), the name index, the skeleton, the answers the build
    computes (``answers/``), Turtle/N-Triples/JSON-LD (unless not ``dump``), ontology.ttl and the
    rows of ``ecokg load neo4j``. Returns the number of triples and the files written. Shared by
    ``ecokg build`` and ``bench/generate.py``.

    The store loads and dumps in Rust beside the Python work, unless ``release`` is given: it is
    called once everything has been read from ``kg``, and the load then runs after the Python work
    instead of beside it. A caller holding a graph too large to keep beside the load frees it there
    (``bench/generate.py`` at a million entities): a longer build, a lower peak of memory."""
    staging.mkdir(parents=True, exist_ok=True)
    step("writing N-Triples")
    # the model's triples as N-Triples text, made in Python without a pyoxigraph object (a third of
    # the time of making 4.5 M quads at 100k entities): the store loads it in Rust, and it is the
    # build's ecokg.nt itself (the same triples as the store's dump would write), so it is not dumped
    nt = staging / ("ecokg.nt" if dump else ".load.nt")
    write_ntriples(kg, nt)
    store = RdfStore(staging / STORE_DIR, read_only=False)
    store.add_ontology()  # in its named graph: queries of the data are unchanged

    def rust() -> tuple[int, dict[str, Path]]:
        # loading and the dumps run in Rust without the GIL, one after the other in one thread, beside
        # the Python work below (one thread: on two cores, more at once starved that work)
        store.load_ntriples(nt)
        files = {ext: nt if ext == "nt" else store.dump_format(ext, staging) for ext in FILE_FORMATS} if dump else {}
        if not dump:
            nt.unlink()
        return len(store), files

    def python() -> None:
        # each file is written and its contents let go before the next is made
        step("indexing names")
        NameIndex.from_model(kg).save(staging / NAMES_FILE)  # find: a lookup, not a scan (equals from_store)
        skeleton.save(skeleton.skeleton_from_model(kg), staging / skeleton.SKELETON_FILE)  # views, analyze
        step("computing the answers of the whole-graph aggregations")
        answers.save(materialise.compute(kg), staging)  # bridges ...: a read, not a scan; a file per question
        step("writing the rows of `ecokg load neo4j`")
        neo4j_write.write_rows(kg, staging / neo4j_write.ROWS_FILE)  # a load reads these, not the store

    store_step = "loading the embedded store" + (", then writing Turtle and JSON-LD" if dump else "")
    if release is None:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ecokg-store") as pool:
            job = pool.submit(rust)
            step(store_step)  # in the background
            python()
            step("finishing the store" + (", Turtle and JSON-LD" if dump else ""))
            triples, outputs = job.result()
    else:
        python()
        release()
        step(store_step)
        triples, outputs = rust()
    shutil.copyfile(ontology_path(), staging / ONTOLOGY_FILE)  # the vocabulary travels with the data
    outputs["ontology"] = staging / ONTOLOGY_FILE
    store.close()
    del store  # pyoxigraph closes the store with its last reference
    return triples, outputs


def _write(kg: KnowledgeGraph, report: ValidationReport, sources: Sequence[tuple[str, Path]],
           stats: Sequence[SourceStats], curated: CuratedData, out_dir: Path, step: Step,
           shacl: bool) -> BuildResult:
    """Write the new generation into a staging folder, then publish it (under the writer lock)."""
    staging = staging_dir(out_dir)
    try:
        triples, outputs = write_generation(kg, staging, step)
        summary = summarise(kg, triples, sources, stats)
        summary["shacl"] = "conforms" if shacl else "skipped"
        summary["generation"] = staging_id(staging)
        resolution = resolution_report(kg, curated.resolver().merges)
        summary["resolution"] = resolution["counts"]
        (staging / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        (staging / MERGES).write_text(json.dumps(resolution, ensure_ascii=False, indent=2), encoding="utf-8")
        step("switching to the new graph")
        publish(out_dir, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(kg, out_dir, {k: out_dir / p.name for k, p in outputs.items()}, report, triples, summary)
