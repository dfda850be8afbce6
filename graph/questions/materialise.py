"""Answers a build computes once: the parameterless aggregations over the whole graph, and tables
that answer a question for every value of its parameters.

A generation never changes after ``ecokg build`` publishes it, so a question that takes no
parameter has one answer per generation. Three of them aggregate over every membership or
post of the graph before their first row (``bridges``, ``org-bridges``, ``developer-people``):
at 100,000 entities the embedded store needs 6 s to more than a minute for them on disk (each
row costs RocksDB seeks), while the build, which holds the whole graph in memory, computes the
same rows in well under a second by walking the model. The build writes them beside the store, a
file per question (``answers/``, :mod:`ecokg.graph.stores.answers`; each read when its question is
first asked); :class:`~ecokg.graph.stores.oxigraph.RdfStore` answers those questions from them (a
page is a slice), and asks its SPARQL when there is none (a folder built by an older ecokg) or the
store is not a built generation. ``ecokg load neo4j`` loads the same answers into Neo4j with the
graph (:mod:`ecokg.graph.stores.neo4j_answers`), which answers from them while it holds that graph
and runs its Cypher otherwise. A question with parameters is
saved as a table its ``select`` function picks one answer from: the leaderboard's rows of every
board and month, or the keyed parts of :mod:`.keyed` that an answer is joined from.

The functions here must give exactly the rows the questions' SPARQL gives on the same graph
(``tests/test_materialise.py`` compares them on the sample and on generated graphs), and so the
rows of their Cypher (``tests/test_neo4j_answers.py``, on Neo4j with the answers loaded). Rows are
in the engine's order (sorted by their values).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ecokg.graph.collector import paused
from ecokg.graph.model import GraphReader, Node
from ecokg.graph.questions import keyed
from ecokg.graph.questions.spec import questions
from ecokg.graph.questions.walk import Rows, Walk, name_of, sorted_rows
from ecokg.graph.stores.base import StaleAnswers
from ecokg.ontology.terms import C, D, P

if TYPE_CHECKING:  # only passed through
    from ecokg.graph.questions.spec import Question
    from ecokg.graph.stores.base import GraphStore

#: What the build saves for a question (JSON): its rows, or the table or parts its answers are
#: selected from.
Table = Any
Compute = Callable[[GraphReader], Table]
Select = Callable[[Table, Mapping[str, Any]], Rows]
MATERIALISED: dict[str, Compute] = {}
#: For a question with parameters: which rows of its table (its rows for every parameter value,
#: computed once, or the parts they are joined from) answer the given parameters, as new rows
#: (the caller may edit them), in the engine's order.
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


# the questions whose answers are joined from parts keyed by entity (:mod:`.keyed`)
MATERIALISED.update({name: fn for name, (fn, _) in keyed.KEYED.items()})
SELECT.update({name: pick for name, (_, pick) in keyed.KEYED.items()})


def select(name: str, table: Table, params: Mapping[str, Any], *, limit: int | None = None,
           offset: int = 0) -> Rows:
    """The rows of ``name``'s saved table that answer ``params``, from ``offset`` (``limit`` of them),
    as the caller's own: a whole answer's rows are copied (only the page's), a select function
    returns new rows."""
    end = None if limit is None else offset + limit
    pick = SELECT.get(name)
    if pick is not None:
        return pick(table, params)[offset:end]
    return [dict(r) for r in table[offset:end]]


def saved_rows(store: GraphStore, q: Question, params: Mapping[str, Any], *, limit: int | None = None,
               offset: int = 0) -> Rows | None:
    """The rows of ``q`` from the answers the build computed, when the store has them for the graph
    it holds (a saved table, sorted, of which a page is a slice); None when it has none, or when the
    graph changed while the answer was read (:class:`~ecokg.graph.stores.base.StaleAnswers`). One
    look at ``store.materialised()``: on Neo4j each look is a round trip."""
    try:
        table = store.materialised().get(q.name)
        return None if table is None else select(q.name, table, params, limit=limit, offset=offset)
    except StaleAnswers:
        return None


def saved_part(store: GraphStore, name: str, part: str) -> keyed.KeyedRead | None:
    """The part ``part`` of the keyed answer ``name`` the build saved, when the store has it for the
    graph it holds; None when it has none (a key read from it may still raise
    :class:`~ecokg.graph.stores.base.StaleAnswers` on Neo4j)."""
    try:
        table = store.materialised().get(name)
    except StaleAnswers:
        return None
    if not isinstance(table, Mapping):
        return None
    found: keyed.KeyedRead | None = table.get(part)
    return found


def answer(store: GraphStore, q: Question, params: Mapping[str, Any], *, limit: int | None = None,
           offset: int = 0) -> tuple[Rows, bool]:
    """The rows of ``q``, and whether they are saved rows (already in the engine's order): else
    they come from the store's query."""
    rows = saved_rows(store, q, params, limit=limit, offset=offset)
    if rows is not None:
        return rows, True
    return store.run_question(q, params, limit=limit, offset=offset), False


def run(store: GraphStore, q: Question, params: Mapping[str, Any], *, limit: int | None = None,
        offset: int = 0) -> Rows:
    """The rows of ``q`` (:func:`answer`), wherever they came from."""
    return answer(store, q, params, limit=limit, offset=offset)[0]


def run_for_each(store: GraphStore, q: Question, name: str, values: list[Any], size: int) -> Rows:
    """The rows of ``q`` for the list parameter ``name`` = ``values``: from the saved table in one
    select (on Neo4j one read of all their keys), else ``size`` values per query (a query's size is
    bounded; a saved table's select is not)."""
    rows = saved_rows(store, q, {name: values})
    if rows is not None:
        return rows
    return [r for i in range(0, len(values), size) for r in store.run_question(q, {name: values[i:i + size]})]


@materialised("bridges")
def bridges(kg: GraphReader) -> Rows:
    """People who sit in two or more expert groups, with each group."""
    w = Walk(kg)
    rows = set()
    for person in kg.of_class(C.Person):
        groups = w.groups_of(person.id)
        name = name_of(person)
        if len(groups) < 2 or name is None:
            continue
        for g in groups:
            group = w.name(g)
            if group is not None:
                rows.add((name, group, len(groups)))
    return sorted_rows(rows, ("person", "group", "groups"))


@materialised("org-bridges")
def org_bridges(kg: GraphReader) -> Rows:
    """Organisations whose people (posts, current or former) sit in two or more expert groups."""
    w = Walk(kg)
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
    return sorted_rows(rows, ("organisation", "group", "person"))


@materialised("developer-people")
def developer_people(kg: GraphReader) -> Rows:
    """People holding posts at a developer of a scored model, at its parent or at a subsidiary."""
    w = Walk(kg)
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
    return sorted_rows(rows, ("developer", "organisation", "person", "title", "former"))


def _leaderboard_rows(table: Rows, params: Mapping[str, Any]) -> Rows:
    """``FILTER(COALESCE(?b, "overall") = ?board)`` and ``FILTER(?date = "" || STR(?assessedIn) = ?date)``."""
    board, date = params.get("board", "overall"), params.get("date", "")
    return [dict(r) for r in table if r["board"] == board and (date == "" or r["assessedIn"] == date)]


def _board(node: Node) -> str:
    value = node.props.get(D.board)
    return "overall" if value is None else str(value)


@materialised("leaderboard", _leaderboard_rows)
def leaderboard(kg: GraphReader) -> Rows:
    """Every benchmark score with its model, benchmark, board, month, measure, rank, the row it was
    read from and the developers (with the basis of each statement that names them): the
    leaderboard's rows for every board and month at once."""
    w = Walk(kg)
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
    return sorted_rows((tuple(r.values()) for r in typed), tuple(q.columns))


def _latest_month(table: Rows, params: Mapping[str, Any]) -> Rows:
    """``MAX`` over the board's months: one row, its date unbound when the board has none."""
    dates = [r["date"] for r in table if r["board"] == params.get("board")]
    return [{"date": dates[0] if dates else None}]


@materialised("latest-month", _latest_month)
def latest_month(kg: GraphReader) -> Rows:
    """The latest month of each board's results."""
    latest: dict[str, str] = {}
    for r in kg.of_class(C.BenchmarkResult):
        month = r.props.get(D.assessedIn)
        if month is not None:
            board = _board(r)
            latest[board] = max(latest.get(board, ""), str(month))
    return [{"board": b, "date": d} for b, d in sorted(latest.items())]


def compute(kg: GraphReader) -> dict[str, Table]:
    """Every materialised answer of ``kg``, by question name (with the cycle collector paused:
    6.1 s instead of 7.1 s at 100,000 entities, :mod:`ecokg.graph.collector`)."""
    with paused():
        return {name: fn(kg) for name, fn in sorted(MATERIALISED.items())}


__all__ = ["MATERIALISED", "SELECT", "Table", "answer", "compute", "materialised", "run", "run_for_each", "saved_part",
           "saved_rows", "select"]
