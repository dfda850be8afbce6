"""The one conversion of property values: Python <-> RDF lexical forms <-> Neo4j.

Values in the model are Python values typed by the property's ``rdfs:range``:
``xsd:string`` -> ``str``, ``xsd:integer`` -> ``int``, ``xsd:boolean`` -> ``bool``,
``xsd:decimal`` -> :class:`~decimal.Decimal` (exact, as written in the source),
``xsd:date`` and ``xsd:gYearMonth`` -> their ISO text (``2024-01-31``, ``2024-04``).

Neo4j has no decimal type: decimals are stored as floats (so Cypher compares and
sorts them as numbers) and read back through their shortest ``repr``, which gives
the written decimal again for every value a source can state. Answers and JSON use
floats for decimals.

>>> from decimal import Decimal
>>> to_lexical(Decimal("71.90"), XSD_DECIMAL), to_lexical(True, XSD_BOOLEAN)
('71.90', 'true')
>>> from_lexical("71.9", XSD_DECIMAL), from_lexical("3", XSD_NS + "int")
(Decimal('71.9'), 3)
>>> to_neo4j(Decimal("71.9")), from_neo4j(71.9, XSD_DECIMAL)
(71.9, Decimal('71.9'))
>>> to_json([Decimal("1.5"), "a"])
[1.5, 'a']
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ecokg.ontology import XSD_NS
from ecokg.ontology.errors import SchemaError

XSD_STRING = XSD_NS + "string"
XSD_BOOLEAN = XSD_NS + "boolean"
XSD_INTEGER = XSD_NS + "integer"
XSD_DECIMAL = XSD_NS + "decimal"
XSD_DATE = XSD_NS + "date"
XSD_YEAR_MONTH = XSD_NS + "gYearMonth"
_INTEGERS = {XSD_INTEGER, XSD_NS + "int", XSD_NS + "long", XSD_NS + "short", XSD_NS + "nonNegativeInteger"}
_FLOATS = {XSD_NS + "double", XSD_NS + "float"}
_PATTERNS = {XSD_DATE: re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD_YEAR_MONTH: re.compile(r"^\d{4}-\d{2}$")}

#: Ranges whose values are written with an explicit datatype in RDF (strings are plain literals).
TYPED = frozenset({XSD_BOOLEAN, XSD_INTEGER, XSD_DECIMAL, XSD_DATE, XSD_YEAR_MONTH})


def check(value: Any, rng: str, prop: str = "?") -> Any:
    """``value`` as the Python type of ``rng``; :class:`SchemaError` when it cannot be one.

    >>> check("71.9", XSD_DECIMAL)
    Decimal('71.9')
    >>> check("2024-4", XSD_YEAR_MONTH, "assessedIn")
    Traceback (most recent call last):
    ...
    ecokg.ontology.errors.SchemaError: eco:assessedIn: '2024-4' is not a xsd:gYearMonth
    """
    try:
        if rng == XSD_BOOLEAN:
            if isinstance(value, bool):
                return value
            raise TypeError
        if rng == XSD_INTEGER:
            if isinstance(value, bool):
                raise TypeError
            return int(value)
        if rng == XSD_DECIMAL:
            if isinstance(value, bool):
                raise TypeError
            return canonical_decimal(value if isinstance(value, Decimal) else Decimal(str(value)))
        if rng in _PATTERNS:
            text = value.isoformat() if isinstance(value, date) else str(value)
            if not _PATTERNS[rng].match(text):
                raise ValueError
            return text
    except (TypeError, ValueError, InvalidOperation) as e:
        raise SchemaError(f"eco:{prop}: {value!r} is not a xsd:{rng[len(XSD_NS):]}") from e
    return str(value)


def canonical_decimal(d: Decimal) -> Decimal:
    """One form of each decimal value (no trailing zeros, no exponent), as stores give it back:
    ``100.00`` and ``100.0`` are ``100``; the written form stays in the evidence's quote.

    >>> canonical_decimal(Decimal("100.00")), canonical_decimal(Decimal("71.90")), canonical_decimal(Decimal("1E+2"))
    (Decimal('100'), Decimal('71.9'), Decimal('100'))
    """
    if not d.is_finite():
        raise ValueError(f"{d} is not a finite decimal")
    return Decimal(format(d.normalize(), "f"))


def to_lexical(value: Any, rng: str) -> str:
    """The RDF lexical form of a model value of range ``rng``."""
    if rng == XSD_BOOLEAN:
        return "true" if value else "false"
    return str(value)


def from_lexical(text: str, datatype: str | None) -> Any:
    """The Python value of an RDF literal (unknown datatypes stay text)."""
    if datatype == XSD_BOOLEAN:
        return text in ("true", "1")
    if datatype in _INTEGERS:
        return int(text)
    if datatype == XSD_DECIMAL:
        return Decimal(text)
    if datatype in _FLOATS:
        return float(text)
    return text


def to_neo4j(value: Any) -> Any:
    """A model value as Neo4j stores it (decimals as floats, lists element-wise)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [to_neo4j(v) for v in value]
    return value


def from_neo4j(value: Any, rng: str) -> Any:
    """A Neo4j property value back as the model value of range ``rng``."""
    if isinstance(value, list):
        return [from_neo4j(v, rng) for v in value]
    if rng == XSD_DECIMAL and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(repr(float(value)))
    if hasattr(value, "iso_format"):
        return str(value.iso_format())
    return value


def to_json(value: Any) -> Any:
    """A value for answers and JSON output (decimals as floats, Neo4j temporals as ISO text)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return str(value.iso_format())
    return value
