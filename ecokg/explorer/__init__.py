"""The explorer: the graph in a browser, beside the SPARQL endpoint (``ecokg serve``).

Search as you type (Chinese, pinyin, English, aliases, Traditional or Simplified), a page for
every entity with its facts grouped by relation and the evidence of each (quote, source,
offsets or line, basis) linked to the source text around the quote, a graph panel that expands
on click, explained connections, and the named questions as forms with their answers as
tables, JSON and CSV. Plain server-rendered HTML (Starlette, Jinja2 with autoescaping) with one
small script; read-only; every store call bounded in time and size; either store, through the
store protocol. See docs/explorer.md.

>>> import ecokg
>>> from ecokg.explorer import Explorer
>>> explorer = Explorer(lambda: ecokg.open("out"))          # doctest: +SKIP
>>> routes = explorer.routes()                              # doctest: +SKIP
"""

from __future__ import annotations

from ecokg.explorer.app import Explorer, Timeout, explorer_for

__all__ = ["Explorer", "Timeout", "explorer_for"]
