"""The embedded RDF store (pyoxigraph): the default store, in ``OUT/store`` after ``ecokg build``.

Opened read-only by every command that only reads; SPARQL updates are refused unless
the store was opened for writing and the caller asks to write.

>>> from ecokg.graph.model import KnowledgeGraph
>>> store = RdfStore()          # in memory
>>> store.write(KnowledgeGraph()).changed
0
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import pyoxigraph as ox
from ecokg.graph.model import KnowledgeGraph
from ecokg.graph.rdf import from_triples, to_quads, value_of
from ecokg.graph.stores import answers as saved_answers
from ecokg.graph.stores.base import PLUMBING_CLASSES, PLUMBING_RELATIONS, Counts, Progress, Step, WriteReport, no_progress
from ecokg.graph.stores.names import NAMES_FILE, NameIndex
from ecokg.ontology import ECO_NS, ONTOLOGY_IRI, PREFIXES, XSD_NS, literals, ontology_path
from ecokg.ontology.errors import (
    BackendError,
    BackendUnavailable,
    QueryError,
    ReadOnlyViolation,
)
from ecokg.graph.stores.sparql_guard import QueryLimits, check, syntax_message, variable_name
from ecokg.ontology.iris import is_ecokg_iri
from ecokg.ontology.schema import get_schema
from ecokg.ontology.terms import C, P

if TYPE_CHECKING:  # a question only passes through; importing it would cycle through the engine
    from ecokg.graph.questions.spec import Question

STORE_DIR = "store"
ONTOLOGY_GRAPH = ONTOLOGY_IRI  # the named graph that holds the ontology
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


CURRENT = "current"  # OUT/current -> generations/<id>: the generation readers see (ecokg.generations)
GENERATIONS = "generations"


def store_path(out_dir: Path) -> Path:
    """Where ``ecokg build --out OUT_DIR`` keeps the embedded store: the current generation's
    store, resolved (a reader that opened it keeps its generation when a build switches), or
    ``OUT_DIR/store`` for an output folder written before generations existed.

    >>> store_path(Path("/nonexistent/out"))
    PosixPath('/nonexistent/out/store')
    """
    current = Path(out_dir) / CURRENT
    if current.is_dir():  # follows the symlink: a dangling one falls back to the legacy path
        return current.resolve() / STORE_DIR
    return Path(out_dir) / STORE_DIR


def generation_id(out_dir: Path) -> str | None:
    """The id of the generation ``OUT_DIR/current`` points to; None for a legacy output folder
    (or none). A change of id means a build switched the graph.

    >>> generation_id(Path("/nonexistent/out")) is None
    True
    """
    current = Path(out_dir) / CURRENT
    try:
        target = os.readlink(current)
    except OSError:
        return None
    return Path(target).name if current.is_dir() else None


def no_graph_message(out_dir: Path) -> str:
    """What to do when ``out_dir`` holds no built graph: point at the folder, or build one."""
    where = Path(out_dir)
    shown = f"{where} ({where.resolve()})" if not where.is_absolute() else str(where)
    return (f"no built graph in {shown}: pass --out DIR (or set ECOKG_OUT) to the folder `ecokg build` "
            f"wrote, or build one there with `ecokg build --out {where}`")


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


_VALUES_DATA_RE = re.compile(r"VALUES\s*(\?\w+|\([^)]*\))\s*$", re.I)


def _groups(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of every ``{ ... }`` of a SPARQL text, skipping strings,
    IRIs and comments (questions are ours; user text never comes here)."""
    out: list[tuple[int, int]] = []
    stack: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            i = j
        elif ch == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            i = text.index(">", i)
        elif ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            out.append((stack.pop(), i))
        i += 1
    return sorted(out)


def bind_values(text: str, iris: Mapping[str, str]) -> str:
    """``text`` with the parameters ``iris`` (variable -> term in SPARQL syntax: an entity's ``<iri>``
    checked by :func:`_iri`, or a literal written by pyoxigraph, so escaped) bound by a ``VALUES``
    row at the start of every group that uses them.

    Why not substitutions: oxigraph 0.5 plans a query before it substitutes, and evaluates each
    branch of a ``UNION`` on its own; a pattern such as ``?pos eco:inOrganisation ?org . ?pos a
    eco:Position`` then starts from every position (1 s at 100k entities), and a text parameter
    substituted into a ``FILTER`` made the leaderboard take minutes. A ``VALUES`` row in the
    group itself makes the planner start from the entity (2 ms). Binding a variable to its one
    value in an inner group as well changes no answer: the outer group joins on the same value.

    >>> bind_values("SELECT * WHERE { ?a ?p ?o { ?a ?q ?r } UNION { ?s ?t ?u } }",
    ...               {"a": "<https://w3id.org/ecokg/id/x>"})
    'SELECT * WHERE { VALUES (?a) { (<https://w3id.org/ecokg/id/x>) } ?a ?p ?o { VALUES (?a) { (<https://w3id.org/ecokg/id/x>) } ?a ?q ?r } UNION { ?s ?t ?u } }'
    """
    inserts: list[tuple[int, str]] = []
    for start, end in _groups(text):
        body = text[start + 1:end]
        if _VALUES_DATA_RE.search(text[:start]) or re.match(r"\s*SELECT\b", body, re.I):
            continue  # a VALUES data block, or a subquery's braces (its WHERE gets its own)
        used = [v for v in iris if re.search(rf"\?{v}\b", body)]
        if used:
            row = f" VALUES ({' '.join('?' + v for v in used)}) {{ ({' '.join(iris[v] for v in used)}) }}"
            inserts.append((start + 1, row))
    if not inserts:
        raise QueryError("a question with an entity parameter must use it in its WHERE clause")
    for pos, row in sorted(inserts, reverse=True):
        text = text[:pos] + row + text[pos:]
    return text




class RdfStore:
    """The embedded pyoxigraph store, on disk (``path``) or in memory."""

    kind = "rdf"
    language = "sparql"

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._names: NameIndex | None = None
        self._answers: saved_answers.Answers | None = None  # what the build computed (answers/)
        self._answers_lock = threading.Lock()
        self.source = ""  # what an in-memory copy was copied from
        self._adjacency: dict[str, list[tuple[str, str, str]]] | None = None
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
            raise BackendUnavailable(no_graph_message(out_dir))
        return cls(path, read_only=read_only)

    def in_memory(self) -> RdfStore:
        """A read-only copy of this store in memory (pyoxigraph's in-memory store), with its name
        index: for long-running readers (a server, a notebook). A lookup costs no disk seek, so a
        question with thousands of rows answers about ten times faster (the leaderboard at 100k
        entities: 2.4 s on disk, 0.2 s in memory); the copy takes about 34 s at 100k entities."""
        copy = RdfStore()
        copy._store.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
        copy._names = self.name_index()
        copy._answers = saved_answers.held(self.materialised())  # all of them: a later build may remove the folder
        copy.read_only = True
        copy.source = self.describe()
        return copy

    def describe(self) -> str:
        if self.path:
            return f"the embedded store in {self.path}"
        return f"an in-memory copy of {self.source}" if self.source else "an in-memory store"

    def __len__(self) -> int:
        """Triples of the graph (the default graph; the ontology's named graph is not counted)."""
        return len(self._store) - self._ontology_size()

    def _ontology_size(self) -> int:
        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph))

    def add_ontology(self) -> int:
        """Load the ontology (``ecokg.ttl``) into its named graph ``<https://w3id.org/ecokg/ontology>``,
        so SPARQL users (and the endpoint) can read the classes and properties beside the data:
        ``SELECT ?c ?label WHERE { GRAPH <https://w3id.org/ecokg/ontology> { ?c a owl:Class ; rdfs:label ?label } }``.
        Returns the number of triples."""
        if self.read_only:
            raise ReadOnlyViolation(f"{self.describe()} is open read-only")
        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph)
                 for t in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)]
        self._store.bulk_extend(quads)
        return len(quads)

    def is_empty(self) -> bool:
        """True when the store holds no triple of the default graph."""
        return next(iter(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None

    # -- writing ------------------------------------------------------------------
    def write(self, kg: KnowledgeGraph, *, progress: Progress = no_progress) -> WriteReport:
        """Add every triple of ``kg``; a second write adds nothing."""
        if self.read_only:
            raise ReadOnlyViolation(f"{self.describe()} is open read-only")
        self._names = self._adjacency = self._answers = None
        before = len(self)
        quads = list(to_quads(kg))
        progress(0, len(quads))
        self._store.bulk_extend(quads)
        added = len(self) - before
        progress(len(quads), len(quads))
        return WriteReport(len(quads), added, {"triples_added": added})

    def load_ntriples(self, path: Path) -> None:
        """Bulk-load an N-Triples file (:func:`ecokg.graph.rdf.write_ntriples`) into the default graph.
        Parsed and indexed in Rust without the GIL (Python work can run beside it); IRIs are checked
        by the parser, so a bad one raises ``SyntaxError`` rather than being dropped."""
        if self.read_only:
            raise ReadOnlyViolation(f"{self.describe()} is open read-only")
        self._names = self._adjacency = self._answers = None
        self._store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())

    def clear(self) -> int:
        if self.read_only:
            raise ReadOnlyViolation(f"{self.describe()} is open read-only")
        n = len(self)
        self._names = self._adjacency = self._answers = None
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
        return {ext: self.dump_format(ext, out_dir, stem) for ext in FILE_FORMATS}

    def dump_format(self, ext: str, out_dir: Path, stem: str = "ecokg") -> Path:
        """Write the graph as ``out_dir/stem.ext`` (``ttl``, ``nt`` or ``jsonld``) with the store's own
        dump: written in Rust, without the GIL (so several can run at once, beside Python work), twice
        as fast as serialising the triples one by one through Python."""
        fmt = FILE_FORMATS[ext]
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{stem}.{ext}"
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD):
            self._store.dump(str(target), fmt, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
        else:
            self._store.dump(str(target), fmt, from_graph=ox.DefaultGraph())
        return target

    # -- reading ------------------------------------------------------------------
    def read(self) -> KnowledgeGraph:
        return from_triples(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def query(self, text: str, params: Mapping[str, Any] | None = None, *,
              write: bool = False) -> list[dict[str, Any]]:
        """Run SPARQL; SELECT rows as dicts, ASK as ``[{"ask": bool}]``, CONSTRUCT as triples.

        Parameters are bound as values of variables (``?name``), never pasted into the text.
        The text is checked first (:func:`~ecokg.graph.stores.sparql_guard.check`: size, nesting,
        no ``SERVICE``); it runs in this process, with no timeout: text from a user goes through
        :meth:`ecokg.facade.EcoKG.sparql`, which runs it in a worker process.
        """
        if is_update(text):
            if not write or self.read_only:
                raise ReadOnlyViolation("SPARQL updates are refused: ecokg queries are read-only")
            self._names = self._adjacency = self._answers = None
            self._store.update(text, prefixes=PREFIXES)
            return []
        return self.query_rows(text, params)[0]

    def solve(self, text: str, params: Mapping[str, Any] | None = None,
              limits: QueryLimits | None = None) -> Any:
        """The pyoxigraph result of a read query, after the checks of ``limits`` (default
        :class:`QueryLimits`); engine errors become :class:`QueryError`."""
        if is_update(text):
            raise ReadOnlyViolation("SPARQL updates are refused: ecokg queries are read-only")
        check(text, limits or QueryLimits())
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(variable_name(k)): _term(v) for k, v in (params or {}).items()}
        try:
            return self._store.query(text, prefixes=PREFIXES, substitutions=subs or None)
        except SyntaxError as e:
            raise QueryError(syntax_message(text, str(e))) from None
        except (RuntimeError, ValueError, OSError) as e:
            if "projection" in str(e):
                raise QueryError(f"{e}: a bound parameter must be a selected variable (or use SELECT *)") from e
            raise QueryError(str(e)) from e

    def query_rows(self, text: str, params: Mapping[str, Any] | None = None, *,
                   max_rows: int | None = None, limits: QueryLimits | None = None,
                   ) -> tuple[list[dict[str, Any]], bool]:
        """Rows as :meth:`query` gives them, at most ``max_rows``, and whether more were cut off."""
        result = self.solve(text, params, limits)
        if isinstance(result, ox.QueryBoolean):
            return [{"ask": bool(result)}], False
        rows: list[dict[str, Any]] = []
        cap = max_rows if max_rows is not None else -1
        if isinstance(result, ox.QueryTriples):
            for t in result:
                if len(rows) == cap:
                    return rows, True
                rows.append({"subject": value_of(t.subject), "predicate": value_of(t.predicate),
                             "object": literals.to_json(value_of(t.object))})
            return rows, False
        names = [v.value for v in result.variables]
        for sol in result:
            if len(rows) == cap:
                return rows, True
            rows.append({n: literals.to_json(value_of(sol[n])) for n in names})
        return rows, False

    def name_index(self) -> NameIndex:
        """The index of every searchable name (:mod:`.names`): the one ``ecokg build`` wrote beside
        a published store, else built from the store's triples on first use and kept."""
        if self._names is None:
            saved = self._published(NAMES_FILE)
            if saved is not None and saved.is_file():
                self._names = NameIndex.load(saved)  # a published generation never changes
            else:
                self._names = NameIndex.from_store(self)
        return self._names

    def _generation(self) -> Path | None:
        """The generation folder of this store when it is a published one (read-only: it never
        changes), else None."""
        if self.path is None or not self.read_only or self.path.parent.parent.name != GENERATIONS:
            return None
        return self.path.parent

    def _published(self, name: str) -> Path | None:
        """The file ``name`` beside this store when it is a published generation, else None."""
        generation = self._generation()
        return None if generation is None else generation / name

    def materialised(self) -> saved_answers.Answers:
        """The answers ``ecokg build`` computed for the parameterless aggregations
        (:mod:`ecokg.graph.questions.materialise`), by question, each read from its file when first
        used (:mod:`.answers`); empty for a store that is not a published generation or was built
        by an older ecokg without them (its questions then run their SPARQL)."""
        if self._answers is None:
            with self._answers_lock:  # worker threads of the explorer: one index read
                if self._answers is None:
                    generation = self._generation()
                    self._answers = saved_answers.of_generation(generation) if generation is not None else {}
        return self._answers

    def candidates(self, needle: str, classes: Sequence[str]) -> list[dict[str, Any]]:
        """The entities of ``classes`` with a name, alias, English name or pinyin containing
        ``needle``, or pinyin initials equal to it: the rows of the ``find`` question, from the
        name index instead of a scan."""
        return self.name_index().search(needle, classes)

    def adjacency(self) -> dict[str, list[tuple[str, str, str]]]:
        """Every edge between entities, by node: ``node -> [(source, relationship type, target)]``,
        read once (two scans) and kept; what the ``neighbours`` question gives, for a search that
        opens thousands of nodes without a query per level."""
        if self._adjacency is None:
            schema = get_schema()
            props = " ".join(f"eco:{p}" for p in sorted(schema.object_properties) if p not in PLUMBING_RELATIONS)
            plumbing = " ".join(f"eco:{c}" for c in PLUMBING_CLASSES)
            hidden = {s["x"].value for s in self.solve(f"SELECT ?x WHERE {{ VALUES ?c {{ {plumbing} }} ?x a ?c }}")}
            adjacency: dict[str, list[tuple[str, str, str]]] = {}
            types: dict[str, str] = {}
            local = len(ECO_NS)
            for sol in self.solve(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {props} }} ?s ?p ?o FILTER(isIRI(?o)) }}"):
                src, prop, dst = sol["s"].value, sol["p"].value, sol["o"].value
                rel = types.get(prop)
                if rel is None:
                    rel = types[prop] = schema.rel_type(prop[local:])
                edge = (src, rel, dst)
                if dst not in hidden:
                    adjacency.setdefault(src, []).append(edge)
                if src not in hidden and src != dst:
                    adjacency.setdefault(dst, []).append(edge)
            self._adjacency = adjacency
        return self._adjacency

    def shortest_paths(self, a: str, b: str, max_len: int, cap: int) -> list[list[Step]] | None:
        """None: the shared search over :meth:`neighbours` (its adjacency index) is this store's."""
        return None

    def neighbours(self, ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """The edges around ``ids`` from :meth:`adjacency` (the ``neighbours`` question's rows)."""
        adjacency = self.adjacency()
        return list(dict.fromkeys(e for i in ids for e in adjacency.get(i, ())))

    def run_question(self, question: Question, params: Mapping[str, Any], *, limit: int | None = None,
                     offset: int = 0) -> list[dict[str, Any]]:
        text = question.sparql
        values: dict[str, str] = {}
        for p in question.params:
            if p.name not in params:
                continue
            value = params[p.name]
            if p.type in ("iris", "classes", "triples"):
                text = text.replace(p.placeholder, _list_terms(p.type, value))
            elif p.type == "entity":
                values[variable_name(p.name)] = _iri(value)
            else:
                values[variable_name(p.name)] = str(_term(value))  # N-Triples syntax: escaped
        if values:
            text = bind_values(text, values)
        if limit is not None:
            text += f"\nLIMIT {int(limit)}"
        if offset:
            text += f"\nOFFSET {int(offset)}"
        return question.rows(self.query(text))

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


__all__ = ["CURRENT", "FILE_FORMATS", "GENERATIONS", "STORE_DIR", "RdfStore", "generation_id", "store_path"]
