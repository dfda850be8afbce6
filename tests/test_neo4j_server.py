"""Tests against a REAL Neo4j server (not a mock).

Start one with::

    eval "$(scripts/neo4j-local start)"
    python -m pytest tests/test_neo4j_server.py -q
    scripts/neo4j-local stop

Connection settings come from NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD
(/ NEO4J_DATABASE).  Without NEO4J_URI the tests are skipped -- except when
CI=true: there a missing or unreachable server is a failure, never a skip.
"""

from __future__ import annotations

import os
import uuid

import pytest

pytestmark = pytest.mark.neo4j

IN_CI = os.environ.get("CI", "").lower() == "true"
URI = os.environ.get("NEO4J_URI", "")
USER = os.environ.get("NEO4J_USERNAME", "neo4j")
PASSWORD = os.environ.get("NEO4J_PASSWORD", "")
DATABASE = os.environ.get("NEO4J_DATABASE", "neo4j")

PROBE_LABEL = "EcokgReadOnlyProbe"


def _unavailable(reason: str):
    """Skip locally, but fail in CI (CI must run these against a real server)."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def neo4j_mod():
    try:
        import neo4j
    except ImportError:
        _unavailable("the 'neo4j' Python driver is not installed")
    return neo4j


@pytest.fixture(scope="module")
def driver(neo4j_mod):
    if not URI:
        _unavailable(
            "NEO4J_URI is not set; start a server with "
            'eval "$(scripts/neo4j-local start)"'
        )
    drv = neo4j_mod.GraphDatabase.driver(
        URI, auth=(USER, PASSWORD), connection_timeout=10
    )
    try:
        drv.verify_connectivity()
    except Exception as exc:  # a server was named: unreachable is a failure
        drv.close()
        pytest.fail(f"Neo4j at {URI} is unreachable: {exc!r}", pytrace=False)
    yield drv
    drv.close()


def _count_probe_nodes(drv, token: str) -> int:
    records, _, _ = drv.execute_query(
        f"MATCH (n:{PROBE_LABEL} {{token: $token}}) RETURN count(n) AS c",
        token=token,
        database_=DATABASE,
        routing_="r",
    )
    return records[0]["c"]


def test_return_1_over_bolt(driver):
    records, summary, keys = driver.execute_query(
        "RETURN 1 AS one", database_=DATABASE
    )
    assert keys == ["one"]
    assert [r["one"] for r in records] == [1]
    info = driver.get_server_info()
    assert info.agent.startswith("Neo4j/"), info.agent


def _assert_access_mode_error(exc) -> None:
    # Neo4j 5: Neo.ClientError.Statement.AccessMode
    #          "Writing in read access mode not allowed. ..."
    code = getattr(exc, "code", "") or ""
    message = (getattr(exc, "message", "") or str(exc)).lower()
    assert code.endswith("AccessMode") or "read access mode" in message, (code, message)


def test_read_access_session_refuses_writes(driver, neo4j_mod):
    from neo4j.exceptions import ClientError

    token = uuid.uuid4().hex
    write = f"CREATE (n:{PROBE_LABEL} {{token: $token}}) RETURN n"
    before = _count_probe_nodes(driver, token)
    all_before = driver.execute_query(
        "MATCH (n) RETURN count(n) AS c", database_=DATABASE, routing_="r"
    ).records[0]["c"]

    # 1) auto-commit query in a session opened in READ access mode
    with driver.session(
        database=DATABASE, default_access_mode=neo4j_mod.READ_ACCESS
    ) as session:
        with pytest.raises(ClientError) as excinfo:
            session.run(write, token=token).consume()
    _assert_access_mode_error(excinfo.value)

    # 2) managed read transaction (execute_read)
    def tx_write(tx):
        return tx.run(write, token=token).consume()

    with driver.session(database=DATABASE) as session:
        with pytest.raises(ClientError) as excinfo:
            session.execute_read(tx_write)
    _assert_access_mode_error(excinfo.value)

    assert _count_probe_nodes(driver, token) == before == 0
    all_after = driver.execute_query(
        "MATCH (n) RETURN count(n) AS c", database_=DATABASE, routing_="r"
    ).records[0]["c"]
    assert all_after == all_before


def _auth_enabled(driver) -> bool:
    try:
        records, _, _ = driver.execute_query(
            "SHOW SETTINGS YIELD name, value "
            "WHERE name = 'dbms.security.auth_enabled' RETURN value",
            database_="system",
            routing_="r",
        )
    except Exception:
        return bool(PASSWORD)
    return bool(records) and str(records[0]["value"]).lower() == "true"


def test_wrong_password_is_rejected(driver, neo4j_mod):
    from neo4j.exceptions import AuthError

    if not _auth_enabled(driver):
        pytest.skip("authentication is disabled on this server")
    wrong = (PASSWORD or "x") + "-wrong-" + uuid.uuid4().hex[:6]
    bad = neo4j_mod.GraphDatabase.driver(
        URI, auth=(USER, wrong), connection_timeout=10
    )
    try:
        with pytest.raises(AuthError):
            bad.verify_connectivity()
    finally:
        bad.close()
    # the right password still works afterwards (one failure does not lock out)
    driver.verify_connectivity()


def test_load_csv_cannot_read_server_files(driver):
    """The server of scripts/neo4j-local refuses file:// URLs in LOAD CSV (hardening)."""
    from neo4j.exceptions import ClientError

    if not os.environ.get("NEO4J_LOCAL_DIR"):
        pytest.skip("not a server of scripts/neo4j-local (NEO4J_LOCAL_DIR unset)")
    with pytest.raises(ClientError) as excinfo:
        driver.execute_query(
            "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row LIMIT 1",
            database_=DATABASE,
        )
    assert "allow_csv_import_from_file_urls" in str(excinfo.value)
