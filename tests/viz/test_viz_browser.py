"""ecokg.viz pages in real headless Chromium: rendering, offline, injection, cap, UTF-8."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from viz_graphs import (
    INJECTIONS,
    ecosystem_graph,
    injection_graph,
    iri,
    scale_graph,
    undirected_shortest_path_nodes,
)
from viz_pages import read_html

from ecokg import viz

pytestmark = pytest.mark.browser

ViewCase = Callable[[nx.MultiDiGraph, Path], tuple[viz.ViewResult, int]]

PATHS = [
    [iri("hongshan"), iri("inv-1"), iri("startup"), iri("sector-ai")],
    [iri("p-wang"), iri("pos-wang-cto"), iri("aliyun"), iri("sector-cloud")],
]


def _overview(G: nx.MultiDiGraph, out: Path) -> tuple[viz.ViewResult, int]:
    return viz.overview(G, out), G.number_of_nodes()


def _ego(G: nx.MultiDiGraph, out: Path) -> tuple[viz.ViewResult, int]:
    center = iri("aliyun")
    expected = nx.ego_graph(G.to_undirected(), center, radius=2).number_of_nodes()
    return viz.ego(G, center, out, hops=2), expected


def _path(G: nx.MultiDiGraph, out: Path) -> tuple[viz.ViewResult, int]:
    return viz.path_view(G, PATHS, out), len({n for p in PATHS for n in p})


def _investors(G: nx.MultiDiGraph, out: Path) -> tuple[viz.ViewResult, int]:
    return viz.investors_sectors(G, out), len(undirected_shortest_path_nodes(G, 3))


VIEWS: dict[str, ViewCase] = {
    "overview": _overview,
    "ego": _ego,
    "path": _path,
    "investors_sectors": _investors,
}


def _hover_nodes(page: Any, limit: int = 6) -> list[str]:
    """Move the mouse over up to ``limit`` nodes; return the tooltip text seen for each."""
    targets = page.evaluate(
        """(limit) => {
          const net = window.ecokgNetwork;
          const rect = document.getElementById("ecokg-network").getBoundingClientRect();
          const pos = net.getPositions();
          return Object.keys(pos).slice(0, limit).map((id) => {
            const p = net.canvasToDOM(pos[id]);
            return { id, x: rect.left + p.x, y: rect.top + p.y };
          });
        }""",
        limit,
    )
    seen: list[str] = []
    for t in targets:
        page.mouse.move(5, 5)
        page.mouse.move(t["x"], t["y"], steps=4)
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        seen.append(page.eval_on_selector("div.vis-tooltip", "el => el.textContent"))
    return seen


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_renders_in_chromium(name: str, tmp_path: Path, open_page: Any, artifacts_dir: Path) -> None:
    G = ecosystem_graph()
    result, expected = VIEWS[name](G, tmp_path / f"{name}.html")
    assert result.nodes_drawn == expected
    watch = open_page(result.path)
    assert watch.node_count() == expected
    assert watch.page.evaluate("window.ecokgEdges.length") == result.edges_drawn
    # physics is switched off once stabilised
    assert watch.page.evaluate("window.ecokgNetwork.physics.options.enabled") is False
    tips = _hover_nodes(watch.page, limit=3)
    assert all(tips)
    watch.page.mouse.move(5, 5)
    watch.page.screenshot(path=str(artifacts_dir / f"{name}.png"))
    watch.assert_clean()


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_renders_offline(name: str, tmp_path: Path, open_page: Any) -> None:
    G = ecosystem_graph()
    result, expected = VIEWS[name](G, tmp_path / f"{name}.html")
    tags_html = read_html(result.path).lower()
    for bad in ('src="http', "src='http", 'href="http', "href='http", 'src="//', 'href="//'):
        assert bad not in tags_html
    watch = open_page(result.path, offline=True)
    assert watch.node_count() == expected
    assert watch.page.evaluate("typeof vis.Network") == "function"
    watch.assert_clean()


def test_tooltip_shows_class_props_and_evidence(tmp_path: Path, open_page: Any) -> None:
    G = ecosystem_graph()
    center = iri("aliyun")
    result = viz.ego(G, center, tmp_path / "ego.html", hops=0)
    watch = open_page(result.path)
    assert watch.node_count() == 1
    [tip] = _hover_nodes(watch.page, limit=1)
    attrs = G.nodes[center]
    ev = attrs["evidence"][0]
    for expected in (
        attrs["label"],
        attrs["cls"],
        "founded",
        "2009",
        "hq",
        "杭州",
        ev["quote"],
        ev["source"],
        f"{ev['start']}–{ev['end']}",
        ev["basis"],
    ):
        assert str(expected) in tip
    watch.assert_clean()


def _injection_views(G: nx.MultiDiGraph, out: Path) -> dict[str, tuple[viz.ViewResult, str]]:
    heading = " ".join(INJECTIONS)
    nodes = sorted(G.nodes)
    hub = iri("hub")
    return {
        "overview": (viz.overview(G, out / "o.html", title=heading), heading),
        "ego": (viz.ego(G, hub, out / "e.html", hops=1, title=heading), heading),
        "path": (viz.path_view(G, [[nodes[0], hub, nodes[1]]], out / "p.html", title=heading), heading),
        "investors_sectors": (viz.investors_sectors(G, out / "i.html", title=heading), heading),
    }


def test_injection_never_executes(tmp_path: Path, open_page: Any, artifacts_dir: Path) -> None:
    G = injection_graph()
    raw_labels: dict[Hashable, str] = {n: a["label"] for n, a in G.nodes(data=True)}
    for name, (result, heading) in _injection_views(G, tmp_path).items():
        watch = open_page(result.path)
        page = watch.page
        drawn = page.evaluate("window.ecokgNodes.get().map(n => [n.id, n.label])")
        assert len(drawn) == result.nodes_drawn
        tips = _hover_nodes(page, limit=len(drawn))
        page.wait_for_timeout(200)  # let any (unwanted) onerror/handler fire
        # No script from the data ran: no dialog, no recorded alert()/confirm()/prompt().
        assert watch.dialogs == [], name
        assert watch.dialog_calls() == [], name
        for node_id, label in drawn:
            assert label == raw_labels[node_id]  # literal text, untouched
        assert page.inner_text("h1") == heading
        assert page.title() == heading
        joined = "\n".join(tips)
        assert any(evil in joined for evil in INJECTIONS)
        # Every node/edge tooltip is a DOM element whose text is the raw data.
        titles = page.evaluate(
            """() => [...window.ecokgNodes.get(), ...window.ecokgEdges.get()].map(r => ({
              element: r.title instanceof HTMLElement,
              text: r.title.textContent,
              hostile: r.title.querySelectorAll("img, script, a, iframe").length,
            }))"""
        )
        assert titles and all(t["element"] and t["hostile"] == 0 for t in titles)
        all_text = "\n".join(t["text"] for t in titles)
        for evil in INJECTIONS:
            assert evil in all_text
        legend = page.inner_text("#ecokg-legend")
        if name == "overview":
            assert INJECTIONS[3] in legend  # hostile class name shown as text
            page.screenshot(path=str(artifacts_dir / "injection-overview.png"))
        counts = page.evaluate(
            """() => ({
              img: document.querySelectorAll("img").length,
              scripts: document.querySelectorAll("script").length,
              handlers: [...document.querySelectorAll("*")].filter(
                el => [...el.attributes].some(a => a.name.startsWith("on"))).length,
              tooltipElements: document.querySelectorAll("div.vis-tooltip img, div.vis-tooltip script").length,
            })"""
        )
        assert counts == {"img": 0, "scripts": 3, "handlers": 0, "tooltipElements": 0}, name
        watch.assert_clean()


def test_cap_in_browser(tmp_path: Path, open_page: Any, artifacts_dir: Path) -> None:
    G = scale_graph(3000)
    cap = 1000
    result = viz.overview(G, tmp_path / "big.html", cap=cap)
    assert result.sampled and result.nodes_drawn == cap
    watch = open_page(result.path)
    assert watch.node_count() == cap
    notice = watch.page.inner_text("#ecokg-notice")
    assert notice == f"Showing {cap:,} of {G.number_of_nodes():,} nodes (highest degree first)"
    assert watch.page.is_visible("#ecokg-notice")
    watch.page.screenshot(path=str(artifacts_dir / "overview-capped.png"))
    watch.assert_clean()


def test_utf8_and_chinese_survive(tmp_path: Path, open_page: Any) -> None:
    G = ecosystem_graph()
    title = "中国云生态图谱 · 总览"
    result = viz.overview(G, tmp_path / "zh.html", title=title)
    raw = result.path.read_bytes()
    raw.decode("utf-8", errors="strict")
    assert "国家集成电路产业投资基金".encode() in raw
    watch = open_page(result.path)
    page = watch.page
    assert page.evaluate("document.characterSet") == "UTF-8"
    assert page.inner_text("h1") == title
    labels = dict(page.evaluate("window.ecokgNodes.get().map(n => [n.id, n.label])"))
    assert labels == {n: a["label"] for n, a in G.nodes(data=True)}
    watch.assert_clean()


def test_empty_graph_is_ready(tmp_path: Path, open_page: Any) -> None:
    result = viz.overview(nx.MultiDiGraph(), tmp_path / "empty.html")
    assert result.nodes_drawn == 0 and result.total_nodes == 0
    watch = open_page(result.path)
    assert watch.node_count() == 0
    watch.assert_clean()
