"""The command line, run in-process: exit codes, JSON on stdout, clear errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ecokg.cli import cli


@pytest.fixture()
def runner():
    return CliRunner()


def all_commands(group, prefix=()):
    import click

    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, prefix + (name,))


def test_every_command_has_help(runner):
    for path, cmd in all_commands(cli):
        res = runner.invoke(cli, [*path, "--help"])
        assert res.exit_code == 0, path
        assert cmd.help and len(cmd.help) > 20, path


def test_every_command_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for path, _ in all_commands(cli):
        assert f"ecokg {' '.join(path)}" in readme, path


def test_sources_lists_every_kind(runner):
    from ecokg.loaders import SOURCES

    res = runner.invoke(cli, ["sources"])
    assert res.exit_code == 0
    listed = {line.split()[0] for line in res.output.splitlines() if line.strip()}
    assert listed == set(SOURCES)


def test_build_from_several_sources(runner, tmp_path):
    from ecokg.loaders import sample_deals_path, sample_path

    out = tmp_path / "out"
    res = runner.invoke(cli, ["build", "--out", str(out), "--json", "--source", str(sample_path()),
                              "--source", f"deals={sample_deals_path()}"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert [s["kind"] for s in summary["sources"]] == ["bluebook", "deals"]
    deals = sum(1 for line in sample_deals_path().read_text(encoding="utf-8").splitlines()[1:] if line.strip())
    assert summary["classes"]["Investment"] >= deals
    res = runner.invoke(cli, ["build", "--out", str(out), "--source", "nosuchkind=x.txt"])
    assert res.exit_code == 1 and "no source kind 'nosuchkind'" in res.output


def test_version(runner):
    res = runner.invoke(cli, ["--version"])
    assert res.exit_code == 0 and "0." in res.output


def test_build_sparql_export(runner, tmp_path, gold):
    out = tmp_path / "out"
    res = runner.invoke(cli, ["build", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["classes"]["Person"] == len(gold["people"])
    res = runner.invoke(cli, ["sparql", "--out", str(out),
                              "SELECT ?n ?title WHERE { ?p eco:name ?n ; eco:holds/eco:title ?title }", "-p", "n=陈宏"])
    assert res.exit_code == 0, res.output
    titles = {r["title"] for r in json.loads(res.stdout)}
    expected = {a["title"] for p in gold["people"] if p["name"] == "陈宏" for a in p["affiliations"]}
    assert expected <= titles
    res = runner.invoke(cli, ["sparql", "--out", str(out), "--table", "SELECT (COUNT(*) AS ?n) WHERE { ?p a eco:Person }"])
    assert res.exit_code == 0 and str(len(gold["people"])) in res.output
    target = tmp_path / "roster.json"
    res = runner.invoke(cli, ["export", "json", str(target), "--out", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {"people", "organisations", "models", "trends"} <= set(data)
    assert len(data["people"]) == len(gold["people"])


def test_sparql_is_read_only(runner, built):
    count = ["sparql", "--out", str(built.out_dir), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]
    before = json.loads(runner.invoke(cli, count).stdout)
    assert before == [{"n": built.triples}]
    for update in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "PREFIX ex: <urn:> DELETE WHERE { ?s ?p ?o }",
                   "# a comment\nDROP ALL"):
        res = runner.invoke(cli, ["sparql", "--out", str(built.out_dir), update])
        assert res.exit_code == 1, update
        assert "read-only" in res.output
    res = runner.invoke(cli, ["sparql", "--out", str(built.out_dir), "ASK { <urn:a> <urn:b> <urn:c> }"])
    assert json.loads(res.stdout) == [{"ask": False}]
    assert json.loads(runner.invoke(cli, count).stdout) == before


def test_parameters_are_not_pasted_into_the_query(runner, built):
    evil = '陈宏" } ; DROP ALL ; SELECT * { ?s ?p "x'
    res = runner.invoke(cli, ["sparql", "--out", str(built.out_dir),
                              "SELECT * WHERE { ?p eco:name ?n }", "-p", f"n={evil}"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == []


def test_clear_errors(runner, tmp_path):
    res = runner.invoke(cli, ["sparql", "--out", str(tmp_path / "none"), "SELECT * {}"])
    assert res.exit_code == 1 and "ecokg build" in res.output
    res = runner.invoke(cli, ["build", "--source", str(tmp_path / "missing.txt"), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "does not exist" in res.output
    bad = tmp_path / "bad.txt"
    bad.write_bytes("编委主任(排名不分先后) 陈宏理事长".encode("gbk"))
    res = runner.invoke(cli, ["build", "--source", str(bad), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1 and "not UTF-8" in res.output
    res = runner.invoke(cli, ["sparql", "--out", str(tmp_path), "SELEC nonsense"])
    assert res.exit_code == 1
