"""A SPARQL 1.1 Protocol endpoint for the built graph: query only, loopback by default.

It runs the ``oxigraph`` server binary shipped by the PyPI ``oxigraph`` package
(``pip install 'ecokg[serve]'``) in read-only mode on the store ``ecokg build``
wrote::

    oxigraph serve-read-only --location OUT/store --bind 127.0.0.1:7878

Queries go to ``http://HOST:PORT/query`` (GET ``?query=`` or POST); updates and
Graph Store writes are answered ``403 Forbidden`` by the server itself. Unlike
``ecokg sparql``, the endpoint has no predefined prefixes: declare ``PREFIX eco:
<https://w3id.org/ecokg/ontology#>`` and the others you use.

Restart the server after ``ecokg build``: the build replaces ``OUT/store``, and
opening a store read-only while another process writes it is undefined behaviour
(Oxigraph's own warning), so a running server must not see a build happen under it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

from ecokg import supervise
from ecokg.graph.stores.oxigraph import store_path
from ecokg.ontology.errors import BackendError, BackendUnavailable

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
QUERY_PATH = "/query"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
INSTALL_HINT = "pip install 'ecokg[serve]'"


def find_binary() -> Path:
    """The ``oxigraph`` server binary: next to the running Python first, then on PATH.

    Raises:
        BackendUnavailable: the binary is not installed.
    """
    here = Path(sys.executable).parent
    found = shutil.which("oxigraph", path=str(here)) or shutil.which("oxigraph")
    if not found:
        raise BackendUnavailable(
            f"the `oxigraph` server binary was found neither in {here} nor on PATH: {INSTALL_HINT}")
    return Path(found)


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


def _check_port_free(host: str, port: int) -> None:
    h = host.strip("[]")
    try:
        infos = socket.getaddrinfo(h, port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise BackendError(f"cannot resolve {host}: {e}") from e
    fam, _, _, _, addr = infos[0]
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        try:
            s.bind(addr)
        except OSError as e:
            raise BackendError(f"cannot serve on {host}:{port}: {e.strerror or e} (is another server running there?)") from e


def _no_proxy_opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _Server:
    """One ``oxigraph serve-read-only`` process and its log (supervised by :mod:`ecokg.supervise`)."""

    def __init__(self, out_dir: Path, host: str, port: int, allow_remote: bool, query_timeout: int | None):
        if not is_loopback(host) and not allow_remote:
            raise BackendError(
                f"refusing to serve on {host!r}, which is not a loopback address: the endpoint would be "
                "reachable from other machines; pass allow_remote=True (ecokg serve --allow-remote) "
                "if that is what you want")
        if not 0 < int(port) < 65536:
            raise BackendError(f"port must be between 1 and 65535, not {port}")
        self.store = store_path(Path(out_dir))
        if not self.store.is_dir():
            raise BackendUnavailable(f"no built graph in {out_dir}: run `ecokg build --out {out_dir}` first")
        self.binary = find_binary()
        self.host, self.port = host, int(port)
        self.url = base_url(host, self.port)
        self.cmd = [str(self.binary), "serve-read-only", "--location", str(self.store),
                    "--bind", f"{_host_in_url(host)}:{self.port}"]
        if query_timeout:
            self.cmd += ["--timeout-s", str(int(query_timeout))]
        self.proc: subprocess.Popen[bytes] | None = None
        self.log: Path | None = None

    def start(self, timeout: float) -> None:
        _check_port_free(self.host, self.port)
        fd, name = tempfile.mkstemp(prefix="ecokg-oxigraph-", suffix=".log")
        os.close(fd)
        self.log = Path(name)
        env = {**os.environ, "RUST_LIB_BACKTRACE": os.environ.get("RUST_LIB_BACKTRACE", "0")}  # short errors
        try:
            # its own session: a Ctrl-C reaches only us, and we stop the server ourselves
            self.proc = supervise.start(self.cmd, log_path=self.log, env=env)
        except OSError as e:
            self.close()
            raise BackendUnavailable(f"cannot run {self.binary}: {e}; {INSTALL_HINT}") from e
        try:
            supervise.wait_until(self._answers, self.proc, timeout, interval=0.1, what="the SPARQL server")
        except BackendError as e:
            output = self.output()
            self.stop()
            raise BackendError(f"{e} ({' '.join(self.cmd)}); its output:\n{output}") from e
        except BaseException:
            self.stop()
            raise

    def _answers(self) -> bool | str:
        """True once the server answers ``ASK {}``, else why not."""
        probe = self.url + QUERY_PATH + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        req = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
        try:
            with _no_proxy_opener().open(req, timeout=2) as resp:
                if resp.status == 200 and b"true" in resp.read():
                    return True
                return f"HTTP {resp.status}"
        except urllib.error.HTTPError as e:
            return f"HTTP {e.code}"
        except (urllib.error.URLError, OSError) as e:
            return str(getattr(e, "reason", e))

    def output(self) -> str:
        """The end of the server's log."""
        text = supervise.tail(self.log).strip() if self.log else ""
        return text[-4000:] if text else "(no output)"

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            supervise.stop(proc.pid, STOP_TIMEOUT)
        self.close()

    def close(self) -> None:
        if self.log is not None:
            self.log.unlink(missing_ok=True)
            self.log = None


@contextlib.contextmanager
def running_server(out_dir: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                   allow_remote: bool = False, timeout: float = START_TIMEOUT,
                   query_timeout: int | None = None) -> Iterator[str]:
    """Run a read-only SPARQL endpoint on the built graph for the duration of a ``with`` block.

    Args:
        out_dir: the folder ``ecokg build --out`` wrote (its ``store/`` is served).
        host: address to bind; must be a loopback address unless ``allow_remote``.
        port: TCP port; ``0`` picks a free one.
        allow_remote: allow a non-loopback ``host`` (e.g. ``0.0.0.0``).
        timeout: seconds to wait until the server answers ``ASK {}``.
        query_timeout: if set, the server aborts queries running longer (seconds).

    Yields:
        The base URL, e.g. ``http://127.0.0.1:7878``; the SPARQL endpoint is ``base + "/query"``.

    Raises:
        BackendUnavailable: no built graph, or the ``oxigraph`` binary is missing.
        BackendError: a non-loopback host without ``allow_remote``, the port is taken, or the server
            did not start (the message includes its output).
    """
    if int(port) == 0:
        port = free_port(host)
    server = _Server(Path(out_dir), host, port, allow_remote, query_timeout)
    server.start(timeout)
    try:
        yield server.url
    finally:
        server.stop()


def serve(out_dir: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, allow_remote: bool = False,
          timeout: float = START_TIMEOUT, query_timeout: int | None = None,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the built graph read-only until interrupted (Ctrl-C) or the server stops.

    Restart it after ``ecokg build``: a build replaces the store under a running server.

    Args:
        out_dir: the folder ``ecokg build --out`` wrote.
        host: address to bind; must be a loopback address unless ``allow_remote``.
        port: TCP port.
        allow_remote: allow a non-loopback ``host``.
        timeout: seconds to wait until the server answers.
        query_timeout: if set, the server aborts queries running longer (seconds).
        on_ready: called with the query endpoint URL (``…/query``) once it answers.

    Raises:
        BackendUnavailable, BackendError: as :func:`running_server`; BackendError also when the
            server exits on its own.
    """
    server = _Server(Path(out_dir), host, port, allow_remote, query_timeout)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` stops the server cleanly too
    try:
        server.start(timeout)
        if on_ready is not None:
            on_ready(server.url + QUERY_PATH)
        assert server.proc is not None
        rc = server.proc.wait()
        raise BackendError(f"the SPARQL server stopped with code {rc}:\n{server.output()}")
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "QUERY_PATH", "base_url", "find_binary", "free_port", "is_loopback",
           "running_server", "serve"]
