"""The model race: a line chart of scores over months, one line per competitor, as inline SVG.

The chart is plain data in, SVG out: :class:`RaceSeries` (one line) holding
:class:`RacePoint` (one month). Nothing here knows the ontology; ecokg decides what a
competitor is and which score counts (see ``ecokg/views.py``). Every string from the data
is HTML-escaped where it is written (:func:`ecokg.viz.escape.html_text`).

>>> a = RaceSeries("urn:a", "甲", (RacePoint("2023-09", 60.0, "60.0", ("A-1",)),
...                                 RacePoint("2023-11", 70.5, "70.5", ("A-2",))))
>>> b = RaceSeries("urn:b", "乙", (RacePoint("2023-10", 65.0, "65", ("B",)),))
>>> [s.name for s in rank_series([b, a])]
['甲', '乙']
>>> axis_months([a, b])
['2023-09', '2023-10', '2023-11']
>>> nice_ticks(31.5, 89.8)
[30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from .escape import html_text

#: Lines drawn at most; the rest are named in the page's notice.
RACE_LINES = 12

#: Line colours (Tableau 10 and two more); past the twelfth a line is also dashed.
RACE_PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#17becf",
    "#7f3c8d",
)

_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

# SVG geometry (user units of the viewBox)
WIDTH, HEIGHT = 960, 520
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 56


@dataclass(frozen=True)
class RacePoint:
    """One month of one line: the best score and the model(s) that reached it.

    ``score_text`` is the score as the source writes it (shown in the tooltip);
    ``detail`` holds further tooltip lines (rank, board, source quote...). All raw data.
    """

    month: str
    score: float
    score_text: str
    models: tuple[str, ...]
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class RaceSeries:
    """One line: a competitor (developer, family...) and its points, one per month."""

    key: str
    name: str
    points: tuple[RacePoint, ...]

    @property
    def best(self) -> float:
        """The highest score of the line (``-inf`` for a line with no points)."""
        return max((p.score for p in self.points), default=-math.inf)


def month_index(month: str) -> int:
    """``"2023-11"`` -> months since year 0 (raises ``ValueError`` on any other form)."""
    match = _MONTH_RE.match(month)
    if not match:
        raise ValueError(f"a race month must be YYYY-MM, not {month!r}")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def rank_series(series: Sequence[RaceSeries]) -> list[RaceSeries]:
    """Lines ranked by best score (highest first), ties by name then key; empty lines dropped."""
    return sorted((s for s in series if s.points), key=lambda s: (-s.best, s.name, s.key))


def axis_months(series: Sequence[RaceSeries]) -> list[str]:
    """Every month with a point in any line, in time order."""
    return sorted({p.month for s in series for p in s.points}, key=month_index)


def nice_step(span: float, target: int = 6) -> float:
    """A 1/2/5 x 10^k step giving about ``target`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def nice_ticks(low: float, high: float, target: int = 6) -> list[float]:
    """Round tick values covering ``[low, high]`` (at least two ticks)."""
    if high < low:
        low, high = high, low
    if high == low:
        low, high = low - 1, high + 1
    step = nice_step(high - low, target)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    count = round((stop - start) / step)
    return [round(start + i * step, 10) for i in range(count + 1)]


def _fmt(value: float) -> str:
    """A coordinate or tick value without noise (``12.5``, ``40``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Frame:
    """Maps months and scores to SVG coordinates."""

    first: int
    last: int
    low: float
    high: float

    def x(self, month: str) -> float:
        if self.last == self.first:
            return LEFT + (WIDTH - LEFT - RIGHT) / 2
        return LEFT + (month_index(month) - self.first) / (self.last - self.first) * (WIDTH - LEFT - RIGHT)

    def y(self, score: float) -> float:
        return TOP + (self.high - score) / (self.high - self.low) * (HEIGHT - TOP - BOTTOM)


def point_title(series: RaceSeries, point: RacePoint) -> str:
    """The tooltip text of a point (raw; escaped when written)."""
    lines = [f"{series.name} · {point.month}"]
    lines += [f"{model} — {point.score_text}" for model in point.models]
    lines += list(point.detail)
    return "\n".join(lines)


def colour_of(index: int) -> str:
    """The colour of the ``index``-th line."""
    return RACE_PALETTE[index % len(RACE_PALETTE)]


def _dash(index: int) -> str:
    return ' stroke-dasharray="8 4"' if index >= len(RACE_PALETTE) else ""


def _series_svg(index: int, series: RaceSeries, frame: Frame, months: Sequence[str]) -> str:
    """One line: solid segments between points in consecutive axis months, dotted across a
    month the line skips, and a circle with a ``<title>`` tooltip per point."""
    colour = colour_of(index)
    points = sorted(series.points, key=lambda p: month_index(p.month))
    position = {m: i for i, m in enumerate(months)}
    parts = [f'<g class="race-series" data-series="{index}">']
    run: list[str] = []
    for prev, cur in pairwise(points):
        if position[cur.month] - position[prev.month] == 1:
            if not run:
                run.append(f"{_fmt(frame.x(prev.month))},{_fmt(frame.y(prev.score))}")
            run.append(f"{_fmt(frame.x(cur.month))},{_fmt(frame.y(cur.score))}")
            continue
        if run:
            parts.append(f'<polyline class="race-line" points="{" ".join(run)}" stroke="{colour}"{_dash(index)}/>')
            run = []
        parts.append(
            f'<line class="race-gap" x1="{_fmt(frame.x(prev.month))}" y1="{_fmt(frame.y(prev.score))}" '
            f'x2="{_fmt(frame.x(cur.month))}" y2="{_fmt(frame.y(cur.score))}" stroke="{colour}"/>'
        )
    if run:
        parts.append(f'<polyline class="race-line" points="{" ".join(run)}" stroke="{colour}"{_dash(index)}/>')
    for p in points:
        parts.append(
            f'<circle class="race-point" cx="{_fmt(frame.x(p.month))}" cy="{_fmt(frame.y(p.score))}" r="5" '
            f'fill="{colour}" data-month="{html_text(p.month)}"><title>{html_text(point_title(series, p))}</title>'
            "</circle>"
        )
    parts.append("</g>")
    return "".join(parts)


def frame_for(series: Sequence[RaceSeries], months: Sequence[str]) -> tuple[Frame, list[float]]:
    """The coordinate frame for ``series`` and its y ticks."""
    scores = [p.score for s in series for p in s.points] or [0.0, 100.0]
    ticks = nice_ticks(min(scores), max(scores))
    first = month_index(months[0]) if months else 0
    last = month_index(months[-1]) if months else 0
    return Frame(first=first, last=last, low=ticks[0], high=ticks[-1]), ticks


def race_svg(series: Sequence[RaceSeries], months: Sequence[str], *, title: str, y_label: str, x_label: str) -> str:
    """The whole chart as an ``<svg>`` element: gridlines, axes, one group per line."""
    frame, ticks = frame_for(series, months)
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    parts = [
        (f'<svg id="ecokg-race" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
         f'role="img" aria-label="{html_text(title)}">'),
        f"<title>{html_text(title)}</title>",
        '<g class="race-grid">',
    ]
    for t in ticks:
        y = _fmt(frame.y(t))
        parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{plot_right}" y2="{y}"/>')
    for m in months:
        x = _fmt(frame.x(m))
        parts.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{plot_bottom}"/>')
    parts.append("</g>")
    parts.append('<g class="race-axes">')
    parts.append(f'<line x1="{LEFT}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}"/>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{plot_bottom}"/>')
    for t in ticks:
        parts.append(
            f'<text class="race-ytick" x="{LEFT - 8}" y="{_fmt(frame.y(t))}" text-anchor="end" '
            f'dominant-baseline="middle">{_fmt(t)}</text>'
        )
    for m in months:
        parts.append(
            f'<text class="race-xtick" x="{_fmt(frame.x(m))}" y="{plot_bottom + 20}" '
            f'text-anchor="middle">{html_text(m)}</text>'
        )
    parts.append(
        f'<text class="race-label" x="{(LEFT + plot_right) / 2:g}" y="{HEIGHT - 10}" '
        f'text-anchor="middle">{html_text(x_label)}</text>'
    )
    parts.append(
        f'<text class="race-label" x="16" y="{(TOP + plot_bottom) / 2:g}" text-anchor="middle" '
        f'transform="rotate(-90 16 {(TOP + plot_bottom) / 2:g})">{html_text(y_label)}</text>'
    )
    parts.append("</g>")
    parts += [_series_svg(i, s, frame, months) for i, s in enumerate(series)]
    parts.append("</svg>")
    return "".join(parts)


def left_out_notice(kept: int, ranked: Sequence[RaceSeries], noun: str) -> str | None:
    """``"Showing 12 of 19 developers (highest best score first); left out: 甲 (57.18), …"``."""
    if kept >= len(ranked):
        return None
    rest = ", ".join(f"{s.name} ({_fmt(s.best)})" for s in ranked[kept:])
    return f"Showing {kept:,} of {len(ranked):,} {noun} (highest best score first); left out: {rest}"
