"""Visual style: node colours, investor and sector detection, fonts and sizes.

The views know no ontology: a node's colour comes with it (its ``colour`` attribute, which
ecokg sets from the ontology's display colours) or is picked from a fixed palette by a
stable hash of its class; investors, sectors, model makers and places are nodes that say so
(``investor``, ``sector``, ``maker`` or ``place`` attributes, or ``props["investor"]``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

#: Colours for nodes that bring none (picked by a stable hash of the class name).
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
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
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
    """A fill colour for a class name from the fallback palette (deterministic)."""
    digest = hashlib.sha1(cls.encode("utf-8")).digest()
    return FALLBACK_PALETTE[digest[0] % len(FALLBACK_PALETTE)]


def node_class(attrs: Mapping[str, Any]) -> str:
    """The node's ``cls`` attribute as a string, or ``"Unknown"``."""
    cls = attrs.get("cls")
    return str(cls) if cls not in (None, "") else UNKNOWN_CLASS


def node_colour(attrs: Mapping[str, Any]) -> str:
    """The node's ``colour`` attribute (a ``#rrggbb`` text), else the fallback colour of its class."""
    colour = attrs.get("colour")
    if isinstance(colour, str) and _HEX.match(colour):
        return colour
    return class_colour(node_class(attrs))


def is_investor(attrs: Mapping[str, Any]) -> bool:
    """True for nodes that say they are investors (``investor`` or ``props["investor"]`` true)."""
    if attrs.get("investor") is True:
        return True
    props = attrs.get("props")
    return isinstance(props, Mapping) and props.get("investor") is True


def is_sector(attrs: Mapping[str, Any]) -> bool:
    """True for nodes that say they are sectors (``sector`` true)."""
    return attrs.get("sector") is True


def is_maker(attrs: Mapping[str, Any]) -> bool:
    """True for nodes that say they make models (``maker`` true)."""
    return attrs.get("maker") is True


def is_place(attrs: Mapping[str, Any]) -> bool:
    """True for nodes that say they are places (``place`` true)."""
    return attrs.get("place") is True
