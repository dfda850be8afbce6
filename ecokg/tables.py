"""Tables for people: the presentation of command output (rich), apart from the library.

Every string from the graph is escaped before rich sees it, so graph text is never
read as markup.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


class SafeTable(Table):
    """A rich table whose cells are always plain text (graph text is never markup)."""

    def add_row(self, *cells: Any, **kw: Any) -> None:
        super().add_row(*(escape("" if c is None else str(c)) for c in cells), **kw)


def rows_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    """One table of row dicts, the columns of the first row."""
    t = SafeTable(title=escape(title) if title else None, show_lines=False)
    cols = list(rows[0].keys()) if rows else []
    for c in cols:
        t.add_column(escape(c), overflow="fold")
    for r in rows:
        t.add_row(*(r.get(c) for c in cols))
    return t


def counts_tables(summary: dict[str, Any]) -> list[Table]:
    """Nodes per class and edges per relation of a build summary."""
    out: list[Table] = []
    for title, key, col in (("Nodes per class", "classes", "class"), ("Relations", "relations", "relation")):
        t = SafeTable(title=title)
        t.add_column(col)
        t.add_column("count", justify="right")
        for k, v in summary[key].items():
            t.add_row(k, v)
        out.append(t)
    return out


def print_tables(tables: list[Table], console: Console | None = None) -> None:
    con = console or Console()
    for t in tables:
        con.print(t)


def analysis_tables(result: dict[str, Any], min_width: int = 80) -> list[Table]:
    """Rich tables of an analysis (:func:`ecokg.graph.analytics.analyze`), each captioned with its meaning sentence.

    Graph text (labels, reasons) is escaped, never read as rich markup.

    Args:
        result: what :func:`ecokg.graph.analytics.analyze` returned.
        min_width: the narrowest a table (and so its caption) is drawn.

    Returns:
        A list of :class:`rich.table.Table` to print in order.
    """
    def table(title: str, caption: str, *cols: str) -> Table:
        t = SafeTable(title=escape(title), caption=escape(caption), caption_justify="left", min_width=min_width)
        for c in cols:
            t.add_column(c, overflow="fold", justify="right" if c in ("#", "degree", "value", "size", "betweenness") else "left")
        return t

    gi, ce, co, br = result["graph"], result["centrality"], result["communities"], result["bridges"]
    out = []
    t = table("Graph", gi["meaning"], "measure", "value")
    for key in ("nodes", "edges", "projection_nodes", "projection_edges", "components"):
        t.add_row(key.replace("_", " "), str(gi[key]))
    out.append(t)
    t = table("Degree centrality", ce["degree"]["meaning"], "#", "entity", "class", "degree", "value")
    for i, e in enumerate(ce["degree"]["top"], 1):
        t.add_row(str(i), e["label"], str(e["cls"]), str(e["degree"]), f"{e['value']:.4f}")
    out.append(t)
    t = table("Betweenness centrality" + (f" (sampled, k={ce['k']})" if ce["betweenness_sampled"] else ""),
              ce["betweenness"]["meaning"], "#", "entity", "class", "value")
    for i, e in enumerate(ce["betweenness"]["top"], 1):
        t.add_row(str(i), e["label"], str(e["cls"]), f"{e['value']:.4f}")
    out.append(t)
    mod = "n/a" if co["modularity"] is None else f"{co['modularity']:.3f}"
    t = table(f"Communities: {co['count']} ({co['singletons']} of one entity), modularity {mod}",
              co["meaning"], "#", "size", "most connected members", "dominant classes")
    for c in co["communities"]:
        t.add_row(str(c["community"]), str(c["size"]), "、".join(m["label"] for m in c["central_members"]),
                  ", ".join(f"{d['cls']} {d['count']}" for d in c["dominant_classes"]))
    out.append(t)
    t = table(f"Bridges: {br['articulation_points']} articulation points, {br['community_bridges']} "
              "community bridges", br["meaning"], "#", "entity", "class", "betweenness", "why")
    for i, e in enumerate(br["top"], 1):
        t.add_row(str(i), e["label"], str(e["cls"]), f"{e['betweenness']:.4f}", e["why"])
    out.append(t)
    return out
