"""Output formats: every format of every command that prints rows reads back with the standard
library (json, csv) and holds the same rows as the JSON answer."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from click.testing import CliRunner

from ecokg.cli import cli, parse_params
from ecokg.output import cell


def run(args: list[str]) -> str:
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    return res.stdout


def read(fmt: str, text: str) -> list[dict[str, Any]]:
    """Rows from the text of one format, read with the standard library only."""
    if fmt == "json":
        data = json.loads(text)
        return data["rows"] if isinstance(data, dict) and "rows" in data else data
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines() if line]
    dialect = "excel-tab" if fmt == "tsv" else "excel"
    return list(csv.DictReader(io.StringIO(text), dialect=dialect))


def as_text(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{k: cell(v) for k, v in r.items()} for r in rows]


def command_lines(built: Any, roster: Any) -> list[list[str]]:
    """Commands whose rows every format must carry, with arguments taken from the built graph."""
    out = ["--out", str(built.out_dir)]
    person = roster["people"][0]["name"]
    org = next(o["name"] for o in roster["organisations"]
               if any(a["organisation"] == o["name"] for p in roster["people"] for a in p["affiliations"]))
    return [
        ["ask", "people-of", org, *out],
        ["ask", "organisations-of", person, *out],
        ["find", person, *out],
        ["sparql", "SELECT ?name WHERE { ?p a eco:Person ; eco:name ?name } ORDER BY ?name LIMIT 7", *out],
    ]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv"])
def test_row_formats_hold_the_json_rows(built: Any, roster: Any, fmt: str) -> None:
    for args in command_lines(built, roster):
        want = read("json", run([*args, "--format", "json"]))
        assert want, args
        got = read(fmt, run([*args, "--format", fmt]))
        if fmt == "jsonl":
            assert got == want, args
        else:
            assert got == as_text(want), args


def test_table_and_json_aliases(built: Any, roster: Any) -> None:
    args = command_lines(built, roster)[0]
    assert run([*args, "--json"]) == run([*args, "--format", "json"])
    table = run([*args, "--table"])
    first = read("json", run([*args, "--json"]))[0]
    assert first["person"] in table
    res = CliRunner().invoke(cli, [*args, "--table", "--format", "csv"])
    assert res.exit_code == 2 and "one of --format" in res.output


def test_default_off_a_terminal_is_json(built: Any, roster: Any) -> None:
    args = command_lines(built, roster)[2]
    assert json.loads(run(args)) == json.loads(run([*args, "--json"]))


def test_analyze_rows_carry_every_ranking(built: Any) -> None:
    whole = json.loads(run(["analyze", "--top", "3", "--out", str(built.out_dir), "--json"]))
    rows = read("csv", run(["analyze", "--top", "3", "--out", str(built.out_dir), "--format", "csv"]))
    want = {("degree", t["id"]) for t in whole["centrality"]["degree"]["top"]}
    want |= {("betweenness", t["id"]) for t in whole["bridges"]["top"]}
    got = {(r["measure"], r["id"]) for r in rows if r["section"] in ("centrality", "bridges")}
    assert want <= got
    assert sum(r["section"] == "communities" for r in rows) == len(whole["communities"]["communities"])


def test_explained_paths_are_rows(built: Any, roster: Any) -> None:
    a = roster["people"][0]["name"]
    b = roster["people"][-1]["name"]
    whole = json.loads(run(["ask", "connection", a, b, "--out", str(built.out_dir), "--json"]))
    rows = read("csv", run(["ask", "connection", a, b, "--out", str(built.out_dir), "--format", "csv"]))
    assert [r["explanation"] for r in rows] == whole.get("explanation", [])


def test_cells_with_commas_quotes_and_newlines_survive_csv() -> None:
    from ecokg.output import write_rows

    rows = [{"a": 'x,"y"\nz', "b": ["p", "q"], "c": None}]
    for fmt in ("csv", "tsv"):
        buf = io.StringIO()
        write_rows(rows, fmt, out=buf)
        assert read(fmt, buf.getvalue()) == as_text(rows)


@pytest.mark.parametrize("value,kept", [("007", "007"), ("7", 7), ("-3", -3), ("99999999999999999999", "99999999999999999999"),
                                        ("1e3", "1e3"), ("true", True), ("True", "True")])
def test_parameter_values_convert_only_when_unambiguous(value: str, kept: Any) -> None:
    assert parse_params((f"v={value}",)) == {"v": kept}


@pytest.mark.parametrize("bad", ["a b=1", "1a=2", "=3", "a-b=4"])
def test_parameter_names_must_be_names(bad: str) -> None:
    import click

    with pytest.raises(click.BadParameter):
        parse_params((bad,))


CONSTRUCT = "CONSTRUCT { ?p eco:name ?n } WHERE { ?p a eco:Person ; eco:name ?n }"


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_construct_results_as_rdf(built: Any, fmt: str, rdflib_format: str) -> None:
    import rdflib

    out = ["--out", str(built.out_dir)]
    want = {(r["subject"], r["object"]) for r in read("json", run(["sparql", CONSTRUCT, *out, "--json"]))}
    g = rdflib.Graph().parse(data=run(["sparql", CONSTRUCT, *out, "--format", fmt]), format=rdflib_format)
    assert {(str(s), str(o)) for s, _, o in g} == want and want


def test_rdf_formats_are_for_graph_results(built: Any) -> None:
    res = CliRunner().invoke(cli, ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--out", str(built.out_dir),
                                   "--format", "turtle"])
    assert res.exit_code == 2 and "CONSTRUCT and DESCRIBE" in res.output


def test_a_capped_construct_says_so_exactly_at_the_edge(built: Any) -> None:
    import rdflib

    out = ["--out", str(built.out_dir)]
    total = len(read("json", run(["sparql", CONSTRUCT, *out, "--json", "--max-rows", "1000000"])))
    for cap, cut in ((total - 1, True), (total, False)):
        res = CliRunner().invoke(cli, ["sparql", CONSTRUCT, *out, "--format", "ntriples", "--max-rows", str(cap)])
        assert res.exit_code == 0, res.output
        assert len(rdflib.Graph().parse(data=res.stdout, format="nt")) == cap
        assert ("only the first" in res.stderr) is cut
