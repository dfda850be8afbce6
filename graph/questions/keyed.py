"""Answers to questions with an entity parameter, saved by the build as rows keyed by the entity
they hang on, and joined for each ask.

``investors-of`` and ``developer-ties`` answer with thousands of rows, each with its evidence
(6,530 for a trend and 3,858 for a developer at 100,000 entities), and ``investors-of`` then reads
the people of thousands of investors (``people-at``). Each row costs the on-disk store a handful
of RocksDB seeks (names, the evidence's basis and quote), about 0.1 ms, which no plan avoids:
0.5 to 1.7 s an answer. A table of every answer is too large (a trend's answer repeats the
investors of each of its sectors, and fifty trends share twenty-two sectors), but each answer
joins a few parts whose rows hang on one entity and do not depend on the parameter:

- ``investors-of``: the investor links of each sector (its four ways, keyed by sector) and the
  sectors each sector or trend reaches, with the scope (" (broader sector)") each adds; and, for
  its ranking (:func:`ecokg.graph.questions.post.rank_investors`), the people of each investor;
- ``developer-ties``: the posts, investments and funds of each organisation, the organisations
  one ``parentOrganisation`` step away, the sectors of each organisation's models and the
  investors whose stated focus is each sector;
- ``people-at``: the people of each organisation and of the organisations under it.

What an ask did beyond the join is computed here too, once: at 100,000 entities, on a busy
two-core host, sorting a trend's 6,530 joined rows by their values took most of the join's 26 ms,
and a row of ``people-at`` for each post of its 4,530 investors, then their people formatted and
sorted, about 40 ms. So each link carries its place in the engine's order of the rows it joins
into (an ask sorts integers: 8 ms for the join), and the current people of each investor are
saved as the ranking shows them (``people``: an ask copies a list per investor; ``people-at``
stays, for the other stores and older files).

The build computes the parts by walking the model (about 3 s at 100k entities) and saves them
with the other answers (:mod:`ecokg.graph.stores.answers`: a file per question, read on its first
ask, so only a process asking these questions reads their parts; rows as lists: columns once, in
code); an ask joins them in Python (milliseconds). :mod:`.materialise` registers them beside the
whole answers, so the engine reads them the same way, and ``tests/test_materialise.py`` checks the
joins equal the questions' SPARQL for every sector, trend and organisation of the sample and of
generated graphs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ecokg.graph.model import GraphReader
from ecokg.graph.questions.spec import questions
from ecokg.graph.questions.walk import Rows, Walk, sorted_rows, values_key
from ecokg.ontology.terms import C, D, P

#: Rows (as lists, in a part's own column order; or plain values, as investors-of's ``people``) by
#: the entity IRI they hang on.
Keyed = dict[str, list[Any]]
#: A question's saved parts, by part name.
Parts = dict[str, Keyed]
#: What an answer is joined from: the parts as the build computed them, or a store's view of them
#: that reads each key when asked (Neo4j's: :mod:`ecokg.graph.stores.neo4j_answers`).
KeyedRead = Mapping[str, list[Any]]
PartsRead = Mapping[str, KeyedRead]

BROADER = " (broader sector)"  # what reaching a sector through eco:broaderSector adds to "how"
FOCUS_TIE = "investor focused on a sector of its models"


def keyed(rows: Mapping[str, Iterable[tuple[Any, ...]]]) -> Keyed:
    """Rows by key as JSON keeps them: lists, keys sorted, each key's rows in the engine's order
    (the same graph always gives the same file)."""
    return {k: [list(r) for r in sorted(set(rows[k]), key=values_key)] for k in sorted(rows)}


def _columns(name: str) -> tuple[str, ...]:
    return tuple(questions()[name].columns)


def prefetch(part: KeyedRead, keys: Iterable[str]) -> None:
    """Tell ``part`` which keys a join is about to read, so a store that keeps the parts elsewhere
    reads them in one round trip, not one per key (Neo4j's saved answers: a trend's investors read
    the links of its twenty sectors, a ranking the people of a thousand investors at once). A dict
    has nothing to fetch."""
    fetch = getattr(part, "prefetch", None)
    if fetch is not None:
        fetch(keys)


# -- investors-of ------------------------------------------------------------------------------

def investors_of(kg: GraphReader) -> Parts:
    """``links``: sector -> (investor, investorId, person, how, basis, quote, order, broader order),
    one row per way an investor is tied to the sector (a UNION branch of the question) and piece
    of evidence, with the place of the row it joins into in the engine's order of every joined row
    (:func:`_orders`); ``reach``: sector or trend -> (sector, its name, scope), the ``?s`` its
    ``?target`` reaches; ``people``: investor -> its current people as the ranking shows them
    (:func:`staff`)."""
    w = Walk(kg)
    links: dict[str, set[tuple[Any, ...]]] = defaultdict(set)

    def link(s: str, inv: str, person: str | None, how: str, quotes: list[tuple[str, str]]) -> None:
        investor = w.name(inv)
        if investor is not None:
            links[s].update((investor, inv, person, how, basis, quote) for basis, quote in quotes)

    for inv, s in w.edges(P.investmentFocus):
        link(s, inv, None, "stated investment focus", w.stated(inv, P.investmentFocus, s))
    for i, s in w.edges(P.investmentSector):
        if w.is_a(i, C.Investment):
            for inv in w.targets(i, P.investor):
                link(s, inv, None, "investment in the sector", w.quotes(i))
    for c, s in w.edges(P.inSector):
        company = w.name(c)
        for i in w.sources(c, P.investee) if company is not None else ():
            if w.is_a(i, C.Investment):
                for inv in w.targets(i, P.investor):
                    link(s, inv, None, f"investment in {company}, which is in the sector", w.quotes(i))
    for pos, s in w.edges(P.remitSector):
        title = w.prop(pos, D.title)
        if title is None or "投" not in str(title):
            continue
        for inv in w.targets(pos, P.inOrganisation):
            for p in w.sources(pos, P.holds):
                person = w.name(p)
                if person is not None:
                    link(s, inv, person, f"post remit: {title}", w.quotes(pos))

    # ?target eco:concernsSector? ?s0 . FILTER EXISTS { ?s0 a eco:Sector } ?s0 eco:broaderSector? ?s
    reach: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for target in {n.id for n in w.of_class(C.Sector)} | {t for t, _ in w.edges(P.concernsSector)}:
        for s0 in {target, *w.targets(target, P.concernsSector)}:
            if not w.is_a(s0, C.Sector):
                continue
            for s in {s0, *w.targets(s0, P.broaderSector)}:
                sector = w.name(s)
                if sector is not None:
                    reach[target].add((s, sector, "" if s == s0 else BROADER))
    investors = {row[1] for rows in links.values() for row in rows}
    people = {org: lines for org, rows in _people(w).items() if org in investors and (lines := staff(rows))}
    return {"reach": keyed(reach), "links": keyed(_orders(links, reach)),
            "people": {org: people[org] for org in sorted(people)}}


#: The column of a ``links`` row holding its place in the engine's order, by the scope it joins with.
ORDER_AT = {"": 6, BROADER: 7}


def _orders(links: Mapping[str, set[tuple[Any, ...]]],
            reach: Mapping[str, set[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """Each link row with its place (for each scope: :data:`ORDER_AT`, None for a scope no target
    joins it with) in the engine's order of every row any target's answer joins: within one answer
    the rows sort as these integers do, and equal rows (the same links of two sectors of one name)
    have equal places."""
    joins = {(s, sector, scope) for rows in reach.values() for s, sector, scope in rows}
    joined = {(investor, inv, person, how + scope, sector, basis, quote)
              for s, sector, scope in joins for investor, inv, person, how, basis, quote in links.get(s, ())}
    place = {row: i for i, row in enumerate(sorted(joined, key=values_key))}
    name = {s: sector for s, sector, _ in joins}
    return {s: [(*row, *(place.get((row[0], row[1], row[2], row[3] + scope, name.get(s), row[4], row[5]))
                        for scope in ORDER_AT))
                for row in rows]
            for s, rows in links.items()}


def investors_of_rows(parts: PartsRead, params: Mapping[str, Any]) -> Rows:
    """The links of every sector ``target`` reaches, each with the sector's name and its scope, in
    the order of their places (:func:`_orders`): one row for equal places. Rows as dict displays,
    in the question's columns (twice as fast as ``dict(zip(columns, row))`` for 6,530 rows;
    ``tests/test_materialise.py`` checks the columns)."""
    links = parts["links"]
    reach = parts["reach"].get(str(params["target"]), ())
    prefetch(links, {r[0] for r in reach})
    picked = {}
    for s, sector, scope in reach:
        at = ORDER_AT[scope]
        for row in links.get(s, ()):
            picked[row[at]] = (row, sector, scope)
    return [{"investor": investor, "investorId": inv, "person": person, "how": how + scope, "sector": sector,
             "basis": basis, "quote": quote}
            for (investor, inv, person, how, basis, quote, _, _), sector, scope
            in map(picked.__getitem__, sorted(picked))]


# -- developer-ties ----------------------------------------------------------------------------

def developer_ties(kg: GraphReader) -> Parts:
    """``ties``: organisation -> its rows from posts, investments in it and funds it set up
    (``via`` its own name); ``related``: organisation -> the organisations one
    ``parentOrganisation`` step away, either way; ``models``: organisation -> (its name, a sector
    of a model it developed); ``focus``: sector -> (investor, sector name, basis, quote) of each
    stated investment focus on it."""
    w = Walk(kg)
    ties: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for pos in w.of_class(C.Position):
        former = pos.props.get(D.isFormer)
        if former is None:
            continue
        title = pos.props.get(D.title)
        tie, detail = "former post" if former else "post", "" if title is None else str(title)
        people = [who for who in map(w.name, w.sources(pos.id, P.holds)) if who is not None]
        for o in w.targets(pos.id, P.inOrganisation):
            via = w.name(o)
            if via is not None:
                ties[o].update((tie, who, via, detail, basis, quote) for who in people
                               for basis, quote in w.quotes(pos.id))
    for i in w.of_class(C.Investment):
        rnd = i.props.get(D.round)
        detail = "" if rnd is None else str(rnd)
        investors = [who for who in map(w.name, w.targets(i.id, P.investor)) if who is not None]
        for o in w.targets(i.id, P.investee):
            via = w.name(o)
            if via is not None:
                ties[o].update(("investment in it", who, via, detail, basis, quote) for who in investors
                               for basis, quote in w.quotes(i.id))
    for f, o in w.edges(P.setUpBy):
        via, who = w.name(o), w.name(f)
        if via is not None and who is not None:
            ties[o].update(("fund it set up", who, via, "", basis, quote)
                           for basis, quote in w.stated(f, P.setUpBy, o))

    related: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for a, b in w.edges(P.parentOrganisation):
        related[a].add((b,))
        related[b].add((a,))
    models: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for m, o in w.edges(P.developedBy):
        via = w.name(o)
        if via is not None:
            models[o].update((via, s) for s in w.targets(m, P.modelSector))
    focus: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for inv, s in w.edges(P.investmentFocus):
        who, sector = w.name(inv), w.name(s)
        if who is not None and sector is not None:
            focus[s].update((who, sector, basis, quote) for basis, quote in w.stated(inv, P.investmentFocus, s))
    return {"ties": keyed(ties), "related": keyed(related), "models": keyed(models), "focus": keyed(focus)}


def developer_ties_rows(parts: PartsRead, params: Mapping[str, Any]) -> Rows:
    """The ties of ``developer`` and of the organisations one step above or below it, and the
    investors focused on a sector of their models."""
    developer = str(params["developer"])
    focus = parts["focus"]
    orgs = [developer, *(r[0] for r in parts["related"].get(developer, ()))]
    prefetch(parts["ties"], orgs)
    prefetch(parts["models"], orgs)
    prefetch(focus, {r[1] for o in orgs for r in parts["models"].get(o, ())})
    rows: set[tuple[Any, ...]] = set()
    for o in orgs:
        rows.update(map(tuple, parts["ties"].get(o, ())))
        rows.update((FOCUS_TIE, who, via, sector, basis, quote) for via, s in parts["models"].get(o, ())
                    for who, sector, basis, quote in focus.get(s, ()))
    return sorted_rows(rows, _columns("developer-ties"))


# -- people-at ---------------------------------------------------------------------------------

def _people(w: Walk) -> dict[str, set[tuple[Any, ...]]]:
    """Organisation -> (person, title, former) of every post in it or in an organisation under it
    (``?o eco:parentOrganisation* ?org``)."""
    above: dict[str, set[str]] = {}

    def up(o: str) -> set[str]:
        """``o`` and every organisation above it (cycles allowed)."""
        if o not in above:
            seen, todo = {o}, [o]
            while todo:
                for parent in w.targets(todo.pop(), P.parentOrganisation):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            above[o] = seen
        return above[o]

    rows: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for pos in w.of_class(C.Position):
        former = pos.props.get(D.isFormer)
        if former is None:
            continue
        title = pos.props.get(D.title)
        people = [(who, None if title is None else str(title), bool(former))
                  for who in map(w.name, w.sources(pos.id, P.holds)) if who is not None]
        for o in w.targets(pos.id, P.inOrganisation):
            for org in up(o):
                rows[org].update(people)
    return rows


def people_at(kg: GraphReader) -> Keyed:
    """Organisation -> (person, title, former) of every post in it or in an organisation under it,
    each key's rows in the engine's order."""
    return keyed(_people(Walk(kg)))


def staff(rows: Iterable[Sequence[Any]]) -> list[str]:
    """The current people of an organisation as a ranking of investors shows them ("person
    (title)", sorted, once each), from its ``people-at`` rows (person, title, former)."""
    return sorted({f"{person} ({title})" for person, title, former in rows if not former})


def people_at_rows(table: KeyedRead, params: Mapping[str, Any]) -> Rows:
    """The rows of each of ``ids``, in the engine's order (ids in order, each one's rows sorted)."""
    ids = sorted({str(i) for i in params["ids"]})
    prefetch(table, ids)
    return [{"org": org, "person": person, "title": title, "former": former}
            for org in ids
            for person, title, former in table.get(org, ())]


#: The keyed answers :mod:`.materialise` registers: question -> (compute its parts, join an answer).
KEYED: dict[str, tuple[Callable[[GraphReader], Any], Callable[[Any, Mapping[str, Any]], Rows]]] = {
    "investors-of": (investors_of, investors_of_rows),
    "developer-ties": (developer_ties, developer_ties_rows),
    "people-at": (people_at, people_at_rows),
}
#: The shape of each keyed answer as saved: the names of its parts (each a :data:`Keyed`), or none
#: when the table is itself keyed (``people-at``). A store that keeps them elsewhere stores and
#: reads them key by key (:mod:`ecokg.graph.stores.neo4j_answers`).
PARTS: dict[str, tuple[str, ...]] = {
    "investors-of": ("links", "people", "reach"),
    "developer-ties": ("focus", "models", "related", "ties"),
    "people-at": (),
}

__all__ = ["KEYED", "ORDER_AT", "PARTS", "Keyed", "KeyedRead", "Parts", "PartsRead", "developer_ties",
           "developer_ties_rows", "investors_of", "investors_of_rows", "keyed", "people_at", "people_at_rows",
           "prefetch", "staff"]
