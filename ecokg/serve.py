"""``ecokg serve``: the SPARQL 1.1 Protocol endpoint on the built graph, query only, loopback by default,
and beside it the explorer (:mod:`ecokg.explorer`: ``/explore``, search, entity pages, questions).

A small Python server (uvicorn running :mod:`ecokg.endpoint`, a Starlette app) answers the
protocol itself; each query runs in one of a few worker processes that opened the store
read-only, so a query that runs too long is killed at its timeout and a query that crashes
the engine costs one worker, never the server::

    ecokg serve --out OUT [--host 127.0.0.1] [--port 7878] [--timeout 30] [--max-rows 100000]
    ecokg serve --backend neo4j                  # the explorer only, on Neo4j

Queries go to ``http://HOST:PORT/query`` (GET ``?query=`` or POST); updates and Graph Store
writes are answered ``403 Forbidden``. Unlike ``ecokg sparql``, the endpoint has no predefined
prefixes: declare ``PREFIX eco: <https://w3id.org/ecokg/ontology#>`` and the others you use.

A build made while it runs is picked up at the next request: builds switch ``OUT/current`` to
a new generation, and the endpoint moves its workers there (stderr says so).

Why not Oxigraph's own ``serve-read-only`` binary: it runs every query in its one process, so
a deeply nested query overflows its stack and ends the server, its timeout does not hold for
every query, and it checks neither the ``Host`` header nor the body size.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Mapping

from ecokg.graph.stores.oxigraph import no_graph_message, store_path
from ecokg.graph.stores.sparql_guard import QueryLimits
from ecokg.ontology.errors import BackendError, BackendUnavailable

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_WORKERS = 2
QUERY_PATH = "/query"
EXPLORER_PATH = "/explore"
START_TIMEOUT = 60.0
INSTALL_HINT = "pip install 'ecokg[serve]'"


def _server_libraries(explorer: bool = False) -> Any:
    """uvicorn, or a clear error naming the extra to install (the explorer also needs jinja2)."""
    try:
        import starlette  # noqa: F401
        import uvicorn
        if explorer:
            import jinja2  # noqa: F401
    except ImportError as e:
        raise BackendUnavailable(f"ecokg serve needs uvicorn, starlette and jinja2 ({e.name} is missing): "
                                 f"{INSTALL_HINT}") from e
    return uvicorn


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.0/8``, ``::1``).

    >>> is_loopback("127.0.0.1"), is_loopback("[::1]"), is_loopback("0.0.0.0"), is_loopback("example.org")
    (True, True, False, False)
    """
    h = host.strip().strip("[]")
    if h.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def _host_in_url(host: str) -> str:
    h = host.strip().strip("[]")
    return f"[{h}]" if ":" in h else h


def base_url(host: str, port: int) -> str:
    """``http://HOST:PORT`` (IPv6 hosts in brackets)."""
    return f"http://{_host_in_url(host)}:{port}"


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port that is free on ``host`` right now (the OS picks it)."""
    h = host.strip("[]")
    with socket.socket(_family(h), socket.SOCK_STREAM) as s:
        s.bind((h, 0))
        return int(s.getsockname()[1])



def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` with ``SO_REUSEADDR`` (a restart within a minute works).

    Raises:
        BackendError: the port is taken (one line naming it and what to do), or the address is unusable.
    """
    h = host.strip().strip("[]")
    try:
        infos = socket.getaddrinfo(h, port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise BackendError(f"cannot resolve {host}: {e}") from e
    fam, _, _, _, addr = infos[0]
    sock = socket.socket(fam, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(1024)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise BackendError(f"port {port} on {host} is already in use (is another server running there?): "
                               f"stop it, or choose another port with --port") from e
        raise BackendError(f"cannot serve on {host}:{port}: {e.strerror or e}") from e
    return sock


class _Server:
    """The endpoint (:mod:`ecokg.endpoint`) and the explorer (:mod:`ecokg.explorer`) under uvicorn on
    one listening socket. On Neo4j (``backend="neo4j"``) only the explorer is served."""

    def __init__(self, out_dir: Path, host: str, port: int, *, allow_remote: bool, limits: QueryLimits | None,
                 max_body: int | None, workers: int, log: Callable[[str], None] | None = None,
                 backend: str = "rdf", memory: bool = False, neo4j: Mapping[str, Any] | None = None,
                 explorer: bool = True, step: Callable[[str], None] | None = None) -> None:
        if not is_loopback(host) and not allow_remote:
            raise BackendError(
                f"refusing to serve on {host!r}, which is not a loopback address: the endpoint would be "
                "reachable from other machines; pass allow_remote=True (ecokg serve --allow-remote) "
                "if that is what you want")
        if not 0 <= int(port) < 65536:
            raise BackendError(f"port must be between 1 and 65535, not {port}")
        if backend not in ("rdf", "neo4j"):
            raise BackendError(f"backend must be rdf or neo4j, not {backend!r}")
        if backend == "rdf" and not store_path(Path(out_dir)).is_dir():
            raise BackendUnavailable(no_graph_message(Path(out_dir)))
        uvicorn = _server_libraries(explorer)
        from ecokg.endpoint import DEFAULT_MAX_BODY, Endpoint, Gate, allowed_hosts, make_app

        self.host = host
        self.sock = bind(host, int(port))
        self.port = int(self.sock.getsockname()[1])
        self.url = base_url(host, self.port)
        options: dict[str, Any] = {"log": log} if log is not None else {}
        limits = limits or QueryLimits()
        hosts = allowed_hosts(host, allow_remote)
        self.endpoint: Endpoint | None = None
        self.explorer: Any = None
        try:
            if backend == "rdf":
                self.endpoint = Endpoint(Path(out_dir), limits, max_body or DEFAULT_MAX_BODY, hosts, workers,
                                         **options)
                self.endpoint.pool.warm()  # a store that cannot be opened fails here, in one line
            if explorer:
                self.explorer = _explorer(Path(out_dir), backend, memory, neo4j, limits, self.endpoint, log, step)
        except BaseException:
            self.close()
            raise
        routes = self.explorer.routes() if self.explorer is not None else []
        config = uvicorn.Config(make_app(self.endpoint, routes, Gate(hosts, max_body or DEFAULT_MAX_BODY)),
                                log_level="warning", access_log=False, lifespan="off",
                                server_header=False, limit_concurrency=1024, timeout_keep_alive=5,
                                timeout_graceful_shutdown=5, h11_max_incomplete_event_size=256 * 1024)
        self.server = uvicorn.Server(config)

    def run(self) -> None:
        """Serve until stopped (``should_exit``, or SIGINT/SIGTERM in the main thread)."""
        try:
            self.server.run(sockets=[self.sock])
        finally:
            self.close()

    def stop(self) -> None:
        self.server.should_exit = True

    def close(self) -> None:
        if self.explorer is not None:
            self.explorer.close()
            self.explorer = None
        if self.endpoint is not None:
            self.endpoint.close()
        self.sock.close()


def _explorer(out_dir: Path, backend: str, memory: bool, neo4j: Mapping[str, Any] | None, limits: QueryLimits,
              endpoint: Any, log: Callable[[str], None] | None, step: Callable[[str], None] | None) -> Any:
    """The explorer on the chosen store, its indexes read (on the embedded store it follows the
    endpoint's generation; a copy in memory stays as it was copied)."""
    from ecokg.explorer import Explorer
    from ecokg.facade import EcoKG
    from ecokg.facade import open as open_graph

    say = step or (lambda m: None)
    generation: Callable[[], str | None] | None = None
    if backend == "neo4j":
        settings = dict(neo4j or {})

        def opener() -> EcoKG:
            return open_graph(neo4j=settings.get("uri") or True, user=settings.get("user"),
                              password=settings.get("password"), database=settings.get("database"))
    elif memory:
        def opener() -> EcoKG:
            say(f"copying the embedded store in {out_dir} into memory (about 35 s at 100,000 entities)")
            start = time.monotonic()
            kg = open_graph(out_dir, memory=True)
            say(f"copied into memory in {time.monotonic() - start:.1f} s")
            return kg
    else:
        def opener() -> EcoKG:
            return open_graph(out_dir)
        generation = endpoint.refresh if endpoint is not None else None
    explorer = Explorer(opener, out_dir=out_dir if (out_dir / "summary.json").exists() else None,
                        timeout=limits.timeout or 30.0, generation=generation, log=log)
    try:
        say("reading the name and adjacency indexes")
        explorer.warm()
    except BaseException:
        explorer.close()
        raise
    return explorer


@contextmanager
def running_server(out_dir: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                   allow_remote: bool = False, timeout: float = START_TIMEOUT, limits: QueryLimits | None = None,
                   max_body: int | None = None, workers: int = DEFAULT_WORKERS,
                   log: Callable[[str], None] | None = None, backend: str = "rdf", memory: bool = False,
                   neo4j: Mapping[str, Any] | None = None, explorer: bool = True) -> Iterator[str]:
    """Run the read-only SPARQL endpoint on the built graph for the duration of a ``with`` block.

    Args:
        out_dir: the folder ``ecokg build --out`` wrote.
        host: address to bind; must be a loopback address unless ``allow_remote``.
        port: TCP port; ``0`` picks a free one.
        allow_remote: allow a non-loopback ``host`` (e.g. ``0.0.0.0``).
        timeout: seconds to wait until the server answers.
        limits: the limits of each query (default :class:`QueryLimits`: 30 s, 100,000 rows, no SERVICE).
        max_body: the largest request body in bytes (default 1 MB).
        workers: worker processes running queries.
        log: where notes go (default stderr).
        backend: ``rdf`` (the built graph in ``out_dir``: SPARQL endpoint and explorer) or ``neo4j``
            (the explorer only, on the Neo4j of ``neo4j``: ``uri``, ``user``, ``password``, ``database``,
            by default from the environment).
        memory: the explorer reads a copy of the embedded store in memory (faster pages on a big graph).
        explorer: serve the explorer (``/explore``, ``/entity/...``, ``/questions``...).

    Yields:
        The base URL, e.g. ``http://127.0.0.1:7878``; the SPARQL endpoint is ``base + "/query"``, the
        explorer ``base + "/explore"``.

    Raises:
        BackendUnavailable: no built graph, or uvicorn/starlette missing.
        BackendError: a non-loopback host without ``allow_remote``, the port is taken, or the
            server did not start.
    """
    server = _Server(Path(out_dir), host, port, allow_remote=allow_remote, limits=limits, max_body=max_body,
                     workers=workers, log=log, backend=backend, memory=memory, neo4j=neo4j, explorer=explorer)
    thread = threading.Thread(target=server.run, name="ecokg-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.server.started:
        if not thread.is_alive():
            raise BackendError(f"the server on {server.url} stopped before it was ready")
        if time.monotonic() > deadline:
            server.stop()
            raise BackendError(f"the server on {server.url} was not ready after {timeout:g} s")
        time.sleep(0.02)
    try:
        yield server.url
    finally:
        server.stop()
        thread.join(30)


def serve(out_dir: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, allow_remote: bool = False,
          limits: QueryLimits | None = None, max_body: int | None = None, workers: int = DEFAULT_WORKERS,
          on_ready: Callable[[str], None] | None = None, backend: str = "rdf", memory: bool = False,
          neo4j: Mapping[str, Any] | None = None, step: Callable[[str], None] | None = None) -> None:
    """Serve the built graph read-only until interrupted (Ctrl-C or SIGTERM).

    Args: as :func:`running_server`; ``on_ready`` is called with the base URL (``http://HOST:PORT``:
    the explorer is ``/explore``, the SPARQL endpoint ``/query``); ``step`` is told what startup does.

    Raises:
        BackendUnavailable, BackendError: as :func:`running_server`.
    """
    server = _Server(Path(out_dir), host, port, allow_remote=allow_remote, limits=limits, max_body=max_body,
                     workers=workers, backend=backend, memory=memory, neo4j=neo4j, step=step)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` stops it cleanly too
    try:
        if on_ready is not None:
            on_ready(server.url)
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises the signal it stopped on
        pass
    finally:
        server.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_WORKERS", "EXPLORER_PATH", "QUERY_PATH", "base_url", "bind",
           "free_port", "is_loopback", "running_server", "serve"]
