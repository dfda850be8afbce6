"""The named questions: each written once in SPARQL and once in Cypher (``graph/queries/``),
run on either backend, with the same answer.

A :class:`Backend` runs one question's query with parameters; everything else here
(resolving names to entities, ranking, the shortest-path search) is shared Python,
so both backends give the same answer by construction and the contract tests
(tests/test_questions.py) check it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping, Protocol

import yaml

from ecokg.errors import QueryError
from ecokg.ontology import ID_NS
from ecokg.ontology.schema import get_schema

IRI_RE = re.compile(r"^" + re.escape(ID_NS) + r"[A-Za-z0-9._/\-]+$")
ENTITY_CLASSES = ("Person", "Organisation", "AIModel", "Trend", "Sector", "ExpertGroup")
MAX_PATH = 8
MAX_PATHS = 10
INTERNAL = ("find", "neighbours", "nodes", "edge-evidence")
# relations that mostly rest on curated knowledge and make wide hubs (sectors): paths using
# fewer of them are shown first
WEAK_RELATIONS = ("IN_SECTOR", "INVESTMENT_FOCUS", "PARENT_ORGANISATION", "BROADER_SECTOR")  # building blocks, not questions users ask


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # entity | text | ids
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    name: str
    summary: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    sparql: str
    cypher: str
    post: str | None = None


@lru_cache(maxsize=1)
def questions() -> dict[str, Question]:
    """Every question of ``graph/queries/questions.yaml`` with its two query texts."""
    folder = resources.files("ecokg.graph").joinpath("queries")
    meta = yaml.safe_load(folder.joinpath("questions.yaml").read_text(encoding="utf-8"))
    out = {}
    for q in meta:
        params = tuple(Param(p["name"], p["kind"], tuple(p.get("classes") or ())) for p in q.get("params") or [])
        out[q["name"]] = Question(
            name=q["name"], summary=q["summary"], params=params, columns=tuple(q["columns"]),
            sparql=folder.joinpath(f"{q.get('query', q['name'])}.rq").read_text(encoding="utf-8"),
            cypher=folder.joinpath(f"{q.get('query', q['name'])}.cypher").read_text(encoding="utf-8"),
            post=q.get("post"))
    return out


# -- backends -----------------------------------------------------------------

class Backend(Protocol):
    name: str

    def run(self, q: Question, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run ``q`` with ``params``; return rows restricted to ``q.columns``."""


def _ids_values(ids: list[str]) -> str:
    for i in ids:
        if not IRI_RE.match(i):
            raise QueryError(f"not an ecokg identifier: {i!r}")
    return " ".join(f"<{i}>" for i in ids)


def _triples_values(triples: list[list[str]]) -> str:
    """``(<s> eco:prop <t>)`` rows for VALUES: IRIs validated, relationship types mapped back to
    the ontology's properties (so nothing but known terms reaches the query text)."""
    schema = get_schema()
    by_type = {schema.rel_type(p): p for p in schema.object_properties}
    rows = []
    for s, rel, t in triples:
        if rel not in by_type:
            raise QueryError(f"not a relationship type of the ontology: {rel!r}")
        rows.append(f"(<{_ids_values([s])[1:-1]}> eco:{by_type[rel]} <{_ids_values([t])[1:-1]}>)")
    return " ".join(rows)


def _project(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{c: r.get(c) for c in columns} for r in rows]


@dataclass
class RdfBackend:
    """The embedded pyoxigraph store (``ecokg build``)."""

    store: Any
    name: str = "rdf"

    def run(self, q: Question, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        from ecokg.graph.store import sparql

        text = q.sparql
        bound = dict(params)
        if "ids" in bound:
            # a list of our own validated IRIs: SPARQL has no list parameters, so VALUES is
            # filled with IRIs that match IRI_RE (never free text)
            text = text.replace("$IDS", _ids_values(list(bound.pop("ids"))))
        if "triples" in bound:
            text = text.replace("$TRIPLES", _triples_values(list(bound.pop("triples"))))
        rows = sparql(self.store, text, bound)
        if q.name in ("neighbours", "edge-evidence"):
            schema = get_schema()
            for r in rows:
                r["relation"] = schema.rel_type(r["relation"])
        return _project(rows, q.columns)


@dataclass
class Neo4jBackend:
    """A Neo4j database loaded with ``ecokg load neo4j``; queries run in read sessions."""

    driver: Any
    database: str = "neo4j"
    name: str = "neo4j"

    def run(self, q: Question, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        from ecokg.graph.neo4j_store import run_cypher

        return _project(run_cypher(self.driver, self.database, q.cypher, params), q.columns)


# -- finding entities -----------------------------------------------------------

def needle(text: str) -> str:
    """Normalise a name for matching: NFKC, lower case, no spaces.

    >>> needle("Chen Hong"), needle("ＡＢＣ")
    ('chenhong', 'abc')
    """
    return unicodedata.normalize("NFKC", text).lower().replace(" ", "")


def find(backend: Backend, text: str, classes: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Candidates for ``text`` (Chinese, pinyin or English), exact matches first."""
    n = needle(text)
    if not n:
        raise QueryError("empty name")
    rows = backend.run(questions()["find"], {"needle": n})
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        if classes and r["cls"] not in classes:
            continue
        exact = needle(r["value"]) == n
        cur = best.get(r["id"])
        cand = {"id": r["id"], "name": r["name"], "cls": r["cls"], "matched": r["field"], "value": r["value"],
                "exact": exact}
        if cur is None or (exact and not cur["exact"]):
            best[r["id"]] = cand
    cls_rank = {c: i for i, c in enumerate(ENTITY_CLASSES)}
    return sorted(best.values(), key=lambda c: (not c["exact"], cls_rank.get(c["cls"], 99), len(c["name"]),
                                                c["name"], c["id"]))


def resolve(backend: Backend, text: str, classes: tuple[str, ...] = ()) -> dict[str, Any]:
    """The one entity ``text`` names; :class:`QueryError` listing candidates when unclear."""
    if IRI_RE.match(text):
        return {"id": text, "name": text, "cls": None, "matched": "id", "exact": True}
    prefix, _, rest = text.partition(":")
    if rest and prefix in get_schema().classes:
        # "Trend:AIGC" picks the class when a name is shared
        classes = (prefix,)
        text = rest
    cands = find(backend, text, classes)
    exact = [c for c in cands if c["exact"]]
    pick = exact if exact else cands
    ids = {c["id"] for c in pick}
    if len(ids) == 1:
        return pick[0]
    if exact and classes and len({c["cls"] for c in exact}) == len(exact):
        # one exact match per class: the question's first class wins (investors-of: Sector before Trend)
        return sorted(exact, key=lambda c: classes.index(c["cls"]) if c["cls"] in classes else 99)[0]
    kinds = "/".join(classes) if classes else "entity"
    if not cands:
        raise QueryError(f"no {kinds} matches {text!r}; try `ecokg find {text}`")
    listing = "; ".join(f"{c['name']} ({c['cls']})" for c in pick[:10])
    raise QueryError(f"{text!r} matches several of {kinds}: {listing}. Name one of them exactly.")


# -- answers --------------------------------------------------------------------

@dataclass
class Answer:
    question: str
    backend: str
    params: dict[str, Any]
    rows: list[dict[str, Any]]
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    ranking: list[dict[str, Any]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = {"question": self.question, "backend": self.backend, "resolved": self.resolved, "rows": self.rows}
        if self.ranking:
            d["ranking"] = self.ranking
        if self.explanation:
            d["explanation"] = self.explanation
        return d


def _sort_key(row: dict[str, Any]) -> tuple:
    return tuple((v is None, str(v)) for v in row.values())


def ask(backend: Backend, name: str, args: Mapping[str, str] | None = None) -> Answer:
    """Answer the question ``name`` with ``args`` (entity names are resolved first)."""
    qs = questions()
    if name not in qs or name in INTERNAL:
        public = ", ".join(n for n in qs if n not in INTERNAL)
        raise QueryError(f"no question named {name!r}; the questions are: {public}")
    q = qs[name]
    args = dict(args or {})
    missing = [p.name for p in q.params if p.name not in args]
    if missing:
        raise QueryError(f"{name} needs {', '.join(missing)}")
    extra = set(args) - {p.name for p in q.params}
    if extra:
        raise QueryError(f"{name} takes no {', '.join(sorted(extra))}")
    params: dict[str, Any] = {}
    resolved: dict[str, dict[str, Any]] = {}
    for p in q.params:
        if p.kind == "entity":
            ent = resolve(backend, str(args[p.name]), p.classes)
            resolved[p.name] = ent
            params[p.name] = ent["id"]
        else:
            params[p.name] = args[p.name]
    if q.post == "shortest_paths":
        return _connection(backend, params, resolved)
    rows = sorted(backend.run(q, params), key=_sort_key)
    answer = Answer(name, backend.name, params, rows, resolved)
    if q.post in ("rank_investors", "rank_sectors"):
        key = "investor" if q.post == "rank_investors" else "sector"
        answer.ranking = rank_links(rows, key)
        if q.post == "rank_investors":
            people = qs["people-of"]
            ids = {r["investor"]: r["investorId"] for r in rows}
            for item in answer.ranking:
                staff = backend.run(people, {"org": ids[item["investor"]]})
                item["people"] = sorted({f"{r['person']} ({r['title']})" for r in staff if not r["former"]})
    elif q.post == "rank_scores":
        seen: dict[str, dict[str, Any]] = {}
        for r in rows:
            item = seen.setdefault(r["model"], {"model": r["model"], "score": r["score"], "benchmark": r["benchmark"],
                                                "assessedIn": r["assessedIn"], "developers": []})
            if r["developer"] and r["basis"] == "bluebook" and r["developer"] not in item["developers"]:
                item["developers"].append(r["developer"])
        ranked = sorted(seen.values(), key=lambda x: (-float(x["score"]), x["model"]))
        for i, item in enumerate(ranked, start=1):
            item["rank"] = i
            item["developers"].sort()
        answer.ranking = ranked
    return answer


BASIS_WEIGHT = {"bluebook": 2, "user-data": 2, "curated": 1}


def rank_links(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Group link rows by ``key`` and rank: each distinct link counts by its basis
    (Blue Book and deal data 2, curated knowledge 1); ties by name."""
    groups: dict[str, dict[str, Any]] = defaultdict(lambda: {"score": 0, "links": []})
    seen: set[tuple] = set()
    counted: set[tuple[str, str]] = set()
    for r in rows:
        link = (r[key], r["how"], r["sector"] if key == "investor" else r["investor"], r["basis"], r.get("person"))
        if link in seen:
            continue
        seen.add(link)
        g = groups[r[key]]
        if (r[key], r["quote"]) not in counted:  # one piece of evidence counts once
            counted.add((r[key], r["quote"]))
            g["score"] += BASIS_WEIGHT.get(r["basis"], 1)
        reason = f"{r['how']} [{r['sector'] if key == 'investor' else r['investor']}; {r['basis']}]"
        if r.get("person"):
            reason = f"{r['person']}: {reason}"
        g["links"].append({"reason": reason, "quote": r["quote"]})
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1]["score"], kv[0]))
    return [{"rank": i, key: name, "score": g["score"], "links": g["links"]} for i, (name, g) in
            enumerate(ranked, start=1)]


# -- shortest connections -----------------------------------------------------------

def _neighbours(backend: Backend, ids: list[str]) -> list[tuple[str, str, str]]:
    q = questions()["neighbours"]
    out: list[tuple[str, str, str]] = []
    for i in range(0, len(ids), 500):
        out.extend((r["source"], r["relation"], r["target"]) for r in backend.run(q, {"ids": ids[i:i + 500]}))
    return out


def shortest_paths(backend: Backend, a: str, b: str, max_len: int = MAX_PATH,
                   limit: int = MAX_PATHS) -> list[list[tuple[str, str, str, str]]]:
    """All shortest paths between ``a`` and ``b`` (up to ``limit``), as lists of steps
    ``(from, relation, to, direction)``; the search expands from both ends, one hop at a time."""
    if a == b:
        return []
    dist = {a: 0}
    preds: dict[str, set[tuple[str, str, str]]] = defaultdict(set)  # node -> {(prev, rel, dir)}
    frontier = {a}
    found_at = None
    for depth in range(1, max_len + 1):
        nxt: set[str] = set()
        for s, rel, t in _neighbours(backend, sorted(frontier)):
            for here, there, direction in ((s, t, "out"), (t, s, "in")):
                if here not in frontier or there == here:
                    continue
                if there not in dist:
                    dist[there] = depth
                    nxt.add(there)
                if dist[there] == depth:
                    preds[there].add((here, rel, direction))
        if b in dist:
            found_at = depth
            break
        if not nxt:
            break
        frontier = nxt
    if found_at is None:
        return []
    paths: list[list[tuple[str, str, str, str]]] = []
    stack: deque[tuple[str, list[tuple[str, str, str, str]]]] = deque([(b, [])])
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


def _connection(backend: Backend, params: dict[str, Any], resolved: dict[str, dict[str, Any]]) -> Answer:
    paths = shortest_paths(backend, params["a"], params["b"])
    ids = sorted({n for p in paths for s in p for n in (s[0], s[2])})
    labels: dict[str, str] = {}
    quotes: dict[str, str] = {}
    classes: dict[str, list[str]] = defaultdict(list)
    if ids:
        for r in backend.run(questions()["nodes"], {"ids": ids}):
            labels[r["id"]] = r["label"]
            classes[r["id"]].append(r["cls"])
            if r["quote"]:
                quotes[r["id"]] = r["quote"]
    schema = get_schema()

    def cls_of(i: str) -> str:
        specific = schema.most_specific(classes[i])
        return specific[0] if specific else "?"

    for i in ids:
        if not labels.get(i):
            labels[i] = cls_of(i)
    facts: dict[tuple[str, str, str], str] = {}
    evidenced = {schema.rel_type(p) for p in schema.object_properties if schema.is_evidenced(p)}
    def real(s: str, rel: str, t: str, direction: str) -> tuple[str, str, str]:
        return (s, rel, t) if direction == "out" else (t, rel, s)  # the edge as stored

    triples = sorted({real(*step) for p in paths for step in p if step[1] in evidenced})
    if triples:
        for r in backend.run(questions()["edge-evidence"], {"triples": [list(x) for x in triples]}):
            key = (r["s"], r["relation"], r["t"])
            facts[key] = min(facts.get(key, f"{r['quote']} [{r['basis']}]"), f"{r['quote']} [{r['basis']}]")
    rows, text = [], []
    for n, p in enumerate(paths, start=1):
        parts = [f"{labels.get(p[0][0], p[0][0])} ({cls_of(p[0][0])})"]
        for k, (s, rel, t, direction) in enumerate(p, start=1):
            fact = facts.get(real(s, rel, t, direction))
            evidence = fact or quotes.get(t if rel == "HOLDS" else s)
            rows.append({"path": n, "step": k, "source": labels.get(s, s), "relation": rel, "target": labels.get(t, t),
                         "evidence": evidence})
            label = f"{rel} «{fact}»" if fact else rel
            arrow = f"-[{label}]->" if direction == "out" else f"<-[{label}]-"
            said = f" «{quotes[t]}»" if t in quotes else ""
            parts.append(f"{arrow} {labels.get(t, t)} ({cls_of(t)}{said})")
        text.append(f"{n}. " + " ".join(parts))
    ans = Answer("connection", backend.name, params, rows, resolved, explanation=text)
    if not paths:
        ans.explanation = [f"no connection of at most {MAX_PATH} steps"]
    return ans
