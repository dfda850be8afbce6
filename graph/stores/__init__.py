"""The stores that hold an ecokg graph, behind one protocol, chosen through one registry.

>>> sorted(STORES)
['neo4j', 'rdf']
>>> store = open_store("rdf")          # an in-memory embedded store
>>> store.kind, store.language
('rdf', 'sparql')

``open_store("rdf", out_dir="out")`` opens the store ``ecokg build`` wrote (read-only
unless ``read_only=False``); ``open_store("neo4j")`` connects with the ``NEO4J_*``
environment variables, or ``open_store("neo4j", uri=..., user=..., password=...)``.
A new backend is one class implementing :class:`GraphStore` plus one entry here, and
the contract tests (tests/test_store_contract.py) parametrized over it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ecokg.graph.stores.base import Counts, GraphStore, Progress, WriteReport
from ecokg.ontology.errors import BackendUnavailable


def _rdf(out_dir: Path | str | None = None, path: Path | str | None = None, read_only: bool = True) -> GraphStore:
    from ecokg.graph.stores.oxigraph import RdfStore

    if out_dir is not None:
        return RdfStore.open(Path(out_dir), read_only=read_only)
    return RdfStore(Path(path) if path is not None else None, read_only=read_only and path is not None)


def _neo4j(uri: str | None = None, user: str | None = None, password: str | None = None,
           database: str | None = None) -> GraphStore:
    from ecokg.graph.stores.neo4j import Connection, Neo4jStore

    return Neo4jStore.connect(Connection.from_env(uri, user, password, database))


#: Store kinds and how to open them (keyword options as documented above).
STORES: dict[str, Callable[..., GraphStore]] = {"rdf": _rdf, "neo4j": _neo4j}


def open_store(kind: str, **options: Any) -> GraphStore:
    """Open the store of ``kind`` (see :data:`STORES`) with its options."""
    try:
        opener = STORES[kind]
    except KeyError:
        raise BackendUnavailable(f"no store kind {kind!r}; the kinds are {', '.join(sorted(STORES))}") from None
    return opener(**options)


__all__ = ["STORES", "Counts", "GraphStore", "Progress", "WriteReport", "open_store"]
