"""A whole graph held lean and read-only: what a build of a million entities reads its graph from.

A :class:`~ecokg.graph.model.KnowledgeGraph` holds a dataclass per node, edge and piece of
evidence, with a set, a dict and lists each: 5.25 GiB for the 1M-entity synthetic graph
(2.82 M nodes, 4.86 M edges). :class:`CompactGraph` holds the same graph in columns: ids as one
list of texts, a node's classes as an index into a table of the distinct class sets, its
properties as a slice of one list of values with an index into a table of the distinct key
layouts, every distinct :class:`~ecokg.graph.model.Evidence` once (sources, bases and notes as
indices into small tables, offsets and lines in integer arrays, quotes in a list), and edges as
three integer arrays with out and in indexes (CSR) built once, on the first read.

It is built from *parts*: ``add(part)`` for each part of the graph, in order, then read (the
first read finalises it; an ``add`` after that raises :class:`RuntimeError`). The parts contract:

- every node appears in exactly one part, with all its classes, properties and evidence;
- every edge ``(source, prop, target)`` appears in exactly one part, with all its evidence; an
  edge may be in another part than its nodes, and may name nodes that only appear in later parts;
- review items may be in any part (one that repeats an earlier one is kept once, as
  :meth:`~ecokg.graph.model.KnowledgeGraph.flag` keeps it).

The graph the parts make is the one ``KnowledgeGraph().merge(p)`` over the parts in order would
make: nodes and edges in the order of their first appearance. A node or an edge key in two parts
raises :class:`~ecokg.ontology.errors.SchemaError` naming it, nothing is merged: a node at the
``add`` of the later part, an edge on the first read (when the edge indexes are built; see
:meth:`CompactGraph.from_parts`, which reads nothing but finalises). The values of a part are
kept as the part holds them (its ``add_node`` checked them against the ontology).

It is read through the same surface as a ``KnowledgeGraph``
(:class:`~ecokg.graph.model.GraphReader`), giving the same values in the same order. The values
are real :class:`~ecokg.graph.model.Node`, :class:`~ecokg.graph.model.Edge` and ``Evidence``
objects made on each access, with their own sets, dicts and lists: changing one changes nothing
in the graph, and the next access makes a new one. Nothing is cached per node (that would be the
model again); an access costs a few microseconds (``bench/bench_compact.py`` measures it).

>>> from ecokg.graph.model import Evidence, KnowledgeGraph
>>> from ecokg.ontology.terms import C, P
>>> a, b = KnowledgeGraph(), KnowledgeGraph()
>>> ev = Evidence(source="urn:doc", quote="A 属于 S", basis="bluebook", start=0, end=5)
>>> _ = a.add_node("urn:a", C.Company, {"name": "A"}, ev)
>>> _ = a.add_edge("urn:a", P.inSector, "urn:s", ev)
>>> _ = b.add_node("urn:s", C.Sector, {"name": "S"})
>>> g = CompactGraph.from_parts([a, b])
>>> list(g.nodes), [e.target for e in g.out_edges("urn:a")], g.nodes["urn:a"].evidence == [ev]
(['urn:a', 'urn:s'], ['urn:s'], True)
>>> CompactGraph.from_parts([a, a])
Traceback (most recent call last):
...
ecokg.ontology.errors.SchemaError: node urn:a is in two parts of the graph
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, ValuesView
from typing import TYPE_CHECKING, Any, TypeVar, overload

import numpy as np

from ecokg.graph.model import Edge, Evidence, GraphReader, KnowledgeGraph, Node, ReviewItem, canonical, evidence_order
from ecokg.ontology.errors import SchemaError
from ecokg.ontology.schema import Schema, get_schema

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
EdgeKey = tuple[str, str, str]

#: An integer field of evidence that is None (offsets and lines are never negative).
_NONE = -1
_new = object.__new__
_set = object.__setattr__  # Evidence is frozen: its fields are set as its own __init__ sets them


class CompactGraph:
    """A read-only graph in columns, built part by part (see the module's docstring)."""

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or get_schema()
        self.review: list[ReviewItem] = []
        self._review_seen: set[ReviewItem] = set()
        # every id named by a node or an edge, in order of first sight, and its node row (-1: none)
        self._terms: list[str] = []
        self._term: dict[str, int] = {}
        self._node_of = array("i")
        # nodes: the term of each row, its class set and key layout, its values and evidence
        self._node_term = array("i")
        self._node_classes = array("H")
        self._class_sets: list[frozenset[str]] = []
        self._class_set_index: dict[frozenset[str], int] = {}
        self._node_layout = array("H")
        self._layouts: list[tuple[str, ...]] = []
        self._layout_lists: list[tuple[str, ...]] = []  # the keys whose value is a list (kept as a tuple)
        self._layout_index: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
        self._values: list[Any] = []
        self._values_at = array("I", [0])
        self._node_ev = array("i")
        self._node_ev_at = array("I", [0])
        # edges: source and target terms, property index, evidence
        self._src = array("i")
        self._prop = array("B")
        self._dst = array("i")
        self._props: list[str] = []
        self._prop_index: dict[str, int] = {}
        self._edge_ev = array("i")
        self._edge_ev_at = array("I", [0])
        # evidence, each distinct value once
        self._texts: list[str] = []  # sources and notes
        self._text_index: dict[str, int] = {}
        self._bases: list[str] = []
        self._ev_source = array("i")
        self._ev_basis = array("B")
        self._ev_note = array("i")
        self._ev_start = array("i")  # widened to 64 bits by the first value that needs it
        self._ev_end = array("i")
        self._ev_line = array("i")
        self._ev_quote: list[str] = []
        # the dedupe table of evidence while building: open addressing over the evidence's hashes
        self._ev_hash = array("q")
        self._slots = array("i", [-1]) * 1024
        # built on the first read
        self._final = False
        self._out = self._out_at = self._in = self._in_at = array("i")
        self._nodes_view: _Rows[str, Node] = _Rows(self._row, self._node, self._id_of, lambda: len(self._node_term))
        self._edges_view: _Rows[EdgeKey, Edge] = _Rows(self._find_edge, self._edge, self._key, lambda: len(self._src))

    # -- building ---------------------------------------------------------------------------------
    @classmethod
    def from_parts(cls, parts: Iterable[KnowledgeGraph], schema: Schema | None = None) -> CompactGraph:
        """The graph the ``parts`` make (the parts contract of the module), finalised: a repeated
        node or edge has raised by the time it returns."""
        g = cls(schema)
        for part in parts:
            g.add(part)
        g._finalise()
        return g

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> CompactGraph:
        """``kg`` as a compact graph (one part)."""
        return cls.from_parts([kg], kg.schema)

    def add(self, part: KnowledgeGraph) -> None:
        """Add the nodes, edges, evidence and review items of ``part`` (the next part of the graph)."""
        if self._final:
            raise RuntimeError("a CompactGraph is read-only once read: add every part first")
        seen: dict[int, int] = {}  # id(evidence object) -> index, within the part (objects are shared)
        evidence = self._evidence
        term = self._term_of
        node_of, node_ev = self._node_of, self._node_ev
        for n in part.nodes.values():
            t = term(n.id)
            if node_of[t] >= 0:
                raise SchemaError(f"node {n.id} is in two parts of the graph")
            if not n.classes:
                raise SchemaError(f"{n.id} has no class")
            node_of[t] = len(self._node_term)
            self._node_term.append(t)
            self._node_classes.append(self._class_set(n.classes))
            self._add_props(n.props)
            for ev in n.evidence:
                k = seen.get(id(ev))
                node_ev.append(evidence(ev, seen) if k is None else k)
            self._node_ev_at.append(len(node_ev))
        src, prop, dst, edge_ev = self._src, self._prop, self._dst, self._edge_ev
        props = self._prop_index
        for e in part.edges.values():
            src.append(term(e.source))
            p = props.get(e.prop)
            if p is None:
                self.schema.rel_type(e.prop)  # an object property of the ontology
                p = props[e.prop] = len(self._props)
                self._props.append(e.prop)
            prop.append(p)
            dst.append(term(e.target))
            for ev in e.evidence:
                k = seen.get(id(ev))
                edge_ev.append(evidence(ev, seen) if k is None else k)
            self._edge_ev_at.append(len(edge_ev))
        for item in part.review:
            if item not in self._review_seen:
                self._review_seen.add(item)
                self.review.append(item)

    def _term_of(self, ident: str) -> int:
        t = self._term.get(ident)
        if t is None:
            t = self._term[ident] = len(self._terms)
            self._terms.append(ident)
            self._node_of.append(-1)
        return t

    def _class_set(self, classes: set[str]) -> int:
        key = frozenset(classes)
        k = self._class_set_index.get(key)
        if k is None:
            for c in key:
                self.schema.check_class(c)
            k = self._class_set_index[key] = len(self._class_sets)
            self._class_sets.append(key)
        return k

    def _add_props(self, props: dict[str, Any]) -> None:
        keys = tuple(props)
        lists = tuple(k for k, v in props.items() if type(v) is list)
        layout = self._layout_index.get((keys, lists))
        if layout is None:
            layout = self._layout_index[(keys, lists)] = len(self._layouts)
            self._layouts.append(keys)
            self._layout_lists.append(lists)
        self._node_layout.append(layout)
        if lists:
            self._values.extend(tuple(v) if type(v) is list else v for v in props.values())
        else:
            self._values.extend(props.values())
        self._values_at.append(len(self._values))

    def _text(self, text: str | None) -> int:
        if text is None:
            return -1
        k = self._text_index.get(text)
        if k is None:
            k = self._text_index[text] = len(self._texts)
            self._texts.append(text)
        return k

    def _evidence(self, ev: Evidence, seen: dict[int, int]) -> int:
        """The index of ``ev``'s value, added if new; remembered for the object in ``seen``."""
        h = hash(ev)  # the hash of its fields: equal evidence, equal hash
        slots, hashes = self._slots, self._ev_hash
        mask = len(slots) - 1
        i = h & mask
        while (k := slots[i]) >= 0:
            if hashes[k] == h and self._evidence_at(k) == ev:
                seen[id(ev)] = k
                return k
            i = (i + 1) & mask
        k = slots[i] = len(self._ev_quote)
        hashes.append(h)
        self._ev_source.append(self._text(ev.source))
        if ev.basis not in self._bases:
            self._bases.append(ev.basis)
        self._ev_basis.append(self._bases.index(ev.basis))
        self._ev_note.append(self._text(ev.note))
        for column, value in (("_ev_start", ev.start), ("_ev_end", ev.end), ("_ev_line", ev.line)):
            numbers: array[int] = getattr(self, column)
            try:
                numbers.append(_NONE if value is None else value)
            except OverflowError:
                setattr(self, column, array("q", numbers))
                getattr(self, column).append(value)
        self._ev_quote.append(ev.quote)
        if 2 * len(hashes) > len(slots):
            self._rehash(2 * len(slots))
        seen[id(ev)] = k
        return k

    def _rehash(self, size: int) -> None:
        slots = array("i", [-1]) * size
        mask = size - 1
        for k, h in enumerate(self._ev_hash):
            i = h & mask
            while slots[i] >= 0:
                i = (i + 1) & mask
            slots[i] = k
        self._slots = slots

    def _finalise(self) -> None:
        """Build the out and in indexes, check that no edge is repeated, drop the building tables."""
        if self._final:
            return
        n = len(self._terms)
        src = np.frombuffer(self._src, dtype=np.int32)
        dst = np.frombuffer(self._dst, dtype=np.int32)
        prop = np.frombuffer(self._prop, dtype=np.uint8)
        if len(src):
            order = np.lexsort((dst, prop, src))
            s, p, d = src[order], prop[order], dst[order]
            same = (s[1:] == s[:-1]) & (p[1:] == p[:-1]) & (d[1:] == d[:-1])
            if same.any():
                k = int(order[int(np.argmax(same)) + 1])
                raise SchemaError(f"edge {self._key(k)} is in two parts of the graph")
            del order, s, p, d, same
        self._out, self._out_at = _csr(src, n)
        self._in, self._in_at = _csr(dst, n)
        self._ev_hash = array("q")
        self._slots = array("i")
        self._review_seen = set()
        self._final = True

    # -- values -----------------------------------------------------------------------------------
    def _row(self, node_id: Any) -> int:
        """The node row of ``node_id``, -1 when it is not a node."""
        t = self._term.get(node_id)
        return -1 if t is None else self._node_of[t]

    def _id_of(self, row: int) -> str:
        return self._terms[self._node_term[row]]

    def _evidence_at(self, k: int) -> Evidence:
        ev: Evidence = _new(Evidence)  # made as the model made it: no check against the ontology again
        start, end, line, note = self._ev_start[k], self._ev_end[k], self._ev_line[k], self._ev_note[k]
        _set(ev, "__dict__", {"source": self._texts[self._ev_source[k]], "quote": self._ev_quote[k],
                              "basis": self._bases[self._ev_basis[k]], "start": None if start == _NONE else start,
                              "end": None if end == _NONE else end, "line": None if line == _NONE else line,
                              "note": None if note < 0 else self._texts[note]})
        return ev

    def _node(self, row: int) -> Node:
        at, layout = self._values_at, self._node_layout[row]
        props = dict(zip(self._layouts[layout], self._values[at[row]:at[row + 1]]))
        for key in self._layout_lists[layout]:
            props[key] = list(props[key])
        at = self._node_ev_at
        a, b = at[row], at[row + 1]
        return Node(self._terms[self._node_term[row]], set(self._class_sets[self._node_classes[row]]), props,
                    [self._evidence_at(k) for k in self._node_ev[a:b]] if a != b else [])

    def _edge(self, k: int) -> Edge:
        terms, at = self._terms, self._edge_ev_at
        a, b = at[k], at[k + 1]
        return Edge(terms[self._src[k]], self._props[self._prop[k]], terms[self._dst[k]],
                    [self._evidence_at(i) for i in self._edge_ev[a:b]] if a != b else [])

    def _key(self, k: int) -> EdgeKey:
        return self._terms[self._src[k]], self._props[self._prop[k]], self._terms[self._dst[k]]

    def _find_edge(self, key: Any) -> int:
        """The position of the edge ``key``, -1 when there is none (a scan of its source's edges)."""
        if not self._final:
            self._finalise()
        try:
            source, prop, target = key
        except (TypeError, ValueError):
            return -1
        s, p, d = self._term.get(source), self._prop_index.get(prop), self._term.get(target)
        if s is None or p is None or d is None:
            return -1
        props, dst, out = self._prop, self._dst, self._out
        for i in range(self._out_at[s], self._out_at[s + 1]):
            k = out[i]
            if dst[k] == d and props[k] == p:
                return k
        return -1

    # -- reading ----------------------------------------------------------------------------------
    @property
    def nodes(self) -> Mapping[str, Node]:
        """The nodes by id, in the order of the graph (each value made on access)."""
        self._finalise()
        return self._nodes_view

    @property
    def edges(self) -> Mapping[EdgeKey, Edge]:
        """The edges by ``(source, prop, target)``, in the order of the graph (each made on access)."""
        self._finalise()
        return self._edges_view

    def _classes(self, node_id: str) -> frozenset[str]:
        row = self._row(node_id)
        if row < 0:
            raise KeyError(node_id)
        return self._class_sets[self._node_classes[row]]

    def labels_of(self, node_id: str) -> list[str]:
        """All classes of a node, including every ontology superclass, sorted."""
        return self.schema.closure(self._classes(node_id))

    def most_specific(self, node_id: str) -> str:
        """The node's most specific class (the first in name order when it has several)."""
        return self.schema.most_specific(self._classes(node_id))[0]

    def of_class(self, cls: str) -> Iterator[Node]:
        """The nodes of ``cls`` or a class below it."""
        self.schema.check_class(cls)
        self._finalise()
        wanted = [self.schema.is_a(cs, cls) for cs in self._class_sets]
        node = self._node
        for row, k in enumerate(self._node_classes):
            if wanted[k]:
                yield node(row)

    def _adjacent(self, node_id: str, prop: str | None, index: array[int], at: array[int]) -> Iterator[Edge]:
        if not self._final:
            self._finalise()
        t = self._term.get(node_id)
        if t is None:
            return
        edge = self._edge
        if prop is None:
            for i in range(at[t], at[t + 1]):
                yield edge(index[i])
            return
        p = self._prop_index.get(prop)
        props = self._prop
        for i in range(at[t], at[t + 1]):
            k = index[i]
            if props[k] == p:
                yield edge(k)

    def out_edges(self, node_id: str, prop: str | None = None) -> Iterator[Edge]:
        return self._adjacent(node_id, prop, self._out, self._out_at)

    def in_edges(self, node_id: str, prop: str | None = None) -> Iterator[Edge]:
        return self._adjacent(node_id, prop, self._in, self._in_at)

    def all_evidence(self) -> dict[str, Evidence]:
        """Every piece of evidence, by id (that of the nodes in order, then that of the edges)."""
        self._finalise()
        out: dict[str, Evidence] = {}
        done = bytearray(len(self._ev_quote))
        for k in _chain(self):
            if not done[k]:
                done[k] = 1
                ev = self._evidence_at(k)
                out[ev.id] = ev
        return out

    def evidence_count(self) -> int:
        """How many distinct pieces of evidence the graph holds, without making them: each distinct
        value is stored once, and only evidence of a node or an edge is stored."""
        self._finalise()
        return len(self._ev_quote)

    def clear(self) -> None:
        """Let go of everything the graph holds (it is then an empty graph): what a
        build calls once it has read the graph, before the store loads (``write_generation``'s
        ``release``), so that the two never hold memory at once."""
        schema = self.schema
        self.__dict__.clear()
        self.__init__(schema)  # type: ignore[misc]

    def class_counts(self) -> Counter[str]:
        """Nodes per class (every node counts under each of its classes and superclasses)."""
        self._finalise()
        per_set = np.bincount(np.frombuffer(self._node_classes, dtype=np.uint16), minlength=len(self._class_sets))
        first = sorted(range(len(self._class_sets)), key=self._node_classes.index)
        c: Counter[str] = Counter()
        for k in first:
            for label in self.schema.closure(self._class_sets[k]):
                c[label] += int(per_set[k])
        return c

    def relation_counts(self) -> Counter[str]:
        """Edges per object property."""
        self._finalise()
        per_prop = np.bincount(np.frombuffer(self._prop, dtype=np.uint8), minlength=len(self._props))
        return Counter({self._props[p]: int(per_prop[p]) for p in range(len(self._props)) if per_prop[p]})

    def evidence_key(self, ev: Evidence) -> tuple[Any, ...]:
        """The order evidence is listed in (:meth:`KnowledgeGraph.evidence_key`)."""
        return evidence_order(self.schema, ev)

    def canonical(self) -> dict[str, Any]:
        """A comparable form of the graph (:meth:`KnowledgeGraph.canonical`)."""
        return canonical(self)

    def __repr__(self) -> str:
        return f"<CompactGraph: {len(self._node_term)} nodes, {len(self._src)} edges, {len(self._ev_quote)} evidence>"


def _chain(g: CompactGraph) -> Iterator[int]:
    yield from g._node_ev
    yield from g._edge_ev


def _csr(keys: np.ndarray[Any, Any], n: int) -> tuple[array[int], array[int]]:
    """The positions of ``keys`` grouped by key, each group in position order, and where each
    key's group starts (``n + 1`` offsets)."""
    order = np.argsort(keys, kind="stable").astype(np.int32)
    at = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(keys, minlength=n), out=at[1:])
    index, starts = array("i"), array("i")
    index.frombytes(order.tobytes())
    starts.frombytes(at.tobytes())
    return index, starts


class _Rows(Mapping[K, V]):
    """The nodes or the edges of a :class:`CompactGraph` as a read-only mapping: a key's row is
    ``find(key)`` (-1: none), the value of a row ``make(row)``, its key ``key_of(row)``; ``size()``
    rows, iterated in row order (the graph's order)."""

    __slots__ = ("_find", "_make", "_key_of", "_size")

    def __init__(self, find: Callable[[Any], int], make: Callable[[int], V], key_of: Callable[[int], K],
                 size: Callable[[], int]) -> None:
        self._find, self._make, self._key_of, self._size = find, make, key_of, size

    def __getitem__(self, key: K) -> V:
        row = self._find(key)
        if row < 0:
            raise KeyError(key)
        return self._make(row)

    @overload
    def get(self, key: K, /) -> V | None: ...

    @overload
    def get(self, key: K, /, default: V | T) -> V | T: ...

    def get(self, key: K, /, default: Any = None) -> Any:
        row = self._find(key)
        return default if row < 0 else self._make(row)

    def __contains__(self, key: object) -> bool:
        return self._find(key) >= 0

    def __len__(self) -> int:
        return self._size()

    def __iter__(self) -> Iterator[K]:
        return map(self._key_of, range(self._size()))

    def values(self) -> ValuesView[V]:
        return _RowValues(self)

    def items(self) -> ItemsView[K, V]:
        return _RowItems(self)


class _RowValues(ValuesView[V]):
    def __init__(self, rows: _Rows[K, V]) -> None:
        super().__init__(rows)
        self._rows = rows

    def __iter__(self) -> Iterator[V]:
        return map(self._rows._make, range(self._rows._size()))


class _RowItems(ItemsView[K, V]):
    def __init__(self, rows: _Rows[K, V]) -> None:
        super().__init__(rows)
        self._rows = rows

    def __iter__(self) -> Iterator[tuple[K, V]]:
        key_of, make = self._rows._key_of, self._rows._make
        return ((key_of(row), make(row)) for row in range(self._rows._size()))


if TYPE_CHECKING:
    def _reads_as_a_model(g: CompactGraph) -> GraphReader:
        return g  # mypy checks that a CompactGraph has the whole read surface


__all__ = ["CompactGraph"]
