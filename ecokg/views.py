"""Write the interactive views of a built graph (the glue between the graph and ``ecokg.viz``).

- ``overview.html``: every entity, coloured by class, sized by degree (capped);
- ``investors-sectors.html``: investors, sectors and what links them;
- ``ego-NAME.html``: the k-hop neighbourhood of an entity;
- ``path-A-B.html``: the explained shortest connections between two entities.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecokg import viz
from ecokg.graph.ids import slug
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.nx import entity_graph, to_networkx
from ecokg.graph.questions import Backend, resolve, shortest_paths


def write_views(kg: KnowledgeGraph, views_dir: Path, cap: int = viz.DEFAULT_CAP,
                backend: Backend | None = None, egos: tuple[str, ...] = (), hops: int = 2,
                connections: tuple[tuple[str, str], ...] = ()) -> list[dict[str, Any]]:
    """Write the views; return one summary per page written."""
    views_dir = Path(views_dir)
    views_dir.mkdir(parents=True, exist_ok=True)
    full = to_networkx(kg)
    ents = entity_graph(kg, full)
    results = [
        viz.overview(ents, views_dir / "overview.html", cap=cap, title="ecokg — 中国云生态 overview"),
        viz.investors_sectors(ents, views_dir / "investors-sectors.html", cap=cap),
    ]
    if egos or connections:
        if backend is None:
            raise ValueError("ego and path views need a backend to resolve names")
        for name in egos:
            ent = resolve(backend, name)
            results.append(viz.ego(full, ent["id"], views_dir / f"ego-{slug(ent['name'])}.html", hops=hops, cap=cap,
                                   title=f"{ent['name']}: {hops}-hop neighbourhood"))
        for a, b in connections:
            ea, eb = resolve(backend, a), resolve(backend, b)
            paths = shortest_paths(backend, ea["id"], eb["id"])
            node_paths = [[p[0][0]] + [step[2] for step in p] for p in paths]
            results.append(viz.path_view(full, node_paths, views_dir / f"path-{slug(ea['name'])}-{slug(eb['name'])}.html",
                                         cap=cap, title=f"How {ea['name']} connects to {eb['name']}"))
    return [{"view": r.view, "path": str(r.path), "nodes_drawn": r.nodes_drawn, "edges_drawn": r.edges_drawn,
             "total_nodes": r.total_nodes, "sampled": r.sampled} for r in results]
