"""中国大模型列表 (wgwang/awesome-LLMs-In-China README) -> rows of companies and their models.

Pure reading, no graph: every table with a 公司 and a 大模型 column is read by header name
(the list gained its 类别 and 官网 columns over time); a table under a heading such as
国外大模型 holds foreign models. Every body row becomes a :class:`ListRow` or a
:class:`~ecokg.loaders.markdown.Problem`.

>>> rows = parse_llm_list('''## 大模型列表
... |序号|大模型|公司|说明|
... |:-|:-|:-|:-|
... |1|[盘古](https://a.cn),[盘古气象](https://b.cn)|华为|华为+鹏城|
... |2|星云|中兴通讯|| 基于[X](https://x.cn)''').rows
>>> [(r.number, r.company, r.models, r.category, r.official, r.notes) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
[('1', '华为', [('盘古', 'https://a.cn'), ('盘古气象', 'https://b.cn')], None, None, '华为+鹏城'),
 ('2', '中兴通讯', [('星云', None)], None, None, '基于X')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ecokg.loaders.markdown import Problem, Row, Table, clean, links, split_outside, tables
from ecokg.ontology.errors import LoaderError

NUMBER = ("序号", "编号", "No.")
COMPANY = ("公司",)
MODELS = ("大模型",)
PLACE = ("省市", "地区", "所在地", "城市")
CATEGORY = ("类别", "类型", "领域")
OFFICIAL = ("官网",)
NOTES = ("说明", "备注")
FOREIGN = ("国外", "海外", "foreign")

#: Separators between the models of one 大模型 cell (outside links).
MODEL_SEPARATORS = ",，、"
YES = {"✔", "✔️", "✓", "√", "☑", "✅", "是", "有", "yes", "y"}
NO = {"✘", "✗", "×", "✕", "❌", "否", "无", "no", "n"}


@dataclass
class ListRow:
    """One row of the list: a company and its models, each (name, url or None).

    ``official`` is the 官网 mark (✔ True, ✘ False, no column or empty None); when the
    cell holds a link instead, it is True and ``official_url`` is the link. Non-empty
    cells beyond the header are added to ``notes`` (and their links to ``note_links``).
    """

    line: int
    text: str
    number: str | None
    company: str
    models: list[tuple[str, str | None]]
    place: str | None
    category: str | None
    official: bool | None
    notes: str | None
    note_links: list[tuple[str, str]]
    foreign: bool
    official_url: str | None = None


@dataclass
class LlmList:
    """Every row of every list table, and every row that could not be read."""

    rows: list[ListRow]
    problems: list[Problem] = field(default_factory=list)


def split_models(cell: str) -> list[tuple[str, str | None]]:
    """The (name, url) of each model in a 大模型 cell: split at ``,`` ``，`` ``、`` between
    links and plain names (never inside a link's text), names cleaned.

    >>> split_models("[LLaMA](https://l.com),[LLaMA-2](https://h.co/m), CodeLLaMA")
    [('LLaMA', 'https://l.com'), ('LLaMA-2', 'https://h.co/m'), ('CodeLLaMA', None)]
    >>> split_models("[流萤](https://g.com/f)系列"), split_models("[无涯、求索](https://w.cn)"), split_models(" ")
    ([('流萤系列', 'https://g.com/f')], [('无涯、求索', 'https://w.cn')], [])
    """
    out: list[tuple[str, str | None]] = []
    for piece in split_outside(cell, MODEL_SEPARATORS):
        name = clean(piece)
        if name:
            found = links(piece)
            out.append((name, found[0][1] if found else None))
    return out


def official_mark(cell: str | None) -> tuple[bool | None, str | None, bool]:
    """(official, url, understood) for a 官网 cell.

    >>> official_mark("✔"), official_mark("\\u200b✘ "), official_mark(None), official_mark("")
    ((True, None, True), (False, None, True), (None, None, True), (None, None, True))
    >>> official_mark("[Moonshot AI](https://www.moonshot.cn/)"), official_mark("待定")
    ((True, 'https://www.moonshot.cn/', True), (None, None, False))
    """
    if cell is None:
        return None, None, True
    text = clean(cell)
    if not text:
        return None, None, True
    found = links(cell)
    if found:
        return True, found[0][1], True
    if text.casefold() in YES:
        return True, None, True
    if text.casefold() in NO:
        return False, None, True
    return None, None, False


def _text(row: Row, table: Table, names: tuple[str, ...]) -> str | None:
    i = table.index(*names)
    if i is None or i >= len(row.cells):
        return None
    return clean(row.cells[i]) or None


def read_row(table: Table, row: Row, foreign: bool, problems: list[Problem]) -> ListRow | None:
    """One row of a list table, or None (and a problem) when it has no company or no model."""
    company = _text(row, table, COMPANY)
    models = split_models(row.get(table, *MODELS) or "")
    if not company or not models:
        missing = " and ".join(n for n, ok in (("company (公司)", company), ("model (大模型)", models)) if not ok)
        problems.append(Problem(row.line, f"no {missing}: {len(row.cells)} cells under "
                                          f"{len(table.header)} headers", row.text))
        return None
    official_cell = row.get(table, *OFFICIAL)
    official, official_url, understood = official_mark(official_cell)
    if not understood:
        problems.append(Problem(row.line, f"官网 cell {official_cell!r} is neither ✔ nor ✘ nor a link; "
                                          "the row is read without it", row.text, kept=True))
    notes_raw = [row.get(table, *NOTES) or ""]
    notes_raw += [c for c in row.cells[len(table.header):] if c.strip()]
    notes = " ".join(t for t in (clean(c) for c in notes_raw) if t) or None
    note_links = [link for c in notes_raw for link in links(c)]
    return ListRow(row.line, row.text, _text(row, table, NUMBER), company, models,
                   _text(row, table, PLACE), _text(row, table, CATEGORY), official, notes,
                   note_links, foreign, official_url)


def is_list_table(table: Table) -> bool:
    """A table of the list: it has a 公司 and a 大模型 column."""
    return table.index(*COMPANY) is not None and table.index(*MODELS) is not None


def is_foreign(table: Table) -> bool:
    """A table of foreign models: its heading says so (国外大模型)."""
    heading = (table.heading or "").casefold()
    return any(word in heading for word in FOREIGN)


def parse_llm_list(text: str, source: str | None = None) -> LlmList:
    """Every row of the list tables of an awesome-LLMs-In-China README.

    Raises LoaderError when no table has a 公司 and a 大模型 column.
    """
    found = [t for t in tables(text) if is_list_table(t)]
    if not found:
        raise LoaderError("no list of models: no table with a 公司 and a 大模型 column", source)
    result = LlmList([])
    for table in found:
        foreign = is_foreign(table)
        for row in table.rows:
            read = read_row(table, row, foreign, result.problems)
            if read is not None:
                result.rows.append(read)
    result.problems.sort(key=lambda p: p.line)
    return result


__all__ = ["ListRow", "LlmList", "is_foreign", "is_list_table", "official_mark", "parse_llm_list",
           "read_row", "split_models"]
