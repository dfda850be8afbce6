"""Shared fixtures: one build of the bundled sample per test session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

GOLD = Path(__file__).parent / "gold" / "bluebook_2024_sample.gold.json"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip locally when a tool is missing; fail in CI, where everything must run."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    from ecokg.graph.pipeline import build, sample_deals_path

    out = tmp_path_factory.mktemp("out")
    return build(out_dir=out, deals=[sample_deals_path()])


@pytest.fixture(scope="session")
def store(built):
    from ecokg.graph.store import open_store

    return open_store(built.out_dir)


@pytest.fixture(scope="session")
def roster(store):
    from ecokg.graph.roster import roster as make

    return make(store)


@pytest.fixture(scope="session")
def gold():
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def curated():
    from ecokg.loaders.curated import load_curated

    return load_curated()


@pytest.fixture(scope="session")
def sample_text():
    from ecokg.graph.pipeline import sample_path

    return sample_path().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def neo4j_conn():
    """The real Neo4j named by NEO4J_URI (scripts/neo4j-local start). Missing: skip locally, fail in CI."""
    from ecokg.errors import BackendUnavailable
    from ecokg.graph.neo4j_store import Connection, connect

    require(bool(os.environ.get("NEO4J_URI")), 'NEO4J_URI is not set: eval "$(scripts/neo4j-local start)"')
    conn = Connection.from_env()
    try:
        driver = connect(conn)
    except BackendUnavailable as e:
        if IN_CI:
            pytest.fail(str(e))
        pytest.skip(str(e))
    yield driver, conn
    driver.close()


@pytest.fixture(scope="session")
def loaded_neo4j(neo4j_conn, built):
    """The sample graph loaded into Neo4j (after wiping what ecokg wrote before)."""
    from ecokg.graph import neo4j_store

    driver, conn = neo4j_conn
    neo4j_store.wipe(driver, conn.database)
    first = neo4j_store.load(driver, conn.database, built.kg)
    return driver, conn, first
