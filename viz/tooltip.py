"""Tooltip payloads: the class, props and evidence behind a node or edge.

The payload is plain data (strings only). The page's runtime script turns it into
DOM elements with ``textContent``, so nothing in it is ever parsed as HTML.
Keys are short because large views carry thousands of these:

``h`` heading, ``c`` class / kind, ``id`` identifier line, ``p`` list of
``[key, value]`` props, ``pm`` props left out, ``e`` evidence list of
``{q: quote, s: source, o: offsets, b: basis}``, ``em`` evidence left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MAX_PROPS = 30
MAX_EVIDENCE = 5
MAX_QUOTE_CHARS = 400
MAX_VALUE_CHARS = 300


def clip(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_value(value: object) -> str:
    """Display form of a props value (booleans lower-case, like JSON)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return clip(str(value), MAX_VALUE_CHARS)


def format_offsets(start: object, end: object) -> str:
    """``"start–end"`` for evidence offsets, or ``""`` when neither is known."""
    if start in (None, "") and end in (None, ""):
        return ""
    return f"{'' if start is None else start}–{'' if end is None else end}"


def evidence_items(evidence: object) -> tuple[list[dict[str, str]], int]:
    """Normalise an ``evidence`` attribute into tooltip items (+ number left out)."""
    if not evidence:
        return [], 0
    if not isinstance(evidence, (list, tuple)):
        if isinstance(evidence, (Mapping, str, bytes)) or not isinstance(evidence, Iterable):
            evidence = [evidence]
    items: list[dict[str, str]] = []
    total = 0
    for ev in evidence:
        total += 1
        if len(items) >= MAX_EVIDENCE:
            continue
        if isinstance(ev, Mapping):
            items.append(
                {
                    "q": clip(str(ev.get("quote", "") or ""), MAX_QUOTE_CHARS),
                    "s": str(ev.get("source", "") or ""),
                    "o": format_offsets(ev.get("start"), ev.get("end")),
                    "b": str(ev.get("basis", "") or ""),
                }
            )
        else:
            items.append({"q": clip(str(ev), MAX_QUOTE_CHARS), "s": "", "o": "", "b": ""})
    return items, total - len(items)


def props_items(props: object) -> tuple[list[list[str]], int]:
    """Normalise a ``props`` attribute into sorted ``[key, value]`` rows (+ left out)."""
    if not isinstance(props, Mapping):
        return [], 0
    keys = sorted(props, key=str)
    rows = [[str(k), format_value(props[k])] for k in keys[:MAX_PROPS]]
    return rows, max(len(keys) - MAX_PROPS, 0)


def node_tooltip(node_id: object, label: str, cls: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """Tooltip payload for a node."""
    tip: dict[str, Any] = {"h": label, "c": cls, "id": str(node_id)}
    rows, more_props = props_items(attrs.get("props"))
    if rows:
        tip["p"] = rows
    if more_props:
        tip["pm"] = more_props
    return _with_evidence(tip, attrs)


def edge_tooltip(rel_type: str, source_label: str, target_label: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """Tooltip payload for an edge: its type, its ends, its props (if any) and its evidence."""
    tip: dict[str, Any] = {"h": rel_type, "c": "relationship", "id": f"{source_label} → {target_label}"}
    rows, more_props = props_items(attrs.get("props"))
    if rows:
        tip["p"] = rows
    if more_props:
        tip["pm"] = more_props
    return _with_evidence(tip, attrs)


def _with_evidence(tip: dict[str, Any], attrs: Mapping[str, Any]) -> dict[str, Any]:
    """Add the evidence items (and the count of those left out) to a tooltip payload."""
    ev, more_ev = evidence_items(attrs.get("evidence"))
    if ev:
        tip["e"] = ev
    if more_ev:
        tip["em"] = more_ev
    return tip
