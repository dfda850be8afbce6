"""The build: source text -> graph -> SHACL validation -> RDF files and the embedded store.

Nothing already in the output folder is replaced until the new graph has been
built and validated, so a failed build loses nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Sequence

from ecokg.errors import SchemaError
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.rdf import to_store, write
from ecokg.graph.store import STORE_DIR
from ecokg.graph.validate import ValidationReport, validate
from ecokg.loaders.bluebook_graph import load_bluebook
from ecokg.loaders.curated import apply_curated, load_curated
from ecokg.loaders.deals import load_deals

SAMPLE_NAME = "bluebook_2024_sample.txt"
SAMPLE_DEALS = "deals_sample.csv"


def sample_path() -> Path:
    """The bundled sample: an unmodified excerpt of the 2024 Blue Book text."""
    return Path(str(resources.files("ecokg.data").joinpath(SAMPLE_NAME)))


@dataclass
class BuildResult:
    kg: KnowledgeGraph
    out_dir: Path
    outputs: dict[str, Path]
    validation: ValidationReport
    triples: int
    summary: dict[str, Any] = field(default_factory=dict)


def summarise(kg: KnowledgeGraph, triples: int) -> dict[str, Any]:
    return {
        "classes": dict(sorted(kg.class_counts().items())),
        "relations": dict(sorted(kg.relation_counts().items())),
        "evidence": len(kg.all_evidence()),
        "triples": triples,
        "review": [r.as_dict() for r in kg.review],
    }


def sample_deals_path() -> Path:
    """The bundled sample of deal data (public deals, each row with its source)."""
    return Path(str(resources.files("ecokg.data").joinpath(SAMPLE_DEALS)))


def make_graph(source: Path | None = None, curated_dir: Path | None = None,
               deals: Sequence[Path] = ()) -> KnowledgeGraph:
    """Parse ``source`` (default: the bundled sample) with the curated data, add deal files, in memory."""
    src = Path(source) if source else sample_path()
    cd = load_curated(curated_dir)
    kg = load_bluebook(src, cd)
    if deals:
        for d in deals:
            load_deals(kg, d, cd)
        apply_curated(kg, cd)  # curated facts for organisations the deals brought in
    return kg


def build(
    source: Path | None = None,
    out_dir: Path = Path("out"),
    curated_dir: Path | None = None,
    step: Callable[[str], None] = lambda msg: None,
    deals: Sequence[Path] = (),
    shacl: bool = True,
) -> BuildResult:
    """Build the graph from ``source`` (default: the bundled sample) into ``out_dir``.

    Raises:
        LoaderError: the source or curated data cannot be read.
        SchemaError: the graph does not conform to the SHACL shapes (nothing is written).
    """
    step(f"reading {source or sample_path()}")
    kg = make_graph(source, curated_dir, deals)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir))
    try:
        step("loading the embedded store")
        store = to_store(kg, staging / STORE_DIR)
        triples = len(store)
        if shacl:
            step(f"validating {triples} triples with SHACL")
            report = validate(store)
        else:
            report = ValidationReport(True, 0, "SHACL validation skipped (--no-shacl)")
        if not report.conforms:
            raise SchemaError(f"the graph does not conform to the shapes ({report.violations} violations):\n{report.text}")
        step("writing Turtle, N-Triples and JSON-LD")
        outputs = write(store, staging)
        summary = summarise(kg, triples)
        summary["shacl"] = "conforms" if shacl else "skipped"
        (staging / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        del store  # close the store before moving it
        final: dict[str, Path] = {}
        for name in [STORE_DIR, *(p.name for p in outputs.values()), "summary.json"]:
            target = out_dir / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            (staging / name).rename(target)
            final[name] = target
        return BuildResult(kg, out_dir, {k: out_dir / p.name for k, p in outputs.items()}, report, triples, summary)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
