"""Escaping helpers: every string that comes from graph data passes through here.

* :func:`html_text` for text placed in HTML element content or quoted attributes.
* :func:`script_json` for data embedded in a ``<script>`` element: JSON with
  ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so no data string can close the
  element, open a comment, or break a JS string literal.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any

_SCRIPT_ESCAPES: tuple[tuple[str, str], ...] = (
    ("&", "\\u0026"),
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def html_text(value: object) -> str:
    """HTML-escape ``value`` (converted with ``str``), quotes included."""
    return html.escape(str(value), quote=True)


def _json_default(value: object) -> Any:
    """Fallback for JSON: sets/tuples become lists, anything else its ``str``."""
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def json_safe_scalar(value: object) -> str | int | float | bool | None:
    """Coerce a props value to something JSON can carry exactly (NaN/inf -> str)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


def script_json(data: Any) -> str:
    """Serialise ``data`` as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, default=_json_default, allow_nan=False)
    for raw, escaped in _SCRIPT_ESCAPES:
        text = text.replace(raw, escaped)
    return text
