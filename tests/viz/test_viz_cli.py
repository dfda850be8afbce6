"""`ecokg viz` on the real sample graph, opened in headless Chromium with no network."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def written(built, tmp_path_factory):
    from ecokg.cli import cli

    views = tmp_path_factory.mktemp("views")
    res = CliRunner().invoke(cli, ["viz", "--out", str(built.out_dir), "--dir", str(views),
                                   "--ego", "陈宏", "--path", "陈宏", "智谱华章"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_every_view_of_the_sample_renders_offline(written, open_page, artifacts_dir, built):
    from ecokg.graph.nx import entity_graph

    assert {r["view"] for r in written} == {"overview", "investors_sectors", "model_race", "investors_makers",
                                            "ego", "path"}
    entities = entity_graph(built.kg).number_of_nodes()
    for r in written:
        page = open_page(r["path"], offline=True)
        page.assert_clean()
        if r["view"] == "model_race":  # a chart: lines and points, not nodes and edges
            assert r["units"] == ["lines", "points"]
            assert page.page.locator("#ecokg-race .race-series").count() == r["nodes_drawn"] > 0
            assert page.page.locator("#ecokg-race circle.race-point").count() == r["edges_drawn"]
            continue
        assert page.node_count() == r["nodes_drawn"] > 0
        if r["view"] == "overview":
            assert r["nodes_drawn"] == min(entities, 1000)
        page.page.screenshot(path=str(artifacts_dir / f"sample-{r['view']}.png"))


def test_tooltips_carry_the_source_text(written, built, sample_text):
    from viz_pages import payload

    overview = next(r for r in written if r["view"] == "overview")
    text = json.dumps(payload(overview["path"]), ensure_ascii=False)
    quotes = [ev.quote for n in built.kg.of_class("Person") for ev in n.evidence if ev.basis == "bluebook"]
    assert quotes and sum(q in text for q in quotes) >= len(quotes) * 0.9


def test_race_by_family(built, tmp_path):
    from ecokg.cli import cli
    from ecokg.views import race_series

    res = CliRunner().invoke(cli, ["viz", "--out", str(built.out_dir), "--dir", str(tmp_path), "--race-by", "family"])
    assert res.exit_code == 0, res.output
    race = next(r for r in json.loads(res.stdout) if r["view"] == "model_race")
    assert race["total_nodes"] == len(race_series(built.kg, "family").series)
    assert "by family" in (tmp_path / "model-race.html").read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["viz", "--out", str(built.out_dir), "--dir", str(tmp_path), "--race-by", "x"])
    assert bad.exit_code != 0
