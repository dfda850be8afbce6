"""Shared fixtures: one build of the bundled sample per test session, and the stores."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

GOLD = Path(__file__).parent / "gold" / "bluebook_2024_sample.gold.json"
pytest_plugins = ["neo4j_fixture", "browser_fixture"]  # the real Neo4j server; headless Chromium


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The README's main build: the bundled Blue Book sample, the shipped public sources and the
    sample deal data."""
    from ecokg.loaders import default_sources, sample_deals_path

    from ecokg.build import build

    out = tmp_path_factory.mktemp("out")
    return build([*default_sources(), ("deals", sample_deals_path())], out_dir=out)


@pytest.fixture(scope="session")
def generate() -> Any:
    """bench/generate.py, the synthetic ecosystem generator, loaded once as a module."""
    spec = importlib.util.spec_from_file_location("bench_generate", Path(__file__).resolve().parent.parent
                                                  / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def kg(built: Any) -> Any:
    """The model graph of the build (what every store must give back)."""
    return built.kg


@pytest.fixture(scope="session")
def store(built: Any) -> Any:
    """The embedded store the build wrote, read-only."""
    from ecokg.graph.stores.oxigraph import RdfStore

    return RdfStore.open(built.out_dir)


@pytest.fixture(scope="session")
def roster(kg: Any) -> Any:
    from ecokg.graph.roster import roster as make

    return make(kg)


@pytest.fixture(scope="session")
def gold() -> Any:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def curated() -> Any:
    from ecokg.loaders.curated import load_curated

    return load_curated()


@pytest.fixture(scope="session")
def sample_text() -> str:
    from ecokg.loaders import sample_path

    return sample_path().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def neo4j_store(neo4j_server: Any) -> Any:
    """A connected Neo4jStore on the real server (from NEO4J_URI, or started for the session)."""
    from ecokg.graph.stores.neo4j import Connection, Neo4jStore

    store = Neo4jStore.connect(Connection(neo4j_server.uri, neo4j_server.user, neo4j_server.password,
                                          neo4j_server.database))
    yield store
    store.close()


@pytest.fixture(scope="session")
def loaded_neo4j(neo4j_store: Any, kg: Any) -> Any:
    """The sample graph loaded into Neo4j (after removing what ecokg wrote before): (store, first report)."""
    neo4j_store.clear()
    return neo4j_store, neo4j_store.write(kg)


@pytest.fixture(scope="session")
def neo4j_env(neo4j_server: Any) -> dict[str, str]:
    """The NEO4J_* environment of the session's server, for the command line."""
    return {"NEO4J_URI": neo4j_server.uri, "NEO4J_USERNAME": neo4j_server.user,
            "NEO4J_PASSWORD": neo4j_server.password, "NEO4J_DATABASE": neo4j_server.database}
