"""Issue 14, the Neo4j side: read-only Cypher, the local server's limits, credentials in URIs,
what users add to the graph, and loads that lose their server or are killed.

Against the session's real server (tests/neo4j_fixture.py). The command line runs as a
subprocess where the case is about what a user sees; those runs start together (the
``cli_runs`` fixture), so the table costs about one CLI start.
"""

from __future__ import annotations

import dataclasses
import http.server
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecokg.errors import QueryError, ReadOnlyViolation
from ecokg.graph.stores.cypher_guard import refusal
from ecokg.ontology import ID_NS

ECOKG = str(Path(sys.executable).parent / "ecokg")


# ----------------------------------------------------------------- the lexer, no server
REFUSED = [  # (query, what the refusal names)
    ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD CSV"),
    ("load csv from 'https://example.org/x' as l return l", "LOAD CSV"),
    ("LOAD /* a comment */ CSV FROM 'x' AS l RETURN l", "LOAD CSV"),
    ("LOAD\u200bCSV FROM 'x' AS l RETURN l", "LOAD CSV"),
    ("MATCH (n) WITH n LIMIT 1 LOAD CSV WITH HEADERS FROM n.url AS l RETURN l", "LOAD CSV"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE TRANSACTIONS"),
    ("terminate transaction 'neo4j-transaction-1'", "TERMINATE TRANSACTION"),
    ("SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t", "SHOW TRANSACTIONS"),
    ("CALL db.clearQueryCaches()", "db.clearQueryCaches"),
    ("CALL `db`.`clearQueryCaches`()", "db.clearQueryCaches"),
    ("MATCH (n) CALL db.stats.clear('QUERIES') YIELD section RETURN section", "db.stats.clear"),
    ("CALL dbms.listConfig() YIELD name, value RETURN name, value", "dbms.listConfig"),
    ("CALL dbms.killConnections(['bolt-1'])", "dbms.killConnections"),
    ("CALL apoc.export.csv.all('x.csv', {})", "apoc.export.csv.all"),
    ("OPTIONAL CALL db.createLabel('X')", "db.createLabel"),
    ("SHOW USERS", "SHOW USERS"),
    ("show roles", "SHOW ROLES"),
    ("SHOW PRIVILEGES", "SHOW PRIVILEGES"),
    ("SHOW DATABASES YIELD name", "SHOW DATABASES"),
    ("USE system SHOW USERS", "SHOW USERS"),
    ("CYPHER 5 SHOW CURRENT USER", "SHOW CURRENT"),
    ("SHOW SETTINGS", "SHOW SETTINGS"),
    ("SHOW SERVERS", "SHOW SERVERS"),
    ("CREATE USER eve SET PASSWORD 'abcdefgh1'", "CREATE USER"),
    ("CREATE OR REPLACE DATABASE x", "CREATE OR"),
    ("CREATE INDEX i FOR (n:X) ON (n.y)", "CREATE INDEX"),
    ("DROP DATABASE neo4j", "DROP DATABASE"),
    ("DROP CONSTRAINT ecokg_person_id", "DROP CONSTRAINT"),
    ("ALTER USER neo4j SET PASSWORD 'abcdefgh2'", "ALTER USER"),
    ("RENAME ROLE a TO b", "RENAME ROLE"),
    ("GRANT ROLE admin TO eve", "GRANT ROLE"),
    ("DENY READ {*} ON GRAPH * TO reader", "DENY READ"),
    ("REVOKE ROLE admin FROM eve", "REVOKE ROLE"),
    ("STOP DATABASE neo4j", "STOP DATABASE"),
    ("START DATABASE neo4j", "START DATABASE"),
]
ALLOWED = [
    "MATCH (p:Person {name: 'LOAD CSV'}) RETURN p.name",
    "RETURN 'TERMINATE TRANSACTIONS' AS t // LOAD CSV FROM 'file:///etc/passwd'",
    "RETURN 1 /* CALL db.clearQueryCaches() */ AS one",
    "MATCH (`LOAD`)-->(`CSV`) RETURN 1",
    "MATCH (n) WHERE n.show = 1 OR n.load = 2 RETURN n",
    "RETURN {show: 1, load: 2, drop: 3} AS m",
    "MATCH (start)-->(stop) RETURN start, stop",
    "MATCH (g:Grant) RETURN g AS grant",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.index.fulltext.queryNodes('names', 'x') YIELD node RETURN node",
    "MATCH (o) CALL (o) { RETURN 1 AS one } RETURN one",
    "CALL { MATCH (n) RETURN n } RETURN n",
    "SHOW INDEXES",
    "SHOW ALL CONSTRAINTS YIELD name",
    "SHOW PROCEDURES YIELD name, mode",
    "SHOW USER DEFINED FUNCTIONS",
    "SHOW BUILT IN FUNCTIONS",
    "CYPHER runtime=slotted PROFILE MATCH (n) RETURN count(n)",
]


@pytest.mark.parametrize(("query", "names"), REFUSED, ids=[q[:40] for q, _ in REFUSED])
def test_guard_refuses(query: str, names: str) -> None:
    why = refusal(query)
    assert why is not None and names in why, why


@pytest.mark.parametrize("query", ALLOWED, ids=[q[:40] for q in ALLOWED])
def test_guard_allows(query: str) -> None:
    assert refusal(query) is None


def test_every_question_passes_the_guard() -> None:
    from ecokg.graph.questions import public_questions

    assert {name: refusal(q.cypher) for name, q in public_questions().items() if q.cypher} == {
        name: None for name, q in public_questions().items() if q.cypher}


# ------------------------------------------------------ read-only queries on the server


@pytest.mark.neo4j
@pytest.mark.parametrize(("query", "names"), REFUSED[:12], ids=[q[:40] for q, _ in REFUSED[:12]])
def test_store_refuses_before_sending(neo4j_store: Any, query: str, names: str) -> None:
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        neo4j_store.query(query)


@pytest.mark.neo4j
@pytest.mark.parametrize("query", ["CREATE (n:HardeningProbe) RETURN n", "MERGE (n:HardeningProbe) RETURN n",
                                   "MATCH (n:Person) WITH n LIMIT 1 SET n.probe = 1 RETURN n.probe"])
def test_the_server_refuses_writes(neo4j_store: Any, query: str) -> None:
    with pytest.raises(ReadOnlyViolation, match="tries to write"):
        neo4j_store.query(query)
    assert neo4j_store.query("MATCH (n) WHERE n:HardeningProbe OR n.probe IS NOT NULL RETURN count(n) AS c") == [
        {"c": 0}]


@pytest.mark.neo4j
@pytest.mark.parametrize("query", ["CALL db.clearQueryCaches()", "CALL dbms.listConfig()", "SHOW DATABASES",
                                   "CREATE (n)"])
def test_explain_layer_alone_refuses(neo4j_store: Any, query: str) -> None:
    """The second layer, without the lexer: the server's EXPLAIN must call the query a read."""
    import neo4j

    with neo4j_store.driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
        with pytest.raises(ReadOnlyViolation):
            neo4j_store._check_plan(session, query, {})


@pytest.mark.neo4j
def test_catalogue_queries_still_run(loaded_neo4j: Any, kg: Any) -> None:
    store, _ = loaded_neo4j
    labels = {r["label"] for r in store.query("CALL db.labels() YIELD label RETURN label")}
    assert {n_cls for n in kg.nodes.values() for n_cls in n.classes} <= labels
    names = {r["name"] for r in store.query("SHOW INDEXES YIELD name RETURN name")}
    assert "ecokg_person_name" in names


@pytest.mark.neo4j
def test_big_integer_parameter_is_a_clear_error(neo4j_store: Any) -> None:
    with pytest.raises(QueryError, match="64-bit"):
        neo4j_store.query("RETURN $n AS n", {"n": 2**64 + 5})
    assert neo4j_store.query("RETURN $n AS n", {"n": 2**63 - 1}) == [{"n": 2**63 - 1}]


@pytest.mark.neo4j
@pytest.mark.parametrize("query", ["", "   ", "// only a comment"])
def test_empty_query_is_a_clear_error(neo4j_store: Any, query: str) -> None:
    for write in (False, True):
        with pytest.raises(QueryError, match="empty"):
            neo4j_store.query(query, write=write)


# --------------------------------------------------------- the command line, as users run it
class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        type(self).hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"a,b\n1,2\n")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server that records every request (the target of the SSRF cases)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1], _Counting.hits
    httpd.shutdown()


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "ECOKG_DEBUG"}


@dataclasses.dataclass
class Case:
    """One CLI run: its arguments, environment, and what the user must (not) see."""

    id: str
    args: list[str]
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    exit: int = 1
    says: tuple[str, ...] = ()
    server_setting: bool = False  # checks a setting of the local server (skipped on other servers)


def _cases(info: Any, http_port: int, out: Path) -> list[Case]:
    port = info.uri.rsplit(":", 1)[1]
    state = f"file://{info.dir}/neo4j-local.state" if info.dir else "file:///neo4j-local.state"
    pw = info.password
    cases = [Case("1-read-state", ["cypher", f"LOAD CSV FROM '{state}' AS l RETURN l"], says=("may not use LOAD CSV",))]
    for name, url in (("state", state), ("environ", "file:///proc/self/environ"),
                      ("import-dir", "file:///neo4j-local.state")):
        cases.append(Case(f"1-write-{name}", ["cypher", "--write", f"LOAD CSV FROM '{url}' AS l RETURN l"],
                          says=("allow_csv_import_from_file_urls",), server_setting=True))
    cases.append(Case("2-read-127.0.0.1", ["cypher", f"LOAD CSV FROM 'http://127.0.0.1:{http_port}/r' AS l RETURN l"],
                      says=("may not use LOAD CSV",)))
    for host in ("127.0.0.1", "localhost"):
        url = f"http://{host}:{http_port}/probe-{host}"
        cases.append(Case(f"2-write-{host}", ["cypher", "--write", f"LOAD CSV FROM '{url}' AS l RETURN l"],
                          says=("cypher_ip_blocklist",), server_setting=True))
    cases += [
        Case("4-userinfo-ok", ["cypher", "RETURN 1 AS one"], {"NEO4J_URI": f"bolt://neo4j:{pw}@127.0.0.1:{port}"},
             exit=0),
        Case("4-userinfo-wrong", ["cypher", "RETURN 1 AS one"],
             {"NEO4J_URI": f"bolt://neo4j:{pw}x@127.0.0.1:{port}"}, says=("refused the credentials",)),
        Case("4-userinfo-unreachable", ["load", "neo4j", "--out", str(out)],
             {"NEO4J_URI": f"bolt://neo4j:{pw}@127.0.0.1:{_free_port()}"}, says=("cannot reach Neo4j",)),
        Case("5a-terminate", ["cypher", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"],
             says=("TERMINATE TRANSACTIONS",)),
        Case("16-empty", ["cypher", ""], says=("the query is empty",)),
        Case("16-not-a-uri", ["cypher", "RETURN 1"], {"NEO4J_URI": "not a uri"}, says=("is not a Bolt URI",)),
        Case("16-http-uri", ["cypher", "RETURN 1"], {"NEO4J_URI": f"http://neo4j:{pw}@127.0.0.1:7474"},
             says=("is not a Bolt URI", "neo4j:***@")),
        Case("16-batch-0", ["load", "neo4j", "--out", str(out), "--batch", "0"], exit=2, says=("--batch",)),
        Case("16-batch-negative", ["load", "neo4j", "--out", str(out), "--batch", "-5"], exit=2, says=("--batch",)),
        Case("16-int64", ["cypher", "RETURN $n AS n", "-p", "n=99999999999999999999999"], exit=-1),
    ]
    return cases


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _conf(info: Any) -> str:
    try:
        return (Path(info.dir) / "conf" / "neo4j.conf").read_text(encoding="utf-8") if info.dir else ""
    except OSError:
        return ""


@pytest.fixture(scope="module")
def cli_runs(neo4j_server: Any, neo4j_env: dict[str, str], listener: tuple[int, list[str]],
             built: Any) -> dict[str, tuple[Case, subprocess.CompletedProcess[str]]]:
    """Every case of :func:`_cases`, run at once as real ``ecokg`` processes."""
    cases = _cases(neo4j_server, listener[0], built.out_dir)
    procs = []
    for case in cases:
        env = {**_base_env(), **neo4j_env, **case.env}
        if "NEO4J_URI" in case.env and "@" in case.env["NEO4J_URI"]:
            env.pop("NEO4J_PASSWORD")
        procs.append(subprocess.Popen([ECOKG, *case.args], env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    results = {}
    for case, proc in zip(cases, procs):
        out, err = proc.communicate(timeout=120)
        results[case.id] = (case, subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


CASE_IDS = [c.id for c in _cases(dataclasses.make_dataclass("Info", ["uri", "dir", "password"])("bolt://x:1", None, "p"),
                                  0, Path("out"))]


@pytest.mark.neo4j
@pytest.mark.parametrize("case_id", CASE_IDS)
def test_cli_case(case_id: str, cli_runs: dict[str, Any], neo4j_server: Any) -> None:
    case, res = cli_runs[case_id]
    if case.server_setting and "cypher_ip_blocklist" not in _conf(neo4j_server):
        pytest.skip("the server is not one ecokg.neo4j_local configured (its settings are the point)")
    seen = res.stdout + res.stderr
    assert neo4j_server.password not in seen  # case 4: never the password, whatever failed
    assert "Traceback" not in seen
    if case.exit == -1:  # either sent as a string, or refused with one clear line
        assert res.returncode in (0, 1), seen
        if res.returncode == 1:
            assert res.stderr.count("\n") == 1 and "64-bit" in res.stderr, seen
        return
    assert res.returncode == case.exit, seen
    if case.exit == 1:
        assert res.stderr.startswith("Error: ") and res.stderr.count("\n") == 1, res.stderr
    for text in case.says:
        assert text in res.stderr, res.stderr
    if case.exit == 0:
        assert '"one": 1' in res.stdout


@pytest.mark.neo4j
def test_no_request_reached_the_listener(cli_runs: dict[str, Any], listener: tuple[int, list[str]]) -> None:
    """Case 2: neither read-only (refused by the client) nor --write (blocked by the server) fetches."""
    assert [k for k in cli_runs if k.startswith("2-")]
    assert listener[1] == []


# ------------------------------------------------------------- what users add to the graph
@pytest.fixture()
def restored(loaded_neo4j: Any, kg: Any) -> Iterator[Any]:
    """The loaded store; afterwards the user's additions are removed and the graph is whole again."""
    store, _ = loaded_neo4j
    yield store
    store.query("MATCH (u:UserNote) DETACH DELETE u", write=True)
    store.query("MATCH ()-[r:KNOWS]->() DELETE r", write=True)
    store.query("MATCH (n) WHERE n.myNote IS NOT NULL REMOVE n.myNote", write=True)
    store.write(kg)


def _two_people(store: Any) -> list[str]:
    return [r["id"] for r in store.query("MATCH (p:Person) RETURN p.id AS id ORDER BY id LIMIT 2")]


@pytest.mark.neo4j
def test_user_property_survives_load_and_owned_ones_are_restored(restored: Any, kg: Any) -> None:
    """Case 13a: a property ecokg does not own survives; one it owns goes back to the graph's value."""
    store = restored
    pid = _two_people(store)[0]
    node = kg.nodes[pid]
    stray = next(p for p in sorted(kg.schema.datatype_properties) if p not in node.props and p != "id")
    store.query(f"MATCH (p:Person {{id: $id}}) SET p.myNote = 'keep', p.name = 'changed', p.{stray} = 'stray'",
                {"id": pid}, write=True)
    report = store.write(kg)
    row = store.query(f"MATCH (p:Person {{id: $id}}) RETURN p.myNote AS note, p.name AS name, p.{stray} AS stray",
                      {"id": pid})
    assert row == [{"note": "keep", "name": node.props["name"], "stray": None}]
    assert report.details["properties_set"] >= 1
    again = store.write(kg)  # idempotent with the user's property in place
    assert again.details == {"nodes_created": 0, "relationships_created": 0, "properties_set": 0, "labels_added": 0}


@pytest.mark.neo4j
def test_wipe_keeps_user_relationships(restored: Any, kg: Any, built: Any, neo4j_env: dict[str, str]) -> None:
    """Case 13b: --wipe deletes ecokg's relationships and nodes, but not a user's relationship nor
    the ecokg nodes it touches (kept whole; the load after the wipe merges onto them)."""
    from ecokg.cli import cli

    store = restored
    reference = store.counts()
    a, b = _two_people(store)
    store.query("MATCH (a:Person {id: $a}), (b:Person {id: $b}) SET a.myNote = 'keep' "
                "CREATE (:UserNote {text: 'mine'})-[:ABOUT]->(a) CREATE (a)-[:KNOWS]->(b)",
                {"a": a, "b": b}, write=True)
    ecokg_nodes = "MATCH (n) WHERE n.id STARTS WITH $ns RETURN n.id AS id ORDER BY id"
    before = store.query(ecokg_nodes, {"ns": ID_NS})
    deleted, kept = store.wipe()
    assert (deleted, kept) == (len(before) - 2, 2)
    assert [r["id"] for r in store.query(ecokg_nodes, {"ns": ID_NS})] == sorted([a, b])
    res = CliRunner().invoke(cli, ["load", "neo4j", "--wipe", "--out", str(built.out_dir)], env=neo4j_env)
    assert res.exit_code == 0, res.output
    assert "kept 2" in res.stderr
    assert store.query("MATCH (:UserNote)-[:ABOUT]->(a:Person {id: $a})-[:KNOWS]->(b:Person {id: $b}) "
                       "RETURN a.myNote AS note", {"a": a, "b": b}) == [{"note": "keep"}]
    assert store.counts() == reference


# ---------------------------------------------------------------- loads that die half-way
class _Proxy:
    """A TCP relay to the server that can be cut: to the driver, the server goes away."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.up = 0  # bytes from the client
        self.conns: list[socket.socket] = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            if self.closed:
                client.close()
                return
            server = socket.create_connection(self.target)
            self.conns += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, up: bool) -> None:
        try:
            while data := src.recv(65536):
                if up:
                    self.up += len(data)
                dst.sendall(data)
        except OSError:
            pass

    def cut(self) -> None:
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() (a bare close() would not)
        except OSError:
            pass
        self.sock.close()
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()


@pytest.mark.neo4j
def test_lost_server_mid_load_is_one_line_in_bounded_time(loaded_neo4j: Any, kg: Any, built: Any,
                                                           neo4j_server: Any, neo4j_env: dict[str, str]) -> None:
    """Case 18a: the connection goes mid-load -> one line naming the rows written, within the retry time."""
    store, _ = loaded_neo4j
    host, port = neo4j_server.uri.rsplit("//", 1)[1].rsplit(":", 1)
    proxy = _Proxy((host, int(port)))
    env = {**_base_env(), **neo4j_env, "NEO4J_URI": f"bolt://127.0.0.1:{proxy.port}", "ECOKG_NEO4J_RETRY_TIME": "2"}
    # --full: the graph is loaded already, and a load that finds nothing changed would send nothing
    proc = subprocess.Popen([ECOKG, "load", "neo4j", "--full", "--out", str(built.out_dir)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while proxy.up < 300_000 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # the rows are flowing once some 300 kB went up
        assert proc.poll() is None, "the load ended before the cut"
        proxy.cut()
        t0 = time.monotonic()
        out, err = proc.communicate(timeout=60)
        took = time.monotonic() - t0
    finally:
        proxy.cut()
        if proc.poll() is None:
            proc.kill()
        store.write(kg)
    assert proc.returncode == 1, (out, err)
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("wiped ", "ecokg: "))]
    assert len(lines) == 1 and lines[0].startswith("Error: lost the connection to Neo4j at "), err
    assert "rows written; re-run `ecokg load neo4j`, it converges" in err
    assert neo4j_server.password not in out + err
    assert took < 2 + 5 + 5, took  # the retry time and one connection timeout, plus a margin


@pytest.mark.neo4j
def test_killed_loads_lose_nothing_and_converge(loaded_neo4j: Any, kg: Any, built: Any,
                                                 neo4j_env: dict[str, str]) -> None:
    """The small version of bench/crash_load.py: SIGKILL `ecokg load neo4j --wipe` 3 times at seeded
    random moments; the graph stays readable, the user's property stays, a re-run converges."""
    store, _ = loaded_neo4j
    reference = store.counts()
    pid = _two_people(store)[0]
    store.query("MATCH (p:Person {id: $id}) SET p.myNote = 'keep' CREATE (:UserNote)-[:ABOUT]->(p)", {"id": pid},
                write=True)
    rng = random.Random(14)
    env = {**_base_env(), **neo4j_env}
    try:
        for _ in range(3):
            proc = subprocess.Popen([ECOKG, "load", "neo4j", "--wipe", "--out", str(built.out_dir)], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(1.0, 3.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            store.counts()  # readable
            assert store.query("MATCH (:UserNote)-[:ABOUT]->(p:Person {id: $id}) RETURN p.myNote AS n",
                               {"id": pid}) == [{"n": "keep"}]
            store.write(kg)
            assert store.counts() == reference
    finally:
        store.query("MATCH (u:UserNote) DETACH DELETE u", write=True)
        store.query("MATCH (n) WHERE n.myNote IS NOT NULL REMOVE n.myNote", write=True)
        store.write(kg)
