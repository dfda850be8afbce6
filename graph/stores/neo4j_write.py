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

``ecokg build`` saves the plan in the generation it writes (:data:`ROWS_FILE`; :func:`write_rows`
writes the bytes :func:`save` writes of :func:`plan`, a line at a time, without holding the plan), so
``ecokg load neo4j`` reads these rows (:func:`open_rows`) instead of reading the whole store back
into the model: JSON lines, read section by section (an unchanged re-load reads only the ids and
hashes).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from array import array
from bisect import bisect_right
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from ecokg.graph.model import Edge, Evidence, GraphReader
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


#: One JSON value as the rows file holds it (what ``json.dumps`` makes with these settings).
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
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


def _node_row(props: dict[str, Any], node_labels: tuple[str, ...], searchable: set[str]) -> dict[str, Any]:
    """A node's properties as its row holds them: sorted, as Neo4j values, with the full-text search key
    when the node is an entity found by name."""
    row = {k: literals.to_neo4j(sorted(v) if isinstance(v, list) else v) for k, v in sorted(props.items())}
    if searchable.intersection(node_labels):
        skey = search_key(props)
        if skey:
            row[SEARCH_KEY] = skey
    return row


def _evidence_fields(schema: Schema) -> list[tuple[str, str]]:
    """(property, Evidence field) of the evidence fields an evidence node holds as properties, sorted."""
    return sorted((prop, fld) for fld, prop in schema.evidence_fields.items() if prop in schema.datatype_properties)


def _evidence_row(ev: Evidence, fields: list[tuple[str, str]]) -> dict[str, Any]:
    """The properties of an evidence node's row (without its id, as a group's ``props`` hold them)."""
    return {prop: value for prop, fld in fields if (value := getattr(ev, fld)) is not None}


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
        props = _node_row(n.props, node_labels, searchable)
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
    fields = _evidence_fields(schema)
    for eid, ev in evidence.items():
        ev_group.ids.append(eid)
        ev_group.props.append(_evidence_row(ev, fields))
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


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes ``path`` in one rename once written and synced; on any failure
    neither it nor a temporary file is left, and what was at ``path`` stays."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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
    with _replacing(path) as f:
        for value in (header, ids, [h for g in p.nodes for h in g.hashes],
                      [props for g in p.nodes for props in g.props or ()],
                      [[[index[s] for s in g.sources], [ref(t) for t in g.targets],
                        None if g.evidence is None else [None if ev is None else [ref(e) for e in ev]
                                                         for ev in g.evidence]] for g in edges]):
            f.write(_COMPACT.encode(value).encode("utf-8") + b"\n")
        f.write(_END.encode("ascii"))


_CHUNK = 1 << 16  # elements joined into one string before they are written (bounds the text held)


class _Spool:
    """JSON values put aside on disk per section (a node group, the evidence), in the order added,
    until :meth:`copy` writes a section into the rows file: what lets :func:`write_rows` walk the
    nodes in the graph's order and still write each line in group order. The file is anonymous
    (gone with the process, whatever happens); at most :data:`LIMIT` values per section are held,
    then encoded together (one call of the encoder, not one per value) and written to it."""

    LIMIT = 512

    def __init__(self, directory: Path) -> None:
        self.file = tempfile.TemporaryFile(dir=directory)
        self.parts: dict[int, list[Any]] = defaultdict(list)
        self.chunks: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.end = 0

    def add(self, section: int, value: Any) -> None:
        parts = self.parts[section]
        parts.append(value)
        if len(parts) >= self.LIMIT:
            self._flush(section)

    def _flush(self, section: int) -> None:
        if self.parts[section]:
            data = _COMPACT.encode(self.parts[section])[1:-1].encode("utf-8")  # the elements, comma-separated
            self.file.seek(self.end)
            self.file.write(data)
            self.chunks[section].append((self.end, len(data)))
            self.end += len(data)
            self.parts[section].clear()

    def copy(self, section: int, out: BinaryIO, first: bool) -> bool:
        """Write the elements of ``section`` to ``out`` (after a comma unless ``first``); return
        whether the line still has no element."""
        self._flush(section)
        for offset, n in self.chunks.pop(section, []):
            if not first:
                out.write(b",")
            self.file.seek(offset)
            out.write(self.file.read(n))
            first = False
        return first

    def close(self) -> None:
        self.file.close()


class _Rels:
    """The rows of one relationship group as columns of positions (the compact form of an
    :class:`EdgeGroup`): ``ev_len[i]`` is the length of row ``i``'s evidence list in ``ev_flat``
    (-1 for none)."""

    def __init__(self, key: EdgeKey, with_evidence: bool) -> None:
        self.key = key
        self.sources = array("i")
        self.targets = array("i")
        self.ev_len: array[int] | None = array("i") if with_evidence else None
        self.ev_flat = array("i")
        self.from_evidence: int | None = None  # the rows of an evidence-source group are the evidence's

    def add(self, source: int, target: int, evidence: list[int] | None) -> None:
        self.sources.append(source)
        self.targets.append(target)
        if self.ev_len is not None:
            self.ev_len.append(-1 if evidence is None else len(evidence))
            if evidence:
                self.ev_flat.extend(evidence)


def _write_list(out: BinaryIO, items: Iterable[Any]) -> None:
    """``items`` as one JSON list, written (and encoded) a chunk of elements at a time."""
    out.write(b"[")
    it = iter(items)
    first = True
    while chunk := list(islice(it, _CHUNK)):
        if not first:
            out.write(b",")
        out.write(_COMPACT.encode(chunk)[1:-1].encode("utf-8"))
        first = False
    out.write(b"]")


def _evidence_lists(lengths: array[int], flat: array[int]) -> Iterator[list[int] | None]:
    """Each row's evidence list (None for none) from :class:`_Rels` columns."""
    at = 0
    for n in lengths:
        if n < 0:
            yield None
        else:
            yield flat[at:at + n].tolist()
            at += n


def write_rows(kg: GraphReader, path: Path) -> None:
    """Write the rows of ``kg`` to ``path``: the same bytes as ``save(plan(kg), path)``, without
    holding the plan (every node's properties and outgoing relationships, every line's text).

    Two walks of the graph. The first puts each node in its group (root label, labels), which gives
    every node its position in the ids. The second, in :func:`plan`'s order (the nodes, then the
    edges), hashes each node from its properties, evidence and ``kg.out_edges``, sets its
    properties' JSON aside on disk by group (:class:`_Spool`), numbers the evidence as first seen
    (hashing each and setting its properties aside then) and keeps the relationships as columns of
    positions (:class:`_Rels`). Then the file is written line by line, element by element. Held
    meanwhile: a dict of every id's position, and arrays of hashes and positions. Only the read
    surface of the graph is used (``nodes``, ``edges``, ``out_edges``, ``evidence_key``), and
    evidence is told apart by id, never by object. A graph with nodes of the evidence class itself
    (no ecokg graph has any) is written through :func:`plan` and :func:`save`.
    """
    schema = kg.schema
    ev_cls = schema.evidence_class
    ev_type = schema.rel_type(schema.evidence_link)
    src_type = schema.rel_type(schema.evidence_fields["source"])
    searchable = set(schema.entity_classes)
    fields = _evidence_fields(schema)

    # -- first walk: the node groups and every node's position --------------------------------
    kinds: dict[frozenset[str], int] = {}
    group_of: dict[NodeKey, int] = {}
    members: list[list[str]] = []
    for n in kg.nodes.values():
        key = frozenset(n.classes)
        g = kinds.get(key)
        if g is None:
            nk = (schema.root_of(n.classes), tuple(labels(schema, n.classes)))
            if nk[0] == ev_cls:
                save(plan(kg), path)
                return
            g = kinds[key] = group_of.setdefault(nk, len(group_of))
            if g == len(members):
                members.append([])
        members[g].append(n.id)
    groups = list(group_of)
    index: dict[str, int] = {}  # every id (nodes, then evidence) -> its position in the ids
    starts = []
    for ids in members:
        starts.append(len(index))
        index.update(zip(ids, range(len(index), len(index) + len(ids))))
    n_nodes = len(index)
    sizes = [len(ids) for ids in members]
    del members

    roots = [rt for rt, _ in groups]

    def root(i: str) -> str:
        """The root label of node ``i`` (KeyError, as in plan, when ``i`` is not a node)."""
        pos = index[i]
        if pos >= n_nodes:
            raise KeyError(i)
        return roots[bisect_right(starts, pos) - 1]

    # -- second walk: hashes, properties, evidence and relationships in plan's order -----------
    rels: dict[EdgeKey, _Rels] = {}

    def rel_group(rel: str, a: str, b: str, with_evidence: bool) -> _Rels:
        r = rels.get((rel, a, b))
        if r is None:
            r = rels[(rel, a, b)] = _Rels((rel, a, b), with_evidence)
        return r

    hashes = array("q", bytes(8 * n_nodes))
    ev_sources: dict[str, int] = {}  # the distinct sources of the evidence
    ev_source = array("i")  # per evidence: its source (in ev_sources)
    ev_dsts: dict[str, int] = {}  # the root labels of the sources, as first seen
    ev_dst = array("i")  # per evidence: its source's root label (in ev_dsts)
    spool = _Spool(path.parent)
    evidence_section = len(groups)

    def ev_pos(ev: Evidence) -> int:
        """The position of ``ev``'s evidence node, numbered (hashed, its properties set aside) when first seen."""
        eid = ev.id
        pos = index.get(eid)
        if pos is None:
            pos = index[eid] = len(index)
            props = _evidence_row(ev, fields)
            try:
                dst = root(ev.source)
            except KeyError:
                dst = schema.source_class
            hashes.append(node_hash(eid, (ev_cls,), props, [(src_type, dst, ev.source, ())]))
            spool.add(evidence_section, props)
            ev_source.append(ev_sources.setdefault(ev.source, len(ev_sources)))
            ev_dst.append(ev_dsts.setdefault(dst, len(ev_dsts)))
        return pos

    def in_order(e: Edge) -> list[Evidence]:
        """An edge's evidence in plan's order (sorted only when there are two or more)."""
        return e.evidence if len(e.evidence) < 2 else sorted(e.evidence, key=kg.evidence_key)

    types: dict[str, str] = {}
    try:
        for n in kg.nodes.values():
            pos = index[n.id]
            g = bisect_right(starts, pos) - 1
            node_root, node_labels = groups[g]
            props = _node_row(n.props, node_labels, searchable)
            spool.add(g, props)
            links = rel_group(ev_type, node_root, ev_cls, False)
            out: list[OutEdge] = []
            seen: set[str] = set()
            for ev in n.evidence:
                p = ev_pos(ev)
                if ev.id not in seen:
                    seen.add(ev.id)
                    links.add(pos, p, None)
                    out.append((ev_type, ev_cls, ev.id, ()))
            for e in kg.out_edges(n.id):
                rel = types.get(e.prop) or types.setdefault(e.prop, schema.rel_type(e.prop))
                t = index[e.target]
                if t >= n_nodes:
                    raise KeyError(e.target)
                out.append((rel, roots[bisect_right(starts, t) - 1], e.target, tuple(ev.id for ev in in_order(e))))
            hashes[pos] = node_hash(n.id, node_labels, props, out)
        for e in kg.edges.values():
            rel = types.get(e.prop) or types.setdefault(e.prop, schema.rel_type(e.prop))
            evs = None
            if e.evidence:
                evs = [ev_pos(ev) for ev in in_order(e)]
            s, t = index[e.source], index[e.target]
            if s >= n_nodes or t >= n_nodes:
                raise KeyError(e.source if s >= n_nodes else e.target)
            r = rel_group(rel, roots[bisect_right(starts, s) - 1], roots[bisect_right(starts, t) - 1],
                          schema.is_evidenced(e.prop))
            r.add(s, t, evs)
        for dst, k in ev_dsts.items():  # after the edges, as plan makes them
            rel_group(src_type, ev_cls, dst, False).from_evidence = k
        _write_rows(path, spool, index, hashes, evidence_section, groups, sizes, list(rels.values()),
                    ev_source, ev_dst, list(ev_sources), owned_properties(schema), ev_cls)
    finally:
        spool.close()


def _write_rows(path: Path, spool: _Spool, index: dict[str, int], hashes: array[int], evidence_section: int,
                groups: list[NodeKey], sizes: list[int], rels: list[_Rels], ev_source: array[int],
                ev_dst: array[int], sources: list[str], owned: list[str], ev_cls: str) -> None:
    """The writing half of :func:`write_rows`: the lines from what its walks kept."""
    n_ev = len(ev_source)
    sized = [(r, ev_dst.count(r.from_evidence) if r.from_evidence is not None else len(r.sources)) for r in rels]
    rels = [r for r, n in sized if n]  # as plan drops the groups without rows
    nodes = [[rt, list(lb), n] for (rt, lb), n in zip(groups, sizes)]
    if n_ev:
        nodes.append([ev_cls, [ev_cls], n_ev])
    header = {"format": FORMAT, "schema": schema_digest(), "owned": owned, "nodes": nodes,
              "edges": [[*r.key, n, r.ev_len is not None] for r, n in sized if n]}
    source_refs = [index.get(s, s) for s in sources]
    n_nodes = len(index) - n_ev
    with _replacing(path) as f:
        f.write(_COMPACT.encode(header).encode("utf-8") + b"\n")
        _write_list(f, index)
        f.write(b"\n")
        _write_list(f, hashes)
        f.write(b"\n[")
        first = True
        for section in range(evidence_section + 1):
            first = spool.copy(section, f, first)
        f.write(b"]\n[")
        for k, r in enumerate(rels):
            f.write(b"[" if k == 0 else b",[")
            if r.from_evidence is not None:  # the evidence whose source has this root label, in order
                k = r.from_evidence
                _write_list(f, (n_nodes + i for i, d in enumerate(ev_dst) if d == k))
                f.write(b",")
                _write_list(f, (source_refs[ev_source[i]] for i, d in enumerate(ev_dst) if d == k))
            else:
                _write_list(f, r.sources)
                f.write(b",")
                _write_list(f, r.targets)
            f.write(b",")
            if r.ev_len is None:
                f.write(b"null")
            else:
                _write_list(f, _evidence_lists(r.ev_len, r.ev_flat))
            f.write(b"]")
        f.write(b"]\n")
        f.write(_END.encode("ascii"))


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
