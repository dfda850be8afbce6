"""The build, one way: read each source, merge, add curated knowledge once, validate, write.

Sources are read by their adapters (:mod:`ecokg.loaders`); the merged graph is checked
against the SHACL shapes, then written to the embedded store and to Turtle, N-Triples
and JSON-LD. Nothing already in the output folder is replaced until the new graph has
been built and validated, so a failed build loses nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.stores.base import Counts
from ecokg.graph.stores.oxigraph import STORE_DIR, RdfStore
from ecokg.graph.validate import ValidationReport, validate
from ecokg.loaders import SOURCES, default_sources, read_source
from ecokg.loaders.curated import CuratedData, enrich, load_curated
from ecokg.loaders.resolve import resolution_report
from ecokg.ontology.errors import LoaderError, SchemaError

SUMMARY = "summary.json"
MERGES = "merges.json"
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
    kg = KnowledgeGraph()
    for kind, path in sources or default_sources():
        step(f"reading {kind} source {path}")
        kg.merge(read_source(kind, path, curated))
    step("adding curated knowledge")
    enrich(kg, curated)
    return kg


def summarise(kg: KnowledgeGraph, triples: int, sources: Sequence[tuple[str, Path]] = ()) -> dict[str, Any]:
    """Counts per class and relation, evidence, triples, the sources and the review items."""
    counts = Counts.of(kg)
    return {
        "classes": counts.classes,
        "relations": counts.relations,
        "evidence": counts.evidence,
        "triples": triples,
        "sources": [{"kind": k, "path": str(p)} for k, p in sources],
        "review": [r.as_dict() for r in kg.review],
    }


def build(
    sources: Sequence[tuple[str, Path]] = (),
    out_dir: Path = Path("out"),
    curated_dir: Path | None = None,
    step: Step = _quiet,
    shacl: bool = True,
) -> BuildResult:
    """Build the graph from ``sources`` (``(kind, path)`` pairs; default: the bundled sample)
    into ``out_dir``.

    Raises:
        LoaderError: a source or the curated data cannot be read.
        SchemaError: the graph does not conform to the SHACL shapes (nothing is written).
    """
    sources = list(sources) or default_sources()
    curated = load_curated(curated_dir)
    kg = make_graph(sources, curated_dir, step, curated)
    if shacl:
        step("validating with SHACL")
        report = validate(kg)
        if not report.conforms:
            raise SchemaError(f"the graph does not conform to the shapes ({report.violations} violations):\n"
                              f"{report.text}")
    else:
        report = ValidationReport(True, 0, "SHACL validation skipped (--no-shacl)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir))
    try:
        step("loading the embedded store")
        store = RdfStore(staging / STORE_DIR, read_only=False)
        store.write(kg)
        triples = len(store)
        step("writing Turtle, N-Triples and JSON-LD")
        outputs = store.dump(staging)
        store.close()
        summary = summarise(kg, triples, sources)
        summary["shacl"] = "conforms" if shacl else "skipped"
        resolution = resolution_report(kg, curated.resolver().merges)
        summary["resolution"] = resolution["counts"]
        (staging / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        (staging / MERGES).write_text(json.dumps(resolution, ensure_ascii=False, indent=2), encoding="utf-8")
        for name in [STORE_DIR, *(p.name for p in outputs.values()), SUMMARY, MERGES]:
            target = out_dir / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            (staging / name).rename(target)
        return BuildResult(kg, out_dir, {k: out_dir / p.name for k, p in outputs.items()}, report, triples, summary)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
