"""Linguistic resources for reading Chinese expert lists: surnames, place names,
organisation suffixes and the vocabulary of job titles.

These are facts about the language and the report's format, not about any
entry of any report. The parser in :mod:`ecokg.loaders.entries` combines them
with a gazetteer of organisations.
"""

from __future__ import annotations

from collections.abc import Iterator

# Single-character surnames: the 百家姓 list plus common modern surnames, and a few
# variant characters that appear in extracted PDFs.
SINGLE_SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
    "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
    "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚"
    "程嵇邢滑裴陆荣翁荀羊於惠甄麴家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴郁胥能苍双"
    "闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容"
    "向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空"
    "曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公万俟郅刑佟付覃粟蔺岳帅缑亢况郈有琴归海晋楚闫法汝"
    "鄢涂钦商牟佘佴伯赏墨哈谯笪年爱阳佟肖兰凡揭楼过眭竹"
)

COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "钟离", "闻人",
)

# Places that begin organisation names (a list entry that starts with one names an
# organisation, not a person: 广东博华资本 is not a person called 广东博).
PLACES = (
    "中国", "中华", "国家", "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江",
    "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川",
    "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
    "澳门", "深圳", "广州", "杭州", "南京", "苏州", "武汉", "成都", "西安", "厦门", "青岛", "大连",
    "宁波", "合肥", "长沙", "郑州", "济南", "沈阳", "无锡", "东莞", "佛山", "中关村", "首都",
)

# Words that end an organisation's name (longest first when matching).
ORG_SUFFIXES = (
    "股份有限公司", "有限责任公司", "基金管理公司", "有限公司", "管理公司", "控股集团", "投资集团", "保险集团",
    "公司", "集团", "银行", "农商行", "保险", "人寿", "资本", "基金", "创投", "投资", "大学", "学院",
    "科学院", "工程院", "研究院", "研究所", "实验室", "联盟", "协会", "委员会", "控股", "证券", "信托",
)

# Suffixes strong enough that a title or department never contains them.
STRONG_ORG_WORDS = ("集团", "银行", "公司", "基金", "资本", "创投", "大学", "保险", "人寿", "控股", "证券")

# Internal units of an organisation; they belong to the title, not the organisation name.
DEPT_SUFFIXES = (
    "事业群组", "事业群", "事业部", "研究中心", "研究院", "研究所", "研究局", "专委会", "委员会", "办公室",
    "中国区", "大区", "总行", "分行", "中心", "部", "处", "科室",
)
# Units that may stand alone without a name before them.
BARE_DEPTS = ("总行", "分行")

# Title vocabulary. A title is a run of prefixes and cores (董事总经理, 总经理助理,
# 高级副总裁), with free text allowed before a core (企服投资负责人).
TITLE_CORES = (
    "董事总经理", "总经理", "经理", "董事长", "董事", "总裁", "主任", "院长", "院士", "教授", "行长", "局长",
    "主席", "合伙人", "负责人", "创始人", "总监", "专家", "投资人", "秘书长", "理事长", "所长", "部长",
    "主编", "研究员", "主管", "总工程师", "工程师", "顾问", "CEO", "CTO", "CIO", "CFO", "COO", "CSO", "CMO",
    "CDO", "CXO", "官", "助理", "委员", "成员",
)
TITLE_PREFIXES = (
    "副", "总", "高级", "执行", "联席", "首席", "常务", "资深", "管理", "联合", "创始", "讲席", "名誉", "荣誉",
    "特聘", "独立", "非执行",
)
FORMER_MARKERS = ("原", "前")

# Descriptors: a title with one of these cores and no organisation is a description of
# the person (资深投资人, 国家智库专家), not a post.
DESCRIPTOR_CORES = ("专家", "投资人")

# Roles in the report's industry alliance, at the start of an entry after the name.
ALLIANCE_ROLE_WORDS = ("理事会成员", "理事会专家", "副理事长", "理事长", "联盟理事", "理事")
ALLIANCE_PREFIX = "联盟"

# Separators between the posts of one entry (outside parentheses).
POST_SEPARATORS = "、,，;；"
CONCURRENT = "兼"

CJK_RANGE = ("\u4e00", "\u9fff")


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph.

    >>> is_cjk("陈"), is_cjk("A")
    (True, False)
    """
    return CJK_RANGE[0] <= ch <= CJK_RANGE[1]


def surname_at(text: str, i: int = 0) -> int:
    """Length of the surname at ``text[i:]``: 2 for a compound surname, 1, or 0.

    >>> surname_at("欧阳明"), surname_at("陈宏"), surname_at("联想")
    (2, 1, 0)
    """
    if text[i:i + 2] in COMPOUND_SURNAMES:
        return 2
    if i < len(text) and text[i] in SINGLE_SURNAMES:
        return 1
    return 0


def starts_with_place(text: str) -> str | None:
    for p in sorted(PLACES, key=len, reverse=True):
        if text.startswith(p):
            return p
    return None


def occurrences(text: str, word: str) -> Iterator[int]:
    """Every offset where ``word`` starts in ``text``, overlapping ones included.

    >>> list(occurrences("投资投资", "投资"))
    [0, 2]
    """
    start = 0
    while True:
        i = text.find(word, start)
        if i < 0:
            return
        yield i
        start = i + 1
