"""Neo4j: write a :class:`KnowledgeGraph` with the official driver, and read it back.

Mapping (derived from the ontology, see docs/neo4j.md):

- node labels are the ontology class names, every superclass included (a bank is
  ``:Organisation:Bank``); each node has ``id`` (its IRI) and its datatype properties
  under their local names;
- relationship types are UPPER_SNAKE of the object properties (``inOrganisation`` ->
  ``IN_ORGANISATION``); a relation that states a fact (an ``eco:EvidencedRelation``)
  carries ``evidence``: the ids of its ``:Evidence`` nodes;
- every entity links to its evidence with ``EVIDENCE``; evidence links to its source
  document with ``IN_SOURCE``.

Writes are batched ``UNWIND $rows AS row MERGE ...`` in managed transactions (the
driver retries transient errors), one batch per (labels, type) group, with labelled
MATCH/MERGE on the root class so the uniqueness constraints' indexes are used.
A second load of the same graph changes nothing.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Mapping

from ecokg.errors import BackendError, BackendUnavailable, QueryError, ReadOnlyViolation
from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.ontology import ID_NS
from ecokg.ontology.schema import Schema, get_schema

BATCH = 1000
EVIDENCE_PROPS = {"quote": "quote", "basis": "basis", "start": "startOffset", "end": "endOffset",
                  "line": "line", "note": "basisNote"}


def root_classes(schema: Schema) -> list[str]:
    """Classes with no eco: superclass: each gets a uniqueness constraint on ``id``."""
    return [c for c, supers in schema.classes.items() if not supers]


def root_of(schema: Schema, labels: Iterable[str]) -> str:
    roots = set(root_classes(schema))
    for label in sorted(labels):
        if label in roots:
            return label
    raise BackendError(f"no root class among {sorted(labels)}")


def _neo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_neo(v) for v in value]
    return value


@dataclass(frozen=True)
class Connection:
    uri: str
    user: str
    password: str = ""
    database: str = "neo4j"

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None) -> "Connection":
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise BackendUnavailable("no Neo4j connection: set NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD) "
                                     "or pass --uri; `docker compose up -d` or scripts/neo4j-local start one")
        return cls(uri, user or os.environ.get("NEO4J_USERNAME", "neo4j"),
                   password if password is not None else os.environ.get("NEO4J_PASSWORD", ""),
                   database or os.environ.get("NEO4J_DATABASE", "neo4j"))

    def __repr__(self) -> str:  # never show the password
        return f"Connection(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def connect(conn: Connection):
    """An open, verified driver for ``conn``."""
    try:
        import neo4j
    except ImportError as e:  # pragma: no cover - neo4j is a core dependency
        raise BackendUnavailable("the neo4j driver is missing: pip install neo4j") from e
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


# -- writing -----------------------------------------------------------------

def schema_statements(schema: Schema | None = None) -> list[str]:
    """Constraints and indexes derived from the ontology."""
    s = schema or get_schema()
    out = [f"CREATE CONSTRAINT ecokg_{r.lower()}_id IF NOT EXISTS FOR (n:{r}) REQUIRE n.id IS UNIQUE"
           for r in root_classes(s)]
    for label in ("Person", "Organisation", "AIModel", "Trend", "Sector", "ExpertGroup"):
        out.append(f"CREATE INDEX ecokg_{label.lower()}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)")
    return out


@dataclass
class WritePlan:
    """Rows grouped into batches, each with its Cypher."""

    node_groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]]
    edge_groups: dict[tuple[str, str, str], list[dict[str, Any]]]

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.node_groups.values()) + sum(len(v) for v in self.edge_groups.values())


def plan(kg: KnowledgeGraph) -> WritePlan:
    """Turn the graph into grouped rows: nodes (with evidence nodes) and relationships."""
    schema = kg.schema
    nodes: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    roots: dict[str, str] = {}
    evidence: dict[str, Evidence] = {}
    for n in kg.nodes.values():
        labels = tuple(kg.labels_of(n.id))
        root = root_of(schema, labels)
        roots[n.id] = root
        props = {k: _neo(v) for k, v in n.props.items() if v is not None}
        props["id"] = n.id
        nodes[(root, labels)].append({"id": n.id, "props": props})
        for ev in n.evidence:
            evidence[ev.id] = ev
            edges[("EVIDENCE", root, "Evidence")].append({"s": n.id, "t": ev.id, "props": {}})
    for e in kg.edges.values():
        rel = schema.rel_type(e.prop)
        props: dict[str, Any] = {}
        if schema.is_evidenced(e.prop) and e.evidence:
            props["evidence"] = [ev.id for ev in e.evidence]
            for ev in e.evidence:
                evidence[ev.id] = ev
        edges[(rel, roots[e.source], roots[e.target])].append({"s": e.source, "t": e.target, "props": props})
    for ev in evidence.values():
        props = {"id": ev.id}
        for attr, name in EVIDENCE_PROPS.items():
            v = getattr(ev, attr)
            if v is not None:
                props[name] = v
        nodes[("Evidence", ("Evidence",))].append({"id": ev.id, "props": props})
        edges[("IN_SOURCE", "Evidence", roots.get(ev.source, "SourceDocument"))].append(
            {"s": ev.id, "t": ev.source, "props": {}})
    return WritePlan(dict(nodes), dict(edges))


def _node_cypher(root: str, labels: tuple[str, ...]) -> str:
    extra = "".join(f":{lab}" for lab in labels if lab != root)
    set_labels = f" SET n{extra}" if extra else ""
    # SET only what differs, so a second load of the same graph sets nothing at all
    return (f"UNWIND $rows AS row MERGE (n:{root} {{id: row.id}}){set_labels} "
            "WITH n, row WHERE properties(n) <> row.props SET n = row.props")


def _edge_cypher(rel: str, src_root: str, dst_root: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{src_root} {{id: row.s}}) MATCH (b:{dst_root} {{id: row.t}}) "
            f"MERGE (a)-[r:{rel}]->(b) WITH r, row WHERE properties(r) <> row.props SET r = row.props")


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _check_identifier(name: str) -> str:
    """Labels and types come from the ontology; refuse anything that is not a plain name."""
    if not name.replace("_", "").isalnum():
        raise BackendError(f"refusing a label or type that is not a plain name: {name!r}")
    return name


def load(driver, database: str, kg: KnowledgeGraph, batch: int = BATCH,
         progress: Callable[[int, int], None] = lambda done, total: None) -> dict[str, int]:
    """Write ``kg`` into Neo4j (idempotent). Returns counters of what the server changed."""
    counters: dict[str, int] = defaultdict(int)
    with driver.session(database=database) as session:
        for stmt in schema_statements(kg.schema):
            session.run(stmt).consume()
        p = plan(kg)
        total, done = p.size, 0

        def run(tx, cypher: str, rows: list[dict[str, Any]]):
            return tx.run(cypher, rows=rows).consume().counters

        for (root, labels), rows in p.node_groups.items():
            for chunk in _batches(rows, batch):
                c = session.execute_write(run, _node_cypher(_check_identifier(root),
                                                            tuple(_check_identifier(x) for x in labels)), chunk)
                counters["nodes_created"] += c.nodes_created
                counters["properties_set"] += c.properties_set
                counters["labels_added"] += c.labels_added
                done += len(chunk)
                progress(done, total)
        for (rel, a, b), rows in p.edge_groups.items():
            for chunk in _batches(rows, batch):
                c = session.execute_write(run, _edge_cypher(*map(_check_identifier, (rel, a, b))), chunk)
                counters["relationships_created"] += c.relationships_created
                counters["properties_set"] += c.properties_set
                done += len(chunk)
                progress(done, total)
    return dict(counters)


def wipe(driver, database: str, batch: int = 5000) -> int:
    """Delete every node ecokg wrote (ids under the ecokg namespace), and only those."""
    deleted = 0
    schema = get_schema()
    with driver.session(database=database) as session:
        for root in root_classes(schema):
            while True:
                def step(tx, root=root):
                    q = (f"MATCH (n:{_check_identifier(root)}) WHERE n.id STARTS WITH $ns "
                         "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS c")
                    return tx.run(q, ns=ID_NS, limit=batch).single()["c"]
                c = session.execute_write(step)
                deleted += c
                if c < batch:
                    break
    return deleted


# -- reading -----------------------------------------------------------------

def run_cypher(driver, database: str, query: str, params: Mapping[str, Any] | None = None,
               write: bool = False) -> list[dict[str, Any]]:
    """Run a user query. Read-only unless ``write``: the server itself refuses writes in a read session."""
    import neo4j

    mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
    try:
        with driver.session(database=database, default_access_mode=mode) as session:
            result = session.run(query, dict(params or {}))
            return [_plain(r.data()) for r in result]
    except neo4j.exceptions.ClientError as e:
        code = e.code or ""
        if "AccessMode" in code or "ForbiddenDueToTransactionType" in code or "WriteOnReadOnly" in code:
            raise ReadOnlyViolation(
                "the query tries to write; ecokg cypher is read-only (add --write to allow writes)") from e
        raise QueryError(f"{code}: {e.message}") from e


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def counts(driver, database: str) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type, among what ecokg wrote."""
    schema = get_schema()
    labels = list(schema.classes)
    with driver.session(database=database) as s:
        node_counts = {}
        for label in labels:
            q = f"MATCH (n:{_check_identifier(label)}) WHERE n.id STARTS WITH $ns RETURN count(n) AS c"
            node_counts[label] = s.run(q, ns=ID_NS).single()["c"]
        rel_rows = s.run("MATCH (a)-[r]->(b) WHERE a.id STARTS WITH $ns AND b.id STARTS WITH $ns "
                         "RETURN type(r) AS t, count(r) AS c", ns=ID_NS).data()
    return ({k: v for k, v in node_counts.items() if v}, {r["t"]: r["c"] for r in rel_rows})
