"""Sources -> model facts with evidence: one adapter per kind of source, chosen by kind.

>>> sorted(SOURCES)
['bluebook', 'deals', 'llm-list', 'superclue']

``read_source("bluebook", path, curated)`` returns the graph one file states; the
build (:mod:`ecokg.build`) merges every source and adds curated knowledge once. A new
kind of source is one module here and one entry in :data:`SOURCES`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ecokg.graph.model import KnowledgeGraph
from ecokg.loaders.base import SourceKind
from ecokg.loaders.bluebook.facts import read_bluebook
from ecokg.loaders.curated import CuratedData
from ecokg.loaders.deals import read_deals
from ecokg.loaders.llmlist.facts import read_llm_list
from ecokg.loaders.superclue.facts import read_superclue
from ecokg.ontology.errors import LoaderError

SAMPLE_NAME = "bluebook_2024_sample.txt"
SAMPLE_DEALS = "deals_sample.csv"

#: Every kind of source ecokg reads.
SOURCES: dict[str, SourceKind] = {s.kind: s for s in (
    SourceKind("bluebook", "a China Cloud Ecosystem Blue Book text (UTF-8), as extracted from its PDF", read_bluebook),
    SourceKind("superclue", "a SuperCLUE leaderboard page (markdown tables of the SuperCLUE README: overall, OPEN, "
                            "OPT, abilities and open-source boards of a month)", read_superclue),
    SourceKind("llm-list", "the 中国大模型列表 (awesome-LLMs-In-China README): model makers, models, places, "
                           "categories", read_llm_list),
    SourceKind("deals", "deal data: CSV or JSON rows of investor, company, round, date, amount, sector, source "
                        "(docs/deals.md)", read_deals),
)}


def read_source(kind: str, path: Path, curated: CuratedData) -> KnowledgeGraph:
    """The facts the file ``path`` of ``kind`` states, with their evidence."""
    if kind not in SOURCES:
        raise LoaderError(f"no source kind {kind!r}; the kinds are {', '.join(sorted(SOURCES))}", str(path))
    return SOURCES[kind].read(Path(path), curated)


def shipped_sources() -> list[tuple[str, Path]]:
    """The public sources shipped with ecokg (``data/sources``: the SuperCLUE boards of 2023-09 to
    2023-11 and the model list of 2024-11-30), as ``(kind, path)`` pairs."""
    root = Path(str(resources.files("ecokg.data").joinpath("sources")))
    return ([("superclue", p) for p in sorted((root / "superclue").glob("*.md"))]
            + [("llm-list", p) for p in sorted((root / "llm-list").glob("*.md"))])


def default_sources() -> list[tuple[str, Path]]:
    """What a build reads when given no source: the Blue Book sample and the shipped sources."""
    return [("bluebook", sample_path()), *shipped_sources()]


def sample_path() -> Path:
    """The bundled sample: an unmodified excerpt of the 2024 Blue Book text."""
    return Path(str(resources.files("ecokg.data").joinpath(SAMPLE_NAME)))


def sample_deals_path() -> Path:
    """The bundled sample of deal data (public deals, each row with its source)."""
    return Path(str(resources.files("ecokg.data").joinpath(SAMPLE_DEALS)))


__all__ = ["SOURCES", "SourceKind", "default_sources", "read_source", "sample_deals_path", "sample_path",
           "shipped_sources"]
