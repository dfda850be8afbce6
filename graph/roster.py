"""The roster: people, organisations, models and trends as plain JSON, from the model.

It works on any store: read the graph back (:meth:`GraphStore.read`) and pass it here.
Names are as written in the sources (an affiliation gives the organisation as written
in that entry; the organisation list gives canonical names).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ecokg.graph.model import KnowledgeGraph, Node
from ecokg.ontology.terms import C, D, P


def _target(kg: KnowledgeGraph, node_id: str, prop: str) -> list[Node]:
    return [kg.nodes[e.target] for e in kg.out_edges(node_id, prop) if e.target in kg.nodes]


def org_kind(kg: KnowledgeGraph, node: Node) -> str | None:
    """The kind of an organisation: its most specific class below Organisation (deepest first)."""
    schema = kg.schema
    below = [c for c in schema.most_specific(node.classes) if c != C.Organisation and schema.is_a([c], C.Organisation)]
    if not below:
        return None
    return sorted(below, key=lambda c: (-len(schema.ancestors(c)), c))[0]


def _person(kg: KnowledgeGraph, p: Node) -> dict[str, Any]:
    groups: list[str] = []
    alliance: list[str] = []
    affs: list[dict[str, Any]] = []
    for m in _target(kg, p.id, P.holds):
        props = m.props
        if C.GroupMembership in m.classes:
            for g in _target(kg, m.id, P.inGroup):
                if g.name not in groups:
                    groups.append(g.name)
        elif C.AllianceRole in m.classes and props.get(D.title):
            alliance.append(props[D.title])
        elif C.Position in m.classes:
            for o in _target(kg, m.id, P.inOrganisation):
                a: dict[str, Any] = {"organisation": props.get(D.orgAsWritten) or o.name,
                                     "organisation_canonical": o.name, "title": props.get(D.title),
                                     "former": bool(props.get(D.isFormer))}
                if props.get(D.remit):
                    a["remit"] = props[D.remit]
                affs.append(a)
    return {"name": p.name, "pinyin": p.props.get(D.pinyin), "groups": sorted(groups),
            "alliance_roles": sorted(alliance),
            "affiliations": sorted(affs, key=lambda a: (a["organisation"], a["former"])),
            "descriptors": sorted(p.props.get(D.descriptor, []))}


def _organisation(kg: KnowledgeGraph, o: Node) -> dict[str, Any]:
    sectors = {s.name for prop in (P.inSector, P.investmentFocus) for s in _target(kg, o.id, prop)}
    parents = sorted(x.name for x in _target(kg, o.id, P.parentOrganisation))
    places = _target(kg, o.id, P.locatedIn)
    city = province = None
    if places:
        place = sorted(places, key=lambda n: n.name)[0]
        if place.props.get(D.placeLevel) == "city":
            city = place.name
            within = _target(kg, place.id, P.withinPlace)
            province = within[0].name if within else None
        else:
            province = place.name
    return {"name": o.name, "name_en": o.props.get(D.nameEn), "kind": org_kind(kg, o),
            "aliases": sorted(o.props.get(D.alias, [])), "parent": parents[0] if parents else None,
            "city": city, "province": province, "sectors": sorted(sectors)}


#: Which source's word on a model's developer wins: a source over curated knowledge.
_BASIS_ORDER = ("bluebook", "superclue", "llm-list", "user-data", "curated", "name-grammar")


def _model(kg: KnowledgeGraph, m: Node) -> dict[str, Any]:
    devs: dict[str, str] = {}
    for e in kg.out_edges(m.id, P.developedBy):
        name = kg.nodes[e.target].name
        for ev in e.evidence:
            best = devs.get(name)
            if best is None or _rank(ev.basis) < _rank(best):
                devs[name] = ev.basis
    scores = []
    for e in kg.in_edges(m.id, P.forModel):
        r = kg.nodes[e.source]
        bench = _target(kg, r.id, P.onBenchmark)
        if bench and r.evidence:
            scores.append({"benchmark": bench[0].name, "board": r.props.get(D.board),
                           "measure": r.props.get(D.measure) or "总分", "date": r.props.get(D.assessedIn),
                           "score": float(r.props[D.score]), "rank": r.props.get(D.rank)})
    stated = sorted(k for k, b in devs.items() if b != "curated")
    family = _target(kg, m.id, P.inFamily)
    return {"name": m.name, "developer": "&".join(stated) if stated else (sorted(devs)[0] if devs else None),
            "developers": [{"name": k, "basis": b} for k, b in sorted(devs.items())],
            "partners": sorted(x.name for x in _target(kg, m.id, P.partner)),
            "family": family[0].name if family else None,
            "is_family": C.ModelFamily in m.classes,
            "category": m.props.get(D.category),
            "scores": sorted(scores, key=lambda s: (s["benchmark"], str(s["date"]), str(s["board"]),
                                                    str(s["measure"])))}


def _rank(basis: str) -> int:
    return _BASIS_ORDER.index(basis) if basis in _BASIS_ORDER else len(_BASIS_ORDER)


def roster(kg: KnowledgeGraph) -> dict[str, Any]:
    """People, organisations, models and trends of ``kg`` as plain data."""
    people = sorted((_person(kg, p) for p in kg.of_class(C.Person) if D.pinyin in p.props),
                    key=lambda x: x["name"])
    orgs = sorted((_organisation(kg, o) for o in kg.of_class(C.Organisation) if D.name in o.props),
                  key=lambda x: x["name"])
    models = sorted((_model(kg, m) for m in kg.of_class(C.AIModel)), key=lambda x: x["name"])
    trend_sectors: dict[str, list[str]] = defaultdict(list)
    trends = []
    for t in sorted(kg.of_class(C.Trend), key=lambda n: n.props.get(D.trendNumber, 0)):
        for s in _target(kg, t.id, P.concernsSector):
            trend_sectors[t.id].append(s.name)
        trends.append({"number": t.props.get(D.trendNumber), "title": t.name, "statement": t.props.get(D.statement),
                       "sectors": sorted(trend_sectors[t.id])})
    return {"people": people, "organisations": orgs, "models": models, "trends": trends}
