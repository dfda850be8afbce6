"""A fictional edition written the way the Blue Book is: the parser reads its
structure, not the sample's entries. Every name below is made up."""

from __future__ import annotations

import pytest

from ecokg.errors import LoaderError

EDITION_2025 = (
    "蓝皮书编委及指导专家 编委主任(排名不分先后) 林海理事长、远山科技集团董事长 "
    "钱立新理事会成员、北辰大学计算机学院院长周敏理事会专家、北辰银行首席信息官 "
    "投资专家(排名不分先后) 孙宏星河资本合伙人 张伟明星河资本董事总经理 "
    "蓝皮书撰写及工作团队 蓝皮书撰写组 撰写组组长林海 撰写组成员孙宏、李雷 "
    "数据支持及合作媒体 目录 蓝皮书编委及指导专家1 蓝皮书撰写及工作团队3 数据支持及合作媒体3 前言4 "
    "趋势概述5 趋势一:算力6 趋势二:出海8 趋势三:企服9 关于星河产业联盟12 "
    "前言 2025年蓝皮书由星河产业联盟(以下简称“星河联盟”)编写。 "
    "趋势概述 1.智能算力持续增长,国产算力芯片迎来机遇 2.科技企业加速出海 3.企服软件走向大型客户 "
    "趋势一:智能算力持续增长 1.市场概述 远山科技集团发起设立星河算力产业基金,星河资本投资超过10家算力和芯片相关公司。"
    " 示例评测2025年3月 模型名称 机构 总分 AlphaLM 远山科技集团 80.5 BetaChat 北辰大学&星河资本 70.25 资料来源:示例"
)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    from ecokg.build import build

    d = tmp_path_factory.mktemp("ed2025")
    src = d / "bluebook_2025.txt"
    src.write_text(EDITION_2025, encoding="utf-8")
    return build([("bluebook", src)], out_dir=d / "out")


def names(kg, cls):
    return {n.props.get("name") for n in kg.of_class(cls)}


def test_people_groups_and_roles(edition):
    kg = edition.kg
    assert names(kg, "Person") == {"林海", "钱立新", "周敏", "孙宏", "张伟明", "李雷"}
    assert names(kg, "ExpertGroup") == {"编委主任", "投资专家", "撰写组"}
    alliance = [n for n in kg.of_class("IndustryAlliance")]
    assert [a.props["name"] for a in alliance] == ["星河产业联盟"]
    assert "星河联盟" in alliance[0].props.get("alias", [])
    roles = {kg.nodes[e.target].props["title"] for e in kg.edges.values() if e.prop == "holds"
             and "AllianceRole" in kg.nodes[e.target].classes}
    assert roles == {"理事长", "理事会成员", "理事会专家"}


def test_trends_with_statements_and_sectors(edition):
    trends = sorted(edition.kg.of_class("Trend"), key=lambda n: n.props["trendNumber"])
    assert [t.props["name"] for t in trends] == ["算力", "出海", "企服"]
    assert trends[0].props["statement"] == "智能算力持续增长,国产算力芯片迎来机遇"
    for t in trends:
        assert list(edition.kg.out_edges(t.id, "concernsSector")), t.props["name"]


def test_table_fund_and_investment(edition):
    kg = edition.kg
    results = list(kg.of_class("BenchmarkResult"))
    assert sorted(str(r.props["score"]) for r in results) == ["70.25", "80.5"]
    assert {r.props["assessedIn"] for r in results} == {"2025-03"}
    beta = next(n for n in kg.of_class("AIModel") if n.props["name"] == "BetaChat")
    devs = {kg.nodes[e.target].props["name"] for e in kg.out_edges(beta.id, "developedBy")}
    partners = {kg.nodes[e.target].props["name"] for e in kg.out_edges(beta.id, "partner")}
    # 北辰大学&星河资本: the university is the partner, the other the developer
    assert (devs, partners) == ({"星河资本"}, {"北辰大学"})
    fund = next(n for n in kg.of_class("Fund"))
    assert fund.props["name"] == "星河算力产业基金"
    (founder,) = [kg.nodes[e.target].props["name"] for e in kg.out_edges(fund.id, "setUpBy")]
    assert founder == "远山科技集团"
    (inv,) = kg.of_class("Investment")
    assert {kg.nodes[e.target].props["name"] for e in kg.out_edges(inv.id, "investmentSector")} == {"算力", "芯片"}


def test_edition_conforms_and_cites_its_own_text(edition):
    assert edition.validation.conforms
    for ev in edition.kg.all_evidence().values():
        if ev.basis == "bluebook":
            assert EDITION_2025[ev.start:ev.end] == ev.quote


def test_text_without_structure_is_refused(tmp_path):
    from ecokg.build import build

    src = tmp_path / "note.txt"
    src.write_text("这是一段没有目录也没有名单的文字。", encoding="utf-8")
    with pytest.raises(LoaderError, match="no expert list"):
        build([("bluebook", src)], out_dir=tmp_path / "out")
    assert not (tmp_path / "out" / "store").exists()


def test_non_utf8_is_refused_and_previous_build_kept(tmp_path):
    from ecokg.build import build

    out = tmp_path / "out"
    good = tmp_path / "good.txt"
    good.write_text(EDITION_2025, encoding="utf-8")
    build([("bluebook", good)], out_dir=out)
    before = (out / "ecokg.ttl").read_bytes()
    bad = tmp_path / "gbk.txt"
    bad.write_bytes(EDITION_2025.encode("gbk"))
    with pytest.raises(LoaderError, match="not UTF-8"):
        build([("bluebook", bad)], out_dir=out)
    assert (out / "ecokg.ttl").read_bytes() == before
