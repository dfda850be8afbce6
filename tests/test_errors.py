"""The ten most common mistakes (docs/errors.md): each gives one clear message that says
what to do next, a non-zero exit, and no traceback."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecokg.cli import cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def mistakes(out: str, empty: str, org: str) -> list[tuple[str, list[str], dict[str, str], int, tuple[str, ...]]]:
    """(mistake, command line, environment, exit code, what the message must say)."""
    return [
        ("typo in a command", ["biuld"], {}, 2, ("No such command", "build")),
        ("unknown question", ["ask", "peple-of", org, "--out", out], {}, 1, ("no question named", "people-of",
                                                                            "ecokg ask --list")),
        ("missing argument", ["ask", "people-of", "--out", out], {}, 2, ("people-of takes ORG", "ecokg ask --list")),
        ("no built graph", ["find", org, "--out", empty], {}, 1, ("no built graph", "--out", "ecokg build")),
        ("Neo4j not running", ["ask", "people-of", org, "--backend", "neo4j"],
         {"NEO4J_URI": f"bolt://127.0.0.1:{free_port()}", "NEO4J_PASSWORD": "whatever-1"}, 1,
         ("cannot reach Neo4j", "is it running", "neo4j-local start")),
        ("bad SPARQL", ["sparql", "SELCT ?n WHERE { ?p eco:name ?n }", "--out", out], {}, 1,
         ("syntax error at line 1, column 1", "did you mean SELECT")),
        ("undeclared prefix", ["sparql", "SELECT ?n WHERE { ?p foaf:name ?n }", "--out", out], {}, 1,
         ("prefix foaf: is not declared", "PREFIX foaf:")),
        ("file instead of @file", ["sparql", "people.rq", "--out", out], {}, 2, ("write @people.rq",)),
    ]


@pytest.mark.parametrize("case", range(8))
def test_common_mistakes_say_what_to_do(built: Any, roster: Any, tmp_path: Path, case: int) -> None:
    org = roster["organisations"][0]["name"]
    name, args, env, code, says = mistakes(str(built.out_dir), str(tmp_path / "nothing"), org)[case]
    res = CliRunner().invoke(cli, args, env=env)
    assert res.exit_code == code, (name, res.output)
    for text in says:
        assert text in res.output, (name, text, res.output)
    assert "Traceback" not in res.output, name
    assert len([ln for ln in res.output.splitlines() if ln.strip()]) <= 3, (name, res.output)


@pytest.mark.parametrize("query,says", [("MATCH (n RETURN n", ("Cypher syntax error at line 1, column 10", "RETURN")),
                                        ("MATCH (n:Person) RETURN m", ("Variable `m` not defined",))])
def test_bad_cypher_is_one_line_with_the_position(loaded_neo4j: Any, neo4j_env: dict[str, str], query: str,
                                                  says: tuple[str, ...]) -> None:
    res = CliRunner().invoke(cli, ["cypher", query], env=neo4j_env)
    assert res.exit_code == 1, res.output
    for text in says:
        assert text in res.output, res.output
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) <= 2, res.output


def test_wrong_password_names_the_variables(neo4j_server: Any, neo4j_env: dict[str, str]) -> None:
    env = {**neo4j_env, "NEO4J_PASSWORD": "not-the-password-42"}
    res = CliRunner().invoke(cli, ["ask", "people-of", "x", "--backend", "neo4j"], env=env)
    assert res.exit_code == 1
    assert "refused the credentials" in res.output and "NEO4J_PASSWORD" in res.output
    assert "not-the-password-42" not in res.output


@pytest.mark.parametrize("args", [["viz", "--cap", "0"], ["viz", "--cap", "-1"], ["viz", "--hops", "-1"],
                                  ["analyze", "--top", "0"], ["sparql", "SELECT * {}", "--max-rows", "0"],
                                  ["sparql", "SELECT * {}", "-p", "a b=1"]])
def test_out_of_range_options_are_usage_errors(built: Any, args: list[str]) -> None:
    res = CliRunner().invoke(cli, [*args, "--out", str(built.out_dir)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "Error:" in res.output
