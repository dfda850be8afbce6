"""Untrusted text and deal data (issue 14, cases 8, 15 and 17): every input gives a graph or one
clear LoaderError, in time linear in its size; deal rows are checked, their names cleaned.

The fuzzing here is a short run of ``bench/fuzz_parser.py`` (the long run: ``--minutes 10``).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecokg.errors import LoaderError
from ecokg.loaders import read_source
from ecokg.loaders.base import MAX_SOURCE_ENV, MAX_SOURCE_MB
from ecokg.loaders.bluebook.parse import parse_bluebook
from ecokg.loaders.deals import FIELD_MAX, read_deals

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import fuzz_parser  # noqa: E402

FUZZ_SECONDS = float(os.environ.get("ECOKG_FUZZ_SECONDS", "12"))


def _write(tmp_path: Path, text: str, name: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _graph_or_loader_error(kind: str, path: Path, curated) -> str:
    """Read ``path``; 'graph' or 'refused: <message>' (any other exception fails the test)."""
    try:
        read_source(kind, path, curated)
    except LoaderError as e:
        assert "\n" not in str(e).strip(), f"a LoaderError of several lines: {e}"
        return f"refused: {e}"
    return "graph"


# -- case 17: texts that crashed the parser ---------------------------------------------------

CRASH_CLASSES = [
    ("目录 趋势一二:X1", "'一二' is not a numeral"),  # the repro: not a numeral -> ValueError
    ("目录 趋势十十:X1 趋势二:云2 正文", "'十十' is not a numeral"),
    ("专家 、(排名不分先后)张三阿里云总裁", None),  # a heading with no name: empty evidence quote
    ("专家(排名不分先后)张三阿里云总裁\n目录 前言1\n。模型名称 机构 总分 GPT4 OpenAI 90", None),  # a table with no title
    ("目录 前言" + "1" * 5000 + " 正文", None),  # a page number int() refuses (over 4300 digits)
    ("目录 前言1 阿里巴巴投资" + "9" * 5000 + "家云计算公司", None),
    ("目录 前言1 SuperClue 2023年13月 模型名称 机构 总分 GPT4 OpenAI 90 资料来源:x", None),  # month 13
    ("目录 前言1 " + "(以下简称“" * 3000, None),
    ("目录 前言1 " + "《" * 3000 + "文心一言、" * 2000, None),
]


@pytest.mark.parametrize("text,note", CRASH_CLASSES, ids=[f"class{i}" for i in range(len(CRASH_CLASSES))])
def test_crash_classes_give_a_graph_or_a_loader_error(tmp_path, curated, text, note):
    path = _write(tmp_path, text, "book.txt")
    got = _graph_or_loader_error("bluebook", path, curated)
    assert got == "graph" or got.startswith("refused: ")
    if note:
        parse = parse_bluebook(text, curated.gazetteer())
        assert any(note in n for n, _span in parse.notes), parse.notes


def test_repro_on_the_command_line_is_one_clear_line(tmp_path):
    from ecokg.cli import cli

    path = _write(tmp_path, "目录 趋势一二:X1", "c.txt")
    res = CliRunner().invoke(cli, ["build", "--source", str(path), "--out", str(tmp_path / "out")])
    out = res.output + (res.stderr if res.stderr_bytes is not None else "")
    assert "Traceback" not in out and "ValueError" not in out and "internal error" not in out, out
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit), res.exception


def test_a_month_that_does_not_exist_is_not_written(curated):
    text = "目录 前言1 SuperClue 2023年13月 模型名称 机构 总分 GPT4 OpenAI 90 资料来源:x"
    (table,) = parse_bluebook(text, curated.gazetteer()).tables
    assert table.year_month is None and [r.model for r in table.rows] == ["GPT4"]


# -- case 8: linear time, a size limit ------------------------------------------------------------

def _cpu(text: str, gaz) -> float:
    best = float("inf")
    for _ in range(3):  # the least of three: other processes share the machine
        t = time.process_time()
        try:
            parse_bluebook(text, gaz)
        except LoaderError:
            pass
        best = min(best, time.process_time() - t)
    return best


@pytest.mark.parametrize("make,small,factor", [
    # 300 KB without spaces took 121 s before "no expert list" (backtracking in the heading pattern)
    (lambda rng, n: "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n)), 100_000, 10),
    # the same with a table of contents: the narrative's patterns read it all
    (lambda rng, n: "目录 前言1 " + "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n)), 10_000, 10),
    # runs of enumerations, aliases and titles that never close
    (lambda rng, n: "目录 前言1 " + ("文心一言、通义千问、" * n)[:n] + "(以下简称“" * 50, 10_000, 10),
], ids=["no-spaces", "no-spaces-with-toc", "open-forms"])
def test_parse_time_grows_linearly(curated, make, small, factor):
    """Time per character at 10x the size stays near the small input's (quadratic: 10x)."""
    rng = random.Random(8)
    gaz = curated.gazetteer()
    parse_bluebook("目录 前言1 热身", gaz)  # warm up (the word list loads once)
    t_small = _cpu(make(rng, small), gaz)
    t_big = _cpu(make(rng, small * factor), gaz)
    ratio = (t_big / factor) / max(t_small, 1e-3)
    assert ratio < 3, f"time per character grew {ratio:.1f}x from {small:,} to {small * factor:,} characters"


def test_an_oversized_source_is_refused_at_once(tmp_path, curated, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # a sparse 50 MB file: refused before it is read
        f.truncate(50_000_000)
    monkeypatch.delenv(MAX_SOURCE_ENV, raising=False)
    for kind in ("bluebook", "superclue", "llm-list", "deals"):
        t = time.monotonic()
        with pytest.raises(LoaderError, match=rf"50\.0 MB.*limit of {MAX_SOURCE_MB:g} MB.*{MAX_SOURCE_ENV}"):
            read_source(kind, big, curated)
        assert time.monotonic() - t < 1.0


def test_the_size_limit_is_set_by_the_environment(tmp_path, curated, monkeypatch):
    path = _write(tmp_path, "专家(排名不分先后)张三阿里云总裁 " * 100, "book.txt")  # about 5 KB
    size = path.stat().st_size
    monkeypatch.setenv(MAX_SOURCE_ENV, str(size / 2 / 1e6))
    with pytest.raises(LoaderError, match="larger than the limit"):
        read_source("bluebook", path, curated)
    monkeypatch.setenv(MAX_SOURCE_ENV, str(size * 2 / 1e6))
    assert read_source("bluebook", path, curated).of_class("Person")
    monkeypatch.setenv(MAX_SOURCE_ENV, "lots")
    with pytest.raises(LoaderError, match="not a positive number"):
        read_source("bluebook", path, curated)


def test_a_long_list_is_read_in_part_and_noted(curated, monkeypatch):
    import ecokg.loaders.bluebook.parse as parse_module

    LIST_MAX = 2_000  # the default (scan.LIST_MAX) takes seconds to read
    monkeypatch.setattr(parse_module, "LIST_MAX", LIST_MAX)
    entry = "张三阿里云总裁 "
    text = "专家(排名不分先后)" + entry * (2 * LIST_MAX // len(entry))
    parse = parse_bluebook(text, curated.gazetteer())
    assert parse.lists[0].entries and all(e.span[1] <= 10 + LIST_MAX for e in parse.lists[0].entries)
    assert any("read for its first" in n for n, _ in parse.notes)


# -- case 15: deal data -------------------------------------------------------------------------------

DEAL_DEFECTS = [
    ("investor,company,date\n阿里巴巴,月之暗面,2024-02-01\n阿里巴巴,百川智能,2024-13-45\n", "not a real day", 3),
    ("investor,company,date\n阿里巴巴,月之暗面,2023-02-29\n", "not a real day", 2),
    ("investor,company\n阿里巴巴,月之暗面\n腾讯,百川智能,A轮,extra\n", "the row has 4 fields, the header 2", 3),
    ("investor,company,source\n阿里巴巴,月之暗面," + "x" * 150_000 + "\n", "not valid CSV", 2),
    ("investor,company,source\n阿里巴巴,月之暗面," + "x" * (FIELD_MAX + 1) + "\n", f"more than {FIELD_MAX}", 2),
    ("investor,company\n\u200b\u200d,月之暗面\n", "investor is empty", 2),
]


@pytest.mark.parametrize("body,message,line", DEAL_DEFECTS, ids=[f"defect{i}" for i in range(len(DEAL_DEFECTS))])
def test_deal_defects_are_reported_with_their_line(tmp_path, curated, body, message, line):
    path = _write(tmp_path, body, "deals.csv")
    with pytest.raises(LoaderError, match=message) as err:
        read_deals(path, curated)
    assert err.value.line == line and str(path) in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("rows,message", [
    ([{"investor": "阿里巴巴", "company": "月之暗面"}, {"investor": {"name": "腾讯"}, "company": "百川智能"}],
     "row 2: 'investor' is an object"),
    ([{"investor": "阿里巴巴", "company": ["月之暗面", "百川智能"]}], "row 1: 'company' is a list"),
    ([{"investor": "阿里巴巴", "company": "月之暗面", "round": True}], "row 1: 'round' is bool"),
    (["阿里巴巴"], "row 1 is not a JSON object"),
])
def test_nested_json_values_are_refused_with_the_row(tmp_path, curated, rows, message):
    path = _write(tmp_path, json.dumps(rows, ensure_ascii=False), "deals.json")
    with pytest.raises(LoaderError, match=message):
        read_deals(path, curated)


def test_deeply_nested_json_is_refused(tmp_path, curated):
    path = _write(tmp_path, "[" * 200_000 + "]" * 200_000, "deals.json")
    with pytest.raises(LoaderError, match="not valid JSON"):
        read_deals(path, curated)


def test_invisible_characters_do_not_make_a_second_organisation(tmp_path, curated):
    written = ["腾\u200b讯", "腾讯", "\ufeff腾讯\u200d", "腾讯\x07", "腾\x00讯", "腾讯\u2028"]
    body = "investor,company\n" + "".join(f"{w},{c}\n" for w, c in zip(written, ["月之暗面", "百川智能", "智谱AI",
                                                                                    "MiniMax", "零一万物", "阶跃星辰"]))
    kg = read_deals(_write(tmp_path, body, "deals.csv"), curated)
    investors = {e.target for inv in kg.of_class("Investment") for e in kg.out_edges(inv.id, "investor")}
    assert len(list(kg.of_class("Investment"))) == len(written) and len(investors) == 1
    assert {kg.nodes[i].props["name"] for i in investors} == {"腾讯"}


def test_invisible_characters_in_a_blue_book_list_are_not_in_names(tmp_path, curated):
    text = "专家(排名不分先后) 张\u200b三 阿里\u200b云总裁 李四 腾讯\ufeff副总裁"
    kg = read_source("bluebook", _write(tmp_path, text, "book.txt"), curated)
    names = {n.props["name"] for n in kg.of_class("Person")} | {n.props["name"] for n in kg.of_class("Organisation")}
    assert not any(ch in name for name in names for ch in "\u200b\ufeff"), names
    assert {"张三", "李四"} <= names


# -- the fuzzing -----------------------------------------------------------------------------------

def test_fuzzed_sources_give_a_graph_or_a_loader_error():
    """Mutated real sources for FUZZ_SECONDS (ECOKG_FUZZ_SECONDS): no crash, time linear in size.

    Rebuild a failing input with ``fuzz_parser.case(fuzz_parser.seeds(), CASE_SEED)``."""
    seed = int(os.environ.get("ECOKG_FUZZ_SEED", random.randrange(2 ** 32)))
    got = fuzz_parser.fuzz(FUZZ_SECONDS, seed, report=lambda m: print(m, file=sys.stderr))
    assert got["tried"] >= 5, f"seed {seed}: only {got['tried']} inputs in {FUZZ_SECONDS} s"
    assert not got["crashes"], f"fuzz seed {seed}: crashes {got['crashes']}"
    # linear-ish: no input costs more than half a second of CPU per KB (the sample takes about 0.1)
    assert got["slowest_s_per_kb"] < 0.5, f"fuzz seed {seed}: slowest input {got['slowest']}"
