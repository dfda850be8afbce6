"""The interactive views of a graph: the glue between the model, the ontology and ``ecokg.viz``.

``ecokg.viz`` knows no ontology; here each node gets what the ontology says about it
(its colour, whether it is an investor or a sector) before the pages are drawn.

- ``overview.html``: every entity, coloured by class, sized by degree (capped);
- ``investors-sectors.html``: investors, sectors and what links them;
- ``model-race.html``: a line chart of the best leaderboard total per developer (or model family) per month;
- ``investors-makers.html``: investors, model makers, the makers' places and what links investors to makers;
- ``ego-NAME.html``: the k-hop neighbourhood of an entity;
- ``path-A-B.html``: the explained shortest connections between two entities.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any, Callable

import networkx as nx

from ecokg import viz
from ecokg.graph.model import Evidence, KnowledgeGraph, Node
from ecokg.graph.nx import entity_graph, to_networkx
from ecokg.graph.questions import resolve, shortest_paths
from ecokg.graph.stores.base import GraphStore
from ecokg.ontology.iris import slug
from ecokg.ontology.terms import C, D, P

VIEWS = ("overview", "investors-sectors", "model-race", "investors-makers", "ego", "path")
#: The views ``write_views`` writes for every graph.
DEFAULT_VIEWS = ("overview", "investors-sectors", "model-race", "investors-makers")
RACE_BY = ("developer", "family")
#: A leaderboard total: this measure, on the overall board or on a table with no board (the Blue Book's).
TOTAL_MEASURE = "总分"
OVERALL_BOARD = "overall"
QUOTE_CHARS = 160


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
    """The two networkx forms the views draw (every node, and entities only) and the model
    graph they come from (the model race and the investors-makers view read it)."""

    full: nx.MultiDiGraph[Any]
    entities: nx.MultiDiGraph[Any]
    kg: KnowledgeGraph | None = None

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> ViewGraphs:
        full = to_networkx(kg)
        return cls(styled(full, kg), styled(entity_graph(kg, full), kg), kg)

    def model(self) -> KnowledgeGraph:
        if self.kg is None:
            raise ValueError("this view needs the model graph: make the graphs with ViewGraphs.of(kg)")
        return self.kg


# -- the model race ------------------------------------------------------------------------------

RACE_RULES = {
    "developer": ("Developer: the organisation that the same source names for the model (one node per "
                  "organisation, its names merged across sources); a unit is drawn under its parent "
                  "organisation when the parent also appears as a developer here."),
    "family": ("Family: the model family a model belongs to, the family itself when the leaderboard names "
               "the family, or the model alone when it belongs to no family."),
}


def total_results(kg: KnowledgeGraph) -> list[Node]:
    """Benchmark results that are a leaderboard total with a month and a score: measure 总分 on the
    overall board, or on a table with no board (the Blue Book's table is the overall total)."""
    return [n for n in kg.of_class(C.BenchmarkResult)
            if n.props.get(D.measure) == TOTAL_MEASURE and n.props.get(D.board) in (None, OVERALL_BOARD)
            and n.props.get(D.assessedIn) and n.props.get(D.score) is not None]


def _targets(kg: KnowledgeGraph, node_id: str, prop: str) -> list[str]:
    return sorted({e.target for e in kg.out_edges(node_id, prop)})


def ancestors(kg: KnowledgeGraph, org: str) -> list[str]:
    """The parent organisations of ``org`` up the ``parentOrganisation`` chain, nearest first
    (the first parent by id where there are several; cycles stop)."""
    chain: list[str] = []
    seen = {org}
    current = org
    while True:
        parent = next((p for p in _targets(kg, current, P.parentOrganisation) if p not in seen), None)
        if parent is None:
            return chain
        chain.append(parent)
        seen.add(parent)
        current = parent


def board_developers(kg: KnowledgeGraph, model: str, bases: Iterable[str]) -> list[str]:
    """The developers of ``model`` that a source of one of ``bases`` names (a ``developedBy`` edge with
    evidence of that basis); all its developers when none is."""
    wanted = set(bases)
    edges = list(kg.out_edges(model, P.developedBy))
    named = {e.target for e in edges if any(ev.basis in wanted for ev in e.evidence)}
    return sorted(named or {e.target for e in edges})


def model_families(kg: KnowledgeGraph, model: str) -> list[str]:
    """The families of ``model``: its ``inFamily`` targets, itself if it is a family, else the model alone."""
    families = _targets(kg, model, P.inFamily)
    return families or [model]


def _quote(ev: Evidence) -> str:
    where = f", line {ev.line}" if ev.line is not None else (f", {ev.start}–{ev.end}" if ev.start is not None else "")
    quote = ev.quote if len(ev.quote) <= QUOTE_CHARS else ev.quote[: QUOTE_CHARS - 1] + "…"
    return f"“{quote}” ({ev.basis}{where})"


@dataclass
class RaceData:
    """The race lines and what the page says about them."""

    series: list[viz.RaceSeries]
    by: str
    benchmark: str
    rule: str
    unplaced: int  # total results with no developer (family mode: never)


def race_series(kg: KnowledgeGraph, by: str = "developer") -> RaceData:
    """One line per developer (or model family): per month, the best total score of its models.

    Totals are :func:`total_results` on the benchmark with the most of them. A developer is
    :func:`board_developers` for the result's source, folded into its farthest parent that is also
    such a developer; a family is :func:`model_families`.
    """
    if by not in RACE_BY:
        raise ValueError(f"race by {by!r}: choose one of {', '.join(RACE_BY)}")
    results, benchmark = race_results(kg)
    named = {(r.id, m): board_developers(kg, m, {ev.basis for ev in r.evidence}) for r, m in results}
    plotted = {d for devs in named.values() for d in devs}
    best: dict[tuple[str, str], list[tuple[Node, str, str]]] = defaultdict(list)
    unplaced = 0
    for r, m in results:
        keys: dict[str, str] = {}  # line -> the developer (or model) it stands for here
        if by == "developer":
            for d in named[(r.id, m)]:
                keys.setdefault(next((a for a in reversed(ancestors(kg, d)) if a in plotted), d), d)
        else:
            keys = {f: m for f in model_families(kg, m)}
        unplaced += not keys
        for key, as_named in keys.items():
            best[(key, str(r.props[D.assessedIn]))].append((r, m, as_named))
    series: dict[str, list[viz.RacePoint]] = defaultdict(list)
    for (key, month), entries in sorted(best.items()):
        top = max(Decimal(str(r.props[D.score])) for r, _, _ in entries)
        winners = sorted((e for e in entries if Decimal(str(e[0].props[D.score])) == top),
                         key=lambda e: (kg.nodes[e[1]].name, e[0].id))
        series[key].append(_race_point(kg, by, key, month, top, winners))
    lines = [viz.RaceSeries(key, kg.nodes[key].name, tuple(points)) for key, points in sorted(series.items())]
    return RaceData(series=lines, by=by, benchmark=benchmark, rule=RACE_RULES[by], unplaced=unplaced)


def race_results(kg: KnowledgeGraph) -> tuple[list[tuple[Node, str]], str]:
    """The (result, model) pairs of the :func:`total_results` on the benchmark with the most of them
    (ties by name), and that benchmark's name ("" when the results name none)."""
    results = [(r, m) for r in total_results(kg) for m in _targets(kg, r.id, P.forModel)]
    benchmarks = [b for r, _ in results for b in _targets(kg, r.id, P.onBenchmark)]
    if not benchmarks:
        return results, ""
    chosen = min(set(benchmarks), key=lambda b: (-benchmarks.count(b), kg.nodes[b].name, b))
    return [(r, m) for r, m in results if chosen in _targets(kg, r.id, P.onBenchmark)], kg.nodes[chosen].name


def _race_point(kg: KnowledgeGraph, by: str, key: str, month: str, top: Decimal,
                winners: list[tuple[Node, str, str]]) -> viz.RacePoint:
    """The point of ``key`` in ``month``: the winning model(s), the board, rank and source quote."""
    detail: list[str] = []
    for r, m, as_named in winners:
        board = r.props.get(D.board) or "table"
        rank = f", rank {r.props[D.rank]}" if r.props.get(D.rank) is not None else ""
        who = ""
        if by == "developer" and as_named != key:
            who = f"; developer as named: {kg.nodes[as_named].name}"
        elif by == "family":
            devs = [kg.nodes[d].name for d in _targets(kg, m, P.developedBy)]
            who = f"; developer: {'、'.join(devs)}" if devs else ""
        detail.append(f"{kg.nodes[m].name}: {board}{rank}{who}")
        detail += [_quote(ev) for ev in r.evidence[:2]]
    models = tuple(dict.fromkeys(kg.nodes[m].name for _, m, _ in winners))
    return viz.RacePoint(month=month, score=float(top), score_text=score_text(top), models=models,
                         detail=tuple(detail))


def score_text(score: Decimal) -> str:
    """A score as leaderboards write it: two decimals (``62.70``), or every decimal it has beyond two.

    >>> score_text(Decimal("62.7")), score_text(Decimal("83.125"))
    ('62.70', '83.125')
    """
    return f"{score:.2f}" if score == score.quantize(Decimal("0.01")) else str(score)


def write_race(kg: KnowledgeGraph, path: Path, by: str = "developer", lines: int = viz.RACE_LINES) -> viz.ViewResult:
    """Write ``model-race.html``: :func:`race_series` as a line chart."""
    data = race_series(kg, by)
    one, noun = ("developer", "developers") if by == "developer" else ("family", "model families")
    bench = data.benchmark or "leaderboard"
    rule = (f"Each point: the best {bench} {TOTAL_MEASURE} (total score) that month of the {one}'s models, "
            f"on the overall board or a table with no board (the Blue Book's table). {data.rule} "
            "Months sit at their distance in time; a dotted segment skips a month with results in which "
            "the line has none.")
    if data.unplaced:
        rule += f" {data.unplaced} result(s) whose model names no developer are left out."
    return viz.model_race(data.series, path, lines, title=f"Model race: {bench} {TOTAL_MEASURE} by {by}",
                         noun=noun, rule=rule, y_label=f"{bench} {TOTAL_MEASURE}", x_label="month (assessedIn)")


# -- investors and model makers ------------------------------------------------------------------

MAKERS_RULE = (
    "Investors: organisations of an investor class (investment firms, funds), or that state an investment "
    "focus or invest in a deal. Model makers: organisations a model is developed by. Links: INVESTED_IN "
    "(a deal, investor to investee); SECTOR_OVERLAP (the investor's stated focus, or a narrower sector, is a "
    "sector the maker is in or one of its models is for); PARENT_ORGANISATION (investor and maker in one "
    "group, drawn up to their nearest common parent). Places: the maker's city or province (LOCATED_IN) "
    "and the city's province (WITHIN_PLACE)."
)


#: Link colours of the investors-makers view (places are grey).
LINK_COLOURS = {"INVESTED_IN": "#d62728", "SECTOR_OVERLAP": "#17becf", "PARENT_ORGANISATION": "#2ca02c"}


def investor_ids(kg: KnowledgeGraph) -> set[str]:
    """Organisations of a class under ``Investor``, with a stated investment focus, or investing in a deal."""
    ids = {n.id for n in kg.of_class(C.Investor)}
    ids |= {e.source for e in kg.edges.values() if e.prop == P.investmentFocus}
    ids |= {e.target for e in kg.edges.values() if e.prop == P.investor}
    return ids


def narrower_sectors(kg: KnowledgeGraph, sector: str) -> set[str]:
    """``sector`` and every sector below it (``broaderSector`` followed backwards)."""
    found = {sector}
    todo = [sector]
    while todo:
        for e in kg.in_edges(todo.pop(), P.broaderSector):
            if e.source not in found:
                found.add(e.source)
                todo.append(e.source)
    return found


def maker_sectors(kg: KnowledgeGraph, maker: str) -> dict[str, list[tuple[str, list[Evidence]]]]:
    """The sectors of a maker: its own (``inSector``) and its models' (``modelSector``), each with what
    puts it there and the evidence."""
    found: dict[str, list[tuple[str, list[Evidence]]]] = defaultdict(list)
    for e in kg.out_edges(maker, P.inSector):
        found[e.target].append(("in sector", e.evidence))
    for d in sorted(kg.in_edges(maker, P.developedBy), key=lambda d: d.source):
        for e in kg.out_edges(d.source, P.modelSector):
            found[e.target].append((f"model {kg.nodes[d.source].name}", e.evidence))
    return found


class _MakersGraph:
    """Builds the investors-makers graph node by node from the styled full graph."""

    def __init__(self, kg: KnowledgeGraph, full: nx.MultiDiGraph[Any]) -> None:
        self.kg, self.full = kg, full
        self.investors = investor_ids(kg)
        self.makers = {e.target for e in kg.edges.values() if e.prop == P.developedBy}
        self.g: nx.MultiDiGraph[Any] = nx.MultiDiGraph()

    def node(self, n: str) -> None:
        if n not in self.g:
            place = self.kg.schema.is_a(self.kg.nodes[n].classes, C.Place)
            self.g.add_node(n, **{**self.full.nodes[n], "investor": n in self.investors, "maker": n in self.makers,
                                  "place": place, "sector": False})

    def relation(self, source: str, prop: str, target: str) -> None:
        """Draw the graph's own ``source -prop-> target`` edge (with its evidence)."""
        self.node(source)
        self.node(target)
        if not self.g.has_edge(source, target, key=prop):
            self.g.add_edge(source, target, key=prop, **self.full.edges[source, target, prop])

    def link(self, source: str, target: str, rel: str, key: str, props: dict[str, Any],
             evidence: list[Evidence]) -> None:
        """Draw a derived ``rel`` link (the evidence of every fact it rests on)."""
        self.node(source)
        self.node(target)
        unique = list(dict.fromkeys(evidence))
        self.g.add_edge(source, target, key=key, type=rel, props=props, evidence=[ev.as_dict() for ev in unique])


def makers_graph(kg: KnowledgeGraph, full: nx.MultiDiGraph[Any]) -> nx.MultiDiGraph[Any]:
    """Investors, model makers (every one), the links between them and the makers' places; node
    attributes come from ``full`` (the styled :func:`to_networkx` form) plus ``investor``, ``maker``
    and ``place`` flags. See :data:`MAKERS_RULE`."""
    b = _MakersGraph(kg, full)
    for n in sorted(b.makers | b.investors):
        b.node(n)
    for inv in sorted(kg.of_class(C.Investment), key=lambda n: n.id):
        for who in _targets(kg, inv.id, P.investor):
            for whom in (t for t in _targets(kg, inv.id, P.investee) if t in b.makers and t != who):
                b.link(who, whom, "INVESTED_IN", f"INVESTED_IN:{inv.id}", dict(full.nodes[inv.id]["props"]),
                       inv.evidence)
    sectors_of = {m: maker_sectors(kg, m) for m in sorted(b.makers)}
    for i in sorted(b.investors):
        _overlaps(b, i, sectors_of)
    chains = {n: [n, *ancestors(kg, n)] for n in b.makers | b.investors}
    for i in sorted(b.investors):
        for m in sorted(b.makers - {i}):
            common = next((a for a in chains[m] if a in chains[i]), None)
            if common is not None:
                for chain in (chains[i], chains[m]):
                    steps = chain[: chain.index(common) + 1]
                    for child, parent in pairwise(steps):
                        b.relation(child, P.parentOrganisation, parent)
    for m in sorted(b.makers):
        for place in _targets(kg, m, P.locatedIn):
            b.relation(m, P.locatedIn, place)
            for province in _targets(kg, place, P.withinPlace):
                b.relation(place, P.withinPlace, province)
    return b.g


def _overlaps(b: _MakersGraph, investor: str, sectors_of: dict[str, dict[str, list[tuple[str, list[Evidence]]]]]
              ) -> None:
    """SECTOR_OVERLAP links from ``investor`` to every maker in (or below) one of its focus sectors."""
    kg = b.kg
    focus = {e.target: (e.evidence, narrower_sectors(kg, e.target)) for e in kg.out_edges(investor, P.investmentFocus)}
    for m, sectors in sectors_of.items():
        if m == investor:
            continue
        hits = [(f, s) for f, (_, below) in sorted(focus.items()) for s in sorted(below) if s in sectors]
        if not hits:
            continue
        evidence = [ev for f, _ in hits for ev in focus[f][0]]
        vias: list[str] = []
        for _, s in hits:
            for via, evs in sectors[s]:
                vias.append(via)
                evidence += evs
        props = {"focus": "、".join(dict.fromkeys(kg.nodes[f].name for f, _ in hits)),
                 "sectors": "、".join(dict.fromkeys(kg.nodes[s].name for _, s in hits)),
                 "via": "、".join(dict.fromkeys(vias))}
        b.link(investor, m, "SECTOR_OVERLAP", "SECTOR_OVERLAP", props, evidence)


def write_view(kind: str, graphs: ViewGraphs, views_dir: Path, store: GraphStore | None = None,
               names: Sequence[str] = (), cap: int = viz.DEFAULT_CAP, hops: int = 2, *,
               race_by: str = "developer", race_lines: int = viz.RACE_LINES) -> viz.ViewResult:
    """Write one view into ``views_dir``: ``overview``, ``investors-sectors``, ``model-race`` (one line
    per ``race_by``: developer or family; at most ``race_lines`` lines), ``investors-makers``, ``ego``
    (one name) or ``path`` (two names); entity names are resolved through ``store``."""
    views_dir = Path(views_dir)
    views_dir.mkdir(parents=True, exist_ok=True)
    if kind == "overview":
        return viz.overview(graphs.entities, views_dir / "overview.html", cap=cap,
                            title="ecokg — 中国云生态 overview")
    if kind == "investors-sectors":
        return viz.investors_sectors(graphs.entities, views_dir / "investors-sectors.html", cap=cap)
    if kind == "model-race":
        return write_race(graphs.model(), views_dir / "model-race.html", race_by, race_lines)
    if kind == "investors-makers":
        return viz.investors_makers(makers_graph(graphs.model(), graphs.full), views_dir / "investors-makers.html",
                                    cap=cap, title="Investors and model makers, with the makers' places",
                                    note=MAKERS_RULE, edge_colours=LINK_COLOURS)
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
                     "model-race, investors-makers, ego NAME, path A B")


def summary(r: viz.ViewResult) -> dict[str, Any]:
    """A written view as plain data."""
    return {"view": r.view, "path": str(r.path), "nodes_drawn": r.nodes_drawn, "edges_drawn": r.edges_drawn,
            "total_nodes": r.total_nodes, "sampled": r.sampled, "units": list(r.units)}


def write_views(kg: KnowledgeGraph, views_dir: Path, cap: int = viz.DEFAULT_CAP, store: GraphStore | None = None,
                egos: Sequence[str] = (), hops: int = 2,
                connections: Sequence[tuple[str, str]] = (), race_by: str = "developer",
                step: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Write the :data:`DEFAULT_VIEWS` (overview, investors-sectors, model-race, investors-makers) and
    any ego and path views; one summary each. ``step`` hears the name of each view as it starts."""
    say = step or (lambda message: None)
    say("preparing the graphs of the views")
    graphs = ViewGraphs.of(kg)
    results = []
    for kind in DEFAULT_VIEWS:
        say(f"drawing {kind}")
        results.append(write_view(kind, graphs, views_dir, cap=cap, race_by=race_by))
    for name in egos:
        say(f"drawing the neighbourhood of {name}")
        results.append(write_view("ego", graphs, views_dir, store, [name], cap, hops))
    for a, b in connections:
        say(f"drawing the connections of {a} and {b}")
        results.append(write_view("path", graphs, views_dir, store, [a, b], cap))
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
