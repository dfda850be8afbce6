"""The client-side check of read-only Cypher: a small lexer and a table of what a reader may not do.

A read session already makes the server refuse writes, and :class:`~.neo4j.Neo4jStore` also asks
the server (``EXPLAIN``) what kind of query it is. What neither of those stops is checked here,
before anything is sent: ``LOAD CSV`` (reads files and URLs), ``TERMINATE TRANSACTIONS``,
administrative commands (users, roles, privileges, databases, servers, settings, transactions)
and procedures that are not on a short list of read-only catalogue procedures.

The lexer drops comments and keeps strings, parameters and backquoted names as single tokens, so
a keyword inside a string (``'LOAD CSV'``) or a name (```LOAD`.x``) is not mistaken for one, and
nothing hidden in a comment can reach the server unseen. When in doubt it refuses: a name that
happens to be a keyword can be backquoted.

>>> refusal("MATCH (p:Person {name: 'LOAD CSV'}) RETURN p.name // CALL db.clearQueryCaches()") is None
True
>>> check_read_only("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l")
Traceback (most recent call last):
...
ecokg.ontology.errors.ReadOnlyViolation: read-only Cypher may not use LOAD CSV (it reads files and URLs)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ecokg.ontology.errors import QueryError, ReadOnlyViolation

#: Procedures a read-only query may CALL: catalogue and full-text lookups that change nothing.
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.info", "db.ping",
    "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
    "db.index.fulltext.listAvailableAnalyzers", "db.index.vector.queryNodes", "db.index.vector.queryRelationships",
})

#: ``SHOW`` commands a reader may run: the catalogue (indexes, constraints, procedures, functions).
SHOW_ALLOWED = frozenset({"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS", "PROCEDURE", "PROCEDURES",
                          "FUNCTION", "FUNCTIONS"})
#: Words that may come between ``SHOW`` and what it shows (``SHOW ALL RANGE INDEXES``).
SHOW_MODIFIERS = frozenset({"ALL", "BUILT", "IN", "DEFINED", "RANGE", "FULLTEXT", "TEXT", "POINT", "VECTOR",
                            "LOOKUP", "BTREE", "UNIQUE", "UNIQUENESS", "EXIST", "EXISTS", "EXISTENCE", "NODE",
                            "REL", "RELATIONSHIP", "KEY", "PROPERTY", "TYPE"})

_ADMIN_NOUNS = frozenset({"USER", "USERS", "ROLE", "ROLES", "DATABASE", "DATABASES", "ALIAS", "ALIASES",
                          "SERVER", "SERVERS", "COMPOSITE", "PRIVILEGE", "PRIVILEGES", "CURRENT", "HOME",
                          "DEFAULT", "INDEX", "CONSTRAINT", "OR"})
_PRIVILEGE_WORDS = frozenset({"ROLE", "ROLES", "ALL", "ACCESS", "START", "STOP", "TRAVERSE", "READ", "MATCH",
                              "WRITE", "CREATE", "DELETE", "SET", "REMOVE", "MERGE", "NAME", "INDEX", "INDEXES",
                              "CONSTRAINT", "CONSTRAINTS", "TRANSACTION", "SHOW", "TERMINATE", "EXECUTE",
                              "IMMUTABLE", "DBMS", "USER", "DATABASE", "ALIAS", "PRIVILEGE", "IMPERSONATE",
                              "COMPOSITE", "LOAD", "SERVER", "NEW", "RENAME", "ASSIGN"})
#: A keyword and the words after it that make an administrative command, wherever it stands.
ADMIN: dict[str, frozenset[str]] = {
    "CREATE": _ADMIN_NOUNS, "DROP": _ADMIN_NOUNS, "ALTER": _ADMIN_NOUNS, "RENAME": _ADMIN_NOUNS,
    "GRANT": _PRIVILEGE_WORDS, "DENY": _PRIVILEGE_WORDS, "REVOKE": _PRIVILEGE_WORDS,
    "START": frozenset({"DATABASE"}), "STOP": frozenset({"DATABASE"}), "ENABLE": frozenset({"SERVER"}),
    "DEALLOCATE": frozenset({"DATABASE", "DATABASES"}), "REALLOCATE": frozenset({"DATABASE", "DATABASES"}),
    "DRYRUN": frozenset({"DEALLOCATE", "REALLOCATE"}),
}
#: Keywords that only ever begin an administrative command: refused as the statement's first word.
ADMIN_FIRST = frozenset({"DROP", "ALTER", "RENAME", "GRANT", "DENY", "REVOKE", "DRYRUN", "DEALLOCATE",
                         "REALLOCATE", "ENABLE"})
#: Keyword pairs refused wherever they stand, and why.
PAIRS: dict[tuple[str, str], str] = {
    ("LOAD", "CSV"): "LOAD CSV (it reads files and URLs)",
    ("TERMINATE", "TRANSACTION"): "TERMINATE TRANSACTION (it stops other users' work)",
    ("TERMINATE", "TRANSACTIONS"): "TERMINATE TRANSACTIONS (it stops other users' work)",
}
_PREFIX = frozenset({"CYPHER", "EXPLAIN", "PROFILE"})

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<param>\$(?:\w+|`(?:[^`]|``)*`))
  | (?P<number>\d[\w.]*)
  | (?P<word>[^\W\d]\w*)
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Token:
    """One token: its kind (word, quoted, string, param, number, punct), its text, its offset."""

    kind: str
    text: str
    start: int

    @property
    def upper(self) -> str:
        """A word's text in capitals (keywords are case-insensitive); other tokens as they are."""
        return self.text.upper() if self.kind == "word" else self.text


def tokens(text: str) -> list[Token]:
    """The tokens of ``text`` without spaces and comments.

    >>> [t.text for t in tokens("RETURN 'a // b' /* c */ AS `x``y` // d")]
    ['RETURN', "'a // b'", 'AS', '`x``y`']
    """
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind in ("space", "comment") or (kind == "punct" and _invisible(m.group())):
            continue
        out.append(Token(kind, m.group(), m.start()))
    return out


def _invisible(char: str) -> bool:
    """Spaces and format characters Python's ``\\s`` misses (``U+200B``): taken as spaces, so
    ``LOAD\\u200bCSV`` is still seen as ``LOAD CSV``."""
    return not char.isascii() and unicodedata.category(char)[0] in ("Z", "C")


def _keywords(toks: list[Token]) -> list[tuple[int, str]]:
    """Positions and capitalised text of the words that can be keywords (not ``x.word``, ``:Word``
    or ``{word: ...}``)."""
    out = []
    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        before = toks[i - 1].text if i else ""
        after = toks[i + 1].text if i + 1 < len(toks) else ""
        if before in (".", ":") or after == ":":
            continue
        out.append((i, t.upper))
    return out


def body_start(toks: list[Token]) -> int:
    """Index of the statement's first word: after the ``CYPHER [version] [option=value ...]``,
    ``EXPLAIN`` and ``PROFILE`` prefixes and a ``USE name`` clause.

    >>> toks = tokens("CYPHER 5 runtime=slotted EXPLAIN USE neo4j MATCH (n) RETURN n")
    >>> toks[body_start(toks)].text
    'MATCH'
    """
    i, cypher = 0, False
    while i < len(toks):
        t = toks[i]
        if t.upper in _PREFIX:
            cypher = cypher or t.upper == "CYPHER"
            i += 1
        elif cypher and t.kind == "number":
            i += 1
        elif cypher and i + 2 < len(toks) and toks[i + 1].text == "=":
            i += 3  # CYPHER option=value
        elif t.upper == "USE":
            i += 1
            while i < len(toks) and toks[i].kind in ("word", "quoted"):
                i += 2 if i + 1 < len(toks) and toks[i + 1].text == "." else 1
                if toks[i - 1].text != ".":
                    break
        else:
            break
    return i


def _procedure(toks: list[Token], i: int) -> str | None:
    """The dotted procedure name after the ``CALL`` at ``i`` (None for a subquery ``CALL {`` / ``CALL (x) {``)."""
    parts: list[str] = []
    j = i + 1
    while j < len(toks) and toks[j].kind in ("word", "quoted"):
        t = toks[j]
        parts.append(t.text[1:-1].replace("``", "`") if t.kind == "quoted" else t.text)
        if j + 1 < len(toks) and toks[j + 1].text == ".":
            j += 2
        else:
            break
    return ".".join(parts) if parts else None


def _show_allowed(words: list[str]) -> bool:
    for w in words:
        if w in SHOW_ALLOWED:
            return True
        if w not in SHOW_MODIFIERS and w != "USER":  # USER only in SHOW USER DEFINED FUNCTIONS
            return False
    return False


def refusal(text: str) -> str | None:
    """Why ``text`` may not run as read-only Cypher, or None if the client-side check passes.

    >>> refusal("CALL db.labels() YIELD label RETURN label")
    >>> refusal("CALL db.clearQueryCaches()")
    'procedure db.clearQueryCaches (only read-only catalogue procedures are allowed)'
    >>> refusal("SHOW USERS")
    'SHOW USERS (an administrative command)'
    """
    toks = tokens(text)
    start = body_start(toks)
    keywords = _keywords(toks)
    words = [w for _, w in keywords]
    for n, (i, word) in enumerate(keywords):
        nxt = words[n + 1] if n + 1 < len(words) and keywords[n + 1][0] == i + 1 else ""
        if (word, nxt) in PAIRS:
            return PAIRS[(word, nxt)]
        if word == "CALL":
            name = _procedure(toks, i)
            if name is not None and name not in READ_PROCEDURES:
                return f"procedure {name} (only read-only catalogue procedures are allowed)"
        elif word == "SHOW":
            rest = [t.upper for t in toks[i + 1:] if t.kind == "word"]
            if not _show_allowed(rest):
                return f"SHOW {' '.join(rest[:1])}".strip() + " (an administrative command)"
        elif (i == start and word in ADMIN_FIRST) or nxt in ADMIN.get(word, ()):
            return f"{word} {nxt}".strip() + " (an administrative command)"
    return None


def check_read_only(text: str) -> str:
    """``text`` if the client-side check passes; else raise.

    Raises:
        QueryError: the query is empty.
        ReadOnlyViolation: the query does what a reader may not (see :func:`refusal`).
    """
    if not tokens(text):
        raise QueryError("the query is empty")
    why = refusal(text)
    if why is not None:
        raise ReadOnlyViolation(f"read-only Cypher may not use {why}")
    return text


def explain_text(text: str) -> str | None:
    """The query to ask the server about with ``EXPLAIN`` (its prefixes dropped), or None when
    ``text`` is itself an ``EXPLAIN`` (which runs nothing).

    >>> explain_text("CYPHER runtime=slotted PROFILE MATCH (n) RETURN n")
    'EXPLAIN MATCH (n) RETURN n'
    >>> explain_text("EXPLAIN MATCH (n) RETURN n") is None
    True
    """
    toks = tokens(text)
    start = body_start(toks)
    if any(t.upper == "EXPLAIN" for t in toks[:start]):
        return None
    return "EXPLAIN " + (text[toks[start].start:] if start < len(toks) else text)
