"""Turning selected graph nodes/edges into vis-network node and edge records.

Records are plain dicts, handed to pyvis' ``Network`` as its ``nodes``/``edges`` lists
in one go (pyvis' ``add_node``/``add_edge`` are quadratic on large graphs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .style import BORDER_COLOUR, HIGHLIGHT_COLOUR, node_class, node_colour
from .tooltip import edge_tooltip, node_tooltip

EdgeTuple = tuple[Hashable, Hashable, Hashable, Mapping[str, Any]]


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a swatch colour, a text and a count."""

    text: str
    colour: str
    count: int
    shape: str = "dot"


def node_label(node: Hashable, attrs: Mapping[str, Any]) -> str:
    """The display label: ``label`` attr, else the IRI's local name."""
    label = attrs.get("label")
    if label not in (None, ""):
        return str(label)
    text = str(node)
    for sep in ("#", "/", ":"):
        if sep in text.rstrip(sep):
            text = text.rstrip(sep).rsplit(sep, 1)[-1]
            break
    return text


def node_record(
    G: nx.MultiDiGraph[Any],
    node: Hashable,
    *,
    degree: int,
    highlight: bool = False,
    role: str | None = None,
) -> dict[str, Any]:
    """vis-network node record for ``node`` (size by ``degree``, colour by class)."""
    attrs = G.nodes[node]
    cls = node_class(attrs)
    label = node_label(node, attrs)
    colour = node_colour(attrs)
    border = HIGHLIGHT_COLOUR if highlight else BORDER_COLOUR
    record: dict[str, Any] = {
        "id": str(node),
        "label": label,
        "cls": cls,
        "value": degree,
        "color": {
            "background": colour,
            "border": border,
            "highlight": {"background": colour, "border": HIGHLIGHT_COLOUR},
            "hover": {"background": colour, "border": HIGHLIGHT_COLOUR},
        },
        "borderWidth": 3 if highlight else 1,
        "tip": node_tooltip(node, label, cls, attrs),
    }
    if role:
        record["role"] = role
    return record


def node_records(
    G: nx.MultiDiGraph[Any],
    nodes: Sequence[Hashable],
    degree: Mapping[Hashable, int],
    *,
    highlighted: Collection[Hashable] = (),
    roles: Mapping[Hashable, str] | None = None,
) -> list[dict[str, Any]]:
    """Node records for ``nodes`` in order."""
    hl = set(highlighted)
    return [
        node_record(
            G,
            n,
            degree=degree.get(n, 0),
            highlight=n in hl,
            role=(roles or {}).get(n),
        )
        for n in nodes
    ]


def edge_records(
    G: nx.MultiDiGraph[Any],
    edges: Iterable[EdgeTuple],
    *,
    show_labels: bool = False,
    highlighted: Collection[tuple[Hashable, Hashable]] = (),
) -> list[dict[str, Any]]:
    """Edge records; parallel edges between one pair get increasingly curved arcs.

    ``highlighted`` holds ``(u, v)`` pairs (either direction) drawn thick and red.
    """
    hl = {frozenset((str(u), str(v))) for u, v in highlighted}
    seen_pairs: Counter[frozenset[str]] = Counter()
    labels: dict[Hashable, str] = {}
    records: list[dict[str, Any]] = []
    for index, (u, v, _key, data) in enumerate(edges):
        for n in (u, v):
            if n not in labels:
                labels[n] = node_label(n, G.nodes[n])
        rel = str(data.get("type") or "RELATED_TO")
        pair = frozenset((str(u), str(v)))
        parallel = seen_pairs[pair]
        seen_pairs[pair] += 1
        record: dict[str, Any] = {
            "id": f"e{index}",
            "from": str(u),
            "to": str(v),
            "type": rel,
            "tip": edge_tooltip(rel, labels[u], labels[v], data),
        }
        if show_labels:
            record["label"] = rel
        if parallel:
            record["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if parallel % 2 else "curvedCCW",
                "roundness": min(0.15 * ((parallel + 1) // 2), 0.9),
            }
        if pair in hl:
            record["color"] = {"color": HIGHLIGHT_COLOUR, "highlight": HIGHLIGHT_COLOUR}
            record["width"] = 3
        records.append(record)
    return records


def legend_entries(records: Sequence[Mapping[str, Any]]) -> list[LegendEntry]:
    """One legend row per class present in ``records`` (most frequent first)."""
    counts = Counter(str(r["cls"]) for r in records)
    colours = {str(r["cls"]): str(r["color"]["background"]) for r in records}
    return [
        LegendEntry(text=cls, colour=colours[cls], count=count)
        for cls, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
