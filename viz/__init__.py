"""Interactive, offline, escaped HTML views of the ecokg graph (pyvis / vis-network).

Public API::

    overview(G, path, cap=1000) -> ViewResult
    ego(G, center, path, hops=2, cap=1000) -> ViewResult
    path_view(G, paths, path, cap=1000) -> ViewResult
    investors_sectors(G, path, cap=1000) -> ViewResult
    investors_makers(G, path, cap=1000) -> ViewResult
    model_race(series, path, lines=12) -> ViewResult      # a line chart, inline SVG

``G`` is a ``networkx.MultiDiGraph`` whose nodes carry ``label``, ``cls``, ``props`` and
``evidence`` (and optionally ``colour``, ``investor``, ``sector``, ``maker``, ``place``) and
whose edges carry ``type`` and ``evidence`` (and optionally ``props``). ``model_race`` takes
:class:`RaceSeries` of :class:`RacePoint`. The package knows no ontology and imports nothing
else of ecokg: it takes plain data. See ``docs/views.md``.
"""

from __future__ import annotations

from .page import PageSpec, render_page, write_page
from .race import RACE_LINES, RacePoint, RaceSeries
from .race_page import model_race
from .result import ViewResult
from .select import Selection, shortest_path_candidates
from .style import is_investor, is_maker, is_place, is_sector
from .views import (
    DEFAULT_CAP,
    EDGE_CAP,
    ego,
    investors_makers,
    investors_sectors,
    overview,
    path_view,
)

__all__ = [
    "DEFAULT_CAP",
    "EDGE_CAP",
    "RACE_LINES",
    "PageSpec",
    "RacePoint",
    "RaceSeries",
    "Selection",
    "ViewResult",
    "ego",
    "investors_makers",
    "investors_sectors",
    "is_investor",
    "is_maker",
    "is_place",
    "is_sector",
    "model_race",
    "overview",
    "path_view",
    "render_page",
    "shortest_path_candidates",
    "write_page",
]
