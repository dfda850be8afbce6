"""What a source adapter is: a kind of input that becomes model facts with evidence.

An adapter reads one file of its kind and returns a :class:`KnowledgeGraph` of what the
file states, every fact with its evidence (file, offsets or line, the exact text). It
knows no store, and it does not add curated knowledge: the build merges every source
and enriches the result with the curated data once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ecokg.graph.model import KnowledgeGraph
from ecokg.loaders.curated import CuratedData

Reader = Callable[[Path, CuratedData], KnowledgeGraph]


@dataclass(frozen=True)
class SourceKind:
    """One kind of source: its name (``--source KIND=PATH``), what it is, and its reader."""

    kind: str
    summary: str
    read: Reader
