"""The interactive views of a graph: the glue between the model, the ontology and ``ecokg.viz``.

``ecokg.viz`` knows no ontology; here each node gets what the ontology says about it
(its colour, whether it is an investor or a sector) before the pages are drawn.

- ``overview.html``: every entity, coloured by class, sized by degree (capped);
- ``investors-sectors.html``: investors, sectors and what links them;
- ``ego-NAME.html``: the k-hop neighbourhood of an entity;
- ``path-A-B.html``: the explained shortest connections between two entities.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import networkx as nx

from ecokg import viz
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.nx import entity_graph, to_networkx
from ecokg.graph.questions import resolve, shortest_paths
from ecokg.graph.stores.base import GraphStore
from ecokg.ontology.iris import slug
from ecokg.ontology.terms import C

VIEWS = ("overview", "investors-sectors", "ego", "path")


def styled(g: nx.MultiDiGraph[Any], kg: KnowledgeGraph) -> nx.MultiDiGraph[Any]:
    """Give each node of ``g`` its colour and investor/sector flags from the ontology (in place)."""
    schema = kg.schema
    for n, d in g.nodes(data=True):
        cls = d.get("cls")
        if cls in schema.classes:
            d["colour"] = schema.colour(cls)
            d["sector"] = schema.is_a([cls], C.Sector)
            d["investor"] = schema.is_a([cls], C.Investor) or bool((d.get("props") or {}).get("investor"))
    return g


@dataclass
class ViewGraphs:
    """The two networkx forms the views draw: every node, and entities only."""

    full: nx.MultiDiGraph[Any]
    entities: nx.MultiDiGraph[Any]

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> ViewGraphs:
        full = to_networkx(kg)
        return cls(styled(full, kg), styled(entity_graph(kg, full), kg))


def write_view(kind: str, graphs: ViewGraphs, views_dir: Path, store: GraphStore | None = None,
               names: Sequence[str] = (), cap: int = viz.DEFAULT_CAP, hops: int = 2) -> viz.ViewResult:
    """Write one view into ``views_dir``: ``overview``, ``investors-sectors``, ``ego`` (one name)
    or ``path`` (two names); entity names are resolved through ``store``."""
    views_dir = Path(views_dir)
    views_dir.mkdir(parents=True, exist_ok=True)
    if kind == "overview":
        return viz.overview(graphs.entities, views_dir / "overview.html", cap=cap,
                            title="ecokg — 中国云生态 overview")
    if kind == "investors-sectors":
        return viz.investors_sectors(graphs.entities, views_dir / "investors-sectors.html", cap=cap)
    if store is None:
        raise ValueError("ego and path views need a store to resolve names")
    if kind == "ego" and len(names) == 1:
        ent = resolve(store, names[0])
        return viz.ego(graphs.full, ent["id"], views_dir / f"ego-{slug(ent['name'])}.html", hops=hops, cap=cap,
                       title=f"{ent['name']}: {hops}-hop neighbourhood")
    if kind == "path" and len(names) == 2:
        ea, eb = resolve(store, names[0]), resolve(store, names[1])
        paths = shortest_paths(store, ea["id"], eb["id"])
        node_paths = [[p[0][0]] + [step[2] for step in p] for p in paths]
        return viz.path_view(graphs.full, node_paths, views_dir / f"path-{slug(ea['name'])}-{slug(eb['name'])}.html",
                             cap=cap, title=f"How {ea['name']} connects to {eb['name']}")
    raise ValueError(f"view {kind!r} with {len(names)} name(s): the views are overview, investors-sectors, "
                     "ego NAME, path A B")


def summary(r: viz.ViewResult) -> dict[str, Any]:
    """A written view as plain data."""
    return {"view": r.view, "path": str(r.path), "nodes_drawn": r.nodes_drawn, "edges_drawn": r.edges_drawn,
            "total_nodes": r.total_nodes, "sampled": r.sampled}


def write_views(kg: KnowledgeGraph, views_dir: Path, cap: int = viz.DEFAULT_CAP, store: GraphStore | None = None,
                egos: Sequence[str] = (), hops: int = 2,
                connections: Sequence[tuple[str, str]] = ()) -> list[dict[str, Any]]:
    """Write the overview, the investors-sectors view, and any ego and path views; one summary each."""
    graphs = ViewGraphs.of(kg)
    results = [write_view("overview", graphs, views_dir, cap=cap),
               write_view("investors-sectors", graphs, views_dir, cap=cap)]
    results += [write_view("ego", graphs, views_dir, store, [name], cap, hops) for name in egos]
    results += [write_view("path", graphs, views_dir, store, [a, b], cap) for a, b in connections]
    return [summary(r) for r in results]


@dataclass
class View:
    """One rendered view: the page's HTML and where it was written; shows inline in Jupyter."""

    html: str
    path: Path
    result: dict[str, Any]

    def save(self, path: Path | str) -> Path:
        """Write the page to ``path`` (a self-contained, offline HTML file)."""
        target = Path(path)
        target.write_text(self.html, encoding="utf-8")
        return target

    def _repr_html_(self) -> str:
        # the page runs in a sandboxed frame; its text is escaped into the srcdoc attribute
        return (f'<iframe sandbox="allow-scripts" style="width:100%;height:640px;border:0" '
                f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>')
