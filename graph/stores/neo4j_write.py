"""Writing a :class:`KnowledgeGraph` into Neo4j: batched, idempotent ``UNWIND ... MERGE``.

Rows are grouped by (root label, all labels) for nodes and by (type, source root,
target root) for relationships, so each batch runs one Cypher text whose ``MATCH`` and
``MERGE`` use the root label's uniqueness constraint. ``SET`` runs only where the stored
properties differ, so a second load of the same graph changes nothing at all.

ecokg owns ``id`` and the ontology's datatype properties on its nodes (:attr:`WritePlan.owned`),
and the ``evidence`` list on its relationships: it sets those (``SET n += row.props``) and
removes those it no longer has, and never touches any other property, so what a user adds to
an ecokg node survives every load.

Evidence becomes ``:Evidence`` nodes linked from the entities they support and to their
source document; a relationship that states a fact (an ``eco:EvidencedRelation``) also
lists the ids of its evidence in its ``evidence`` property. All names come from the
ontology (:mod:`ecokg.ontology.neo4j`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterator

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.ontology import literals
from ecokg.ontology.neo4j import EVIDENCE_LIST, ID, SEARCH_KEY, check_identifier, labels, search_key
from ecokg.ontology.schema import Schema

BATCH = 1000
NodeKey = tuple[str, tuple[str, ...]]
EdgeKey = tuple[str, str, str]


@dataclass
class WritePlan:
    """Rows grouped into batches, each group with its Cypher."""

    node_groups: dict[NodeKey, list[dict[str, Any]]]
    edge_groups: dict[EdgeKey, list[dict[str, Any]]]
    owned: list[str]  # the node properties ecokg owns: sent as $owned with every batch

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.node_groups.values()) + sum(len(v) for v in self.edge_groups.values())


def evidence_props(ev: Evidence, schema: Schema) -> dict[str, Any]:
    """The properties of an evidence node (its source is a relationship, not a property)."""
    props: dict[str, Any] = {ID: ev.id}
    for fld, prop in schema.evidence_fields.items():
        value = getattr(ev, fld)
        if value is not None and prop in schema.datatype_properties:
            props[prop] = value
    return props


def plan(kg: KnowledgeGraph) -> WritePlan:
    """Turn the graph into grouped rows: nodes, evidence nodes and relationships."""
    schema = kg.schema
    ev_cls = schema.evidence_class
    ev_type = schema.rel_type(schema.evidence_link)
    src_type = schema.rel_type(schema.evidence_fields["source"])
    nodes: dict[NodeKey, list[dict[str, Any]]] = defaultdict(list)
    edges: dict[EdgeKey, list[dict[str, Any]]] = defaultdict(list)
    roots: dict[str, str] = {}
    evidence: dict[str, Evidence] = {}
    searchable = set(schema.entity_classes)
    for n in kg.nodes.values():
        node_labels = tuple(labels(schema, n.classes))
        root = schema.root_of(n.classes)
        roots[n.id] = root
        props = {k: literals.to_neo4j(sorted(v) if isinstance(v, list) else v) for k, v in n.props.items()}
        props[ID] = n.id
        if searchable & set(node_labels):
            key = search_key(n.props)
            if key:
                props[SEARCH_KEY] = key
        nodes[(root, node_labels)].append({"id": n.id, "props": props})
        for ev in n.evidence:
            evidence[ev.id] = ev
            edges[(ev_type, root, ev_cls)].append({"s": n.id, "t": ev.id, "props": {}})
    for e in kg.edges.values():
        rel: dict[str, Any] = {}
        if e.evidence:
            rel[EVIDENCE_LIST] = [ev.id for ev in sorted(e.evidence, key=kg.evidence_key)]
            evidence.update((ev.id, ev) for ev in e.evidence)
        edges[(schema.rel_type(e.prop), roots[e.source], roots[e.target])].append(
            {"s": e.source, "t": e.target, "props": rel})
    for ev in evidence.values():
        nodes[(ev_cls, (ev_cls,))].append({"id": ev.id, "props": literals.to_neo4j(evidence_props(ev, schema))})
        edges[(src_type, ev_cls, roots.get(ev.source, schema.source_class))].append(
            {"s": ev.id, "t": ev.source, "props": {}})
    return WritePlan(dict(nodes), dict(edges), owned_properties(schema))


def owned_properties(schema: Schema) -> list[str]:
    """The node properties ecokg sets and removes: ``id``, the ontology's datatype properties and
    the search key of the full-text index."""
    return [ID, SEARCH_KEY, *sorted(p for p in schema.datatype_properties if p != ID)]


def node_cypher(root: str, node_labels: tuple[str, ...]) -> str:
    """MERGE a batch of nodes under their root label, add the other labels; where an owned
    property (``$owned``) differs, SET the row's and remove the owned ones the row lacks."""
    extra = "".join(f":{check_identifier(x)}" for x in node_labels if x != root)
    set_labels = f" SET n{extra}" if extra else ""
    return (f"UNWIND $rows AS row MERGE (n:{check_identifier(root)} {{{ID}: row.id}}){set_labels} "
            "WITH n, row, [k IN $owned WHERE NOT coalesce(n[k] = row.props[k], "
            "n[k] IS NULL AND row.props[k] IS NULL)] AS differ WHERE differ <> [] "
            "SET n += row.props FOREACH (k IN [k IN differ WHERE row.props[k] IS NULL] | SET n[k] = null)")


def edge_cypher(rel: str, src_root: str, dst_root: str) -> str:
    """MERGE a batch of relationships between nodes found by id under their root labels; set or
    remove the evidence list where it differs (other properties on them are left alone)."""
    ev = EVIDENCE_LIST
    return (f"UNWIND $rows AS row MATCH (a:{check_identifier(src_root)} {{{ID}: row.s}}) "
            f"MATCH (b:{check_identifier(dst_root)} {{{ID}: row.t}}) "
            f"MERGE (a)-[r:{check_identifier(rel)}]->(b) WITH r, row "
            f"WHERE NOT coalesce(r.{ev} = row.props.{ev}, r.{ev} IS NULL AND row.props.{ev} IS NULL) "
            f"SET r.{ev} = row.props.{ev}")


def batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def statements(p: WritePlan, batch: int = BATCH) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Every (Cypher, rows) batch of the plan: all nodes first, then the relationships."""
    for (root, node_labels), rows in p.node_groups.items():
        cypher = node_cypher(root, node_labels)
        for chunk in batches(rows, batch):
            yield cypher, chunk
    for (rel, a, b), rows in p.edge_groups.items():
        cypher = edge_cypher(rel, a, b)
        for chunk in batches(rows, batch):
            yield cypher, chunk
