"""Asking named questions of any store: names resolved to entities, the query run, post-processed.

Resolving names, sorting rows and post-processing are shared Python, so every store
answers the same question the same way; the contract tests check it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any, Mapping, Sequence

from ecokg.graph.collector import paused
from ecokg.graph.questions.answer import Answer
from ecokg.graph.questions.materialise import answer as answer_rows
from ecokg.graph.questions.materialise import run
from ecokg.graph.questions.post import POST
from ecokg.graph.questions.spec import check_params, public_questions, questions
from ecokg.graph.questions.walk import sort_key as _sort_key
from ecokg.graph.stores.base import GraphStore
from ecokg.graph.stores.names import normalise
from ecokg.ontology.errors import QueryError
from ecokg.ontology.iris import is_ecokg_iri
from ecokg.ontology.schema import get_schema


@lru_cache(maxsize=1)
def _to_simplified() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def needle(text: str) -> str:
    """Normalise a name for matching: NFKC, Traditional to Simplified Chinese (OpenCC), lower
    case, no spaces. The graph's names are Simplified, so a Traditional query finds them.

    >>> needle("Chen Hong"), needle("ＡＢＣ"), needle("陽光保險集團")
    ('chenhong', 'abc', '阳光保险集团')
    """
    text = unicodedata.normalize("NFKC", text)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        text = _to_simplified().convert(text)
    return text.lower().replace(" ", "")


def _same(value: str, n: str) -> bool:
    """True when ``value`` normalises to the needle ``n`` (the cheap test first: a value that
    contains ``n`` is exact only when it has its length)."""
    plain = normalise(value)
    if plain == n:
        return True
    return len(plain) == len(n) and needle(value) == n


def find(store: GraphStore, text: str, classes: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The entities ``text`` may name (Chinese, pinyin, English, alias), exact matches first.

    ``classes`` keeps only entities found under those classes (the classes found by name,
    :attr:`~ecokg.ontology.schema.Schema.entity_classes`).
    """
    n = needle(text)
    if not n:
        raise QueryError("empty name")
    order = get_schema().entity_classes
    unknown = [c for c in classes if c not in order]
    if unknown:
        raise QueryError(f"entities are found under the classes {', '.join(order)}, not {', '.join(unknown)}")
    rows = store.candidates(n, list(order))
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        if classes and r["cls"] not in classes:
            continue
        exact = _same(r["value"], n)
        cur = best.get(r["id"])
        cand = {"id": r["id"], "name": r["name"], "cls": r["cls"], "matched": r["field"], "value": r["value"],
                "exact": exact}
        if cur is None or _preference(cand, order) < _preference(cur, order):
            best[r["id"]] = cand
    return sorted(best.values(), key=lambda c: (not c["exact"], order.index(c["cls"]), len(c["name"]),
                                                c["name"], c["id"]))


FIELD_ORDER = ("name", "alias", "nameEn", "pinyin", "initials")


def _preference(cand: dict[str, Any], order: Sequence[str]) -> tuple[Any, ...]:
    """Which of an entity's matches to show, the same on every store whatever the row order:
    an exact match first, then the most specific class, the name before an alias, the shortest value."""
    field = cand["matched"]
    return (not cand["exact"], order.index(cand["cls"]) if cand["cls"] in order else len(order),
            FIELD_ORDER.index(field) if field in FIELD_ORDER else len(FIELD_ORDER), len(cand["value"]), cand["value"])


def resolve(store: GraphStore, text: str, classes: Sequence[str] = ()) -> dict[str, Any]:
    """The one entity ``text`` names; :class:`QueryError` listing candidates when unclear.

    ``Class:Name`` (``Trend:AIGC``) picks the class when a name is shared.
    """
    if is_ecokg_iri(text):
        return {"id": text, "name": text, "cls": None, "matched": "id", "exact": True}
    prefix, _, rest = text.partition(":")
    if rest and prefix in get_schema().classes:
        classes = (prefix,)
        text = rest
    cands = find(store, text, classes)
    exact = [c for c in cands if c["exact"]]
    pick = exact or cands
    if len({c["id"] for c in pick}) == 1:
        return pick[0]
    if exact and classes and len({c["cls"] for c in exact}) == len(exact):
        # one exact match per class: the question's first class wins (investors-of: Sector before Trend)
        return sorted(exact, key=lambda c: classes.index(c["cls"]) if c["cls"] in classes else 99)[0]
    kinds = "/".join(classes) if classes else "entity"
    if not cands:
        raise QueryError(f"no {kinds} matches {text!r}; try `ecokg find {text}`")
    listing = "; ".join(f"{c['name']} ({c['cls']})" for c in pick[:10])
    raise QueryError(f"{text!r} matches several of {kinds}: {listing}. Name one of them exactly.")


def _default_from(store: GraphStore, name: str, params: Mapping[str, Any], default: str) -> str:
    """The value the internal question ``name`` gives (its first row's first column), asked with
    the parameters it shares with the question; ``default`` when it gives none."""
    helper = questions()[name]
    rows = run(store, helper, {p.name: params[p.name] for p in helper.params if p.name in params})
    value = next(iter(rows[0].values()), None) if rows else None
    return default if value is None else str(value)


def ask(store: GraphStore, name: str, args: Mapping[str, Any] | Sequence[Any] | None = None, *,
        limit: int | None = None, offset: int = 0) -> Answer:
    """Answer the question ``name``; ``args`` by parameter name, or in the question's order.

    Entity parameters are resolved from text first, then bound as parameters.

    ``limit``/``offset`` ask for one page: a question without post-processing passes them to the
    store (``LIMIT``/``OFFSET``, ``SKIP``/``LIMIT``), so a large answer is never materialised and
    the page comes in the store's own order (stable for one graph, and not sorted: a sorted page
    would need the whole answer); a ranking or a path is computed whole and then cut.

    The cycle collector is paused meanwhile (:mod:`ecokg.graph.collector`): an answer is
    thousands of rows without cycles, and a full collection set off while they are made walks
    every object of the process, the indexes and saved answers of a large graph included (at
    100,000 entities investors-of took 65 ms, and 350 ms one time in twenty).
    """
    with paused():
        return _ask(store, name, args, limit=limit, offset=offset)


def _ask(store: GraphStore, name: str, args: Mapping[str, Any] | Sequence[Any] | None, *, limit: int | None,
         offset: int) -> Answer:
    if limit is not None and limit < 0 or offset < 0:
        raise QueryError("--limit and --offset take numbers from 0")
    qs = public_questions()
    if name not in qs:
        raise QueryError(f"no question named {name!r}; the questions are: {', '.join(qs)}")
    q = qs[name]
    if args is None:
        args = {}
    if not isinstance(args, Mapping):
        required = [p for p in q.params if not p.optional]
        if not len(required) <= len(args) <= len(q.params):
            want = " ".join(p.name.upper() for p in required) or "no arguments"
            raise QueryError(f"{name} takes {want}")
        args = dict(zip((p.name for p in q.params), args))
    check_params(q, args)
    args = {**{p.name: p.default for p in q.params if p.optional}, **args}
    params: dict[str, Any] = {}
    resolved: dict[str, dict[str, Any]] = {}
    for p in q.params:
        if p.type == "entity":
            ent = resolve(store, str(args[p.name]), p.classes)
            resolved[p.name] = ent
            params[p.name] = ent["id"]
        elif p.type == "integer":
            params[p.name] = int(args[p.name])
        else:
            params[p.name] = args[p.name]
    for p in q.params:
        if p.default_from is not None and params.get(p.name) == p.default:
            params[p.name] = _default_from(store, p.default_from, params, p.default or "")
    paged = limit is not None or offset > 0
    if paged and not q.post:
        rows = run(store, q, params, limit=limit, offset=offset)
    else:
        rows, saved = answer_rows(store, q, params) if q.sparql or q.cypher else ([], False)
        if not saved:  # saved answers are kept in this order already
            rows.sort(key=_sort_key)
    answer = Answer(name, store.kind, params, rows, resolved)
    if q.post:
        if q.post not in POST:
            raise QueryError(f"{name}: no post-processing function named {q.post!r}")
        end = None if limit is None else offset + limit
        answer.page = (offset, end)
        answer = POST[q.post](store, answer)
        if paged:
            answer.rows = answer.rows[offset:end]
            answer.ranking = answer.ranking[offset:end]
    return answer
