"""Entity resolution across sources: which written names are the same organisation or model.

Sources write one organisation many ways (智谱AI, 智谱华章, 清华&智谱; vivo, VIVO; the
misspelt Authropic). A :class:`Resolver` maps each written name to one canonical name, and
says on what basis; every mapping that is not the identity goes to its merge log, so an analyst
can see what was merged and why. The rules are conservative — a wrong merge is worse than a
missed one:

1. a curated name (``data/organisations.yaml``, ``data/models.yaml``) is itself;
2. a curated alias is its entry (basis ``curated alias``);
3. a curated name, alias or English name equal up to letter case, width and spaces (VIVO ->
   vivo; basis ``curated name up to case, width and spacing``);
4. an uncurated name equal up to letter case, width and spaces to one seen before in the build
   (basis ``same name up to case, width and spacing``);
5. anything else stays a name of its own. Units and subsidiaries are never merged into their
   parents: 阿里云 and 阿里巴巴 stay two organisations, linked by ``parentOrganisation``.

Names that look alike but were not merged (智谱 and 智谱华章 when nothing says they are one)
are listed by :func:`near_misses` for review.

One resolver serves a whole build (``CuratedData.resolver()``), so a name first written by one
source is recognised in the next.

>>> r = Resolver({"智谱华章": ["智谱AI", "智谱"], "vivo": []}, {"智谱华章": "Zhipu AI"})
>>> r.org("智谱AI", "board.md", 7)
'智谱华章'
>>> r.org("VIVO", "list.md", 30), r.org("Zhipu AI", "x.md", 1)
('vivo', '智谱华章')
>>> [(m.written, m.into, m.basis) for m in r.merges]
[('智谱AI', '智谱华章', 'curated alias'), ('VIVO', 'vivo', 'curated name up to case, width and spacing'), ('Zhipu AI', '智谱华章', 'curated English name')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ecokg.graph.model import KnowledgeGraph
from ecokg.loaders.kinds import kind_from_name
from ecokg.loaders.lists.lexicon import PLACES
from ecokg.ontology.terms import C, P

#: What separates several organisations in one cell (清华&智谱, 晓多科技+国家超算成都中心).
JOINERS = re.compile(r"\s*[&＆+＋、]\s*|\s*,\s*(?=[A-Z\u4e00-\u9fff])|\s*，\s*")


def fold(name: str) -> str:
    """A name for comparing: NFKC, lower case, no white space.

    >>> fold("ＶＩＶＯ "), fold("Yiming Cui")
    ('vivo', 'yimingcui')
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


#: Characters that never belong in a name: zero-width spaces and joiners, the byte order mark,
#: soft hyphens, direction marks (Unicode format characters, Cf) and control characters (Cc).
_INVISIBLE = frozenset({"Cf", "Cc"})


def clean_name(name: str) -> str:
    r"""A name as written, made comparable: NFKC, without zero-width, format and control characters,
    without white space at either end. Every name a source states goes through it.

    >>> clean_name("腾\u200b讯"), clean_name(" ＶＩＶＯ\x00 "), clean_name("阿里\ufeff云")
    ('腾讯', 'VIVO', '阿里云')
    """
    name = unicodedata.normalize("NFKC", name)
    if not name.isprintable():
        name = "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE or ch in " \t\n")
    return name.strip()


@dataclass(frozen=True)
class Merge:
    """One written name resolved to another entity's name, on a basis, at a place in a source."""

    kind: str  # "organisation" or "model"
    written: str
    into: str
    basis: str
    source: str  # the file name
    at: str | None  # where in it: "line 7", "offset 1420"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class _Index:
    """Curated names of one kind: exact forms and folded forms, each with its basis."""

    exact: dict[str, tuple[str, str]] = field(default_factory=dict)  # written -> (canonical, basis)
    folded: dict[str, tuple[str, str]] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)  # folded uncurated name -> first written form

    def add(self, name: str, aliases: Iterable[str], english: str | None) -> None:
        self.exact.setdefault(name, (name, "exact"))
        for a in aliases:
            if a:
                self.exact.setdefault(a, (name, "curated alias"))
        for form, basis in ((name, "curated name up to case, width and spacing"),
                            *((a, "curated alias up to case, width and spacing") for a in aliases if a)):
            self.folded.setdefault(fold(form), (name, basis))
        if english:
            self.folded.setdefault(fold(english), (name, "curated English name"))

    def resolve(self, written: str) -> tuple[str, str]:
        got = self.exact.get(written)
        if got is not None:
            return got
        f = fold(written)
        got = self.folded.get(f)
        if got is not None:
            return got
        first = self.seen.setdefault(f, written)
        return (first, "exact") if first == written else (first, "same name up to case, width and spacing")


class Resolver:
    """Written names -> canonical names, with a log of every merge."""

    def __init__(self, orgs: Mapping[str, Iterable[str]], org_english: Mapping[str, str | None] | None = None,
                 models: Mapping[str, Iterable[str]] | None = None,
                 model_english: Mapping[str, str | None] | None = None):
        self._orgs = _Index()
        self._models = _Index()
        self._others: dict[str, _Index] = {}
        for name, aliases in orgs.items():
            self._orgs.add(name, list(aliases), (org_english or {}).get(name))
        for name, aliases in (models or {}).items():
            self._models.add(name, list(aliases), (model_english or {}).get(name))
        self.merges: list[Merge] = []
        self._logged: set[tuple[str, str, str, str, str | None]] = set()

    def _log(self, kind: str, written: str, into: str, basis: str, source: str, at: int | str | None) -> None:
        where = f"line {at}" if isinstance(at, int) else at
        key = (kind, written, into, source, where)
        if basis != "exact" and key not in self._logged:
            self._logged.add(key)
            self.merges.append(Merge(kind, written, into, basis, source, where))

    def org(self, written: str, source: str, at: int | str | None = None) -> str:
        """The canonical name of the organisation written ``written`` in ``source`` (``at``: a line
        number, or a text such as ``offset 1420``)."""
        written = clean_name(written)
        name, basis = self._orgs.resolve(written)
        self._log("organisation", written, name, basis, source, at)
        return name

    def model(self, written: str, source: str, at: int | str | None = None) -> str:
        """The canonical name of the model written ``written`` in ``source``."""
        written = clean_name(written)
        name, basis = self._models.resolve(written)
        self._log("model", written, name, basis, source, at)
        return name

    def other(self, kind: str, written: str, source: str, at: int | str | None = None) -> str:
        """The first-seen form of a name of another ``kind`` (a benchmark: SuperClue, SuperCLUE)."""
        written = clean_name(written)
        name, basis = self._others.setdefault(kind, _Index()).resolve(written)
        self._log(kind, written, name, basis, source, at)
        return name

    def known_org(self, name: str) -> bool:
        """Is ``name`` (as written) a curated organisation name or alias?"""
        return name.strip() in self._orgs.exact


def split_organisations(cell: str) -> list[str]:
    """The organisations one cell names (清华&智谱AI -> 清华, 智谱AI).

    >>> split_organisations("清华&智谱AI"), split_organisations("UC Berkeley, Microsoft Research")
    (['清华', '智谱AI'], ['UC Berkeley', 'Microsoft Research'])
    >>> split_organisations("山西大学、山西农业大学"), split_organisations("OpenAI")
    (['山西大学', '山西农业大学'], ['OpenAI'])
    """
    return [p.strip() for p in JOINERS.split(cell.strip()) if p.strip()]


def near_misses(names: Iterable[str], linked: Collection[frozenset[str]] = ()) -> list[dict[str, Any]]:
    """Pairs of distinct organisation names that look like one entity but were not merged: one
    contains the other, or (Chinese names, not institutions, which share words like 理工大学)
    their stems — the name after any place it begins with — share three characters. ``linked``
    pairs (a parent and its unit) are left out: they are related on purpose.

    >>> near_misses(["智谱", "智谱华章", "阿里云", "阿里巴巴", "百度"], {frozenset({"阿里云", "阿里巴巴"})})
    [{'a': '智谱', 'b': '智谱华章', 'why': 'one name contains the other'}]
    """
    items = sorted({n for n in names if n}, key=lambda n: (fold(n), n))
    out = []
    stems = {n: _stem(fold(n)) for n in items}
    for i, a in enumerate(items):
        fa = fold(a)
        for b in items[i + 1:]:
            fb = fold(b)
            if frozenset({a, b}) in linked or fa == fb:
                continue
            short, long_ = sorted((fa, fb), key=len)
            sa, sb = stems[a], stems[b]
            if len(short) >= 2 and short in long_:
                out.append({"a": a, "b": b, "why": "one name contains the other"})
            elif (len(sa) >= 3 and len(sb) >= 3 and sa[:3] == sb[:3] and not sa[:3].isascii()
                  and not _institution(a) and not _institution(b)):
                out.append({"a": a, "b": b, "why": "same first three characters"})
    return out


def _stem(folded: str) -> str:
    """A name without the place it begins with (中国人寿 -> 人寿, 北京智源 -> 智源): places are shared."""
    for place in sorted(PLACES, key=len, reverse=True):
        if folded.startswith(place) and len(folded) > len(place):
            return folded[len(place):]
    return folded


def _institution(name: str) -> bool:
    """Universities, institutes and labs share generic words (理工大学, 研究院): no stem of their own."""
    got = kind_from_name(name)
    return got is not None and got[0] == C.ResearchInstitution




def model_near_misses(names: Iterable[str], linked: Collection[frozenset[str]] = ()) -> list[dict[str, Any]]:
    """Pairs of model names where one is the other followed by a version or variant (GPT4-Turbo
    and GPT4-Turbo-0125, 通义千问2.0 and 通义千问2.0(v1030)) and that the graph does not link.

    >>> model_near_misses(["GPT", "ChatGPT", "TechGPT", "TechGPT-2.0", "通义千问2.0", "通义千问2.0(v1030)"])
    [{'a': 'TechGPT', 'b': 'TechGPT-2.0', 'why': 'one name is the other with a version'}, {'a': '通义千问2.0', 'b': '通义千问2.0(v1030)', 'why': 'one name is the other with a version'}]
    """
    items = sorted({n for n in names if n}, key=lambda n: (fold(n), n))
    out = []
    for a in items:
        fa = fold(a)
        for b in items:
            fb = fold(b)
            if a != b and fb.startswith(fa) and len(fa) >= 2 and is_version_break(fb, len(fa)) \
                    and frozenset({a, b}) not in linked:
                out.append({"a": a, "b": b, "why": "one name is the other with a version"})
    return out


def is_version_break(folded: str, i: int) -> bool:
    """Does a version or variant begin at ``folded[i]`` (a digit, ``-``, ``_``, a bracket, or v+digit),
    rather than the name going on (a letter)?"""
    if i >= len(folded):
        return False
    c = folded[i]
    if c in "-_.(（ ·•" or c.isdigit():
        return True
    return c == "v" and i + 1 < len(folded) and folded[i + 1].isdigit()


def resolution_report(kg: KnowledgeGraph, merges: Iterable[Merge]) -> dict[str, Any]:
    """The merge log and the near-miss list of a built graph, with counts (``out/merges.json``).

    Merges are grouped by (kind, written, into, basis) with every place they happened; near
    misses are organisations (and models) whose names look alike but that stay apart, leaving out
    those the graph links on purpose (a parent and its unit, a family and its version)."""
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for m in merges:
        groups.setdefault((m.kind, m.written, m.into, m.basis), []).append(
            f"{m.source} {m.at}" if m.at else m.source)
    merged: list[dict[str, Any]] = [
        {"kind": k, "written": w, "into": i, "basis": b, "where": sorted(set(places))}
        for (k, w, i, b), places in sorted(groups.items())]
    linked: set[frozenset[str]] = set()
    for e in kg.edges.values():
        if e.prop in (P.parentOrganisation, P.inFamily) and e.source in kg.nodes and e.target in kg.nodes:
            linked.add(frozenset({kg.nodes[e.source].name, kg.nodes[e.target].name}))
    orgs = near_misses((n.name for n in kg.of_class(C.Organisation)), linked)
    models = model_near_misses((n.name for n in kg.of_class(C.AIModel)), linked)
    misses = [{"kind": "organisation", **m} for m in orgs] + [{"kind": "model", **m} for m in models]
    by_basis: dict[str, int] = {}
    for g in merged:
        by_basis[g["basis"]] = by_basis.get(g["basis"], 0) + 1
    return {"counts": {"merged_names": len(merged), "by_basis": dict(sorted(by_basis.items())),
                       "near_misses": len(misses)},
            "merges": merged, "near_misses": misses}


__all__ = ["JOINERS", "Merge", "Resolver", "clean_name", "fold", "is_version_break", "model_near_misses", "near_misses",
           "resolution_report", "split_organisations"]
