"""Synthetic graphs that follow the ecokg.viz input contract (for the viz tests).

Node ids are IRIs; nodes carry ``label``, ``cls``, ``props``, ``evidence``; edges carry
``type`` and ``evidence``. Nothing here is real data.
"""

from __future__ import annotations

import random
from collections.abc import Hashable

import networkx as nx

NS = "https://ecokg.example/id/"

INJECTIONS: tuple[str, ...] = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '" onmouseover="alert(3)',
    "javascript:alert(4)",
)

CLASSES: tuple[str, ...] = (
    "Person",
    "Organisation",
    "Company",
    "CloudProvider",
    "InvestmentFirm",
    "Fund",
    "Bank",
    "Insurer",
    "ResearchInstitution",
    "StateBody",
    "IndustryAlliance",
    "Media",
    "AIModel",
    "Trend",
    "Sector",
    "ExpertGroup",
    "Position",
    "GroupMembership",
    "AllianceRole",
    "BenchmarkResult",
    "Investment",
    "Report",
)


def iri(local: str) -> str:
    return NS + local


def evidence(quote: str, start: int = 0, basis: str = "bluebook") -> list[dict[str, object]]:
    return [{"quote": quote, "source": "蓝皮书2024.pdf", "start": start, "end": start + len(quote), "basis": basis}]


#: What ecokg tells the views about a class (viz itself knows no ontology).
INVESTOR_CLASSES = {"InvestmentFirm", "Fund"}
SECTOR_CLASSES = {"Sector"}


def roles(cls: str) -> dict[str, bool]:
    """The flags ecokg sets on a node of ``cls``: investor, sector."""
    return {"investor": cls in INVESTOR_CLASSES, "sector": cls in SECTOR_CLASSES}


def _node(G: nx.MultiDiGraph, local: str, label: str, cls: str, **props: object) -> str:
    node = iri(local)
    G.add_node(node, label=label, cls=cls, props=dict(props), evidence=evidence(f"{label}是{cls}", len(G)), **roles(cls))
    return node


def _edge(G: nx.MultiDiGraph, u: str, v: str, rel: str) -> None:
    G.add_edge(u, v, type=rel, evidence=evidence(f"{G.nodes[u]['label']} {rel} {G.nodes[v]['label']}"))


def ecosystem_graph() -> nx.MultiDiGraph:
    """A small Chinese cloud/AI ecosystem using every class of the contract."""
    G = nx.MultiDiGraph()
    aliyun = _node(G, "aliyun", "阿里云", "CloudProvider", founded=2009, hq="杭州")
    tcloud = _node(G, "tencent-cloud", "腾讯云", "CloudProvider", founded=2013)
    hwcloud = _node(G, "huawei-cloud", "华为云", "CloudProvider")
    alibaba = _node(G, "alibaba", "阿里巴巴集团", "Company", listed=True)
    tencent = _node(G, "tencent", "腾讯控股", "Company", investor=True)
    qwen = _node(G, "qwen", "通义千问", "AIModel", params_b=72.0)
    hunyuan = _node(G, "hunyuan", "混元大模型", "AIModel")
    bench = _node(G, "bench-qwen-cmmlu", "通义千问 CMMLU 成绩", "BenchmarkResult", score=83.5)
    seq = _node(G, "hongshan", "红杉中国", "InvestmentFirm")
    bigfund = _node(G, "bigfund", "国家集成电路产业投资基金", "Fund")
    inv1 = _node(G, "inv-1", "红杉中国投资某AI公司", "Investment", amount_cny=1.5e8)
    startup = _node(G, "startup", "智谱华章", "Company")
    cloud = _node(G, "sector-cloud", "云计算", "Sector")
    ai = _node(G, "sector-ai", "人工智能", "Sector")
    chips = _node(G, "sector-chips", "半导体", "Sector")
    person = _node(G, "p-wang", "王晓明", "Person")
    pos = _node(G, "pos-wang-cto", "王晓明 · 首席技术官", "Position", title="首席技术官")
    miit = _node(G, "miit", "工业和信息化部", "StateBody")
    alliance = _node(G, "aiia", "中国人工智能产业发展联盟", "IndustryAlliance")
    role = _node(G, "role-aliyun-aiia", "阿里云 · 副理事长单位", "AllianceRole")
    group = _node(G, "expert-group", "大模型专家组", "ExpertGroup")
    member = _node(G, "gm-wang", "王晓明 · 专家组成员", "GroupMembership")
    caict = _node(G, "caict", "中国信息通信研究院", "ResearchInstitution")
    report = _node(G, "report-2024", "云计算白皮书（2024年）", "Report")
    trend = _node(G, "trend-mass", "大模型即服务", "Trend")
    media = _node(G, "media", "科技日报", "Media")
    bank = _node(G, "bank", "招商银行", "Bank")
    insurer = _node(G, "insurer", "中国平安", "Insurer")
    org = _node(G, "org", "开放原子开源基金会", "Organisation")
    lonely_fund = _node(G, "lonely-fund", "孤立基金", "Fund")

    for u, v, rel in [
        (aliyun, alibaba, "SUBSIDIARY_OF"),
        (tcloud, tencent, "SUBSIDIARY_OF"),
        (qwen, aliyun, "DEVELOPED_BY"),
        (hunyuan, tcloud, "DEVELOPED_BY"),
        (bench, qwen, "RESULT_OF"),
        (seq, inv1, "MADE_INVESTMENT"),
        (inv1, startup, "INVESTEE"),
        (startup, ai, "CONCERNS_SECTOR"),
        (aliyun, cloud, "CONCERNS_SECTOR"),
        (tcloud, cloud, "CONCERNS_SECTOR"),
        (hwcloud, cloud, "CONCERNS_SECTOR"),
        (qwen, ai, "CONCERNS_SECTOR"),
        (bigfund, chips, "CONCERNS_SECTOR"),
        (bigfund, hwcloud, "INVESTED_IN"),
        (tencent, startup, "INVESTED_IN"),
        (tencent, startup, "HOLDS_SHARES_IN"),  # parallel edge
        (person, pos, "HOLDS"),
        (pos, aliyun, "IN_ORGANISATION"),
        (person, member, "HAS_MEMBERSHIP"),
        (member, group, "IN_GROUP"),
        (aliyun, role, "HAS_ROLE"),
        (role, alliance, "IN_ALLIANCE"),
        (miit, alliance, "GUIDES"),
        (caict, report, "PUBLISHED"),
        (report, trend, "DESCRIBES"),
        (trend, ai, "CONCERNS_SECTOR"),
        (media, report, "REPORTED_ON"),
        (bank, startup, "LENDS_TO"),
        (insurer, aliyun, "CUSTOMER_OF"),
        (org, alliance, "MEMBER_OF"),
    ]:
        _edge(G, u, v, rel)
    assert lonely_fund in G
    return G


def scale_graph(n: int, seed: int = 1234, m: int = 2) -> nx.MultiDiGraph:
    """A scale-free graph of ``n`` nodes (Barabási–Albert) dressed in the contract."""
    base = nx.barabasi_albert_graph(n, m, seed=seed)
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    for i in base.nodes:
        cls = CLASSES[i % len(CLASSES)]
        G.add_node(
            iri(f"n{i}"),
            label=f"节点{i}号",
            cls=cls,
            props={"rank": i, "score": round(rng.random(), 3)},
            evidence=evidence(f"第{i}条证据", i),
            **roles(cls),
        )
    for u, v in base.edges:
        a, b = (u, v) if rng.random() < 0.5 else (v, u)
        G.add_edge(iri(f"n{a}"), iri(f"n{b}"), type="RELATED_TO", evidence=[])
    return G


def injection_graph() -> nx.MultiDiGraph:
    """Every data string (labels, props keys/values, evidence, class) is hostile."""
    G = nx.MultiDiGraph()
    nodes: list[str] = []
    for i, evil in enumerate(INJECTIONS):
        cls = ("InvestmentFirm", "Sector", "Company", evil)[i]
        node = iri(f"evil{i}") + evil  # hostile IRI too
        G.add_node(
            node,
            label=evil,
            cls=cls,
            props={evil: evil, "investor": i == 2, "url": "javascript:alert(4)"},
            evidence=[{"quote": evil, "source": evil, "start": evil, "end": 5, "basis": evil}],
            colour=evil,  # a hostile colour is refused, the fallback palette is used
            **roles(cls),
        )
        nodes.append(node)
    hub = iri("hub")
    G.add_node(hub, label="中心 " + INJECTIONS[1], cls="Company", props={}, evidence=[])
    for node in nodes:
        G.add_edge(node, hub, type=INJECTIONS[0], evidence=[{"quote": INJECTIONS[1], "source": INJECTIONS[2]}])
    G.add_edge(nodes[0], nodes[1], type="CONCERNS_SECTOR", evidence=[])
    return G


def undirected_shortest_path_nodes(G: nx.MultiDiGraph, max_hops: int) -> set[Hashable]:
    """Oracle for the investors-sectors view, written with networkx's own algorithms."""
    U = nx.Graph(G.to_undirected())
    investors = {
        n
        for n, a in G.nodes(data=True)
        if a.get("cls") in INVESTOR_CLASSES or (a.get("props") or {}).get("investor") is True
    }
    sectors = {n for n, a in G.nodes(data=True) if a.get("cls") in SECTOR_CLASSES}
    keep = set(investors) | set(sectors)
    for i in investors:
        for s in sectors:
            if i == s or not nx.has_path(U, i, s):
                continue
            if nx.shortest_path_length(U, i, s) > max_hops:
                continue
            for p in nx.all_shortest_paths(U, i, s):
                keep.update(p)
    return keep
