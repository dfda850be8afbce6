"""SuperCLUE leaderboards (the tables of the CLUEbenchmark/SuperCLUE README) -> boards of rows.

Pure reading, no graph: every table with a model column (模型 / 模型名称) is a board, named
by its heading; every body row becomes a :class:`BoardRow` or a
:class:`~ecokg.loaders.markdown.Problem`. Columns are found by header name, since they
change from month to month; every column that is not rank, model, organisation or access
and holds numbers is a score, named by its measure (:func:`measure`).

>>> sc = parse_superclue('''### SuperCLUE总排行榜（2023年8月）
... | 排名 | 模型 | 机构 | 总分 | OPEN<br>多轮开放问题 |
... |:-:|:-:|:-:|:-:|:-:|
... | 🏅️ | [Baichuan-13B-Chat(V2) ↗](https://huggingface.co/baichuan-inc) | 百川智能 | 60.02 | 60.55 |
... | - | GPT-4 | OpenAI | 81 | **86.04** |''')
>>> [(b.board, b.date, b.measures) for b in sc.boards]
[('overall', '2023-08', ['总分', 'OPEN'])]
>>> [(r.rank, r.model, r.model_url, r.org, r.score_text) for r in sc.boards[0].rows]  # doctest: +NORMALIZE_WHITESPACE
[(1, 'Baichuan-13B-Chat(V2)', 'https://huggingface.co/baichuan-inc', '百川智能', {'总分': '60.02', 'OPEN': '60.55'}),
 (None, 'GPT-4', None, 'OpenAI', {'总分': '81', 'OPEN': '86.04'})]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ecokg.loaders.markdown import Problem, Row, Table, clean, links, tables
from ecokg.ontology.errors import LoaderError

RANK = ("排名", "名次", "排行")
MODEL = ("模型", "模型名称", "模型名")
ORG = ("机构", "机构名称", "公司", "厂商")
ACCESS = ("使用", "许可", "使用方式", "开源/闭源")

MEDALS = {"🏅": 1, "🥇": 1, "🥈": 2, "🥉": 3}
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?$")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_DATE_PART = re.compile(r"[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月[^）)]*[）)]")
_LATIN_LEAD = re.compile(r"^\s*([A-Z]{3,})\s*(?:\x00|(?=[\u3400-\u9fff]))")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_NOT_SLUG = re.compile(r"[^\w\u3400-\u9fff]+")


@dataclass
class BoardRow:
    """One model's row on a board. ``scores`` by measure; ``score_text`` the same numbers
    exactly as written (``"72"``, ``"66.60"``, ``"50.19%"``); ``extra`` other text cells."""

    line: int
    text: str
    model: str
    model_url: str | None
    org: str | None
    rank: int | None
    scores: dict[str, float]
    access: str | None
    score_text: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Board:
    """One leaderboard table. ``board`` is a stable id (``overall``, ``open``, ``opt``,
    ``abilities``, ``open-source``, else a slug of the heading); ``date`` is ``YYYY-MM``;
    ``columns`` the cleaned headers; ``measures`` the score names, in column order (the
    first is the board's headline score)."""

    heading: str | None
    heading_line: int | None
    board: str
    date: str | None
    columns: list[str]
    rows: list[BoardRow]
    measures: list[str] = field(default_factory=list)


@dataclass
class SuperClue:
    """Every board of a file, and every row that could not be read."""

    boards: list[Board]
    problems: list[Problem]


def board_id(heading: str | None) -> str:
    """The stable id of a board from its heading.

    >>> board_id("SuperCLUE总排行榜（2023年11月）"), board_id("SuperCLUE-OPEN多轮开放问题排行榜（2023年9月）")
    ('overall', 'open')
    >>> board_id("SuperCLUE-OPT三大能力客观题排行榜"), board_id("SuperCLUE十大基础能力排行榜（2023年10月）")
    ('opt', 'abilities')
    >>> board_id("SuperCLUE中文大模型开源排行榜（2023年8月）"), board_id("SuperCLUE语言理解与生成排行榜（2023年9月）")
    ('open-source', '语言理解与生成')
    >>> board_id("SuperCLUE-Agent智能体能力排行榜（2023年9月）"), board_id(None)
    ('agent智能体能力', 'board')
    """
    name = _DATE_PART.sub("", heading or "").replace("SuperCLUE", "")
    if "总排行榜" in name:
        return "overall"
    if "开源" in name:
        return "open-source"
    if re.search(r"(?<![A-Za-z])OPEN(?![A-Za-z])", name):
        return "open"
    if re.search(r"(?<![A-Za-z])OPT(?![A-Za-z])", name):
        return "opt"
    if "十大基础能力" in name:
        return "abilities"
    name = name.replace("排行榜", "")
    return _NOT_SLUG.sub("-", name.lower()).strip("-_") or "board"


def board_date(heading: str | None) -> str | None:
    """``YYYY-MM`` from a heading's ``（2023年9月）``, else None.

    >>> board_date("SuperCLUE总排行榜（2023年9月）"), board_date("8月榜单")
    ('2023-09', None)
    """
    m = _DATE.search(heading or "")
    return f"{m.group(1)}-{int(m.group(2)):02d}" if m else None


def rank_of(cell: str) -> int | None:
    """The rank a cell states: digits, or a medal (🏅 🥇 1, 🥈 2, 🥉 3); None for ``-``
    or empty. Raises ValueError for anything else.

    >>> [rank_of(c) for c in ("12", "🏅️", "🥈", " 🥉\\t", "-", "")]
    [12, 1, 2, 3, None, None]
    """
    text = clean(cell)
    if text in ("", "-", "—", "–", "/"):
        return None
    if text.isdigit():
        return int(text)
    if text in MEDALS:
        return MEDALS[text]
    raise ValueError(f"not a rank: {cell!r}")


def number(cell: str) -> str | None:
    """A score cell's number as written (bold and spaces removed, digits folded), None for
    an empty cell or ``-``; raises ValueError when it is not a number.

    >>> number(" **66.78** "), number("72"), number("50.19%"), number("-"), number("")
    ('66.78', '72', '50.19%', None, None)
    """
    text = unicodedata.normalize("NFKC", clean(cell)).replace(" ", "")
    if text in ("", "-", "—", "–", "/"):
        return None
    if _NUMBER.match(text):
        return text
    raise ValueError(f"not a number: {cell!r}")


def measure(raw_header: str) -> str:
    """The measure a score column holds: its cleaned header, except that a header which
    starts with a Latin word (OPEN, OPT) before ``<br>`` or Chinese is that word.

    >>> measure("OPEN<br/>总分"), measure("OPT<br/>分数"), measure("OPEN分数"), measure("OPEN多轮开放问题")
    ('OPEN', 'OPT', 'OPEN', 'OPEN')
    >>> measure("总分"), measure("逻辑<br/>推理"), measure("AI智能体"), measure("AI Agent")
    ('总分', '逻辑推理', 'AI智能体', 'AI Agent')
    """
    m = _LATIN_LEAD.match(_marked(raw_header))
    return m.group(1) if m else clean(raw_header)


def _marked(raw_header: str) -> str:
    """The cleaned header with each ``<br>`` kept as a NUL mark."""
    return clean(_BR.sub("\x00", raw_header))


def _is_score_column(table: Table, i: int) -> bool:
    """A column holds scores when its header says so (分, OPEN, OPT) or any of its cells is a
    number; then a cell that is not a number makes its row a problem, never a silent gap."""
    if "分" in table.header[i] or _LATIN_LEAD.match(_marked(table.raw_header[i])):
        return True
    for row in table.rows:
        try:
            if i < len(row.cells) and number(row.cells[i]) is not None:
                return True
        except ValueError:
            pass
    return False


def _measures(table: Table, columns: list[int]) -> list[str]:
    names: list[str] = []
    for i in columns:
        name = measure(table.raw_header[i])
        if name in names:
            name = table.header[i]
        while name in names:
            name += "'"
        names.append(name)
    return names


def read_board(table: Table, problems: list[Problem]) -> Board:
    """One board from a table with a model column; unreadable rows go to ``problems``."""
    model_i = table.index(*MODEL)
    assert model_i is not None
    rank_i, org_i, access_i = table.index(*RANK), table.index(*ORG), table.index(*ACCESS)
    known = {model_i, rank_i, org_i, access_i} - {None}
    others = [i for i in range(len(table.header)) if i not in known]
    score_cols = [i for i in others if _is_score_column(table, i)]
    text_cols = [i for i in others if i not in score_cols]
    names = _measures(table, score_cols)
    needed = max([model_i, *score_cols], default=model_i)
    board = Board(table.heading, table.heading_line, board_id(table.heading), board_date(table.heading),
                  list(table.header), [], names)
    for row in table.rows:
        try:
            board.rows.append(_read_row(table, row, model_i, rank_i, org_i, access_i,
                                        score_cols, names, text_cols, needed, problems))
        except ValueError as e:
            problems.append(Problem(row.line, f"{board.board} board: {e}", row.text))
    return board


def _cell(row: Row, i: int | None) -> str | None:
    if i is None or i >= len(row.cells):
        return None
    return clean(row.cells[i]) or None


def _read_row(table: Table, row: Row, model_i: int, rank_i: int | None, org_i: int | None,
              access_i: int | None, score_cols: list[int], names: list[str], text_cols: list[int],
              needed: int, problems: list[Problem]) -> BoardRow:
    width = len(table.header)
    extra_cells = [c for c in row.cells[width:] if c.strip()]
    if extra_cells:
        raise ValueError(f"{len(row.cells)} cells under {width} headers, the extra ones not empty")
    if len(row.cells) <= needed:
        raise ValueError(f"{len(row.cells)} cells under {width} headers: the model or a score is missing")
    model = _cell(row, model_i)
    if not model:
        raise ValueError("no model name")
    model_links = links(row.cells[model_i])
    rank: int | None = None
    rank_problem: Problem | None = None
    if rank_i is not None and rank_i < len(row.cells):
        try:
            rank = rank_of(row.cells[rank_i])
        except ValueError as e:
            rank_problem = Problem(row.line, f"{e}; the row is read without a rank", row.text, kept=True)
    scores: dict[str, float] = {}
    written: dict[str, str] = {}
    for i, name in zip(score_cols, names):
        try:
            value = number(row.cells[i])
        except ValueError as e:
            raise ValueError(f"{table.header[i]}: {e}") from None
        if value is not None:
            written[name] = value
            scores[name] = float(value.rstrip("%"))
    extra = {table.header[i]: v for i in text_cols if (v := _cell(row, i))}
    if rank_problem:
        problems.append(rank_problem)
    return BoardRow(row.line, row.text, model, model_links[0][1] if model_links else None,
                    _cell(row, org_i), rank, scores, _cell(row, access_i), written, extra)


def parse_superclue(text: str, source: str | None = None) -> SuperClue:
    """Every board of a SuperCLUE README (or an excerpt of its tables).

    Raises LoaderError when no table has a model column (模型 / 模型名称).
    """
    boards: list[Board] = []
    problems: list[Problem] = []
    for table in tables(text):
        if table.index(*MODEL) is not None:
            boards.append(read_board(table, problems))
    if not boards:
        raise LoaderError("no SuperCLUE board: no table with a 模型 (model) column", source)
    problems.sort(key=lambda p: p.line)
    return SuperClue(boards, problems)


__all__ = ["Board", "BoardRow", "SuperClue", "board_date", "board_id", "measure", "number",
           "parse_superclue", "rank_of"]
