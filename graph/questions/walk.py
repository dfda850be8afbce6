"""Walking the in-memory model the way the questions' SPARQL reads the store, for the answers the
build computes (:mod:`.materialise`, :mod:`.keyed`).

A pattern of a question reads the triples :mod:`ecokg.graph.rdf` writes; these are the same
facts read from the model: a node's classes with their superclasses (``?x a eco:C``), its
edges in either direction, its name, and rows in the order the engine gives them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Any

from ecokg.graph.model import GraphReader, Node
from ecokg.ontology.terms import C, D, P

Rows = list[dict[str, Any]]


class _Last:
    """Sorts after every text: where a row has None (an unbound value)."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return other is not self


_LAST = _Last()


def values_key(values: Iterable[Any]) -> list[Any]:
    """The engine's order of rows, for a row's values in column order: by each value's text,
    None after any text.

    The order of ``(value is None, str(value))`` per value, made without a pair per value (twice
    as fast on the thousands of rows of a large answer).

    >>> rows = [(None, 1), ("x", None), ("x", 2), ("x", 10)]
    >>> sorted(rows, key=values_key)
    [('x', 10), ('x', 2), ('x', None), (None, 1)]
    """
    return [v if type(v) is str else _LAST if v is None else str(v) for v in values]


def sort_key(row: dict[str, Any]) -> list[Any]:
    """The engine's order of rows (:func:`values_key` of the row's values)."""
    return values_key(row.values())


def sorted_rows(rows: Iterable[tuple[Any, ...]], columns: tuple[str, ...]) -> Rows:
    """Distinct rows as dicts, in the engine's order (:func:`sort_key`)."""
    return [dict(zip(columns, r)) for r in sorted(set(rows), key=values_key)]


def name_of(node: Node | None) -> str | None:
    """``?node eco:name ?name``: None when the node has no name (the pattern then gives no row)."""
    if node is None:
        return None
    value = node.props.get(D.name)
    return None if value is None else str(value)


class Walk:
    """The few traversals the computed answers share, over one model."""

    def __init__(self, kg: GraphReader) -> None:
        self.kg = kg
        self.schema = kg.schema

    def is_a(self, node_id: str, cls: str) -> bool:
        """``?node a eco:cls`` (the store holds every superclass of a node's classes)."""
        node = self.kg.nodes.get(node_id)
        return node is not None and self.schema.is_a(node.classes, cls)

    def targets(self, node_id: str, prop: str) -> list[str]:
        return [e.target for e in self.kg.out_edges(node_id, prop)]

    def sources(self, node_id: str, prop: str) -> list[str]:
        return [e.source for e in self.kg.in_edges(node_id, prop)]

    def edges(self, prop: str) -> list[tuple[str, str]]:
        """``(source, target)`` of every ``prop`` edge."""
        return self._by_prop.get(prop, [])

    def of_class(self, cls: str) -> Iterator[Node]:
        """The nodes of ``cls`` or a class below it (:meth:`KnowledgeGraph.of_class`, from node ids
        grouped by their classes once). Each node is got when reached: a lean graph
        (:class:`~ecokg.graph.compact.CompactGraph`) makes its nodes on access, and all of them at
        once would be the whole model again."""
        nodes = self.kg.nodes
        for classes, ids in self._by_classes.items():
            if self.schema.is_a(classes, cls):
                for i in ids:
                    yield nodes[i]

    @cached_property
    def _by_prop(self) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for source, prop, target in self.kg.edges:
            out[prop].append((source, target))
        return out

    @cached_property
    def _by_classes(self) -> dict[frozenset[str], list[str]]:
        out: dict[frozenset[str], list[str]] = defaultdict(list)
        for n in self.kg.nodes.values():
            out[frozenset(n.classes)].append(n.id)
        return out

    def groups_of(self, person: str) -> set[str]:
        """``?person eco:holds/eco:inGroup ?group``."""
        return {g for m in self.targets(person, P.holds) for g in self.targets(m, P.inGroup)}

    def position_holders(self, org: str) -> list[tuple[str, str]]:
        """(position, person) for ``?pos a eco:Position ; eco:inOrganisation org . ?p eco:holds ?pos``."""
        return [(pos, p) for pos in self.sources(org, P.inOrganisation) if self.is_a(pos, C.Position)
                for p in self.sources(pos, P.holds)]

    def name(self, node_id: str) -> str | None:
        return name_of(self.kg.nodes.get(node_id))

    def prop(self, node_id: str, key: str) -> Any:
        """A datatype property's value (None when the node or the value is not there)."""
        node = self.kg.nodes.get(node_id)
        return None if node is None else node.props.get(key)

    def quotes(self, node_id: str) -> list[tuple[str, str]]:
        """``?node eco:evidence ?e . ?e eco:basis ?basis ; eco:quote ?quote`` of a node."""
        node = self.kg.nodes.get(node_id)
        return [] if node is None else [(ev.basis, ev.quote) for ev in node.evidence]

    def stated(self, source: str, prop: str, target: str) -> list[tuple[str, str]]:
        """``(basis, quote)`` of the statement ``source prop target`` (``?st rdf:subject source ;
        rdf:predicate prop ; rdf:object target ; eco:evidence ?e``): the edge's own evidence."""
        edge = self.kg.edges.get((source, prop, target))
        return [] if edge is None else [(ev.basis, ev.quote) for ev in edge.evidence]


__all__ = ["Rows", "Walk", "name_of", "sort_key", "sorted_rows", "values_key"]
