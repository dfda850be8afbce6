"""Markdown pipe tables as they are written in GitHub READMEs: cells, headers, headings.

Only reading, no meaning: :func:`tables` finds every pipe table (header row, ``|:---:|``
delimiter row, body rows) with the heading nearest above it; :func:`clean` turns a cell
into its plain text; :func:`links` lists the markdown links of a cell. Sources that use
these tables read them by header name (:meth:`Table.index`, :meth:`Row.get`), never by
column position, because columns come and go between versions of a README.

>>> [t] = tables("## 榜单\\n\\n| 排名 | 模型 |\\n|:-:|:-:|\\n| 🥈 | [GPT-4 ↗](https://openai.com/) |\\n")
>>> t.heading, t.header, [r.cells for r in t.rows]
('榜单', ['排名', '模型'], [['🥈', '[GPT-4 ↗](https://openai.com/)']])
>>> clean(t.rows[0].get(t, "模型名称", "模型") or "")
'GPT-4'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ecokg.graph.model import ReviewItem

# ``[text](url)`` and ``![alt](src)``; the url may hold one level of balanced parentheses.
_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*((?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\s*\)")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\ufe0e\ufe0f"))
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def clean(text: str) -> str:
    """The plain text of a cell: links by their text, no ``<br>``, no tags, one space.

    ``<br>`` joins without a space (headers break words with it), ``↗`` and bold marks go,
    HTML entities are decoded, full-width and other white space collapse to one space.

    >>> clean(" [GPT-4 ↗](https://openai.com/) ")
    'GPT-4'
    >>> clean("OPEN<br/>多轮开放问题"), clean("**66.78**"), clean("\\t闪电\\u3000 AI\\u200b")
    ('OPEN多轮开放问题', '66.78', '闪电 AI')
    >>> clean('<a href="x"></a> Vicuna-13B'), clean("清华&amp;智谱"), clean("a \\\\| b")
    ('Vicuna-13B', '清华&智谱', 'a | b')
    """
    text = _BR.sub("", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _TAG.sub("", text)
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = text.replace("↗", " ").replace("**", "").replace("\\|", "|").translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def links(text: str) -> list[tuple[str, str]]:
    """The (text, url) of every markdown link in ``text``, in order; the text cleaned.

    >>> links("有APP，[ChatGLM3-6B](https://github.com/THUDM/ChatGLM3), [盘古-Σ](https://a.b/x(1).pdf)")
    [('ChatGLM3-6B', 'https://github.com/THUDM/ChatGLM3'), ('盘古-Σ', 'https://a.b/x(1).pdf')]
    """
    return [(clean(m.group(1)), m.group(2)) for m in _LINK.finditer(text)]


@dataclass(frozen=True)
class Problem:
    """A row a parser could not read as it should, with its 1-based line in the source.

    ``kept`` is True when the row was still read (with the doubtful field left out), False
    when the row was left out of the result.
    """

    line: int
    message: str
    text: str
    kept: bool = False

    def review(self, source: str) -> ReviewItem:
        """The review item of this problem, for the build's review list (with its line)."""
        note = "row read without it" if self.kept else "row not read"
        return ReviewItem("row", f"{self.message} ({note})", self.text.strip() or "(empty)", source, line=self.line)


@dataclass
class Row:
    """One body row: its 1-based line, the raw line, and its raw cells (stripped)."""

    line: int
    text: str
    cells: list[str]

    def get(self, table: Table, *names: str) -> str | None:
        """The raw cell under the first header matching one of ``names`` (see
        :meth:`Table.index`); None when there is no such header or the row is short."""
        i = table.index(*names)
        return self.cells[i] if i is not None and i < len(self.cells) else None


@dataclass
class Table:
    """A pipe table: its nearest heading above, its header (cleaned) and body rows."""

    heading: str | None
    heading_line: int | None
    header: list[str]
    header_line: int
    rows: list[Row] = field(default_factory=list)
    raw_header: list[str] = field(default_factory=list)

    def index(self, *names: str) -> int | None:
        """The column of the first header equal to one of ``names`` (cleaned, any case);
        failing that, of the first header that starts with one of them.

        >>> t = Table(None, None, ["模型名称", "OPEN多轮开放问题", "OPT"], 1)
        >>> t.index("模型", "模型名称"), t.index("OPEN"), t.index("opt"), t.index("机构")
        (0, 1, 2, None)
        """
        keys = [clean(n).casefold() for n in names]
        heads = [h.casefold() for h in self.header]
        for key in keys:
            if key in heads:
                return heads.index(key)
        for key in keys:
            for i, h in enumerate(heads):
                if key and h.startswith(key):
                    return i
        return None


def split_outside(text: str, separators: str) -> list[str]:
    """``text`` split at each of ``separators`` that is not inside a markdown link, inline
    code or escaped with ``\\``; the pieces unstripped.

    >>> split_outside("[盘古](u),[无涯、求索](v)、 CodeLLaMA", ",，、")
    ['[盘古](u)', '[无涯、求索](v)', ' CodeLLaMA']
    """
    pieces: list[str] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            m = _LINK.match(text, i)
            if m:
                i = m.end()
                continue
        if ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = text.find("`" * run, i + run)
            i = close + run if close >= 0 else i + run
            continue
        if ch in separators:
            pieces.append(text[start:i])
            start = i + 1
        i += 1
    pieces.append(text[start:])
    return pieces


def split_row(line: str) -> list[str]:
    """The cells of a table line, stripped; ``|`` inside links, code and ``\\|`` is text.
    The leading and trailing pipes are optional.

    >>> split_row("|1| [a|b](u) | `x|y` |c\\\\|d")
    ['1', '[a|b](u)', '`x|y`', 'c\\\\|d']
    >>> split_row("a | b |"), split_row("|x||y")
    (['a', 'b'], ['x', '', 'y'])
    """
    cells = split_outside(line, "|")
    if line.strip().startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1].strip() and _ends_with_pipe(line):
        cells = cells[:-1]
    return [c.strip() for c in cells]


def _ends_with_pipe(line: str) -> bool:
    body = line.rstrip()
    return body.endswith("|") and not body.endswith("\\|")


def _is_delimiter(line: str) -> bool:
    if "-" not in line:
        return False
    cells = split_row(line)
    return bool(cells) and all(_DELIMITER_CELL.match(c) for c in cells)


def tables(text: str) -> list[Table]:
    """Every pipe table of a markdown text, with the nearest heading above it.

    A table is a line with ``|``, then a delimiter row, then the body: the following lines
    up to a blank line, a heading or a line without ``|``. Fenced code and HTML comments
    are skipped.
    Headings are ATX (``## x``) or setext (a line under-scored with ``===`` or ``---``).

    >>> [t.header for t in tables("x | y\\n--|--\\n1 | 2\\n")]
    [['x', 'y']]
    """
    lines = text.splitlines()
    out: list[Table] = []
    heading: str | None = None
    heading_line: int | None = None
    fence: str | None = None
    in_comment = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            i += 1
            continue
        if in_comment:
            in_comment = "-->" not in line
            i += 1
            continue
        stripped = line.strip()
        m_fence = _FENCE.match(line)
        if m_fence:
            fence = m_fence.group(1)[0] * 3
            i += 1
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped[4:]
            i += 1
            continue
        atx = _ATX.match(line)
        if atx:
            heading, heading_line = clean(atx.group(2) or ""), i + 1
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if "|" in line and _is_delimiter(nxt):
            raw = split_row(line)
            table = Table(heading, heading_line, [clean(c) for c in raw], i + 1, raw_header=raw)
            i += 2
            while i < len(lines) and lines[i].strip() and "|" in lines[i] and not _ATX.match(lines[i]):
                table.rows.append(Row(i + 1, lines[i], split_row(lines[i])))
                i += 1
            out.append(table)
            continue
        if stripped and "|" not in line and _SETEXT.match(nxt) and not _SETEXT.match(line):
            heading, heading_line = clean(stripped), i + 1
            i += 2
            continue
        i += 1
    return out


__all__ = ["Problem", "Row", "Table", "clean", "links", "split_outside", "split_row", "tables"]
