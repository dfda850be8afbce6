"""The interactive views of a graph: the glue between the model, the ontology and ``ecokg.viz``.

``ecokg.viz`` knows no ontology; here each node gets what the ontology says about it
(its colour, whether it is an investor or a sector) before the pages are drawn.

- ``overview.html``: every entity, coloured by class, sized by degree (capped);
- ``investors-sectors.html``: investors, sectors and what links them;
- ``model-race.html``: a line chart of the best leaderboard total per developer (or model family) per month;
- ``investors-makers.html``: investors, model makers, the makers' places and what links investors to makers;
- ``ego-NAME.html``: the k-hop neighbourhood of an entity;
- ``path-A-B.html``: the explained shortest connections between two entities.

Every view reads the graph through the store (:class:`ViewGraphs`, :mod:`ecokg.viewdata`): it chooses
its nodes on the graph's shape, then reads only what it draws.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any, Callable

import networkx as nx

from ecokg import viz
from ecokg.graph.model import Evidence, KnowledgeGraph, Node
from ecokg.graph.partial import edge_bases, evidence_bases, links, read_names, read_part
from ecokg.graph.questions import resolve, shortest_paths
from ecokg.graph.skeleton import SCORED
from ecokg.graph.stores.base import GraphStore
from ecokg.ontology import literals
from ecokg.ontology.iris import slug
from ecokg.ontology.neo4j import ID, check_identifier
from ecokg.ontology.terms import C, D, P
from ecokg.viewdata import ViewGraphs as ViewGraphs  # re-exported: the views' input
from ecokg.viewdata import maker_sectors as maker_sectors
from ecokg.viewdata import narrower_sectors as narrower_sectors
from ecokg.viewdata import styled as styled
from ecokg.viewdata import (
    ego_part,
    investors_sectors_selection,
    makers_part,
    makers_selection,
    makers_shape,
    overlap,
    overview_selection,
    path_part,
)

VIEWS = ("overview", "investors-sectors", "model-race", "investors-makers", "ego", "path")
#: The views ``write_views`` writes for every graph.
DEFAULT_VIEWS = ("overview", "investors-sectors", "model-race", "investors-makers")
RACE_BY = ("developer", "family")
#: A leaderboard total: this measure, on the overall board or on a table with no board (the Blue Book's).
TOTAL_MEASURE = "总分"
OVERALL_BOARD = "overall"
QUOTE_CHARS = 160


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


def board_developers(kg: KnowledgeGraph, model: str, bases: Iterable[str],
                     edge_bases: Mapping[tuple[str, str], set[str]] | None = None) -> list[str]:
    """The developers of ``model`` that a source of one of ``bases`` names (a ``developedBy`` edge with
    evidence of that basis; ``edge_bases`` gives those bases by (model, developer) when the edges
    carry no evidence); all its developers when none is."""
    wanted = set(bases)
    edges = list(kg.out_edges(model, P.developedBy))
    if edge_bases is not None:
        named = {e.target for e in edges if edge_bases.get((model, e.target), set()) & wanted}
    else:
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


@dataclass
class Bases:
    """The bases (kinds of source) of the evidence of results and ``developedBy`` facts, for a model
    graph read without that evidence (:func:`race_graph`): all :func:`board_developers` weighs."""

    results: dict[str, set[str]]
    developers: dict[tuple[str, str], set[str]]


def _race_best(kg: KnowledgeGraph, by: str, bases: Bases | None = None
               ) -> tuple[dict[tuple[str, str], list[tuple[Node, str, str]]], str, int]:
    """Per (line, month), the results that count for it (result, model, the developer as named);
    the benchmark's name; how many results have no developer."""
    if by not in RACE_BY:
        raise ValueError(f"race by {by!r}: choose one of {', '.join(RACE_BY)}")
    results, benchmark = race_results(kg)
    if bases is None:
        named = {(r.id, m): board_developers(kg, m, {ev.basis for ev in r.evidence}) for r, m in results}
    else:
        named = {(r.id, m): board_developers(kg, m, bases.results.get(r.id, set()), bases.developers)
                 for r, m in results}
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
    return best, benchmark, unplaced


def _winners(entries: list[tuple[Node, str, str]]) -> tuple[Decimal, list[tuple[Node, str, str]]]:
    top = max(Decimal(str(r.props[D.score])) for r, _, _ in entries)
    return top, [e for e in entries if Decimal(str(e[0].props[D.score])) == top]


def race_winners(kg: KnowledgeGraph, by: str = "developer", bases: Bases | None = None,
                 lines: Iterable[str] | None = None) -> set[str]:
    """The results that are some line's best in some month (the only ones a point shows), of the
    ``lines`` given (line keys; default all)."""
    best, _, _ = _race_best(kg, by, bases)
    wanted = None if lines is None else set(lines)
    return {r.id for (key, _), entries in best.items() if wanted is None or key in wanted
            for r, _, _ in _winners(entries)[1]}


def race_series(kg: KnowledgeGraph, by: str = "developer", bases: Bases | None = None) -> RaceData:
    """One line per developer (or model family): per month, the best total score of its models.

    Totals are :func:`total_results` on the benchmark with the most of them. A developer is
    :func:`board_developers` for the result's source, folded into its farthest parent that is also
    such a developer; a family is :func:`model_families`. ``bases``: the bases of the evidence, when
    ``kg`` was read without it (:func:`race_graph`).
    """
    return _series(kg, by, *_race_best(kg, by, bases))


Best = dict[tuple[str, str], list[tuple[Node, str, str]]]


def _series(kg: KnowledgeGraph, by: str, best: Best, benchmark: str, unplaced: int) -> RaceData:
    series: dict[str, list[viz.RacePoint]] = defaultdict(list)
    for (key, month), entries in sorted(best.items()):
        top, winners = _winners(entries)
        winners.sort(key=lambda e: (kg.nodes[e[1]].name, e[0].id))
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


def write_race(kg: KnowledgeGraph, path: Path, by: str = "developer", lines: int = viz.RACE_LINES,
               bases: Bases | None = None) -> viz.ViewResult:
    """Write ``model-race.html``: :func:`race_series` as a line chart."""
    return write_race_data(race_series(kg, by, bases), path, lines)


def write_race_data(data: RaceData, path: Path, lines: int = viz.RACE_LINES) -> viz.ViewResult:
    """Write ``model-race.html`` of computed race lines."""
    by = data.by
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
    """Investors, model makers (every one), every link between them and the makers' places, as one
    graph; node attributes come from ``full`` (the styled :func:`to_networkx` form) plus ``investor``,
    ``maker`` and ``place`` flags. See :data:`MAKERS_RULE`.

    This lists every investor-maker pair, so it is for small graphs (notebooks, tests: it is the
    reference the view's selection is checked against); the view itself counts the links on the
    skeleton (:func:`ecokg.viewdata.makers_shape`) and builds only the nodes it draws.
    """
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
        for m, sectors in sectors_of.items():
            found = overlap(kg, i, sectors) if m != i else None
            if found is not None:
                b.link(i, m, "SECTOR_OVERLAP", "SECTOR_OVERLAP", *found)
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


def write_makers(graphs: ViewGraphs, path: Path, cap: int = viz.DEFAULT_CAP,
                 edge_cap: int | None = viz.EDGE_CAP) -> viz.ViewResult:
    """Write ``investors-makers.html`` from the store: the links counted on the skeleton
    (:func:`~ecokg.viewdata.makers_shape`), the most linked nodes kept with their places, and only
    those nodes and the edges drawn among them read in full."""
    shape = makers_shape(graphs, (graphs.skeleton.ids[i] for i in graphs.skeleton.deal_investors))
    selection = makers_selection(shape, cap)
    g, total_edges = makers_part(graphs, shape, selection, edge_cap)
    return viz.investors_makers(g, path, cap=cap, title="Investors and model makers, with the makers' places",
                                note=MAKERS_RULE, edge_colours=LINK_COLOURS, selection=selection.selection(),
                                degree=_keyed({n: shape.degree.get(n, 0) for n in selection.nodes}),
                                edge_cap=edge_cap, edge_total=total_edges)


def _keyed(degree: Mapping[str, int]) -> dict[Hashable, int]:
    """Degrees by node id, as ``ecokg.viz`` takes them."""
    return {n: d for n, d in degree.items()}


# -- the model race from the store -----------------------------------------------------------------

def _sparql_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def race_graph(graphs: ViewGraphs, by: str = "developer") -> tuple[KnowledgeGraph, Bases]:
    """The part of the graph the model race reads, from the store: every leaderboard total that can
    count (see :func:`total_results`: its month and score), its model and benchmark, the models'
    developers, families and the developers' parent chains, with the names of what can be a line;
    and the bases of the evidence :func:`board_developers` weighs (only where a model has several
    developers does it matter). The winning results of the lines drawn are read in full afterwards,
    with their models' names (:func:`write_race_store`): only they are shown."""
    store, schema, sk = graphs.store, graphs.schema, graphs.skeleton
    ids, index = sk.ids, sk.index
    dec = schema.datatype_properties[D.score]
    cypher = store.language == "cypher"
    scored = [(via, ids[u], ids[v]) for u, v, via in sk.links_of(SCORED)]
    # With a result on a benchmark only such results can count (race_results keeps the benchmark with
    # the most); with none, every result of a model does.
    candidates = {r for r, _, _ in scored} if scored else None
    totals: dict[str, dict[str, Any]] = {}
    if cypher:
        label = check_identifier(C.BenchmarkResult)
        rows = store.query(f"MATCH (r:{label}) WHERE r.{D.measure} = $measure AND r.{D.assessedIn} IS NOT NULL "
                           f"AND r.{D.score} IS NOT NULL AND (r.{D.board} IS NULL OR r.{D.board} = $board) "
                           f"RETURN r.{ID} AS r, r.{D.assessedIn} AS month, r.{D.score} AS score",
                           {"measure": TOTAL_MEASURE, "board": OVERALL_BOARD})
        found = {str(row["r"]): (row["month"], row["score"]) for row in rows}
    else:  # one scan per property: oxigraph 0.5 joins these patterns 3x slower than Python does
        if candidates is None:
            candidates = {str(r["r"]) for r in store.query(f"SELECT ?r WHERE {{ ?r a eco:{C.BenchmarkResult} }}")}
        total = {str(r["r"]) for r in store.query(f"SELECT ?r WHERE {{ ?r eco:{D.measure} {_sparql_text(TOTAL_MEASURE)} }}")}
        other = {str(r["r"]) for r in store.query(f"SELECT ?r WHERE {{ ?r eco:{D.board} ?b "
                                                   f"FILTER(?b != {_sparql_text(OVERALL_BOARD)}) }}")}
        keep = (candidates & total) - other
        months = {str(r["r"]): r["v"] for r in store.query(f"SELECT ?r ?v WHERE {{ ?r eco:{D.assessedIn} ?v }}")
                  if r["r"] in keep}
        found = {str(r["r"]): (months[r["r"]], r["v"]) for r in store.query(f"SELECT ?r ?v WHERE {{ ?r eco:{D.score} ?v }}")
                 if r["r"] in months}
    for r, (month, score) in found.items():
        if month and score is not None and (candidates is None or r in candidates):
            # the board is read with the winners (phase 1 only needs it to be overall or none)
            totals[r] = {D.measure: TOTAL_MEASURE, D.assessedIn: str(month), D.score: literals.from_neo4j(score, dec)}
    edges: set[tuple[str, str, str]] = set()
    for r, m, b in scored:
        if r in totals:
            edges.add((r, P.forModel, m))
            edges.add((r, P.onBenchmark, b))
    result_root = schema.root_of([C.BenchmarkResult])
    if not scored:  # results on no benchmark: their models
        missing = sorted(totals)
        edges |= set(links(store, missing, [P.forModel], roots=dict.fromkeys(missing, result_root)))
    models = {o for _, p, o in edges if p == P.forModel}
    developed, families, parents = sk.out_links(P.developedBy), sk.out_links(P.inFamily), sk.out_links(P.parentOrganisation)
    several: set[str] = set()
    developers: set[str] = set()
    for m in models:
        if m not in index:
            continue
        devs = developed.get(index[m], [])
        developers.update(ids[d] for d in devs)
        edges.update((m, P.developedBy, ids[d]) for d in devs)
        edges.update((m, P.inFamily, ids[f]) for f in families.get(index[m], []))
        if len(devs) > 1:
            several.add(m)
    todo = sorted(developers)
    seen = set(todo)
    while todo:  # the developers' parent chains
        n = todo.pop()
        for up in parents.get(index[n], []):
            edges.add((n, P.parentOrganisation, ids[up]))
            if ids[up] not in seen:
                seen.add(ids[up])
                todo.append(ids[up])
    roots = graphs.roots if cypher else None
    weighed = sorted(r for r, p, o in edges if p == P.forModel and o in several)
    bases = Bases(evidence_bases(store, weighed, dict.fromkeys(weighed, result_root)), {})
    made = [e for e in edges if e[1] == P.developedBy and e[0] in several]
    for key, found_bases in edge_bases(store, made, roots).items():
        bases.developers[(key[0], key[2])] = found_bases
    # names of what can be a line, and the benchmarks (model names come with the winners)
    lines = developers if by == "developer" else {o for _, p, o in edges if p == P.inFamily} | {
        m for m in models if not families.get(index.get(m, -1))}
    named = lines | {o for _, p, o in edges if p == P.onBenchmark}
    names = read_names(store, named, roots)
    kg = KnowledgeGraph(schema)
    for r in sorted(totals):
        kg.add_node(r, C.BenchmarkResult, totals[r])
    for n in sorted(models | developers | seen | named):
        for c in (sk.classes[index[n]] if n in index else ()):
            kg.add_node(n, c, {D.name: names[n]} if n in names else None)
    for s, p, o in sorted(edges):
        kg.add_edge(s, p, o)
    return kg, bases


def write_race_store(graphs: ViewGraphs, path: Path, by: str = "developer", lines: int = viz.RACE_LINES
                     ) -> viz.ViewResult:
    """Write ``model-race.html`` from the store: :func:`race_graph`, then the winning results of the
    lines drawn read in full (their board, rank and the source rows their tooltips quote) with their
    models' (and the models' developers') names, then :func:`write_race`."""
    kg, bases = race_graph(graphs, by)
    best, benchmark, unplaced = _race_best(kg, by, bases)
    tops: dict[str, Decimal] = {}
    for (key, _), entries in best.items():
        top = _winners(entries)[0]
        tops[key] = max(tops.get(key, top), top)
    # the lines drawn, as viz.model_race ranks them (best score, then name, then key)
    drawn = {key for key in sorted(tops, key=lambda k: (-float(tops[k]), kg.nodes[k].name, k))[:lines]}
    winners = {k: _winners(entries)[1] for k, entries in best.items() if k[0] in drawn}
    results = sorted({r.id for entries in winners.values() for r, _, _ in entries})
    models = {m for entries in winners.values() for _, m, _ in entries}
    people = models | {e.target for m in models for e in kg.out_edges(m, P.developedBy)}
    roots = graphs.roots if graphs.store.language == "cypher" else None
    for n, name in read_names(graphs.store, people, roots).items():
        kg.nodes[n].props[D.name] = name
    root = graphs.schema.root_of([C.BenchmarkResult])
    full = read_part(graphs.store, results, roots=dict.fromkeys(results, root), cache=graphs.cache).nodes
    best = {k: [(full.get(r.id, r), m, a) for r, m, a in entries] for k, entries in best.items()}
    return write_race_data(_series(kg, by, best, benchmark, unplaced), path, lines)


def write_view(kind: str, graphs: ViewGraphs, views_dir: Path, store: GraphStore | None = None,
               names: Sequence[str] = (), cap: int = viz.DEFAULT_CAP, hops: int = 2, *,
               race_by: str = "developer", race_lines: int = viz.RACE_LINES) -> viz.ViewResult:
    """Write one view into ``views_dir``: ``overview``, ``investors-sectors``, ``model-race`` (one line
    per ``race_by``: developer or family; at most ``race_lines`` lines), ``investors-makers``, ``ego``
    (one name) or ``path`` (two names); entity names are resolved through ``store`` (default: the
    graphs' own store). Every view reads the graph through the store (:class:`ViewGraphs`)."""
    views_dir = Path(views_dir)
    views_dir.mkdir(parents=True, exist_ok=True)
    store = store if store is not None else graphs.store
    if kind == "overview":
        selection = overview_selection(graphs, cap)
        sk = graphs.skeleton
        return viz.overview(graphs.entity_part(selection.nodes), views_dir / "overview.html", cap=cap,
                            title="ecokg — 中国云生态 overview", selection=selection.selection(),
                            degree=_keyed(graphs.degree_of(selection.nodes)), graph_size=(len(sk), sk.edge_count))
    if kind == "investors-sectors":
        selection = investors_sectors_selection(graphs, cap)
        return viz.investors_sectors(graphs.entity_part(selection.nodes), views_dir / "investors-sectors.html",
                                     cap=cap, selection=selection.selection(),
                                     degree=_keyed(graphs.degree_of(selection.nodes)))
    if kind == "model-race":
        return write_race_store(graphs, views_dir / "model-race.html", race_by, race_lines)
    if kind == "investors-makers":
        return write_makers(graphs, views_dir / "investors-makers.html", cap)
    if kind == "ego" and len(names) == 1:
        ent = resolve(store, names[0])
        g, selection, degree = ego_part(graphs, ent["id"], hops, cap)
        return viz.ego(g, ent["id"], views_dir / f"ego-{slug(ent['name'])}.html", hops=hops, cap=cap,
                       title=f"{ent['name']}: {hops}-hop neighbourhood", selection=selection.selection(),
                       degree=_keyed(degree))
    if kind == "path" and len(names) == 2:
        ea, eb = resolve(store, names[0]), resolve(store, names[1])
        paths = shortest_paths(store, ea["id"], eb["id"])
        node_paths = [[p[0][0]] + [step[2] for step in p] for p in paths]
        g, degree = path_part(graphs, node_paths)
        return viz.path_view(g, node_paths, views_dir / f"path-{slug(ea['name'])}-{slug(eb['name'])}.html",
                             cap=cap, title=f"How {ea['name']} connects to {eb['name']}", degree=_keyed(degree))
    raise ValueError(f"view {kind!r} with {len(names)} name(s): the views are overview, investors-sectors, "
                     "model-race, investors-makers, ego NAME, path A B")


def summary(r: viz.ViewResult) -> dict[str, Any]:
    """A written view as plain data (``total_edges``: the edges among the drawn nodes, before the
    edge cap)."""
    return {"view": r.view, "path": str(r.path), "nodes_drawn": r.nodes_drawn, "edges_drawn": r.edges_drawn,
            "total_nodes": r.total_nodes, "sampled": r.sampled, "total_edges": r.total_edges,
            "units": list(r.units)}


def write_views(source: KnowledgeGraph | GraphStore | ViewGraphs, views_dir: Path, cap: int = viz.DEFAULT_CAP,
                store: GraphStore | None = None, egos: Sequence[str] = (), hops: int = 2,
                connections: Sequence[tuple[str, str]] = (), race_by: str = "developer",
                step: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Write the :data:`DEFAULT_VIEWS` (overview, investors-sectors, model-race, investors-makers) and
    any ego and path views of ``source`` (a store, or a model graph); one summary each. ``step``
    hears the name of each stage as it starts."""
    say = step or (lambda message: None)
    graphs = source if isinstance(source, ViewGraphs) else (
        ViewGraphs.of(source) if isinstance(source, KnowledgeGraph) else ViewGraphs.of_store(source))
    say("reading the shape of the graph (entities, classes, links)")
    graphs.skeleton
    results = []
    for kind in DEFAULT_VIEWS:
        say(f"drawing {kind}")
        results.append(write_view(kind, graphs, views_dir, store, cap=cap, race_by=race_by))
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
