"""The parser on generated expert lists: made-up people at made-up organisations, entries
run together without delimiters the way the extracted Blue Book text runs them.

With the organisations in the gazetteer (as curated data would have them), every name,
organisation and title must come back exactly; without the gazetteer, whatever is read
wrong must be flagged for review, never silently guessed.
"""

from __future__ import annotations

import random

import pytest
from ecokg.loaders.bluebook.entries import parse_list
from ecokg.loaders.gazetteer import Gazetteer

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉波斌宇浩凯晨旭东亮飞琳晶婷雪慧颖倩峰涵哲博"
STEMS = ["星河", "远山", "云川", "北辰", "东湖", "青石", "白鹭", "松涛", "明德", "启元", "和光", "长风", "九章", "天枢", "银杏"]
SUFFIXES = ["资本", "创投", "科技集团", "银行", "保险集团", "大学", "实验室", "基金", "投资"]
TITLES = ["合伙人", "董事总经理", "首席信息官", "副总裁", "总经理", "CTO", "主任", "管理合伙人", "投资部总经理", "副行长"]


def generate(n: int, seed: int) -> tuple[str, list[tuple[str, str, str]]]:
    rnd = random.Random(seed)
    orgs = [s + suf for s in STEMS for suf in SUFFIXES]
    entries, seen = [], set()
    while len(entries) < n:
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice([1, 2])))
        if name in seen:
            continue
        seen.add(name)
        entries.append((name, rnd.choice(orgs), rnd.choice(TITLES)))
    text, sep = "", ""
    for name, org, title in entries:
        text += sep + name + org + title
        sep = rnd.choice([" ", ""])  # the PDF extraction drops the space between some entries
    return text, entries


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_lists_with_gazetteer_are_read_exactly(seed):
    text, expected = generate(120, seed)
    g = Gazetteer()
    for s in STEMS:
        for suf in SUFFIXES:
            g.add_org(s + suf)
    got = [(e.name, e.posts[0].org if e.posts else None, e.posts[0].title if e.posts else None)
           for e in parse_list(text, 0, g)]
    assert got == expected


@pytest.mark.parametrize("seed", [4, 5])
def test_generated_lists_without_gazetteer_flag_what_they_get_wrong(seed):
    text, expected = generate(120, seed)
    entries = parse_list(text, 0, Gazetteer())
    truth = {name: (org, title) for name, org, title in expected}
    wrong_unflagged = []
    right = 0
    for e in entries:
        ok = e.name in truth and e.posts and (e.posts[0].org, e.posts[0].title) == truth[e.name]
        right += bool(ok)
        if not ok and not e.flags:
            wrong_unflagged.append(e.text)
    assert wrong_unflagged == []
    assert right >= 0.8 * len(expected), right  # organisations recur, so most boundaries are found


def test_parser_survives_arbitrary_text():
    rnd = random.Random(9)
    alphabet = SURNAMES + GIVEN + "".join(STEMS) + "".join(SUFFIXES) + "、,()兼原前 理事会成员联盟"
    for _ in range(200):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 80)))
        for e in parse_list(text, 0, Gazetteer()):
            assert text[e.span[0]:e.span[1]] == e.text
