"""Post-processing of answers, by name: a question file's ``post:`` names one of these.

Each function takes the store and the answer with the query's rows (resolved
parameters included) and returns the finished answer. They run the same on every
store because they only use the store's named questions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

from ecokg.graph.questions.answer import Answer
from ecokg.graph.questions.materialise import run_for_each
from ecokg.graph.questions.paths import explain
from ecokg.graph.questions.spec import questions
from ecokg.graph.stores.base import GraphStore

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
    """Group link rows by ``key`` and rank: each distinct piece of evidence counts once, by its
    basis (:data:`BASIS_WEIGHT`); ties by name."""
    other = "sector" if key == "investor" else "investor"
    groups: dict[str, dict[str, Any]] = defaultdict(lambda: {"score": 0, "links": []})
    seen: set[tuple[Any, ...]] = set()
    counted: set[tuple[str, str]] = set()
    for r in rows:
        link = (r[key], r["how"], r[other], r["basis"], r.get("person"))
        if link in seen:
            continue
        seen.add(link)
        g = groups[r[key]]
        if (r[key], r["quote"]) not in counted:
            counted.add((r[key], r["quote"]))
            g["score"] += BASIS_WEIGHT.get(r["basis"], 1)
        reason = f"{r['how']} [{r[other]}; {r['basis']}]"
        if r.get("person"):
            reason = f"{r['person']}: {reason}"
        g["links"].append({"reason": reason, "quote": r["quote"]})
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1]["score"], kv[0]))
    return [{"rank": i, key: name, "score": g["score"], "links": g["links"]}
            for i, (name, g) in enumerate(ranked, start=1)]


@post("rank_investors")
def rank_investors(store: GraphStore, answer: Answer) -> Answer:
    """Investors of a sector or trend, ranked, each with its current people there (read for the
    page of the ranking asked for only; from the people of every organisation the build saved,
    when the store has them)."""
    answer.ranking = rank_links(answer.rows, "investor")
    ids = {r["investor"]: r["investorId"] for r in answer.rows}
    staff: dict[str, set[str]] = defaultdict(set)
    page = answer.ranking[slice(*answer.page)]
    wanted = sorted({ids[item["investor"]] for item in page})
    # saved: one read of them all; else one query per thousand investors, not one per investor
    for r in run_for_each(store, questions()["people-at"], "ids", wanted, 1000):
        if not r["former"]:
            staff[r["org"]].add(f"{r['person']} ({r['title']})")
    for item in page:
        item["people"] = sorted(staff[ids[item["investor"]]])
    return answer


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
