"""Untrusted SPARQL runs in worker processes that can be killed: timeouts, Ctrl-C and crashes.

pyoxigraph's ``Store.query`` cannot be interrupted from Python (no timeout or cancel option
in 0.5; a Cartesian product runs for hours and ignores Ctrl-C) and a pathological query can
overflow the engine's stack and kill its process. So a query from a user runs in a child
process that opened the store read-only: the parent waits on a pipe until the deadline, kills
the child on timeout or Ctrl-C (and the child dies with its parent), and a crash costs only
that child. :class:`WorkerPool` keeps a few of them warm; the endpoint shares one pool,
``ecokg sparql`` uses a pool of one.

The pipe carries pickled frames between this module and its own child (never user bytes
unpickled): a request ``{"op": "rows"|"results", "query", "params", "limits", "accept"}``,
a reply ``{"ok", "truncated", "content_type", "body" | "rows", "error", "kind"}``.

>>> from ecokg.graph.model import KnowledgeGraph
>>> import tempfile
>>> from ecokg.graph.stores.oxigraph import RdfStore
>>> tmp = tempfile.TemporaryDirectory()
>>> RdfStore(Path(tmp.name) / "s").close()
>>> with WorkerPool(Path(tmp.name) / "s", size=1) as pool:
...     pool.rows("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }", {}, QueryLimits(max_rows=2))
([{'n': 1}, {'n': 2}], True)
>>> tmp.cleanup()
"""

from __future__ import annotations

import ctypes
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any, Mapping

from ecokg.graph.stores.sparql_guard import QueryLimits, check
from ecokg.ontology.errors import (
    BackendError,
    BackendUnavailable,
    EngineCrash,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
)

__all__ = ["EngineCrash", "QueryTimeout", "Worker", "WorkerPool", "limits_for", "main"]

START_TIMEOUT = 60.0
_HEADER = struct.Struct(">Q")
_BOOT = ("import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; "
         "from ecokg.graph.stores.sparql_worker import main; main()")


# -- the child -------------------------------------------------------------------------
def main() -> None:
    """The worker process: open the store read-only, then answer requests until stdin closes."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills us on Ctrl-C
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the protocol
    inp = sys.stdin.buffer
    from ecokg.graph.stores.oxigraph import RdfStore

    try:
        store = RdfStore(Path(sys.argv[1]), read_only=True)
    except Exception as e:  # noqa: BLE001 - reported to the parent, which raises it
        _send(out, {"ok": False, "error": str(e), "kind": "open"})
        return
    _send(out, {"ok": True, "ready": True})
    while True:
        request = _recv_blocking(inp)
        if request is None:
            return
        _send(out, _answer(store, request))


def _die_with_parent() -> None:
    """Linux: get SIGKILL when the parent dies, so no orphan keeps computing a query."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:
        os._exit(1)


def _answer(store: Any, request: Mapping[str, Any]) -> dict[str, Any]:
    from ecokg.graph.stores import sparql_results

    try:
        params = {k: sparql_results.decode_param(v) for k, v in request.get("params", {}).items()}
        limits: QueryLimits = request["limits"]
        if request["op"] == "rows":
            rows, truncated = store.query_rows(request["query"], params, max_rows=limits.max_rows, limits=limits)
            return {"ok": True, "rows": rows, "truncated": truncated}
        result = store.solve(request["query"], params, limits)
        ctype, body, truncated = sparql_results.serialize(result, request.get("accept", ""), limits.max_rows)
        return {"ok": True, "content_type": ctype, "body": body, "truncated": truncated}
    except QueryError as e:
        return {"ok": False, "error": str(e), "kind": "query"}
    except ReadOnlyViolation as e:
        return {"ok": False, "error": str(e), "kind": "read-only"}
    except Exception as e:  # noqa: BLE001 - one line to the parent, never a traceback
        return {"ok": False, "error": f"{type(e).__name__}: {e}", "kind": "engine"}


def _send(out: Any, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)) + data)
    out.flush()


def _recv_blocking(inp: Any) -> Any:
    head = inp.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (n,) = _HEADER.unpack(head)
    data = inp.read(n)
    return pickle.loads(data) if len(data) == n else None


# -- the parent ------------------------------------------------------------------------
def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


class Worker:
    """One child process with the store open read-only."""

    def __init__(self, store: Path, epoch: int = 0) -> None:
        self.store = store
        self.epoch = epoch
        self.proc = subprocess.Popen([sys.executable, "-c", _BOOT, str(store)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._buf = b""
        try:
            ready = self._read(time.monotonic() + START_TIMEOUT)
        except BaseException:
            self.kill()
            raise
        if not ready.get("ok"):
            self.kill()
            raise BackendUnavailable(f"cannot open the store in {store}: {ready.get('error')}")

    def call(self, request: Mapping[str, Any], deadline: float | None) -> dict[str, Any]:
        """Send ``request`` and wait for the reply until ``deadline`` (``time.monotonic()``).

        Raises:
            QueryTimeout: no reply by the deadline (the caller must kill this worker).
            EngineCrash: the process died.
        """
        assert self.proc.stdin is not None
        data = pickle.dumps(dict(request), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.proc.stdin.write(_HEADER.pack(len(data)) + data)
            self.proc.stdin.flush()
        except OSError as e:
            raise EngineCrash(f"the query process {_describe_exit(self.proc.poll())}") from e
        reply: dict[str, Any] = self._read(deadline)
        return reply

    def _read(self, deadline: float | None) -> Any:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        need = _HEADER.size
        length: int | None = None
        while True:
            if length is None and len(self._buf) >= _HEADER.size:
                (length,) = _HEADER.unpack(self._buf[:_HEADER.size])
                need = _HEADER.size + length
            if length is not None and len(self._buf) >= need:
                frame, self._buf = self._buf[_HEADER.size:need], self._buf[need:]
                return pickle.loads(frame)
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                raise QueryTimeout("timed out")
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                continue
            chunk = os.read(fd, max(65536, need - len(self._buf)))
            if not chunk:
                try:
                    code = self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    code = None
                raise EngineCrash(f"the query process {_describe_exit(code)}")
            self._buf += chunk

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """Stop the process at once (SIGKILL) and reap it."""
        if self.proc.poll() is None:
            self.proc.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


class WorkerPool:
    """Up to ``size`` workers on one store; a query waits for a free one within its deadline.

    Args:
        store: the store folder (``store_path(OUT)``).
        size: most worker processes at once.
    """

    def __init__(self, store: Path, size: int = 1) -> None:
        if size < 1:
            raise BackendError(f"a pool needs at least one worker, not {size}")
        self.size = size
        self._store = Path(store)
        self._epoch = 0
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._count = 0
        self._closed = False
        self._cond = threading.Condition()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def store(self) -> Path:
        return self._store

    def warm(self) -> None:
        """Start every worker now (raises what opening the store raises)."""
        workers = [self._acquire(None) for _ in range(self.size)]
        for w in workers:
            self._release(w, ok=True)

    def reopen(self, store: Path) -> None:
        """Serve ``store`` from now on: idle workers on the old one stop, busy ones when they finish."""
        with self._cond:
            self._store, self._epoch = Path(store), self._epoch + 1
            stale, self._idle = self._idle, []
            self._count -= len(stale)
            self._cond.notify_all()
        for w in stale:
            w.kill()

    def rows(self, text: str, params: Mapping[str, Any], limits: QueryLimits) -> tuple[list[dict[str, Any]], bool]:
        """Rows of ``text`` as :meth:`RdfStore.query` gives them, and whether ``max_rows`` cut them."""
        reply = self.run({"op": "rows", "query": text, "params": params}, limits)
        return reply["rows"], bool(reply["truncated"])

    def results(self, text: str, accept: str, limits: QueryLimits,
                deadline: float | None = None, params: Mapping[str, Any] | None = None) -> tuple[str, bytes, bool]:
        """``(content type, serialized results, truncated)`` for the SPARQL Protocol (and for
        ``ecokg sparql --format turtle``)."""
        reply = self.run({"op": "results", "query": text, "params": dict(params or {}), "accept": accept},
                         limits, deadline)
        return reply["content_type"], reply["body"], bool(reply["truncated"])

    def run(self, request: Mapping[str, Any], limits: QueryLimits, deadline: float | None = None) -> dict[str, Any]:
        """Check the query (:func:`check`), run it on a worker within ``limits.timeout`` (counted from
        ``deadline - limits.timeout`` when a ``deadline``, in ``time.monotonic()``, is given: the time a
        request waited before counts).

        Raises:
            QueryError: refused by the checks, or the engine's own error (syntax ...).
            QueryTimeout: not done in time; the worker was killed.
            EngineCrash: the worker died on it.
        """
        from ecokg.graph.stores.sparql_results import encode_param

        check(request["query"], limits)
        request = {**request, "limits": limits,
                   "params": {k: encode_param(v) for k, v in request.get("params", {}).items()}}
        if deadline is None and limits.timeout:
            deadline = time.monotonic() + limits.timeout
        worker = self._acquire(deadline)
        ok = False
        try:
            reply = worker.call(request, deadline)
            ok = True
        except QueryTimeout:
            raise QueryTimeout(f"the query did not finish within {limits.timeout or 0:g} s and was stopped "
                               "(--timeout sets the limit)") from None
        except EngineCrash as e:
            if self._closed:
                raise BackendError("the endpoint is shutting down") from None
            raise EngineCrash(f"{e} while running the query (the SPARQL engine crashed on it)") from None
        finally:
            self._release(worker, ok)
        if not reply.get("ok"):
            if reply.get("kind") == "query":
                raise QueryError(reply["error"])
            if reply.get("kind") == "read-only":
                raise ReadOnlyViolation(reply["error"])
            raise BackendError(f"the SPARQL engine failed: {reply['error']}")
        return reply

    def _acquire(self, deadline: float | None) -> Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise BackendError("the query pool is closed")
                if self._idle:
                    return self._idle.pop()
                if self._count < self.size:
                    self._count += 1
                    store, epoch = self._store, self._epoch
                    break
                wait = None if deadline is None else deadline - time.monotonic()
                if wait is not None and wait <= 0:
                    raise QueryTimeout("every query worker is busy; try again later")
                self._cond.wait(wait)
        try:
            worker = Worker(store, epoch)
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise
        with self._cond:
            self._all.add(worker)
        return worker

    def _release(self, worker: Worker, ok: bool) -> None:
        with self._cond:
            keep = ok and not self._closed and worker.epoch == self._epoch and worker.alive()
            if keep:
                self._idle.append(worker)
            else:
                self._count -= 1
                self._all.discard(worker)
            self._cond.notify_all()  # a waiter whose deadline passed must not swallow the wake-up
        if not keep:
            worker.kill()

    def close(self) -> None:
        """Stop every worker, busy ones included (their callers get an error)."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            busy, self._all = self._all - set(idle), set()
            self._cond.notify_all()
        for w in idle:
            w.kill()
        for w in busy:  # its caller sees the end of the pipe and cleans up
            if w.alive():
                w.proc.kill()


def limits_for(timeout: float | None = None, max_rows: int | None = None, allow_service: bool = False,
               base: QueryLimits | None = None) -> QueryLimits:
    """``base`` (default :class:`QueryLimits`) with the given values; ``timeout=0`` means none."""
    limits = base or QueryLimits()
    if timeout is not None:
        limits = replace(limits, timeout=timeout or None)
    if max_rows is not None:
        limits = replace(limits, max_rows=max_rows)
    return replace(limits, allow_service=allow_service or limits.allow_service)


__all__ = ["EngineCrash", "QueryTimeout", "Worker", "WorkerPool", "limits_for", "main"]
