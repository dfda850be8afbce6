"""The SPARQL 1.1 Protocol endpoint as an ASGI app (Starlette): query only, every query guarded.

``GET /query?query=``, ``POST /query`` with ``application/x-www-form-urlencoded`` (``query=``) or
``application/sparql-query``; results as SPARQL JSON (default), XML, CSV or TSV, or an RDF
format for ``CONSTRUCT``, by ``Accept``. What it enforces, before any parsing:

* the ``Host`` header names the address it is bound to (or a loopback name): a web page on
  another site cannot reach it through DNS rebinding (``403``);
* request bodies are at most ``max_body`` bytes (``413``);
* queries pass :func:`~ecokg.graph.stores.sparql_guard.check` (size, nesting, no ``SERVICE``:
  ``400``); updates and Graph Store writes are refused (``403``);
* each query runs in a worker process (:class:`~ecokg.graph.stores.sparql_worker.WorkerPool`),
  killed when it passes the timeout (``503``) and replaced when the engine crashes (``500``):
  the endpoint itself keeps serving.

The explorer's routes (:mod:`ecokg.explorer`) are served by the same app, behind the same Host
check and body limit.

Each request also checks (one ``readlink``) whether a build switched ``OUT/current`` to a new
generation; if so the workers move to it, stderr says so, and the response carries the
generation id in ``X-EcoKG-Generation``.
"""

from __future__ import annotations

import html
import os
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ecokg.graph.stores import oxigraph as ox_store
from ecokg.graph.stores.oxigraph import is_update, store_path
from ecokg.graph.stores.sparql_guard import QueryLimits
from ecokg.graph.stores.sparql_worker import EngineCrash, QueryTimeout, WorkerPool
from ecokg.ontology import PREFIXES
from ecokg.ontology.errors import EcoKGError, QueryError, ReadOnlyViolation

DEFAULT_MAX_BODY = 1_000_000
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
QUERY_THREADS = 64  # requests waiting for a worker at once; more wait for one of these
FORM = "application/x-www-form-urlencoded"
#: ``?format=`` on /query picks the result type where a browser form cannot set ``Accept``.
FORMAT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "ntriples": "application/n-triples", "jsonld": "application/ld+json"}
#: The query page runs no script and loads nothing; its form may only go to this server.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"
EXAMPLE_QUERY = """SELECT ?person ?title ?organisation WHERE {
  ?p a eco:Person ; eco:name ?person ; eco:holds ?post .
  ?post eco:inOrganisation/eco:name ?organisation .
  OPTIONAL { ?post eco:title ?title }
}
ORDER BY ?organisation ?person
LIMIT 20"""


EXPLORER_LINK = ('<p><a href="/explore">Browse the graph in the explorer</a>: search, entity pages with evidence, '
                 'questions.</p>')


def query_page(explorer: bool = False) -> str:
    """The endpoint's home: a form with the prefixes declared and a working example query (and,
    when the explorer is served beside it, a link to it)."""
    prologue = "\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items())
    text = html.escape(f"{prologue}\n\n{EXAMPLE_QUERY}")
    options = "".join(f'<option value="{k}">{k}</option>' for k in FORMAT_TYPES)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ecokg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:60em}}textarea{{width:100%;font-family:monospace}}</style>
</head><body>
<h1>ecokg SPARQL endpoint (read-only)</h1>
{EXPLORER_LINK if explorer else ''}
<p>Queries go to <code>/query</code> (SPARQL 1.1 Protocol: GET <code>?query=</code>, or POST). The prefixes
below are also predefined, so a query may leave them out. Updates, <code>SERVICE</code>, queries over the
time limit and over-deep nesting are refused.</p>
<form action="/query" method="get">
<textarea name="query" rows="22">{text}</textarea>
<p><label>Results as <select name="format">{options}</select></label> <button type="submit">Run</button></p>
</form></body></html>
"""


class _TooLarge(Exception):
    pass


@dataclass
class Endpoint:
    """The state of one endpoint: the graph, its worker pool and its limits.

    Args:
        out_dir: the folder ``ecokg build --out`` wrote.
        limits: the limits of every query.
        max_body: the largest request body, in bytes.
        allowed_hosts: host names the ``Host`` header may give (ports ignored); empty: any.
        workers: worker processes.
        log: where notes go (default: stderr).
    """

    out_dir: Path
    limits: QueryLimits = field(default_factory=QueryLimits)
    max_body: int = DEFAULT_MAX_BODY
    allowed_hosts: frozenset[str] = LOOPBACK_NAMES
    workers: int = 2
    log: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True)
    pool: WorkerPool = field(init=False)
    generation: str | None = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.generation = self._generation()
        self.pool = WorkerPool(store_path(self.out_dir), size=self.workers)

    def _generation(self) -> str | None:
        """The id of the graph now current: the generation id, else the store folder's identity."""
        gen_id = getattr(ox_store, "generation_id", None)
        gen = gen_id(self.out_dir) if gen_id is not None else None
        if gen is not None:
            return str(gen)
        try:
            st = os.stat(store_path(self.out_dir))
        except OSError:
            return None
        return f"store-{st.st_dev}-{st.st_ino}"

    def refresh(self) -> str | None:
        """Switch the workers to a new generation if a build made one current; its id."""
        now = self._generation()
        if now is not None and now != self.generation:
            with self._lock:
                if now != self.generation:
                    old, self.generation = self.generation, now
                    self.pool.reopen(store_path(self.out_dir))
                    self.log(f"ecokg serve: a build switched the graph ({old} -> {now}); now serving {now}")
        return self.generation

    def close(self) -> None:
        self.pool.close()


def _host_name(value: str) -> str:
    """The name of a ``Host`` header without its port: ``[::1]:7878`` -> ``::1``."""
    v = value.strip().lower()
    if v.startswith("["):
        return v[1:v.find("]")] if "]" in v else v
    return v.rsplit(":", 1)[0] if v.count(":") == 1 else v


@dataclass(frozen=True)
class Gate:
    """What the guard checks when no SPARQL endpoint is served (the explorer on Neo4j)."""

    allowed_hosts: frozenset[str] = LOOPBACK_NAMES
    max_body: int = DEFAULT_MAX_BODY


class _Guard:
    """ASGI middleware: the Host check and the body limit, before any route runs (SPARQL and explorer alike)."""

    def __init__(self, app: ASGIApp, endpoint: Endpoint | Gate) -> None:
        self.app, self.endpoint = app, endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        allowed = self.endpoint.allowed_hosts
        if allowed and _host_name(headers.get("host", "")) not in allowed:
            await PlainTextResponse("this endpoint answers only requests addressed to "
                                    f"{', '.join(sorted(allowed))} (Host header refused)\n", 403)(scope, receive, send)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.endpoint.max_body:
            await _too_large(self.endpoint)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _too_large(endpoint: Endpoint | Gate) -> Response:
    return PlainTextResponse(f"request body over the limit of {endpoint.max_body:,} bytes\n", 413)


async def _body(request: Request, limit: int) -> bytes:
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise _TooLarge
    return bytes(data)


def _error(status: int, message: str) -> Response:
    return PlainTextResponse(message.rstrip("\n") + "\n", status)


def make_app(endpoint: Endpoint | None, explorer: Sequence[BaseRoute] = (), gate: Gate | None = None) -> ASGIApp:
    """The ASGI app of ``endpoint`` (routes ``/``, ``/query``, ``/update``, ``/store``), with the
    ``explorer`` routes beside them (:mod:`ecokg.explorer`). Without an endpoint (the explorer on
    Neo4j) ``/`` leads to the explorer and ``/query`` answers 404; ``gate`` then gives the Host
    names and body limit the guard checks."""
    if endpoint is None:
        async def no_sparql(request: Request) -> Response:
            return _error(404, "no SPARQL endpoint here: this server reads Neo4j; "
                               "`ecokg serve` on a built graph (--backend rdf) serves SPARQL")

        async def to_explorer(request: Request) -> Response:
            return RedirectResponse("/explore", 303)

        app = Starlette(routes=[Route("/", to_explorer, methods=["GET"]),
                                *(Route(p, no_sparql, methods=["GET", "POST"])
                                  for p in ("/query", "/update", "/store")),
                                *explorer])
        return _Guard(app, gate or Gate())
    limiter = anyio.CapacityLimiter(QUERY_THREADS)

    async def query(request: Request) -> Response:
        start = time.monotonic()
        if request.method == "GET":
            params = dict(request.query_params)
            if "update" in params:
                return _error(403, "SPARQL updates are refused: this endpoint is read-only")
            text = params.get("query")
        else:
            try:
                body = await _body(request, endpoint.max_body)
            except _TooLarge:
                return _too_large(endpoint)
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == FORM:
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    return _error(403, "SPARQL updates are refused: this endpoint is read-only")
                text = form.get("query", [None])[0]
            elif ctype == "application/sparql-query":
                text = body.decode("utf-8", "replace")
            elif ctype == "application/sparql-update":
                return _error(403, "SPARQL updates are refused: this endpoint is read-only")
            else:
                return _error(415, f"POST a query as {FORM} (query=...) or as application/sparql-query")
        if not text:
            return _error(400, "no query: pass ?query=... (GET) or POST one")
        chosen = FORMAT_TYPES.get(request.query_params.get("format", ""))
        accept = chosen or request.headers.get("accept", "")
        if is_update(text):
            return _error(403, "SPARQL updates are refused: this endpoint is read-only")
        generation = endpoint.refresh()
        headers = {"X-EcoKG-Generation": generation} if generation else {}
        limits = endpoint.limits
        deadline = start + limits.timeout if limits.timeout else None
        try:
            ctype, data, truncated = await anyio.to_thread.run_sync(
                endpoint.pool.results, text, accept, limits, deadline, limiter=limiter)
        except QueryTimeout as e:
            return _error(503, str(e))
        except QueryError as e:
            return _error(400, str(e))
        except ReadOnlyViolation as e:
            return _error(403, str(e))
        except EngineCrash as e:
            endpoint.log(f"ecokg serve: {e}")
            return _error(500, str(e))
        except EcoKGError as e:
            return _error(500, str(e))
        if truncated:
            headers["X-EcoKG-Truncated"] = f"only the first {limits.max_rows} results"
        return Response(data, 200, headers=headers, media_type=ctype)

    async def refused(request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            return _error(404, "the Graph Store Protocol is not served; query /query")
        return _error(403, "writes are refused: this endpoint is read-only")

    async def home(request: Request) -> Response:
        return HTMLResponse(query_page(bool(explorer)), headers={"Content-Security-Policy": PAGE_POLICY})

    app = Starlette(routes=[
        Route("/", home, methods=["GET"]),
        Route("/query", query, methods=["GET", "POST"]),
        Route("/update", refused, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/store", refused, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]),
        *explorer,
    ])
    return _Guard(app, endpoint)


def allowed_hosts(host: str, allow_remote: bool) -> frozenset[str]:
    """The ``Host`` names accepted when bound to ``host``: loopback names and ``host`` itself;
    with ``allow_remote`` on a wildcard address (``0.0.0.0``, ``::``), any.

    >>> sorted(allowed_hosts("127.0.0.2", False))
    ['127.0.0.1', '127.0.0.2', '::1', 'localhost']
    """
    h = host.strip().strip("[]").lower()
    if allow_remote and h in ("0.0.0.0", "::", ""):
        return frozenset()
    return LOOPBACK_NAMES | {h}


__all__ = ["DEFAULT_MAX_BODY", "Endpoint", "Gate", "allowed_hosts", "make_app"]
