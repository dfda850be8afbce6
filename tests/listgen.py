"""Generated expert lists for developing and testing the list reader: real organisation names
(public knowledge), invented people, several layouts of the extracted PDF text.

Nothing here is read by the parser: the organisations are NOT in data/organisations.yaml (a
test checks), the people are invented, and the parser's own name and title knowledge is
written independently of these lists. Each entry is written the way Blue Book lists write
them: NAME [ROLE、] POST[、POST...], a post being ORGANISATION [UNIT] TITLE [兼 TITLE]
[(remit)], a former post marked 原 or 前.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from faker.providers.person.zh_CN import Provider as _FakerPerson

# -- organisations (public knowledge: real Chinese banks, brokers, insurers, investors,
# companies, universities, institutes and associations; none of them in the curated data)
BANKS = ("招商银行 平安银行 兴业银行 浦发银行 民生银行 光大银行 广发银行 交通银行 中国工商银行 中国农业银行 "
         "中国银行 邮储银行 上海银行 江苏银行 宁波银行 南京银行 杭州银行 微众银行 网商银行 浙商银行 恒丰银行 "
         "徽商银行 上海农商银行 重庆农商行 苏州银行 长沙银行 成都银行 贵阳银行 百信银行 中原银行").split()
FINANCE = ("中金公司 华泰证券 国泰君安 海通证券 招商证券 广发证券 申万宏源 东方证券 兴业证券 中信建投 银河证券 "
           "光大证券 平安证券 陆金所 度小满 京东科技 众安保险 中国平安 中国太保 新华保险 人保集团 友邦保险 平安科技 "
           "中国银联 网联清算 上海证券交易所 深圳证券交易所 易方达基金 华夏基金 南方基金 嘉实基金 富国基金").split()
INVESTORS = ("高瓴资本 深创投 红杉中国 IDG资本 经纬创投 真格基金 创新工场 五源资本 源码资本 晨兴资本 险峰长青 "
             "云启资本 峰瑞资本 元璟资本 愉悦资本 华登国际 中金资本 国投创新 达晨财智 东方富海 毅达资本 元禾控股 "
             "启迪之星 联想之星 春华资本 厚朴投资 鼎晖投资 弘毅投资 嘉御资本 明势资本 线性资本 蓝湖资本 钟鼎资本 "
             "基石资本 松禾资本 前海母基金 中科创星 礼来亚洲基金 夏尔巴投资 经纬中国").split()
COMPANIES = ("美团 拼多多 快手 网易 哔哩哔哩 携程 小红书 微博 新浪 搜狐 奇安信 深信服 金山云 金山软件 青云科技 "
             "七牛云 宁德时代 海康威视 大华股份 比亚迪 蔚来 理想汽车 小鹏汽车 零跑汽车 吉利控股集团 长城汽车 上汽集团 "
             "广汽集团 格力电器 美的集团 海信集团 TCL科技 京东方 中芯国际 寒武纪 地平线 旷视科技 依图科技 云从科技 "
             "第四范式 明略科技 出门问问 思必驰 云知声 优必选 达闼科技 MiniMax 零一万物 面壁智能 阶跃星辰 澜舟科技 "
             "深度求索 昆仑万维 三六零 中科曙光 紫光股份 新华三 锐捷网络 星环科技 达梦数据 人大金仓 涛思数据 "
             "华大基因 药明康德 迈瑞医疗 东软集团 太极股份 中国软件 金蝶国际 泛微网络 致远互联 明源云 有赞 微盟 "
             "中国联通 中国铁塔 中国广电 国家电网 南方电网 中国石油 中国石化 国家能源集团 中国航天科工 中国商飞 "
             "中国中车 中国建筑 招商局集团 华润集团 保利集团 三峡集团 顺丰集团 万达集团 复星集团 新希望集团").split()
ACADEMIA = ("北京大学 复旦大学 上海交通大学 浙江大学 中国科学技术大学 南京大学 武汉大学 中山大学 哈尔滨工业大学 "
            "西安交通大学 北京航空航天大学 同济大学 中国人民大学 香港科技大学 香港中文大学 "
            "中国科学院 之江实验室 鹏城实验室 北京智源人工智能研究院 上海人工智能实验室 "
            "中国信息通信研究院 国家信息中心 中国电子技术标准化研究院 中国社会科学院 国务院发展研究中心").split()
ASSOCIATIONS = ("中国互联网协会 中国通信标准化协会 中国人工智能产业发展联盟 深圳市人工智能行业协会 中国银行业协会 "
                "中国证券业协会 中国支付清算协会").split()
ORGANISATIONS = BANKS + FINANCE + INVESTORS + COMPANIES + ACADEMIA + ASSOCIATIONS

# -- posts: titles, and units that stand in the title before it (the sample's convention)
TITLES = ("董事长 总裁 副总裁 高级副总裁 执行副总裁 首席执行官 首席技术官 首席信息官 首席数据官 首席科学家 "
          "首席经济学家 首席投资官 首席风险官 联合创始人 创始合伙人 管理合伙人 合伙人 执行董事 董事总经理 总经理 "
          "副总经理 总经理助理 CEO CTO CIO COO CFO 董事会秘书 总工程师 首席架构师 投资总监 执行总裁 总裁助理 "
          "副董事长 监事长 高级合伙人 主管合伙人").split()
BANK_TITLES = "行长 副行长 首席信息官 董事长 监事长 行长助理".split()
ACADEMIC_TITLES = "院长 副院长 教授 研究员 主任 副主任 所长 副所长 首席科学家 讲席教授 院士 校长 副校长".split()
ASSOCIATION_TITLES = "理事长 秘书长 副秘书长 会长 副会长 主任".split()
UNITS = ("信息技术部 金融科技部 数字金融部 战略投资部 投资部 云事业群 智能云事业群 数据中心 科技中心 创新中心 "
         "人工智能研究院 云计算事业部 企业服务事业部 大数据部 信用卡中心 研发中心 技术委员会 风险管理部").split()
BANK_UNITS = "总行 信息技术部 金融科技部 数据管理部 软件开发中心 数字银行部".split()
ACADEMIC_UNITS = "计算机系 软件学院 人工智能研究院 信息科学技术学院 交叉信息研究院 数据科学研究中心".split()
UNIT_TITLES = "总经理 副总经理 负责人 主任 副主任 总监 院长 总裁".split()
REMITS = ("分管科技", "分管AI、大数据", "分管数字化转型", "负责云计算业务", "分管信息科技工作")
DESCRIPTORS = ("资深投资人", "国家智库专家", "行业专家")
ROLES = ("理事会成员", "理事会专家", "理事", "副理事长")

# -- people: invented from common surnames and given-name characters
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
            "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅"
            "童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连"
            "芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖"
            "巩明佘池查麻苑迟邝")
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容")
# Given names: Faker's zh_CN list of common given names (faker.providers.person.zh_CN), a source
# independent of the parser's common given-name characters (derived from jieba's dictionary,
# ecokg.loaders.lists.given). Names are taken whole or recombined from their characters.
GIVEN_NAMES = tuple(_FakerPerson.first_names)
GIVEN = "".join(sorted(set("".join(GIVEN_NAMES))))
_GIVEN1 = tuple(n for n in GIVEN_NAMES if len(n) == 1)
_GIVEN2 = tuple(n for n in GIVEN_NAMES if len(n) == 2)


@dataclass
class Post:
    org: str
    title: str
    former: bool = False
    remit: str | None = None


@dataclass
class Entry:
    name: str
    roles: list[str] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    text: str = ""


def _name(rnd: random.Random, seen: set[str]) -> str:
    while True:
        sur = rnd.choice(COMPOUND) if rnd.random() < 0.03 else rnd.choice(SURNAMES)
        shape = rnd.random()
        if shape < 1 / 3:
            given = rnd.choice(_GIVEN1)
        elif shape < 2 / 3:
            given = rnd.choice(_GIVEN2)
        else:  # two characters of different common names (伟 + 婷)
            given = rnd.choice(GIVEN) + rnd.choice(GIVEN)
        name = sur + given
        if name not in seen:
            seen.add(name)
            return name


def _title_for(org: str, rnd: random.Random) -> str:
    if org.endswith(("银行", "农商行")):
        pool = BANK_TITLES + TITLES[:6]
        units = BANK_UNITS
    elif org in ACADEMIA:
        pool, units = ACADEMIC_TITLES, ACADEMIC_UNITS
    elif org in ASSOCIATIONS:
        pool, units = ASSOCIATION_TITLES, ()
    else:
        pool, units = TITLES, UNITS
    r = rnd.random()
    if units and r < 0.25:
        return rnd.choice(units) + rnd.choice(UNIT_TITLES)
    if r < 0.35:
        a, b = rnd.sample(pool, 2)
        return f"{a}兼{b}"
    return rnd.choice(pool)


def entry(rnd: random.Random, seen: set[str], orgs: list[str]) -> Entry:
    e = Entry(_name(rnd, seen))
    if rnd.random() < 0.15:
        e.roles.append(rnd.choice(ROLES))
    for i in range(rnd.choice([1, 1, 1, 2, 2, 3])):
        org = rnd.choice(orgs)
        former = i > 0 and rnd.random() < 0.3
        remit = rnd.choice(REMITS) if rnd.random() < 0.06 else None
        e.posts.append(Post(org, _title_for(org, rnd), former, remit))
    if rnd.random() < 0.05:
        e.descriptors.append(rnd.choice(DESCRIPTORS))
    parts = list(e.roles)
    for p in e.posts:
        former = rnd.choice("原前") if p.former else ""
        remit = f"({p.remit})" if p.remit else ""
        parts.append(f"{p.org}{former}{p.title}{remit}" if rnd.random() < 0.5 or not former
                     else f"{former}{p.org}{p.title}{remit}")
    parts += e.descriptors
    e.text = e.name + "、".join(parts)
    return e


LAYOUTS = ("space", "run", "mixed", "wrapped", "dun", "fullwidth", "lines")


def layout(entries: list[Entry], kind: str, rnd: random.Random) -> str:
    """The list as the extracted text would have it."""
    if kind == "space":
        return " ".join(e.text for e in entries)
    if kind == "run":
        return "".join(e.text for e in entries)
    if kind == "dun":
        return "、".join(e.text for e in entries)
    if kind == "lines":  # one entry a line
        return "\n".join(e.text for e in entries)
    text = "".join((rnd.choice([" ", ""]) if i else "") + e.text for i, e in enumerate(entries))
    if kind == "wrapped":  # a line break every 30 to 45 characters, wherever it falls
        out, i = [], 0
        while i < len(text):
            n = rnd.randint(30, 45)
            out.append(text[i:i + n])
            i += n
        return "\n".join(out)
    if kind == "fullwidth":
        text = text.replace("(", "（").replace(")", "）").replace(",", "，")
        # an extra space inside some entries, between the organisation and the title
        return "".join(ch + (" " if ch in "行团司本院学" and rnd.random() < 0.2 else "") for ch in text)
    return text


def generate(n: int, seed: int, kind: str = "mixed", orgs: list[str] | None = None) -> tuple[str, list[Entry]]:
    """A list of ``n`` entries in layout ``kind``: its text and the entries it holds."""
    rnd = random.Random(seed)
    seen: set[str] = set()
    pool = list(orgs or ORGANISATIONS)
    entries = [entry(rnd, seen, pool) for _ in range(n)]
    return layout(entries, kind, rnd), entries


def truth(entries: list[Entry]) -> set[tuple[str, str, str, bool]]:
    """(person, organisation, title, former) of every post."""
    return {(e.name, p.org, p.title, p.former) for e in entries for p in e.posts}


def wrong_entries(got: list[Any], entries: list[Entry]) -> list[bool]:
    """For each entry read (objects with ``name`` and ``posts``), whether it says anything other
    than the generated entry of that name: a wrong name, organisation, title or former mark."""
    by_name = {e.name: e for e in entries}
    out = []
    for e in got:
        g = by_name.get(e.name)
        out.append(g is None or {(p.org, p.title, p.former) for p in e.posts}
                   != {(p.org, p.title, p.former) for p in g.posts})
    return out
