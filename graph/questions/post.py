"""Post-processing of answers, by name: a question file's ``post:`` names one of these.

Each function takes the store and the answer with the query's rows (resolved
parameters included) and returns the finished answer. They run the same on every
store because they only use the store's named questions (and what the build saved
for them, which equals what the questions give).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from operator import itemgetter
from typing import Any, Callable

from ecokg.graph.questions.answer import Answer
from ecokg.graph.questions.keyed import prefetch, staff
from ecokg.graph.questions.materialise import run_for_each, saved_part
from ecokg.graph.questions.paths import explain
from ecokg.graph.questions.spec import questions
from ecokg.graph.stores.base import GraphStore, StaleAnswers

PostFn = Callable[[GraphStore, Answer], Answer]
#: Weight of a piece of evidence in a ranking, by basis (Blue Book and deal data count twice).
BASIS_WEIGHT = {"bluebook": 2, "user-data": 2, "curated": 1}

POST: dict[str, PostFn] = {}


def post(name: str) -> Callable[[PostFn], PostFn]:
    """Register a post-processing function under ``name``."""

    def register(fn: PostFn) -> PostFn:
        POST[name] = fn
        return fn

    return register


def rank_links(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Group link rows by ``key`` and rank: each distinct link (``key``, how, the other side, basis,
    person) counts once, the first of its rows; each distinct piece of evidence (quote) of a group
    adds its basis's weight (:data:`BASIS_WEIGHT`) once; by score, ties by name.

    One pass over rows that are thousands (6,530 for a trend at 100,000 entities, two thirds of its
    4,530 investors with one row): the values read at once (``itemgetter``), one f-string per
    reason; a name's first row cannot repeat a link or a quote of its group, so its keys are made
    only when a second row of that name comes; the names sorted by C-level keys (by name, then
    stably by score, highest first) rather than a Python key per group."""
    other = "sector" if key == "investor" else "investor"
    values = itemgetter(key, "how", other, "basis", "quote")
    weight = BASIS_WEIGHT.get
    scores: dict[str, int] = {}
    links: dict[str, list[dict[str, Any]]] = {}
    alone: dict[str, dict[str, Any]] = {}  # name -> its first row, while it has no other
    seen: set[tuple[Any, ...]] = set()  # links of the names with two rows or more
    counted: set[tuple[str, str]] = set()  # (name, quote) of those
    for r in rows:
        name, how, side, basis, quote = values(r)
        person = r.get("person")
        found = links.get(name)
        if found is not None:
            first = alone.pop(name, None)
            if first is not None:
                name0, how0, side0, basis0, quote0 = values(first)
                seen.add((name0, how0, side0, basis0, first.get("person")))
                counted.add((name0, quote0))
            link = (name, how, side, basis, person)
            if link in seen:
                continue
            seen.add(link)
            if (name, quote) not in counted:
                counted.add((name, quote))
                scores[name] += weight(basis, 1)
        else:
            found = links[name] = []
            scores[name] = weight(basis, 1)
            alone[name] = r
        reason = f"{person}: {how} [{side}; {basis}]" if person else f"{how} [{side}; {basis}]"
        found.append({"reason": reason, "quote": quote})
    ranked = sorted(scores)
    ranked.sort(key=scores.__getitem__, reverse=True)  # stable: equal scores stay in name order
    return [{"rank": i, key: name, "score": scores[name], "links": links[name]}
            for i, name in enumerate(ranked, start=1)]


@post("rank_investors")
def rank_investors(store: GraphStore, answer: Answer) -> Answer:
    """Investors of a sector or trend, ranked, each with its current people there (for the page of
    the ranking asked for only: :func:`current_people`)."""
    answer.ranking = rank_links(answer.rows, "investor")
    ids = dict(map(itemgetter("investor", "investorId"), answer.rows))  # of a name shared: the last
    page = answer.ranking[slice(*answer.page)]
    orgs = [ids[item["investor"]] for item in page]
    people = current_people(store, orgs)
    for item, org in zip(page, orgs):
        item["people"] = list(people.get(org, ()))  # the caller's own list
    return answer


def current_people(store: GraphStore, orgs: list[str]) -> Mapping[str, list[str]]:
    """The current people of each of ``orgs`` as a ranking shows them (:func:`keyed.staff`; an
    organisation without any may be left out): those the build saved with the investors' links
    when the store has them (a look-up each: reading people-at's rows for a trend's 4,530 investors
    and formatting and sorting their people took about 40 ms at 100,000 entities on a busy host),
    else from ``people-at``, saved (one read of them all) or asked (one query per thousand
    organisations, not one per organisation)."""
    saved = saved_part(store, "investors-of", "people")
    if saved is not None:
        try:
            prefetch(saved, orgs)  # Neo4j: one read of them all
            return saved
        except StaleAnswers:  # Neo4j holds another graph now: ask it
            pass
    rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in run_for_each(store, questions()["people-at"], "ids", sorted(set(orgs)), 1000):
        rows[r["org"]].append((r["person"], r["title"], r["former"]))
    return {org: staff(found) for org, found in rows.items()}


@post("rank_sectors")
def rank_sectors(store: GraphStore, answer: Answer) -> Answer:
    """Sectors of an investor, ranked."""
    answer.ranking = rank_links(answer.rows, "sector")
    return answer


@post("rank_scores")
def rank_scores(store: GraphStore, answer: Answer) -> Answer:
    """A leaderboard: with no ``date`` only the latest month's rows are kept; the models ranked by
    the board's headline measure (总分 when the board has it, else the measure the board ranks by),
    each with the developers the sources (not curated data) name and the rank the board printed."""
    rows = answer.rows
    if not answer.params.get("date"):
        months = sorted({r["assessedIn"] for r in rows if r["assessedIn"]})
        if months:
            rows = answer.rows = [r for r in rows if r["assessedIn"] == months[-1]]
    measures = {r["measure"] for r in rows}
    ranked_by = {r["measure"] for r in rows if r["rank"] is not None}
    headline = "总分" if "总分" in measures else min(ranked_by) if ranked_by else min(measures, default=None)
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["measure"] != headline:
            continue
        item = seen.setdefault(r["model"], {"model": r["model"], "score": r["score"], "benchmark": r["benchmark"],
                                            "board": r["board"], "measure": r["measure"],
                                            "assessedIn": r["assessedIn"], "printed_rank": r["rank"],
                                            "developers": []})
        if r["developer"] and r["basis"] not in (None, "curated") and r["developer"] not in item["developers"]:
            item["developers"].append(r["developer"])
    ranked = sorted(seen.values(), key=lambda x: (-float(x["score"]), x["model"]))
    for i, item in enumerate(ranked, start=1):
        item["rank"] = i
        item["developers"].sort()
    answer.ranking = ranked
    return answer


@post("race_series")
def race_series(store: GraphStore, answer: Answer) -> Answer:
    """The race: for each month, the best total score among the rows and the model that made it."""
    best: dict[str, dict[str, Any]] = {}
    for r in answer.rows:
        cur = best.get(r["date"])
        if cur is None or (float(r["score"]), r["model"]) > (float(cur["score"]), cur["model"]):
            best[r["date"]] = {"date": r["date"], "score": r["score"], "model": r["model"], "family": r["family"],
                               "benchmark": r["benchmark"], "quote": r["quote"]}
    answer.ranking = [best[d] for d in sorted(best)]
    return answer


@post("shortest_paths")
def shortest_paths(store: GraphStore, answer: Answer) -> Answer:
    """The explained shortest connections between the entities ``a`` and ``b``."""
    return explain(store, answer)
