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
from typing import Any, Sequence

import networkx as nx

from ecokg.graph.analytics import analyze as run_analyze
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.nx import entity_graph, to_networkx
from ecokg.graph.questions import Answer, Question, public_questions
from ecokg.graph.questions import ask as run_ask
from ecokg.graph.questions import find as run_find
from ecokg.graph.rdf import to_rdflib
from ecokg.graph.roster import roster as make_roster
from ecokg.graph.stores import GraphStore, open_store
from ecokg.graph.stores.base import Counts, Progress, WriteReport, no_progress
from ecokg.ontology.errors import BackendUnavailable
from ecokg.views import View, ViewGraphs, summary, write_view


class EcoKG:
    """A built ecokg graph in a store, with the verbs of the command line.

    Args:
        store: any :class:`GraphStore` (see :func:`open`).
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._kg: KnowledgeGraph | None = None

    def __repr__(self) -> str:
        return f"<EcoKG {self.store.describe()}>"

    def __enter__(self) -> EcoKG:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    @property
    def backend(self) -> str:
        """The store kind: ``rdf`` or ``neo4j``."""
        return self.store.kind

    # -- queries ------------------------------------------------------------------
    def query(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A read-only query in the store's own language (SPARQL or Cypher); parameters are bound."""
        return self.store.query(text, params)

    def sparql(self, text: str, **params: Any) -> list[dict[str, Any]]:
        """A read-only SPARQL query (``eco:`` and the usual prefixes predefined); ``?KEY`` bound to values."""
        self._need("sparql")
        return self.store.query(text, params)

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

    def ask(self, name: str, *args: Any, **kwargs: Any) -> Answer:
        """Answer a named question: arguments in order (``kg.ask("connection", "陈宏", "智谱华章")``),
        or by parameter name (``kg.ask("people-of", org="阳光保险集团")``)."""
        return run_ask(self.store, name, kwargs if kwargs or not args else list(args))

    def find(self, text: str, classes: Sequence[str] = ()) -> list[dict[str, Any]]:
        """The entities ``text`` may name (Chinese, pinyin, English, alias), exact matches first."""
        return run_find(self.store, text, tuple(classes))

    def counts(self) -> Counts:
        """Nodes per class, edges per relation, pieces of evidence."""
        return self.store.counts()

    # -- the whole graph ------------------------------------------------------------
    def graph(self, refresh: bool = False) -> KnowledgeGraph:
        """The whole graph as the model (read once from the store, then kept)."""
        if self._kg is None or refresh:
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
        """Centrality, communities and bridges, each with a sentence on what it means."""
        return run_analyze(self.graph(), top=top, **kwargs)

    def view(self, kind: str = "overview", *names: str, cap: int = 1000, hops: int = 2,
             out: Path | str | None = None) -> View:
        """Render a view (``overview``, ``investors-sectors``, ``ego NAME``, ``path A B``); it shows
        inline in Jupyter and ``.save(path)`` writes it. ``out`` is the folder to write it in."""
        folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="ecokg-view-"))
        result = write_view(kind, ViewGraphs.of(self.graph()), folder, self.store, names, cap, hops)
        return View(Path(result.path).read_text(encoding="utf-8"), Path(result.path), summary(result))

    def load_into(self, target: GraphStore | EcoKG, *, wipe: bool = False,
                  progress: Progress = no_progress) -> WriteReport:
        """Write this graph into another store (``wipe`` first removes what ecokg wrote there)."""
        store = target.store if isinstance(target, EcoKG) else target
        if wipe:
            store.clear()
        return store.write(self.graph(), progress=progress)


def open(out: Path | str | None = None, *, neo4j: bool | str | None = None, user: str | None = None,
         password: str | None = None, database: str | None = None, store: GraphStore | None = None) -> EcoKG:
    """Open a built graph.

    Args:
        out: the folder ``ecokg build`` wrote (default ``out``); its embedded store is opened read-only.
        neo4j: ``True`` to use Neo4j from ``NEO4J_URI`` and friends, or a Bolt URI.
        user, password, database: Neo4j settings (default: ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
            ``NEO4J_DATABASE``).
        store: an already open store instead.
    """
    if store is not None:
        return EcoKG(store)
    if neo4j:
        uri = neo4j if isinstance(neo4j, str) else None
        return EcoKG(open_store("neo4j", uri=uri, user=user, password=password, database=database))
    return EcoKG(open_store("rdf", out_dir=Path(out) if out is not None else Path("out")))
