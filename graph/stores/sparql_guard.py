"""Checks on untrusted SPARQL text, made BEFORE the engine parses it.

Oxigraph's parser and evaluator recurse: a few thousand nested ``{``/``(`` overflow the
stack and kill the process, and a ``SERVICE`` clause makes the engine send HTTP requests to
any address the text names. So every query from a user first goes through :func:`check`:

* its size is bounded (``max_bytes``);
* a linear scan (:func:`tokens`: strings, IRIs and comments skipped as the SPARQL grammar
  defines them) measures the nesting depth of ``{ ( [`` and ``<<`` and refuses deeper text;
* the same scan finds the ``SERVICE`` keyword (not a literal, an IRI, a comment, a variable or a
  prefixed name that merely spells it) and refuses it unless the caller opted in.

pyoxigraph does not expose the parsed algebra, hence the lexer. It errs on the side of refusal:
text it cannot read (an unterminated string) is scanned as code.

>>> check('SELECT * WHERE { ?s ?p "SERVICE" }', QueryLimits())
>>> check('SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }', QueryLimits())
Traceback (most recent call last):
...
ecokg.ontology.errors.QueryError: SPARQL SERVICE (a federated query to another server) is refused: pass --allow-service to allow it
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterator

from ecokg.ontology.errors import QueryError

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class QueryLimits:
    """What an untrusted query may do.

    Attributes:
        timeout: seconds a query may run (``None``: no limit); enforced by running it in a child
            process that is killed (:mod:`ecokg.graph.stores.sparql_worker`).
        max_rows: most rows (or triples) returned; more are cut off and the result says so.
        max_depth: deepest nesting of ``{ ( [ <<`` allowed.
        max_bytes: longest query text, in UTF-8 bytes.
        allow_service: allow ``SERVICE`` (outbound HTTP requests from the engine).
    """

    timeout: float | None = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_depth: int = DEFAULT_MAX_DEPTH
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_service: bool = False


# PN_CHARS and friends of the SPARQL 1.1 grammar, approximated with Unicode classes
_PN_CHARS = r"[\w\-\u00B7\u0300-\u036F\u203F\u2040]"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = rf"[^\W\d_](?:(?:{_PN_CHARS}|\.)*{_PN_CHARS})?"
_PN_LOCAL = rf"(?:[\w:]|{_PLX})(?:(?:{_PN_CHARS}|[.:]|{_PLX})*(?:{_PN_CHARS}|:|{_PLX}))?"
_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>#[^\n\r]*)"
    r"|(?P<string>'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"|'(?:\\.|[^'\\\n\r])*'|\"(?:\\.|[^\"\\\n\r])*\")"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<open><<|[{(\[])"
    r"|(?P<close>>>|[})\]])"
    r"|(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)"
    r"|(?P<bnode>_:(?:[\w\-.\u00B7])*)"
    rf"|(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<other>.)",
    re.S,
)
_UCHAR_RE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_VARNAME_RE = re.compile(r"^[\w\u00B7\u0300-\u036F\u203F\u2040]+$")


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """The lexical tokens of ``text`` as ``(kind, text)``, whitespace left out; linear in its length.

    Kinds: ``comment string iri open close var bnode pname word other``.

    >>> [k for k, _ in tokens('SELECT ?s { ?s <http://x/#a> "}" } # {')]
    ['word', 'var', 'open', 'var', 'iri', 'string', 'close', 'comment']
    """
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "other"
        if kind != "ws":
            yield kind, m.group()


def scan(text: str) -> tuple[int, bool]:
    """``(deepest nesting, uses SERVICE)`` of ``text``.

    The SPARQL grammar lets ``\\uXXXX`` escapes stand for any character; a text that has some is
    scanned both as written and unescaped, and the worse reading counts.

    >>> scan('SELECT * { { ?s ?p "{{{{ SERVICE" } } # SERVICE {{{')
    (2, False)
    >>> scan('SELECT * { ?s ?p ?o .SERVICE SILENT <http://x/> { ?s ?p ?o } }')
    (2, True)
    """
    readings = [text]
    if _UCHAR_RE.search(text):
        readings.append(_UCHAR_RE.sub(lambda m: _char(m.group()), text))
    results = [_scan_one(t) for t in readings]
    return max(d for d, _ in results), any(s for _, s in results)


def _char(escape: str) -> str:
    code = int(escape[2:], 16)
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def _scan_one(text: str) -> tuple[int, bool]:
    depth = deepest = 0
    service = False
    for kind, tok in tokens(text):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word" and tok.upper() == "SERVICE":
            service = True
    return deepest, service


def check(text: str, limits: QueryLimits) -> None:
    """Refuse ``text`` if it is too long, too deeply nested, or uses ``SERVICE`` without opt-in.

    Raises:
        QueryError: with one line saying which limit and how to change it.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise QueryError(f"the query is {size:,} bytes long; the limit is {limits.max_bytes:,} bytes")
    deepest, service = scan(text)
    if deepest > limits.max_depth:
        raise QueryError(f"the query nests brackets {deepest} deep; the limit is {limits.max_depth} "
                         "(deeper text can crash the SPARQL engine)")
    if service and not limits.allow_service:
        raise QueryError("SPARQL SERVICE (a federated query to another server) is refused: "
                         "pass --allow-service to allow it")


def variable_name(key: str) -> str:
    """The SPARQL variable a parameter binds: ``"name"``, ``"?name"`` or ``"$name"`` -> ``"name"``.

    Raises:
        QueryError: ``key`` is not a SPARQL variable name.

    >>> variable_name("?org"), variable_name("n2")
    ('org', 'n2')
    >>> variable_name("a b")
    Traceback (most recent call last):
    ...
    ecokg.ontology.errors.QueryError: 'a b' is not a SPARQL variable name (letters, digits and _ only): cannot bind it
    """
    name = str(key).strip()
    name = name[1:] if name[:1] in ("?", "$") else name
    if not _VARNAME_RE.match(name):
        raise QueryError(f"{key!r} is not a SPARQL variable name (letters, digits and _ only): cannot bind it")
    return name


__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_DEPTH", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "QueryLimits",
           "check", "scan", "tokens", "variable_name"]


_POSITION_RE = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE")
_PREFIXED_RE = re.compile(r"([A-Za-z][\w.-]*)?:[\w.-]*$")


def syntax_message(text: str, error: str) -> str:
    """The engine's syntax error as one line that says where and what to do.

    Oxigraph reports ``error at LINE:COLUMN: expected one of ...`` with character classes
    written out in full; this keeps the position, the words it expected, a few characters of
    the query around the place, and names an undeclared prefix or a misspelt query form.

    >>> syntax_message("SELCT * WHERE {}", "error at 1:10: expected CONSTRUCT")
    'SPARQL syntax error at line 1, column 1 (near "SELCT * WHERE {}"): no query form SELCT; did you mean SELECT?'
    >>> syntax_message("SELECT * WHERE { ?s owl:x ?o }", "error at 1:26: expected one of OPTIONAL, Prefix not found, ['%']")
    'SPARQL syntax error at line 1, column 21 (near "owl:x ?o }"): the prefix owl: is not declared; add PREFIX owl: <...> before the query (predefined: eco, id, rdf, rdfs, xsd, skos, prov, org, owl)'
    """
    from ecokg.ontology import PREFIXES

    m = _POSITION_RE.match(error.strip())
    if not m:
        return f"SPARQL syntax error: {error.splitlines()[0] if error else 'not a query'}"
    line_no, col, what = int(m.group(1)), int(m.group(2)), m.group(3)
    lines = text.split("\n")
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    first = re.match(r"\s*([A-Za-z]+)", text)
    if first and first.group(1).upper() not in _FORMS and "expected CONSTRUCT" in what:
        word = first.group(1)
        near = difflib.get_close_matches(word.upper(), _FORMS[:4], n=1, cutoff=0.5)
        hint = f"; did you mean {near[0]}?" if near else f"; a query starts with {', '.join(_FORMS[:4])}"
        return f'SPARQL syntax error at line 1, column {first.start(1) + 1} (near "{text.strip()[:30]}"): ' \
               f"no query form {word}{hint}"
    if "Prefix not found" in what:
        before = line[:col - 1].rstrip()
        pm = _PREFIXED_RE.search(before)
        if pm:
            name = pm.group(1) or ""
            start = pm.start() + 1
            known = ", ".join(PREFIXES)
            return (f'SPARQL syntax error at line {line_no}, column {start} (near "{line[start - 1:start + 29]}"): '
                    f"the prefix {name}: is not declared; add PREFIX {name}: <...> before the query "
                    f"(predefined: {known})")
    listed = what.replace("expected one of", "").replace("expected", "")
    expected = [w.strip() for w in re.findall(r'"[^"]*"|\[[^\]]*\]|[^,\s\[][^,\[]*', listed)
                if w.strip() and not w.strip().startswith("[") and "not found" not in w]
    words = ", ".join(expected[:8]) + (", ..." if len(expected) > 8 else "")
    around = line[max(col - 16, 0):col + 14]
    return (f'SPARQL syntax error at line {line_no}, column {col} (near "{around}"): '
            f"expected {words or 'something else'}")
