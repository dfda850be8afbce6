"""What kind of organisation a name says it is, and who of several names is a model's developer.

Sources name many organisations nobody curated. How a Chinese (or English) organisation name
ends says what it is often enough: 招商银行 is a bank, 复旦大学 and 之江实验室 are research
institutions, 高瓴资本 is an investment firm. The build gives an organisation with no curated
kind the kind its name says, with evidence of basis ``name-grammar`` that quotes the name and
says which ending decided, so the guess never passes for a source's statement.

>>> kind_from_name("招商银行"), kind_from_name("上海交通大学人工智能研究院")
(('Bank', '银行'), ('ResearchInstitution', '研究院'))
>>> kind_from_name("深度求索") is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.ontology.iris import org_iri
from ecokg.ontology.terms import C, D, P

NAME_GRAMMAR = "name-grammar"  # the evidence basis of what a name says

#: Name endings and the kind they say, most specific first.
ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (C.Bank, ("银行", "农商行", " Bank")),
    (C.Insurer, ("保险", "人寿", "财险", "Insurance")),
    (C.Fund, ("基金", "母基金")),
    (C.InvestmentFirm, ("资本", "创投", "投资", "Capital", "Ventures")),
    (C.ResearchInstitution, ("大学", "学院", "科学院", "工程院", "研究院", "研究所", "研究室", "研究中心", "实验室",
                             "重点实验室", "University", "Institute", "Lab", "Laboratory")),
    (C.IndustryAlliance, ("协会", "学会", "联盟", "Association", "Alliance")),
    (C.Media, ("电视台", "总台", "出版社", "传媒")),
    (C.Company, ("公司", "集团", "科技", "智能", "网络", "软件", "信息", "数据", "电子", "技术", "股份", "控股",
                 "Inc", "Inc.", "Ltd", "Corp", "AI")),
)


def kind_from_name(name: str) -> tuple[str, str] | None:
    """(kind, the ending that says so) for ``name``, or None when its ending says nothing.

    A campus or branch in brackets (哈尔滨工业大学（深圳）) is read from the name before it.
    """
    base = name.strip()
    for open_ in ("（", "("):
        if base.endswith(("）", ")")) and open_ in base:
            base = base[:base.rindex(open_)].strip()
    for kind, endings in ENDINGS:
        for e in sorted(endings, key=len, reverse=True):
            if base.endswith(e) and len(base) > len(e):
                return kind, e
    return None


def developer_and_partners(names: Sequence[str], kind_of: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """Which of the organisations a source names together (清华&智谱AI) developed the model:
    the first that is not a research institution when a research institution is among them (the
    company that ships the model; the university is a partner), else the first.

    >>> kinds = {"清华大学": "ResearchInstitution", "智谱华章": "Company"}
    >>> developer_and_partners(["清华大学", "智谱华章"], kinds.get)
    ('智谱华章', ['清华大学'])
    >>> developer_and_partners(["浙江大学", "OpenKG"], kinds.get)
    ('浙江大学', ['OpenKG'])
    """
    if not names:
        raise ValueError("no organisation named")
    kinds = [kind_of(n) for n in names]
    if C.ResearchInstitution in kinds:
        for n, k in zip(names, kinds):
            if k is not None and k != C.ResearchInstitution:
                return n, [m for m in names if m != n]
    return names[0], list(names[1:])




#: Unit endings: an organisation named after another plus one of these is a unit of it
#: (北京大学信息工程学院 is a unit of 北京大学).
UNIT_ENDINGS = ("学院", "研究院", "研究所", "研究室", "实验室", "重点实验室", "研究中心", "中心", "系", "Lab")


def unit_parent(name: str, known: Collection[str]) -> str | None:
    """The organisation ``name`` is a unit of, when it is written as that organisation's name
    followed by a unit (北京大学信息工程学院 -> 北京大学), else None.

    >>> unit_parent("北京大学信息工程学院", {"北京大学", "北京"}), unit_parent("网易有道", {"网易"})
    ('北京大学', None)
    """
    best = None
    for p in known:
        if len(p) >= 2 and p != name and name.startswith(p) and name.endswith(UNIT_ENDINGS) \
                and len(name) > len(p) + 1 and (best is None or len(p) > len(best)):
            best = p
    return best


def add_name_grammar(kg: KnowledgeGraph, known_orgs: Collection[str] = (), untyped: Collection[str] = ()) -> None:
    """Give every organisation with no kind the kind its name says, and every unit named after
    an organisation of the graph (or ``known_orgs``) that organisation as its parent; each with
    evidence of basis ``name-grammar`` quoting the name (in the source where it was first read).
    ``untyped`` names are left without a kind (a curator decided none is documented)."""
    names = {n.name for n in kg.of_class(C.Organisation)} | set(known_orgs)
    by_name = {n.name: n for n in kg.of_class(C.Organisation)}
    for node in list(by_name.values()):
        if not node.evidence:
            continue
        source = node.evidence[0].source
        if node.classes <= {C.Organisation} and node.name not in untyped:
            got = kind_from_name(node.name)
            if got is not None:
                kind, ending = got
                kg.add_node(node.id, kind, None, Evidence(source=source, quote=node.name, basis=NAME_GRAMMAR,
                                                         note=f"kind {kind}: the name ends in {ending}"))
        if not any(True for _ in kg.out_edges(node.id, P.parentOrganisation)):
            parent = unit_parent(node.name, names)
            if parent is not None:
                piri = org_iri(parent)
                if piri not in kg.nodes:
                    kg.add_node(piri, C.Organisation, {D.name: parent},
                                Evidence(source=source, quote=node.name, basis=NAME_GRAMMAR,
                                         note=f"{parent}: the organisation {node.name} is named after"))
                kg.add_edge(node.id, P.parentOrganisation, piri,
                            Evidence(source=source, quote=node.name, basis=NAME_GRAMMAR,
                                     note=f"a unit of {parent}: its name is {parent} followed by a unit"))


__all__ = ["ENDINGS", "NAME_GRAMMAR", "UNIT_ENDINGS", "add_name_grammar", "developer_and_partners", "kind_from_name",
           "unit_parent"]
