"""The name index of the embedded store: ``find`` as a lookup, not a scan of every name.

SPARQL can only answer "which names contain this text" by testing every name
(``FILTER(CONTAINS(...))``): 5.6 s at 100,000 entities, paid by every question that takes
a name. The index holds the same candidates the ``find`` question's SPARQL would give,
in a form Python searches at C speed: every searchable value (name, alias, English name,
pinyin), normalised as the query normalises it (spaces removed, lower case), joined into
one string that ``str.find`` scans, with the offset of each value kept for a bisection;
pinyin initials, which match whole, in a dict.

``ecokg build`` writes it beside the store (``names.json`` in the generation, which never
changes once published); a store without one (in memory, or an older output folder)
builds it from its own triples on first use. The contract tests
check that the index and the SPARQL give the same candidates.

No library does this: a full-text engine (SQLite FTS5 with trigrams, Whoosh, Tantivy)
tokenises, and substring search of one or two Chinese characters falls outside it.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ecokg.ontology import ECO_NS, literals
from ecokg.ontology.errors import BackendError
from ecokg.ontology.schema import get_schema

if TYPE_CHECKING:
    from ecokg.graph.model import GraphReader
    from ecokg.graph.stores.oxigraph import RdfStore

NAMES_FILE = "names.json"
FORMAT = 1
FIELDS = ("name", "alias", "nameEn", "pinyin", "initials")
_SEP = "\x00"  # never inside a name (names are NFKC and stripped of control characters)

#: The entities found by name, with their classes (``$CLASSES``: the entity classes).
CLASS_SPARQL = "SELECT ?id ?c WHERE { VALUES ?c { $CLASSES } ?id a ?c }"
#: Every searchable value (names, aliases, English names, pinyin and initials) of every node.
#: Two plain scans joined in Python: as one query with a UNION per field the embedded store
#: evaluates each branch on its own and joins them, 16 s at 100k entities instead of ~3.
VALUE_SPARQL = ("SELECT ?id ?p ?value WHERE { VALUES ?p { eco:name eco:alias eco:nameEn eco:pinyin eco:initials } "
                "?id ?p ?value }")


def normalise(value: str) -> str:
    """A value as the find query compares it: spaces removed, lower case.

    >>> normalise("Chen Hong")
    'chenhong'
    """
    return value.replace(" ", "").lower().replace(_SEP, "")


class NameIndex:
    """Every searchable value of the entities found by name, searchable by substring."""

    def __init__(self, entities: Sequence[tuple[str, Sequence[str], Sequence[str]]],
                 values: Sequence[tuple[int, str, str]]) -> None:
        """``entities``: ``(id, names, classes)``; ``values``: ``(entity index, field, value)``."""
        self.entities = [(i, tuple(n), tuple(c)) for i, n, c in entities]
        self.values = [(e, f, v) for e, f, v in values]
        parts: list[str] = []
        self._starts: list[int] = []
        self._owner: list[int] = []  # the position in self.values of each searchable part
        self._initials: dict[str, list[int]] = {}
        pos = 0
        for k, (_, field, value) in enumerate(self.values):
            if field == "initials":
                self._initials.setdefault(value, []).append(k)
                continue
            text = normalise(value)
            self._starts.append(pos)
            self._owner.append(k)
            parts.append(text)
            pos += len(text) + 1
        self._haystack = _SEP.join(parts)

    def __len__(self) -> int:
        return len(self.values)

    # -- building -------------------------------------------------------------------
    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str, str, str]]) -> NameIndex:
        """From ``(id, class, name, field, value)`` rows, as :data:`INDEX_SPARQL` gives them."""
        order: dict[str, int] = {}
        names: list[list[str]] = []
        classes: list[list[str]] = []
        seen: set[tuple[int, str, str]] = set()
        values: list[tuple[int, str, str]] = []
        for ident, klass, name, field, value in rows:
            k = order.get(ident)
            if k is None:
                k = order[ident] = len(names)
                names.append([])
                classes.append([])
            if name not in names[k]:
                names[k].append(name)
            if klass not in classes[k]:
                classes[k].append(klass)
            if (k, field, value) not in seen:
                seen.add((k, field, value))
                values.append((k, field, value))
        ids = list(order)
        return cls([(ids[k], sorted(names[k]), sorted(classes[k])) for k in range(len(ids))], values)

    @classmethod
    def from_model(cls, kg: GraphReader) -> NameIndex:
        """The index of the graph ``kg`` as the store it is written to would give it (what
        ``ecokg build`` uses: no read back of what it has just written). Each value is its RDF
        lexical form, the classes those written as ``rdf:type``; the contract tests check that
        it equals :meth:`from_store` of the same graph."""
        schema = kg.schema
        wanted = set(schema.entity_classes)
        rng = schema.datatype_properties
        rows: list[tuple[str, str, str, str, str]] = []
        for node in kg.nodes.values():
            props = node.props
            if "name" not in props:
                continue
            classes = [c for c in kg.labels_of(node.id) if c in wanted]
            if not classes:
                continue
            fields: dict[str, list[str]] = {}
            for field in FIELDS:
                value = props.get(field)
                if value is None:
                    continue
                fields[field] = [literals.to_lexical(v, rng[field])
                                 for v in (value if isinstance(value, list) else [value])]
            rows.extend((node.id, klass, name, field, v) for name in fields["name"] for klass in classes
                        for field in FIELDS for v in fields.get(field, ()))
        return cls.from_rows(rows)

    @classmethod
    def from_store(cls, store: RdfStore) -> NameIndex:
        """Read every searchable value of ``store`` (two scans), in the order of :data:`FIELDS`."""
        schema = get_schema()
        local = len(ECO_NS)
        classes: dict[str, list[str]] = {}
        text = CLASS_SPARQL.replace("$CLASSES", " ".join(f"eco:{c}" for c in schema.entity_classes))
        for s in store.solve(text):
            classes.setdefault(s["id"].value, []).append(s["c"].value[local:])
        found: dict[str, dict[str, list[str]]] = {}
        for s in store.solve(VALUE_SPARQL):
            ident = s["id"].value
            if ident in classes:
                found.setdefault(ident, {}).setdefault(s["p"].value[local:], []).append(s["value"].value)
        rows = ((ident, klass, name, field, value)
                for ident, fields in found.items() for name in fields.get("name", ())
                for klass in classes[ident] for field in FIELDS for value in fields.get(field, ()))
        return cls.from_rows(rows)

    # -- files ----------------------------------------------------------------------
    def save(self, path: Path) -> Path:
        """Write the index as JSON (compact; read back by :meth:`load`)."""
        data = {"format": FORMAT, "entities": self.entities, "values": self.values}
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> NameIndex:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise BackendError(f"cannot read the name index {path}: {e}; rebuild with `ecokg build`") from e
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackendError(f"the name index {path} has another format; rebuild with `ecokg build`")
        return cls(data["entities"], data["values"])

    # -- searching ------------------------------------------------------------------
    def search(self, needle: str, classes: Sequence[str]) -> list[dict[str, Any]]:
        """The rows the find question gives for ``needle`` (already normalised as
        :func:`ecokg.graph.questions.engine.needle` does): one per entity, class in
        ``classes``, name and matching value; ``initials`` only when equal to ``needle``."""
        hits: list[int] = list(self._initials.get(needle, ()))
        if needle and _SEP not in needle:
            hay, starts, find = self._haystack, self._starts, self._haystack.find
            pos = find(needle)
            while pos >= 0:
                part = bisect_right(starts, pos) - 1
                hits.append(self._owner[part])
                nxt = starts[part + 1] if part + 1 < len(starts) else len(hay)
                pos = find(needle, nxt)
        wanted = set(classes)
        rows: list[dict[str, Any]] = []
        for k in hits:
            ent, field, value = self.values[k]
            ident, names, ent_classes = self.entities[ent]
            for cls in ent_classes:
                if cls in wanted:
                    for name in names:
                        rows.append({"id": ident, "name": name, "cls": cls, "field": field, "value": value})
        return rows


__all__ = ["CLASS_SPARQL", "VALUE_SPARQL", "NAMES_FILE", "NameIndex", "normalise"]
