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
    from ecokg.graph.pipeline import build

    out = tmp_path_factory.mktemp("out")
    return build(out_dir=out)


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
