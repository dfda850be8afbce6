"""SPARQL query results for the protocol: formats by ``Accept``, a row cap, parameters over a pipe.

``SELECT`` results are capped at ``max_rows`` and written as SPARQL JSON, then converted by
pyoxigraph to XML, CSV or TSV when asked; ``CONSTRUCT``/``DESCRIBE`` give at most ``max_rows``
triples in an RDF format; ``ASK`` gives a boolean.

>>> import pyoxigraph as ox
>>> result = ox.Store().query("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
>>> ctype, body, cut = serialize(result, "text/csv", 2)
>>> ctype, body.decode().split(), cut
('text/csv; charset=utf-8', ['n', '1', '2'], True)
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from ecokg.ontology import PREFIXES
from ecokg.ontology.errors import QueryError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML, "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_TEXTUAL = ("text/csv", "text/tab-separated-values", "text/turtle", "text/plain")


def media_types(accept: str) -> list[str]:
    """The media types of an ``Accept`` header, preferred first (``q`` order, then as written).

    >>> media_types("text/csv;q=0.5, application/sparql-results+json")
    ['application/sparql-results+json', 'text/csv']
    """
    ranked = []
    for i, part in enumerate(accept.split(",")):
        kind, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            name, _, value = p.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if kind and q > 0:
            ranked.append((-q, i, kind.lower()))
    return [k for _, _, k in sorted(ranked)]


def _choose(accept: str, table: dict[str, Any], default: str) -> tuple[str, Any]:
    types = media_types(accept) or ["*/*"]
    for t in types:
        if t in table:
            return t, table[t]
        if t in ("*/*", "application/*", "text/*"):
            return default, table[default]
    raise QueryError(f"cannot give the results as {accept!r}; acceptable: {', '.join(table)}")


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media in _TEXTUAL or media.endswith("json") or "xml" in media else media


def term_json(term: Any) -> dict[str, Any]:
    """A term as a SPARQL 1.1 JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject), "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise QueryError(f"cannot serialize the term {term!r}")


def serialize(result: Any, accept: str, max_rows: int) -> tuple[str, bytes, bool]:
    """``(content type, body, truncated)`` of a pyoxigraph query result."""
    if isinstance(result, ox.QueryBoolean):
        media, fmt = _choose(accept, _RESULT_TYPES, "application/sparql-results+json")
        return _content_type(media), result.serialize(format=fmt) or b"", False
    if isinstance(result, ox.QueryTriples):
        media, rdf = _choose(accept, _GRAPH_TYPES, "application/n-triples")
        triples: list[ox.Triple] = []
        truncated = False
        for t in result:
            if len(triples) >= max_rows:
                truncated = True
                break
            triples.append(t)
        prefixes = PREFIXES if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD) else None
        return _content_type(media), ox.serialize(triples, format=rdf, prefixes=prefixes) or b"", truncated
    media, fmt = _choose(accept, _RESULT_TYPES, "application/sparql-results+json")
    names = [v.value for v in result.variables]
    bindings: list[dict[str, Any]] = []
    truncated = False
    for sol in result:
        if len(bindings) >= max_rows:
            truncated = True
            break
        bindings.append({n: term_json(sol[n]) for n in names if sol[n] is not None})
    data = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()
    if fmt != ox.QueryResultsFormat.JSON:
        data = ox.parse_query_results(data, ox.QueryResultsFormat.JSON).serialize(format=fmt) or b""
    return _content_type(media), data, truncated


class Rows(list):  # type: ignore[type-arg]
    """Rows of a query (a list of dicts) that also says whether ``max_rows`` cut it off.

    >>> r = Rows([{"n": 1}], truncated=True)
    >>> r, r.truncated
    ([{'n': 1}], True)
    """

    def __init__(self, rows: list[dict[str, Any]], truncated: bool = False) -> None:
        super().__init__(rows)
        self.truncated = truncated


def encode_param(value: Any) -> Any:
    """A parameter value for the pipe to a worker: plain values as they are, terms as small dicts."""
    if isinstance(value, ox.NamedNode):
        return {"@iri": value.value}
    if isinstance(value, ox.Literal):
        return {"@literal": value.value, "datatype": value.datatype.value if value.datatype else None,
                "language": value.language}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def decode_param(value: Any) -> Any:
    """The inverse of :func:`encode_param`.

    >>> decode_param(encode_param(ox.NamedNode("http://x/a"))), decode_param(3)
    (<NamedNode value=http://x/a>, 3)
    """
    if isinstance(value, dict) and "@iri" in value:
        return ox.NamedNode(value["@iri"])
    if isinstance(value, dict) and "@literal" in value:
        if value.get("language"):
            return ox.Literal(value["@literal"], language=value["language"])
        dt = value.get("datatype")
        return ox.Literal(value["@literal"], datatype=ox.NamedNode(dt) if dt else None)
    return value


__all__ = ["Rows", "decode_param", "encode_param", "media_types", "serialize", "term_json"]
