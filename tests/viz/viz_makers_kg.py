"""A small hand-built KnowledgeGraph for the investors-makers tests: investors, makers, sectors, places.

Expectations in the tests are derived from the tables here (``EXPECTED_LINKS`` is the rule applied
by hand).
"""

from __future__ import annotations

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.ontology.terms import C, D, P
from viz_graphs import INJECTIONS

NS = "urn:makers:"
EVIL_MAKER, EVIL_PLACE = INJECTIONS[0], INJECTIONS[1] + INJECTIONS[2]

SECTORS = {"ai": "人工智能", "llm": "大模型", "cars": "智能汽车", "chips": "芯片"}
BROADER = {"llm": "ai"}
#: Places: id -> (name, level, province id)
PLACES = {"zj": ("浙江", "province", None), "hz": ("杭州", "city", "zj"), "bj": ("北京", "province", None),
          "gd": ("广东", "province", None), "sz": ("深圳", "city", "gd"), "evil-place": (EVIL_PLACE, "city", "gd")}
#: Organisations: id -> (class, name, focus sectors, parent, place)
ORGS: dict[str, tuple[str, str, tuple[str, ...], str | None, str | None]] = {
    "fund-a": (C.Fund, "甲基金", ("ai",), None, None),
    "vc-b": (C.InvestmentFirm, "乙资本", ("cars",), None, None),
    "lonely-vc": (C.InvestmentFirm, "孤独创投", ("chips",), None, None),
    "group-arm": (C.InvestmentFirm, "大集团投资", (), "big-group", None),
    "deal-co": (C.Company, "交易公司", (), None, None),
    "maker-x": (C.Company, "X 智能", (), None, "hz"),
    "maker-y": (C.Company, "Y 汽车", (), None, "bj"),
    "big-group": (C.Company, "大集团", (), None, "sz"),
    "hold-co": (C.Company, "控股公司", (), None, None),
    "unit": (C.ResearchInstitution, "研究院", (), "hold-co", "hz"),
    "invest-arm": (C.InvestmentFirm, "控股投资", (), "hold-co", None),
    "evil-maker": (C.Company, EVIL_MAKER, (), None, "evil-place"),
    "maker-z": (C.Company, "Z 孤岛", (), None, "sz"),
}
#: Models: id -> (maker, model sectors)
MODELS = {"x1": ("maker-x", ("llm",)), "g1": ("big-group", ()), "u1": ("unit", ()), "e1": ("evil-maker", ("cars",)),
          "z1": ("maker-z", ("chips",)), "y1": ("maker-y", ())}
IN_SECTOR = {"maker-y": ("cars",)}
DEALS = {"deal-1": ("deal-co", "maker-x")}

#: The links the rule gives, by hand from the tables above.
EXPECTED_LINKS = {
    ("deal-co", "maker-x", "INVESTED_IN"),
    ("fund-a", "maker-x", "SECTOR_OVERLAP"),  # 大模型 is narrower than the fund's 人工智能
    ("vc-b", "maker-y", "SECTOR_OVERLAP"),  # the maker is in 智能汽车
    ("vc-b", "evil-maker", "SECTOR_OVERLAP"),  # its model is for 智能汽车
    ("lonely-vc", "maker-z", "SECTOR_OVERLAP"),
    ("group-arm", "big-group", "PARENT_ORGANISATION"),  # the investor is a unit of a maker
    ("invest-arm", "hold-co", "PARENT_ORGANISATION"),  # investor and maker under one parent
    ("unit", "hold-co", "PARENT_ORGANISATION"),
}


def _ev(quote: str) -> Evidence:
    return Evidence(source="urn:makers:source", quote=quote, basis="curated")


def makers_kg() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    for sid, name in SECTORS.items():
        kg.add_node(NS + sid, C.Sector, {D.name: name}, _ev(name))
    for sid, broader in BROADER.items():
        kg.add_edge(NS + sid, P.broaderSector, NS + broader)
    for pid, (name, level, _prov) in PLACES.items():
        kg.add_node(NS + pid, C.Place, {D.name: name, D.placeLevel: level}, _ev(name))
    for pid, (_name, _level, prov) in PLACES.items():
        if prov:
            kg.add_edge(NS + pid, P.withinPlace, NS + prov)
    for oid, (cls, name, _focus, _parent, _place) in ORGS.items():
        kg.add_node(NS + oid, cls, {D.name: name}, _ev(name))
    for oid, (_cls, name, focus, parent, place) in ORGS.items():
        for s in focus:
            kg.add_edge(NS + oid, P.investmentFocus, NS + s, _ev(f"{name} 投资 {SECTORS[s]}"))
        if parent:
            kg.add_edge(NS + oid, P.parentOrganisation, NS + parent, _ev(f"{name} 隶属 {parent}"))
        if place:
            kg.add_edge(NS + oid, P.locatedIn, NS + place, _ev(f"{name} 位于 {PLACES[place][0]}"))
    for oid, sectors in IN_SECTOR.items():
        for s in sectors:
            kg.add_edge(NS + oid, P.inSector, NS + s, _ev(f"{oid} 属于 {SECTORS[s]}"))
    for mid, (maker, sectors) in MODELS.items():
        kg.add_node(NS + mid, C.AIModel, {D.name: f"模型{mid}"}, _ev(mid))
        kg.add_edge(NS + mid, P.developedBy, NS + maker, _ev(f"{mid} 由 {maker} 研发"))
        for s in sectors:
            kg.add_edge(NS + mid, P.modelSector, NS + s, _ev(f"{mid} 面向 {SECTORS[s]}"))
    for did, (investor, investee) in DEALS.items():
        kg.add_node(NS + did, C.Investment, {}, _ev(f"{investor} 投资 {investee}"))
        kg.add_edge(NS + did, P.investor, NS + investor)
        kg.add_edge(NS + did, P.investee, NS + investee)
    return kg
