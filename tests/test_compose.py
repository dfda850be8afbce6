"""docker-compose.yml, checked without a Docker engine: valid against the Compose
Specification schema, every image pinned, every port on loopback, Neo4j hardened as
scripts/neo4j-local is, and the image built from this repository runs the services' commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_valid_against_the_compose_specification(compose: dict[str, Any]) -> None:
    import jsonschema

    schema = json.loads((Path(__file__).parent / "data" / "compose-spec.json").read_text(encoding="utf-8"))
    jsonschema.validate(compose, schema)
    broken = {**compose, "services": {**compose["services"], "neo4j": {**compose["services"]["neo4j"], "ports": 7474}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_images_are_pinned_and_ports_are_loopback(compose: dict[str, Any]) -> None:
    for name, svc in compose["services"].items():
        image = svc.get("image", "")
        assert ":" in image and not image.endswith(":latest"), (name, image)
        for port in svc.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
        for volume in svc.get("volumes", []):
            assert not str(volume).startswith(("./", "/")), (name, volume)  # no host folder left root-owned


def test_neo4j_is_hardened_like_neo4j_local(compose: dict[str, Any], tmp_path: Path) -> None:
    """Every security setting of the local server's neo4j.conf is in the image's environment
    (the image maps NEO4J_a_b__c to a.b_c)."""
    from ecokg.neo4j_dist import Settings, render_conf

    conf = render_conf(tmp_path, Settings())
    block = conf.split("# Hardening", 1)[1].split("\n\n", 1)[0]
    settings = dict(line.split("=", 1) for line in block.splitlines() if "=" in line and not line.startswith("#"))
    assert settings
    env = compose["services"]["neo4j"]["environment"]
    for key, value in settings.items():
        var = "NEO4J_" + key.replace("_", "__").replace(".", "_")
        assert var in env, var
        if not value.startswith(str(tmp_path)):
            assert env[var] == value, var
    assert "PASSWORD" not in json.dumps({k: v for k, v in env.items() if k != "NEO4J_AUTH"})


def test_the_services_run_ecokg_commands_that_exist(compose: dict[str, Any]) -> None:
    """The commands of the ecokg services parse with the real command line (help of each)."""
    from click.testing import CliRunner

    from ecokg.cli import cli

    for name in ("load", "sparql"):
        command = compose["services"][name]["command"]
        words = [w for w in command if not w.startswith("-")][:2]
        res = CliRunner().invoke(cli, [*words, "--help"])
        assert res.exit_code == 0, (name, words, res.output)
        for option in (w for w in command if w.startswith("--")):
            assert option in res.output, (name, option)
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert 'ENTRYPOINT ["ecokg"]' in dockerfile and "USER ecokg" in dockerfile
    for folder in ("ecokg", "graph", "loaders", "viz", "ontology", "data"):
        assert f"COPY {folder} {folder}" in dockerfile, folder
