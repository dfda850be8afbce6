"""Interactive, offline, escaped HTML views of the ecokg graph (pyvis / vis-network).

Public API::

    overview(G, path, cap=1000) -> ViewResult
    ego(G, center, path, hops=2, cap=1000) -> ViewResult
    path_view(G, paths, path, cap=1000) -> ViewResult
    investors_sectors(G, path, cap=1000) -> ViewResult

``G`` is a ``networkx.MultiDiGraph`` whose nodes carry ``label``, ``cls``, ``props`` and
``evidence`` (and optionally ``colour``, ``investor``, ``sector``) and whose edges carry
``type`` and ``evidence``. The package knows no ontology and imports nothing else of
ecokg: it takes plain data. See ``docs/views.md``.
"""

from __future__ import annotations

from .page import PageSpec, render_page, write_page
from .result import ViewResult
from .style import is_investor, is_sector
from .views import DEFAULT_CAP, ego, investors_sectors, overview, path_view

__all__ = [
    "DEFAULT_CAP",
    "PageSpec",
    "ViewResult",
    "ego",
    "investors_sectors",
    "is_investor",
    "is_sector",
    "overview",
    "path_view",
    "render_page",
    "write_page",
]
