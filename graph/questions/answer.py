"""The answer to a named question: rows, and for some questions a ranking or explained paths.

>>> a = Answer("bridges", "rdf", {}, [{"person": "谷伟", "group": "编委主任", "groups": 2}])
>>> print(a)
bridges (rdf): 1 row
person | group    | groups
-------+----------+-------
谷伟   | 编委主任 | 2
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field
from typing import Any


def _width(text: str) -> int:
    """Display width: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class Answer:
    """What a question returned.

    Attributes:
        question: the question's name.
        backend: the store kind that answered (``rdf``, ``neo4j``).
        params: the parameters as bound (entity names resolved to IRIs).
        rows: the query's rows, sorted, in the question's columns.
        resolved: for each entity parameter, the entity it named (id, name, class, how matched).
        ranking: for ranking questions, the ranked items with their reasons and quotes.
        explanation: for path questions, one line per explained path.
    """

    question: str
    backend: str
    params: dict[str, Any]
    rows: list[dict[str, Any]]
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    ranking: list[dict[str, Any]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    #: the page asked for, ``(offset, end)`` of the ranking (end None: to the last): a post step
    #: may do its costly part for that page only
    page: tuple[int, int | None] = (0, None)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        d: dict[str, Any] = {"question": self.question, "backend": self.backend, "resolved": self.resolved,
                             "rows": self.rows}
        if self.ranking:
            d["ranking"] = self.ranking
        if self.explanation:
            d["explanation"] = self.explanation
        return d

    def table(self) -> list[dict[str, Any]]:
        """Rows for a table for people: the ranking flattened (reasons joined), else the rows."""
        if not self.ranking:
            return self.rows
        flat = []
        for item in self.ranking:
            row = {k: v for k, v in item.items() if k not in ("links", "people", "developers")}
            if "links" in item:
                row["why"] = "\n".join(ln["reason"] for ln in item["links"])
            if item.get("people"):
                row["people"] = "、".join(item["people"])
            if "developers" in item:
                row["developers"] = "、".join(item["developers"])
            flat.append(row)
        return flat

    def __str__(self) -> str:
        head = f"{self.question} ({self.backend})"
        if self.explanation:
            return head + "\n" + "\n".join(self.explanation)
        rows = self.table()
        head += f": {len(rows)} row{'s' if len(rows) != 1 else ''}"
        if not rows:
            return head
        cols = list(rows[0])
        cells = [[_cell(r.get(c)).replace("\n", "; ") for c in cols] for r in rows]
        widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(cols)]

        def line(values: list[str]) -> str:
            return " | ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

        sep = "-+-".join("-" * w for w in widths)
        return "\n".join([head, line(cols), sep, *(line(r) for r in cells)])

    def _repr_html_(self) -> str:
        """An HTML table for notebooks (every value escaped)."""
        rows = self.table()
        cols = list(rows[0]) if rows else []
        out = [f"<p><b>{html.escape(self.question)}</b> ({html.escape(self.backend)})</p>"]
        if self.explanation:
            out.append("<ol>" + "".join(f"<li>{html.escape(x)}</li>" for x in self.explanation) + "</ol>")
            return "".join(out)
        out.append("<table><thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in cols) + "</tr></thead><tbody>")
        for r in rows:
            out.append("<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in cols) + "</tr>")
        out.append("</tbody></table>")
        return "".join(out)
