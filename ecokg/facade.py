"""The Python entry point: one object for a built graph, on either store::

    import ecokg
    kg = ecokg.open("out")                     # the embedded store `ecokg build` wrote
    print(kg.ask("people-of", "阳光保险集团"))
    kg.sparql("SELECT ?n WHERE { ?p a eco:Person ; eco:name ?n } LIMIT 3")
    g = kg.to_networkx()                       # entities, for networkx
    kg.view("ego", "陈宏")                      # shows inline in Jupyter
    with ecokg.open(neo4j=True) as neo:        # NEO4J_URI, NEO4J_PASSWORD ... from the environment
        kg.load_into(neo)
        neo.cypher("MATCH (p:Person) RETURN count(p) AS n")

Every method goes through the store protocol (:class:`~ecokg.graph.stores.base.GraphStore`),
so everything but :meth:`EcoKG.sparql` and :meth:`EcoKG.cypher` works the same on both.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Mapping, Sequence

import networkx as nx

from ecokg.graph.analytics import analyze_store
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.nx import entity_graph, to_networkx
from ecokg.graph.questions import Answer, Question, public_questions
from ecokg.graph.questions import ask as run_ask
from ecokg.graph.questions import find as run_find
from ecokg.graph.rdf import to_rdflib
from ecokg.graph.roster import roster as make_roster
from ecokg.graph.stores import GraphStore, open_store
from ecokg.graph.stores.base import Counts, Progress, WriteReport, no_progress
from ecokg.graph.stores.neo4j import Neo4jStore
from ecokg.graph.stores.neo4j_write import ROWS_FILE, WritePlan, open_rows
from ecokg.graph.stores.neo4j_write import plan as neo4j_plan
from ecokg.graph.stores.oxigraph import RdfStore, is_update
from ecokg.graph.stores.sparql_guard import QueryLimits, variable_name
from ecokg.graph.stores.sparql_results import Rows
from ecokg.graph.stores.sparql_worker import WorkerPool
from ecokg.ontology.errors import BackendError, BackendUnavailable, ReadOnlyViolation
from ecokg.views import View, ViewGraphs, summary, write_view


class EcoKG:
    """A built ecokg graph in a store, with the verbs of the command line.

    Args:
        store: any :class:`GraphStore` (see :func:`open`).
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._kg: KnowledgeGraph | None = None
        self._pool: WorkerPool | None = None  # worker processes for untrusted SPARQL, started on demand
        self._checked = False  # the store was found to hold a graph
        self._views: ViewGraphs | None = None  # what the views read (the graph's shape), read once

    def __repr__(self) -> str:
        return f"<EcoKG {self.store.describe()}>"

    def __enter__(self) -> EcoKG:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the store (and stop the SPARQL worker, if one was started)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        self.store.close()

    @property
    def backend(self) -> str:
        """The store kind: ``rdf`` or ``neo4j``."""
        return self.store.kind

    # -- queries ------------------------------------------------------------------
    def query(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A read-only query in the store's own language (SPARQL or Cypher); parameters are bound."""
        return self.store.query(text, params)

    def sparql(self, text: str, params: Mapping[str, Any] | None = None, *, limits: QueryLimits | None = None,
               **kwparams: Any) -> Rows:
        """A read-only SPARQL query (``eco:`` and the usual prefixes predefined); ``?KEY`` bound to values
        (from ``params`` and keyword arguments).

        The text is treated as untrusted: it is checked (size, nesting, no ``SERVICE``) and runs in a
        worker process under ``limits`` (default :class:`QueryLimits`: 30 s, 100,000 rows), so a
        runaway query is stopped and a crash of the engine does not take this process down.
        ``rows.truncated`` says whether ``max_rows`` cut the answer.
        """
        self._need("sparql")
        bound = {**(params or {}), **kwparams}
        limits = limits or QueryLimits()
        path = getattr(self.store, "path", None)
        if not isinstance(self.store, RdfStore) or path is None:  # in memory: checks and cap, no timeout
            rows, truncated = self.store.query_rows(text, bound, max_rows=limits.max_rows, limits=limits) \
                if isinstance(self.store, RdfStore) else (self.store.query(text, bound), False)
            return Rows(rows, truncated)
        if is_update(text):
            raise ReadOnlyViolation("SPARQL updates are refused: ecokg queries are read-only")
        for k in bound:
            variable_name(k)
        if self._pool is None:
            self._pool = WorkerPool(path, size=1)
        rows, truncated = self._pool.rows(text, bound, limits)
        return Rows(rows, truncated)

    def sparql_serialized(self, text: str, media_type: str, params: Mapping[str, Any] | None = None, *,
                          limits: QueryLimits | None = None) -> tuple[str, bytes, bool]:
        """A read-only query's results serialized as ``media_type`` (``text/turtle``,
        ``application/n-triples``, ``application/ld+json`` for CONSTRUCT and DESCRIBE; the SPARQL
        result types for SELECT and ASK), run like :meth:`sparql`: ``(content type, bytes, truncated)``."""
        self._need("sparql")
        path = getattr(self.store, "path", None)
        if not isinstance(self.store, RdfStore) or path is None:
            raise BackendError("serialized results come from a built store on disk (ecokg build)")
        if is_update(text):
            raise ReadOnlyViolation("SPARQL updates are refused: ecokg queries are read-only")
        for k in params or {}:
            variable_name(k)
        if self._pool is None:
            self._pool = WorkerPool(path, size=1)
        return self._pool.results(text, media_type, limits or QueryLimits(), params=params)

    def cypher(self, text: str, *, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        """A Cypher query, read-only unless ``write``; ``$KEY`` bound to values."""
        self._need("cypher")
        return self.store.query(text, params, write=write)

    def _need(self, language: str) -> None:
        if self.store.language != language:
            other = "ecokg.open(neo4j=True)" if language == "cypher" else "ecokg.open('out')"
            raise BackendUnavailable(f"{self.store.describe()} answers {self.store.language}, not {language}: "
                                     f"use kg.query(), or open the other store with {other}")

    def questions(self) -> dict[str, Question]:
        """The named questions, by name."""
        return public_questions()

    def _need_graph(self) -> None:
        """Before a question: a store that holds no ecokg graph (a running but empty Neo4j) is
        told apart from an answer that is empty, with the command that fills it."""
        if self._checked:
            return
        if self.store.kind == "neo4j" and self.store.is_empty():  # an empty embedded store cannot be opened
            raise BackendUnavailable(f"{self.store.describe()} holds no ecokg graph: load one with "
                                     "`ecokg load neo4j` (after `ecokg build`), then ask again")
        self._checked = True

    def ask(self, name: str, *args: Any, limit: int | None = None, offset: int = 0, **kwargs: Any) -> Answer:
        """Answer a named question: arguments in order (``kg.ask("connection", "陈宏", "智谱华章")``),
        or by parameter name (``kg.ask("people-of", org="阳光保险集团")``); ``limit``/``offset``
        for one page of a large answer (``kg.ask("org-bridges", limit=100)``)."""
        self._need_graph()
        return run_ask(self.store, name, kwargs if kwargs or not args else list(args), limit=limit, offset=offset)

    def find(self, text: str, classes: Sequence[str] = ()) -> list[dict[str, Any]]:
        """The entities ``text`` may name (Chinese, pinyin, English, alias), exact matches first."""
        self._need_graph()
        return run_find(self.store, text, tuple(classes))

    def counts(self) -> Counts:
        """Nodes per class, edges per relation, pieces of evidence."""
        return self.store.counts()

    # -- the whole graph ------------------------------------------------------------
    def graph(self, refresh: bool = False) -> KnowledgeGraph:
        """The whole graph as the model (read once from the store, then kept)."""
        if self._kg is None or refresh:
            self._need_graph()
            self._kg = self.store.read()
        return self._kg

    def to_networkx(self, entities: bool = True) -> nx.MultiDiGraph[Any]:
        """The graph for networkx: entities linked directly (posts, memberships and investments
        become edges), or with ``entities=False`` every node of the model."""
        return entity_graph(self.graph()) if entities else to_networkx(self.graph())

    def to_rdflib(self) -> Any:
        """The graph as an :class:`rdflib.Graph`."""
        return to_rdflib(self.graph())

    def roster(self) -> dict[str, Any]:
        """People, organisations, models and trends as plain data."""
        return make_roster(self.graph())

    def analyze(self, top: int = 10, **kwargs: Any) -> dict[str, Any]:
        """Centrality, communities and bridges, each with a sentence on what it means (read through the
        store: the graph's shape and the entities' labels, never the whole model)."""
        self._need_graph()
        return analyze_store(self.store, top=top, **kwargs)

    def view(self, kind: str = "overview", *names: str, cap: int = 1000, hops: int = 2,
             out: Path | str | None = None) -> View:
        """Render a view (``overview``, ``investors-sectors``, ``ego NAME``, ``path A B``); it shows
        inline in Jupyter and ``.save(path)`` writes it. ``out`` is the folder to write it in."""
        folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="ecokg-view-"))
        result = write_view(kind, self.view_graphs(), folder, self.store, names, cap, hops)
        return View(Path(result.path).read_text(encoding="utf-8"), Path(result.path), summary(result))

    def view_graphs(self) -> ViewGraphs:
        """What the views read from the store (the graph's shape, then only the nodes drawn), kept
        for the next view."""
        self._need_graph()
        if self._views is None:
            self._views = ViewGraphs.of_store(self.store)
        return self._views

    def neo4j_rows(self, step: Callable[[str], None] | None = None) -> WritePlan:
        """The rows a Neo4j load writes: those ``ecokg build`` saved beside the store (only the ids
        and hashes are read now, the rest when a load needs them), or, for a graph built before
        builds saved them (or held in memory), planned from the whole graph (``step`` is told so)."""
        path = getattr(self.store, "path", None)
        if isinstance(self.store, RdfStore) and path is not None:
            rows = open_rows(Path(path).parent / ROWS_FILE)
            if rows is not None:
                return rows
            if step is not None:
                step(f"no load rows beside {self.store.describe()} (built by an older ecokg): reading the whole "
                     "graph instead; `ecokg build` again to skip this")
        return neo4j_plan(self.graph())

    def load_into(self, target: GraphStore | EcoKG, *, wipe: bool = False, full: bool = False,
                  progress: Progress = no_progress) -> WriteReport:
        """Write this graph into another store (``wipe`` first removes what ecokg wrote there). Into
        Neo4j only the nodes whose content changed since the last load are written (every one with
        ``full``), and the ecokg nodes the graph no longer has are removed (see docs/neo4j.md); the
        answers the build saved with this graph go with it, so Neo4j answers from them too."""
        store = target.store if isinstance(target, EcoKG) else target
        if wipe:
            store.clear()
        if isinstance(store, Neo4jStore):
            answers = self.store.materialised() if isinstance(self.store, RdfStore) else None
            return store.load(self.neo4j_rows(), answers=answers, full=full, progress=progress).report
        return store.write(self.graph(), progress=progress)


def open(out: Path | str | None = None, *, neo4j: bool | str | None = None, user: str | None = None,
         password: str | None = None, database: str | None = None, store: GraphStore | None = None,
         memory: bool = False) -> EcoKG:
    """Open a built graph.

    Args:
        out: the folder ``ecokg build`` wrote (default ``out``); its embedded store is opened read-only.
        neo4j: ``True`` to use Neo4j from ``NEO4J_URI`` and friends, or a Bolt URI.
        user, password, database: Neo4j settings (default: ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
            ``NEO4J_DATABASE``).
        store: an already open store instead.
        memory: copy the embedded store into memory first (read-only): about ten times faster
            questions with large answers, for a long-running process (the copy takes ~34 s at
            100k entities).
    """
    if store is not None:
        return EcoKG(store)
    if neo4j:
        uri = neo4j if isinstance(neo4j, str) else None
        return EcoKG(open_store("neo4j", uri=uri, user=user, password=password, database=database))
    opened = open_store("rdf", out_dir=Path(out) if out is not None else Path("out"))
    if memory and isinstance(opened, RdfStore):
        copy = opened.in_memory()
        opened.close()
        return EcoKG(copy)
    return EcoKG(opened)
