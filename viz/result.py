"""The small result object every view returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ViewResult:
    """What a view wrote.

    ``total_nodes`` is the number of candidate nodes for the view (the whole graph for
    the overview, the neighbourhood for ego, ...); ``sampled`` is true when the cap cut
    it down to ``nodes_drawn``; ``notice`` is the notice shown on the page, if any.
    ``units`` names what ``nodes_drawn`` and ``edges_drawn`` count: ``("nodes", "edges")``
    for the graph views, ``("lines", "points")`` for the model race.
    """

    view: str
    path: Path
    nodes_drawn: int
    edges_drawn: int
    total_nodes: int
    sampled: bool
    notice: str | None = None
    units: tuple[str, str] = ("nodes", "edges")
    total_edges: int | None = None  # edges among the drawn nodes before the edge cap (graph views)


def cap_notice(drawn: int, total: int, order: str) -> str:
    """``"Showing 1,000 of 23,456 nodes (highest degree first)"``."""
    return f"Showing {drawn:,} of {total:,} nodes ({order})"
