"""The public sources in one graph: SuperCLUE boards and the model list, resolved across sources.

Expectations come from the shipped files themselves (parsed here independently of the graph
code where it matters), not from typed-in numbers.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from ecokg.loaders import shipped_sources
from ecokg.loaders.llmlist.parse import parse_llm_list
from ecokg.loaders.resolve import Resolver, fold, near_misses, split_organisations
from ecokg.loaders.superclue.parse import parse_superclue

SUPERCLUE = [p for k, p in shipped_sources() if k == "superclue"]
LLM_LIST = [p for k, p in shipped_sources() if k == "llm-list"]


def _by_name(kg):
    out = {}
    for n in kg.nodes.values():
        if "name" in n.props:
            out.setdefault(n.props["name"], []).append(n)
    return out


def _targets(kg, node_id, prop):
    return [kg.nodes[e.target] for e in kg.out_edges(node_id, prop)]


def test_the_shipped_sources_are_there():
    assert len(SUPERCLUE) >= 3 and len(LLM_LIST) == 1
    note = (Path(SUPERCLUE[0]).parent.parent / "SOURCES.md").read_text(encoding="utf-8")
    assert "superclue" in note and "llm-list" in note


@pytest.mark.parametrize("path", SUPERCLUE, ids=lambda p: p.name)
def test_every_overall_row_is_a_dated_exact_score_with_one_developer(kg, path):
    """Every row of every overall board: the total as printed, the board's month, a developer
    resolved to one organisation; the sub-scores likewise."""
    text = path.read_text(encoding="utf-8")
    results = {}
    for r in kg.of_class("BenchmarkResult"):
        for m in _targets(kg, r.id, "forModel"):
            results[(m.name, r.props.get("assessedIn"), r.props.get("board"), r.props.get("measure"))] = r
    boards = [b for b in parse_superclue(text).boards if b.board == "overall"]
    assert boards
    for board in boards:
        assert board.date
        for row in board.rows:
            quoted = [r for r in kg.of_class("BenchmarkResult")
                      if any(ev.line == row.line and ev.quote == row.text.strip() and path.name in
                             kg.nodes[ev.source].props.get("fileName", "") for ev in r.evidence)]
            assert len(quoted) == len(row.score_text), (row.line, row.text)
            for measure, written in row.score_text.items():
                hit = [r for r in quoted if r.props.get("measure") == measure]
                assert len(hit) == 1, (row.line, measure)
                assert hit[0].props["score"] == Decimal(written.rstrip("%"))
                assert hit[0].props["assessedIn"] == board.date
            model = _targets(kg, quoted[0].id, "forModel")[0]
            devs = [e for e in kg.out_edges(model.id, "developedBy")
                    if any(ev.line == row.line and ev.quote == row.text.strip() for ev in e.evidence)]
            assert len(devs) == 1, (row.line, row.text)


def test_rows_the_parser_cannot_read_are_reported_with_their_line(tmp_path):
    from ecokg.build import make_graph

    bad = tmp_path / "superclue-2099-01.md"
    bad.write_text("### SuperCLUE总排行榜（2099年1月）\n\n| 排名 | 模型 | 机构 | 总分 |\n|:-:|:-:|:-:|:-:|\n"
                   "| 1 | Good-1 | 某某科技 | 70.5 |\n| 2 | Bad-2 | 某某科技 | seventy |\n", encoding="utf-8")
    kg = make_graph([("superclue", bad)])
    assert [r.line for r in kg.review if r.source == bad.name] == [6]
    assert any(n.name == "Good-1" for n in kg.of_class("AIModel"))
    assert not any(n.name == "Bad-2" for n in kg.of_class("AIModel"))


def test_most_list_rows_become_models_with_a_developer_and_a_place(kg):
    parsed = parse_llm_list(LLM_LIST[0].read_text(encoding="utf-8"))
    rows = [r for r in parsed.rows if not r.foreign]
    placed = 0
    for row in rows:
        names = [fold(n.name) for n in kg.of_class("AIModel")]
        ok = False
        for n in kg.of_class("AIModel"):
            devs = [e for e in kg.out_edges(n.id, "developedBy") if any(ev.line == row.line for ev in e.evidence)]
            for e in devs:
                if any(True for _ in kg.out_edges(e.target, "locatedIn")):
                    ok = True
        placed += ok
        assert names
    assert placed / len(rows) >= 0.95, (placed, len(rows))
    # whatever was not read is on the review list with its line
    reviewed = {r.line for r in kg.review if r.source == LLM_LIST[0].name}
    assert {p.line for p in parsed.problems} <= reviewed


def test_zhipu_is_one_developer_with_tsinghua_as_partner(kg):
    names = _by_name(kg)
    for model in ("ChatGLM2-Pro", "清言", "GLM-4"):
        (m,) = names[model]
        devs = {d.name for d in _targets(kg, m.id, "developedBy")}
        assert devs == {"智谱华章"}, (model, devs)
    for model in ("ChatGLM2-Pro", "GLM-4"):  # the sources that write 清华&智谱
        (m,) = names[model]
        assert {p.name for p in _targets(kg, m.id, "partner")} == {"清华大学"}


def test_alibaba_cloud_and_alibaba_stay_two_organisations_linked(kg):
    names = _by_name(kg)
    (cloud,), (group,) = names["阿里云"], names["阿里巴巴"]
    assert cloud.id != group.id
    assert [p.name for p in _targets(kg, cloud.id, "parentOrganisation")] == ["阿里巴巴"]
    for unit in ("火山引擎", "春田知韵"):  # 春田知韵（抖音） in the list: a ByteDance company
        (u,) = names[unit]
        assert [p.name for p in _targets(kg, u.id, "parentOrganisation")] == ["字节跳动"]


def test_versions_belong_to_their_families(kg):
    names = _by_name(kg)
    for version, family in (("Qwen-14B-Chat", "通义千问"), ("通义千问2.0(v1030)", "通义千问"), ("文心一言4.0", "文心一言"),
                            ("ChatGLM3-6B", "GLM"), ("GPT4-Turbo-0125", "GPT")):
        (m,) = names[version]
        assert [f.name for f in _targets(kg, m.id, "inFamily")] == [family], version
        assert "ModelFamily" in kg.nodes[_targets(kg, m.id, "inFamily")[0].id].classes


def test_places_are_cities_within_provinces(kg):
    names = _by_name(kg)
    (hangzhou,) = names["杭州"]
    assert hangzhou.props["placeLevel"] == "city"
    assert [p.name for p in _targets(kg, hangzhou.id, "withinPlace")] == ["浙江"]
    (beijing,) = names["北京"]
    assert beijing.props["placeLevel"] == "province"


def test_uncurated_organisations_get_their_kind_from_their_name_with_that_basis(kg):
    curated = json.dumps([])  # noqa: F841 - the point: these names are in no curated file
    names = _by_name(kg)
    for name, kind in (("东北大学", "ResearchInstitution"), ("中国农业银行", "Bank")):
        (n,) = names[name]
        assert kind in n.classes, (name, n.classes)
        assert any(ev.basis == "name-grammar" and ev.quote == name for ev in n.evidence)


def test_a_unit_named_after_its_university_is_linked_to_it(kg):
    names = _by_name(kg)
    (unit,) = names["北京大学信息工程学院"]
    parents = _targets(kg, unit.id, "parentOrganisation")
    assert [p.name for p in parents] == ["北京大学"]
    edge = next(kg.out_edges(unit.id, "parentOrganisation"))
    assert all(ev.basis == "name-grammar" for ev in edge.evidence)


def test_category_sectors_are_curated_and_say_so(kg):
    edges = [e for e in kg.edges.values() if e.prop == "modelSector"]
    assert edges
    for e in edges:
        assert {ev.basis for ev in e.evidence} == {"curated"}
        category = kg.nodes[e.source].props["category"]
        assert all(ev.quote.startswith(category + ":") for ev in e.evidence)


def test_the_merge_log_and_the_near_misses_are_written(built):
    log = json.loads((built.out_dir / "merges.json").read_text(encoding="utf-8"))
    assert log["counts"]["merged_names"] == len(log["merges"]) > 0
    assert log["counts"]["near_misses"] == len(log["near_misses"])
    merged = {(m["written"], m["into"]) for m in log["merges"]}
    assert ("智谱AI", "智谱华章") in merged and ("Authropic", "Anthropic") in merged and ("VIVO", "vivo") in merged
    for m in log["merges"]:
        assert m["basis"] and m["where"]
    # a unit and its parent are linked, not listed as a near miss and never merged
    pairs = {frozenset((x["a"], x["b"])) for x in log["near_misses"]}
    assert frozenset(("阿里云", "阿里巴巴")) not in pairs
    assert built.summary["resolution"] == log["counts"]


def test_the_resolver_merges_only_on_a_stated_basis():
    r = Resolver({"阿里巴巴": ["阿里"], "阿里云": [], "浙江大学": []}, {"阿里云": "Alibaba Cloud"})
    assert r.org("阿里", "x", 1) == "阿里巴巴"
    assert r.org("阿里云", "x", 2) == "阿里云"  # a unit, not the group
    assert r.org("alibaba cloud", "x", 3) == "阿里云"
    assert r.org("浙江工业大学", "x", 4) == "浙江工业大学"  # a different university
    assert r.org("Acme Labs", "x", 5) == "Acme Labs" and r.org("ACME LABS", "y", 6) == "Acme Labs"
    assert [(m.written, m.basis) for m in r.merges] == [
        ("阿里", "curated alias"), ("alibaba cloud", "curated English name"),
        ("ACME LABS", "same name up to case, width and spacing")]
    assert near_misses(["浙江大学", "浙江工业大学", "智谱", "智谱华章"]) == [
        {"a": "智谱", "b": "智谱华章", "why": "one name contains the other"}]


def test_cells_naming_several_organisations_are_split():
    assert split_organisations("晓多科技+国家超算成都中心") == ["晓多科技", "国家超算成都中心"]
    assert split_organisations("清华&智谱") == ["清华", "智谱"]


def test_another_month_with_other_columns_loads(tmp_path):
    """A newer board whose columns moved and were renamed reads by header names."""
    from ecokg.build import make_graph

    f = tmp_path / "superclue-2024-02.md"
    f.write_text("### SuperCLUE总排行榜（2024年2月）\n\n| 模型 | 排名 | 总分 | 机构 | 理科 | 文科 | 使用方式 |\n"
                 "|---|---|---|---|---|---|---|\n| [GLM-4](https://example.org) | 🏅️ | 79.2 | 智谱AI | 81.5 | 77.0 | API |\n"
                 "| Qwen-Max | 2 | 78.1 | 阿里云 | 80.0 | 76.2 | API |\n", encoding="utf-8")
    kg = make_graph([("superclue", f)])
    names = _by_name(kg)
    (glm,) = names["GLM-4"]
    assert {d.name for d in _targets(kg, glm.id, "developedBy")} == {"智谱华章"}
    scores = {(r.props["measure"], str(r.props["score"]), r.props.get("rank")) for r in kg.of_class("BenchmarkResult")
              if _targets(kg, r.id, "forModel")[0].id == glm.id}
    assert scores == {("总分", "79.2", 1), ("理科", "81.5", None), ("文科", "77", None)}  # 77.0 as a value
    (qwen,) = names["Qwen-Max"]
    assert [f.name for f in _targets(kg, qwen.id, "inFamily")] == ["通义千问"]


def test_the_roster_carries_aliases_places_families_categories_and_scores(roster, kg):
    orgs = {o["name"]: o for o in roster["organisations"]}
    assert orgs["阿里云"]["city"] == "杭州" and orgs["阿里云"]["province"] == "浙江"
    assert orgs["阿里云"]["parent"] == "阿里巴巴"
    assert "智谱AI" in orgs["智谱华章"]["aliases"]
    models = {m["name"]: m for m in roster["models"]}
    assert models["Qwen-14B-Chat"]["family"] == "通义千问"
    assert models["清言"]["category"] == "通用"
    scores = models["Qwen-14B-Chat"]["scores"]
    assert {tuple(sorted(s)) for s in scores} == {("benchmark", "board", "date", "measure", "rank", "score")}
    # each score is one BenchmarkResult of the model in the graph
    (node,) = [n for n in kg.of_class("AIModel") if n.name == "Qwen-14B-Chat"]
    results = [kg.nodes[e.source] for e in kg.in_edges(node.id, "forModel")]
    assert sorted((s["date"], s["board"], s["measure"], s["score"]) for s in scores) == sorted(
        (r.props["assessedIn"], r.props.get("board"), r.props.get("measure"), float(r.props["score"])) for r in results)
