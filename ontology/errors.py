"""The one exception hierarchy of ecokg (imported by users as :mod:`ecokg.errors`).

Every error a user can cause or meet derives from :class:`EcoKGError`; the CLI
turns these into clean messages at the edge.
"""

from __future__ import annotations


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
