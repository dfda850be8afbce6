"""What a named question is: one YAML file in this folder, read into a :class:`Question`.

A question file holds everything about one question::

    name: people-of                 # the file is people-of.yaml
    summary: Who works where — ...  # one line, shown by `ecokg ask --list`
    internal: false                 # true for building blocks other questions use
    params:                         # in the order the user gives them
    - {name: org, type: entity, classes: [Organisation]}
    - {name: date, type: text, default: ""}   # optional (after the required ones): --date on the CLI
      # default_from: latest-month  # optional: an internal question whose first value replaces the default
    columns:                        # every answer row has exactly these, typed
      person: text
      former: boolean
    post: rank_investors            # optional: a function of graph/questions/post.py
    uses: [neighbours]              # optional: other questions the post function runs
    sparql: |                       # the query for the embedded RDF store
      SELECT ...
    cypher: |                       # the same question for Neo4j
      MATCH ...

Parameter types: ``entity`` (a name, resolved to one entity's IRI before the query
runs), ``text``, ``integer``, and the list types ``iris`` (ecokg IRIs), ``classes``
(ontology class names) and ``triples`` (``[source IRI, relationship type, target IRI]``).
SPARQL has no list parameters, so a list parameter ``ids`` is written ``$IDS`` inside a
``VALUES`` block and filled with validated terms only; scalars are bound as ``?name``
(SPARQL) and ``$name`` (Cypher), never pasted into the text.

Column types make both stores give the same values: ``text``, ``integer``, ``number``
(a float), ``boolean``, ``iri``, ``class`` (an ontology class name, from an IRI or a
label) and ``relation`` (a Neo4j relationship type, from a property IRI, a local name
or a type).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

import yaml
from ecokg.ontology import ECO_NS, literals
from ecokg.ontology.errors import QueryError, SchemaError
from ecokg.ontology.schema import get_schema

PARAM_TYPES = ("entity", "text", "integer", "iris", "classes", "triples")
LIST_TYPES = ("iris", "classes", "triples")
COLUMN_TYPES = ("text", "integer", "number", "boolean", "iri", "class", "relation")
_FIELDS = {"name", "summary", "internal", "params", "columns", "post", "uses", "sparql", "cypher"}


@dataclass(frozen=True)
class Param:
    """A parameter of a question: its name, type and, for entities, the classes it may name."""

    name: str
    type: str
    classes: tuple[str, ...] = ()
    default: str | None = None  # an optional parameter's value when not given (text parameters only)
    #: an internal question whose answer (first row, first column) replaces the default, run with
    #: the question's other parameters (the leaderboard's latest month: one small query first)
    default_from: str | None = None

    @property
    def optional(self) -> bool:
        return self.default is not None

    @property
    def placeholder(self) -> str:
        """Where a list parameter goes in the SPARQL text (``ids`` -> ``$IDS``)."""
        return "$" + self.name.upper()


@dataclass(frozen=True)
class Question:
    """One named question, read from ``graph/questions/NAME.yaml``."""

    name: str
    summary: str
    params: tuple[Param, ...]
    columns: dict[str, str]
    sparql: str = ""
    cypher: str = ""
    post: str | None = None
    uses: tuple[str, ...] = ()
    internal: bool = False

    def rows(self, raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows restricted to the question's columns, each value in its column's type."""
        return [{c: convert(r.get(c), t) for c, t in self.columns.items()} for r in raw]

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError(f"{self.name} has no parameter {name!r}")


def convert(value: Any, column_type: str) -> Any:
    """A value from either store as the column type says (``None`` stays ``None``).

    >>> convert("https://w3id.org/ecokg/ontology#inOrganisation", "relation"), convert("HOLDS", "relation")
    ('IN_ORGANISATION', 'HOLDS')
    >>> convert("https://w3id.org/ecokg/ontology#Bank", "class"), convert(71.9, "number")
    ('Bank', 71.9)
    """
    if value is None:
        return None
    schema = get_schema()
    if column_type == "relation":
        text = str(value)
        local = text[len(ECO_NS):] if text.startswith(ECO_NS) else text
        if local in schema.object_properties:
            return schema.rel_type(local)
        return schema.rel_type(schema.property_of_type(local))
    if column_type == "class":
        text = str(value)
        return schema.check_class(text[len(ECO_NS):] if text.startswith(ECO_NS) else text)
    if column_type == "integer":
        return int(value)
    if column_type == "number":
        return float(value)
    if column_type == "boolean":
        return bool(value)
    return literals.to_json(value) if not isinstance(value, str) else value


def _check(doc: Any, origin: str) -> Question:
    if not isinstance(doc, dict):
        raise SchemaError(f"{origin}: a question file holds one mapping")
    unknown = set(doc) - _FIELDS
    if unknown:
        raise SchemaError(f"{origin}: unknown field(s) {', '.join(sorted(unknown))}")
    for required in ("name", "summary", "columns"):
        if not doc.get(required):
            raise SchemaError(f"{origin}: {required} is required")
    schema = get_schema()
    params: list[Param] = []
    for p in doc.get("params") or []:
        if p.get("type") not in PARAM_TYPES:
            raise SchemaError(f"{origin}: parameter {p.get('name')!r} has type {p.get('type')!r}, "
                              f"not one of {', '.join(PARAM_TYPES)}")
        classes = tuple(schema.check_class(c) for c in p.get("classes") or ())
        default = p.get("default")
        if default is not None and p["type"] != "text":
            raise SchemaError(f"{origin}: parameter {p['name']!r}: only text parameters take a default")
        if default is None and any(q.optional for q in params):
            raise SchemaError(f"{origin}: parameter {p['name']!r}: required parameters come before optional ones")
        default_from = p.get("default_from")
        if default_from is not None and default is None:
            raise SchemaError(f"{origin}: parameter {p['name']!r}: default_from needs a default")
        params.append(Param(str(p["name"]), str(p["type"]), classes, None if default is None else str(default),
                            None if default_from is None else str(default_from)))
    columns = {str(k): str(v) for k, v in doc["columns"].items()}
    for c, t in columns.items():
        if t not in COLUMN_TYPES:
            raise SchemaError(f"{origin}: column {c!r} has type {t!r}, not one of {', '.join(COLUMN_TYPES)}")
    if not doc.get("post") and not (doc.get("sparql") and doc.get("cypher")):
        raise SchemaError(f"{origin}: a question has both a sparql and a cypher query, or a post function")
    return Question(name=str(doc["name"]), summary=str(doc["summary"]), params=tuple(params), columns=columns,
                    sparql=str(doc.get("sparql") or ""), cypher=str(doc.get("cypher") or ""),
                    post=doc.get("post"), uses=tuple(doc.get("uses") or ()), internal=bool(doc.get("internal")))


def load(text: str, origin: str = "<question>") -> Question:
    """Read one question from the text of its YAML file."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise SchemaError(f"{origin}: not valid YAML: {e}") from e
    return _check(doc, origin)


@lru_cache(maxsize=1)
def questions() -> dict[str, Question]:
    """Every question of this folder, by name (the file name without ``.yaml``)."""
    out: dict[str, Question] = {}
    folder = resources.files(__package__ or "ecokg.graph.questions")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        q = load(entry.read_text(encoding="utf-8"), entry.name)
        if f"{q.name}.yaml" != entry.name:
            raise SchemaError(f"{entry.name}: the file of question {q.name!r} must be named {q.name}.yaml")
        out[q.name] = q
    for q in out.values():
        missing = [u for u in q.uses if u not in out]
        missing += [f"{p.default_from} (default of {p.name})" for p in q.params
                    if p.default_from is not None and p.default_from not in out]
        if missing:
            raise SchemaError(f"{q.name}.yaml uses unknown question(s) {', '.join(missing)}")
    return out


def public_questions() -> dict[str, Question]:
    """The questions users ask (not the internal building blocks)."""
    return {k: v for k, v in questions().items() if not v.internal}


def check_params(q: Question, params: Mapping[str, Any]) -> None:
    """Refuse missing or unknown parameters."""
    missing = [p.name for p in q.params if p.name not in params and not p.optional]
    if missing:
        raise QueryError(f"{q.name} needs {', '.join(missing)}")
    extra = set(params) - {p.name for p in q.params}
    if extra:
        raise QueryError(f"{q.name} takes no {', '.join(sorted(extra))}")
