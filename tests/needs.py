"""What a test needs that a machine may lack (a server, a browser, a library): locally such a test
is skipped, in CI (``CI=true``) it fails, because there everything must run.

A plain module, not a conftest: ``tests/conftest.py`` and ``tests/viz/conftest.py`` are both
imported as ``conftest``, so ``from conftest import ...`` finds whichever was loaded last.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """True when CI=true: there every test must run."""
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> NoReturn:
    """Skip locally, fail in CI."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def require(condition: bool, reason: str) -> None:
    """Go on when ``condition`` holds, else :func:`unavailable`."""
    if not condition:
        unavailable(reason)
