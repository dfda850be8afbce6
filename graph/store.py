"""The embedded RDF store (pyoxigraph) behind ``ecokg sparql`` and the named questions.

Reading is the only thing this module offers: a store is opened read-only from the
folder ``ecokg build`` wrote, and SPARQL updates are refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import pyoxigraph as ox

from ecokg.errors import BackendUnavailable, QueryError, ReadOnlyViolation
from ecokg.graph.rdf import PREFIXES, value_of

STORE_DIR = "store"
_UPDATE_RE = re.compile(r"^\s*(?:(?:PREFIX|BASE)\s+[^\n]*\s+)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


def store_path(out_dir: Path) -> Path:
    return Path(out_dir) / STORE_DIR


def open_store(out_dir: Path) -> ox.Store:
    """Open the store that ``ecokg build --out OUT_DIR`` wrote, read-only."""
    path = store_path(out_dir)
    if not path.is_dir():
        raise BackendUnavailable(f"no built graph in {out_dir}: run `ecokg build --out {out_dir}` first")
    try:
        return ox.Store.read_only(str(path))
    except OSError as e:
        raise BackendUnavailable(f"cannot open the store in {path}: {e}") from e


def _term(value: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
    if isinstance(value, str) and re.match(r"^https?://\S+$", value):
        return ox.NamedNode(value)
    return ox.Literal(str(value))


def sparql(store: ox.Store, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a read-only SPARQL query; return SELECT rows as dicts (ASK as ``[{"ask": bool}]``).

    Parameters are bound as values of variables (``?name``), never pasted into the text.
    """
    if _UPDATE_RE.match(query):
        raise ReadOnlyViolation("SPARQL updates are refused: ecokg queries are read-only")
    subs = {ox.Variable(k.lstrip("?$")): _term(v) for k, v in (params or {}).items()}
    try:
        result = store.query(query, prefixes=PREFIXES, substitutions=subs or None)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {e}") from e
    except RuntimeError as e:
        if "projection" in str(e):
            raise QueryError(f"{e}: a bound parameter must be a selected variable (or use SELECT *)") from e
        raise QueryError(str(e)) from e
    if isinstance(result, ox.QueryBoolean):
        return [{"ask": bool(result)}]
    if isinstance(result, ox.QueryTriples):
        return [{"subject": value_of(t.subject), "predicate": value_of(t.predicate), "object": value_of(t.object)}
                for t in result]
    names = [v.value for v in result.variables]
    return [{n: value_of(sol[n]) for n in names} for sol in result]
