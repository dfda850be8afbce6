"""The explorer's routes: search, entity pages with evidence, the graph panel's JSON, paths, the
named questions as forms, and the source text around a quote. Read-only (GET only).

Every store call runs in a worker thread under a time limit (:attr:`Explorer.timeout`: the page
answers 503 when it passes) and a row limit (:attr:`Explorer.max_rows` rows per answer, capped
neighbourhoods and fact groups); errors become a clear error page, never a stack trace.
"""

from __future__ import annotations

import csv
import io
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar
from urllib.parse import urlencode

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ecokg.explorer.reads import MAX_PER_GROUP, Reader, entity_iri, entity_key, neighbourhood, path_steps, plain
from ecokg.explorer.render import HEADERS, entity_url, error_page, json_response, page
from ecokg.explorer.sources import SourceFiles, known_files
from ecokg.graph.questions import public_questions, resolve, shortest_paths
from ecokg.ontology.errors import EcoKGError, QueryError
from ecokg.ontology.schema import get_schema

if TYPE_CHECKING:
    from ecokg.facade import EcoKG

T = TypeVar("T")
STATIC = Path(__file__).parent / "static"
#: Suggestions per type-ahead request, results per search page, neighbours per graph request.
SUGGESTIONS = 10
SEARCH_RESULTS = 50
NEIGHBOURS = 30
MAX_NEIGHBOURS = 200
#: Store calls running at once (each in a thread); more wait.
CONCURRENT = 8


class Timeout(EcoKGError):
    """A page's store calls passed the explorer's time limit."""


class Explorer:
    """The explorer over one open graph.

    Args:
        open_graph: opens the graph (called again when a build switched ``OUT/current``).
        out_dir: the build folder (its ``summary.json`` names the source files), if any.
        timeout: seconds a page's store calls may take (503 after).
        max_rows: most rows of an answer shown.
        generation: returns the current generation id (the endpoint's check), to follow builds.
    """

    def __init__(self, open_graph: Callable[[], EcoKG], *, out_dir: Path | None = None, timeout: float = 10.0,
                 max_rows: int = 500, generation: Callable[[], str | None] | None = None,
                 log: Callable[[str], None] | None = None) -> None:
        self._open = open_graph
        self.kg = open_graph()
        self.reader = Reader(self.kg.store)
        self.out_dir = out_dir
        self.timeout = timeout
        self.max_rows = max_rows
        self._generation = generation
        self._seen = generation() if generation is not None else None
        self._lock = threading.Lock()
        self._retired: EcoKG | None = None
        self.sources = SourceFiles(known_files(out_dir))
        self.limiter = anyio.CapacityLimiter(CONCURRENT)
        self.log = log or (lambda m: print(m, file=sys.stderr, flush=True))

    def warm(self) -> None:
        """Read what the first requests would (the name index, the adjacency index) now."""
        self.kg.find("a")
        adjacency = getattr(self.kg.store, "adjacency", None)
        if callable(adjacency):
            adjacency()

    def close(self) -> None:
        if self._retired is not None:
            self._retired.close()
        self.kg.close()

    def follow(self) -> None:
        """Reopen the graph when a build switched to a new generation."""
        if self._generation is None:
            return
        now = self._generation()
        if now is None or now == self._seen:
            return
        with self._lock:
            if now != self._seen:
                if self._retired is not None:  # closed one switch later: no request still reads it
                    self._retired.close()
                self._retired = self.kg
                self.kg = self._open()
                self.reader = Reader(self.kg.store)
                self._seen = now
                self.log(f"ecokg explorer: now reading generation {now}")

    async def run(self, fn: Callable[[], T]) -> T:
        """``fn`` in a worker thread, abandoned (and the page answered 503) after :attr:`timeout` s."""
        with anyio.move_on_after(self.timeout) as scope:
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True, limiter=self.limiter)
        if scope.cancelled_caught:
            raise Timeout(f"the answer took longer than {self.timeout:g} s: ask a narrower question")
        raise Timeout("the answer was not computed")  # pragma: no cover

    # -- the routes -------------------------------------------------------------------------------------
    def routes(self) -> list[BaseRoute]:
        """The explorer's routes (mounted beside the SPARQL endpoint's)."""
        h = self._handler
        return [
            Route("/explore", h(self.home)),
            Route("/search", h(self.search)),
            Route("/api/search", h(self.api_search)),
            Route("/go", h(self.go)),
            Route("/entity/{key:path}", h(self.entity)),
            Route("/api/entity/{key:path}", h(self.api_entity)),
            Route("/api/neighbours/{key:path}", h(self.api_neighbours)),
            Route("/path", h(self.path)),
            Route("/api/path", h(self.api_path)),
            Route("/questions", h(self.questions)),
            Route("/questions/{name}/query", h(self.question_query)),
            Route("/questions/{name}", h(self.question)),
            Route("/evidence/{key:path}", h(self.evidence)),
            Route("/static/{file}", h(self.static)),
        ]

    def _handler(self, fn: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def handle(request: Request) -> Response:
            api = request.url.path.startswith("/api/")
            try:
                self.follow()
                response: Response = await fn(request)
                return response
            except Timeout as e:
                return json_response({"error": str(e)}, 503) if api else error_page(503, str(e))
            except QueryError as e:
                return json_response({"error": str(e)}, 400) if api else error_page(400, str(e))
            except EcoKGError as e:
                return json_response({"error": str(e)}, 500) if api else error_page(500, str(e))
            except Exception as e:  # noqa: BLE001 - a page never shows a stack trace
                self.log(f"ecokg explorer: {request.url.path}: {type(e).__name__}: {e}")
                msg = "the explorer could not answer this request (the server log says why)"
                return json_response({"error": msg}, 500) if api else error_page(500, msg)
        handle.__name__ = getattr(fn, "__name__", "handle")
        return handle

    # -- search ---------------------------------------------------------------------------------------
    def _find(self, q: str, classes: list[str], limit: int) -> list[dict[str, Any]]:
        q = q.strip()[:200]
        if not q:
            return []
        schema = get_schema()
        classes = [c for c in classes if c in schema.entity_classes]
        found = self.kg.find(q, classes)[:limit]
        return [{"id": c["id"], "key": entity_key(c["id"]), "url": entity_url(c["id"]), "name": c["name"],
                 "cls": c["cls"], "colour": schema.colour(c["cls"]) or "#888888", "matched": c["matched"],
                 "value": c["value"], "exact": c["exact"]} for c in found]

    async def home(self, request: Request) -> Response:
        return page("home.html", title="ecokg explorer", questions=public_questions(), store=self.kg.store.describe(),
                    classes=get_schema().entity_classes)

    async def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "")
        cls = request.query_params.get("cls", "")
        results = await self.run(lambda: self._find(q, [cls] if cls else [], SEARCH_RESULTS)) if q.strip() else []
        if len(results) == 1 and request.query_params.get("go"):
            return RedirectResponse(results[0]["url"], 303, headers=HEADERS)
        return page("search.html", title=f"Search: {q}" if q else "Search", q=q, results=results,
                    cls=cls, classes=get_schema().entity_classes, limit=SEARCH_RESULTS)

    async def api_search(self, request: Request) -> Response:
        q = request.query_params.get("q", "")
        classes = [c for c in request.query_params.get("classes", "").split(",") if c]
        results = await self.run(lambda: self._find(q, classes, SUGGESTIONS))
        return json_response({"q": q, "results": results})

    async def go(self, request: Request) -> Response:
        """``/go?name=NAME``: the page of the entity a name names (a search when several do)."""
        name = request.query_params.get("name", "").strip()[:200]
        if not name:
            raise QueryError("no name given")

        def find() -> str | None:
            try:
                return str(resolve(self.kg.store, name)["id"])
            except QueryError:
                return None
        found = await self.run(find)
        target = entity_url(found) if found else "/search?" + urlencode({"q": name})
        return RedirectResponse(target, 303, headers=HEADERS)

    # -- entities -------------------------------------------------------------------------------------
    async def entity(self, request: Request) -> Response:
        iri = entity_iri(request.path_params["key"])
        only = request.query_params.get("rel")
        per_group = MAX_PER_GROUP if only is None else self.max_rows
        view = await self.run(lambda: self.reader.entity(iri, per_group=per_group, only=only))
        if view is None:
            return error_page(404, f"no entity {entity_key(iri)} in {self.kg.store.describe()}")
        sources = await self.run(lambda: self._sources_of(view))
        return page("entity.html", title=view.name, view=view, sources=sources, only=only,
                    bases=get_schema().bases, key=entity_key(iri))

    def _sources_of(self, view: Any) -> dict[str, dict[str, Any]]:
        ids = {e.source for e in view.evidence} | {e.source for g in view.groups for f in g.facts for e in f.evidence}
        return self.reader.sources(sorted(ids))

    async def api_entity(self, request: Request) -> Response:
        iri = entity_iri(request.path_params["key"])
        view = await self.run(lambda: self.reader.entity(iri))
        if view is None:
            return json_response({"error": f"no entity {entity_key(iri)}"}, 404)
        return json_response(plain(view.as_dict()))

    async def api_neighbours(self, request: Request) -> Response:
        iri = entity_iri(request.path_params["key"])
        limit = min(_int(request.query_params.get("limit"), NEIGHBOURS), MAX_NEIGHBOURS)
        offset = max(0, _int(request.query_params.get("offset"), 0))
        # a later page reads more of each relation (up to max_rows), so "N more" reaches past the first 60
        per_group = min(self.max_rows, max(MAX_PER_GROUP, offset + limit))
        view = await self.run(lambda: self.reader.entity(iri, per_group=per_group))
        if view is None:
            return json_response({"error": f"no entity {entity_key(iri)}"}, 404)
        return json_response(neighbourhood(view, get_schema(), limit=max(1, limit), offset=offset))

    def _explain(self, a: str, b: str) -> tuple[dict[str, Any], list[list[dict[str, Any]]]]:
        ea = resolve(self.kg.store, _as_iri(a))
        eb = resolve(self.kg.store, _as_iri(b))
        found = shortest_paths(self.kg.store, ea["id"], eb["id"])
        return {"a": ea, "b": eb}, [path_steps(self.reader, p) for p in found]

    async def path(self, request: Request) -> Response:
        a, b = request.query_params.get("a", "").strip()[:200], request.query_params.get("b", "").strip()[:200]
        paths: list[list[dict[str, Any]]] = []
        ends: dict[str, Any] = {}
        if a and b:
            ends, paths = await self.run(lambda: self._explain(a, b))
        return page("path.html", title="Connection", a=a, b=b, ends=ends, paths=paths,
                    query=urlencode({"a": a, "b": b}))

    async def api_path(self, request: Request) -> Response:
        """The explained paths as a graph (nodes, edges with their bases and first quote) and as steps."""
        a, b = request.query_params.get("a", "").strip()[:200], request.query_params.get("b", "").strip()[:200]
        if not (a and b):
            raise QueryError("give two entities: ?a=NAME&b=NAME")
        ends, paths = await self.run(lambda: self._explain(a, b))
        schema = get_schema()
        nodes: dict[str, dict[str, Any]] = {}
        edges: dict[str, dict[str, Any]] = {}
        for steps in paths:
            for st in steps:
                for ref in (st["from"], st["to"]):
                    nodes[ref.id] = {"id": ref.id, "key": entity_key(ref.id), "label": ref.name, "cls": ref.cls,
                                     "colour": schema.colour(ref.cls) or "#888888" if ref.cls in schema.classes
                                     else "#888888", "end": ref.id in (ends["a"]["id"], ends["b"]["id"])}
                src, dst = (st["from"], st["to"]) if st["direction"] == "out" else (st["to"], st["from"])
                evs = st["evidence"]
                edges[f"{src.id}|{st['relation']}|{dst.id}"] = {
                    "from": src.id, "to": dst.id, "relation": st["relation"], "label": st["label"],
                    "bases": sorted({e.basis for e in evs}), "quote": evs[0].quote if evs else ""}
        return json_response({"a": plain(ends["a"]), "b": plain(ends["b"]), "paths": len(paths),
                              "nodes": list(nodes.values()), "edges": list(edges.values())})

    # -- questions ------------------------------------------------------------------------------------
    async def questions(self, request: Request) -> Response:
        return page("questions.html", title="Questions", questions=public_questions())

    async def question_query(self, request: Request) -> Response:
        q = _question(request.path_params["name"])
        saved = q.name in self.kg.store.materialised()  # answered from what the build computed
        return page("query.html", title=f"{q.name}: queries", q=q, language=self.kg.store.language, saved=saved)

    async def question(self, request: Request) -> Response:
        name = request.path_params["name"]
        fmt = ""
        for suffix in (".json", ".csv"):
            if name.endswith(suffix):
                name, fmt = name[:-len(suffix)], suffix[1:]
        q = _question(name)
        given = {p.name: request.query_params.get(p.name, "").strip() for p in q.params}
        args: dict[str, Any] = {k: v for k, v in given.items() if v}
        ready = all(args.get(p.name) for p in q.params if not p.optional)
        answer = None
        if ready:
            answer = await self.run(lambda: self.kg.ask(name, limit=self.max_rows, **args))
        if fmt == "json":
            if answer is None:
                raise QueryError(f"{name} needs {', '.join(p.name for p in q.params if not p.optional)}")
            return json_response(plain(answer.as_dict()))
        table = answer.table() if answer is not None else []
        if fmt == "csv":
            if answer is None:
                raise QueryError(f"{name} needs {', '.join(p.name for p in q.params if not p.optional)}")
            return Response(_csv(table), 200, media_type="text/csv; charset=utf-8",
                            headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}.csv"'})
        columns = list(table[0]) if table else list(q.columns)
        linked = await self.run(lambda: self._entity_columns(table)) if table else set()
        query = urlencode(args)
        return page("question.html", title=q.name, q=q, given=given, answer=answer, table=table, columns=columns,
                    linked=linked, query=query, truncated=answer is not None and len(answer.rows) >= self.max_rows,
                    max_rows=self.max_rows)

    def _entity_columns(self, table: list[dict[str, Any]]) -> set[str]:
        """The columns whose values name entities: a column is one when its first value names one exactly."""
        out: set[str] = set()
        for c in table[0]:
            value = next((r[c] for r in table if isinstance(r.get(c), str) and r[c].strip()), None)
            if value is None or "\n" in value or len(value) > 60:
                continue
            try:
                found = self.kg.find(value)
            except QueryError:
                continue
            if found and found[0]["exact"] and found[0]["name"] == value:
                out.add(c)
        return out

    # -- sources --------------------------------------------------------------------------------------
    async def evidence(self, request: Request) -> Response:
        iri = entity_iri(request.path_params["key"])

        def read() -> tuple[Any, dict[str, Any], Any]:
            ev = self.reader.evidence(iri)
            if ev is None:
                return None, {}, None
            doc = self.reader.sources([ev.source]).get(ev.source, {})
            excerpt = self.sources.excerpt(ev, str(doc.get("sha256", "")), str(doc.get("fileName", ""))) \
                if doc.get("sha256") else None
            return ev, doc, excerpt
        ev, doc, excerpt = await self.run(read)
        if ev is None:
            return error_page(404, f"no evidence {entity_key(iri)}")
        return page("evidence.html", title="Source", ev=ev, doc=doc, excerpt=excerpt)

    async def static(self, request: Request) -> Response:
        name = request.path_params["file"]
        path = _static_file(name)
        if path is None:
            return error_page(404, f"no file {name}")
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(path, media_type=f"{kind}; charset=utf-8",
                            headers={**HEADERS, "Cache-Control": "max-age=3600"})


def _static_file(name: str) -> Path | None:
    """The explorer's own files, and vis-network's from the installed pyvis (never a CDN)."""
    if name in ("vis-network.min.js", "vis-network.css"):
        from ecokg.viz.assets import find_vis_dir

        return find_vis_dir()[1] / name
    path = STATIC / name
    return path if name in {p.name for p in STATIC.iterdir()} and path.is_file() else None


def _question(name: str) -> Any:
    qs = public_questions()
    if name not in qs:
        raise QueryError(f"no question named {name!r}")
    return qs[name]


def _as_iri(text: str) -> str:
    """An explorer key (``org/x-1``) as its IRI; other text (a name) as it is."""
    try:
        return entity_iri(text) if "/" in text and " " not in text else text
    except QueryError:
        return text


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("true" if v is True else "false" if v is False else v) for k, v in r.items()})
    return buf.getvalue()


def explorer_for(kg: EcoKG, **options: Any) -> Explorer:
    """An explorer over an already open graph (tests, notebooks): ``Explorer(lambda: kg)``."""
    return Explorer(lambda: kg, **options)


__all__ = ["Explorer", "Timeout", "explorer_for"]
