"""Neo4j as an ecokg store, through the official driver.

The mapping from the ontology (labels, relationship types, properties, constraints) is
in :mod:`ecokg.ontology.neo4j`; writing is in :mod:`.neo4j_write`. User queries run in
read sessions, so the server itself refuses writes unless the caller asks to write.
Connection settings come from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE``; the password is never shown.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.graph.stores.base import Counts, Progress, WriteReport, no_progress
from ecokg.graph.stores.neo4j_write import BATCH, plan, statements
from ecokg.ontology import ID_NS, literals
from ecokg.ontology.errors import (
    BackendError,
    BackendUnavailable,
    QueryError,
    ReadOnlyViolation,
)
from ecokg.ontology.neo4j import (
    EVIDENCE_LIST,
    ID,
    check_identifier,
    constraint_statements,
    index_statements,
)
from ecokg.ontology.schema import get_schema

if TYPE_CHECKING:  # a question only passes through; importing it would cycle through the engine
    from ecokg.graph.questions.spec import Question

INSTALL_HINT = "`docker compose up -d` or `scripts/neo4j-local start` start one"


@dataclass(frozen=True)
class Connection:
    """Where a Neo4j database is and how to log in (the password is never shown)."""

    uri: str
    user: str
    password: str = ""
    database: str = "neo4j"

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
                   database or os.environ.get("NEO4J_DATABASE", "neo4j"))

    def __repr__(self) -> str:  # never show the password
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def connect(conn: Connection) -> Any:
    """An open, verified driver for ``conn``."""
    import neo4j

    driver = neo4j.GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password), connection_timeout=15)
    try:
        driver.verify_connectivity()
    except neo4j.exceptions.AuthError as e:
        driver.close()
        raise BackendUnavailable(f"Neo4j at {conn.uri} refused the credentials of user {conn.user!r}") from e
    except Exception as e:
        driver.close()
        raise BackendUnavailable(f"cannot reach Neo4j at {conn.uri}: {e}") from e
    return driver


class Neo4jStore:
    """A Neo4j database holding (or about to hold) an ecokg graph."""

    kind = "neo4j"
    language = "cypher"

    def __init__(self, driver: Any, database: str = "neo4j", *, owns_driver: bool = False, uri: str = "") -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        self._owns = owns_driver

    @classmethod
    def connect(cls, conn: Connection | None = None) -> Neo4jStore:
        """Connect (from the environment when ``conn`` is not given) and verify the connection."""
        conn = conn or Connection.from_env()
        return cls(connect(conn), conn.database, owns_driver=True, uri=conn.uri)

    def describe(self) -> str:
        return f"Neo4j database {self.database!r}" + (f" at {self.uri}" if self.uri else "")

    def close(self) -> None:
        if self._owns:
            self.driver.close()
            self._owns = False

    # -- writing ------------------------------------------------------------------
    def write(self, kg: KnowledgeGraph, *, progress: Progress = no_progress, batch: int = BATCH) -> WriteReport:
        """Write ``kg`` (idempotent): constraints and indexes first, then batched MERGE."""
        counters: dict[str, int] = defaultdict(int)
        p = plan(kg)
        total, done = p.size, 0

        def run(tx: Any, cypher: str, rows: list[dict[str, Any]]) -> Any:
            return tx.run(cypher, rows=rows).consume().counters

        with self.driver.session(database=self.database) as session:
            for stmt in constraint_statements(kg.schema) + index_statements(kg.schema):
                session.run(stmt).consume()
            progress(0, total)
            for cypher, chunk in statements(p, batch):
                c = session.execute_write(run, cypher, chunk)
                for name in ("nodes_created", "relationships_created", "properties_set", "labels_added"):
                    counters[name] += getattr(c, name)
                done += len(chunk)
                progress(done, total)
        return WriteReport(p.size, sum(counters.values()), dict(counters))

    def clear(self, batch: int = 5000) -> int:
        """Delete every node ecokg wrote (ids under the ecokg namespace), and only those."""
        deleted = 0
        with self.driver.session(database=self.database) as session:
            for root in get_schema().root_classes():
                cypher = (f"MATCH (n:{check_identifier(root)}) WHERE n.{ID} STARTS WITH $ns "
                          "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS c")
                while True:
                    c = session.execute_write(lambda tx, q=cypher: tx.run(q, ns=ID_NS, limit=batch).single()["c"])
                    deleted += c
                    if c < batch:
                        break
        return deleted

    # -- reading ------------------------------------------------------------------
    def query(self, text: str, params: Mapping[str, Any] | None = None, *,
              write: bool = False) -> list[dict[str, Any]]:
        """Run Cypher. Read-only unless ``write``: the server itself refuses writes in a read session."""
        import neo4j

        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with self.driver.session(database=self.database, default_access_mode=mode) as session:
                return [literals.to_json(r.data()) for r in session.run(text, dict(params or {}))]
        except neo4j.exceptions.ClientError as e:
            code = e.code or ""
            if "AccessMode" in code or "ForbiddenDueToTransactionType" in code or "WriteOnReadOnly" in code:
                raise ReadOnlyViolation(
                    "the query tries to write; ecokg cypher is read-only (add --write to allow writes)") from e
            raise QueryError(f"{code}: {e.message}") from e
        except neo4j.exceptions.Neo4jError as e:
            raise BackendError(f"{self.describe()}: {e}") from e

    def run_question(self, question: Question, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return question.rows(self.query(question.cypher, params))

    def counts(self) -> Counts:
        schema = get_schema()
        ev_cls = schema.evidence_class
        plumbing = [schema.rel_type(schema.evidence_link), schema.rel_type(schema.evidence_fields["source"])]
        classes: dict[str, int] = {}
        evidence = 0
        for row in self.query(f"MATCH (n) WHERE n.{ID} STARTS WITH $ns UNWIND labels(n) AS label "
                              "RETURN label, count(*) AS n", {"ns": ID_NS}):
            if row["label"] == ev_cls:
                evidence = row["n"]
            elif row["label"] in schema.classes:
                classes[row["label"]] = row["n"]
        relations = {}
        for row in self.query(f"MATCH (a)-[r]->(b) WHERE a.{ID} STARTS WITH $ns AND b.{ID} STARTS WITH $ns "
                              "AND NOT type(r) IN $plumbing RETURN type(r) AS t, count(r) AS n",
                              {"ns": ID_NS, "plumbing": plumbing}):
            relations[schema.property_of_type(row["t"])] = row["n"]
        return Counts(dict(sorted(classes.items())), dict(sorted(relations.items())), evidence)

    def is_empty(self) -> bool:
        """True when the database holds no ecokg node."""
        rows = self.query(f"MATCH (n) WHERE n.{ID} STARTS WITH $ns RETURN n.{ID} AS id LIMIT 1", {"ns": ID_NS})
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
        for row in self._raw(f"MATCH (a)-[r]->(b) WHERE a.{ID} STARTS WITH $ns AND b.{ID} STARTS WITH $ns "
                             f"AND NOT type(r) IN $plumbing RETURN a.{ID} AS s, type(r) AS t, b.{ID} AS o, "
                             f"r.{EVIDENCE_LIST} AS ev", {**ns, "plumbing": [ev_type, src_type]}):
            evs = [evidence[e] for e in row["ev"] or [] if e in evidence]
            kg.add_edge(row["s"], schema.property_of_type(row["t"]), row["o"], evs or None)
        return kg.ordered()

    def _raw(self, text: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Rows with the driver's own values (no JSON conversion): for reading the graph back."""
        import neo4j

        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            return [r.data() for r in session.run(text, dict(params))]
