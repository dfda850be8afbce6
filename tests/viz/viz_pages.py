"""Helpers to inspect written view pages without a browser."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

_DATA_RE = re.compile(r'<script type="application/json" id="ecokg-data">(.*?)</script>', re.DOTALL)


def read_html(path: Path) -> str:
    """The page as text; raises if it is not valid UTF-8."""
    return Path(path).read_bytes().decode("utf-8", errors="strict")


def payload(path: Path) -> dict[str, Any]:
    """The JSON payload (nodes, edges, options, meta) embedded in a page."""
    match = _DATA_RE.search(read_html(path))
    assert match, "no ecokg-data script in page"
    return json.loads(match.group(1))


class TagCollector(HTMLParser):
    """Collects every start tag with its attributes, and the text of each element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[tuple[str, str]] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append((self._stack[-1] if self._stack else "", data))


def parse_tags(path: Path) -> TagCollector:
    collector = TagCollector()
    collector.feed(read_html(path))
    collector.close()
    return collector
