"""Command output in the formats analysts use: JSON, newline-delimited JSON, CSV, TSV, a table.

Every command that prints results takes one option, ``--format json|jsonl|csv|tsv|table``
(the sqlite-utils habit), with ``--json`` and ``--table`` kept as aliases. Without it, a
terminal gets a table and a pipe or file gets JSON, so scripts never parse a table.

``json`` prints the command's whole answer (for ``ask``: the rows with the resolved names,
the ranking and the explanation); the row formats print its rows, one object or line per
row. Cells that hold lists or objects are written as compact JSON inside CSV and TSV, so the
standard library's ``csv`` reads every file back.

>>> import io
>>> buf = io.StringIO()
>>> write_rows([{"name": "陈宏", "groups": ["编委"], "former": False}], "csv", out=buf)
>>> buf.getvalue().splitlines()
['name,groups,former', '陈宏,"[""编委""]",false']
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from typing import IO, Any, Callable, Iterable, TypeVar

import click

FORMATS = ("json", "jsonl", "csv", "tsv", "table")
ROW_FORMATS = ("jsonl", "csv", "tsv")
F = TypeVar("F", bound=Callable[..., Any])


def choose_format(fmt: str | None, table: bool = False, as_json: bool = False,
                  stream: IO[str] | None = None) -> str:
    """The format asked for, or the default for where stdout goes: a table on a terminal, JSON elsewhere.

    >>> choose_format(None, table=True), choose_format("csv"), choose_format(None, stream=io.StringIO())
    ('table', 'csv', 'json')
    """
    if sum(bool(x) for x in (fmt, table, as_json)) > 1:
        raise click.UsageError("give one of --format, --table and --json")
    if fmt:
        return fmt
    if table:
        return "table"
    if as_json:
        return "json"
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "json"


#: Formats of ``ecokg sparql`` for CONSTRUCT and DESCRIBE results, with their media types.
RDF_FORMATS = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json"}


def rdf_format_option(fn: F) -> F:
    """:func:`format_option` with the RDF formats of graph results added."""
    return _format_option(fn, FORMATS + tuple(RDF_FORMATS))


def format_option(fn: F) -> F:
    """``--format`` plus its aliases ``--table`` and ``--json``; the command receives ``fmt``."""
    return _format_option(fn, FORMATS)


def _format_option(fn: F, choices: tuple[str, ...]) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, fmt: str | None = None, table: bool = False, as_json: bool = False,
                **kwargs: Any) -> Any:
        return fn(*args, fmt=choose_format(fmt, table, as_json), **kwargs)

    opts = [
        click.option("--format", "fmt", type=click.Choice(choices), default=None,
                     help="Output format (default: a table on a terminal, JSON otherwise)"
                          + ("; turtle, ntriples and jsonld for CONSTRUCT and DESCRIBE." if len(choices) > len(FORMATS)
                             else ".")),
        click.option("--table", is_flag=True, help="The same as --format table."),
        click.option("--json", "as_json", is_flag=True, help="The same as --format json."),
    ]
    out: Any = wrapper
    for opt in reversed(opts):
        out = opt(out)
    return out  # type: ignore[no-any-return]


def cell(value: Any) -> str:
    """A value as text in a CSV/TSV cell: lists and objects as compact JSON, booleans lower case.

    >>> cell(None), cell(True), cell(3.5), cell({"a": 1})
    ('', 'true', '3.5', '{"a":1}')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return str(value)


def columns(rows: Iterable[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in the order first seen."""
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)


def write_rows(rows: list[dict[str, Any]], fmt: str, *, whole: Any = None, title: str | None = None,
               out: IO[str] | None = None) -> None:
    """Print ``rows`` in ``fmt``; ``whole`` is what ``json`` prints when it is more than the rows."""
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(rows if whole is None else whole, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt in ("csv", "tsv"):
        cols = columns(rows)
        buf = io.StringIO()
        writer = csv.writer(buf, dialect="excel-tab" if fmt == "tsv" else "excel", lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow([cell(r.get(c)) for c in cols])
        out.write(buf.getvalue())
    elif fmt == "table":
        from rich.console import Console

        from ecokg.tables import rows_table

        Console(file=out).print(rows_table(rows, title))
        if not rows:
            click.echo("(no rows)", err=True)
    else:
        raise click.UsageError(f"no output format {fmt!r}; the formats are {', '.join(FORMATS)}")


def analysis_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """An analysis (``ecokg analyze``) as flat rows: one per ranked entity or community,
    with the section and measure it belongs to."""
    rows: list[dict[str, Any]] = []
    cent = result.get("centrality", {})
    for measure in ("degree", "betweenness"):
        for rank, item in enumerate(cent.get(measure, {}).get("top", []), 1):
            rows.append({"section": "centrality", "measure": measure, "rank": rank, **item})
    for rank, item in enumerate(result.get("communities", {}).get("communities", []), 1):
        rows.append({"section": "communities", "measure": "size", "rank": rank, **item})
    for rank, item in enumerate(result.get("bridges", {}).get("top", []), 1):
        rows.append({"section": "bridges", "measure": "betweenness", "rank": rank, **item})
    return rows


def summary_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """A build summary as flat rows: nodes per class, relations per type, then the totals."""
    rows: list[dict[str, Any]] = [{"kind": "class", "name": k, "count": v} for k, v in summary["classes"].items()]
    rows += [{"kind": "relation", "name": k, "count": v} for k, v in summary["relations"].items()]
    rows += [{"kind": "total", "name": k, "count": summary[k]} for k in ("triples", "evidence") if k in summary]
    rows.append({"kind": "total", "name": "review items", "count": len(summary.get("review", []))})
    return rows
