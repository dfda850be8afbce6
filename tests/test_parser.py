"""The expert-list parser on entries that are NOT in the sample.

The people and the organisations below are fictional (made up for these tests),
so they are in no gazetteer: the parser has to place them from the structure of
the text, and flag what it cannot place with confidence.
"""

from __future__ import annotations

import pytest
from ecokg.loaders.bluebook.entries import parse_list, parse_lists
from ecokg.loaders.gazetteer import Gazetteer


def entries_of(text: str, gaz: Gazetteer | None = None):
    return parse_list(text, 0, gaz or Gazetteer())


def by_name(entries):
    return {e.name: e for e in entries}


def test_name_split_by_an_organisation_that_recurs():
    # 张伟明|星河资本 and 陈刚|星河资本: only the reading with 星河资本 fits both entries
    es = by_name(entries_of("张伟明星河资本合伙人 陈刚星河资本董事总经理"))
    assert set(es) == {"张伟明", "陈刚"}
    assert [p.org for p in es["陈刚"].posts] == ["星河资本"]
    assert [p.org for p in es["张伟明"].posts] == ["星河资本"]


def test_name_split_by_an_organisation_learned_from_a_certain_entry():
    text = "赵一鸣理事会成员、远山科技集团副总裁 孙宏远山科技集团首席执行官"
    es = by_name(entries_of(text))
    assert "孙宏" in es, list(es)
    assert es["孙宏"].posts[0].org == "远山科技集团"
    assert not es["孙宏"].flags


def test_name_split_by_the_gazetteer():
    g = Gazetteer()
    g.add_org("渤海银行")
    es = by_name(entries_of("周敏渤海银行总行副行长", g))
    assert list(es) == ["周敏"]
    post = es["周敏"].posts[0]
    assert (post.org, post.title, post.confidence) == ("渤海银行", "总行副行长", "gazetteer")


def test_uncertain_split_is_flagged_not_silent():
    es = entries_of("吴迪高远资本合伙人")
    assert len(es) == 1
    assert es[0].name in ("吴迪", "吴迪高")
    assert any("uncertain" in f for f in es[0].flags)


def test_entries_running_together_without_space():
    text = "钱立新理事会成员、北辰大学计算机学院院长何敏理事会专家、东湖实验室主任"
    es = entries_of(text)
    assert [e.name for e in es] == ["钱立新", "何敏"]
    assert es[0].text.endswith("院长")


def test_several_posts_in_one_entry():
    text = "钱立新理事会成员、北辰大学计算机学院院长、东湖实验室主任、远山科技集团独立董事"
    (e,) = entries_of(text)
    assert [r for r, _ in e.alliance_roles] == ["理事会成员"]
    assert [(p.org, p.title) for p in e.posts] == [
        ("北辰大学", "计算机学院院长"), ("东湖实验室", "主任"), ("远山科技集团", "独立董事")]


def test_concurrent_post_at_another_organisation():
    (e,) = entries_of("郑华理事会成员、星海保险集团副总裁兼星海人寿CIO")
    assert [(p.org, p.title) for p in e.posts] == [("星海保险集团", "副总裁"), ("星海人寿", "CIO")]


def test_units_and_titles_stay_with_their_organisation():
    (e,) = entries_of("郑华理事会成员、远山科技集团副总裁、战略投资部总经理")
    assert [(p.org, p.title) for p in e.posts] == [("远山科技集团", "副总裁、战略投资部总经理")]


def test_former_posts():
    (e,) = entries_of("冯涛理事会成员、北辰银行原行长、远山科技集团前高级副总裁、东湖实验室主任")
    assert [(p.org, p.title, p.former) for p in e.posts] == [
        ("北辰银行", "行长", True), ("远山科技集团", "高级副总裁", True), ("东湖实验室", "主任", False)]


def test_remit_in_parentheses_keeps_its_commas():
    (e,) = entries_of("何静理事会成员、星海保险集团科技中心副总经理(分管AI、大数据等)")
    (p,) = e.posts
    assert (p.org, p.title, p.remit) == ("星海保险集团", "科技中心副总经理", "分管AI、大数据等")


def test_entry_with_no_person_name():
    es = entries_of("陈刚星河资本合伙人 上海云川资本合伙人 王平北辰大学教授")
    names = [e.name for e in es]
    assert names == ["陈刚", None, "王平"]
    (noname,) = [e for e in es if e.name is None]
    assert noname.posts[0].org == "上海云川资本"
    assert "entry names no person" in noname.flags


def test_name_set_apart_by_a_space():
    (e,) = entries_of("林晓 联盟理事、北辰银行首席信息官")
    assert e.name == "林晓" and e.name_certain
    assert [r for r, _ in e.alliance_roles] == ["联盟理事"]
    assert e.posts[0].org == "北辰银行"


def test_descriptor_is_not_an_affiliation():
    (e,) = entries_of("韩冬理事会成员、资深投资人、远山科技集团创始人兼CEO")
    assert [d for d, _ in e.descriptors] == ["资深投资人"]
    assert [(p.org, p.title) for p in e.posts] == [("远山科技集团", "创始人兼CEO")]


def test_spans_point_at_the_source():
    text = "前缀 " + "冯涛理事会成员、北辰银行原行长"
    (e,) = parse_list(text[3:], 3, Gazetteer())
    s, t = e.name_span
    assert text[s:t] == "冯涛"
    p = e.posts[0]
    assert text[p.org_span[0]:p.org_span[1]] == "北辰银行"
    assert text[p.span[0]:p.span[1]] == "北辰银行原行长"


def test_lists_share_what_they_learn():
    first = "赵一鸣理事会成员、远山科技集团副总裁"
    second = "孙宏远山科技集团首席执行官"
    a, b = parse_lists([(first, 0), (second, 100)], Gazetteer())
    assert b[0].name == "孙宏"
    assert b[0].span[0] == 100


@pytest.mark.parametrize("seg,org,title", [
    ("北辰大学计算机学院院长", "北辰大学", "计算机学院院长"),
    ("远山科技集团技术委员会主席", "远山科技集团", "技术委员会主席"),
    ("云川私募基金管理公司总经理", "云川私募基金管理公司", "总经理"),
    ("星海人寿股权基金总经理助理", "星海人寿股权基金", "总经理助理"),
    ("北辰银行总行副行长", "北辰银行", "总行副行长"),
])
def test_org_title_split(seg, org, title):
    from ecokg.loaders.bluebook.titles import split_org_title

    ot = split_org_title(seg, Gazetteer(), need_org=True)
    assert (ot.org, ot.title) == (org, title)
