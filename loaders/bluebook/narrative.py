"""Read the narrative of a report: organisations and models named, and the few
relations the text states in fixed forms.

Forms read:
- a mention of a known organisation or model (from the gazetteer);
- ``CATEGORY(A、B等)``: A and B are organisations of that category (央企, 投资机构, 保险公司 ...);
- ``A、B、C等…模型`` and ``模型(如A、B)``: A, B, C are models; an item that starts with
  an organisation's name (百度文心一言) is that organisation's model;
- ``X发起设立Y基金``: X set up the fund Y;
- ``X投资(超过)N家…公司``: X invests in the sectors named before 公司.

>>> from ecokg.loaders.gazetteer import Gazetteer
>>> g = Gazetteer(); g.add_org("百度"); g.add_model("文心一言")
>>> n = read_narrative("百度文心一言、阿里通义千问等模型相继发布", 0, 20, g)
>>> [(d.model, d.org) for d in n.developers]
[('文心一言', '百度')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ecokg.loaders.bluebook.scan import NAME_MAX, finditer_at_starts
from ecokg.loaders.gazetteer import Gazetteer
from ecokg.loaders.lists.lexicon import is_cjk
from ecokg.ontology.terms import C

Span = tuple[int, int]

# Category words before "(A、B等)" and the ontology class they state.
CATEGORY_KINDS = (
    ("投资机构", C.InvestmentFirm), ("投资基金", C.Fund), ("基金", C.Fund), ("保险公司", C.Insurer),
    ("保险机构", C.Insurer), ("银行", C.Bank), ("高校", C.ResearchInstitution), ("科研机构", C.ResearchInstitution),
    ("云厂商", C.CloudProvider), ("云大厂", C.CloudProvider), ("央企", C.Company), ("国企", C.Company),
    ("产业方", C.Company), ("企业", C.Company), ("公司", C.Company), ("媒体", C.Media),
)
# Characters that may stand around a short (two-character) name for it to count as a mention.
_SHORT_NEIGHBOURS = set("、等和与及或的在,，。;；:：()（）“”\"《》 ")
_CLAUSE_BREAKS = set(",，。;；!！?？")
# Every quantifier below is bounded, or (the enumeration) tried only where a run begins:
# untrusted text must not make a pattern backtrack over unbounded text (see scan.py).
_ENUM_MODELS_RE = re.compile(r"((?:[^\s、,，。()（）;；]+、)+[^\s、,，。()（）;；]+)等[^,，。;；]{0,10}?模型")
_ENUM_BREAKS_RE = re.compile(r"[\s,，。()（）;；]+、*|、{2,}")  # where an enumeration may begin
_ENUM_SUCH_AS_RE = re.compile(r"模型[(（]如([^()（）]{1,400})[)）]")
_CATEGORY_RE = re.compile(r"([^\s,，。;；、()（）]{2,14}?)[(（]([^()（）]{1,400}?)等[)）]")
_FUND_RE = re.compile(r"发起设立([^,，。;；、\s]{1,60}?基金)")
_INVEST_RE = re.compile(r"投资(?:了|超过|逾|约|近)?(\d{1,9})(?:余)?家([^,，。;；]{0,60}?)(?:公司|企业)")


@dataclass(frozen=True)
class Mention:
    kind: str  # org | model
    written: str
    canonical: str | None
    span: Span
    clause: Span


@dataclass(frozen=True)
class Developer:
    model: str
    model_span: Span
    org: str
    org_span: Span
    clause: Span


@dataclass(frozen=True)
class Category:
    written: str
    span: Span
    category: str
    kind: str
    clause: Span


@dataclass(frozen=True)
class FundSetup:
    fund: str
    fund_span: Span
    founder: str
    founder_span: Span
    clause: Span


@dataclass(frozen=True)
class SectorInvestment:
    investor: str
    investor_span: Span
    sectors: tuple[tuple[str, str, Span], ...]  # (sector key, alias, span)
    count: int
    clause: Span


@dataclass
class Narrative:
    mentions: list[Mention] = field(default_factory=list)
    developers: list[Developer] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    funds: list[FundSetup] = field(default_factory=list)
    investments: list[SectorInvestment] = field(default_factory=list)


def clause_of(text: str, start: int, end: int, limit: int = 120) -> Span:
    """The clause around ``text[start:end]``: between punctuation, at most ``limit`` characters."""
    s = start
    while s > 0 and text[s - 1] not in _CLAUSE_BREAKS and start - s < limit // 2:
        s -= 1
    e = end
    while e < len(text) and text[e] not in _CLAUSE_BREAKS and e - end < limit // 2:
        e += 1
    return s, e


def _short_ok(text: str, s: int, e: int) -> bool:
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    return (not is_cjk(before) or before in _SHORT_NEIGHBOURS) and (not is_cjk(after) or after in _SHORT_NEIGHBOURS)


def _scan(text: str, start: int, end: int, forms: dict[str, str], kind: str,
          skip: list[Span], min_len: int = 2) -> list[Mention]:
    longest = min(max((len(f) for f in forms), default=0), NAME_MAX)
    out: list[Mention] = []
    spans = sorted(skip)
    k = 0  # spans[:k] end at or before i
    i = start
    while i < end:
        while k < len(spans) and spans[k][1] <= i:
            k += 1
        inside = next((b for a, b in spans[k:] if a <= i < b), None) if k < len(spans) and spans[k][0] <= i else None
        if inside is not None:
            i = inside
            continue
        hit = None
        for n in range(min(longest, end - i), min_len - 1, -1):
            form = text[i:i + n]
            if form in forms and (n > 2 or _short_ok(text, i, i + n)) and text[i - 1:i] != "等":
                hit = form
                break
        if hit:
            out.append(Mention(kind, hit, forms[hit], (i, i + len(hit)), clause_of(text, i, i + len(hit))))
            i += len(hit)
        else:
            i += 1
    return out


def _split_items(s: str, offset: int) -> list[tuple[str, Span]]:
    out = []
    pos = offset
    for item in s.split("、"):
        out.append((item, (pos, pos + len(item))))
        pos += len(item) + 1
    return out


def _trim_lead(item: str, gaz: Gazetteer) -> str:
    """``随着ChatGPT`` -> ``ChatGPT``: keep the longest known name (or Latin run) that ends the item."""
    for i in range(max(0, len(item) - NAME_MAX), len(item) - 1):
        tail = item[i:]
        if tail in gaz.models or gaz.prefix_ends(tail):
            return tail
    m = re.search(r"[A-Za-z][A-Za-z0-9.\-]*$", item)
    return m.group() if m and m.start() > 0 else item


def read_narrative(text: str, start: int, end: int, gaz: Gazetteer, skip: list[Span] | None = None) -> Narrative:
    """Read ``text[start:end]``, ignoring the ``skip`` spans (tables)."""
    skip = skip or []
    n = Narrative()
    n.mentions.extend(_scan(text, start, end, gaz.orgs, "org", skip))
    n.mentions.extend(_scan(text, start, end, gaz.models, "model", skip))
    region = text[:end]
    # model enumerations, with developer prefixes
    enumerations = (finditer_at_starts(_ENUM_MODELS_RE, region, start, end, _ENUM_BREAKS_RE, "、"),
                    _ENUM_SUCH_AS_RE.finditer(region, start))
    seen = {mm.span for mm in n.mentions}
    for found in enumerations:
        for m in found:
            for j, (item, (s, e)) in enumerate(_split_items(m.group(1), m.start(1))):
                if j == 0:
                    # the enumeration's first item may carry words before it (随着ChatGPT)
                    trimmed = _trim_lead(item, gaz)
                    s += len(item) - len(trimmed)
                    item = trimmed
                clause = clause_of(text, s, e)
                org_len = next(iter(gaz.prefix_ends(item)), 0)
                model = item[org_len:]
                if org_len and 2 <= len(model) <= NAME_MAX:
                    n.developers.append(Developer(model, (s + org_len, e), item[:org_len], (s, s + org_len), clause))
                if 2 <= len(model) <= NAME_MAX and (s + org_len, e) not in seen:
                    seen.add((s + org_len, e))
                    n.mentions.append(Mention("model", model, gaz.canonical_model(model), (s + org_len, e), clause))
    # categories: 央企(中国移动、中电科等)
    for m in _CATEGORY_RE.finditer(region, start):
        head = m.group(1)
        kind = next((k for word, k in CATEGORY_KINDS if head.endswith(word)), None)
        if kind is None:
            continue
        for item, (s, e) in _split_items(m.group(2), m.start(2)):
            if len(item) >= 2:
                n.categories.append(Category(item, (s, e), head, kind, (m.start(), m.end())))
    # funds: X发起设立Y基金
    for m in _FUND_RE.finditer(region, start):
        j = m.start()
        k = j
        while k > start and text[k - 1] not in _CLAUSE_BREAKS and not text[k - 1].isspace() and j - k < 20:
            k -= 1
        founder_text = text[k:j]
        # the longest known organisation that ends right before 发起设立
        founder, fs = founder_text, k
        for i in range(k, j - 1):
            if text[i:j] in gaz.orgs:
                founder, fs = text[i:j], i
                break
        n.funds.append(FundSetup(m.group(1), (m.start(1), m.end(1)), founder, (fs, j), clause_of(text, m.start(), m.end())))
    # investments in sectors: X投资超过N家…公司
    for m in _INVEST_RE.finditer(region, start):
        j = m.start()
        investor = None
        for i in range(max(start, j - 12), j - 1):
            if text[i:j] in gaz.orgs:
                investor = (text[i:j], (i, j))
                break
        if investor is None:
            continue
        sectors = tuple((key, alias, (m.start(2) + off, m.start(2) + off + len(alias)))
                        for key, alias, off in gaz.find_sectors(m.group(2)))
        if sectors:
            n.investments.append(SectorInvestment(investor[0], investor[1], sectors, int(m.group(1)),
                                                  clause_of(text, j, m.end())))
    return n
