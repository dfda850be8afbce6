"""The ``ecokg`` command line: a thin shell over the facade (:mod:`ecokg.facade`) and the build.

Results go to stdout in the format of ``--format`` (a table on a terminal, JSON in a pipe);
progress and messages go to stderr. Every error becomes one clean line with exit code 1
(usage errors 2), never a traceback and never a secret.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from ecokg import __version__
from ecokg.ontology.errors import EcoKGError, QueryError, redact, register_secret
from ecokg.output import RDF_FORMATS, analysis_rows, format_option, rdf_format_option, summary_rows, write_rows
from ecokg.progress import Progress

if TYPE_CHECKING:
    from ecokg.facade import EcoKG

F = TypeVar("F", bound=Callable[..., Any])
OUT_HELP = "Folder of the built graph (env ECOKG_OUT)."
DEBUG_VAR = "ECOKG_DEBUG"


def clean_error(e: BaseException) -> click.ClickException:
    """One line for the user from any exception, secrets redacted: ecokg's own errors as they
    are, file-system errors with the path and the reason, anything else as an internal error
    with the way to see its traceback."""
    if isinstance(e, EcoKGError):
        text = str(e)
    elif isinstance(e, OSError):
        where = f"{e.filename}: " if e.filename else ""
        text = f"{where}{e.strerror or e}"
    else:
        text = (f"internal error ({type(e).__name__}: {e}); run with {DEBUG_VAR}=1 for the traceback "
                f"and report it")
    return click.ClickException(redact(text))


def handle_errors(fn: F) -> F:
    """Turn ecokg errors into ``click.ClickException`` at the edge."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except EcoKGError as e:
            raise clean_error(e) from e

    return wrapper  # type: ignore[return-value]


class EcoGroup(click.Group):
    """The top group: whatever a command raises reaches the user as one clean line (never a
    traceback, never a secret), unless ECOKG_DEBUG=1 asks for the traceback (click itself
    suggests the nearest command for a typo)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit):
            raise
        except KeyboardInterrupt:
            raise click.exceptions.Abort() from None
        except Exception as e:
            if os.environ.get(DEBUG_VAR):
                raise
            raise clean_error(e) from e


def out_option(fn: F) -> F:
    return click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                        default="out", show_default=True, envvar="ECOKG_OUT", help=OUT_HELP)(fn)


def _secret(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Register a password as it is parsed, so no message can print it."""
    register_secret(value)
    return value


def neo4j_options(fn: F) -> F:
    """Connection options, read from the environment by default; the password is never printed."""
    fn = click.option("--database", envvar="NEO4J_DATABASE", default="neo4j", show_default=True,
                      help="Database (env NEO4J_DATABASE).")(fn)
    fn = click.option("--password", envvar="NEO4J_PASSWORD", default="", show_default=False,
                      callback=_secret, expose_value=True,
                      help="Password (env NEO4J_PASSWORD; prefer the environment).")(fn)
    fn = click.option("--user", envvar="NEO4J_USERNAME", default="neo4j", show_default=True,
                      help="User (env NEO4J_USERNAME).")(fn)
    fn = click.option("--uri", envvar="NEO4J_URI", default=None,
                      help="Bolt URI, e.g. bolt://127.0.0.1:7687 (env NEO4J_URI).")(fn)
    return fn


def backend_options(fn: F) -> F:
    """``--backend rdf|neo4j`` with the options of both stores."""
    fn = neo4j_options(fn)
    fn = out_option(fn)
    return click.option("--backend", type=click.Choice(["rdf", "neo4j"]), default="rdf", show_default=True,
                        help="The embedded RDF store (from `ecokg build`) or Neo4j (from `ecokg load neo4j`).")(fn)


def open_kg(backend: str, out_dir: Path, uri: str | None, user: str, password: str, database: str) -> EcoKG:
    """The facade on the chosen store."""
    from ecokg.facade import open as open_graph

    if backend == "neo4j":
        return open_graph(neo4j=uri or True, user=user, password=password, database=database)
    return open_graph(out_dir)


PARAM_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
INT_RE = re.compile(r"-?(0|[1-9][0-9]*)")
INT64 = 2**63


def parse_params(params: tuple[str, ...]) -> dict[str, Any]:
    """``("name=陈宏", "n=3")`` -> ``{"name": "陈宏", "n": 3}``.

    Integers written canonically and within 64 bits become integers, ``true``/``false``
    booleans; anything else stays text (``007`` is the text "007").

    >>> parse_params(("name=陈宏", "n=3", "ok=true", "code=007", "big=99999999999999999999"))
    {'name': '陈宏', 'n': 3, 'ok': True, 'code': '007', 'big': '99999999999999999999'}
    """
    out: dict[str, Any] = {}
    for p in params:
        if "=" not in p:
            raise click.BadParameter(f"{p!r} is not KEY=VALUE", param_hint="--param")
        k, v = p.split("=", 1)
        k = k.strip()
        if not PARAM_NAME_RE.fullmatch(k):
            raise click.BadParameter(f"{k!r} is not a parameter name (letters, digits and _, not first a digit)",
                                     param_hint="--param")
        value: Any = v
        if INT_RE.fullmatch(v) and -INT64 <= int(v) < INT64:
            value = int(v)
        elif v in ("true", "false"):
            value = v == "true"
        out[k] = value
    return out


QUERY_FILE_SUFFIXES = (".rq", ".sparql", ".cypher", ".cql", ".txt")


def read_query(query: str) -> str:
    """A query given inline, as ``@file``, or ``-`` for stdin.

    A bare word that names a file (``people.rq``) is refused with the hint to write
    ``@people.rq``, rather than sent to the engine as query text.
    """
    if query == "-":
        return sys.stdin.read()
    if query.startswith("@"):
        try:
            return Path(query[1:]).read_text(encoding="utf-8")
        except OSError as e:
            raise click.BadParameter(f"cannot read {query[1:]}: {e.strerror or e}", param_hint="QUERY") from e
    word = query.strip()
    if word and not any(ch.isspace() for ch in word) and (word.lower().endswith(QUERY_FILE_SUFFIXES)
                                                          or Path(word).is_file()):
        raise click.BadParameter(f"{word!r} looks like a file name, not a query: write @{word} to run the "
                                 "query in that file", param_hint="QUERY")
    return query


@click.group(cls=EcoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ecokg")
def cli() -> None:
    """ecokg: a knowledge graph of the Chinese cloud and AI ecosystem.

    Build it from the China Cloud Ecosystem Blue Book (``ecokg build``), then ask it
    questions in SPARQL, in Cypher on Neo4j, or look at it in a browser.
    """


@cli.command()
@click.option("--source", "sources", multiple=True, metavar="[KIND=]PATH",
              help="A source to read (repeatable): a Blue Book text, or KIND=PATH for the other kinds "
                   "(see `ecokg sources`). Default: the bundled 2024 Blue Book sample and the shipped public "
                   "sources (SuperCLUE boards 2023-09 to 2023-11, the 中国大模型列表 of 2024-11-30).")
@out_option
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of curated reference data (organisations.yaml, models.yaml, sectors.yaml).")
@click.option("--deals", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Deal data (CSV or JSON: investor, company, round, date, amount, sector, source); repeatable; "
                   "the same as --source deals=FILE. See docs/deals.md.")
@click.option("--shacl/--no-shacl", default=True, show_default=True,
              help="Validate with the SHACL shapes before writing (about 15 s per 50k triples; skip on very large builds).")
@format_option
@click.option("--force", "--allow-empty", "force", is_flag=True,
              help="Build even if a source yields no people or facts, or less than half of what it "
                   "yielded in the graph now in OUT.")
@handle_errors
def build(sources: tuple[str, ...], out_dir: Path, data_dir: Path | None, deals: tuple[Path, ...], shacl: bool,
          fmt: str, force: bool) -> None:
    """Build the graph from its sources, validate it with SHACL, and write Turtle,
    N-Triples, JSON-LD and the embedded store to OUT.

    The new graph is written beside the current one and replaces it in one step, so a
    failed or interrupted build leaves the previous graph whole; one build writes OUT at a time.
    Prints counts per class and relation, what entity resolution merged (the log is
    OUT/merges.json) and the review items: what could not be read or placed with confidence.
    """
    from ecokg.build import build as run_build
    from ecokg.build import parse_source
    from ecokg.loaders import default_sources

    specs = [parse_source(s) for s in sources] or default_sources()
    for _kind, path in specs:
        if not path.is_file():
            why = "is not a file" if path.exists() else "does not exist"
            raise click.BadParameter(f"{path} {why}", param_hint="--source")
    specs += [("deals", d) for d in deals]
    with Progress() as progress:
        result = run_build(specs, out_dir, data_dir, step=progress.step, shacl=shacl, force=force)
    if fmt != "table":
        write_rows(summary_rows(result.summary), fmt, whole=result.summary)
        return
    _print_summary(result)


def _print_summary(result: Any) -> None:
    from rich.console import Console

    from ecokg.tables import counts_tables, print_tables

    con = Console()
    s = result.summary
    print_tables(counts_tables(s), con)
    con.print(f"{s['triples']} triples, {s['evidence']} pieces of evidence; SHACL: {s['shacl']}", markup=False)
    res = s.get("resolution")
    if res:
        bases = ", ".join(f"{n} by {b}" for b, n in res["by_basis"].items()) or "none"
        con.print(f"Entity resolution: {res['merged_names']} written name(s) merged ({bases}); "
                  f"{res['near_misses']} near miss(es) left apart — see {result.out_dir / 'merges.json'}",
                  markup=False)
    review = s["review"]
    con.print(f"\n[bold]Review[/bold]: {len(review)} item(s) that could not be read or placed with confidence")
    for item in review:
        where = (f"{item.get('source')}:{item['line']}" if item.get("line") is not None
                 else f"{item.get('source')}:{item.get('start')}-{item.get('end')}")
        con.print(f"  - [{item['kind']}] {item['message']}\n      {where}: {item['quote']!r}", markup=False)
    con.print("\nWrote: " + ", ".join(str(p) for p in result.outputs.values())
              + f", {result.out_dir / 'store'}, {result.out_dir / 'merges.json'}", markup=False)


@cli.command()
def sources() -> None:
    """List the kinds of source `ecokg build --source KIND=PATH` reads."""
    from ecokg.loaders import SOURCES

    for s in SOURCES.values():
        click.echo(f"{s.kind:10s} {s.summary}")


@cli.command()
@click.argument("query")
@out_option
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind ?KEY to VALUE (repeatable; ?KEY must be selected, or use SELECT *). "
                   "Values are never pasted into the query text.")
@rdf_format_option
@click.option("--timeout", default=30.0, show_default=True, metavar="SECONDS",
              help="Stop the query after this many seconds (0: no limit). Ctrl-C stops it too.")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Return at most this many rows (a note on stderr says when rows were cut off).")
@click.option("--allow-service", is_flag=True,
              help="Allow SPARQL SERVICE, which makes the engine send requests to other servers (refused by default).")
@handle_errors
def sparql(query: str, out_dir: Path, params: tuple[str, ...], fmt: str, timeout: float, max_rows: int,
           allow_service: bool) -> None:
    """Run a read-only SPARQL QUERY on the embedded store.

    QUERY is the text, @FILE, or - for stdin. The prefixes eco:, id:, rdf:, rdfs:,
    xsd:, skos:, prov: and org: are predefined. Output: a JSON list of row objects.
    The query runs in a worker process under a time limit and a row limit; text over
    1 MB or nested deeper than 64 brackets is refused before it is parsed.
    """
    from ecokg.facade import open as open_graph
    from ecokg.graph.stores.sparql_worker import limits_for

    limits = limits_for(timeout=timeout, max_rows=max_rows, allow_service=allow_service)
    text = read_query(query)
    if fmt in RDF_FORMATS:
        with open_graph(out_dir) as kg:
            try:
                _, data, truncated = kg.sparql_serialized(text, RDF_FORMATS[fmt], parse_params(params), limits=limits)
            except QueryError as e:
                if "cannot give the results" in str(e):
                    raise click.UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; "
                                           "give SELECT and ASK results as json, jsonl, csv, tsv or table") from e
                raise
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        if truncated:
            click.echo(f"note: only the first {max_rows:,} triples are shown (--max-rows)", err=True)
        return
    with open_graph(out_dir) as kg:
        rows = kg.sparql(text, parse_params(params), limits=limits)
    write_rows(list(rows), fmt)
    if rows.truncated:
        click.echo(f"note: only the first {max_rows:,} rows are shown (--max-rows)", err=True)


@cli.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind $KEY to VALUE (repeatable); values are sent as parameters, never pasted into the query.")
@click.option("--write", is_flag=True, help="Allow the query to write (default: read-only, enforced by the server).")
@format_option
@neo4j_options
@handle_errors
def cypher(query: str, params: tuple[str, ...], write: bool, fmt: str,
           uri: str | None, user: str, password: str, database: str) -> None:
    """Run a Cypher QUERY on Neo4j, read-only unless --write.

    QUERY is the text, @FILE, or - for stdin. Output: a JSON list of row objects.
    """
    with open_kg("neo4j", Path("out"), uri, user, password, database) as kg:
        rows = kg.cypher(read_query(query), write=write, **parse_params(params))
    write_rows(rows, fmt)


@cli.group()
def export() -> None:
    """Export the built graph to other formats."""


@export.command("json")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@backend_options
@handle_errors
def export_json(path: Path, backend: str, out_dir: Path, uri: str | None, user: str, password: str,
                database: str) -> None:
    """Write the roster (people, organisations, models, trends) as JSON to PATH (- for stdout)."""
    with open_kg(backend, out_dir, uri, user, password, database) as kg:
        data = kg.roster()
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if str(path) == "-":
        click.echo(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    click.echo(f"wrote {path}: {len(data['people'])} people, {len(data['organisations'])} organisations, "
               f"{len(data['models'])} models, {len(data['trends'])} trends", err=True)


@export.command("rdf")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "jsonld", "turtle", "ntriples"]),
              default="trig", show_default=True,
              help="trig and nquads carry the ontology too, in the named graph <https://w3id.org/ecokg/ontology>; "
                   "jsonld is compact, with an @context of the ecokg prefixes.")
@backend_options
@handle_errors
def export_rdf(path: Path, fmt: str, backend: str, out_dir: Path, uri: str | None, user: str, password: str,
               database: str) -> None:
    """Write the graph as an RDF dataset or document to PATH: TriG or N-Quads (data and ontology),
    compact JSON-LD, Turtle or N-Triples."""
    from ecokg.graph.export import write_rdf

    with open_kg(backend, out_dir, uri, user, password, database) as kg, Progress() as progress:
        progress.step(f"reading the graph from {kg.store.describe()}")
        graph = kg.graph()
        progress.step(f"writing {fmt}")
        n = write_rdf(graph, path, fmt)
    click.echo(f"wrote {path}: {n:,} {'quads' if fmt in ('trig', 'nquads') else 'triples'}", err=True)


@export.command("graphml")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--gexf", "as_gexf", is_flag=True, help="Write GEXF (Gephi's own format, with the views' colours).")
@backend_options
@handle_errors
def export_graphml(path: Path, as_gexf: bool, backend: str, out_dir: Path, uri: str | None, user: str,
                   password: str, database: str) -> None:
    """Write the entity graph (people, organisations, models ... with posts, memberships,
    investments and scores as edges, each with its first source sentence) as GraphML, or GEXF with
    --gexf, for Gephi, yEd and Cytoscape."""
    from ecokg.graph.export import write_graph

    with open_kg(backend, out_dir, uri, user, password, database) as kg, Progress() as progress:
        progress.step(f"reading the graph from {kg.store.describe()}")
        graph = kg.graph()
        progress.step("writing " + ("GEXF" if as_gexf else "GraphML"))
        nodes, edges = write_graph(graph, path, "gexf" if as_gexf else "graphml")
    click.echo(f"wrote {path}: {nodes:,} nodes, {edges:,} edges", err=True)


@cli.group()
def load() -> None:
    """Load the graph into a database."""


@load.command("neo4j")
@out_option
@click.option("--wipe", is_flag=True, help="First delete what ecokg wrote before (only that).")
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(min=1), help="Rows per transaction.")
@click.option("--full", is_flag=True, help="Compare every node and relationship, not only those whose content "
              "hash changed: puts back what was changed by hand on ecokg's properties and relationships.")
@format_option
@neo4j_options
@handle_errors
def load_neo4j(out_dir: Path, wipe: bool, batch: int, full: bool, fmt: str,
               uri: str | None, user: str, password: str, database: str) -> None:
    """Write the built graph (from OUT, see `ecokg build`) into Neo4j: constraints from the
    ontology, then batched UNWIND ... CREATE/MERGE in managed transactions, of the nodes whose content
    hash differs from the one in the database (and their relationships); ecokg nodes the graph no
    longer has are removed. Running it twice changes nothing, and the second run writes nothing.
    The answers the build saved (answers/) are loaded too, so Neo4j answers the slow questions from
    them while it holds this graph (an unchanged re-load leaves them as they are).

    Connection from NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE or the options.
    Progress goes to stderr: a bar on a terminal, a line every few seconds otherwise.
    """
    import contextlib

    from ecokg.graph.stores import answers as saved_answers
    from ecokg.graph.stores import open_store
    from ecokg.graph.stores.neo4j import Neo4jStore
    from ecokg.graph.stores.neo4j_write import ROWS_FILE, open_rows
    from ecokg.graph.stores.oxigraph import store_path
    from ecokg.ontology.schema import get_schema

    with contextlib.ExitStack() as stack:
        plan = open_rows(store_path(out_dir).parent / ROWS_FILE)  # saved by the build: no store to open
        source = None
        if plan is None:  # built by an older ecokg (or no graph there, which opening it says)
            from ecokg.facade import open as open_graph

            source = stack.enter_context(open_graph(out_dir))
        store = open_store("neo4j", uri=uri, user=user, password=password, database=database)
        stack.callback(store.close)
        assert isinstance(store, Neo4jStore)
        progress = stack.enter_context(Progress())
        if wipe:
            progress.step("wiping what ecokg wrote before")
            deleted, kept = store.wipe()
            click.echo(f"wiped {deleted} nodes that ecokg had written"
                       + (f"; kept {kept} that relationships of your own point to" if kept else ""), err=True)
        if source is not None:
            progress.step(f"reading the graph from {source.store.describe()}")
            plan = source.neo4j_rows(step=progress.step)
        assert plan is not None
        progress.step(f"writing to {store.describe()}")
        # the answers of the same generation as the rows (read from their files only if they are written)
        answers = saved_answers.of_generation(store_path(out_dir).parent)
        loaded = store.load(plan, answers=answers, full=full, batch=batch,
                            progress=lambda d, t: progress.count("rows written", d, t))
        report = loaded.report
        # a load that sent nothing found the database holding exactly these rows: count them, not it
        counts = plan.counts(get_schema()) if loaded.sent == 0 else store.counts()
    nodes = loaded.summary()
    result = {"written": report.details, "nodes": nodes, "labels": counts.classes, "relationships": counts.relations,
              "evidence": counts.evidence, "answers": loaded.answers, "seconds": loaded.phases}
    rows = ([{"kind": "written", "name": k, "count": v} for k, v in report.details.items()]
            + [{"kind": "nodes", "name": k, "count": int(v)} for k, v in nodes.items()]
            + [{"kind": "label", "name": k, "count": v} for k, v in counts.classes.items()]
            + [{"kind": "relationship", "name": k, "count": v} for k, v in counts.relations.items()]
            + [{"kind": "total", "name": "evidence", "count": counts.evidence}])
    write_rows(rows, fmt, whole=result)


def _question_args(name: str, q: Any, args: tuple[str, ...]) -> dict[str, str]:
    """The arguments of question ``q`` from the command line: the required ones in order, the
    optional ones as ``--NAME VALUE``."""
    optional = {p.name: p for p in q.params if p.optional}
    required = [p for p in q.params if not p.optional]
    given: dict[str, str] = {}
    positional: list[str] = []
    items = list(args)
    while items:
        a = items.pop(0)
        if a.startswith("--"):
            key, eq, value = a[2:].partition("=")
            if key not in optional:
                raise click.UsageError(f"{name} has no option --{key}"
                                       + (f"; its options: {', '.join('--' + k for k in optional)}" if optional else ""))
            if not eq:
                if not items:
                    raise click.UsageError(f"--{key} needs a value")
                value = items.pop(0)
            given[key] = value
        else:
            positional.append(a)
    if len(positional) != len(required):
        want = " ".join(p.name.upper() for p in required) or "no arguments"
        raise click.UsageError(f"{name} takes {want}; `ecokg ask --list` shows every question's arguments")
    given.update(zip((p.name for p in required), positional))
    return given


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("name", required=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.option("--list", "list_", is_flag=True, help="List the questions, one line each.")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="Only this many rows (one page, in the store's order; a large answer is not read whole).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip this many rows first (with --limit: the next page).")
@format_option
@backend_options
@handle_errors
def ask(name: str | None, args: tuple[str, ...], list_: bool, limit: int | None, offset: int, fmt: str,
        backend: str, out_dir: Path, uri: str | None, user: str, password: str, database: str) -> None:
    """Answer a named question: NAME then its arguments, in order (see --list).

    Entities can be named in Chinese, pinyin or English (陈宏, chen hong, Zhipu AI);
    prefix a class when a name is shared (Trend:AIGC). Each question is one file in
    graph/questions/ with its SPARQL and Cypher, and answers the same on both backends.

    \b
    Examples:
      ecokg ask people-of 阳光保险集团
      ecokg ask investors-of Trend:AIGC --table
      ecokg ask connection 陈宏 智谱华章 --backend neo4j
      ecokg ask leaderboard --date 2023-11 --board open --table
      ecokg ask org-bridges --limit 100 --offset 100     (the second page of 100)
    """
    from ecokg.graph.questions import public_questions

    qs = public_questions()
    if list_ or not name:
        for q in qs.values():
            params = " ".join(p.name.upper() if not p.optional else f"[--{p.name} {p.name.upper()}]"
                              for p in q.params)
            click.echo(f"{q.name:18s} {params:14s} {q.summary}")
        return
    if name not in qs:
        near = difflib.get_close_matches(name, list(qs), n=3, cutoff=0.5)
        hint = f"did you mean {' or '.join(near)}? " if near else ""
        raise click.ClickException(f"no question named {name!r}; {hint}see `ecokg ask --list`")
    q = qs[name]
    given = _question_args(name, q, args)
    with open_kg(backend, out_dir, uri, user, password, database) as kg:
        answer = kg.ask(name, limit=limit, offset=offset, **given)
    if fmt == "json":
        write_rows(answer.table(), fmt, whole=answer.as_dict())
        return
    if fmt != "table":
        rows = ([{"path": i, "explanation": line} for i, line in enumerate(answer.explanation, 1)]
                if answer.explanation else answer.table())
        write_rows(rows, fmt)
        return
    for p, ent in answer.resolved.items():
        click.echo(f"{p} = {ent['name']} ({ent['cls']}, matched {ent['matched']})", err=True)
    if answer.explanation:
        click.echo("\n".join(answer.explanation))
    else:
        write_rows(answer.table(), fmt, title=q.summary)


@cli.command()
@click.argument("text")
@click.option("--class", "cls", multiple=True,
              help="Only this class (Person, Organisation, AIModel, Trend, Sector, ExpertGroup).")
@format_option
@backend_options
@handle_errors
def find(text: str, cls: tuple[str, ...], fmt: str, backend: str, out_dir: Path,
         uri: str | None, user: str, password: str, database: str) -> None:
    """Show the entities TEXT may name: by name, alias, English name or pinyin, exact matches first."""
    with open_kg(backend, out_dir, uri, user, password, database) as kg:
        rows = kg.find(text, cls)
    write_rows(rows, fmt)


@cli.command("viz")
@click.option("--dir", "views_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the pages (default: OUT/views).")
@click.option("--cap", default=1000, show_default=True, type=click.IntRange(min=1), help="Most nodes a view draws; larger graphs are sampled.")
@click.option("--ego", "egos", multiple=True, metavar="NAME", help="Also write the neighbourhood of NAME (repeatable).")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(min=0), help="Hops of the --ego views.")
@click.option("--path", "connections", multiple=True, nargs=2, metavar="A B",
              help="Also write the shortest connections between A and B (repeatable).")
@click.option("--race-by", type=click.Choice(["developer", "family"]), default="developer", show_default=True,
              help="One line per developer or per model family in model-race.html.")
@format_option
@backend_options
@handle_errors
def viz_cmd(views_dir: Path | None, cap: int, egos: tuple[str, ...], hops: int,
            connections: tuple[tuple[str, str], ...], race_by: str, fmt: str, backend: str, out_dir: Path,
            uri: str | None, user: str, password: str, database: str) -> None:
    """Write self-contained, offline HTML views of the built graph: overview.html,
    investors-sectors.html, model-race.html (leaderboard totals over time, a line chart) and
    investors-makers.html (investors, model makers and their places), plus ego (--ego NAME)
    and path (--path A B) views.

    Pages need no network (vis-network is inlined from the installed pyvis; the race is inline
    SVG), escape every string from the data, and show the source text of each fact in tooltips.
    """
    from ecokg.views import write_views

    with open_kg(backend, out_dir, uri, user, password, database) as kg, Progress() as progress:
        progress.step(f"reading the graph from {kg.store.describe()}")
        results = write_views(kg.view_graphs(), views_dir or out_dir / "views", cap=cap, store=kg.store, egos=egos,
                              hops=hops, connections=connections, race_by=race_by, step=progress.step)
    for r in results:
        nodes, edges = r["units"]
        note = f" (sampled from {r['total_nodes']})" if r["sampled"] else ""
        click.echo(f"wrote {r['path']}: {r['nodes_drawn']} {nodes}, {r['edges_drawn']} {edges}{note}", err=True)
    write_rows([{k: v for k, v in r.items() if k != "units"} for r in results], fmt, whole=results)


@cli.command()
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="Entries per ranking.")
@format_option
@backend_options
@handle_errors
def analyze(top: int, fmt: str, backend: str, out_dir: Path, uri: str | None, user: str, password: str,
            database: str) -> None:
    """Centrality, communities and bridges of the built graph (networkx), each with a sentence
    on what the number means. Betweenness is exact up to 2,000 entities and sampled (seeded) above.
    """
    with open_kg(backend, out_dir, uri, user, password, database) as kg, Progress() as progress:
        progress.step("computing centrality, communities and bridges")
        result = kg.analyze(top=top)
    if fmt != "table":
        write_rows(analysis_rows(result), fmt, whole=result)
        return
    from ecokg.tables import analysis_tables, print_tables

    print_tables(analysis_tables(result))


@cli.command()
@backend_options
@click.option("--memory", is_flag=True,
              help="Copy the embedded store into memory at start (faster explorer pages on a big graph; "
                   "about 35 s at 100,000 entities).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=7878, show_default=True, help="TCP port.")
@click.option("--allow-remote", is_flag=True,
              help="Allow binding a non-loopback address (then any Host header is accepted on 0.0.0.0 or ::).")
@click.option("--timeout", default=30.0, show_default=True, metavar="SECONDS",
              help="Stop each query after this many seconds (0: no limit).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Most results per query (the header X-EcoKG-Truncated says when some were cut off).")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(min=1),
              help="Largest request body in bytes (larger: 413).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Worker processes running queries.")
@click.option("--allow-service", is_flag=True,
              help="Allow SPARQL SERVICE, which makes the server send requests to other servers (refused by default).")
@handle_errors
def serve(backend: str, out_dir: Path, uri: str | None, user: str, password: str, database: str, memory: bool,
          host: str, port: int, allow_remote: bool, timeout: float, max_rows: int, max_body: int,
          workers: int, allow_service: bool) -> None:
    """Serve the graph read-only until Ctrl-C: the explorer (search, entity pages with evidence,
    the graph, the named questions as forms) and the SPARQL 1.1 Protocol endpoint.

    Each SPARQL query runs in a worker process under the time and row limits; a build made while
    it runs is picked up at the next request. With --backend neo4j only the explorer is served,
    reading Neo4j.
    """
    from ecokg.graph.stores.sparql_worker import limits_for
    from ecokg.serve import EXPLORER_PATH, QUERY_PATH
    from ecokg.serve import serve as run_serve

    def ready(url: str) -> None:
        click.echo(f"Explorer: {url}{EXPLORER_PATH}", err=True)
        if backend == "rdf":
            click.echo(f"SPARQL endpoint (read-only): {url}{QUERY_PATH}", err=True)
        click.echo("(Ctrl-C to stop)", err=True)

    limits = limits_for(timeout=timeout, max_rows=max_rows, allow_service=allow_service)
    run_serve(out_dir, host, port, allow_remote=allow_remote, limits=limits, max_body=max_body, workers=workers,
              on_ready=ready, backend=backend, memory=memory,
              neo4j={"uri": uri, "user": user, "password": password, "database": database},
              step=lambda m: click.echo(m, err=True))
