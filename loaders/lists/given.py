"""Common given-name characters, derived from a public corpus rather than written by hand.

The list reader needs to know which characters are common in Chinese given names (伟, 华, 明 ...)
to weigh a reading ``surname + given name`` against an organisation or a title. A hand-written
list drifts towards whatever lists it was tested on, so the characters are derived by a fixed
rule from jieba's dictionary (``jieba/dict.txt``, MIT licence, compiled from the People's Daily
corpus and other public texts), which tags words with their part of speech:

1. *names*: every person-name entry (``nr``, ``nrfg``) of two or three Han characters whose first
   character is a surname of :data:`ecokg.loaders.lists.lexicon.SINGLE_SURNAMES`; count the
   characters after the surname;
2. *words*: count the characters of every entry that is not a person name;
   *transliterations*: count the characters of the transliterated names (``nrt``: 斯, 尔, 克 ...);
3. keep a character seen at least :data:`MIN_COUNT` times in names whose share of name
   characters is at least its share of word characters (it is more typical of names than of
   the vocabulary: 婷, 楠, 昊, not 中, 北, 科) and at most its share of transliteration
   characters (斯, 尔, 拉 are not);
4. drop characters that names almost never use (``lexicon.NOT_IN_NAMES``: 集, 银, 司 ...).

The thresholds compare shares 1:1; they are not fitted to any list.
jieba's dictionary is not a modern-name corpus: it holds historical and literary names too, so
some characters are old-fashioned (氏, 公) and some modern ones are missing; the list reader
treats an unknown character as a possible but uncommon given-name character, not as an error.

``GIVEN_CHARS`` below is that rule's output for jieba 0.42.1, written by
``python scripts/derive-given-chars`` and checked against the installed jieba by
``tests/test_lists.py::test_common_given_chars_are_derived_from_jieba``. Nothing in it comes from
the project's test generators (their names come from Faker's zh_CN list) or from any report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

MIN_COUNT = 3
_HAN = re.compile(r"[\u4e00-\u9fff]{2,3}")
_NAME_TAGS = ("nr", "nrfg")


def jieba_dictionary() -> Path:
    """The path of the dictionary shipped inside the installed jieba package."""
    import jieba

    return Path(jieba.__file__).resolve().parent / "dict.txt"


def derive(lines: Iterable[str], surnames: frozenset[str], exclude: frozenset[str],
           min_count: int = MIN_COUNT) -> str:
    """The common given-name characters of a jieba-format dictionary (``word freq tag`` lines),
    most frequent in names first (ties by character).

    >>> derive(["王伟 3 nr", "李伟明 3 nr", "张明 2 nr", "张婷 2 nr", "明天 3 t", "公司 9 n",
    ...         "王司 1 nr", "斯明 1 nrt"], frozenset("王李张"), frozenset("司"), min_count=1)
    '伟婷'
    """
    names: Counter[str] = Counter()
    words: Counter[str] = Counter()
    foreign: Counter[str] = Counter()
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        word, tag = parts[0], parts[2]
        if tag in _NAME_TAGS:
            if _HAN.fullmatch(word) and word[0] in surnames:
                names.update(word[1:])
        elif tag == "nrt":
            foreign.update(c for c in word if "\u4e00" <= c <= "\u9fff")
        elif not tag.startswith("nr"):
            words.update(c for c in word if "\u4e00" <= c <= "\u9fff")
    n_names, n_words, n_foreign = (max(1, sum(c.values())) for c in (names, words, foreign))
    kept = [c for c, n in names.items()
            if n >= min_count and c not in exclude
            and n / n_names >= words[c] / n_words
            and n / n_names >= foreign[c] / n_foreign]
    return "".join(sorted(kept, key=lambda c: (-names[c], c)))


GIVEN_CHARS = (
    "文子之大明国家军华生王山公林平玉天小光宗海云志东师龙建元金道英正儿太宝成安长世永老春清兵晓江士武立峰君靖氏祥镇青丽庆仁先"
    "阳秀城忠汉新义剑福荣思帝昌哥州民石良红河飞俊叔树相和蓉过庄祖兴伟宁南见爷敏松臣为朝凤笑振可田美瑞嘉木贵村传书康刚才景芳少"
    "侯卫引胜远丹真连香全其如襄强廷泽贤兄宇顺乐府守后泰雪礼承燕章孙广弟星皇虎延洪仲宏孝灵惠郡娘寺智湖堂泉知辉铁珍素绍秋继亮寿"
    "陵慧掌鹏启宫治若仙善复敬僧雄卿权诗尚仪爱李鸿根至健姐川溪萍齐勇培桥领群超锡彦于寨雨亭冰双岩斐修初杨玲莲诚喜斌桂耀静友源叶"
    "怀楚誉涛郎周将昭升向越鸣乃锦梁亦梦母霞麟侠冲岭望贞都微派济谷兆宣富征禄功容珠园冠刘晋毅毛浩琴盛震京坚恒献诸钟乾扬旗温营洞"
    "茂隆玄监赛鹤听姊殿举冬怒柏炳钧铭颜任厚叹密显茶闻右庭柱汝竹衡阁丰哲封佳勤史宪居庙曾欣润艳裕奉孟魏依便勋张紫旭钦鼎抚朱琪儒"
    "宋尉益秉谦跃则唐孔御必津纯羊辅婆岳楼湾绿龄姑尧贯霖宜昆柳渊湘甫忙念眉遂乘吴姓季怡汤翠帮攻桓炎赞典妹岗恭父轩逸凡夷锋陈与丘"
    "吾均奔婷弘爵菊允帅捷碧贾久尊柔羽翔卓洁秦胡藻仓占奏旺末焕著召嗣彪摇枝池渠渡瑜策纲慕沟淑澄皆肃赵又巨巾晶栋洲禅腾范迎颖鹿伐"
    "卒妈斋桢梨翼葛薇凌牧禹陶韵傅娟宽徒欲琦祯蓝藩训豫邑陆骏坡帆惟汗潮申舟虹驹黎凉劲勃坝屯忽慎抢敦桐淮瑾聪赐赤迁霸仆伏坪墨庚挺"
    "瑶萧衫辽郭尹弼晴沛淳滩硕祠舜谏介仕伸你弦毓督耕莹藤雯侍塘壮奶婉寅巍巡庵徽扶棠灿狄盈笙箭莽衍辰述醉霜骑丕丞丸吓屏楠殷纹翁肇"
    "虞遇锁仰吏啸妃岸巧彭旨晨杉潭燮瑛祺竟荫贺韩馨鹰丛兀呈妙宰崖彝徵慰旦杏浦灌熙璋绪芽蜂让诏遥鉴钰铎雁驾咸姬峡悦懿曹朋枫柜榜琏"
    "苑蔚赋鑫铨雀雍龟刃劝呆嫂履巢幸弥彬徐晖梢潇甚祚茹蕾蜀贡逢陪霄驰冶圭妍峻帖拥拱椒沈滋焉熊璐笛谕钊铸俭倩剌垣姨婴岚嵩愈映朴槐"
    "渐纬绣绵翊腊苌谓谟陇喀喊娇媚曜曰杵栖歆歇汁狮玺碑祁绒羲翅舅蝶袁赢郑锐镖霆韶鲸鹃也叙坤峪惜戎戴昊朵椿沅沪涵淞渝滨玮琛璞窑筠"
    "绶耿芹葆蚕裔谨豹贻遵钗镐丫仔午堤娴嬷庐彰愚懋晏朔桦榆毕淇湛炜瞅禾笃胤苔虾询骞鸥黛凰匡吟姚宙或擒昔昕晃札杭柄栗棱泓浙浴涧瀛"
    "猷皋皱纶羡茜莺蒿蟠详谊逵邓邺阗鞍鸾鼐佑侃冉励勉咏唤圃堰墩恕戚戟杲橙汴洙浚澍澜煌煦爹瞎穗绥缨翎膝舵茎荃蕴蠡铉镛骥麓俏俞兮卦"
    "嘻墀婕宸屁屿岂岱恢扁敷曙樱歧汜汪沐泗洽溥珩璇璜畴睛瞻砚磊祜粹绮翘臻芷蔡蕊蕙蝉誓贲践鄂阎陕颂丐俐呵哉姜岑帛弩惕昀昱晔晟栎榕"
    "汶洵洼漪灼炽琢祀秩稷粟粤舫荀菁蔼虏蛟銮铮隶韬颍骅骧鳌鸽鹭仞冀冯劭勺圻姗娣嫣屠庇忒拴敖曦朕楷檀汲沣涤淦渚濂灏烨玖玫瑰瓒盼祈"
    "筱絮繇胥苓荪菱蘅诩辟钞钵锷锺闰闵隽靓鞅魁仝佶卉哩埠墉墟妤姥巩庞彤忱悼拯揉揖擎於晗栈桧棘楣浠澈瀚炅炫焘焯煊皖眯睦稼竺箫芸苻"
    "荻萌裴褚诒谅貂轲邱邵钏钺镶闱霭鹄麒佃佚俅俣倪劾叟嘶塬夔姝娥媳嫔宦岫岷峙巽帧幺庥廖弋忻抿挚晁柬柿棣椁楹榛汛滦潞濠灸焱煜珏琮"
    "皙矶窦笳籁粱缰罡翮耆膛膺艮苇茵荥莘莞葑薰蝴覃谒谭逍铧铿锟锴镒镭闾阑阙阮陟霁韫顼颉颢馗髯鹗"
)
