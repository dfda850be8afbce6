"""The SuperCLUE boards and the 中国大模型列表 as shipped under data/sources, and older layouts.

Expectations are derived from the files themselves with a plain line scan (not with the
parsers under test): how many body lines a table has, what its cells say.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecokg.loaders.llmlist import parse_llm_list
from ecokg.loaders.markdown import clean, links, split_row, tables
from ecokg.loaders.superclue import parse_superclue
from ecokg.ontology.errors import LoaderError

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
SUPERCLUE = sorted((SOURCES / "superclue").glob("superclue-*.md"))
LLM_LIST = SOURCES / "llm-list" / "awesome-llms-in-china-2024-11-30.md"
MEDALS = {"🏅": 1, "🥇": 1, "🥈": 2, "🥉": 3}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def scan(text: str) -> list[tuple[str, list[str], list[tuple[int, str]]]]:
    """(heading, naive header cells, [(line number, line)] of the body) of each table, by a
    plain line scan: a heading is a line starting with '#', a table starts at a line with
    '|' followed by a line of only '|', ':', '-' and spaces, and runs to a blank line."""
    lines = text.splitlines()
    out = []
    heading = ""
    i = 0
    while i < len(lines):
        if lines[i].startswith("#"):
            heading = lines[i].lstrip("#").strip()
        elif "|" in lines[i] and i + 1 < len(lines) and re.fullmatch(r"[|:\- ]*-[|:\- ]*", lines[i + 1].strip()):
            header = [c.strip() for c in lines[i].strip().strip("|").split("|")]
            body = []
            i += 2
            while i < len(lines) and lines[i].strip():
                body.append((i + 1, lines[i]))
                i += 1
            out.append((heading, header, body))
            continue
        i += 1
    return out


def naive_cells(line: str) -> list[str]:
    """The cells of a line split at every '|' (fine for cells without links holding '|')."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def month(path: Path) -> str:
    m = re.search(r"(\d{4}-\d{2})", path.name)
    assert m
    return m.group(1)


def test_the_shipped_copies_are_there() -> None:
    assert len(SUPERCLUE) == 3 and LLM_LIST.exists()
    assert (SOURCES / "SOURCES.md").exists() and (SOURCES / "llm-list" / "LICENSE").exists()


# --- SuperCLUE ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SUPERCLUE, ids=lambda p: p.stem)
def test_every_body_line_is_a_row_or_a_problem(path: Path) -> None:
    text = read(path)
    sc = parse_superclue(text)
    expected = sorted(n for _, header, body in scan(text) if {"模型", "模型名称"} & set(header) for n, _ in body)
    got = sorted([r.line for b in sc.boards for r in b.rows] + [p.line for p in sc.problems if not p.kept])
    assert got == expected
    assert sc.problems == []  # the shipped boards read cleanly


@pytest.mark.parametrize("path", SUPERCLUE, ids=lambda p: p.stem)
def test_the_overall_board(path: Path) -> None:
    text = read(path)
    sc = parse_superclue(text)
    scanned = [(h, header, body) for h, header, body in scan(text) if "总排行榜" in h]
    overall = [b for b in sc.boards if b.board == "overall"]
    assert len(overall) == len(scanned) == 1
    board, (heading, header, body) = overall[0], scanned[0]
    assert board.date == month(path) and board.heading == heading
    assert len(board.rows) == len(body)
    for row, (line, raw) in zip(board.rows, body):
        cells = naive_cells(raw)
        assert row.line == line and row.model and row.org
        written = cells[3].replace("**", "")
        assert row.score_text["总分"] == written and row.scores["总分"] == float(written)
        assert {"OPEN", "OPT"} <= set(row.scores)
        mark = cells[0].replace("\ufe0f", "")
        if mark in MEDALS:
            assert row.rank == MEDALS[mark]
        elif mark == "-":
            assert row.rank is None
        else:
            assert row.rank == int(mark)
    assert {r.rank for r in board.rows if r.rank is not None and r.rank <= 3} == {1, 2, 3}


@pytest.mark.parametrize("path", SUPERCLUE, ids=lambda p: p.stem)
def test_boards_are_named_dated_and_scored_as_written(path: Path) -> None:
    text = read(path)
    sc = parse_superclue(text)
    assert {"overall", "open", "opt", "abilities", "open-source"} <= {b.board for b in sc.boards}
    assert {b.date for b in sc.boards} == {month(path)}
    for board in sc.boards:
        if board.board == "open":
            assert board.measures[0] == "OPEN"
        if board.board == "opt":
            assert board.measures[0] == "OPT"
        has_org = "机构" in board.columns
        for row in board.rows:
            assert (row.org is not None) == has_org
            cells = [c.replace("**", "") for c in naive_cells(row.text)]
            assert set(row.score_text.values()) <= set(cells)
            assert all(float(row.score_text[m]) == row.scores[m] for m in row.scores)
            assert len(row.scores) == len(board.measures)


def test_exact_numbers_and_slugs() -> None:
    sc = parse_superclue(read(SOURCES / "superclue" / "superclue-2023-09.md"))
    opt = next(b for b in sc.boards if b.board == "opt")
    written = {r.model: r.score_text["OPT"] for r in opt.rows}
    assert written["通义千问(v1.0.7)"] == "72" and written["Claude2"] == "66.6"
    assert "语言理解与生成" in {b.board for b in sc.boards}


AUGUST = """\
### SuperCLUE总排行榜（2023年8月）

| 排名  | 模型                          | 机构          | 总分    | OPEN<br>多轮开放问题 | OPT<br>三大能力客观题 |
|:---:| :-----------------------:| :--------------------: | :---------------------:| :------: | :-----: |
| -   | [GPT-4 ↗](https://openai.com/)        | OpenAI      | 81.03 | 86.04      | 76.02      |
| 🏅️  | [ChatGLM2-Pro](https://chatglm.cn)  | 清华&智谱AI   | 60.02 | 60.55      | 59.49      |
| 🥈   | [MiniMax-abab5 ↗](https://api.minimax.chat/)  | MiniMax     | 55.70 | 47.95      | 63.44      |
| 4   | [Mengzi↗](https://www.langboat.com/portal/mengzi-gpt) | 澜舟科技 | 52.27 | 46.20 | 58.34 |

### SuperCLUE-OPEN多轮开放问题排行榜（2023年8月）
| 排名 | 模型 | 机构 | 总分 | 胜率 | 负率 |
| :---: | :---: | :---: | :---: | :---: | :---: |
| - | GPT-4 | OpenAI | 86.04 | 50.19% | 13.96% |
| 🥉 | MiniMax-abab5 | MiniMax | 47.95 | 14.96% | 52.05% |
| 4 | Mengzi | 澜舟科技 | 46.20 | n/a | 53.80% |

### SuperCLUE十大基础能力排行榜（2023年8月）

| 排名  |          模型           |  分数  |   语言<br>理解    |  闲聊   |
| :-: | :-------------------: | :---: | :----------: | :---: |
|  -  |         GPT4          | 82.98 |    91.30     | 90.55 |
"""


def test_an_august_2023_layout() -> None:
    sc = parse_superclue(AUGUST)
    overall, open_board, abilities = sc.boards
    assert [r.model for r in overall.rows] == ["GPT-4", "ChatGLM2-Pro", "MiniMax-abab5", "Mengzi"]
    assert overall.rows[1].model_url == "https://chatglm.cn" and overall.rows[1].org == "清华&智谱AI"
    assert [r.rank for r in overall.rows] == [None, 1, 2, 4]
    assert overall.measures == ["总分", "OPEN", "OPT"] and overall.rows[0].access is None
    assert open_board.board == "open" and open_board.measures == ["总分", "胜率", "负率"]
    assert open_board.rows[0].score_text["胜率"] == "50.19%" and open_board.rows[0].scores["胜率"] == 50.19
    # "n/a" is not a number: the row is a problem at its own line, the others are read
    bad_line = AUGUST.splitlines().index("| 4 | Mengzi | 澜舟科技 | 46.20 | n/a | 53.80% |") + 1
    assert [r.model for r in open_board.rows] == ["GPT-4", "MiniMax-abab5"]
    assert [(p.line, p.kept) for p in sc.problems] == [(bad_line, False)]
    assert "n/a" in sc.problems[0].message and sc.problems[0].text.startswith("| 4 | Mengzi")
    assert abilities.board == "abilities" and abilities.measures == ["分数", "语言理解", "闲聊"]
    assert abilities.rows[0].org is None and abilities.date == "2023-08"


def test_rows_that_cannot_be_reconciled_are_problems() -> None:
    text = ("## SuperCLUE总排行榜\n| 排名 | 模型 | 机构 | 总分 |\n|---|---|---|---|\n"
            "| 1 | A | a | 50 | | |\n"        # empty extra cells: fine
            "| 2 | B | b | 40 | 7 |\n"         # a non-empty extra cell
            "| 3 | C | c |\n"                  # the score is missing
            "| 4 |  | d | 30 |\n"              # no model
            "| ? | E | e | 20 |\n")            # a rank it cannot read: kept, without a rank
    sc = parse_superclue(text)
    assert [(r.model, r.rank) for r in sc.boards[0].rows] == [("A", 1), ("E", None)]
    assert [(p.line, p.kept) for p in sc.problems] == [(5, False), (6, False), (7, False), (8, True)]
    assert sc.boards[0].date is None


def test_text_columns_are_kept_apart_from_scores() -> None:
    text = ("| 模型名称 | 分数 | 类型 | 胜率 |\n|---|---|---|---|\n"
            "| <a href=\"x\"></a> A | 1 | 闭源 | - |\n| B | 2.50 | 开源 | 40% |\n")
    board = parse_superclue(text).boards[0]
    assert board.measures == ["分数", "胜率"] and board.board == "board"
    assert [(r.model, r.score_text, r.extra) for r in board.rows] == [
        ("A", {"分数": "1"}, {"类型": "闭源"}), ("B", {"分数": "2.50", "胜率": "40%"}, {"类型": "开源"})]


def test_a_file_without_a_board_is_an_error() -> None:
    with pytest.raises(LoaderError, match="no SuperCLUE board"):
        parse_superclue("# SuperCLUE\n\n| 任务 | 分数 |\n|---|---|\n| a | 1 |\n", source="x.md")


# --- 中国大模型列表 ---------------------------------------------------------------------------


def list_tables() -> list[tuple[str, list[str], list[tuple[int, str]]]]:
    return [t for t in scan(read(LLM_LIST)) if "公司" in t[1] and "大模型" in t[1]]


def test_every_list_line_is_a_row_or_a_problem() -> None:
    result = parse_llm_list(read(LLM_LIST))
    expected = sorted(n for _, _, body in list_tables() for n, _ in body)
    got = sorted([r.line for r in result.rows] + [p.line for p in result.problems if not p.kept])
    assert got == expected


def test_the_main_list() -> None:
    result = parse_llm_list(read(LLM_LIST))
    heading, header, body = next(t for t in list_tables() if "国外" not in t[0])
    rows = {r.line: r for r in result.rows if not r.foreign}
    assert len(rows) == len(body)
    full = [r for r in rows.values() if r.company and r.models and r.place]
    assert len(full) >= 0.95 * len(body)
    official = header.index("官网")
    for line, raw in body:
        row = rows[line]
        cells = naive_cells(raw)
        assert row.number == cells[header.index("序号")]
        assert row.company == clean(cells[header.index("公司")])
        assert row.category == (clean(cells[header.index("类别")]) or None)
        mark = cells[official]
        assert row.official is (True if "✔" in mark or links(mark) else False if "✘" in mark else None)
        if len(cells) > len(header):  # a cell too many (序号 244): kept in the notes
            extra = [c for c in cells[len(header):] if c]
            assert extra and all(clean(c) in (row.notes or "") for c in extra)
            assert all(link in row.note_links for c in extra for link in links(c))


def test_models_keep_their_links() -> None:
    result = parse_llm_list(read(LLM_LIST))
    by_company = {r.company: r for r in result.rows}
    for row in result.rows:
        cell = naive_cells(row.text)[2 if not row.foreign else 1]
        assert {url for _, url in row.models if url} == {url for _, url in links(cell)}
    meta = by_company["Meta"]
    assert meta.foreign and [n for n, _ in meta.models] == ["LLaMA", "LLaMA-2", "CodeLLaMA"]
    assert meta.models[-1][1] is None


def test_the_foreign_list() -> None:
    result = parse_llm_list(read(LLM_LIST))
    _, header, body = next(t for t in list_tables() if "国外" in t[0])
    foreign = [r for r in result.rows if r.foreign]
    assert [r.line for r in foreign] == [n for n, _ in body]
    assert all(r.place is None and r.category is None and r.official is None for r in foreign)
    assert [r.company for r in foreign] == [clean(naive_cells(raw)[header.index("公司")]) for _, raw in body]


OLD_LIST = """\
## 大模型列表

|公司|序号|说明|大模型|省市|
|---|---|---|---|---|
|百度|1|有APP|[文心一言](https://yiyan.baidu.com)|北京|
|智谱华章|2||[清言](https://chatglm.cn/)，[ChatGLM-6B](https://github.com/THUDM/ChatGLM-6B)|北京|
||3|没有公司|某模型|上海|
|某公司|4|没有模型| |上海|

## 国外大模型

|大模型|公司|
|:-|:-|
|[Claude](https://claude.ai/)|Anthropic|
"""


def test_an_older_list_layout() -> None:
    result = parse_llm_list(OLD_LIST)
    main = [r for r in result.rows if not r.foreign]
    assert [(r.number, r.company, r.place, r.category, r.official) for r in main] == [
        ("1", "百度", "北京", None, None), ("2", "智谱华章", "北京", None, None)]
    assert main[1].models == [("清言", "https://chatglm.cn/"), ("ChatGLM-6B", "https://github.com/THUDM/ChatGLM-6B")]
    assert main[0].notes == "有APP" and main[1].notes is None
    lines = OLD_LIST.splitlines()
    assert [p.line for p in result.problems] == [lines.index("||3|没有公司|某模型|上海|") + 1,
                                                 lines.index("|某公司|4|没有模型| |上海|") + 1]
    assert "company" in result.problems[0].message and "model" in result.problems[1].message
    [claude] = [r for r in result.rows if r.foreign]
    assert claude.company == "Anthropic" and claude.models == [("Claude", "https://claude.ai/")] and claude.notes is None


def test_a_file_without_a_list_is_an_error() -> None:
    with pytest.raises(LoaderError, match="公司"):
        parse_llm_list(read(SUPERCLUE[0]))


# --- markdown -------------------------------------------------------------------------------


def test_tables_find_their_heading_and_split_cells_outside_links() -> None:
    text = ("Title\n=====\n\n```\n| not | a |\n|---|---|\n```\n"
            "a | [b|c](https://x.org/a_(b)) | `d|e`\n:-|-|-\n1|2|3\n\n| no delimiter |\n| x |\n")
    [t] = tables(text)
    assert (t.heading, t.heading_line, t.header_line) == ("Title", 1, 8)
    assert t.header == ["a", "b|c", "`d|e`"] and t.rows[0].cells == ["1", "2", "3"]
    assert links(split_row(text.splitlines()[7])[1]) == [("b|c", "https://x.org/a_(b)")]
