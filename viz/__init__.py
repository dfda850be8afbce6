"""Interactive, offline, escaped HTML views of the ecokg graph (pyvis / vis-network).

Public API::

    overview(G, path, cap=1000) -> ViewResult
    ego(G, center, path, hops=2, cap=1000) -> ViewResult
    path_view(G, paths, path, cap=1000) -> ViewResult
    investors_sectors(G, path, cap=1000) -> ViewResult

``G`` is a ``networkx.MultiDiGraph`` whose nodes carry ``label``, ``cls``, ``props`` and
``evidence`` and whose edges carry ``type`` and ``evidence``. See ``docs/views.md``.
"""

from __future__ import annotations

from .page import PageSpec, render_page, write_page
from .result import ViewResult
from .style import INVESTOR_CLASSES, is_investor
from .views import DEFAULT_CAP, ego, investors_sectors, overview, path_view

__all__ = [
    "DEFAULT_CAP",
    "INVESTOR_CLASSES",
    "PageSpec",
    "ViewResult",
    "ego",
    "investors_sectors",
    "is_investor",
    "overview",
    "path_view",
    "render_page",
    "write_page",
]
