"""Split one post of an expert-list entry into organisation and title.

A post reads ``ORGANISATION [UNIT...] TITLE`` with no delimiter
(``清华大学智能产业研究院院长``). The organisation comes first; units
(…部, …中心, …研究院 after a university) and the title follow.

>>> from ecokg.loaders.gazetteer import Gazetteer
>>> g = Gazetteer()
>>> split_org_title("清华大学智能产业研究院院长", g)
OrgTitle(org='清华大学', title='智能产业研究院院长', former=False, confidence='suffix')
>>> split_org_title("华夏银行原行长", g)
OrgTitle(org='华夏银行', title='行长', former=True, confidence='suffix')
>>> split_org_title("战略投资部总经理", g).org is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ecokg.loaders.gazetteer import Gazetteer
from ecokg.loaders.lexicon import (
    BARE_DEPTS,
    DEPT_SUFFIXES,
    DESCRIPTOR_CORES,
    FORMER_MARKERS,
    ORG_SUFFIXES,
    STRONG_ORG_WORDS,
    TITLE_CORES,
    TITLE_PREFIXES,
    occurrences,
)


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_CORE = _alt(TITLE_CORES)
_TOK = _alt(TITLE_CORES + TITLE_PREFIXES)
_PRE = _alt(TITLE_PREFIXES)
_FORMER = _alt(FORMER_MARKERS)
_LONG_DEPTS = tuple(d for d in DEPT_SUFFIXES if len(d) > 1 and d not in BARE_DEPTS)
_SHORT_DEPTS = tuple(d for d in DEPT_SUFFIXES if len(d) == 1)
_DEPT = (
    rf"(?:{_alt(BARE_DEPTS)}|[^兼、,()]{{0,12}}?(?:{_alt(_LONG_DEPTS)})"
    rf"|[^兼、,()]{{1,12}}?(?:{_alt(_SHORT_DEPTS)}))"
)
_PART_RE = re.compile(
    rf"^(?P<dept>(?:{_DEPT})*)(?P<former>{_FORMER})?(?P<pre>(?:{_PRE})*)(?P<free>.{{0,12}}?)(?P<toks>(?:{_TOK})*(?:{_CORE}))$"
)
# Cores that a segment without organisation may carry free text before (云业务负责人, 国家智库专家).
FREE_CORES_ALONE = ("负责人",) + DESCRIPTOR_CORES
SHORT_UNIT_CHARS = frozenset(d for d in DEPT_SUFFIXES if len(d) == 1)


@dataclass(frozen=True)
class OrgTitle:
    """The result of splitting a post."""

    org: str | None
    title: str
    former: bool
    confidence: str  # gazetteer | learned | suffix | title | guess


@dataclass(frozen=True)
class TitleParse:
    title: str
    former: bool
    has_dept: bool
    free: str
    core: str


def _has_strong(text: str) -> bool:
    return any(w in text for w in STRONG_ORG_WORDS)


@lru_cache(maxsize=16384)
def parse_title(text: str) -> TitleParse | None:
    """Parse a title phrase (units, former marker, prefixes, free text, cores; parts joined by 兼).

    Returns None when ``text`` is not a title. The former marker is removed from the title.

    >>> parse_title("研究局原局长")
    TitleParse(title='研究局局长', former=True, has_dept=True, free='', core='局长')
    >>> parse_title("集团技术委员会主席") is None
    True
    """
    if not text:
        return None
    parts = text.split("兼")
    out_titles: list[str] = []
    former = False
    has_dept = False
    free_all = ""
    core = ""
    for part in parts:
        m = _PART_RE.match(part)
        if not m:
            return None
        dept, free = m.group("dept"), m.group("free")
        if dept and any(dept.startswith(w) for w in STRONG_ORG_WORDS):
            return None
        if _has_strong(free) or _has_strong(dept):
            return None
        if any(free.endswith(p) for p in FORMER_MARKERS) and not free[:-1]:
            # "原" captured as free text: treat as former marker
            former = True
            free = ""
        if m.group("former"):
            former = True
        has_dept = has_dept or bool(dept)
        free_all += free
        toks = m.group("toks")
        core = next((c for c in sorted(TITLE_CORES, key=len, reverse=True) if toks.endswith(c)), toks)
        out_titles.append(dept + m.group("pre") + free + toks)
    return TitleParse("兼".join(out_titles), former, has_dept, free_all, core)


def title_alone_ok(tp: TitleParse) -> bool:
    """A segment with no organisation is a title only if it has a unit, no free text,
    or free text before a core that takes it (负责人, 专家, 投资人)."""
    return tp.has_dept or not tp.free or tp.core in FREE_CORES_ALONE


def _suffix_ends(seg: str) -> list[int]:
    ends: set[int] = set()
    for suf in ORG_SUFFIXES:
        ends.update(i + len(suf) for i in occurrences(seg, suf) if i + len(suf) >= 2)
    return sorted(ends)


def _org_end_ok(seg: str, e: int) -> bool:
    """An organisation cannot end where a one-character unit follows (战略投资|部)."""
    return 0 < e < len(seg) and seg[e] not in SHORT_UNIT_CHARS


def split_org_title(
    seg: str,
    gaz: Gazetteer,
    learned: frozenset[str] | set[str] = frozenset(),
    need_org: bool = False,
) -> OrgTitle | None:
    """Split ``seg`` into organisation and title; None when it is neither.

    Tries, in order: the longest organisation of the gazetteer that leaves a title;
    an organisation learned from this document; the shortest span ending in an
    organisation suffix (银行, 集团, 资本 ...) that leaves a title; the whole segment
    as a title with no organisation (unless ``need_org``: the first post of an entry
    names its organisation, descriptors such as 资深投资人 aside); and last a guess
    (the longest plain title), whose confidence is ``guess``.
    """
    for e in gaz.prefix_ends(seg):
        if not _org_end_ok(seg, e):
            continue
        tp = parse_title(seg[e:])
        if tp:
            return OrgTitle(seg[:e], tp.title, tp.former, "gazetteer")
    for e in sorted((len(o) for o in learned if seg.startswith(o) and len(o) < len(seg)), reverse=True):
        if not _org_end_ok(seg, e):
            continue
        tp = parse_title(seg[e:])
        if tp:
            return OrgTitle(seg[:e], tp.title, tp.former, "learned")
    for e in _suffix_ends(seg):
        if not _org_end_ok(seg, e):
            continue
        tp = parse_title(seg[e:])
        if tp:
            return OrgTitle(seg[:e], tp.title, tp.former, "suffix")
    whole = parse_title(seg)
    if whole and title_alone_ok(whole) and (not need_org or whole.core in DESCRIPTOR_CORES):
        return OrgTitle(None, whole.title, whole.former, "title")
    for e in range(2, len(seg)):
        tp = parse_title(seg[e:])
        if tp and not tp.has_dept and (not tp.free or tp.free.startswith("分管")):
            return OrgTitle(seg[:e], tp.title, tp.former, "guess")
    return None
