"""What the list reader knows about how Chinese expert lists are written.

These are facts about the language and about how posts are named — surnames, place
names, the grammar of organisation names, units and titles — not about any entry of
any list. Nothing here lists the organisations or people of a report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ecokg.loaders.lists.given import GIVEN_CHARS

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
    "鄢涂钦商牟佘佴伯赏墨哈谯笪年爱阳佟肖兰凡揭楼过眭竹邝苑麦芦冼曲苟隋丛迟仝代门但户展才战朴檀庹操靖练"
)

COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "钟离", "闻人",
))

# How a surname is read when the character has several readings: the reading as a surname
# (曾 zēng, not céng; 仇 qiú, not chóu). Public knowledge of the language, as collected in the
# surname table of overtrue/pinyin and in pypinyin issue #297 (pypinyin has no surname mode);
# tones dropped, since ecokg's pinyin has none.
SURNAME_READINGS = {
    "曾": "zeng", "仇": "qiu", "单": "shan", "解": "xie", "区": "ou", "查": "zha", "朴": "piao",
    "乐": "yue", "盖": "ge", "缪": "miao", "翟": "zhai", "覃": "qin", "种": "chong", "重": "chong",
    "秘": "bi", "冼": "xian", "华": "hua", "纪": "ji", "繁": "po", "折": "she", "那": "na",
    "难": "nan", "藏": "zang", "都": "du", "六": "lu", "薄": "bo", "贾": "jia", "居": "ju",
    "和": "he", "柏": "bai", "牟": "mou", "阚": "kan", "叶": "ye", "沈": "shen", "宿": "su",
    "卜": "bu", "尉": "yu", "召": "shao", "员": "yun", "隗": "wei", "句": "gou", "长": "chang",
    "石": "shi", "燕": "yan", "过": "guo", "殷": "yin", "陆": "lu", "乜": "nie", "强": "qiang",
    "蓝": "lan", "盛": "sheng", "塔": "ta", "哈": "ha", "佴": "nai", "粘": "nian", "扎": "za",
    "万": "wan", "车": "che", "汤": "tang", "南": "nan", "思": "si", "寻": "xun", "於": "yu",
    "余": "yu", "浅": "qian", "艾": "ai", "无": "wu", "信": "xin", "许": "xu", "齐": "qi",
    "俞": "yu", "若": "ruo", "曲": "qu", "莫": "mo", "阿": "a",
    "尉迟": "yuchi", "万俟": "moqi", "长孙": "zhangsun", "单于": "chanyu", "澹台": "tantai",
}


# Characters that given names almost never use but organisation names, titles and units
# do (集, 银, 资 ...), and characters that are rarer in names than at the start of an
# organisation (中, 科, 云 ...). Used as evidence against reading them as part of a name.
NOT_IN_NAMES = frozenset("集团银行资创投基证券保险研究院所部网数讯盟协司厂局处委办股份控限责总副首席董事经裁官伙负室系")
RARE_IN_NAMES = frozenset("中科技云信通联大实验有企业产金融能源电子车汽软件智投资本人")

# Characters common in given names: derived from jieba's dictionary by a fixed rule, not
# written by hand (ecokg.loaders.lists.given says how).
COMMON_GIVEN = frozenset(GIVEN_CHARS)

# Places: provinces, municipalities and prefecture-level cities (short forms), regions
# and a few names that begin many organisation names.
PLACES = frozenset((
    "中国 中华 国家 全国 中央 首都 中关村 雄安 浦东 前海 滨海 张江 亚洲 全球 华北 华东 华南 华中 西南 西北 东北 "
    "粤港澳 长三角 大湾区 京津冀 北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 "
    "山东 河南 湖北 湖南 广东 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门 石家庄 唐山 "
    "秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁 "
    "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 "
    "葫芦岛 长春 四平 辽源 通化 白山 松原 白城 哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 "
    "黑河 绥化 南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 杭州 宁波 温州 嘉兴 湖州 绍兴 "
    "金华 衢州 舟山 台州 丽水 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城 "
    "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶 济南 "
    "青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 郑州 开封 洛阳 平顶山 安阳 鹤壁 "
    "新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 "
    "咸宁 随州 长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 广州 韶关 深圳 珠海 汕头 佛山 "
    "江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 南宁 柳州 桂林 梧州 北海 防城港 "
    "钦州 贵港 玉林 百色 贺州 河池 来宾 崇左 海口 三亚 儋州 成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 "
    "南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 贵阳 六盘水 遵义 安顺 毕节 铜仁 昆明 曲靖 玉溪 保山 昭通 丽江 普洱 "
    "临沧 拉萨 日喀则 西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛 兰州 嘉峪关 金昌 白银 天水 武威 张掖 "
    "平凉 酒泉 庆阳 定西 陇南 西宁 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密 渤海 黄海 东海 南海"
).split())

# Provinces, municipalities and regions: hardly ever the start of a person's name (广东博, 上海X),
# unlike some city names that are also given names (金华, 安康, 宁德).
PROVINCES = frozenset((
    "中国 中华 国家 全国 中央 北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 "
    "河南 湖北 湖南 广东 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门 华北 华东 华南 华中 "
    "西南 西北 东北"
).split())

# Words that end an organisation's name. Strong ones almost only end organisations;
# medium ones end many organisation names but also other words.
ORG_SUFFIXES_STRONG = (
    "私募基金管理公司", "基金管理公司", "资产管理公司", "投资管理公司", "管理公司", "股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "银行", "农商行", "商行", "证券", "信托",
    "保险", "人寿", "财险", "资本", "创投", "基金", "控股", "大学", "学院", "科学院", "工程院", "研究院",
    "研究所", "实验室", "医院", "协会", "学会", "联盟", "交易所", "基金会", "事务所", "出版社", "电视台",
    "资产", "资管", "期货", "金控", "清算",
)
ORG_SUFFIXES_MEDIUM = (
    "科技", "投资", "汽车", "电子", "软件", "网络", "通信", "通讯", "数据", "智能", "云", "能源", "电气",
    "传媒", "动力", "国际", "中国", "股份", "重工", "医药", "生物", "半导体", "光电", "金服", "数科", "信息",
    "系统", "电信", "移动", "联通", "电器", "物流", "地产", "航空", "航天", "建设", "新能源", "机器人", "互联",
    "文化", "教育", "医疗", "制药", "材料", "化工", "支付", "金融", "财富", "数字", "石油", "石化", "电网",
    "广电", "通用", "工业", "电力", "钢铁", "矿业", "农业", "食品", "零售", "电商", "游戏", "娱乐", "影视",
    # industry words company names end with (国轩高科, 张江高科, 东湖高新, 安踏体育, 华润微电子, 中国船舶,
    # 工银金融租赁 ...): public knowledge of how Chinese company names are made
    "高科", "高新", "实业", "租赁", "微电子", "集成电路", "体育", "环保", "物联", "视觉", "光伏", "装备", "机械",
    "船舶", "航运", "置业", "数码", "智造", "制造", "旅游",
)

# Internal units of an organisation: they belong to the title, not to the organisation.
UNIT_SUFFIXES = (
    "事业群组", "事业群", "事业部", "业务群", "业务部", "研究院", "研究所", "研究中心", "研究局", "实验室",
    "专委会", "委员会", "办公室", "中国区", "大区", "区域", "总行", "分行", "支行", "总部", "分公司", "子公司",
    "中心", "学院", "业务线", "业务", "部", "处", "系", "科", "室", "组", "团队", "平台", "板块", "条线", "BG", "BU",
)
# Units that stand alone, with no name before them.
BARE_UNITS = ("总行", "分行", "总部")

# Titles: a title is a run of prefixes and cores (董事总经理, 总经理助理, 高级副总裁),
# with a few words of free text allowed before a core (企服投资负责人).
TITLE_CORES = (
    "董事长", "董事", "总经理", "经理", "总裁", "主席", "行长", "院长", "所长", "校长", "主任", "部长", "局长",
    "处长", "科长", "秘书长", "理事长", "会长", "社长", "总编辑", "总编", "主编", "台长", "教授", "研究员",
    "院士", "讲师", "工程师", "总工程师", "科学家", "经济学家", "分析师", "架构师", "合伙人", "创始人", "负责人",
    "总监", "主管", "专家", "顾问", "委员", "成员", "助理", "投资人", "代表", "书记", "监事长", "监事", "董秘",
    "秘书", "干事", "董事会秘书", "董事会主席", "CEO", "CTO", "CIO", "CFO", "COO", "CSO", "CMO", "CDO", "CISO", "CXO", "CPO", "CRO", "CHO",
    "VP", "SVP", "EVP", "GM", "MD",
)
TITLE_PREFIXES = (
    "副", "总", "高级", "执行", "联席", "首席", "常务", "资深", "管理", "联合", "创始", "讲席", "名誉", "荣誉",
    "特聘", "独立", "非执行", "主管", "首任", "代理", "客座", "终身", "兼职", "驻会", "专职", "董事",
)
# Cores that take free text before them (企服投资负责人, 国家智库专家, 惠妍讲席教授).
FREE_TEXT_CORES = ("负责人", "专家", "投资人", "总监", "主管", "合伙人", "教授", "总经理", "副总裁", "总裁", "主任")
# A title with one of these cores and no organisation describes the person (资深投资人).
DESCRIPTOR_CORES = ("专家", "投资人", "学者", "人士")
# Functional areas that begin titles (信息技术总经理, 战略与投资负责人) and rarely end an
# organisation's name.
FIELD_WORDS = ("信息技术", "技术", "战略", "研发", "产品", "市场", "运营", "财务", "风控", "合规", "法务", "人力",
               "行政", "品牌", "营销", "销售", "渠道", "客户", "算法", "架构", "投融资", "产投", "企服", "分管")
# Generic words that stand before a suffix in names of funds and lines of business (股权基金,
# 产业投资, 创业投资): a subsidiary written after its parent has a name of its own, not these.
GENERIC_STEMS = ("股权", "产业", "创业", "发展", "引导", "并购", "私募", "风险", "天使", "成长", "科创", "母", "专项",
                 "战略", "股权投资", "产业投资", "创业投资", "科技", "工业", "数字", "智能", "信息", "金融", "人工智能",
                 "行业")
# Verbs of a remit (分管IT副总裁, 负责云计算业务): they begin a title or a remit, never stand in a name.
REMIT_VERBS = ("分管", "负责")
FORMER_MARKERS = ("原", "前")
CONCURRENT = "兼"

# Roles in the report's industry alliance, at the start of an entry after the name.
ALLIANCE_ROLES = ("理事会成员", "理事会专家", "常务副理事长", "副理事长", "理事长", "常务理事", "联盟理事", "理事",
                  "监事长", "监事")
ALLIANCE_PREFIX = "联盟"

SEPARATORS = "、,;"
OPEN, CLOSE = "(", ")"

# Full-width and variant punctuation, and what they are read as.
PUNCTUATION = {"（": "(", "）": ")", "，": ",", "；": ";", "：": ":", "﹑": "、", "，": ",", "【": "(", "】": ")",
               "〔": "(", "〕": ")", "［": "(", "］": ")"}


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph.

    >>> is_cjk("陈"), is_cjk("A")
    (True, False)
    """
    return "\u4e00" <= ch <= "\u9fff"


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
    """The place name ``text`` begins with, if any (longest first).

    >>> starts_with_place("宁德时代"), starts_with_place("美团")
    ('宁德', None)
    """
    for n in (4, 3, 2):
        if text[:n] in PLACES:
            return text[:n]
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


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))
