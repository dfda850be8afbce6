"""The one exception hierarchy of ecokg (imported by users as :mod:`ecokg.errors`).

Every error a user can cause or meet derives from :class:`EcoKGError`; the CLI
turns these into clean messages at the edge.
"""

from __future__ import annotations

import os
import re


class EcoKGError(Exception):
    """Base class of every error ecokg raises on purpose."""


class SchemaError(EcoKGError):
    """A term is missing from the ontology, or data breaks its shapes."""


class LoaderError(EcoKGError):
    """A source could not be read or parsed.

    Args:
        message: what went wrong.
        source: the file or document that failed.
        line: the 1-based line (or row) where it failed, if known.
    """

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        where = ""
        if source:
            where = f"{source}:{line}: " if line else f"{source}: "
        super().__init__(where + message)


class BackendError(EcoKGError):
    """A store (the embedded RDF store or Neo4j) failed or refused a request."""


class BackendUnavailable(BackendError):
    """A backend cannot be reached or its optional dependency is missing."""


class ReadOnlyViolation(BackendError):
    """A query tried to write where only reading is allowed."""


class QueryError(EcoKGError):
    """A query is malformed or names something that does not exist."""


class QueryTimeout(QueryError):
    """A query did not finish in time (or found no free worker in time) and was stopped."""


class EngineCrash(BackendError):
    """The process running a query died (the engine crashed or ran out of memory)."""


_USERINFO_RE = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/@\s:]*):([^@\s/]*)@")
_SECRETS: set[str] = set()
SECRET_VARS = ("NEO4J_PASSWORD", "NEO4J_AUTH")  # read at each call: the environment may change
MIN_SECRET = 4  # shorter values would blank unrelated text; passwords that short are refused by Neo4j anyway


def register_secret(value: str | None) -> None:
    """Remember ``value`` (a password or token) so :func:`redact` blanks it from every message."""
    if value and len(value) >= MIN_SECRET:
        _SECRETS.add(value)


def redact(text: str) -> str:
    """``text`` with passwords in URIs and every registered secret replaced by ``***``.

    >>> redact("cannot reach bolt://neo4j:s3cret@127.0.0.1:7687")
    'cannot reach bolt://neo4j:***@127.0.0.1:7687'
    """
    text = _USERINFO_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}:***@", text)
    secrets = set(_SECRETS)
    for var in SECRET_VARS:
        value = os.environ.get(var, "")
        if len(value) >= MIN_SECRET:
            secrets.add(value)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
