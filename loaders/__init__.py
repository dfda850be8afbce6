"""Sources -> model facts with evidence: one adapter per kind of source, chosen by kind.

>>> sorted(SOURCES)
['bluebook', 'deals']

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
from ecokg.ontology.errors import LoaderError

SAMPLE_NAME = "bluebook_2024_sample.txt"
SAMPLE_DEALS = "deals_sample.csv"

#: Every kind of source ecokg reads.
SOURCES: dict[str, SourceKind] = {s.kind: s for s in (
    SourceKind("bluebook", "a China Cloud Ecosystem Blue Book text (UTF-8), as extracted from its PDF", read_bluebook),
    SourceKind("deals", "deal data: CSV or JSON rows of investor, company, round, date, amount, sector, source "
                        "(docs/deals.md)", read_deals),
)}


def read_source(kind: str, path: Path, curated: CuratedData) -> KnowledgeGraph:
    """The facts the file ``path`` of ``kind`` states, with their evidence."""
    if kind not in SOURCES:
        raise LoaderError(f"no source kind {kind!r}; the kinds are {', '.join(sorted(SOURCES))}", str(path))
    return SOURCES[kind].read(Path(path), curated)


def sample_path() -> Path:
    """The bundled sample: an unmodified excerpt of the 2024 Blue Book text."""
    return Path(str(resources.files("ecokg.data").joinpath(SAMPLE_NAME)))


def sample_deals_path() -> Path:
    """The bundled sample of deal data (public deals, each row with its source)."""
    return Path(str(resources.files("ecokg.data").joinpath(SAMPLE_DEALS)))


__all__ = ["SOURCES", "SourceKind", "read_source", "sample_deals_path", "sample_path"]
