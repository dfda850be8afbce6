"""The one protocol every store implements, and the plain data it returns.

A store holds an ecokg graph: the embedded RDF store (:mod:`.oxigraph`) or Neo4j
(:mod:`.neo4j`). Everything above works through :class:`GraphStore` only, so the
views, analytics, exports and named questions run on either; the contract tests
(tests/test_store_contract.py) run the same checks on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol, Sequence, runtime_checkable

from ecokg.graph.model import GraphReader, KnowledgeGraph
from ecokg.ontology.terms import C, P

if TYPE_CHECKING:  # a question only passes through; importing it would cycle through the engine
    from ecokg.graph.questions.spec import Question

Progress = Callable[[int, int], None]

#: One step of a path: (from, relationship type, to, "out" | "in").
Step = tuple[str, str, str, str]
#: Relations and classes that are the graph's plumbing, not connections between entities (the
#: ``neighbours`` question leaves out the same; tests/test_names.py checks the two agree).
PLUMBING_RELATIONS = (P.evidence, P.inSource, P.transcribes, P.partOfReport, P.publishedBy, P.onBenchmark, P.forModel)
PLUMBING_CLASSES = (C.Evidence, C.SourceDocument, C.Report, C.Benchmark, C.BenchmarkResult)


class StaleAnswers(Exception):
    """A saved answer that :meth:`GraphStore.materialised` offered no longer describes the graph in
    the store: it changed between the offer and the read (another process loaded Neo4j meanwhile).
    Raised by the read, never shown: the question runs its query instead
    (:func:`ecokg.graph.questions.materialise.run`)."""


def no_progress(done: int, total: int) -> None:
    """The default progress callback: report nothing."""


@dataclass(frozen=True)
class Counts:
    """What a graph holds: nodes per class (with superclasses), edges per relation, evidence."""

    classes: dict[str, int]
    relations: dict[str, int]
    evidence: int

    @classmethod
    def of(cls, kg: GraphReader) -> Counts:
        """The counts of a model graph (what a store must report after writing it)."""
        return cls(dict(sorted(kg.class_counts().items())), dict(sorted(kg.relation_counts().items())),
                   kg.evidence_count())

    def as_dict(self) -> dict[str, Any]:
        return {"classes": self.classes, "relations": self.relations, "evidence": self.evidence}


@dataclass(frozen=True)
class WriteReport:
    """What a write changed in the store: zero ``changed`` means it already held the graph."""

    rows: int
    changed: int
    details: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "changed": self.changed, **self.details}


@runtime_checkable
class GraphStore(Protocol):
    """A place that holds an ecokg graph.

    Attributes:
        kind: the registry name (``rdf``, ``neo4j``).
        language: the query language of :meth:`query` (``sparql`` or ``cypher``).
    """

    kind: str
    language: str

    def write(self, kg: KnowledgeGraph, *, progress: Progress = no_progress) -> WriteReport:
        """Add the graph (idempotent: writing the same graph again changes nothing)."""
        ...

    def read(self) -> KnowledgeGraph:
        """The whole ecokg graph the store holds, as the model."""
        ...

    def query(self, text: str, params: Mapping[str, Any] | None = None, *,
              write: bool = False) -> list[dict[str, Any]]:
        """Run a query in the store's language; read-only unless ``write``; parameters are bound."""
        ...

    def run_question(self, question: Question, params: Mapping[str, Any], *, limit: int | None = None,
                     offset: int = 0) -> list[dict[str, Any]]:
        """Run a named question's query with resolved parameters; rows in the question's columns;
        with ``limit``/``offset`` only that page, in the store's order."""
        ...

    def candidates(self, needle: str, classes: Sequence[str]) -> list[dict[str, Any]]:
        """The rows of the ``find`` question for a normalised ``needle``: ``id, name, cls, field,
        value`` for every entity of ``classes`` whose name, alias, English name or pinyin contains
        it, or whose pinyin initials equal it. Each store answers from its own index."""
        ...

    def materialised(self) -> Mapping[str, Any]:
        """The answers (or tables of answers) ``ecokg build`` computed for this graph, by question
        (:mod:`ecokg.graph.questions.materialise`); empty when the store has none for the graph it
        holds (an older build; Neo4j loaded without them, or changed since they were loaded): the
        questions then run their queries. ``name in`` it reads no answer; an answer may be read on
        first ``get`` (the embedded store's are: :mod:`.lazy_answers`; Neo4j's key by key:
        :mod:`.neo4j_answers`), so a question whose answer turns out unreadable leaves it then, and
        a read that finds the graph changed since raises :class:`StaleAnswers`."""
        ...

    def shortest_paths(self, a: str, b: str, max_len: int, cap: int) -> list[list[Step]] | None:
        """Every shortest path (up to ``cap``) of at most ``max_len`` steps between the entities ``a`` and
        ``b`` over the ``neighbours`` edges, found by the store's own path search; None when it has
        none (the shared two-ended search of :mod:`ecokg.graph.questions.paths` then runs)."""
        ...

    def neighbours(self, ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """The edges ``(source, relationship type, target)`` around the nodes ``ids`` between entities
        (the ``neighbours`` question: no evidence, sources, report or benchmark plumbing)."""
        ...

    def counts(self) -> Counts:
        """Nodes per class, edges per relation and pieces of evidence of the ecokg graph held."""
        ...

    def is_empty(self) -> bool:
        """True when the store holds no ecokg graph (so an empty answer is not mistaken for one)."""
        ...

    def clear(self) -> int:
        """Remove the ecokg graph (and nothing else); return how many nodes or triples went."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...

    def describe(self) -> str:
        """Where the store is, for messages (never a password)."""
        ...
