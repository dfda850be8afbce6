"""Neo4j as an ecokg store, through the official driver.

The mapping from the ontology (labels, relationship types, properties, constraints) is
in :mod:`ecokg.ontology.neo4j`; writing is in :mod:`.neo4j_write`. User queries run in
read sessions, so the server itself refuses writes unless the caller asks to write.
Connection settings come from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE``; the password is never shown.

Read-only queries pass three checks (see docs/security.md): the client-side lexer of
:mod:`.cypher_guard`, the server's own classification of the query (``EXPLAIN``: only query
type ``r`` may run), and a read session. Every driver error becomes one of ecokg's errors,
with passwords redacted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence
from urllib.parse import unquote, urlsplit

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.graph.stores.base import PLUMBING_CLASSES, PLUMBING_RELATIONS, Counts, Progress, Step, WriteReport, no_progress
from ecokg.graph.stores import neo4j_answers
from ecokg.graph.stores.cypher_guard import check_read_only, explain_text, tokens
from ecokg.graph.stores.neo4j_load import STATE_KEY, Loader, LoadReport, drop_state_cypher
from ecokg.graph.stores.neo4j_write import BATCH, WritePlan, plan
from ecokg.ontology import ID_NS, literals
from ecokg.ontology.errors import (
    BackendError,
    BackendUnavailable,
    EcoKGError,
    QueryError,
    ReadOnlyViolation,
    redact,
    register_secret,
)
from ecokg.ontology.neo4j import (
    EVIDENCE_LIST,
    ID,
    check_identifier,
)
from ecokg.ontology.schema import Schema, get_schema

if TYPE_CHECKING:  # a question only passes through; importing it would cycle through the engine
    from ecokg.graph.questions.spec import Question

INSTALL_HINT = "`docker compose up -d` or `scripts/neo4j-local start` start one"
#: The URI schemes of the Bolt protocol (the driver's experimental http:// is not used).
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: Seconds the driver retries a transaction after a lost connection before giving up
#: (the driver's own default is 30); env ECOKG_NEO4J_RETRY_TIME.
RETRY_TIME = 10.0
#: Seconds to open a connection (TCP and Bolt handshake) before that attempt fails.
CONNECT_TIMEOUT = 5.0
INT64 = (-2**63, 2**63 - 1)
_WRITE_CODES = ("AccessMode", "ForbiddenDueToTransactionType", "WriteOnReadOnly")
READ_ONLY_HINT = "ecokg cypher is read-only (add --write to allow writes)"


def split_uri(uri: str) -> tuple[str, str | None, str | None]:
    """``uri`` without its user info, and the user and password it named (None if it named none).

    The password is registered as a secret first, so no later message can show it.

    >>> split_uri("bolt://neo4j:s3cr%40t@127.0.0.1:7687")
    ('bolt://127.0.0.1:7687', 'neo4j', 's3cr@t')
    >>> split_uri("bolt+s://example.org")
    ('bolt+s://example.org', None, None)
    """
    _, sep, rest = uri.partition("://")
    userinfo = rest.split("/", 1)[0].rpartition("@")[0] if sep else ""
    if ":" in userinfo:
        raw = userinfo.split(":", 1)[1]
        register_secret(raw)
        register_secret(unquote(raw))
    try:
        parts = urlsplit(uri.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in BOLT_SCHEMES or not parts.hostname:
        raise BackendUnavailable(
            f"{redact(uri)!r} is not a Bolt URI: NEO4J_URI / --uri must look like bolt://127.0.0.1:7687 "
            f"(schemes {', '.join(BOLT_SCHEMES)})")
    if parts.username is None and parts.password is None:
        return uri.strip(), None, None
    netloc = parts.netloc.rpartition("@")[2]
    clean = parts._replace(netloc=netloc).geturl()
    return clean, unquote(parts.username or "") or None, unquote(parts.password) if parts.password else None


_CYPHER_POSITION_RE = re.compile(r"\(line (\d+), column (\d+) \(offset: \d+\)\)")


def cypher_syntax_message(message: str) -> str:
    """Neo4j's syntax error as one line: where (line, column), what it expected, the query near there.

    >>> print(cypher_syntax_message("Invalid input 'RETURN': expected ')' (line 1, column 10 (offset: 9))\\n"
    ...                             '"MATCH (n RETURN n"\\n          ^'))
    Cypher syntax error at line 1, column 10: Invalid input 'RETURN': expected ')'
    """
    first = message.replace("\\n", "\n").split("\n")[0]
    m = _CYPHER_POSITION_RE.search(first)
    if not m:
        return _line(f"Cypher syntax error: {first}")
    what = first[:m.start()].strip()
    return _line(f"Cypher syntax error at line {m.group(1)}, column {m.group(2)}: {what}")


def _line(text: str) -> str:
    """``text`` on one line, passwords redacted (driver messages span several lines)."""
    return redact(" ".join(text.split()))


def _retry_time(raw: str | None) -> float:
    if not raw:
        return RETRY_TIME
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise BackendUnavailable("ECOKG_NEO4J_RETRY_TIME must be a number of seconds between 0 and 3600")
    return value


def check_parameters(params: Mapping[str, Any]) -> None:
    """Refuse parameter values Neo4j cannot take: integers beyond its 64-bit range.

    >>> check_parameters({"n": 2**70})
    Traceback (most recent call last):
    ...
    ecokg.ontology.errors.QueryError: parameter $n: 1180591620717411303424 is beyond Neo4j's 64-bit integers; pass it as a string
    """
    def walk(name: str, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and not INT64[0] <= value <= INT64[1]:
            raise QueryError(f"parameter ${name}: {value} is beyond Neo4j's 64-bit integers; pass it as a string")
        if isinstance(value, Mapping):
            for v in value.values():
                walk(name, v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(name, v)

    for key, value in params.items():
        walk(str(key), value)


@dataclass(frozen=True)
class Connection:
    """Where a Neo4j database is and how to log in (the password is never shown)."""

    uri: str
    user: str
    password: str = ""
    database: str = "neo4j"
    retry_time: float = RETRY_TIME

    def __post_init__(self) -> None:
        """Check the URI; credentials in it (``bolt://user:pass@host``) move to the login."""
        register_secret(self.password)
        uri, user, password = split_uri(self.uri)
        object.__setattr__(self, "uri", uri)
        if user is not None:
            object.__setattr__(self, "user", user)
        if password is not None:
            object.__setattr__(self, "password", password)

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None) -> Connection:
        """Arguments first, then ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``."""
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise BackendUnavailable("no Neo4j connection: set NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD) "
                                     f"or pass --uri; {INSTALL_HINT}")
        return cls(uri, user or os.environ.get("NEO4J_USERNAME", "neo4j"),
                   password if password is not None else os.environ.get("NEO4J_PASSWORD", ""),
                   database or os.environ.get("NEO4J_DATABASE", "neo4j"),
                   _retry_time(os.environ.get("ECOKG_NEO4J_RETRY_TIME")))

    def __repr__(self) -> str:  # never show the password
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def connect(conn: Connection) -> Any:
    """An open, verified driver for ``conn``."""
    import neo4j

    # The driver logs each failed read or retry as a warning; without a handler of the application's
    # those would go to stderr beside the one clear error line. An application that configures
    # logging still receives them.
    logging.getLogger("neo4j").addHandler(_QUIET)
    try:
        driver = neo4j.GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password),
                                            connection_timeout=CONNECT_TIMEOUT,
                                            max_transaction_retry_time=conn.retry_time)
    except (neo4j.exceptions.DriverError, ValueError, TypeError) as e:
        raise BackendUnavailable(_line(f"cannot use Neo4j URI {conn.uri}: {e}")) from None
    try:
        driver.verify_connectivity()
    except neo4j.exceptions.AuthError as e:
        driver.close()
        raise BackendUnavailable(f"Neo4j at {conn.uri} refused the credentials of user {conn.user!r}: "
                                 "check NEO4J_USERNAME and NEO4J_PASSWORD (or --user, --password)") from e
    except Exception as e:
        driver.close()
        reason = str(e).split(" (reason ")[-1].rstrip(")") if "(reason " in str(e) else str(e)
        raise BackendUnavailable(_line(
            f"cannot reach Neo4j at {conn.uri} ({reason}): is it running? Start one with "
            "`eval \"$(scripts/neo4j-local start)\"` or `docker compose up -d neo4j`, or point NEO4J_URI "
            "at yours")) from None
    return driver


_QUIET = logging.NullHandler()


def ecokg_types(schema: Schema) -> list[str]:
    """The relationship types ecokg writes: one per object property of the ontology."""
    return sorted(schema.rel_type(p) for p in schema.object_properties)


def _lost(e: BaseException) -> bool:
    """True when ``e`` means the server went away (stopped, restarted, network gone)."""
    import neo4j

    return isinstance(e, (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError))


class Neo4jStore:
    """A Neo4j database holding (or about to hold) an ecokg graph."""

    kind = "neo4j"
    language = "cypher"

    def __init__(self, driver: Any, database: str = "neo4j", *, owns_driver: bool = False, uri: str = "") -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        self._owns = owns_driver
        #: False: every question runs its Cypher although the build's answers are loaded (to compare
        #: the two, or to time the Cypher).
        self.saved_answers = True
        self._answers: neo4j_answers.Neo4jAnswers | None = None  # those last offered, with what they read
        self._answers_lock = threading.Lock()

    @classmethod
    def connect(cls, conn: Connection | None = None) -> Neo4jStore:
        """Connect (from the environment when ``conn`` is not given) and verify the connection."""
        conn = conn or Connection.from_env()
        return cls(connect(conn), conn.database, owns_driver=True, uri=conn.uri)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn every driver error into one of ecokg's, with passwords redacted."""
        import neo4j

        try:
            yield
        except EcoKGError:
            raise
        except neo4j.exceptions.ClientError as e:
            code = e.code or ""
            if any(c in code for c in _WRITE_CODES):
                raise ReadOnlyViolation(f"the query tries to write; {READ_ONLY_HINT}") from None
            if "SyntaxError" in code:
                raise QueryError(cypher_syntax_message(e.message or "")) from None
            raise QueryError(_line(f"{code}: {e.message}")) from None
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
            if _lost(e):
                raise BackendUnavailable(_line(f"lost the connection to Neo4j at {self.uri}: {e}")) from None
            raise BackendError(_line(f"{self.describe()}: {type(e).__name__}: {e}")) from None
        except (ValueError, TypeError, OverflowError) as e:  # parameters the driver cannot send
            raise QueryError(_line(f"the driver cannot send this query or its parameters: {e}")) from None

    def describe(self) -> str:
        return f"Neo4j database {self.database!r}" + (f" at {self.uri}" if self.uri else "")

    def close(self) -> None:
        if self._owns:
            self.driver.close()
            self._owns = False

    # -- writing ------------------------------------------------------------------
    def write(self, kg: KnowledgeGraph, *, progress: Progress = no_progress, batch: int = BATCH) -> WriteReport:
        """Write ``kg`` (idempotent), comparing every value with the database's (``full``, see
        :meth:`load`): a second write changes nothing, and what a user changed by hand on ecokg's
        properties and relationships is put back."""
        return self.load(plan(kg), full=True, progress=progress, batch=batch).report

    def load(self, rows: WritePlan, *, answers: Mapping[str, Any] | None = None, full: bool = False,
             progress: Progress = no_progress, batch: int = BATCH) -> LoadReport:
        """Write the rows of a graph (:mod:`.neo4j_write`): constraints and indexes first, then only
        the nodes whose content hash differs from the one on the database's node (every node with
        ``full``), with their relationships; ecokg nodes the rows no longer have are removed
        (see :mod:`.neo4j_load`). Then ``answers``, the answers the build saved for this same graph
        (:func:`.answers.of_generation`), are stored beside it unless those there already are this
        graph's (:mod:`.neo4j_answers`), and the questions answer from them (:meth:`materialised`)."""
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise EcoKGError(f"the batch size must be a whole number of rows, 1 or more (not {batch!r})")
        loader: Loader | None = None
        try:
            with self._errors(), self.driver.session(database=self.database) as session:
                loader = Loader(session, rows, full=full, batch=batch, progress=progress)
                report = loader.run()
                start = time.perf_counter()
                unchanged = not report.checked_all and report.sent == 0 and report.unchanged == rows.node_count
                report.answers = neo4j_answers.load(session, answers, lambda: rows.digest, checked_all=report.checked_all,
                                                    unchanged=unchanged).summary()
                report.phases["answers"] = round(time.perf_counter() - start, 3)
                return report
        except BackendUnavailable as e:
            if "lost the connection" not in str(e):
                raise
            done, total = (loader.done, loader.total) if loader else (0, rows.size)
            raise BackendUnavailable(f"lost the connection to Neo4j at {self.uri} during the load; {done} of {total} "
                                     "rows written; re-run `ecokg load neo4j`, it converges") from None

    def clear(self, batch: int = 5000) -> int:
        """Remove what ecokg wrote, and only that (see :meth:`wipe`); the number of nodes deleted."""
        return self.wipe(batch)[0]

    def wipe(self, batch: int = 5000) -> tuple[int, int]:
        """Delete ecokg's relationships, then ecokg's nodes that no other relationship touches.

        ecokg's relationships are those of the ontology's types between two ecokg nodes (ids under
        the ecokg namespace); ecokg's nodes are those with such an id. A node a user linked to with
        a relationship of their own is kept, whole, so the user's relationship survives; the next
        load merges onto it by id.

        Returns:
            (nodes deleted, ecokg nodes kept because a user relationship touches them).
        """
        schema = get_schema()
        types = ecokg_types(schema)
        deleted = kept = 0
        empty = self.is_empty()  # then only the load state and the answers are to go (a wipe before a first load)
        with self._errors(), self.driver.session(database=self.database) as session:
            neo4j_answers.delete_all(session)  # the build's answers: no graph, no answers (not counted: no entities)
            def drain(cypher: str) -> int:
                total = 0
                while True:
                    c = int(session.execute_write(
                        lambda tx: tx.run(cypher, ns=ID_NS, types=types, limit=batch).single()["c"]))
                    total += c
                    if c < batch:
                        return total

            for root in [] if empty else schema.root_classes():
                label = check_identifier(root)
                drain(f"MATCH (a:{label})-[r]->(b) WHERE a.{ID} STARTS WITH $ns AND b.{ID} STARTS WITH $ns "
                      "AND type(r) IN $types WITH r LIMIT $limit DELETE r RETURN count(*) AS c")
            for root in [] if empty else schema.root_classes():
                label = check_identifier(root)
                deleted += drain(f"MATCH (n:{label}) WHERE n.{ID} STARTS WITH $ns AND NOT (n)--() "
                                 "WITH n LIMIT $limit DELETE n RETURN count(*) AS c")
                kept += session.run(f"MATCH (n:{label}) WHERE n.{ID} STARTS WITH $ns RETURN count(n) AS c",
                                    ns=ID_NS).single()["c"]
            # the hashes of the nodes kept no longer describe their relationships: the next load checks them
            session.execute_write(lambda tx: tx.run(drop_state_cypher(), key=STATE_KEY).consume())
        return deleted, kept

    # -- reading ------------------------------------------------------------------
    def query(self, text: str, params: Mapping[str, Any] | None = None, *,
              write: bool = False) -> list[dict[str, Any]]:
        """Run Cypher with ``params`` bound. Read-only unless ``write``: the client-side check
        (:func:`~.cypher_guard.check_read_only`), then the server's ``EXPLAIN`` must call it a
        read (query type ``r``), then it runs in a read session, where the server refuses writes.

        Raises:
            QueryError: an empty or malformed query, or parameters Neo4j cannot take.
            ReadOnlyViolation: a read-only query that writes or does what a reader may not.
            BackendError: the server failed or went away.
        """
        import neo4j

        values = dict(params or {})
        check_parameters(values)
        if write and not tokens(text):
            raise QueryError("the query is empty")
        if not write:
            check_read_only(text)
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        with self._errors(), self.driver.session(database=self.database, default_access_mode=mode) as session:
            if not write:
                self._check_plan(session, text, values)
            else:  # it may change the graph the saved answers describe: withdraw them first
                session.execute_write(lambda tx: tx.run(neo4j_answers.invalidate_cypher(), key=STATE_KEY).consume())
            return [literals.to_json(r.data()) for r in session.run(text, values)]

    @staticmethod
    def _check_plan(session: Any, text: str, values: Mapping[str, Any]) -> None:
        """Ask the server what ``text`` is (``EXPLAIN`` runs nothing); refuse anything but a read."""
        explain = explain_text(text)
        if explain is None:
            return
        import neo4j

        try:
            kind = session.run(explain, values).consume().query_type
        except neo4j.exceptions.ClientError as e:
            if "SyntaxError" in (e.code or ""):
                return  # nothing can run; the read session reports it at the user's own positions
            raise
        if kind in ("w", "rw"):
            raise ReadOnlyViolation(f"the query tries to write; {READ_ONLY_HINT}")
        if kind != "r":
            raise ReadOnlyViolation(f"the server classes the query as {kind!r} (schema, administration or a DBMS "
                                    f"procedure), not a read; {READ_ONLY_HINT}")

    def materialised(self) -> Mapping[str, Any]:
        """The answers ``ecokg load neo4j`` loaded with the graph Neo4j holds now (one query checks
        that: :mod:`.neo4j_answers`), by question, read as they are asked (a keyed answer key by
        key); empty when they were loaded with another graph or none were, when a load did not
        finish or ecokg wrote since, and with :attr:`saved_answers` off: the questions then run their
        Cypher. The answers a process has read are kept while the graph stays the same."""
        if not self.saved_answers:
            return {}
        rows = self._raw(neo4j_answers.state_cypher(), {"key": STATE_KEY})
        found = neo4j_answers.current(rows[0] if rows else None)
        with self._answers_lock:
            if found is None:
                self._answers = None
                return {}
            digest, names = found
            kept = self._answers
            if kept is None or kept.digest != digest or kept.names != tuple(names):
                kept = self._answers = neo4j_answers.Neo4jAnswers(self._raw, digest, names)
            return kept

    def candidates(self, needle: str, classes: Sequence[str]) -> list[dict[str, Any]]:
        """The rows of the ``find`` question (through the full-text index ``ecokg_search``)."""
        from ecokg.graph.questions.spec import questions

        return self.run_question(questions()["find"], {"needle": needle, "classes": list(classes)})

    def shortest_paths(self, a: str, b: str, max_len: int, cap: int) -> list[list[Step]] | None:
        """Neo4j's own search (``allShortestPaths``, from both ends) over the edges the ``neighbours``
        question gives: at 100k entities about 150 ms where the shared search, one round trip per
        level, took 0.9 s. The ends are looked up under their root labels (the constraint indexes)."""
        schema = get_schema()
        plumbing_roots = {schema.root_of([c]) for c in PLUMBING_CLASSES}
        roots = [check_identifier(r) for r in schema.root_classes() if r not in plumbing_roots]

        def lookup(var: str, param: str) -> str:
            return " UNION ".join(f"MATCH ({var}:{r} {{id: ${param}}}) RETURN {var}" for r in roots)

        text = (f"CALL () {{ {lookup('sa', 'a')} }} CALL () {{ {lookup('sb', 'b')} }} "
                f"MATCH p = allShortestPaths((sa)-[rs*..{int(max_len)}]-(sb)) "
                "WHERE none(r IN rs WHERE type(r) IN $types) "
                "AND none(n IN nodes(p) WHERE any(label IN labels(n) WHERE label IN $labels)) "
                "RETURN [n IN nodes(p) | n.id] AS ids, [r IN rs | [startNode(r).id, type(r)]] AS rels "
                f"LIMIT {int(cap)}")
        rows = self.query(text, {"a": a, "b": b, "types": [schema.rel_type(p) for p in PLUMBING_RELATIONS],
                                 "labels": list(PLUMBING_CLASSES)})
        paths: list[list[Step]] = []
        for r in rows:
            ids, rels = r["ids"], r["rels"]
            paths.append([(ids[k], rel, ids[k + 1], "out" if start == ids[k] else "in")
                          for k, (start, rel) in enumerate(rels)])
        return paths

    def neighbours(self, ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """The ``neighbours`` question, 500 ids at a time (each looked up through its constraint index)."""
        from ecokg.graph.questions.spec import questions

        q = questions()["neighbours"]
        out: list[tuple[str, str, str]] = []
        for i in range(0, len(ids), 500):
            out.extend((r["source"], r["relation"], r["target"])
                       for r in self.run_question(q, {"ids": list(ids[i:i + 500])}))
        return out

    def run_question(self, question: Question, params: Mapping[str, Any], *, limit: int | None = None,
                     offset: int = 0) -> list[dict[str, Any]]:
        text = question.cypher.rstrip()
        if offset:
            text += f"\nSKIP {int(offset)}"
        if limit is not None:
            text += f"\nLIMIT {int(limit)}"
        return question.rows(self.query(text, params))

    def counts(self) -> Counts:
        schema = get_schema()
        ev_cls = schema.evidence_class
        plumbing = [schema.rel_type(schema.evidence_link), schema.rel_type(schema.evidence_fields["source"])]
        classes: dict[str, int] = {}
        evidence = 0
        # a node carries its most specific classes and a few group labels (ontology/neo4j.py:labels);
        # its classes are counted with every superclass, as the RDF store's rdf:type triples are
        for row in self._raw(f"MATCH (n) WHERE n.{ID} STARTS WITH $ns RETURN labels(n) AS labels, count(*) AS n",
                             {"ns": ID_NS}):
            known = [lb for lb in row["labels"] if lb in schema.classes]
            if ev_cls in known:
                evidence += row["n"]
                continue
            for cls in schema.closure(schema.most_specific(known)) if known else []:
                classes[cls] = classes.get(cls, 0) + row["n"]
        relations = {}
        facts = sorted(set(ecokg_types(schema)) - set(plumbing))  # a user's own types are not counted
        for row in self._raw(f"MATCH (a)-[r]->(b) WHERE a.{ID} STARTS WITH $ns AND b.{ID} STARTS WITH $ns "
                             "AND type(r) IN $facts RETURN type(r) AS t, count(r) AS n",
                             {"ns": ID_NS, "facts": facts}):
            relations[schema.property_of_type(row["t"])] = row["n"]
        return Counts(dict(sorted(classes.items())), dict(sorted(relations.items())), evidence)

    def is_empty(self) -> bool:
        """True when the database holds no ecokg node."""
        rows = self._raw(f"MATCH (n) WHERE n.{ID} STARTS WITH $ns RETURN n.{ID} AS id LIMIT 1", {"ns": ID_NS})
        return not rows

    def read(self) -> KnowledgeGraph:
        """The ecokg graph in the database, as the model (labels back to most specific classes)."""
        schema = get_schema()
        ev_cls = schema.evidence_class
        ev_type = schema.rel_type(schema.evidence_link)
        src_type = schema.rel_type(schema.evidence_fields["source"])
        fields = {prop: fld for fld, prop in schema.evidence_fields.items()}
        ns = {"ns": ID_NS}
        evidence: dict[str, Evidence] = {}
        for row in self._raw(f"MATCH (e:{ev_cls}) WHERE e.{ID} STARTS WITH $ns "
                             f"OPTIONAL MATCH (e)-[:{src_type}]->(s) RETURN properties(e) AS p, s.{ID} AS source", ns):
            values = {fields[k]: literals.from_neo4j(v, schema.datatype_properties[k])
                      for k, v in row["p"].items() if k in fields}
            evidence[row["p"][ID]] = Evidence(source=row["source"], **values)
        links: dict[str, list[Evidence]] = defaultdict(list)
        for row in self._raw(f"MATCH (n)-[:{ev_type}]->(e:{ev_cls}) WHERE n.{ID} STARTS WITH $ns "
                             f"RETURN n.{ID} AS n, e.{ID} AS e", ns):
            links[row["n"]].append(evidence[row["e"]])
        kg = KnowledgeGraph(schema)
        for row in self._raw(f"MATCH (n) WHERE n.{ID} STARTS WITH $ns AND NOT n:{ev_cls} "
                             "RETURN labels(n) AS labels, properties(n) AS p", ns):
            props = {k: literals.from_neo4j(v, schema.datatype_properties[k]) for k, v in row["p"].items()
                     if k in schema.datatype_properties}
            for cls in schema.most_specific(row["labels"]):
                kg.add_node(row["p"][ID], cls, props, links.get(row["p"][ID]))
        facts = sorted(set(ecokg_types(schema)) - {ev_type, src_type})
        for row in self._raw(f"MATCH (a)-[r]->(b) WHERE a.{ID} STARTS WITH $ns AND b.{ID} STARTS WITH $ns "
                             f"AND type(r) IN $facts RETURN a.{ID} AS s, type(r) AS t, b.{ID} AS o, "
                             f"r.{EVIDENCE_LIST} AS ev", {**ns, "facts": facts}):
            evs = [evidence[e] for e in row["ev"] or [] if e in evidence]
            kg.add_edge(row["s"], schema.property_of_type(row["t"]), row["o"], evs or None)
        return kg.ordered()

    def _raw(self, text: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Rows with the driver's own values (no JSON conversion): for reading the graph back."""
        import neo4j

        with self._errors(), self.driver.session(database=self.database,
                                                 default_access_mode=neo4j.READ_ACCESS) as session:
            return [r.data() for r in session.run(text, dict(params))]
