"""Shortest connections between two entities, found and explained through any store.

A store with a path search of its own gives every shortest path (Neo4j: ``allShortestPaths``
over the edges of the ``neighbours`` question); otherwise a breadth-first search from both ends
whose step is the store's ``neighbours`` (the embedded store answers from an adjacency index
built once) finds them. Either way the strongest are chosen here, the same way, and the
explanation names each node (the ``nodes`` question) and quotes the evidence of each fact on the
way (``edge-evidence``); the contract tests check both stores give the same answer.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ecokg.graph.questions.answer import Answer
from ecokg.graph.questions.spec import questions
from ecokg.graph.stores.base import GraphStore, Step
from ecokg.ontology.schema import get_schema
from ecokg.ontology.terms import P, T

MAX_PATH = 8
MAX_PATHS = 10
#: Shortest paths gathered before the strongest are chosen: the same on every store as long as a
#: pair has no more than this many (the order beyond it is the store's own).
CAP = 5_000
#: Relations that mostly rest on curated knowledge and make wide hubs (sectors): paths
#: using fewer of them are shown first.
WEAK_RELATIONS = (T.IN_SECTOR, T.INVESTMENT_FOCUS, T.PARENT_ORGANISATION, T.BROADER_SECTOR)


_FLIP = {"out": "in", "in": "out"}


def shortest_paths(store: GraphStore, a: str, b: str, max_len: int = MAX_PATH,
                   limit: int = MAX_PATHS) -> list[list[Step]]:
    """All shortest paths between ``a`` and ``b`` (up to ``limit``), as lists of steps
    ``(from, relation, to, direction)``, strongest first.

    A breadth-first search from both ends, one level at a time on the side with the smaller
    frontier, so a hub (a sector with thousands of companies) is only opened when no cheaper
    side is left. The first level at which the two searches meet fixes the length; every
    shortest path crosses that level at a node both searches reached, so joining the paths
    from ``a`` to those nodes with the paths from them to ``b`` gives every shortest path.
    """
    if a == b:
        return []
    native = store.shortest_paths(a, b, max_len, CAP)  # Neo4j's own search; None: the one below
    paths = _search(store, a, b, max_len) if native is None else native
    # strongest first: fewer steps through curated sector/ownership facts, then a fixed order
    paths.sort(key=lambda p: (sum(s[1] in WEAK_RELATIONS for s in p), [(s[0], s[1], s[2]) for s in p]))
    return paths[:limit]


def _search(store: GraphStore, a: str, b: str, max_len: int) -> list[list[Step]]:
    """Every shortest path (up to :data:`CAP`) by the two-ended search over ``store.neighbours``."""
    ends = (a, b)
    dist: tuple[dict[str, int], dict[str, int]] = ({a: 0}, {b: 0})
    # node -> {(previous node, relation, direction of the step previous -> node)}, per side
    preds: tuple[dict[str, set[tuple[str, str, str]]], ...] = (defaultdict(set), defaultdict(set))
    frontier = [{a}, {b}]
    level = [0, 0]
    meet: set[str] = set()
    side = 0
    while level[0] + level[1] < max_len and frontier[0] and frontier[1]:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        depth = level[side] + 1
        here_set, seen, back = frontier[side], dist[side], preds[side]
        nxt: set[str] = set()
        for s, rel, t in store.neighbours(sorted(here_set)):
            for here, there, direction in ((s, t, "out"), (t, s, "in")):
                if here not in here_set or there == here:
                    continue
                if there not in seen:
                    seen[there] = depth
                    nxt.add(there)
                if seen[there] == depth:
                    back[there].add((here, rel, direction))
        level[side] = depth
        frontier[side] = nxt
        meet = nxt & dist[1 - side].keys()
        if meet:
            break
    if not meet:
        return []
    other = dist[1 - side]
    length = level[side] + min(other[m] for m in meet)
    crossing = sorted(m for m in meet if level[side] + other[m] == length)
    cap = CAP

    def halves(k: int, node: str) -> list[list[Step]]:
        """The shortest step lists between end ``k`` and ``node``, in the direction a -> b."""
        if node == ends[k]:
            return [[]]
        out: list[list[Step]] = []
        for prev, rel, direction in sorted(preds[k][node]):
            for part in halves(k, prev):
                if k == 0:
                    out.append(part + [(prev, rel, node, direction)])
                else:
                    out.append([(node, rel, prev, _FLIP[direction])] + part)
                if len(out) >= cap:
                    return out
        return out

    paths: list[list[Step]] = []
    for m in crossing:
        for head in halves(0, m):
            for tail in halves(1, m):
                paths.append(head + tail)
                if len(paths) >= cap:
                    break
            if len(paths) >= cap:
                break
    return paths


def _stored(step: Step) -> tuple[str, str, str]:
    """The edge of a step as it is stored (source, type, target)."""
    s, rel, t, direction = step
    return (s, rel, t) if direction == "out" else (t, rel, s)


def explain(store: GraphStore, answer: Answer) -> Answer:
    """Fill ``answer`` with the shortest paths between its ``a`` and ``b``, each step explained."""
    paths = shortest_paths(store, answer.params["a"], answer.params["b"])
    schema = get_schema()
    ids = sorted({n for p in paths for s in p for n in (s[0], s[2])})
    labels: dict[str, str] = {}
    quotes: dict[str, str] = {}
    classes: dict[str, list[str]] = defaultdict(list)
    if ids:
        for r in store.run_question(questions()["nodes"], {"ids": ids}):
            labels[r["id"]] = r["label"]
            classes[r["id"]].append(r["cls"])
            if r["quote"]:
                quotes[r["id"]] = r["quote"]

    def cls_of(i: str) -> str:
        specific = schema.most_specific(classes[i])
        return specific[0] if specific else "?"

    for i in ids:
        labels[i] = labels.get(i) or cls_of(i)
    evidenced = {schema.rel_type(p) for p in schema.object_properties if schema.is_evidenced(p)}
    facts: dict[tuple[str, str, str], str] = {}
    triples = sorted({_stored(step) for p in paths for step in p if step[1] in evidenced})
    if triples:
        for r in store.run_question(questions()["edge-evidence"], {"triples": [list(x) for x in triples]}):
            key = (r["s"], r["relation"], r["t"])
            text = f"{r['quote']} [{r['basis']}]"
            facts[key] = min(facts.get(key, text), text)
    holds = schema.rel_type(P.holds)
    rows: list[dict[str, Any]] = []
    lines = []
    for n, p in enumerate(paths, start=1):
        parts = [f"{labels.get(p[0][0], p[0][0])} ({cls_of(p[0][0])})"]
        for k, step in enumerate(p, start=1):
            s, rel, t, direction = step
            fact = facts.get(_stored(step))
            rows.append({"path": n, "step": k, "source": labels.get(s, s), "relation": rel,
                         "target": labels.get(t, t), "evidence": fact or quotes.get(t if rel == holds else s)})
            label = f"{rel} «{fact}»" if fact else rel
            arrow = f"-[{label}]->" if direction == "out" else f"<-[{label}]-"
            said = f" «{quotes[t]}»" if t in quotes else ""
            parts.append(f"{arrow} {labels.get(t, t)} ({cls_of(t)}{said})")
        lines.append(f"{n}. " + " ".join(parts))
    answer.rows = rows
    answer.explanation = lines or [f"no connection of at most {MAX_PATH} steps"]
    return answer
