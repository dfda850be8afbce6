"""Issue 14, the SPARQL side: every case of the probe, through the real command and the real endpoint.

`ecokg sparql` runs as a subprocess (its exit code and stderr are what a user sees); the endpoint
runs on a free loopback port; SERVICE is aimed at a local HTTP server of the test that must
receive no request unless the user opted in.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from ecokg.errors import QueryError
from ecokg.graph.stores.sparql_guard import QueryLimits, scan

ECOKG = os.path.join(os.path.dirname(sys.executable), "ecokg")
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CRASHER = "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 20000) + " }"  # shallow, but kills the engine


def nested(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + "}" * depth


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the installed command outside the source tree (the checkout cannot shadow the package);
    a long query argument goes through stdin (``-``)."""
    argv, stdin = [], None
    for a in args:
        if len(a) > 50_000:
            argv.append("-")
            stdin = a
        else:
            argv.append(a)
    return subprocess.run([ECOKG, *argv], capture_output=True, text=True, timeout=timeout, cwd="/", input=stdin)


def one_line_error(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode not in (0, -11, 139), (res.returncode, res.stderr)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in res.stderr
    assert lines and lines[-1].startswith("Error:"), res.stderr
    return lines[-1]


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets: ``(url, paths)``."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    finally:
        server.shutdown()
        server.server_close()


# -- the lexer: no false positives, no false negatives ------------------------------------------
@pytest.mark.parametrize("text, depth, service", [
    ('SELECT * WHERE { ?s ?p "SERVICE" }', 1, False),
    ("SELECT * WHERE { ?s ?p '''a SERVICE {{{ b''' }", 1, False),
    ("SELECT * WHERE { ?s <http://x/SERVICE#a> ?o } # SERVICE <http://x/> {{{", 1, False),
    ("SELECT ?SERVICE WHERE { ?s ex:SERVICE ?SERVICE . ?s service:x $service }", 1, False),
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", 2, True),
    ("select * where { service silent <http://x/> { ?s ?p ?o } }", 2, True),
    ("SELECT * WHERE { ?s ?p ?o .SERVICE ?e { ?s ?p ?o } }", 2, True),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o<?b&&?c>1) SERVICE <http://x/> {} }", 2, True),
    (r"SELECT * WHERE { \u0053ERVICE <http://x/> { } }", 2, True),
    ("SELECT * WHERE { << << ?a ?b ?c >> ?d ?e >> ?f ?g }", 3, False),
    (nested(5000), 5000, False),
], ids=["string", "long-string", "iri-comment", "variable-pname", "service", "silent-lowercase",
        "after-dot", "after-less-than", "unicode-escape", "quoted-triples", "deep"])
def test_scan_finds_depth_and_service(text: str, depth: int, service: bool) -> None:
    assert scan(text) == (depth, service)


# -- ecokg sparql ---------------------------------------------------------------------------------
@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
], ids=["service", "service-silent"])
def test_cli_refuses_service_and_sends_nothing(built: Any, listener: tuple[str, list[str]], query: str) -> None:
    url, seen = listener
    res = run_cli("sparql", "--out", str(built.out_dir), query.replace("{url}", url))
    assert "SERVICE" in one_line_error(res) and "--allow-service" in res.stderr
    assert seen == []
    # the opt-in really lets the engine call out: the refusal above is what kept the listener silent
    opted = run_cli("sparql", "--out", str(built.out_dir), "--allow-service", "--timeout", "20",
                    query.replace("{url}", url))
    assert seen, opted.stderr


def test_cli_runs_a_literal_that_spells_service(built: Any, store: Any) -> None:
    q = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != "SERVICE <http://127.0.0.1:9/> {}") }'
    res = run_cli("sparql", "--out", str(built.out_dir), q)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == store.query(q)


@pytest.mark.parametrize("args, expect", [
    (["sparql", nested(5000)], "nests brackets 5000 deep"),
    (["sparql", CRASHER], "crashed"),
    (["sparql", "-p", "a b=1", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"], "a b"),
    (["sparql", "SELEC nonsense"], "syntax error"),
    (["sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "read-only"),
], ids=["5000-nested", "engine-crash", "bad-param-name", "syntax", "update"])
def test_cli_bad_queries_give_one_line(built: Any, args: list[str], expect: str) -> None:
    res = run_cli(args[0], "--out", str(built.out_dir), *args[1:])
    assert expect in one_line_error(res)


def test_cli_timeout_stops_a_cartesian_query(built: Any) -> None:
    start = time.monotonic()
    res = run_cli("sparql", "--out", str(built.out_dir), "--timeout", "2", CARTESIAN)
    elapsed = time.monotonic() - start
    assert "did not finish within 2 s" in one_line_error(res)
    assert elapsed < 10, elapsed


def test_cli_ctrl_c_stops_a_running_query(built: Any) -> None:
    proc = subprocess.Popen([ECOKG, "sparql", "--out", str(built.out_dir), "--timeout", "0", CARTESIAN],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/",
                            start_new_session=True)
    time.sleep(3)  # the worker is computing by now
    workers = _children(proc.pid)
    assert workers, "the query should run in a child process"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    proc.communicate(timeout=15)
    assert proc.returncode != 0
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and "Z" not in Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2][:3]]


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                fields = (p / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(p.name))
    return out


def test_cli_row_cap(built: Any, store: Any) -> None:
    q = "SELECT ?s WHERE { ?s a eco:Person } ORDER BY ?s"
    res = run_cli("sparql", "--out", str(built.out_dir), "--max-rows", "3", q)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == store.query(q)[:3]
    assert "first 3 rows" in res.stderr


def test_library_refuses_a_parameter_that_is_no_variable(built: Any) -> None:
    import ecokg

    with ecokg.open(built.out_dir) as kg:
        with pytest.raises(QueryError, match="not a SPARQL variable name"):
            kg.sparql("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"a b": 1})
        assert kg.sparql("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }", limits=QueryLimits(max_rows=2)).truncated


# -- the endpoint ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def endpoint(built: Any) -> Iterator[str]:
    from ecokg.serve import running_server

    with running_server(built.out_dir, "127.0.0.1", 0, limits=QueryLimits(timeout=2), max_body=100_000,
                        log=lambda m: None) as url:
        yield url + "/query"


def post(url: str, body: bytes, ctype: str = "application/sparql-query", headers: dict[str, str] | None = None,
         timeout: float = 30) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": ctype, "Accept": "application/sparql-results+json",
                                          **(headers or {})})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def count_via(url: str) -> int:
    status, body, _ = post(url, COUNT.encode())
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("body, headers, status, expect", [
    (("query=" + urllib.parse.quote(nested(3000))).encode(), {"Content-Type": "application/x-www-form-urlencoded"},
     400, "3000 deep"),
    (nested(5000).encode(), {}, 400, "5000 deep"),
    (b"#" * 200_000, {}, 413, "over the limit"),
    (CARTESIAN.encode(), {}, 503, "within 2 s"),
    (b"SELEC nonsense", {}, 400, "syntax error"),
    (b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", {}, 403, "read-only"),
    (COUNT.encode(), {"Host": "rebind.attacker.example:80"}, 403, "Host header refused"),
], ids=["3000-nested-form", "5000-nested", "huge-body", "cartesian", "syntax", "update",
        "dns-rebinding"])
def test_endpoint_refuses_and_keeps_serving(endpoint: str, store: Any, body: bytes, headers: dict[str, str],
                                            status: int, expect: str) -> None:
    ctype = headers.pop("Content-Type", "application/sparql-query") if headers else "application/sparql-query"
    start = time.monotonic()
    got, text, _ = post(endpoint, body, ctype, headers)
    assert (got, expect in text.decode()) == (status, True), text[:300]
    assert time.monotonic() - start < 10
    assert count_via(endpoint) == len(store)  # still serving, right after


def test_endpoint_survives_an_engine_crash(built: Any, store: Any) -> None:
    from ecokg.serve import running_server  # a body limit large enough for the crashing text

    with running_server(built.out_dir, "127.0.0.1", 0, limits=QueryLimits(timeout=20), log=lambda m: None) as url:
        got, text, _ = post(url + "/query", CRASHER.encode())
        assert got == 500 and b"crashed" in text
        assert count_via(url + "/query") == len(store)


def test_endpoint_refuses_service_and_sends_nothing(endpoint: str, listener: tuple[str, list[str]]) -> None:
    url, seen = listener
    for q in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
              f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"):
        got, text, _ = post(endpoint, q.encode())
        assert got == 400 and b"SERVICE" in text
        got, text, _ = post(endpoint + "?" + urllib.parse.urlencode({"query": q}), b"", "text/plain")
        assert got in (400, 415)
    assert seen == []


def test_endpoint_accepts_the_loopback_names(endpoint: str) -> None:
    port = urllib.parse.urlsplit(endpoint).port
    for host in ("127.0.0.1", "localhost", f"localhost:{port}", f"127.0.0.1:{port}"):
        got, _, _ = post(endpoint, b"ASK {}", headers={"Host": host})
        assert got == 200, host


def test_endpoint_moves_to_a_new_generation(built: Any, tmp_path: Path, store: Any) -> None:
    """A build that switches OUT/current is picked up at the next request (case 13c)."""
    from ecokg.graph.model import KnowledgeGraph
    from ecokg.graph.stores.oxigraph import RdfStore
    from ecokg.serve import running_server

    out = tmp_path / "out"
    (out / "generations" / "g1").mkdir(parents=True)
    shutil.copytree(store.path, out / "generations" / "g1" / "store")
    (out / "current").symlink_to(Path("generations") / "g1")
    notes: list[str] = []
    with running_server(out, "127.0.0.1", 0, log=notes.append) as url:
        assert count_via(url + "/query") == len(store)
        (out / "generations" / "g2").mkdir()
        small = RdfStore(out / "generations" / "g2" / "store")
        small.write(KnowledgeGraph())
        small._store.add(__import__("pyoxigraph").Quad(*(__import__("pyoxigraph").NamedNode(f"urn:t:{c}")
                                                         for c in "spo")))
        small.close()
        del small
        (out / "next").symlink_to(Path("generations") / "g2")
        os.replace(out / "next", out / "current")  # the one rename a build makes
        status, body, headers = post(url + "/query", COUNT.encode())
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "1"
        assert {k.lower(): v for k, v in headers.items()}["x-ecokg-generation"] == "g2"
        assert any("g1 -> g2" in n for n in notes)


# -- ecokg serve: the port ---------------------------------------------------------------------------
def _start_serve(out_dir: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen([ECOKG, "serve", "--out", str(out_dir), "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd="/")


def _wait_answering(url: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if post(url, b"ASK {}", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_serve_restarts_on_the_same_port_and_names_a_taken_one(built: Any) -> None:
    from ecokg.serve import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}/query"
    first = _start_serve(built.out_dir, port)
    try:
        _wait_answering(url, first)
        for _ in range(5):  # connections the server closes leave it sockets in TIME_WAIT
            assert post(url, COUNT.encode())[0] == 200
        taken = run_cli("serve", "--out", str(built.out_dir), "--port", str(port))
        line = one_line_error(taken)
        assert f"port {port}" in line and "--port" in line
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=30)
    assert first.returncode == 0
    second = _start_serve(built.out_dir, port)  # at once, not 60 s later
    try:
        _wait_answering(url, second)
    finally:
        second.terminate()
        second.communicate(timeout=30)
    assert second.returncode == 0


def test_port_is_free_after_serve(built: Any) -> None:
    from ecokg.serve import free_port, running_server

    port = free_port()
    with running_server(built.out_dir, "127.0.0.1", port, log=lambda m: None) as url:
        assert count_via(url + "/query") > 0
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
