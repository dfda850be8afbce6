"""Shortest connections between two entities, found and explained through any store.

The search is a breadth-first search from both ends whose step is the ``neighbours``
question, so it runs the same on every store; the explanation names each node (the
``nodes`` question) and quotes the evidence of each fact on the way (``edge-evidence``).
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

from ecokg.graph.questions.answer import Answer
from ecokg.graph.questions.spec import questions
from ecokg.graph.stores.base import GraphStore
from ecokg.ontology.schema import get_schema
from ecokg.ontology.terms import P, T

MAX_PATH = 8
MAX_PATHS = 10
#: Relations that mostly rest on curated knowledge and make wide hubs (sectors): paths
#: using fewer of them are shown first.
WEAK_RELATIONS = (T.IN_SECTOR, T.INVESTMENT_FOCUS, T.PARENT_ORGANISATION, T.BROADER_SECTOR)
Step = tuple[str, str, str, str]  # (from, relationship type, to, "out" | "in")


def _neighbours(store: GraphStore, ids: list[str]) -> list[tuple[str, str, str]]:
    q = questions()["neighbours"]
    out: list[tuple[str, str, str]] = []
    for i in range(0, len(ids), 500):
        out.extend((r["source"], r["relation"], r["target"]) for r in store.run_question(q, {"ids": ids[i:i + 500]}))
    return out


def shortest_paths(store: GraphStore, a: str, b: str, max_len: int = MAX_PATH,
                   limit: int = MAX_PATHS) -> list[list[Step]]:
    """All shortest paths between ``a`` and ``b`` (up to ``limit``), as lists of steps
    ``(from, relation, to, direction)``, strongest first."""
    if a == b:
        return []
    dist = {a: 0}
    preds: dict[str, set[tuple[str, str, str]]] = defaultdict(set)  # node -> {(prev, rel, dir)}
    frontier = {a}
    found = False
    for depth in range(1, max_len + 1):
        nxt: set[str] = set()
        for s, rel, t in _neighbours(store, sorted(frontier)):
            for here, there, direction in ((s, t, "out"), (t, s, "in")):
                if here not in frontier or there == here:
                    continue
                if there not in dist:
                    dist[there] = depth
                    nxt.add(there)
                if dist[there] == depth:
                    preds[there].add((here, rel, direction))
        if b in dist:
            found = True
            break
        if not nxt:
            break
        frontier = nxt
    if not found:
        return []
    paths: list[list[Step]] = []
    stack: deque[tuple[str, list[Step]]] = deque([(b, [])])
    while stack and len(paths) < limit * 50:
        node, tail = stack.pop()
        if node == a:
            paths.append(tail)
            continue
        for prev, rel, direction in sorted(preds[node]):
            stack.append((prev, [(prev, rel, node, direction)] + tail))
    # strongest first: fewer steps through curated sector/ownership facts, then a fixed order
    paths.sort(key=lambda p: (sum(s[1] in WEAK_RELATIONS for s in p), [(s[0], s[1], s[2]) for s in p]))
    return paths[:limit]


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
