"""The pieces an expert list is made of, each found with a score: names, organisations, units,
titles, alliance roles, descriptors, and the small words between them.

:class:`Candidates` finds, at each position of a normalised list, every piece that may start
there and how plausible it is from what the reader knows of the language (surnames, the
grammar of organisation names, units and titles, place names), from what this document
says elsewhere (organisations named in other entries), and from optional outside signals
(a gazetteer of known organisations, a named-entity tagger). The decoder
(:mod:`ecokg.loaders.lists.decode`) chooses the best sequence.

Scores are additive log-odds: positive means more likely than not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ecokg.loaders.lists import lexicon as lx
from ecokg.loaders.lists.recur import Grams
from ecokg.loaders.lists.text import Normalised
from ecokg.loaders.lists.words import dictionary, word_cuts

NAME, ROLE, ORG, UNIT, TITLE, FORMER, CONC, SEP, REMIT, DESC, SKIP = (
    "name", "role", "org", "unit", "title", "former", "conc", "sep", "remit", "desc", "skip")

MAX_ORG = 24
MAX_UNIT = 14
MAX_FREE = 8
MAX_ROLE = 24


class Token(NamedTuple):
    """A piece of the list: its kind, its span in the normalised text, its score.

    A named tuple, not a frozen dataclass: a long list makes millions of them, and a frozen
    dataclass's ``__init__`` (one ``object.__setattr__`` per field) took about 3% of reading one
    (py-spy, 10,000 generated entries)."""

    kind: str
    start: int
    end: int
    score: float


@dataclass
class Weights:
    """The weights of the evidence (log-odds). Set once from development lists of several
    kinds (bench/tune_weights.py searches some of them there); see docs/parser.md."""

    name_given2: float = 0.0
    name_given1: float = -0.2
    name_compound: float = -2.0
    name_split_compound: float = -3.0  # 欧|阳红霞: a compound surname read as a single one and a given name
    name_unknown_surname: float = -4.0
    org_short_stem: float = -1.2
    org_splits_word: float = -1.5
    unit_strong_inside: float = -1.0
    name_not_in_names: float = -3.0
    name_rare_char: float = -0.45
    name_ner: float = 1.0
    name_ner_boundary: float = 1.0
    org_base: float = -0.5
    org_strong: float = 2.5
    org_medium: float = 0.7
    org_known: float = 4.0
    org_learned: float = 2.5
    org_place: float = 1.3
    org_ner: float = 1.0
    org_long: float = -0.2
    org_bare_long: float = -0.8
    org_like_person: float = -1.5
    org_short: float = -1.5
    org_after_org: float = -2.5
    org_same_stem: float = 3.0
    unit_base: float = 0.3
    unit_lead_before_field: float = -1.0  # 光能|战略投资部: what stands before a field word is the organisation's
    org_ends_like_unit: float = -1.0
    desc_free_char: float = -0.15
    org_starts_like_name: float = -1.5
    word_cut: float = -1.75
    name_end_cut: float = 0.75  # the share of a word cut that still counts right after a name
    entry_after_sep_in_dun_lists: float = 0.5
    name_is_place: float = -3.0
    org_conjunction: float = -1.5
    org_field_end: float = -1.0
    org_field_before_core: float = -1.0
    org_only_suffixes: float = -2.0
    org_generic_unit: float = -1.0
    title_free_lead_char: float = -0.15
    title_free_single: float = -1.0
    unit_former_inside: float = -1.0
    title_core: float = 1.0
    title_free_char: float = -0.7
    title_free_ok_char: float = -0.35
    title_free_word_char: float = -0.12
    title_after_name: float = -3.0
    title_descriptor: float = -2.5
    name_common_given: float = 0.3
    name_uncommon_given: float = 0.0
    org_inner_former: float = -1.5
    org_starts_former: float = -2.0
    org_candidate_recurs: float = 2.0
    org_attested: float = 2.0
    unit_bound: float = -3.0
    unit_attested: float = 1.5  # 瑞幸咖啡|投资部: a unit the document writes after varied names
    title_free_unit_start: float = -3.0
    org_inner_suffix: float = -1.0
    role: float = 2.0
    desc: float = 1.1
    entry_after_sep: float = -0.5
    org_lead_given: float = -2.5  # right after a name, an organisation that begins with a lone given-name character
    entry_after_role: float = -1.5  # a new entry after 理事会成员、: the last person has a role and no post
    entry_at_gap: float = 1.5
    name_apart: float = 1.0
    gap_inside: float = -0.6
    gap_inside_name: float = -1.5
    no_person: float = -3.5
    skip: float = -8.0


def _lead_given(t: str) -> list[bool]:
    """For each position, whether a common given-name character stands there that makes no word
    with what follows while the next characters begin one.

    >>> [i for i, x in enumerate(_lead_given("柴玉霞长江证券")) if x]   # 霞 before 长江, 江 before 证券
    [2, 4]
    """
    words = dictionary()
    out = [False] * (len(t) + 1)
    for p in range(len(t) - 2):
        if t[p] in lx.COMMON_GIVEN and not any(t[p:p + n] in words for n in (2, 3, 4)) and any(
                t[p + 1:p + 1 + n] in words for n in (2, 3, 4)):
            out[p] = True
    return out


_LINE_WORDS = tuple(w for w in lx.FIELD_WORDS + lx.GENERIC_STEMS if len(w) >= 2)


def _lead_before_field(unit: str) -> bool:
    """Does ``unit`` begin with two or more characters that are no field of work, followed by one
    (光能|战略投资部, 优鲜|风险管理部)? Units are named by their line of work; what stands before it
    is more often the end of the organisation's name (天合光能, 每日优鲜).

    >>> _lead_before_field("光能战略投资部"), _lead_before_field("战略投资部"), _lead_before_field("数字银行部")
    (True, False, False)
    """
    if unit.startswith(_LINE_WORDS):
        return False
    return any(unit.startswith(word, k) for k in range(2, len(unit) - 2)
               for word in _LINE_VOCAB.by_first.get(unit[k], ()))


class Vocab:
    """Words indexed by their first character, to find which of them start at a position fast."""

    def __init__(self, words: tuple[str, ...]):
        self.words = lx.longest_first(words)
        self.by_first: dict[str, tuple[str, ...]] = {}
        for w in self.words:
            self.by_first[w[0]] = self.by_first.get(w[0], ()) + (w,)

    def ends(self, text: str, start: int) -> list[int]:
        """Ends of the words that start at ``text[start]``, longest first."""
        if start >= len(text):
            return []
        return [start + len(w) for w in self.by_first.get(text[start], ()) if text.startswith(w, start)]


_CORES = Vocab(lx.TITLE_CORES)
_LINE_VOCAB = Vocab(_LINE_WORDS)
_PREFIXES = Vocab(lx.TITLE_PREFIXES)
_UNITS = lx.longest_first(lx.UNIT_SUFFIXES)
_STRONG = lx.longest_first(lx.ORG_SUFFIXES_STRONG)
_MEDIUM = lx.longest_first(lx.ORG_SUFFIXES_MEDIUM)
_ROLES = Vocab(lx.ALLIANCE_ROLES)
_TITLE_WORDS = frozenset(lx.TITLE_CORES) - {"代表", "成员", "委员", "秘书", "干事", "助理", "专家", "GM", "MD"}
# units that need a name before them (数据中心, 智能云事业群; not 中心, 事业群 alone); a research
# bureau may stand alone (中国人民银行研究局原局长), as may the head office (总行) or a region (中国区)
_NEEDS_NAME = frozenset(u for u in lx.UNIT_SUFFIXES if u not in lx.BARE_UNITS + (
    "研究局", "中国区", "大区", "BG", "BU"))
_PURE_UNITS = tuple(u for u in lx.longest_first(lx.UNIT_SUFFIXES) if u not in lx.ORG_SUFFIXES_STRONG)
_SUFFIX_SET = frozenset(lx.ORG_SUFFIXES_STRONG + lx.ORG_SUFFIXES_MEDIUM)
_SUFFIX_VOCAB = Vocab(_STRONG + _MEDIUM)
_SUFFIX_WORDS = tuple(s for s in lx.longest_first(lx.ORG_SUFFIXES_STRONG + lx.ORG_SUFFIXES_MEDIUM) if len(s) >= 2)
_CONJUNCTIONS = frozenset("与和及")
_UNIT_WORDS = tuple(u for u in lx.longest_first(lx.UNIT_SUFFIXES) if len(u) >= 3)
_STRONG_INSIDE = ("集团", "银行", "公司", "基金", "资本", "创投", "大学", "保险", "证券", "控股")
_BARRIERS = frozenset(lx.SEPARATORS + lx.OPEN + lx.CLOSE + lx.CONCURRENT)
_FIELD_SUFFIXES = tuple(s for s in lx.ORG_SUFFIXES_MEDIUM if s in lx.FIELD_WORDS or s in ("投资", "数据", "信息", "金融"))
_UNIT_CHARS = frozenset(u for u in lx.UNIT_SUFFIXES if len(u) == 1)


@lru_cache(maxsize=65536)
def suffix_class(text: str) -> int:
    """2 when ``text`` ends with a strong organisation suffix, 1 with a medium one, else 0.

    >>> suffix_class("招商银行"), suffix_class("小鹏汽车"), suffix_class("美团")
    (2, 1, 0)
    """
    if any(text.endswith(s) and len(text) > len(s) for s in _STRONG):
        return 2
    if any(text.endswith(s) and len(text) > len(s) for s in _MEDIUM):
        return 1
    return 0


@lru_cache(maxsize=65536)
def org_stem(text: str) -> str:
    """What comes before an organisation's suffix(es).

    >>> org_stem("招商银行"), org_stem("视科技"), org_stem("美团")
    ('招商', '视', '美团')
    """
    for s in _STRONG + _MEDIUM:
        if text.endswith(s) and len(text) > len(s):
            return org_stem(text[:-len(s)]) if suffix_class(text[:-len(s)]) else text[:-len(s)]
    return text


@lru_cache(maxsize=65536)
def inner_end(text: str) -> int:
    """Where an organisation name ends inside ``text`` (after a strong suffix, with two or more
    characters left that are not themselves just suffix words: 香港科技大学 is one name), or 0.

    >>> inner_end("北京大学软件学院"), inner_end("上汽集团执行副总"), inner_end("香港科技大学"), inner_end("招商银行")
    (4, 4, 0, 0)
    """
    for i in range(2, len(text) - 1):
        head, rest = text[:i], text[i:]
        if suffix_class(head) == 2 and (rest.endswith(_UNITS) or not _only_suffixes(rest)):
            return i
    return 0


_UNIT_ORG_SUFFIXES = tuple(u for u in lx.longest_first(lx.UNIT_SUFFIXES) if u in lx.ORG_SUFFIXES_STRONG)
_GENERIC_WORDS = lx.longest_first(w for w in lx.GENERIC_STEMS + lx.FIELD_WORDS if len(w) >= 2)


@lru_cache(maxsize=65536)
def _generic_unit_end(text: str) -> bool:
    """Does ``text`` end in a generic unit (a field word and 研究院, 实验室 ...) after a name of two
    or more characters that is not only a place (拼多多人工智能研究院; not 上海人工智能实验室)?

    >>> _generic_unit_end("拼多多人工智能研究院"), _generic_unit_end("上海人工智能实验室"), _generic_unit_end("中国科学院")
    (True, False, False)
    """
    for u in _UNIT_ORG_SUFFIXES:
        if text.endswith(u):
            stem = text[:-len(u)]
            for g in _GENERIC_WORDS:
                if stem.endswith(g):
                    head = stem[:-len(g)]
                    return len(head) >= 2 and lx.starts_with_place(head) != head
            return False
    return False


_LONG_PREFIXES = tuple(x for x in lx.TITLE_PREFIXES if len(x) >= 2 and x not in ("管理", "联合", "董事", "独立"))


def _ascii_cut(text: str, i: int) -> bool:
    """True when position ``i`` falls inside a Latin word: between two Latin letters or digits,
    unless a capital follows a small letter (MiniMax|COO).

    >>> _ascii_cut("MiniMaxCOO", 5), _ascii_cut("MiniMaxCOO", 7), _ascii_cut("TCL科技", 3)
    (True, False, False)
    """
    return 0 < i < len(text) and text[i - 1].isascii() and text[i].isascii() and text[i - 1].isalnum() \
        and text[i].isalnum() and not (text[i - 1].islower() and text[i].isupper())


@lru_cache(maxsize=65536)  # asked of every short organisation candidate without a suffix
def _reads_like_person(text: str) -> bool:
    """Is ``text`` a surname and common given-name characters only (徐明; not 美团, 蔚来)?

    >>> _reads_like_person("徐明"), _reads_like_person("美团"), _reads_like_person("欧阳明")
    (True, False, True)
    """
    s = lx.surname_at(text)
    return bool(s) and len(text) > s and all(c in lx.COMMON_GIVEN for c in text[s:])


_DESCRIBED = tuple(lx.DESCRIPTOR_CORES)


def _described_from(t: str, p: int, hi: int) -> int:
    """The first end ``e <= hi`` such that a description of a person (专家, 投资人) stands inside
    ``t[p:e]`` with more after it than a committee or group of such people (专家委员会, 专家组), or
    ``len(t) + 1``. Once it does, it does in every longer span (the first description stays inside).

    >>> _described_from("国家智库专家江华", 0, 8), _described_from("星河专家委员会", 0, 7), _described_from("星河专家", 0, 4)
    (7, 8, 5)
    """
    out = len(t) + 1
    for d in _DESCRIBED:
        k = t.find(d, p, hi)
        if 0 <= k and k + len(d) < len(t) and t[k + len(d)] not in "委组库咨":
            out = min(out, k + len(d) + 1)
    return out


def _strong_inside_from(t: str, p: int, hi: int) -> int:
    """The first ``q <= hi`` such that ``t[p:q]`` holds one of :data:`_STRONG_INSIDE` (集团, 银行 ...),
    or ``hi + 1``: what free words before a title or descriptor may not hold."""
    out = hi + 1
    for x in _STRONG_INSIDE:
        k = t.find(x, p, hi)
        if k >= 0 and k + len(x) < out:
            out = k + len(x)
    return out


def _latin_runs(text: str) -> int:
    """How many runs of characters other than Chinese ideographs ``text`` holds.

    >>> _latin_runs("CPE源峰"), _latin_runs("联想之星"), _latin_runs("TCL科技ABC")
    (1, 0, 2)
    """
    runs, inside = 0, False
    for c in text:
        latin = not lx.is_cjk(c)
        runs += latin and not inside
        inside = latin
    return runs


_NOT_ORG_STARTS = ("首席", "高级", "执行", "联席", "常务", "资深", "创始", "副", "兼")


@lru_cache(maxsize=65536)
def _only_title_prefixes(text: str) -> bool:
    """True for text made only of title prefixes (联合, 首席): it names no organisation."""
    if not text:
        return True
    return any(_only_title_prefixes(text[e:]) for e in _PREFIXES.ends(text, 0))


_FIELD_LAST = frozenset(f[-1] for f in lx.FIELD_WORDS)


def _attested_unit(text: str, attested: frozenset[str]) -> bool:
    """Is ``text`` an attested unit, or one after a line of work (战略投资部 where 投资部 is)?"""
    return text in attested or any(text.startswith(f) and text[len(f):] in attested for f in lx.FIELD_WORDS)


@lru_cache(maxsize=65536)
def _only_suffixes(text: str) -> bool:
    """True when ``text`` is made only of organisation suffix words (大学, 科技集团, 交易所)."""
    if not text:
        return True
    # only the suffixes that begin with its first character are tried (all of them were: 3% of
    # the time of reading a long list)
    return any(text.startswith(s) and _only_suffixes(text[len(s):]) for s in _SUFFIX_VOCAB.by_first.get(text[0], ()))


@lru_cache(maxsize=65536)
def stem(org: str) -> str:
    """The proper-name part of an organisation (its first two characters at least).

    >>> stem("用友集团"), stem("海尔新能源"), stem("中信")
    ('用友', '海尔', '中信')
    """
    return org[:2]


def coreseq_ends(text: str, start: int) -> list[int]:
    """Ends of every run of title prefixes and cores starting at ``start`` that ends with a core,
    including the pattern 首席X官 (首席信息官, 首席数据官).

    >>> t = "高级副总裁兼CTO"
    >>> coreseq_ends(t, 0)
    [5]
    >>> coreseq_ends("首席信息官张三", 0)
    [5]
    """
    ends: set[int] = set()
    frontier = {start}
    seen: set[int] = set()
    while frontier:
        pos = frontier.pop()
        if pos in seen:
            continue
        seen.add(pos)
        for e in _CORES.ends(text, pos):
            ends.add(e)
            frontier.add(e)
        for e in _PREFIXES.ends(text, pos):
            frontier.add(e)
        if text.startswith("首席", pos):
            for n in range(1, 5):
                e = pos + 2 + n
                if e < len(text) and text[e] == "官" and all(lx.is_cjk(c) for c in text[pos + 2:e]):
                    ends.add(e + 1)
                    frontier.add(e + 1)
    return sorted(ends)


@dataclass
class Signals:
    """What is known besides the text itself."""

    known_orgs: Mapping[str, str] = field(default_factory=dict)  # written form -> canonical (gazetteer)
    learned: frozenset[str] = frozenset()  # organisations this document names with confidence
    ner_org: frozenset[tuple[int, int]] = frozenset()  # spans a tagger read as organisations
    ner_per: frozenset[tuple[int, int]] = frozenset()  # spans a tagger read as people
    recurring: frozenset[str] = frozenset()  # organisation readings possible in several entries
    attested: frozenset[str] = frozenset()  # readings written in varied company in several places (.recur)
    bound: frozenset[str] = frozenset()  # unit readings always written after the same character (.recur)
    units_attested: frozenset[str] = frozenset()  # unit readings written in varied company (.recur)
    ner_boundaries: frozenset[int] | None = None  # where a tagger ends words (None: no tagger)


class _Index:
    """Where the words that matter stand in a text, computed once per list for fast scoring."""

    def __init__(self, text: str):
        n = len(text)
        self.text = text
        self.suffixes: dict[int, list[tuple[int, int]]] = {}  # end -> [(length, class)]
        for words, cls in ((_STRONG, 2), (_MEDIUM, 1)):
            for s in words:
                for i in lx.occurrences(text, s):
                    self.suffixes.setdefault(i + len(s), []).append((len(s), cls))
        self.crosses_suffix = [False] * (n + 1)
        for s in _SUFFIX_WORDS + _UNIT_WORDS:
            for i in lx.occurrences(text, s):
                for b in range(i + 1, i + len(s)):
                    self.crosses_suffix[b] = True
        starts: list[int] = [n + 99] * (n + 2)
        for w in _TITLE_WORDS:
            for i in lx.occurrences(text, w):
                starts[i] = min(starts[i], i + len(w))
        self.title_word_end_from = [n + 99] * (n + 2)
        for i in range(n, -1, -1):
            self.title_word_end_from[i] = min(starts[i], self.title_word_end_from[i + 1])
        self.next_former = self._next(lambda c: c in lx.FORMER_MARKERS)
        verb_at = [n] * (n + 1)
        for v in lx.REMIT_VERBS:
            for i in lx.occurrences(text, v):
                verb_at[i] = i
        for i in range(n - 1, -1, -1):
            verb_at[i] = min(verb_at[i], verb_at[i + 1])
        self.next_verb = verb_at  # where the next remit verb (分管) starts
        self.cjk_before = [0] * (n + 1)
        for i, c in enumerate(text):
            self.cjk_before[i + 1] = self.cjk_before[i] + lx.is_cjk(c)
        firsts = {w[0] for w in _CORES.words} | {w[0] for w in _PREFIXES.words}
        title_start = [False] * (n + 1)
        for i in range(n):
            if text[i] in firsts and (_CORES.ends(text, i) or _PREFIXES.ends(text, i)):
                title_start[i] = True
        self.next_title_word = [n + 99] * (n + 2)  # where the next title prefix or core starts
        for i in range(n - 1, -1, -1):
            self.next_title_word[i] = i if title_start[i] else self.next_title_word[i + 1]
        self.next_conj = self._next(lambda c: c in "与和及")
        strong_end = [False] * (n + 1)
        for e, items in self.suffixes.items():
            if any(cls == 2 for _, cls in items):
                strong_end[e] = True
        #: the lengths of the suffixes that end at each position, longest first (:meth:`stem_length`),
        #: and the shortest strong one (0: none; :meth:`inner_end`)
        self.suffix_lengths = {e: sorted({length for length, _ in items}, reverse=True)
                               for e, items in self.suffixes.items()}
        self.strong_length = [0] * (n + 1)
        for e, items in self.suffixes.items():
            self.strong_length[e] = min((length for length, cls in items if cls == 2), default=0)
        self.strong_before = [0] * (n + 2)  # how many strong-suffix ends at or before each position
        for i in range(n + 1):
            self.strong_before[i + 1] = self.strong_before[i] + strong_end[i]
        # 星河投资|企服投资负责人: where a suffix ends and a field word (企服, 技术) begins
        field_start = [False] * (n + 1)
        for f in lx.FIELD_WORDS:
            for i in lx.occurrences(text, f):
                field_start[i] = True
        self.field_after_suffix = [0] * (n + 2)
        for i in range(n + 1):
            self.field_after_suffix[i + 1] = self.field_after_suffix[i] + (field_start[i] and i in self.suffixes)
        #: the length of the shortest field word (技术) and pure unit (投资部) that ends at each
        #: position (0: none): ``text[p:e]`` ends with one when ``0 < length[e] <= e - p``
        self.field_end = self._shortest_ending(lx.FIELD_WORDS)
        self.pure_unit_end = self._shortest_ending(_PURE_UNITS)
        #: how many runs of characters other than ideographs begin before each position (CPE源峰:
        #: one at 0); with the character at ``p``, the runs of ``text[p:e]`` (:func:`_latin_runs`)
        self.latin_before = [0] * (n + 2)
        for i in range(n + 1):
            begins = i < n and not lx.is_cjk(text[i]) and (i == 0 or lx.is_cjk(text[i - 1]))
            self.latin_before[i + 1] = self.latin_before[i] + begins

    def _shortest_ending(self, words: tuple[str, ...]) -> list[int]:
        out = [0] * (len(self.text) + 1)
        for w in words:
            for i in lx.occurrences(self.text, w):
                e = i + len(w)
                out[e] = len(w) if not out[e] else min(out[e], len(w))
        return out

    def latin_runs(self, p: int, e: int) -> int:
        """:func:`_latin_runs` of ``text[p:e]`` (``p < e``)."""
        return (not lx.is_cjk(self.text[p])) + self.latin_before[e] - self.latin_before[p + 1]

    def _next(self, pred: Callable[[str], bool]) -> list[int]:
        n = len(self.text)
        out = [n] * (n + 1)
        nxt = n
        for i in range(n - 1, -1, -1):
            if pred(self.text[i]):
                nxt = i
            out[i] = nxt
        return out

    def suffix_class(self, p: int, e: int) -> int:
        """The class of the suffix ``text[p:e]`` ends with (with a character or more before it)."""
        best = 0
        for length, cls in self.suffixes.get(e, ()):
            if e - length > p and cls > best:
                best = cls
        return best

    def stem_length(self, p: int, e: int) -> int:
        """How many characters of ``text[p:e]`` come before its suffix words (招商银行: 2; 山科技集团:
        1; 青云科技: 2, a one-character suffix before the last only counts where two characters are
        left before it)."""
        end = e
        lengths = self.suffix_lengths
        while True:
            cut = 0
            for length in lengths.get(end, ()):  # the longest suffix with a character before it
                if end - length > p:
                    cut = length
                    break
            if not cut or (end < e and cut == 1 and end - cut - p < 2):
                return end - p  # 青云科技: 青云 before 科技, though 云 ends names too (山科技集团: 山)
            end -= cut

    def inner_end(self, p: int, e: int) -> int:
        """Absolute position where an organisation ends inside ``text[p:e]`` (see :func:`inner_end`), or 0."""
        strong_length = self.strong_length
        for i in range(p + 2, e - 1):
            if 0 < strong_length[i] <= i - p - 1:  # a strong suffix ends at i, a character before it
                rest = self.text[i:e]
                if rest.endswith(_UNITS) or not _only_suffixes(rest):
                    return i
        return 0



class Candidates:
    """Every scored piece that may start at each position of a normalised list."""

    def __init__(self, norm: Normalised, signals: Signals | None = None, weights: Weights | None = None):
        self.n = norm
        self.t = norm.text
        self.s = signals or Signals()
        self.w = weights or Weights()
        #: what :meth:`at` has found, for each position by kind (a dict per position: the
        #: decoders ask it for every kind at every position, and a key (kind, position) made a
        #: tuple each time)
        self.found: list[dict[str, list[Token]]] = [{} for _ in range(len(self.t) + 1)]
        self._coreseq: dict[int, list[int]] = {}
        self._barrier = self._next_barriers()
        self._unit_ends, self._next_unit_end = self._unit_index()
        cuts = self.cuts = word_cuts(self.t)
        #: the score of a boundary at each position: what it cuts (0 after a separator or bracket)
        self.cut_pen = [0.0 if i == 0 or self.t[i - 1] in _BARRIERS else self.w.word_cut * c
                        for i, c in enumerate(cuts)]
        #: positions where a given-name character stands alone before a word (柴玉|霞长江证券: 霞 is no
        #: word with 长, 长江 is one): an organisation starting there after a name has likely taken
        #: the name's last character
        self.lead_given = _lead_given(self.t)
        self._like_name: dict[tuple[int, int], bool] = {}
        self._makers = {k: getattr(self, "_" + k) for k in (NAME, ROLE, ORG, UNIT, TITLE, FORMER, CONC, SEP, REMIT,
                                                             DESC, SKIP)}
        self._ix = _Index(self.t)
        self._grams: Grams | None = None
        self._follows = [self._follows_org(e) for e in range(len(self.t) + 1)]
        t = self.t
        #: per position: does it fall inside a Latin word (:func:`_ascii_cut`; no organisation,
        #: title or free text starts or ends there), may an organisation's name end there at all
        #: (not after 副, not inside a Latin word), and the length of the shortest long title prefix
        #: (高级, 执行) that ends there (0: none). Looked up for every span an organisation or a title
        #: may take, so computed once.
        self._acut = [_ascii_cut(t, i) for i in range(len(t) + 1)]
        self._no_org_end = [i == 0 or self._acut[i] or t[i - 1] == "副" for i in range(len(t) + 1)]
        #: where the first of :data:`_STRONG_INSIDE` (集团, 银行 ...) from each position on ends
        #: (:meth:`_strong_inside_from`, asked of every title and descriptor)
        self._strong_end_from = [len(t) + 1] * (len(t) + 2)
        strong_ends: dict[int, int] = {}
        for x in _STRONG_INSIDE:
            for i in lx.occurrences(t, x):
                strong_ends[i] = min(strong_ends.get(i, len(t) + 1), i + len(x))
        for i in range(len(t) - 1, -1, -1):
            self._strong_end_from[i] = min(self._strong_end_from[i + 1], strong_ends.get(i, len(t) + 1))
        #: how many positions before each had white space before them (``gap`` not 0): a span
        #: without any needs no sum of its gaps (:meth:`gap_penalty`, asked of every candidate)
        self._gaps_before = [0] * (len(norm.gap) + 1)
        for i, g in enumerate(norm.gap):
            self._gaps_before[i + 1] = self._gaps_before[i] + (g != 0.0)
        self._long_prefix_len = [0] * (len(t) + 1)
        for x in _LONG_PREFIXES:
            for i in lx.occurrences(t, x):
                cur = self._long_prefix_len[i + len(x)]
                self._long_prefix_len[i + len(x)] = len(x) if not cur else min(cur, len(x))

    def short_name(self, p: int, e: int) -> bool:
        """Is ``t[p:e]`` a surname and one given-name character (柴玉, not 柴玉霞)?"""
        s = lx.surname_at(self.t[p:e])
        return bool(s) and e - p - s == 1

    def _next_barriers(self) -> list[int]:
        """For each position, where the next separator, bracket or 兼 is (or the end)."""
        out = [len(self.t)] * (len(self.t) + 1)
        nxt = len(self.t)
        for i in range(len(self.t) - 1, -1, -1):
            if self.t[i] in _BARRIERS:
                nxt = i
            out[i] = nxt
        return out

    def _unit_index(self) -> tuple[set[int], list[int]]:
        """Where unit suffixes end, and for each position the first such end after it."""
        ends = {i + len(u) for u in _UNITS for i in lx.occurrences(self.t, u)}
        nxt = [len(self.t) + 99] * (len(self.t) + 2)
        for i in range(len(self.t), -1, -1):
            nxt[i] = i + 1 if i + 1 in ends else nxt[i + 1]
        return ends, nxt

    def _starts_bound(self, p: int, e: int) -> bool:
        """Does the unit ``text[p:e]`` begin with a unit the document always writes after the
        same character (see :func:`.recur.bound`)?"""
        return any(self.t[p:x] in self.s.bound for x in self.unit_ends(p, e))

    def unit_ends(self, p: int, e: int) -> list[int]:
        """Where a unit suffix ends in ``text[p:e]`` (after its first character), ``e`` included."""
        return [i for i in range(p + 2, e + 1) if i in self._unit_ends]

    def _word_chars(self, p: int, q: int) -> int:
        """How many characters of ``text[p:q]`` a greedy cover with dictionary words takes."""
        words = dictionary()
        covered, i = 0, p
        while i < q:
            for n in (4, 3, 2):
                if i + n <= q and self.t[i:i + n] in words:
                    covered += n
                    i += n
                    break
            else:
                i += 1
        return covered

    @property
    def grams(self) -> Grams:
        """Where each two- and three-character string of the text starts (built once)."""
        if self._grams is None:
            self._grams = Grams(self.n)
        return self._grams

    def learn(self, learned: frozenset[str], recurring: frozenset[str],
              attested: frozenset[str] = frozenset(), bound: frozenset[str] = frozenset(),
              units_attested: frozenset[str] = frozenset()) -> None:
        """Add what the document taught (its confident, recurring and attested organisations, its
        bound and attested units) to the candidates already found, keeping everything else that
        was computed."""
        w = self.w
        self._like_name.clear()
        self.s = Signals(known_orgs=self.s.known_orgs, learned=learned, recurring=recurring, attested=attested,
                         bound=bound, units_attested=units_attested, ner_org=self.s.ner_org, ner_per=self.s.ner_per)
        bonus: dict[str, float] = {}
        for words, weight in ((learned - self.s.known_orgs.keys(), w.org_learned),
                              (recurring, w.org_candidate_recurs),
                              (attested - self.s.known_orgs.keys(), w.org_attested)):
            for x in words:
                if len(x) >= 2:
                    bonus[x] = bonus.get(x, 0.0) + weight
        boost: dict[int, dict[int, float]] = {}  # start -> end -> bonus
        for x, b in bonus.items():
            if b:
                for i in self.grams.occurrences(x):
                    ends = boost.setdefault(i, {})
                    ends[i + len(x)] = b
                    if x in attested:
                        # the name attested, written here with its suffix: 浪潮 in 浪潮信息
                        for tok in self.found[i].get(ORG, ()):
                            if tok.end > i + len(x) and _only_suffixes(self.t[i + len(x):tok.end]):
                                ends.setdefault(tok.end, w.org_attested)
        for i, ends in boost.items():
            toks = self.found[i].get(ORG)
            if toks:
                self.found[i][ORG] = [Token(ORG, t.start, t.end, t.score + ends[t.end]) if t.end in ends else t
                                      for t in toks]
        tied: dict[int, int] = {}  # start -> the shortest bound unit starting there
        for x in bound:
            for i in self.grams.occurrences(x):
                tied[i] = min(tied.get(i, 1 << 30), i + len(x))
        for i, end in tied.items():
            toks = self.found[i].get(UNIT)
            if toks:
                self.found[i][UNIT] = [Token(UNIT, t.start, t.end, t.score + w.unit_bound) if t.end >= end else t
                                       for t in toks]
        if w.unit_attested:
            for x in units_attested:
                for i in self.grams.occurrences(x):
                    # the unit, and the unit after a line of work (战略|投资部): that word is the unit's
                    lead = [i - len(f) for f in lx.FIELD_WORDS if self.t.endswith(f, 0, i)] if (
                        i and self.t[i - 1] in _FIELD_LAST) else []
                    for a in [i] + lead:
                        toks = self.found[a].get(UNIT)
                        if toks:
                            self.found[a][UNIT] = [Token(UNIT, t.start, t.end, t.score + w.unit_attested)
                                                   if t.end == i + len(x) else t for t in toks]

    def strong_org(self, tok: Token) -> bool:
        """Is ``tok`` an organisation with a suffix (银行, 集团 ...) or a known one?"""
        return tok.kind == ORG and (self._ix.suffix_class(tok.start, tok.end) > 0
                                    or self.t[tok.start:tok.end] in self.s.known_orgs)

    def starts_like_name_at(self, p: int, e: int) -> bool:
        key = (p, e)
        got = self._like_name.get(key)
        if got is None:
            text = self.t[p:e]
            got = self._like_name[key] = self.starts_like_name(text) or self._starts_with_name_then_known(text)
        return got

    def at(self, kind: str, p: int) -> list[Token]:
        row = self.found[p] if p < len(self.found) else {}
        got = row.get(kind)
        if got is None:
            got = self._makers[kind](p) if p < len(self.t) else []
            if len(got) > 1 and kind != ORG:  # one token per span: the best way of reading it (an
                # organisation has one per end already)
                best: dict[int, Token] = {}
                for tok in got:
                    if tok.end not in best or tok.score > best[tok.end].score:
                        best[tok.end] = tok
                got = list(best.values())
            cut = self.cut_pen[p]
            if cut and kind not in (SEP, CONC, REMIT, SKIP):
                # a boundary here cuts a word in two (阳|光, 信息|技术)
                got = [Token(tok.kind, tok.start, tok.end, tok.score + cut) for tok in got]
            row[kind] = got
        return got

    def gap_penalty(self, start: int, end: int, weight: float) -> float:
        if self._gaps_before[end] == self._gaps_before[start + 1]:
            return 0.0  # no white space inside (most spans): nothing to sum
        g = self.n.gaps_inside(start, end)
        return g * weight if g else 0.0

    # -- people -------------------------------------------------------------------
    def _name(self, p: int) -> list[Token]:
        t, w = self.t, self.w
        sur = lx.surname_at(t, p)
        out = []
        lengths = [sur, 1] if sur == 2 and t[p] in lx.SINGLE_SURNAMES else [sur] if sur else [1]
        # what does not depend on the name's length, asked once
        place = lx.starts_with_place(t[p:p + 4])
        cjk_before, gap = self._ix.cjk_before, self.n.gap
        ner_per, ner_boundaries = self.s.ner_per, self.s.ner_boundaries
        for s in lengths:
            for given in (1, 2):
                e = p + s + given
                if e > len(t) or cjk_before[e] - cjk_before[p] != e - p:
                    continue
                score = w.name_given2 if given == 2 else w.name_given1
                if s == 2:
                    score += w.name_compound
                elif sur == 2:
                    score += w.name_split_compound
                if not sur:
                    score += w.name_unknown_surname
                for c in t[p + s:e]:
                    if c in lx.NOT_IN_NAMES:
                        score += w.name_not_in_names
                    elif c in lx.RARE_IN_NAMES:
                        score += w.name_rare_char
                    score += w.name_common_given if c in lx.COMMON_GIVEN else w.name_uncommon_given
                if ner_per and (p, e) in ner_per:
                    score += w.name_ner
                if ner_boundaries is not None:
                    score += w.name_ner_boundary if e in ner_boundaries else -w.name_ner_boundary
                if place and (t[p:e].startswith(place) or place.startswith(t[p:e])):
                    score += w.name_is_place  # 广东博华资本: a place begins an organisation
                    if place in lx.PROVINCES:
                        score += w.name_is_place  # a person is hardly named 广东X or 上海X
                if e < len(gap):
                    score += w.name_apart * gap[e]
                if p > 0:
                    score += w.entry_at_gap * gap[p]  # an entry more often starts after white space
                score += self.gap_penalty(p, e, w.gap_inside_name)
                out.append(Token(NAME, p, e, score))
        return out

    # -- organisations ------------------------------------------------------------
    def org_score(self, p: int, e: int) -> float | None:
        """How plausible ``text[p:e]`` is as the name of an organisation (None: it cannot be)."""
        out = self._orgs_from(p, e)
        return out[-1].score if out and out[-1].end == e else None

    def _orgs_from(self, p: int, only: int | None = None) -> list[Token]:
        """Organisation candidates starting at ``p`` (every end, or only ``only``), scored.

        Asked at almost every position of a list (a quarter of the time of reading one): what
        does not depend on the end is looked up once, and what does from tables made once per
        text (:class:`_Index`). The score is summed in the same order whatever is looked up."""
        t, w, ix = self.t, self.w, self._ix
        hi = min(self._barrier[p], p + MAX_ORG, ix.next_verb[p])
        if t.startswith(lx.BARE_UNITS, p) or t.startswith(_NOT_ORG_STARTS, p) or self._acut[p]:
            return []
        place = lx.starts_with_place(t[p:p + 4])
        known, learned, recurring = self.s.known_orgs, self.s.learned, self.s.recurring
        attested, ner_org = self.s.attested, self.s.ner_org
        first_title_word = ix.title_word_end_from[p]
        former_inside = ix.next_former[p + 1] if p + 1 < len(t) else len(t)
        conj_inside = ix.next_conj[p + 1] if p + 1 < len(t) else len(t)
        base = w.org_base + (w.org_place if place else 0.0)
        if t[p] in lx.FORMER_MARKERS and not place:
            base += w.org_starts_former  # 原华夏银行: the marker of a former post, unless a place (前海)
        out = []
        no_end, prefix_len = self._no_org_end, self._long_prefix_len
        described = _described_from(t, p, hi)
        follows = self._follows
        may_be_prefixes = t[p] in _PREFIXES.by_first
        field_end, pure_unit_end, crosses = ix.field_end, ix.pure_unit_end, ix.crosses_suffix
        field_after, strong_before = ix.field_after_suffix, ix.strong_before
        cjk_p = ix.cjk_before[p]
        field_inside_from = field_after[p + 3] if p + 3 < len(field_after) else 0
        strong_inside_from = strong_before[p + 2]
        for e in range(p + 2, hi + 1):
            if only is not None and e != only:
                continue
            text = t[p:e]
            is_known = text in known
            if e >= first_title_word and not is_known:
                break  # every longer span holds a title word (总裁, 董事长) too
            if no_end[e] or text in _SUFFIX_SET or 0 < prefix_len[e] <= e - p:
                continue  # MiniMa|x; 青云科技副|董事长; 科技 alone; 中国平安高级|副总裁
            if e >= described:
                break  # 国家智库专家江华南方电网: a description of one person, then the next entry
            cls = ix.suffix_class(p, e)
            if not (cls or is_known or follows[e]):
                continue  # only a strong name may be followed by another organisation (a subsidiary)
            if may_be_prefixes and _only_title_prefixes(text):
                continue
            length = e - p
            score = base
            if is_known:
                score += w.org_known
            elif text in learned:
                score += w.org_learned
            if cls:
                score += w.org_strong if cls == 2 else w.org_medium
                if ix.stem_length(p, e) < 2:
                    score += w.org_short_stem  # 视科技, 湖资本: a name has two characters before its suffix
            if place and length <= len(place):
                score -= w.org_place
            if former_inside < e:
                score += w.org_inner_former
            if text in recurring:
                score += w.org_candidate_recurs
            if not is_known and text in attested:
                score += w.org_attested
            if conj_inside < e and not is_known:
                score += w.org_conjunction  # 科技与工业投资: a line of business, not a name
            if cls == 1 and text.endswith(_FIELD_SUFFIXES) and _CORES.ends(t, e):
                score += w.org_field_before_core  # 优必选投资|总监: 投资总监 is a title
            if not cls and not is_known:
                if 0 < field_end[e] <= length:
                    score += w.org_field_end  # 喜茶信息技术: the field belongs to the title that follows
                if 0 < pure_unit_end[e] <= length:
                    score += w.org_ends_like_unit  # 寒武纪投资部: what ends in 部 is mostly a unit
            if cls and _only_suffixes(text) and not place:
                score += w.org_only_suffixes  # 保险集团: no name before the suffixes
            if cls == 2 and _generic_unit_end(text):
                score += w.org_generic_unit  # 拼多多人工智能研究院: a unit of 拼多多, in the title
            if crosses[e]:
                score += w.org_splits_word  # 深创|投, 智能云事业|群组: the boundary cuts a suffix in two
            if ner_org and (p, e) in ner_org:
                score += w.org_ner
            if length > 8:
                score += w.org_long * (length - 8)
            if not cls and not is_known and length <= 3 and _reads_like_person(text):
                score += w.org_like_person  # 、徐杰人大金仓: a person's name, not an organisation
            if not cls and not is_known and not place and length > 4:
                # 凌蕾联想之星: a name without a suffix is short (a Latin word counts as one: CPE源峰)
                words = ix.cjk_before[e] - cjk_p + ix.latin_runs(p, e)
                if words > 4:
                    score += w.org_bare_long * (words - 4)
            if e - 1 > p + 2 and field_after[e - 1] - field_inside_from > 0:
                # a field word follows a suffix strictly inside (the counts of _Index.field_after_suffix)
                score += 2 * w.org_inner_suffix  # 星河投资企服投资: a field word after a suffix begins a title
            if e - 2 >= p + 2 and strong_before[e - 1] - strong_inside_from > 0:
                # a strong suffix ends strictly inside, two characters from each end (_Index.strong_before)
                inner = ix.inner_end(p, e)
                if inner:
                    # 北京大学软件学院, 上汽集团执行副总: an organisation ends inside; what follows is a
                    # unit (which belongs to the title) or something that is no part of a name
                    rest = t[inner:e]
                    score += w.org_inner_suffix if rest.endswith(_UNITS) or suffix_class(rest) \
                        else 3 * w.org_inner_suffix
            if cls and length <= 2:
                score += w.org_short
            out.append(Token(ORG, p, e, score + self.gap_penalty(p, e, w.gap_inside)))
        return out

    def _starts_with_name_then_known(self, text: str) -> bool:
        """True when ``text`` is a surname, one or two given-name characters and then an
        organisation this document names elsewhere (凌蕾|联想之星 where 联想之星 is attested), not
        only a suffix the document writes after many names (金蝶|国际: 国际 is no name of its own)."""
        s = lx.surname_at(text)
        if not s or lx.starts_with_place(text):
            return False
        known = (self.s.attested, self.s.learned, self.s.known_orgs)
        for given in (1, 2):
            rest = text[s + given:]
            if len(rest) >= 2 and all(c in lx.COMMON_GIVEN for c in text[s:s + given]) and any(
                    rest in k for k in known) and not _only_suffixes(rest):
                return True
        return False

    @staticmethod
    def starts_like_name(text: str) -> bool:
        """True when ``text`` begins with a surname and given-name characters and what is left is
        a name of its own (a strong or medium suffix after two or more characters)."""
        s = lx.surname_at(text)
        if not s or lx.starts_with_place(text):
            return False
        for given in (1, 2):
            rest = text[s + given:]
            if (all(c in lx.COMMON_GIVEN for c in text[s:s + given]) and len(rest) >= 3
                    and suffix_class(rest) and len(org_stem(rest)) >= 1):
                return True
        return False

    def _org(self, p: int) -> list[Token]:
        return self._orgs_from(p)

    def _follows_org(self, e: int) -> bool:
        """Can an organisation end at ``e``: does a unit, a title or a former marker start there?"""
        if e >= len(self.t):
            return False
        if self.t[e] in lx.FORMER_MARKERS or self.t[e] == lx.CONCURRENT:
            return True
        limit = self._barrier[e]
        return (self._ix.next_title_word[e] < min(limit, e + MAX_FREE + 1)
                or self._next_unit_end[e] <= min(limit, e + MAX_UNIT))

    # -- units and titles ---------------------------------------------------------------
    def _unit(self, p: int) -> list[Token]:
        t, w = self.t, self.w
        out: list[Token] = []
        hi = min(self._barrier[p], p + MAX_UNIT)
        if t[p] in lx.FORMER_MARKERS:
            return out
        for e in range(p + 1, hi + 1):
            if e not in self._unit_ends:
                continue
            text = t[p:e]
            if text in _NEEDS_NAME or (len(text) <= 2 and text[-1] in _UNIT_CHARS):
                continue  # a unit has a name before 部, 中心 (数据中心, 投资部; not 中科); 研究局, 总行 stand alone
            if self._ix.title_word_end_from[p] < e:
                continue  # a title word (总裁) inside, before the last character; no barrier stands
                # inside either: ``hi`` is at most the next one
            score = w.unit_base + self.gap_penalty(p, e, w.gap_inside)
            if any(c in lx.FORMER_MARKERS for c in text):
                score += w.unit_former_inside
            if any(s in text for s in _STRONG_INSIDE):
                score += w.unit_strong_inside  # 数字银行部 is a unit, 中原银行数字银行部 is not
                if text.startswith(_STRONG_INSIDE) or inner_end(text):
                    continue
            if self.s.bound and self._starts_bound(p, e):
                score += w.unit_bound
            if self.s.units_attested and _attested_unit(text, self.s.units_attested):
                score += w.unit_attested
            if _lead_before_field(text):
                score += w.unit_lead_before_field
            out.append(Token(UNIT, p, e, score))
        return out

    def _coreseqs(self, q: int) -> list[int]:
        got = self._coreseq.get(q)
        if got is None:
            got = self._coreseq[q] = coreseq_ends(self.t, q)
        return got

    def _titles_from(self, p: int) -> list[Token]:
        return self.at(TITLE, p)

    def _strong_inside_from(self, p: int, hi: int) -> int:
        """:func:`_strong_inside_from` of the text, from a table: the first such word ends at the
        same place whether or not the span ends before it."""
        end = self._strong_end_from[p]
        return end if end <= hi else hi + 1

    def _title_starts(self, p: int, last: int) -> list[int]:
        """The positions ``q`` from ``p`` to ``last`` where a title prefix or core starts: where
        :func:`coreseq_ends` may find something (the others were asked in vain, one by one)."""
        nxt = self._ix.next_title_word
        out = []
        q = nxt[p]
        while q <= last:
            out.append(q)
            q = nxt[q + 1]
        return out

    def _title(self, p: int) -> list[Token]:
        t, w = self.t, self.w
        if t[p] in lx.FORMER_MARKERS or t[p] in _BARRIERS:
            return []
        out = []
        hi = min(self._barrier[p], p + MAX_FREE)
        stop = self._strong_inside_from(p, hi)  # the free words may not hold 集团, 银行 ...
        # a title does not begin with 与 or 和: no free words then
        last = p if t[p] in _CONJUNCTIONS else min(hi, stop - 1)
        for q in self._title_starts(p, last):
            free = t[p:q]
            if free and self._acut[q]:
                continue  # MiniMa|x总裁: free text does not start or end inside a Latin word
            covered = -1  # words (信息技术) among the free words: counted when first needed
            for e in self._coreseqs(q):
                core = t[q:e]
                score = w.title_core
                if free and not core.endswith(lx.FREE_TEXT_CORES):
                    continue  # only some titles take free words before them (企服投资负责人)
                if len(free) == 1:
                    score += w.title_free_single
                if free:
                    per = (w.title_free_lead_char if core.endswith("负责人") else w.title_free_ok_char
                           if core.endswith(lx.FREE_TEXT_CORES) else w.title_free_char)
                    if covered < 0:
                        covered = self._word_chars(p, q)  # words cost less than loose characters
                    score += per * (len(free) - covered) + max(per, w.title_free_word_char) * covered
                    if free[0] in _UNIT_CHARS or free.startswith(_PURE_UNITS):
                        score += w.title_free_unit_start  # a title never starts with a bare 部, 处 or 中心
                if core.endswith(lx.DESCRIPTOR_CORES):
                    score += w.title_descriptor  # 专家, 投资人: a description of the person, not a post
                out.append(Token(TITLE, p, e, score + self.gap_penalty(p, e, w.gap_inside)))
        return out

    def _desc(self, p: int) -> list[Token]:
        w = self.w
        t = self.t
        out = []
        hi = min(self._barrier[p], p + MAX_FREE)
        stop = self._strong_inside_from(p, hi)
        for q in self._title_starts(p, min(hi, stop - 1)):
            for e in self._coreseqs(q):
                if t[q:e].endswith(lx.DESCRIPTOR_CORES):
                    out.append(Token(DESC, p, e, w.desc + w.desc_free_char * (q - p)
                                     + self.gap_penalty(p, e, w.gap_inside)))
        return out

    def _role(self, p: int) -> list[Token]:
        t = self.t
        out = [Token(ROLE, p, e, self.w.role) for e in _ROLES.ends(t, p)]
        if t.startswith(lx.ALLIANCE_PREFIX, p):
            hi = min(self._barrier[p], p + MAX_ROLE)
            for e in range(p + 3, hi + 1):
                if any(t.startswith(c, e - len(c)) for c in _CORES.words):
                    out.append(Token(ROLE, p, e, self.w.role))
        return out

    # -- the small words ------------------------------------------------------------------
    def _former(self, p: int) -> list[Token]:
        return [Token(FORMER, p, p + 1, 0.0)] if self.t[p] in lx.FORMER_MARKERS else []

    def _conc(self, p: int) -> list[Token]:
        return [Token(CONC, p, p + 1, 0.0)] if self.t[p] == lx.CONCURRENT else []

    def _sep(self, p: int) -> list[Token]:
        return [Token(SEP, p, p + 1, 0.0)] if self.t[p] in lx.SEPARATORS else []

    def _remit(self, p: int) -> list[Token]:
        if self.t[p] != lx.OPEN:
            return []
        depth = 0
        for i in range(p, min(len(self.t), p + 60)):
            if self.t[i] == lx.OPEN:
                depth += 1
            elif self.t[i] == lx.CLOSE:
                depth -= 1
                if depth == 0:
                    return [Token(REMIT, p, i + 1, 0.0)]
        return []

    def _skip(self, p: int) -> list[Token]:
        return [Token(SKIP, p, p + 1, self.w.skip)]
