"""The model-race and investors-makers pages in real headless Chromium: they render, work offline,
make no request, log no error, and run nothing from the data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ecokg.graph.model import KnowledgeGraph
from viz_graphs import INJECTIONS
from viz_makers_kg import EVIL_MAKER, makers_kg
from viz_race_kg import EVIL, race_kg

from ecokg.views import ViewGraphs, race_series, write_race, write_view

pytestmark = pytest.mark.browser

#: Per line drawn: its name, number of circles and polylines, and its computed display.
SERIES_JS = """() => [...document.querySelectorAll("#ecokg-race .race-series")].map(g => ({
  index: g.getAttribute("data-series"),
  circles: g.querySelectorAll("circle.race-point").length,
  polylines: [...g.querySelectorAll("polyline.race-line")].map(p => p.points.numberOfItems),
  titles: [...g.querySelectorAll("circle > title")].map(t => t.textContent),
  display: getComputedStyle(g).display,
}))"""


def test_race_renders_in_chromium(tmp_path: Path, open_page: Any, artifacts_dir: Path, kg: KnowledgeGraph) -> None:
    result = write_race(kg, tmp_path / "model-race.html")
    watch = open_page(result.path)
    page = watch.page
    box = page.locator("svg#ecokg-race").bounding_box()
    assert box and box["width"] > 400 and box["height"] > 200
    series = page.evaluate(SERIES_JS)
    assert len(series) == result.nodes_drawn
    assert sum(s["circles"] for s in series) == result.edges_drawn
    assert any(s["polylines"] for s in series) and all(n >= 2 for s in series for n in s["polylines"])
    # the lines drawn are the best ones, each point's tooltip names its line, month, model and score
    race = page.evaluate("window.ecokgRace")
    ranked = sorted(race_series(kg).series, key=lambda s: (-s.best, s.name, s.key))[: result.nodes_drawn]
    assert [s["name"] for s in race["series"]] == [s.name for s in ranked]
    for drawn, line in zip(series, ranked):
        for p in line.points:
            assert any(t.startswith(f"{line.name} · {p.month}") and p.score_text in t and p.models[0] in t
                       for t in drawn["titles"])
    # the months of the data are the x axis labels
    ticks = page.eval_on_selector_all("#ecokg-race text.race-xtick", "els => els.map(e => e.textContent)")
    assert ticks == race["months"] == sorted({p.month for s in race_series(kg).series for p in s.points})
    if result.sampled:
        assert page.is_visible("#ecokg-notice") and page.inner_text("#ecokg-notice") == result.notice
    # the legend hides and shows a line
    page.click('#ecokg-legend button[data-series="0"]')
    assert page.evaluate(SERIES_JS)[0]["display"] == "none"
    page.click('#ecokg-legend button[data-series="0"]')
    assert page.evaluate(SERIES_JS)[0]["display"] != "none"
    page.hover('#ecokg-legend button[data-series="1"]')
    assert page.evaluate("document.getElementById('ecokg-race').classList.contains('race-focus')")
    page.mouse.move(5, 5)
    page.screenshot(path=str(artifacts_dir / "model-race.png"), full_page=True)
    watch.assert_clean()


def test_race_renders_offline(tmp_path: Path, open_page: Any, kg: KnowledgeGraph) -> None:
    result = write_race(kg, tmp_path / "model-race.html", by="family")
    watch = open_page(result.path, offline=True)
    assert len(watch.page.evaluate(SERIES_JS)) == result.nodes_drawn
    watch.assert_clean()


def test_race_injection_never_executes(tmp_path: Path, open_page: Any) -> None:
    result = write_race(race_kg(), tmp_path / "evil-race.html")
    watch = open_page(result.path)
    page = watch.page
    page.wait_for_timeout(200)  # let any (unwanted) handler fire
    assert watch.dialogs == [] and watch.dialog_calls() == []
    legend = page.inner_text("#ecokg-legend")
    assert EVIL in legend  # the hostile developer name, as text
    titles = "\n".join(t for s in page.evaluate(SERIES_JS) for t in s["titles"])
    assert INJECTIONS[0] in titles and EVIL in titles
    counts = page.evaluate(
        """() => ({
          img: document.querySelectorAll("img").length,
          scripts: document.querySelectorAll("script").length,
          handlers: [...document.querySelectorAll("*")].filter(
            el => [...el.attributes].some(a => a.name.startsWith("on"))).length,
        })"""
    )
    assert counts == {"img": 0, "scripts": 2, "handlers": 0}
    watch.assert_clean()


@pytest.mark.parametrize("which", ["hand-built", "real"])
def test_investors_makers_renders(which: str, tmp_path: Path, open_page: Any, artifacts_dir: Path,
                                  kg: KnowledgeGraph) -> None:
    graph = makers_kg() if which == "hand-built" else kg
    result = write_view("investors-makers", ViewGraphs.of(graph), tmp_path)
    watch = open_page(result.path, offline=True)
    page = watch.page
    assert watch.node_count() == result.nodes_drawn > 0
    assert page.evaluate("window.ecokgEdges.length") == result.edges_drawn
    roles = page.evaluate("window.ecokgNodes.get().map(n => n.role)")
    assert "place" in roles and any("maker" in r.split("-") for r in roles)
    tips = page.evaluate("window.ecokgEdges.get().map(e => e.title instanceof HTMLElement)")
    assert tips and all(tips)
    if which == "hand-built":
        labels = page.evaluate("window.ecokgNodes.get().map(n => n.label)")
        assert EVIL_MAKER in labels and page.evaluate("document.querySelectorAll('img').length") == 0
    page.screenshot(path=str(artifacts_dir / f"investors-makers-{which}.png"))
    watch.assert_clean()
