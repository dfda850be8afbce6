"""ecokg: a knowledge graph of the Chinese cloud and AI ecosystem."""

from __future__ import annotations

__version__ = "0.1.0"
