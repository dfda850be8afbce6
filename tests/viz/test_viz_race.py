"""The model race: its data (best leaderboard total per developer or family per month) and its SVG page.

The data is checked on a small hand-built KnowledgeGraph (expectations derived from the table
that builds it) and on the real graph (against plain queries over the model graph and against
the store's named ``leaderboard`` question). The page is checked without a browser here; the
browser test is in ``test_viz_browser.py``.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from ecokg.graph.model import KnowledgeGraph
from ecokg.ontology.terms import P
from ecokg.viz.race import RACE_PALETTE, axis_months, month_index, nice_ticks
from viz_graphs import INJECTIONS
from viz_pages import parse_tags, read_html
from viz_race_kg import BENCH, EVIL, FAMILIES, MODELS, NS, ORGS, RESULTS, race_kg

from ecokg import viz
from ecokg.views import race_series, total_results, write_race


def _counted(row: tuple[Any, ...]) -> bool:
    _mid, _month, measure, board, _score, bench, _basis = row
    return measure == "总分" and board in (None, "overall") and bench == BENCH


def _expected(line_of: dict[str, str]) -> dict[tuple[str, str], Decimal]:
    """Best counted score per (line id, month), from the table, with models mapped to lines by hand."""
    best: dict[tuple[str, str], Decimal] = {}
    for row in filter(_counted, RESULTS):
        key = (NS + line_of[row[0]], row[1])
        best[key] = max(best.get(key, Decimal("-inf")), Decimal(row[4]))
    return best


def _plotted(series: list[viz.RaceSeries]) -> dict[tuple[str, str], Decimal]:
    return {(s.key, p.month): Decimal(p.score_text) for s in series for p in s.points}


def test_race_by_developer_on_a_hand_built_graph() -> None:
    data = race_series(race_kg(), "developer")
    # acme-cloud is a unit of acme, which is a developer too: a1 counts for acme. a2's list-named
    # developer is not credited (the board names acme).
    line_of = {"a1": "acme", "a2": "acme", "b1": "beta", "e1": "evil"}
    assert _plotted(data.series) == _expected(line_of)
    assert data.benchmark == BENCH and data.unplaced == 0
    names = {s.key: s.name for s in data.series}
    assert names == {NS + k: ORGS[k][0] for k in set(line_of.values())}
    acme = next(s for s in data.series if s.key == NS + "acme")
    sep = next(p for p in acme.points if p.month == "2023-09")
    assert sep.models == (MODELS["a2"][0],)
    oct_ = next(p for p in acme.points if p.month == "2023-10")
    assert oct_.models == (MODELS["a1"][0],)
    assert any(ORGS["acme-cloud"][0] in line for line in oct_.detail)  # "developer as named"


def test_race_by_family_on_a_hand_built_graph() -> None:
    data = race_series(race_kg(), "family")
    line_of = {mid: (family or mid) for mid, (_n, _d, family) in MODELS.items()}
    assert _plotted(data.series) == _expected(line_of)
    assert {s.name for s in data.series} == {FAMILIES["fam-a"], MODELS["b1"][0], MODELS["e1"][0]}


def test_race_rejects_an_unknown_grouping() -> None:
    with pytest.raises(ValueError):
        race_series(race_kg(), "country")


def _svg_points(path: Path) -> list[tuple[str, float, float, str]]:
    """(series index, cx, cy, title text) of every point circle in the page."""
    tags = parse_tags(path)
    points: list[tuple[str, float, float, str]] = []
    series = ""
    titles = iter(text for tag, text in tags.text if tag == "title")
    next(titles)  # the page <title>
    next(titles)  # the svg's own <title>
    for tag, attrs in tags.tags:
        if tag == "g" and "data-series" in attrs:
            series = str(attrs["data-series"])
        if tag == "circle":
            points.append((series, float(attrs["cx"] or 0), float(attrs["cy"] or 0), next(titles)))
    return points


def test_race_page_draws_one_line_per_series_and_escapes(tmp_path: Path) -> None:
    kg = race_kg()
    result = write_race(kg, tmp_path / "race.html")
    data = race_series(kg)
    text = read_html(result.path)
    assert result.nodes_drawn == len(data.series) and not result.sampled and result.notice is None
    assert result.edges_drawn == sum(len(s.points) for s in data.series)
    assert result.units == ("lines", "points")
    # hostile names and model names never appear raw
    for evil in (*INJECTIONS[:3], EVIL):
        assert evil not in text
    assert "<img" not in text and "<script>alert" not in text and '" onmouseover="' not in text
    tags = parse_tags(result.path)
    assert sum(1 for tag, _ in tags.tags if tag == "script") == 2  # the JSON data and the runtime
    for tag, attrs in tags.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert tag != "img"
    # ... but are shown as text: the legend, the point tooltips, the table
    legend = [data_ for tag, data_ in tags.text if tag == "span"]
    assert EVIL in legend
    points = _svg_points(result.path)
    assert len(points) == result.edges_drawn
    assert any(INJECTIONS[0] in title and EVIL in title for _s, _x, _y, title in points)
    assert {s for s, *_ in points} == {str(i) for i in range(len(data.series))}


def test_race_points_sit_where_their_scores_and_months_say(tmp_path: Path) -> None:
    kg = race_kg()
    result = write_race(kg, tmp_path / "race.html")
    ranked = viz.race.rank_series(race_series(kg).series)
    months = axis_months(ranked)
    assert months == sorted({r[1] for r in RESULTS if _counted(r)}, key=month_index)
    points = _svg_points(result.path)
    by_series: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for s, x, y, title in points:
        by_series[s].append((x, y, title))
    for index, line in enumerate(ranked):
        drawn = sorted(by_series[str(index)])
        assert len(drawn) == len(line.points)
        ordered = sorted(line.points, key=lambda p: month_index(p.month))
        for (x, y, title), p in zip(drawn, ordered):
            assert f"{line.name} · {p.month}" in title and p.score_text in title
        # higher score, higher on the page (smaller y); later month, further right
        for (x1, y1, _), (x2, y2, _), p1, p2 in zip(drawn, drawn[1:], ordered, ordered[1:]):
            assert x2 > x1
            assert (y2 < y1) == (p2.score > p1.score)
    # the x axis is proportional to time: 2023-09 -> 2023-10 is 1/7 of 2023-09 -> 2024-04
    xs = {title.splitlines()[0].rsplit(" · ", 1)[1]: x for _s, x, _y, title in points}
    span = month_index(months[-1]) - month_index(months[0])
    gap = (xs[months[1]] - xs[months[0]]) / (xs[months[-1]] - xs[months[0]])
    assert math.isclose(gap, (month_index(months[1]) - month_index(months[0])) / span, rel_tol=1e-3)
    # a line that skips a month with results is drawn dotted across it
    beta = next(i for i, s in enumerate(ranked) if s.key == NS + "beta")
    group = re.search(rf'<g class="race-series" data-series="{beta}">(.*?)</g>', read_html(result.path), re.DOTALL)
    assert group and '<line class="race-gap"' in group.group(1) and "<polyline" not in group.group(1)


def test_race_cap_names_what_it_leaves_out(tmp_path: Path) -> None:
    kg = race_kg()
    ranked = viz.race.rank_series(race_series(kg).series)
    lines = len(ranked) - 1
    result = write_race(kg, tmp_path / "race.html", lines=lines)
    assert result.sampled and result.nodes_drawn == lines and result.total_nodes == len(ranked)
    left_out = ranked[lines:]
    assert result.notice and result.notice.startswith(f"Showing {lines} of {len(ranked)} developers")
    text = read_html(result.path)
    notice = re.search(r'<p id="ecokg-notice" role="status">(.*?)</p>', text)
    assert notice
    for s in left_out:
        assert viz.escape.html_text(s.name) in notice.group(1)
    legend = re.search(r'<aside id="ecokg-legend">(.*?)</aside>', text)
    assert legend
    assert all(viz.escape.html_text(s.name) not in legend.group(1) for s in left_out)
    assert all(viz.escape.html_text(s.name) in legend.group(1) for s in ranked[:lines])
    # the dropped line's months still define the axis
    assert [t for tag, t in parse_tags(result.path).text if tag == "text" and re.match(r"\d{4}-\d\d$", t)] == \
        axis_months(ranked)


def test_race_page_is_offline_and_deterministic(tmp_path: Path) -> None:
    kg = race_kg()
    a = write_race(kg, tmp_path / "a.html")
    b = write_race(kg, tmp_path / "b.html")
    assert read_html(a.path) == read_html(b.path)
    text = read_html(a.path)
    assert '<meta charset="utf-8">' in text and "Content-Security-Policy" in text
    for tag, attrs in parse_tags(a.path).tags:
        assert not (tag == "script" and attrs.get("src")) and tag != "link"
        for name, value in attrs.items():
            if name != "xmlns":
                assert not (value or "").lower().startswith(("http:", "https:", "//")), (tag, attrs)


def test_race_palette_and_ticks() -> None:
    assert len(set(RACE_PALETTE)) == len(RACE_PALETTE) == viz.RACE_LINES
    ticks = nice_ticks(31.47, 89.79)
    assert ticks[0] <= 31.47 and ticks[-1] >= 89.79
    steps = {round(b - a, 6) for a, b in pairwise(ticks)}
    assert len(steps) == 1
    with pytest.raises(ValueError):
        month_index("2023-13")
    with pytest.raises(ValueError):
        viz.model_race([], Path("x.html"), lines=0)


# -- the real graph -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_kg() -> KnowledgeGraph:
    from ecokg.build import make_graph

    return make_graph()


def _oracle(kg: KnowledgeGraph) -> dict[tuple[str, str], Decimal]:
    """Best total per (developer, month), written as plainly as possible over the model graph: every
    result with measure 总分 on the overall board (or none); the developers whose developedBy edge
    has evidence from the result's own source; units folded into a parent that is also such a
    developer."""
    rows = []
    for r in kg.nodes.values():
        if "BenchmarkResult" not in r.classes or r.props.get("measure") != "总分":
            continue
        if r.props.get("board", "overall") != "overall":
            continue
        bases = {ev.basis for ev in r.evidence}
        for e in kg.edges.values():
            if e.source == r.id and e.prop == "forModel":
                devs = [d.target for d in kg.edges.values() if d.source == e.target and d.prop == "developedBy"
                        and bases & {ev.basis for ev in d.evidence}]
                rows += [(d, r.props["assessedIn"], r.props["score"]) for d in devs]
    developers = {d for d, _, _ in rows}
    parent = {e.source: e.target for e in kg.edges.values() if e.prop == "parentOrganisation"}

    def top(d: str) -> str:
        found, seen = d, {d}
        while d in parent and parent[d] not in seen:
            d = parent[d]
            seen.add(d)
            if d in developers:
                found = d
        return found

    best: dict[tuple[str, str], Decimal] = {}
    for d, month, score in rows:
        key = (top(d), str(month))
        best[key] = max(best.get(key, Decimal("-inf")), Decimal(str(score)))
    return best


def test_race_on_the_real_graph_matches_a_plain_query(real_kg: KnowledgeGraph) -> None:
    data = race_series(real_kg, "developer")
    oracle = _oracle(real_kg)
    assert _plotted(data.series) == oracle
    assert data.unplaced == 0
    # every month with a total result is on the axis: SuperCLUE's months and the Blue Book table's
    months = axis_months(data.series)
    assert months == sorted({str(r.props["assessedIn"]) for r in total_results(real_kg)})
    assert any("board" not in r.props and str(r.props["assessedIn"]) in months for r in total_results(real_kg))
    assert len(months) >= 4


def test_race_point_models_really_scored_that(real_kg: KnowledgeGraph) -> None:
    """Each point names the model(s) whose total that month is the point's score."""
    scores: dict[tuple[str, str], set[Decimal]] = defaultdict(set)
    for r in total_results(real_kg):
        for e in real_kg.out_edges(r.id, P.forModel):
            scores[(real_kg.nodes[e.target].name, str(r.props["assessedIn"]))].add(Decimal(str(r.props["score"])))
    for by in ("developer", "family"):
        for s in race_series(real_kg, by).series:
            for p in s.points:
                assert p.models
                for model in p.models:
                    assert Decimal(p.score_text) in scores[(model, p.month)], (by, s.name, p)


def test_race_family_mode_on_the_real_graph(real_kg: KnowledgeGraph) -> None:
    data = race_series(real_kg, "family")
    best: dict[tuple[str, str], Decimal] = {}
    for r in total_results(real_kg):
        for e in real_kg.out_edges(r.id, P.forModel):
            families = sorted(f.target for f in real_kg.out_edges(e.target, P.inFamily)) or [e.target]
            for f in families:
                key = (f, str(r.props["assessedIn"]))
                best[key] = max(best.get(key, Decimal("-inf")), Decimal(str(r.props["score"])))
    assert _plotted(data.series) == best


def test_race_agrees_with_the_leaderboard_question(store: Any, kg: KnowledgeGraph) -> None:
    """Against the store's named question (SPARQL): each point is the best score that month among
    the models the leaderboard's sources say the developer made."""
    from ecokg.graph.questions import ask

    data = race_series(kg, "developer")
    months = axis_months(data.series)
    for month in (months[0], months[-1]):  # a SuperCLUE board's month and the Blue Book table's
        ranking = ask(store, "leaderboard", {"date": month, "board": "overall"}).ranking
        assert ranking
        for s in data.series:
            point = next((p for p in s.points if p.month == month), None)
            made = [Decimal(str(item["score"])) for item in ranking if s.name in item["developers"]]
            if point is None:
                continue
            assert made, (s.name, month)
            assert max(made) == Decimal(point.score_text), (s.name, month, made)
