"""Development lists for tuning the list reader, apart from what the benchmark scores.

bench/bench_parser.py scores the reader on tests/listgen.py's organisations and seeds. Tuning
the reader's weights or the review model on those would flatter it, so development lists are
generated here the same way (tests/listgen.py's entries and layouts, invented people) but from
another pool of real organisations (public knowledge; none of them in listgen.ORGANISATIONS or
in data/organisations.yaml, which a test checks) and other seeds. Nothing here is read by the
parser.
"""

from __future__ import annotations

import listgen

BANKS = ("天津银行 河北银行 齐鲁银行 青岛银行 西安银行 郑州银行 重庆银行 厦门银行 "
         "兰州银行 哈尔滨银行 盛京银行 锦州银行 九江银行 甘肃银行 广州银行 东莞银行 "
         "广州农商银行 深圳农商银行 渝农商行 常熟银行 张家港行 苏农银行 "
         "众邦银行 中信百信银行 国家开发银行 中国进出口银行 中国农业发展银行").split()
FINANCE = ("国信证券 安信证券 长江证券 方正证券 东吴证券 财通证券 国金证券 华安证券 西部证券 "
           "天风证券 东北证券 中泰证券 浙商证券 华西证券 国元证券 中国人保 太平洋保险 泰康保险 "
           "大家保险 华泰保险 中邮保险 水滴公司 京东数科 乐信 奇富科技 信也科技 "
           "汇付天下 连连数字 拉卡拉 通联支付 广发基金 博时基金 汇添富基金 工银瑞信 鹏华基金 景顺长城").split()
INVESTORS = ("深圳高新投 东方嘉富 正心谷资本 华兴资本 "
             "招银国际 国中资本 光速光合 英诺天使基金 九合创投 天图投资 "
             "和玉资本 德同资本 力合创投 清科创投 凯辉基金 碧桂园创投 小米长江产业基金 "
             "国家集成电路产业投资基金 国风投 中金启元 云锋基金 方源资本 普华资本 "
             "洪泰基金 本草资本 远毅资本 华映资本 祥峰投资 讯飞创投 红点中国 金浦投资").split()
COMPANIES = (""
             "云天励飞 格灵深瞳 海光信息 摩尔线程 壁仞科技 燧原科技 天数智芯 沐曦集成电路 "
             "生数科技 衔远科技 聆心智能 西湖心辰 循环智能 竹间智能 "
             "容联云 声网 环信 神州数码 东华软件 宝信软件 能科科技 "
             "文思海辉 博彦科技 润和软件 四维图新 千方科技 高德地图 "
             "货拉拉 满帮集团 京东物流 菜鸟网络 叮咚买菜 每日优鲜 盒马 瑞幸咖啡 蜜雪冰城 "
             "安踏体育 李宁公司 波司登 海尔智家 老板电器 方太集团 九阳股份 苏泊尔 "
             "隆基绿能 通威股份 阳光电源 天合光能 晶科能源 亿纬锂能 国轩高科 欣旺达 "
             "中国电子 中国电科 中国船舶 中国兵器 中国一汽 东风汽车 "
             "北汽集团 奇瑞汽车 江淮汽车 赛力斯 岚图汽车 极氪 哪吒汽车 "
             "汇川技术 大疆创新 优刻得 华云数据 数梦工场 易华录 航天信息 同花顺 东方财富 "
             "恒生电子 长亮科技 宇信科技 神州信息 南天信息 科蓝软件").split()
ACADEMIA = ("北京师范大学 南开大学 天津大学 东南大学 厦门大学 四川大学 电子科技大学 "
            "华中科技大学 西北工业大学 山东大学 吉林大学 大连理工大学 华南理工大学 中南大学 "
            "北京邮电大学 南京理工大学 国防科技大学 上海财经大学 中央财经大学 西湖大学 南方科技大学 "
            "北京大数据研究院 "
            "粤港澳大湾区数字经济研究院 北京通用人工智能研究院 琶洲实验室 紫金山实验室 "
            "中关村实验室 国家工业信息安全发展研究中心 中国电子信息产业发展研究院 "
            "中国信息安全测评中心 国家超级计算无锡中心").split()
ASSOCIATIONS = ("中国计算机学会 中国人工智能学会 中国电子学会 中国软件行业协会 中国信息协会 "
                "中国保险行业协会 中国互联网金融协会 中国证券投资基金业协会 上海市人工智能行业协会 "
                "北京市金融科技产业联盟 中国信通院云计算开源产业联盟 中国通信企业协会").split()
ORGANISATIONS = BANKS + FINANCE + INVESTORS + COMPANIES + ACADEMIA + ASSOCIATIONS

#: Seeds of the development lists (the benchmark uses 1033-4150, bench/fit_review.py 701033-730150).
SEEDS = range(501, 531)
SIZES = (33, 150)


def generate(n: int, seed: int, kind: str = "mixed") -> tuple[str, list[listgen.Entry]]:
    """A development list: tests/listgen.py's generator over this module's organisations.
    Academic and association titles follow the kind of organisation, as in listgen."""
    saved = listgen.ACADEMIA, listgen.ASSOCIATIONS
    listgen.ACADEMIA, listgen.ASSOCIATIONS = ACADEMIA, ASSOCIATIONS
    try:
        return listgen.generate(n, seed, kind, ORGANISATIONS)
    finally:
        listgen.ACADEMIA, listgen.ASSOCIATIONS = saved
