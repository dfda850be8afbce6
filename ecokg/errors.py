"""The one exception hierarchy of ecokg, under its public name.

The classes live in :mod:`ecokg.ontology.errors`, the lowest layer, so that every
layer can raise them without importing upwards; this module is where users import
them from::

    from ecokg.errors import EcoKGError
"""

from __future__ import annotations

from ecokg.ontology.errors import (
    BackendError,
    BackendUnavailable,
    EcoKGError,
    EngineCrash,
    LoaderError,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    SchemaError,
    redact,
    register_secret,
)

__all__ = ["BackendError", "BackendUnavailable", "EcoKGError", "EngineCrash", "LoaderError", "QueryError",
           "QueryTimeout", "ReadOnlyViolation", "SchemaError", "redact", "register_secret"]
