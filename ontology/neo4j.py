"""Neo4j names derived from the ontology: labels, relationship types, constraints, indexes.

- node labels are the ontology's class names: a node's most specific class plus the root
  classes and groups above it (a bank is ``:Organisation:Bank``, a fund
  ``:Fund:Investor:Organisation``), so ``MATCH (o:Organisation)`` finds banks;
- relationship types are UPPER_SNAKE of the object properties (``inOrganisation`` ->
  ``IN_ORGANISATION``); see :meth:`~ecokg.ontology.schema.Schema.rel_type`;
- node properties keep the datatype properties' local names, plus ``id`` (the IRI);
- every root class gets a uniqueness constraint on ``id``, every class found by name
  an index on ``name``.

>>> from ecokg.ontology.schema import get_schema
>>> constraint_statements(get_schema())[0]
'CREATE CONSTRAINT ecokg_aimodel_id IF NOT EXISTS FOR (n:AIModel) REQUIRE n.id IS UNIQUE'
"""

from __future__ import annotations

from ecokg.ontology.errors import SchemaError
from ecokg.ontology.schema import Schema

#: The node property that holds a node's IRI.
ID = "id"
#: The relationship property that lists the ids of a fact's evidence nodes.
EVIDENCE_LIST = "evidence"


def check_identifier(name: str) -> str:
    """Labels and types come from the ontology; refuse anything that is not a plain name.

    >>> check_identifier("IN_ORGANISATION")
    'IN_ORGANISATION'
    >>> check_identifier("X) DETACH DELETE (n")
    Traceback (most recent call last):
    ...
    ecokg.ontology.errors.SchemaError: refusing a label or type that is not a plain name: 'X) DETACH DELETE (n'
    """
    if not name or not name.replace("_", "").isalnum() or not name.isascii():
        raise SchemaError(f"refusing a label or type that is not a plain name: {name!r}")
    return name


#: Superclasses kept as labels besides a node's own classes: the ones users filter by (every
#: root class, such as Organisation or Membership, and Investor). Other intermediate classes
#: (Company above CloudProvider) are left out, so Browser's schema view stays readable.
GROUP_LABELS = ("Investor",)


def labels(schema: Schema, classes: list[str] | set[str] | tuple[str, ...]) -> list[str]:
    """The Neo4j labels of a node of ``classes``: its most specific classes, plus the root
    classes and :data:`GROUP_LABELS` above them.

    >>> from ecokg.ontology.schema import get_schema
    >>> labels(get_schema(), ["CloudProvider"]), labels(get_schema(), ["Fund"])
    (['CloudProvider', 'Organisation'], ['Fund', 'Investor', 'Organisation'])
    """
    own = schema.most_specific(classes)
    groups = set(schema.root_classes()) | set(GROUP_LABELS)
    keep = {c for c in schema.closure(own) if c in own or c in groups}
    return [check_identifier(c) for c in sorted(keep)]


def constraint_statements(schema: Schema) -> list[str]:
    """One uniqueness constraint on ``id`` per root class."""
    return [f"CREATE CONSTRAINT ecokg_{r.lower()}_id IF NOT EXISTS FOR (n:{check_identifier(r)}) "
            f"REQUIRE n.{ID} IS UNIQUE" for r in schema.root_classes()]


#: A Neo4j-only node property: every name of an entity (name, English name, pinyin, initials,
#: aliases), lower case without spaces, one per line. ``find --backend neo4j`` looks it up in
#: the full-text index :data:`SEARCH_INDEX` instead of scanning every node.
SEARCH_KEY = "searchKey"
SEARCH_INDEX = "ecokg_search"
SEARCH_FIELDS = ("name", "nameEn", "pinyin", "initials", "alias")


def search_key(props: dict[str, object]) -> str | None:
    """The :data:`SEARCH_KEY` of a node's properties, or None when it has no name.

    >>> search_key({"name": "智谱华章", "nameEn": "Zhipu AI", "alias": ["智谱AI", "智谱"]}).split()
    ['智谱华章', 'zhipuai', '智谱', '智谱ai']
    """
    values: list[str] = []
    for field in SEARCH_FIELDS:
        v = props.get(field)
        for item in sorted(v) if isinstance(v, (list, tuple, set)) else [v]:  # stable: a reload changes nothing
            if isinstance(item, str) and item:
                values.append(item.lower().replace(" ", ""))
    return "\n".join(values) or None


def search_index_statement(schema: Schema) -> str:
    """The full-text index over :data:`SEARCH_KEY` of every class found by name. The ``keyword``
    analyzer keeps each key whole, so a ``*needle*`` query is a substring match: the same
    candidates as ``CONTAINS``, from the index.

    >>> from ecokg.ontology.schema import get_schema
    >>> search_index_statement(get_schema())[:60]
    'CREATE FULLTEXT INDEX ecokg_search IF NOT EXISTS FOR (n:Pers'
    """
    classes = "|".join(check_identifier(c) for c in schema.entity_classes)
    return (f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS FOR (n:{classes}) ON EACH [n.{SEARCH_KEY}] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword', `fulltext.eventually_consistent`: false}}")


def index_statements(schema: Schema) -> list[str]:
    """One index on ``name`` per class found by name."""
    if not schema.entity_classes:
        raise SchemaError("the ontology marks no class with eco:searchRank")
    return [f"CREATE INDEX ecokg_{c.lower()}_name IF NOT EXISTS FOR (n:{check_identifier(c)}) ON (n.name)"
            for c in schema.entity_classes]


#: What a node shows as its caption in Neo4j Browser: its name where it has one, else the
#: property that says what it is (a post's title, a score, a piece of evidence's quote).
CAPTIONS = {"Evidence": "quote", "Position": "title", "Membership": "title", "GroupMembership": "role",
            "AllianceRole": "title", "BenchmarkResult": "score", "Investment": "round", "SourceDocument": "fileName"}


def grass(schema: Schema) -> str:
    """A Neo4j Browser style sheet (GraSS) with the views' colours and useful captions.

    Rules go from the most general class to the most specific, because a node carries every
    superclass as a label and Browser lets later rules win: a bank is drawn in the bank's
    colour, not the organisation's.

    >>> from ecokg.ontology.schema import get_schema
    >>> text = grass(get_schema())
    >>> "node.Evidence {" in text and 'caption: "{quote}";' in text
    True
    """
    def depth(cls: str) -> int:
        return len(schema.ancestors(cls))

    out = ["/* ecokg: Neo4j Browser style (GraSS). Load it with :style and drop this file on the",
           "   style window, or paste it. Generated from the ontology by ecokg.ontology.neo4j.grass. */",
           "node {", "  diameter: 50px;", "  color: #A5ABB6;", "  border-color: #9AA1AC;", "  border-width: 2px;",
           "  text-color-internal: #FFFFFF;", "  font-size: 10px;", "}",
           "relationship {", "  color: #A5ABB6;", "  shaft-width: 1px;", "  font-size: 8px;", "  padding: 3px;",
           "  text-color-external: #000000;", "  text-color-internal: #FFFFFF;", '  caption: "<type>";', "}"]
    for cls in sorted(schema.classes, key=lambda c: (depth(c), c)):
        colour = schema.colour(cls) or "#A5ABB6"
        caption = CAPTIONS.get(cls, "name")
        out += [f"node.{check_identifier(cls)} {{", f"  color: {colour};", f"  border-color: {colour};",
                "  text-color-internal: #000000;", f'  caption: "{{{caption}}}";', "}"]
    return "\n".join(out) + "\n"
