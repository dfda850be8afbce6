"""What ecokg writes into Neo4j: the rows of a graph (the *load plan*), their content hashes, the
file a build keeps them in, and the Cypher that writes them.

Node rows are grouped by (root label, all labels), relationship rows by (type, source root, target
root), so each batch runs one Cypher text whose ``MATCH``, ``MERGE`` or ``CREATE`` uses the root
label's uniqueness constraint. Evidence becomes ``:Evidence`` nodes linked from the entities they
support and to their source document; a relationship that states a fact (an
``eco:EvidencedRelation``) also lists the ids of its evidence in its ``evidence`` property. All
names come from the ontology (:mod:`ecokg.ontology.neo4j`).

Every node row carries a content hash (:data:`HASH`, a 62-bit integer) of everything ecokg writes
for that node: its id, labels, properties and outgoing relationships (type, target, evidence list).
The load (:mod:`.neo4j_load`) keeps it on the node; one aggregate per root label (the count and the
sums of the hashes, :func:`checksum`) tells it which root labels hold exactly the plan's nodes, and it
reads the ids and hashes of the others only, so a re-load writes only the nodes (and their
relationships) whose hash differs.

ecokg owns ``id``, the ontology's datatype properties, :data:`~ecokg.ontology.neo4j.SEARCH_KEY`
and :data:`HASH` on its nodes (:func:`owned_properties`), and the ``evidence`` list on its
relationships: it sets those and removes those it no longer has, and never touches any other
property, so what a user adds to an ecokg node survives every load.

``ecokg build`` saves the plan in the generation it writes (:data:`ROWS_FILE`, :func:`save`), so
``ecokg load neo4j`` reads these rows (:func:`open_rows`) instead of reading the whole store back
into the model: JSON lines, read section by section (an unchanged re-load reads only the ids and
hashes).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ecokg.graph.model import Evidence, GraphReader
from ecokg.graph.stores.base import Counts
from ecokg.ontology import literals, ontology_path
from ecokg.ontology.neo4j import EVIDENCE_LIST, ID, SEARCH_KEY, check_identifier, labels, search_key
from ecokg.ontology.schema import Schema

BATCH = 1000
#: The node property that holds the content hash of a node's row and its outgoing relationships.
HASH = "ecokgHash"
#: The file of a generation that holds its load plan (written by ``ecokg build``).
ROWS_FILE = "neo4j-rows.jsonl"
#: The layout of :data:`ROWS_FILE`; a file of another format (or ontology) is not used.
FORMAT = 1
NodeKey = tuple[str, tuple[str, ...]]
EdgeKey = tuple[str, str, str]
#: One outgoing relationship as it enters a node's hash: (type, target root, target id, evidence ids).
OutEdge = tuple[str, str, str, tuple[str, ...]]


@dataclass
class NodeGroup:
    """Nodes under one root label with the same labels: ids, hashes and (once read) properties.

    ``props[i]`` are the properties of ``ids[i]`` without ``id`` and :data:`HASH` (see :meth:`row`).
    """

    root: str
    labels: tuple[str, ...]
    ids: list[str] = field(default_factory=list)
    hashes: list[int] = field(default_factory=list)
    props: list[dict[str, Any]] | None = None

    def row(self, i: int) -> dict[str, Any]:
        """The row of node ``i`` as a MERGE sends it: ``{"id", "props"}``, the properties with ``id``
        and the hash."""
        return {"id": self.ids[i], "props": self.node_props(i)}

    def node_props(self, i: int) -> dict[str, Any]:
        """Every property of node ``i`` (a CREATE sends only these)."""
        assert self.props is not None, "the properties were not read"
        return {**self.props[i], ID: self.ids[i], HASH: self.hashes[i]}


@dataclass
class EdgeGroup:
    """Relationships of one type between two root labels, as columns.

    ``evidence`` is None for a group whose relationships carry no evidence list; otherwise one list
    (or None) per row."""

    type: str
    src: str
    dst: str
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    evidence: list[list[str] | None] | None = None

    def row(self, i: int) -> dict[str, Any]:
        ev = self.evidence[i] if self.evidence is not None else None
        return {"s": self.sources[i], "t": self.targets[i], "ev": ev}


class WritePlan:
    """A graph as Neo4j rows: node groups (ids and hashes always; properties and relationships read
    from the rows file only when a load needs them)."""

    def __init__(self, nodes: list[NodeGroup], edges: list[EdgeGroup] | None, owned: list[str],
                 edge_types: list[tuple[str, int]], reader: _Reader | None = None) -> None:
        self.nodes = nodes
        self.owned = owned  # the node properties ecokg owns: sent as $owned with every MERGE batch
        self.edge_types = edge_types  # (type, rows) of every relationship group
        self._edges = edges
        self._reader = reader

    @property
    def edge_count(self) -> int:
        return sum(n for _, n in self.edge_types)

    @property
    def node_count(self) -> int:
        return sum(len(g.ids) for g in self.nodes)

    @property
    def size(self) -> int:
        """Rows in all: nodes and relationships."""
        return self.node_count + self.edge_count

    @property
    def digest(self) -> str:
        """One hash of the whole plan (of every node's hash, in id order)."""
        return f"{_hash(sorted(h for g in self.nodes for h in g.hashes)):016x}"

    def checksums(self) -> dict[str, tuple[int, int, int]]:
        """Per root label, :func:`checksum` of its nodes' hashes."""
        by_root: dict[str, list[int]] = defaultdict(list)
        for g in self.nodes:
            by_root[g.root].extend(g.hashes)
        return {root: checksum(hs) for root, hs in by_root.items()}

    def counts(self, schema: Schema) -> Counts:
        """What a database holding exactly these rows counts (:meth:`Neo4jStore.counts`)."""
        classes: dict[str, int] = defaultdict(int)
        evidence = 0
        for g in self.nodes:
            if schema.evidence_class in g.labels:
                evidence += len(g.ids)
                continue
            for cls in schema.closure(schema.most_specific(g.labels)):
                classes[cls] += len(g.ids)
        plumbing = {schema.rel_type(schema.evidence_link), schema.rel_type(schema.evidence_fields["source"])}
        relations: dict[str, int] = defaultdict(int)
        for rel, n in self.edge_types:
            if rel not in plumbing:
                relations[schema.property_of_type(rel)] += n
        return Counts(dict(sorted(classes.items())), dict(sorted(relations.items())), evidence)

    def read_props(self) -> None:
        """Make sure every group's properties are there (read from the file if need be)."""
        if any(g.props is None for g in self.nodes):
            assert self._reader is not None
            self._reader.props(self.nodes)

    def edges(self) -> list[EdgeGroup]:
        """The relationship groups (read from the file on first use)."""
        if self._edges is None:
            assert self._reader is not None
            self._edges = self._reader.edges()
        return self._edges


def evidence_props(ev: Evidence, schema: Schema) -> dict[str, Any]:
    """The properties of an evidence node (its source is a relationship, not a property)."""
    props: dict[str, Any] = {ID: ev.id}
    for fld, prop in schema.evidence_fields.items():
        value = getattr(ev, fld)
        if value is not None and prop in schema.datatype_properties:
            props[prop] = value
    return props


_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _hash(value: Any) -> int:
    """A 62-bit content hash of JSON-able ``value`` (keys sorted): a non-negative Neo4j integer whose
    sums over a million nodes stay within 64 bits (:func:`checksum`)."""
    digest = hashlib.blake2b(_CANONICAL.encode(value).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 2


def node_hash(node_id: str, node_labels: tuple[str, ...], props: dict[str, Any], out: list[OutEdge]) -> int:
    """The hash of what a load writes for one node: its id, labels, properties (without id and hash)
    and outgoing relationships."""
    return _hash([node_id, node_labels, props, sorted(out)])


#: :func:`checksum` sums the low and the high bits of the hashes apart (Cypher's sum fails past 64 bits).
LOW = 2 ** 40


def checksum(hashes: list[int]) -> tuple[int, int, int]:
    """(count, sum of the low 40 bits, sum of the high 22 bits) of ``hashes``: what
    :func:`checksum_cypher` computes on the server for the nodes under a root label."""
    return len(hashes), sum(h % LOW for h in hashes), sum(h // LOW for h in hashes)


def plan(kg: GraphReader) -> WritePlan:
    """Turn the graph into grouped rows: nodes, evidence nodes and relationships, with hashes."""
    schema = kg.schema
    ev_cls = schema.evidence_class
    ev_type = schema.rel_type(schema.evidence_link)
    src_type = schema.rel_type(schema.evidence_fields["source"])
    searchable = set(schema.entity_classes)
    nodes: dict[NodeKey, NodeGroup] = {}
    edges: dict[EdgeKey, EdgeGroup] = {}
    out: dict[str, list[OutEdge]] = defaultdict(list)
    roots: dict[str, str] = {}
    kinds: dict[frozenset[str], tuple[str, tuple[str, ...]]] = {}
    types: dict[str, str] = {}
    ids: dict[Evidence, str] = {}
    evidence: dict[str, Evidence] = {}

    def ev_id(ev: Evidence) -> str:
        i = ids.get(ev)
        if i is None:
            i = ids[ev] = ev.id
            evidence.setdefault(i, ev)
        return i

    def node_group(root: str, node_labels: tuple[str, ...]) -> NodeGroup:
        g = nodes.get((root, node_labels))
        if g is None:
            g = nodes[(root, node_labels)] = NodeGroup(root, node_labels, props=[])
        return g

    def edge_group(rel: str, a: str, b: str, with_evidence: bool) -> EdgeGroup:
        g = edges.get((rel, a, b))
        if g is None:
            g = edges[(rel, a, b)] = EdgeGroup(rel, a, b, evidence=[] if with_evidence else None)
        return g

    for n in kg.nodes.values():
        key = frozenset(n.classes)
        if key not in kinds:
            kinds[key] = (schema.root_of(n.classes), tuple(labels(schema, n.classes)))
        root, node_labels = kinds[key]
        roots[n.id] = root
        props = {k: literals.to_neo4j(sorted(v) if isinstance(v, list) else v) for k, v in sorted(n.props.items())}
        if searchable.intersection(node_labels):
            skey = search_key(n.props)
            if skey:
                props[SEARCH_KEY] = skey
        ng = node_group(root, node_labels)
        ng.ids.append(n.id)
        assert ng.props is not None
        ng.props.append(props)
        links = edge_group(ev_type, root, ev_cls, False)
        for eid in dict.fromkeys(ev_id(ev) for ev in n.evidence):
            links.sources.append(n.id)
            links.targets.append(eid)
            out[n.id].append((ev_type, ev_cls, eid, ()))
    for e in kg.edges.values():
        rel = types.get(e.prop) or types.setdefault(e.prop, schema.rel_type(e.prop))
        evs = [ev_id(ev) for ev in sorted(e.evidence, key=kg.evidence_key)] if e.evidence else None
        dst = roots[e.target]
        g = edge_group(rel, roots[e.source], dst, schema.is_evidenced(e.prop))
        g.sources.append(e.source)
        g.targets.append(e.target)
        if g.evidence is not None:
            g.evidence.append(evs)
        out[e.source].append((rel, dst, e.target, tuple(evs or ())))
    ev_group = node_group(ev_cls, (ev_cls,))
    assert ev_group.props is not None
    fields = sorted((prop, fld) for fld, prop in schema.evidence_fields.items() if prop in schema.datatype_properties)
    for eid, ev in evidence.items():
        ev_group.ids.append(eid)
        ev_group.props.append({prop: value for prop, fld in fields if (value := getattr(ev, fld)) is not None})
        dst = roots.get(ev.source, schema.source_class)
        g = edge_group(src_type, ev_cls, dst, False)
        g.sources.append(eid)
        g.targets.append(ev.source)
        out[eid].append((src_type, dst, ev.source, ()))
    if not ev_group.ids:
        del nodes[(ev_cls, (ev_cls,))]
    empty: list[OutEdge] = []
    for ng in nodes.values():
        assert ng.props is not None
        ng.hashes = [node_hash(i, ng.labels, p, out.get(i, empty)) for i, p in zip(ng.ids, ng.props)]
    groups = [g for g in edges.values() if g.sources]
    return WritePlan(list(nodes.values()), groups, owned_properties(schema), [(g.type, len(g.sources)) for g in groups])


def owned_properties(schema: Schema) -> list[str]:
    """The node properties ecokg sets and removes: ``id``, the ontology's datatype properties, the
    search key of the full-text index and the content hash."""
    return [ID, SEARCH_KEY, HASH, *sorted(p for p in schema.datatype_properties if p != ID)]


def all_labels(schema: Schema) -> list[str]:
    """Every label ecokg may put on a node (the labels of every class)."""
    return sorted({lb for c in schema.classes for lb in labels(schema, [c])})


# -- the rows file ---------------------------------------------------------------------------------
def schema_digest() -> str:
    """What the rows depend on besides the graph: the file format and the ontology."""
    return f"{_hash([FORMAT, hashlib.blake2b(ontology_path().read_bytes(), digest_size=8).hexdigest()]):016x}"


_END = '"end"\n'


def save(p: WritePlan, path: Path) -> None:
    """Write ``p`` to ``path`` (through a temporary file and one rename). Lines: the header, the ids,
    the hashes, the properties, the relationships (targets and evidence as positions in
    the ids where they are nodes of the plan), and an end mark."""
    p.read_props()
    edges = p.edges()
    ids = [i for g in p.nodes for i in g.ids]
    index = {i: n for n, i in enumerate(ids)}

    def ref(i: str) -> int | str:
        return index.get(i, i)

    header = {"format": FORMAT, "schema": schema_digest(), "owned": p.owned,
              "nodes": [[g.root, list(g.labels), len(g.ids)] for g in p.nodes],
              "edges": [[g.type, g.src, g.dst, len(g.sources), g.evidence is not None] for g in edges]}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            for value in (header, ids, [h for g in p.nodes for h in g.hashes],
                          [props for g in p.nodes for props in g.props or ()],
                          [[[index[s] for s in g.sources], [ref(t) for t in g.targets],
                            None if g.evidence is None else [None if ev is None else [ref(e) for e in ev]
                                                             for ev in g.evidence]] for g in edges]):
                f.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
                f.write("\n")
            f.write(_END)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class _Reader:
    """Reads the later lines of a rows file on demand (the properties, the relationships)."""

    def __init__(self, path: Path, offset: int, ids: list[str], header: dict[str, Any]) -> None:
        self.path, self.offset, self.ids, self.header = path, offset, ids, header

    def _lines(self, n: int) -> list[Any]:
        """The next ``n`` lines after the hashes, parsed."""
        with self.path.open("rb") as f:
            f.seek(self.offset)
            out = []
            for _ in range(n):
                line = f.readline()
                if not line.endswith(b"\n"):
                    raise ValueError(f"{self.path} is cut off")
                out.append(json.loads(line))
            return out

    def props(self, groups: list[NodeGroup]) -> None:
        props = self._lines(1)[0]
        start = 0
        for g in groups:
            g.props = props[start:start + len(g.ids)]
            start += len(g.ids)

    def edges(self) -> list[EdgeGroup]:
        with self.path.open("rb") as f:  # skip the properties without parsing them
            f.seek(self.offset)
            f.readline()
            line = f.readline()
        if not line.endswith(b"\n"):
            raise ValueError(f"{self.path} is cut off")
        ids = self.ids

        def node(ref: int | str) -> str:
            return ids[ref] if isinstance(ref, int) else ref

        out = []
        for (rel, a, b, _n, _ev), (sources, targets, evidence) in zip(self.header["edges"], json.loads(line)):
            out.append(EdgeGroup(rel, a, b, [ids[s] for s in sources], [node(t) for t in targets],
                                 None if evidence is None else
                                 [None if ev is None else [node(e) for e in ev] for ev in evidence]))
        return out


def open_rows(path: Path) -> WritePlan | None:
    """The plan saved in ``path`` with its ids and hashes read (properties and relationships on
    demand); None when there is no such file, it is cut off, or it was written for another format
    or ontology."""
    try:
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - len(_END)))
            if f.read() != _END.encode("ascii"):  # a file cut off (a disk that filled up) lacks the end mark
                return None
            f.seek(0)
            header = json.loads(f.readline())
            if not isinstance(header, dict) or header.get("format") != FORMAT or \
                    header.get("schema") != schema_digest():
                return None
            ids: list[str] = json.loads(f.readline())
            hashes: list[int] = json.loads(f.readline())
            offset = f.tell()
    except (OSError, ValueError):
        return None
    groups, start = [], 0
    for root, node_labels, n in header["nodes"]:
        groups.append(NodeGroup(root, tuple(node_labels), ids[start:start + n], hashes[start:start + n]))
        start += n
    return WritePlan(groups, None, header["owned"], [(e[0], e[3]) for e in header["edges"]],
                     _Reader(path, offset, ids, header))


# -- Cypher ------------------------------------------------------------------------------------------
def create_nodes_cypher(root: str, node_labels: tuple[str, ...]) -> str:
    """CREATE a batch of nodes that are not in the database (rows: all their properties)."""
    names = ":".join(check_identifier(x) for x in (root, *(x for x in node_labels if x != root)))
    return f"UNWIND $rows AS props CREATE (n:{names}) SET n = props"


def node_cypher(root: str, node_labels: tuple[str, ...], stale: tuple[str, ...] = ()) -> str:
    """MERGE a batch of nodes under their root label, add their labels and remove ``stale`` ones
    (ecokg's labels the rows do not have); where an owned property (``$owned``) differs, SET the
    row's and remove the owned ones the row lacks."""
    extra = "".join(f":{check_identifier(x)}" for x in node_labels if x != root)
    set_labels = f" SET n{extra}" if extra else ""
    remove = f" REMOVE n{''.join(f':{check_identifier(x)}' for x in stale)}" if stale else ""
    return (f"UNWIND $rows AS row MERGE (n:{check_identifier(root)} {{{ID}: row.id}}){set_labels}{remove} "
            "WITH n, row, [k IN $owned WHERE NOT coalesce(n[k] = row.props[k], "
            "n[k] IS NULL AND row.props[k] IS NULL)] AS differ WHERE differ <> [] "
            "SET n += row.props FOREACH (k IN [k IN differ WHERE row.props[k] IS NULL] | SET n[k] = null)")


def create_edges_cypher(rel: str, src_root: str, dst_root: str, with_evidence: bool) -> str:
    """CREATE a batch of relationships from or to nodes this load created (so none of them exists)."""
    props = f" {{{EVIDENCE_LIST}: row.ev}}" if with_evidence else ""
    return (f"UNWIND $rows AS row MATCH (a:{check_identifier(src_root)} {{{ID}: row.s}}) "
            f"MATCH (b:{check_identifier(dst_root)} {{{ID}: row.t}}) CREATE (a)-[:{check_identifier(rel)}{props}]->(b)")


def edge_cypher(rel: str, src_root: str, dst_root: str) -> str:
    """MERGE a batch of relationships between nodes found by id under their root labels; set or
    remove the evidence list where it differs (other properties on them are left alone)."""
    ev = EVIDENCE_LIST
    return (f"UNWIND $rows AS row MATCH (a:{check_identifier(src_root)} {{{ID}: row.s}}) "
            f"MATCH (b:{check_identifier(dst_root)} {{{ID}: row.t}}) "
            f"MERGE (a)-[r:{check_identifier(rel)}]->(b) WITH r, row "
            f"WHERE NOT coalesce(r.{ev} = row.ev, r.{ev} IS NULL AND row.ev IS NULL) "
            f"SET r.{ev} = row.ev")


def prune_cypher(root: str) -> str:
    """Delete the relationships of ecokg's types from a batch of nodes to ecokg nodes that the
    rows no longer list (``row.keep``: ``"TYPE id"`` of each relationship the node keeps)."""
    return (f"UNWIND $rows AS row MATCH (a:{check_identifier(root)} {{{ID}: row.id}})-[r]->(b) "
            f"WHERE type(r) IN $types AND b.{ID} STARTS WITH $ns AND NOT type(r) + ' ' + b.{ID} IN row.keep "
            "DELETE r")


def unlink_cypher(root: str) -> str:
    """Delete every relationship of ecokg's types between a batch of nodes and ecokg nodes."""
    return (f"UNWIND $rows AS id MATCH (n:{check_identifier(root)} {{{ID}: id}})-[r]-(m) "
            f"WHERE type(r) IN $types AND m.{ID} STARTS WITH $ns WITH DISTINCT r DELETE r")


def remove_cypher(root: str) -> str:
    """Delete a batch of nodes that no relationship touches any more (a user's keeps one)."""
    return f"UNWIND $rows AS id MATCH (n:{check_identifier(root)} {{{ID}: id}}) WHERE NOT (n)--() DELETE n"


def present_cypher(root: str) -> str:
    """Which of a batch of ids are still nodes under a root label."""
    return f"UNWIND $rows AS id MATCH (n:{check_identifier(root)} {{{ID}: id}}) RETURN collect(id) AS ids"


def checksum_cypher(root: str) -> str:
    """The :func:`checksum` of the ecokg nodes under a root label, and how many have no hash."""
    return (f"MATCH (n:{check_identifier(root)}) WHERE n.{ID} STARTS WITH $ns "
            f"RETURN count(*) AS nodes, count(*) - count(n.{HASH}) AS unhashed, "
            f"sum(n.{HASH} % $low) AS low, sum(n.{HASH} / $low) AS high")


def hashes_cypher(root: str) -> str:
    """The ids and hashes of the ecokg nodes under a root label (-1 for a node without a hash)."""
    return (f"MATCH (n:{check_identifier(root)}) WHERE n.{ID} STARTS WITH $ns "
            f"RETURN collect(n.{ID}) AS ids, collect(coalesce(n.{HASH}, -1)) AS hashes")


def batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]
