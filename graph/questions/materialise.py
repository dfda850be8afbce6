"""Answers a build computes once: the parameterless aggregations over the whole graph.

A generation never changes after ``ecokg build`` publishes it, so a question that takes no
parameter has one answer per generation. Three of them aggregate over every membership or
post of the graph before their first row (``bridges``, ``org-bridges``, ``developer-people``):
at 100,000 entities the embedded store needs 6 s to more than a minute for them on disk (each
row costs RocksDB seeks), while the build, which holds the whole graph in memory, computes the
same rows in well under a second by walking the model. The build writes them to
``answers.json`` beside the store (:mod:`ecokg.graph.stores.answers`); :class:`~ecokg.graph.stores.oxigraph.RdfStore` answers those
questions from it (a page is a slice), and asks its SPARQL when the file is missing (a folder
built by an older ecokg) or the store is not a built generation.

The functions here must give exactly the rows the questions' SPARQL gives on the same graph
(``tests/test_materialise.py`` compares them on the sample and on generated graphs); the Cypher
on Neo4j is unchanged. Rows are in the engine's order (sorted by their values).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ecokg.graph.model import KnowledgeGraph, Node
from ecokg.graph.questions.spec import questions
from ecokg.ontology.terms import C, D, P

Rows = list[dict[str, Any]]
Compute = Callable[[KnowledgeGraph], Rows]
Select = Callable[[Rows, Mapping[str, Any]], Rows]
MATERIALISED: dict[str, Compute] = {}
#: For a question with parameters: which rows of its table (its rows for every parameter value,
#: computed once) answer the given parameters.
SELECT: dict[str, Select] = {}


def materialised(name: str, select: Select | None = None) -> Callable[[Compute], Compute]:
    """Register ``fn`` as the build-time answer of the question ``name``: all of it for a question
    without parameters, else a table that ``select`` picks the rows of one answer from."""

    def register(fn: Compute) -> Compute:
        MATERIALISED[name] = fn
        if select is not None:
            SELECT[name] = select
        return fn

    return register


def select(name: str, table: Rows, params: Mapping[str, Any], *, limit: int | None = None, offset: int = 0) -> Rows:
    """The rows of ``name``'s saved table that answer ``params``, from ``offset`` (``limit`` of them),
    as copies: callers may edit them."""
    pick = SELECT.get(name)
    rows = pick(table, params) if pick is not None else table
    return [dict(r) for r in rows[offset:None if limit is None else offset + limit]]


def _sorted(rows: Iterable[tuple[Any, ...]], columns: tuple[str, ...]) -> Rows:
    """Distinct rows as dicts, in the engine's order (``engine._sort_key``: None last per value)."""
    out = [dict(zip(columns, r)) for r in set(rows)]
    out.sort(key=lambda row: tuple((v is None, str(v)) for v in row.values()))
    return out


def _name(node: Node | None) -> str | None:
    if node is None:
        return None
    value = node.props.get(D.name)
    return None if value is None else str(value)


class _Walk:
    """The few traversals the aggregations share, over one model."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.schema = kg.schema

    def is_a(self, node_id: str, cls: str) -> bool:
        node = self.kg.nodes.get(node_id)
        return node is not None and self.schema.is_a(node.classes, cls)

    def targets(self, node_id: str, prop: str) -> list[str]:
        return [e.target for e in self.kg.out_edges(node_id, prop)]

    def sources(self, node_id: str, prop: str) -> list[str]:
        return [e.source for e in self.kg.in_edges(node_id, prop)]

    def groups_of(self, person: str) -> set[str]:
        """``?person eco:holds/eco:inGroup ?group``."""
        return {g for m in self.targets(person, P.holds) for g in self.targets(m, P.inGroup)}

    def position_holders(self, org: str) -> list[tuple[str, str]]:
        """(position, person) for ``?pos a eco:Position ; eco:inOrganisation org . ?p eco:holds ?pos``."""
        return [(pos, p) for pos in self.sources(org, P.inOrganisation) if self.is_a(pos, C.Position)
                for p in self.sources(pos, P.holds)]

    def name(self, node_id: str) -> str | None:
        return _name(self.kg.nodes.get(node_id))


@materialised("bridges")
def bridges(kg: KnowledgeGraph) -> Rows:
    """People who sit in two or more expert groups, with each group."""
    w = _Walk(kg)
    rows = set()
    for person in kg.of_class(C.Person):
        groups = w.groups_of(person.id)
        name = _name(person)
        if len(groups) < 2 or name is None:
            continue
        for g in groups:
            group = w.name(g)
            if group is not None:
                rows.add((name, group, len(groups)))
    return _sorted(rows, ("person", "group", "groups"))


@materialised("org-bridges")
def org_bridges(kg: KnowledgeGraph) -> Rows:
    """Organisations whose people (posts, current or former) sit in two or more expert groups."""
    w = _Walk(kg)
    holders: dict[str, set[str]] = defaultdict(set)
    for pos in kg.of_class(C.Position):
        for org in w.targets(pos.id, P.inOrganisation):
            holders[org].update(w.sources(pos.id, P.holds))
    rows = set()
    for org, people in holders.items():
        groups = {p: w.groups_of(p) for p in people}
        if len(set().union(*groups.values())) < 2:
            continue
        organisation = w.name(org)
        if organisation is None:
            continue
        for p, gs in groups.items():
            person = w.name(p)
            if person is None:
                continue
            for g in gs:
                group = w.name(g)
                if group is not None:
                    rows.add((organisation, group, person))
    return _sorted(rows, ("organisation", "group", "person"))


@materialised("developer-people")
def developer_people(kg: KnowledgeGraph) -> Rows:
    """People holding posts at a developer of a scored model, at its parent or at a subsidiary."""
    w = _Walk(kg)
    developers = {d for r in kg.of_class(C.BenchmarkResult) for m in w.targets(r.id, P.forModel)
                  for d in w.targets(m, P.developedBy)}
    rows = set()
    for d in developers:
        developer = w.name(d)
        if developer is None:
            continue
        related = {d, *w.targets(d, P.parentOrganisation), *w.sources(d, P.parentOrganisation)}
        for o in related:
            organisation = w.name(o)
            if organisation is None:
                continue
            for pos, p in w.position_holders(o):
                props = kg.nodes[pos].props
                person = w.name(p)
                if person is None or D.isFormer not in props:
                    continue
                title = props.get(D.title)
                rows.add((developer, organisation, person, None if title is None else str(title),
                          bool(props[D.isFormer])))
    return _sorted(rows, ("developer", "organisation", "person", "title", "former"))


def _leaderboard_rows(table: Rows, params: Mapping[str, Any]) -> Rows:
    """``FILTER(COALESCE(?b, "overall") = ?board)`` and ``FILTER(?date = "" || STR(?assessedIn) = ?date)``."""
    board, date = params.get("board", "overall"), params.get("date", "")
    return [r for r in table if r["board"] == board and (date == "" or r["assessedIn"] == date)]


def _board(node: Node) -> str:
    value = node.props.get(D.board)
    return "overall" if value is None else str(value)


@materialised("leaderboard", _leaderboard_rows)
def leaderboard(kg: KnowledgeGraph) -> Rows:
    """Every benchmark score with its model, benchmark, board, month, measure, rank, the row it was
    read from and the developers (with the basis of each statement that names them): the
    leaderboard's rows for every board and month at once."""
    w = _Walk(kg)
    q = questions()["leaderboard"]
    raw = []
    for r in kg.of_class(C.BenchmarkResult):
        props = r.props
        if D.score not in props:
            continue
        board = _board(r)
        measure = props.get(D.measure, "总分")
        developers: list[tuple[str | None, str | None]] = []
        for m in w.targets(r.id, P.forModel):
            model = w.name(m)
            if model is None:
                continue
            developers = [(w.name(d), ev.basis) for d in w.targets(m, P.developedBy) if w.name(d) is not None
                          for ev in kg.edges[(m, P.developedBy, d)].evidence] or [(None, None)]
            for bm in w.targets(r.id, P.onBenchmark):
                benchmark = w.name(bm)
                if benchmark is None:
                    continue
                for ev in r.evidence:
                    for developer, basis in developers:
                        raw.append({"model": model, "developer": developer, "basis": basis, "benchmark": benchmark,
                                    "board": board, "measure": measure, "assessedIn": props.get(D.assessedIn),
                                    "score": props[D.score], "rank": props.get(D.rank), "quote": ev.quote})
    typed = q.rows(raw)
    return _sorted((tuple(r.values()) for r in typed), tuple(q.columns))


def _latest_month(table: Rows, params: Mapping[str, Any]) -> Rows:
    """``MAX`` over the board's months: one row, its date unbound when the board has none."""
    dates = [r["date"] for r in table if r["board"] == params.get("board")]
    return [{"date": dates[0] if dates else None}]


@materialised("latest-month", _latest_month)
def latest_month(kg: KnowledgeGraph) -> Rows:
    """The latest month of each board's results."""
    latest: dict[str, str] = {}
    for r in kg.of_class(C.BenchmarkResult):
        month = r.props.get(D.assessedIn)
        if month is not None:
            board = _board(r)
            latest[board] = max(latest.get(board, ""), str(month))
    return [{"board": b, "date": d} for b, d in sorted(latest.items())]


def compute(kg: KnowledgeGraph) -> dict[str, Rows]:
    """Every materialised answer of ``kg``, by question name."""
    return {name: fn(kg) for name, fn in sorted(MATERIALISED.items())}


__all__ = ["MATERIALISED", "SELECT", "compute", "materialised", "select"]
