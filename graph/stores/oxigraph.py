"""The embedded RDF store (pyoxigraph): the default store, in ``OUT/store`` after ``ecokg build``.

Opened read-only by every command that only reads; SPARQL updates are refused unless
the store was opened for writing and the caller asks to write.

>>> from ecokg.graph.model import KnowledgeGraph
>>> store = RdfStore()          # in memory
>>> store.write(KnowledgeGraph()).changed
0
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import pyoxigraph as ox
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.rdf import from_triples, to_triples, value_of
from ecokg.graph.stores.base import Counts, Progress, WriteReport, no_progress
from ecokg.ontology import PREFIXES, XSD_NS, literals
from ecokg.ontology.errors import (
    BackendError,
    BackendUnavailable,
    QueryError,
    ReadOnlyViolation,
)
from ecokg.ontology.iris import is_ecokg_iri
from ecokg.ontology.schema import get_schema

if TYPE_CHECKING:  # a question only passes through; importing it would cycle through the engine
    from ecokg.graph.questions.spec import Question

STORE_DIR = "store"
FILE_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
_PROLOGUE_RE = re.compile(r"#[^\n]*|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>", re.I)
_UPDATE_RE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


def is_update(text: str) -> bool:
    r"""True when ``text`` is a SPARQL update (after comments and the prologue).

    Only for messages and for routing: read queries run through ``Store.query``, which
    cannot execute an update whatever this says.

    >>> is_update("PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c }"), is_update("# with\nSELECT * {}")
    (True, False)
    """
    return bool(_UPDATE_RE.match(_PROLOGUE_RE.sub(" ", text)))


def store_path(out_dir: Path) -> Path:
    """Where ``ecokg build --out OUT_DIR`` keeps the embedded store."""
    return Path(out_dir) / STORE_DIR


def _term(value: Any) -> ox.NamedNode | ox.Literal:
    """A user parameter as an RDF term: IRIs for http(s) text, typed literals for numbers and booleans."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(literals.XSD_BOOLEAN))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(literals.XSD_INTEGER))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD_NS + "double"))
    if isinstance(value, str) and re.match(r"^https?://\S+$", value):
        return ox.NamedNode(value)
    return ox.Literal(str(value))


def _iri(value: Any) -> str:
    text = str(value)
    if not is_ecokg_iri(text):
        raise QueryError(f"not an ecokg identifier: {text!r}")
    return f"<{text}>"


def _list_terms(kind: str, values: Any) -> str:
    """The VALUES content of a list parameter: validated terms only, never free text."""
    schema = get_schema()
    if kind == "iris":
        return " ".join(_iri(v) for v in values)
    if kind == "classes":
        return " ".join(f"eco:{schema.check_class(str(c))}" for c in values)
    rows = []
    for s, rel, t in values:
        prop = rel if rel in schema.object_properties else schema.property_of_type(str(rel))
        rows.append(f"({_iri(s)} eco:{prop} {_iri(t)})")
    return " ".join(rows)


class RdfStore:
    """The embedded pyoxigraph store, on disk (``path``) or in memory."""

    kind = "rdf"
    language = "sparql"

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._db: ox.Store | None
        try:
            if self.path is None:
                self._db = ox.Store()
            elif read_only:
                self._db = ox.Store.read_only(str(self.path))
            else:
                self._db = ox.Store(str(self.path))
        except OSError as e:
            raise BackendUnavailable(f"cannot open the store in {self.path}: {e}") from e

    @property
    def _store(self) -> ox.Store:
        if self._db is None:
            raise BackendError(f"{self.describe()} is closed")
        return self._db

    @classmethod
    def open(cls, out_dir: Path, *, read_only: bool = True) -> RdfStore:
        """The store ``ecokg build --out OUT_DIR`` wrote (read-only by default)."""
        path = store_path(out_dir)
        if not path.is_dir():
            raise BackendUnavailable(f"no built graph in {out_dir}: run `ecokg build --out {out_dir}` first")
        return cls(path, read_only=read_only)

    def describe(self) -> str:
        return f"the embedded store in {self.path}" if self.path else "an in-memory store"

    def __len__(self) -> int:
        return len(self._store)

    # -- writing ------------------------------------------------------------------
    def write(self, kg: KnowledgeGraph, *, progress: Progress = no_progress) -> WriteReport:
        """Add every triple of ``kg``; a second write adds nothing."""
        if self.read_only:
            raise ReadOnlyViolation(f"{self.describe()} is open read-only")
        before = len(self._store)
        triples = list(to_triples(kg))
        progress(0, len(triples))
        self._store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        added = len(self._store) - before
        progress(len(triples), len(triples))
        return WriteReport(len(triples), added, {"triples_added": added})

    def clear(self) -> int:
        if self.read_only:
            raise ReadOnlyViolation(f"{self.describe()} is open read-only")
        n = len(self._store)
        self._store.clear()
        return n

    def flush(self) -> None:
        if not self.read_only:
            self._store.flush()

    def close(self) -> None:
        if self._db is not None:
            self.flush()
            self._db = None  # pyoxigraph closes the store when the last reference goes

    def dump(self, out_dir: Path, stem: str = "ecokg") -> dict[str, Path]:
        """Write Turtle, N-Triples and JSON-LD of the graph into ``out_dir``; return the paths."""
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = {}
        for ext, fmt in FILE_FORMATS.items():
            target = out_dir / f"{stem}.{ext}"
            quads = self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
            if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD):
                ox.serialize(triples, str(target), fmt, prefixes=PREFIXES)
            else:
                ox.serialize(triples, str(target), fmt)
            paths[ext] = target
        return paths

    # -- reading ------------------------------------------------------------------
    def read(self) -> KnowledgeGraph:
        return from_triples(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def query(self, text: str, params: Mapping[str, Any] | None = None, *,
              write: bool = False) -> list[dict[str, Any]]:
        """Run SPARQL; SELECT rows as dicts, ASK as ``[{"ask": bool}]``, CONSTRUCT as triples.

        Parameters are bound as values of variables (``?name``), never pasted into the text.
        """
        if is_update(text):
            if not write or self.read_only:
                raise ReadOnlyViolation("SPARQL updates are refused: ecokg queries are read-only")
            self._store.update(text, prefixes=PREFIXES)
            return []
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k.lstrip("?$")): _term(v) for k, v in (params or {}).items()}
        try:
            result = self._store.query(text, prefixes=PREFIXES, substitutions=subs or None)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from e
        except (RuntimeError, ValueError) as e:
            if "projection" in str(e):
                raise QueryError(f"{e}: a bound parameter must be a selected variable (or use SELECT *)") from e
            raise QueryError(str(e)) from e
        if isinstance(result, ox.QueryBoolean):
            return [{"ask": bool(result)}]
        if isinstance(result, ox.QueryTriples):
            return [{"subject": value_of(t.subject), "predicate": value_of(t.predicate),
                     "object": literals.to_json(value_of(t.object))} for t in result]
        names = [v.value for v in result.variables]
        return [{n: literals.to_json(value_of(sol[n])) for n in names} for sol in result]

    def run_question(self, question: Question, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        text = question.sparql
        bound: dict[str, Any] = {}
        for p in question.params:
            if p.name not in params:
                continue
            value = params[p.name]
            if p.type in ("iris", "classes", "triples"):
                text = text.replace(p.placeholder, _list_terms(p.type, value))
            elif p.type == "entity":
                bound[p.name] = ox.NamedNode(_iri(value)[1:-1])
            else:
                bound[p.name] = value
        return question.rows(self.query(text, bound))

    def counts(self) -> Counts:
        schema = get_schema()
        ev_cls, link, source = schema.evidence_class, schema.evidence_link, schema.evidence_fields["source"]
        classes: dict[str, int] = {}
        evidence = 0
        for r in self.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c . "
                            "FILTER(STRSTARTS(STR(?c), STR(eco:))) } GROUP BY ?c"):
            cls = schema.local(r["c"])
            if cls == ev_cls:
                evidence = int(r["n"])
            else:
                classes[cls] = int(r["n"])
        relations: dict[str, int] = {}
        for r in self.query(f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o . FILTER(isIRI(?o) && "
                            f"STRSTARTS(STR(?p), STR(eco:)) && ?p NOT IN (eco:{link}, eco:{source})) }} GROUP BY ?p"):
            relations[schema.local(r["p"])] = int(r["n"])
        return Counts(dict(sorted(classes.items())), dict(sorted(relations.items())), evidence)


__all__ = ["FILE_FORMATS", "STORE_DIR", "RdfStore", "store_path"]
