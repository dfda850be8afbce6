"""pytest plugin: the session fixture ``neo4j_server``, a REAL Neo4j server.

Load it from conftest.py with ``pytest_plugins = ["neo4j_fixture"]``.

* ``NEO4J_URI`` set (e.g. by ``eval "$(scripts/neo4j-local start)"``): that server,
  with NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE / NEO4J_LOCAL_DIR. It must
  answer ``verify_connectivity()``.
* ``NEO4J_URI`` unset: a server started with :mod:`ecokg.neo4j_local` in a temp dir,
  on a free Bolt port with HTTP off; stopped (and its dir removed) after the session.
  Needs Java 17+ (and Maven if the jar cache is cold).

When the server is unreachable or cannot be started for lack of tools, the tests
that use it are skipped -- except with ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import shutil
import socket
from collections.abc import Iterator

import pytest

from ecokg import neo4j_local
from needs import unavailable
from ecokg.errors import EcoKGError
from ecokg.neo4j_local import ServerInfo, Settings


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def verify(info: ServerInfo) -> None:
    """Log in to ``info`` once; unreachable -> :func:`unavailable`."""
    try:
        import neo4j
    except ImportError:
        unavailable("the 'neo4j' Python driver is not installed")
    try:
        with neo4j.GraphDatabase.driver(info.uri, auth=(info.user, info.password), connection_timeout=10) as drv:
            drv.verify_connectivity()
    except Exception as exc:
        unavailable(f"Neo4j at {info.uri} is unreachable: {exc!r}")


def missing_requirements(settings: Settings) -> list[str]:
    """Why ecokg.neo4j_local cannot start a server here ([] if it can)."""
    missing = []
    try:
        neo4j_local.find_java(settings)
    except EcoKGError as exc:
        missing.append(str(exc))
    if not neo4j_local.lib_complete(settings.lib) and shutil.which("mvn") is None:
        missing.append(f"Maven (mvn) is needed to fill the jar cache {settings.lib}")
    if importlib.util.find_spec("neo4j") is None:
        missing.append("the 'neo4j' Python driver is not installed")
    return missing


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[ServerInfo]:
    """Connection info of a real Neo4j: the one named by NEO4J_URI, else one started here."""
    info = ServerInfo.from_env()
    if info is not None:
        verify(info)
        yield info
        return
    settings = dataclasses.replace(Settings.from_env(), bolt_port=free_port(), http_port=None)
    missing = missing_requirements(settings)
    if missing:
        unavailable("NEO4J_URI is unset and a local Neo4j cannot be started: " + "; ".join(missing))
    try:
        info = neo4j_local.start(None, settings=settings)  # a new temp dir
    except EcoKGError as exc:
        pytest.fail(f"starting a local Neo4j failed: {exc}", pytrace=False)
    try:
        yield info
    finally:
        assert info.dir is not None
        neo4j_local.stop(info.dir, timeout=settings.stop_timeout)  # also removes the temp dir
