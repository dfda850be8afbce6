"""The model-race page: the SVG chart of :mod:`ecokg.viz.race` in a self-contained, offline page.

The page needs no library: the chart is inline SVG with a ``<title>`` tooltip on every point,
a legend that shows or hides a line (click) and highlights it (hover), and the plotted
numbers as a table under the chart. Data strings are HTML-escaped; the data also travels as
script-safe JSON (``window.ecokgRace``) for scripts and tests. The same Content-Security-Policy
as the graph views blocks every network request.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .escape import html_text, script_json
from .race import (
    RACE_LINES,
    RaceSeries,
    axis_months,
    colour_of,
    left_out_notice,
    race_svg,
    rank_series,
)
from .result import ViewResult
from .template import content_security_policy

RACE_CSS = """
html, body { margin: 0; padding: 0; }
body {
  font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC',
    'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif;
  color: #1f2328; background: #ffffff;
}
#ecokg-header { padding: 8px 16px 4px; border-bottom: 1px solid #d0d7de; }
#ecokg-header h1 { font-size: 20px; margin: 0 0 2px; }
#ecokg-header .ecokg-stats, #ecokg-header .ecokg-rule { margin: 2px 0; font-size: 13px; color: #57606a; }
#ecokg-notice {
  margin: 6px 0 2px; padding: 4px 8px; font-size: 13px; font-weight: 600;
  background: #fff8c5; border: 1px solid #d4a72c; border-radius: 4px; display: inline-block;
}
#ecokg-main { display: flex; align-items: flex-start; }
#ecokg-stage { flex: 1; min-width: 0; padding: 8px 8px 0 8px; }
#ecokg-race { width: 100%; height: auto; display: block; }
#ecokg-legend {
  width: 240px; padding: 8px 12px; font-size: 13px; border-left: 1px solid #d0d7de; background: #f6f8fa;
}
#ecokg-legend h2 { font-size: 14px; margin: 0 0 6px; }
#ecokg-legend ul { list-style: none; margin: 0; padding: 0; }
#ecokg-legend button {
  display: flex; align-items: center; gap: 6px; width: 100%; margin: 2px 0; padding: 2px 4px;
  font: inherit; text-align: left; background: none; border: 1px solid transparent; border-radius: 4px;
  cursor: pointer;
}
#ecokg-legend button:hover { border-color: #d0d7de; background: #ffffff; }
#ecokg-legend button[aria-pressed="false"] { opacity: 0.45; }
#ecokg-legend .swatch { flex: none; width: 14px; height: 4px; }
#ecokg-legend .count { color: #57606a; margin-left: auto; }
#ecokg-legend .hint { color: #57606a; font-size: 12px; margin-top: 6px; }
.race-grid line { stroke: #e1e4e8; stroke-width: 1; }
.race-axes line { stroke: #57606a; stroke-width: 1; }
.race-axes text { font-size: 13px; fill: #1f2328; }
.race-axes .race-label { font-size: 13px; fill: #57606a; }
.race-line { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
.race-gap { stroke-width: 2; stroke-dasharray: 2 5; }
.race-point { stroke: #ffffff; stroke-width: 1.5; cursor: pointer; }
.race-point:hover { r: 8; }
.race-series.race-off { display: none; }
#ecokg-race.race-focus .race-series:not(.race-on) { opacity: 0.15; }
#ecokg-race.race-focus .race-series.race-on .race-line { stroke-width: 4; }
#ecokg-data-table { margin: 8px 16px 16px; font-size: 13px; }
#ecokg-data-table table { border-collapse: collapse; margin-top: 6px; }
#ecokg-data-table th, #ecokg-data-table td { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; }
#ecokg-data-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
"""

RACE_JS = r"""
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("ecokg-data").textContent);
  window.ecokgRace = payload;
  window.ecokgMeta = payload.meta;
  var svg = document.getElementById("ecokg-race");
  function group(index) {
    return svg.querySelector('.race-series[data-series="' + Number(index) + '"]');
  }
  function focus(index, on) {
    var g = group(index);
    if (!g) { return; }
    g.classList.toggle("race-on", on);
    svg.classList.toggle("race-focus", on);
  }
  document.querySelectorAll("#ecokg-legend button[data-series]").forEach(function (button) {
    var index = button.getAttribute("data-series");
    button.addEventListener("click", function () {
      var g = group(index);
      var shown = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", shown ? "true" : "false");
      if (g) { g.classList.toggle("race-off", !shown); }
    });
    button.addEventListener("mouseenter", function () { focus(index, true); });
    button.addEventListener("mouseleave", function () { focus(index, false); });
  });
  svg.querySelectorAll(".race-series").forEach(function (g) {
    var index = g.getAttribute("data-series");
    g.addEventListener("mouseenter", function () { focus(index, true); });
    g.addEventListener("mouseleave", function () { focus(index, false); });
  });
  document.body.dataset.ready = "1";
})();
"""


def _legend(series: Sequence[RaceSeries], noun: str) -> str:
    rows = "".join(
        f'<li><button type="button" data-series="{i}" aria-pressed="true">'
        f'<span class="swatch" style="background:{colour_of(i)}"></span>'
        f'<span class="legend-text">{html_text(s.name)}</span>'
        f'<span class="count">{html_text(max(s.points, key=lambda p: p.score).score_text)}</span></button></li>'
        for i, s in enumerate(series)
    )
    return (
        f'<aside id="ecokg-legend"><h2>{html_text(noun.capitalize())}</h2><ul>{rows}</ul>'
        '<p class="hint">the best score on the right; click a name to hide or show its line</p></aside>'
    )


def _table(series: Sequence[RaceSeries], noun: str, months: Sequence[str]) -> str:
    order = {m: i for i, m in enumerate(months)}
    rows = "".join(
        f"<tr><td>{html_text(s.name)}</td><td>{html_text(p.month)}</td>"
        f'<td>{html_text("、".join(p.models))}</td><td class="num">{html_text(p.score_text)}</td></tr>'
        for s in series
        for p in sorted(s.points, key=lambda p: order[p.month])
    )
    return (
        '<details id="ecokg-data-table"><summary>The plotted numbers</summary><table>'
        f"<thead><tr><th>{html_text(noun)}</th><th>month</th><th>model</th><th>score</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></details>"
    )


def _payload(series: Sequence[RaceSeries], months: Sequence[str], meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "meta": meta,
        "months": list(months),
        "series": [
            {
                "key": s.key,
                "name": s.name,
                "colour": colour_of(i),
                "points": [
                    {"month": p.month, "score": p.score, "scoreText": p.score_text, "models": list(p.models)}
                    for p in s.points
                ],
            }
            for i, s in enumerate(series)
        ],
    }


def render_race(
    series: Sequence[RaceSeries],
    months: Sequence[str],
    *,
    title: str,
    subtitle: str,
    notice: str | None,
    rule: str,
    noun: str,
    y_label: str,
    x_label: str,
    meta: dict[str, Any],
) -> str:
    """The complete HTML document of a race chart (every data string escaped)."""
    heading = html_text(title)
    data = script_json(_payload(series, months, meta))
    notice_html = f'<p id="ecokg-notice" role="status">{html_text(notice)}</p>' if notice else ""
    return "".join(
        [
            "<!DOCTYPE html>\n",
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{html_text(content_security_policy(RACE_JS))}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="generator" content="ecokg.viz">\n',
            f"<title>{heading}</title>\n",
            f"<style>{RACE_CSS}</style>\n",
            "</head>\n",
            '<body data-view="model_race">\n',
            f'<header id="ecokg-header"><h1>{heading}</h1><p class="ecokg-stats">{html_text(subtitle)}</p>',
            f'<p class="ecokg-rule">{html_text(rule)}</p>{notice_html}</header>\n',
            '<div id="ecokg-main"><div id="ecokg-stage">',
            race_svg(series, months, title=title, y_label=y_label, x_label=x_label),
            f"</div>{_legend(series, noun)}</div>\n",
            _table(series, noun, months),
            f'\n<script type="application/json" id="ecokg-data">{data}</script>\n',
            f"<script>{RACE_JS}</script>\n",
            "</body>\n</html>\n",
        ]
    )


def model_race(
    series: Sequence[RaceSeries],
    path: str | Path,
    lines: int = RACE_LINES,
    *,
    title: str = "Model race",
    noun: str = "developers",
    rule: str = "",
    y_label: str = "score",
    x_label: str = "month",
) -> ViewResult:
    """Write a line chart of ``series`` (score per month) to ``path``; returns what was drawn.

    The ``lines`` lines with the highest best score are drawn (ties by name, then key); the
    others are named in a notice on the page. The x axis places every month that has a point
    in any line (kept or not) at its true distance in time. ``ViewResult`` counts lines as
    its nodes and points as its edges (``units == ("lines", "points")``).
    """
    if lines < 1:
        raise ValueError(f"lines must be >= 1, got {lines}")
    out = Path(path)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"page path must end in .html: {out}")
    ranked = rank_series(series)
    kept = ranked[:lines]
    months = axis_months(ranked)
    notice = left_out_notice(len(kept), ranked, noun)
    points = sum(len(s.points) for s in kept)
    span = f"{months[0]} to {months[-1]}" if months else "no months"
    subtitle = f"{len(kept):,} of {len(ranked):,} {noun}, {points:,} points, {len(months):,} months ({span})"
    meta = {"view": "model_race", "lines": len(kept), "totalLines": len(ranked), "points": points,
            "sampled": len(kept) < len(ranked)}
    page = render_race(kept, months, title=title, subtitle=subtitle, notice=notice, rule=rule, noun=noun,
                       y_label=y_label, x_label=x_label, meta=meta)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8", newline="\n")
    return ViewResult(view="model_race", path=out, nodes_drawn=len(kept), edges_drawn=points,
                      total_nodes=len(ranked), sampled=len(kept) < len(ranked), notice=notice,
                      units=("lines", "points"))
