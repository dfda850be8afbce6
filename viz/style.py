"""Visual style: colours per ontology class, investor detection, fonts and sizes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

#: Node classes that are investors by definition (plus ``props["investor"] is True``).
INVESTOR_CLASSES: frozenset[str] = frozenset({"InvestmentFirm", "Fund"})

#: Fill colour per ontology class (local name). Reified/auxiliary classes are muted.
CLASS_COLOURS: dict[str, str] = {
    "Person": "#e6194b",
    "Organisation": "#4363d8",
    "Company": "#3cb44b",
    "CloudProvider": "#00a3a3",
    "InvestmentFirm": "#f58231",
    "Fund": "#ffb347",
    "Bank": "#9a6324",
    "Insurer": "#c49a6c",
    "ResearchInstitution": "#911eb4",
    "StateBody": "#b71c1c",
    "IndustryAlliance": "#f032e6",
    "Media": "#808000",
    "AIModel": "#42d4f4",
    "Trend": "#bfef45",
    "Sector": "#ffd700",
    "ExpertGroup": "#dcbeff",
    "Position": "#a9a9a9",
    "GroupMembership": "#b8b8b8",
    "AllianceRole": "#c8c8c8",
    "BenchmarkResult": "#8fbcbb",
    "Investment": "#e9a3a3",
    "Report": "#469990",
}

#: Colours for classes not listed above (picked by a stable hash of the class name).
FALLBACK_PALETTE: tuple[str, ...] = (
    "#7f7f7f",
    "#17becf",
    "#bcbd22",
    "#8c564b",
    "#e377c2",
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
)

UNKNOWN_CLASS = "Unknown"
BORDER_COLOUR = "#2b2b2b"
HIGHLIGHT_COLOUR = "#d62728"
EDGE_COLOUR = "#9aa0a6"

#: Canvas font stack: CJK-capable faces first so Chinese labels render everywhere.
FONT_FACE = (
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
)

NODE_SIZE_MIN = 8
NODE_SIZE_MAX = 40


def class_colour(cls: str) -> str:
    """Return the fill colour for an ontology class (deterministic for unknown ones)."""
    colour = CLASS_COLOURS.get(cls)
    if colour is not None:
        return colour
    digest = hashlib.sha1(cls.encode("utf-8")).digest()
    return FALLBACK_PALETTE[digest[0] % len(FALLBACK_PALETTE)]


def node_class(attrs: Mapping[str, Any]) -> str:
    """The node's ``cls`` attribute as a string, or ``"Unknown"``."""
    cls = attrs.get("cls")
    return str(cls) if cls not in (None, "") else UNKNOWN_CLASS


def is_investor(attrs: Mapping[str, Any]) -> bool:
    """True for InvestmentFirm/Fund nodes and any node whose props say ``investor: True``."""
    if node_class(attrs) in INVESTOR_CLASSES:
        return True
    props = attrs.get("props")
    return isinstance(props, Mapping) and props.get("investor") is True


def is_sector(attrs: Mapping[str, Any]) -> bool:
    """True for nodes of class ``Sector``."""
    return node_class(attrs) == "Sector"
