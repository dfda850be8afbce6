"""The networkx form of the graph, for analytics, notebooks and the views.

:func:`to_networkx` keeps every entity and membership node (evidence travels as
attributes). :func:`entity_graph` collapses the n-ary nodes (positions, group
memberships, alliance roles, investments, benchmark results) into direct edges
between entities, which is the form people think in: 陈宏 —董事长兼CEO→ 汉能投资集团.

Node attributes: ``label``, ``cls`` (most specific ontology class), ``props``,
``evidence`` (list of dicts). Edge attributes: ``type`` (Neo4j relationship type),
``evidence``.
"""

from __future__ import annotations

from typing import Any, Mapping

import networkx as nx
from ecokg.graph.model import KnowledgeGraph
from ecokg.ontology.terms import C, D, P, T

#: n-ary membership nodes and the edge type each becomes in the entity graph
MEMBERSHIPS = {C.Position: "POSITION", C.AllianceRole: "ALLIANCE_ROLE", C.GroupMembership: "MEMBER_OF"}
SKIPPED = (C.Evidence, C.SourceDocument)


def most_specific(kg: KnowledgeGraph, node_id: str) -> str:
    return kg.most_specific(node_id)


def _label(kg: KnowledgeGraph, node_id: str) -> str:
    return label_of(kg.nodes[node_id].props, most_specific(kg, node_id))


def label_of(props: Mapping[str, Any], cls: str) -> str:
    """A node's label: its name, title or role, else its score, else its class."""
    for key in (D.name, D.title, D.role):
        if props.get(key):
            return str(props[key])
    if D.score in props:
        return str(props[D.score])
    return cls


def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph[Any]:
    """Every node but evidence and source documents; every relation between them."""
    g: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    for n in kg.nodes.values():
        cls = most_specific(kg, n.id)
        if cls in SKIPPED:
            continue
        g.add_node(n.id, label=_label(kg, n.id), cls=cls,
                   props={k: (v if not isinstance(v, list) else "、".join(map(str, v))) for k, v in n.props.items()
                          if v is not None and not isinstance(v, (dict,))},
                   evidence=[ev.as_dict() for ev in n.evidence])
    for e in kg.edges.values():
        if e.source in g and e.target in g:
            g.add_edge(e.source, e.target, key=e.prop, type=kg.schema.rel_type(e.prop),
                       evidence=[ev.as_dict() for ev in e.evidence])
    return g


def entity_graph(kg: KnowledgeGraph, full: nx.MultiDiGraph[Any] | None = None) -> nx.MultiDiGraph[Any]:
    """Entities only: memberships, investments and benchmark results become edges.

    - Person -HOLDS-> Position -IN_ORGANISATION-> Org  becomes  Person -POSITION-> Org (title, former)
    - AllianceRole becomes ALLIANCE_ROLE, GroupMembership becomes MEMBER_OF (role)
    - Investment becomes Investor -INVESTED_IN-> company or sector
    - BenchmarkResult becomes Model -SCORED-> Benchmark (score)
    """
    full = to_networkx(kg) if full is None else full  # pass the full form when you already have it
    g: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    collapsed = set(MEMBERSHIPS) | {C.Investment, C.BenchmarkResult, C.Report}
    for n, d in full.nodes(data=True):
        if d["cls"] not in collapsed:
            g.add_node(n, **d)
    for u, v, k, d in full.edges(keys=True, data=True):
        if u in g and v in g:
            g.add_edge(u, v, key=k, **d)
    for n, d in full.nodes(data=True):
        cls = d["cls"]
        if cls in MEMBERSHIPS:
            holders = [u for u, _, k in full.in_edges(n, keys=True) if k == P.holds]
            targets = [v for _, v, k in full.out_edges(n, keys=True) if k in (P.inOrganisation, P.inGroup)]
            etype = MEMBERSHIPS[cls]
            for h in holders:
                for t in targets:
                    g.add_edge(h, t, key=f"{etype}:{n}", type=etype, via=n, props=dict(d["props"]),
                               label=d["label"], evidence=d["evidence"])
        elif cls == C.Investment:
            investors = [v for _, v, k in full.out_edges(n, keys=True) if k == P.investor]
            objects = [v for _, v, k in full.out_edges(n, keys=True) if k in (P.investee, P.investmentSector)]
            for a in investors:
                for b in objects:
                    g.add_edge(a, b, key=f"INVESTED_IN:{n}", type="INVESTED_IN", via=n, props=dict(d["props"]),
                               evidence=d["evidence"])
        elif cls == C.BenchmarkResult:
            models = [v for _, v, k in full.out_edges(n, keys=True) if k == P.forModel]
            benches = [v for _, v, k in full.out_edges(n, keys=True) if k == P.onBenchmark]
            for a in models:
                for b in benches:
                    g.add_edge(a, b, key=f"SCORED:{n}", type="SCORED", via=n, props=dict(d["props"]),
                               label=d["label"], evidence=d["evidence"])
    # organisations that invest (deals, stated focus) count as investors in the views
    for u, _, d in list(g.edges(data=True)):
        if d.get("type") in ("INVESTED_IN", T.INVESTMENT_FOCUS) and u in g:
            g.nodes[u]["props"] = {**g.nodes[u]["props"], "investor": True}
    return g
