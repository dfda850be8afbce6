"""The page writer: a self-contained, offline, escaped HTML page around pyvis data.

pyvis' ``Network`` is used as the data/options model (its node/edge lists and its
physics options), but:

* nodes and edges are assigned as whole lists (``net.nodes = [...]``) instead of the
  quadratic ``add_node``/``add_edge`` loop;
* the page is rendered from ecokg's own template: vis-network JS/CSS are inlined from
  the pyvis package (no CDN, no Bootstrap), every data string is escaped, and the
  data travels as script-safe JSON;
* the file is always written as UTF-8 with ``<meta charset="utf-8">``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pyvis.network import Network

from .assets import load_vis_assets
from .drawing import LegendEntry
from .escape import html_text, script_json
from .style import EDGE_COLOUR, FONT_FACE, NODE_SIZE_MAX, NODE_SIZE_MIN
from .template import content_security_policy, PAGE_CSS, RUNTIME_JS

Solver = Literal["forceAtlas2Based", "barnesHut"]

_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{3,8}$")
LAYOUT_SEED = 7


@dataclass
class PageSpec:
    """Everything a page shows. Strings here are raw data: the writer escapes them."""

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[LegendEntry] = field(default_factory=list)
    notice: str | None = None
    subtitle: str | None = None
    view: str = "graph"
    edge_labels: bool = False
    solver: Solver = "forceAtlas2Based"
    meta: dict[str, Any] = field(default_factory=dict)
    extra_legend: list[LegendEntry] = field(default_factory=list)
    note: str | None = None


def stabilization_iterations(node_count: int) -> int:
    """Fewer layout iterations for bigger drawings so pages open in seconds."""
    if node_count <= 200:
        return 600
    return max(150, min(600, 120_000 // node_count))


def build_network(spec: PageSpec) -> Network:
    """A pyvis ``Network`` holding the spec's nodes, edges and physics options."""
    net = Network(height="100%", width="100%", directed=True, heading=spec.title, cdn_resources="in_line")
    # Assign the lists wholesale: add_node/add_edge scan lists and are O(n^2).
    net.nodes = spec.nodes
    net.edges = spec.edges
    net.node_ids = [n["id"] for n in spec.nodes]
    net.node_map = {n["id"]: n for n in spec.nodes}
    if spec.solver == "barnesHut":
        net.barnes_hut(gravity=-8000, central_gravity=0.3, spring_length=120, spring_strength=0.04, damping=0.3)
    else:
        net.force_atlas_2based(gravity=-60, central_gravity=0.01, spring_length=110, spring_strength=0.08, damping=0.5)
    net.toggle_stabilization(True)
    return net


def network_options(net: Network, spec: PageSpec) -> dict[str, Any]:
    """vis-network options: pyvis' physics plus ecokg's interaction and style settings."""
    _nodes, _edges, _heading, _height, _width, options_json = net.get_network_data()
    options: dict[str, Any] = json.loads(options_json)
    count = len(spec.nodes)
    big = count > 300
    physics = options.setdefault("physics", {})
    physics["enabled"] = True
    physics["solver"] = spec.solver
    physics["minVelocity"] = 0.75
    physics["stabilization"] = {
        "enabled": True,
        "iterations": stabilization_iterations(count),
        "updateInterval": 25,
        "fit": True,
    }
    options["configure"] = {"enabled": False}
    options["layout"] = {"randomSeed": LAYOUT_SEED, "improvedLayout": count <= 150}
    options["interaction"] = {
        "hover": True,
        "tooltipDelay": 120,
        "dragNodes": True,
        "hideEdgesOnDrag": big,
        "navigationButtons": False,
        "keyboard": False,
    }
    options["nodes"] = {
        "shape": "dot",
        "scaling": {
            "min": NODE_SIZE_MIN,
            "max": NODE_SIZE_MAX,
            "label": {"enabled": True, "min": 12, "max": 26, "drawThreshold": 6},
        },
        "font": {"face": FONT_FACE, "size": 14, "color": "#1f2328", "strokeWidth": 3, "strokeColor": "#ffffff"},
    }
    options["edges"] = {
        "color": {"color": EDGE_COLOUR, "highlight": "#d62728", "hover": "#444444", "inherit": False},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "smooth": {"enabled": not big, "type": "continuous", "roundness": 0.5},
        "font": {"face": FONT_FACE, "size": 10, "align": "middle", "color": "#57606a"},
        "width": 1,
        "selectionWidth": 2,
    }
    return options


def _swatch(entry: LegendEntry) -> str:
    colour = entry.colour if _COLOUR_RE.match(entry.colour) else "#999999"
    shape = " line" if entry.shape == "line" else ""
    return f'<span class="swatch{shape}" style="background:{colour}"></span>'


def render_legend(entries: Sequence[LegendEntry]) -> str:
    """The HTML legend (escaped)."""
    rows = "".join(
        f'<li>{_swatch(e)}<span class="legend-text">{html_text(e.text)}</span>'
        f'<span class="count">{e.count:,}</span></li>'
        if e.count >= 0
        else f'<li>{_swatch(e)}<span class="legend-text">{html_text(e.text)}</span></li>'
        for e in entries
    )
    return f'<aside id="ecokg-legend"><h2>Legend</h2><ul>{rows}</ul></aside>'


def render_page(spec: PageSpec) -> str:
    """Render the complete HTML document for ``spec``."""
    assets = load_vis_assets()
    net = build_network(spec)
    options = network_options(net, spec)
    payload = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "meta": {"view": spec.view, **spec.meta},
    }
    title = html_text(spec.title)
    stats = f"drawn: {len(spec.nodes):,} nodes · {len(spec.edges):,} edges"
    subtitle = f"{html_text(spec.subtitle)} · {stats}" if spec.subtitle else stats
    notice = f'<p id="ecokg-notice" role="status">{html_text(spec.notice)}</p>' if spec.notice else ""
    note = f'<p class="ecokg-rule">{html_text(spec.note)}</p>' if spec.note else ""
    legend = render_legend([*spec.legend, *spec.extra_legend])
    vis_js = f"\n{assets.js}\n"
    policy = content_security_policy(vis_js, RUNTIME_JS)
    return "".join(
        [
            "<!DOCTYPE html>\n",
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{html_text(policy)}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="generator" content="ecokg.viz">\n',
            f"<title>{title}</title>\n",
            f"<style>\n{assets.css}\n</style>\n",
            f"<style>{PAGE_CSS}</style>\n",
            "</head>\n",
            f'<body data-view="{html_text(spec.view)}">\n',
            f'<header id="ecokg-header"><h1>{title}</h1><p class="ecokg-stats">{subtitle}</p>',
            f"{note}{notice}</header>\n",
            '<div id="ecokg-main"><div id="ecokg-stage"><div id="ecokg-network"></div>',
            '<div id="ecokg-progress">Laying out…</div></div>',
            f"{legend}</div>\n",
            f'<script type="application/json" id="ecokg-data">{script_json(payload)}</script>\n',
            f"<script>{vis_js}</script>\n",
            f"<script>{RUNTIME_JS}</script>\n",
            "</body>\n</html>\n",
        ]
    )


def write_page(spec: PageSpec, path: str | Path) -> Path:
    """Render ``spec`` and write it to ``path`` as UTF-8 (parent dirs created)."""
    out = Path(path)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"page path must end in .html: {out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_page(spec), encoding="utf-8", newline="\n")
    return out
