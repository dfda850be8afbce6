"""The roster: people, organisations, models and trends as plain JSON, read from the store.

Names are as written in the Blue Book (an affiliation gives the organisation as
written in that entry; the organisation list gives canonical names).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from ecokg.graph.store import sparql

PEOPLE = """
SELECT ?p ?name ?pinyin WHERE { ?p a eco:Person ; eco:name ?name ; eco:pinyin ?pinyin } ORDER BY ?name
"""
GROUPS = """
SELECT ?p ?group ?role WHERE {
  ?p eco:holds ?m . ?m a eco:GroupMembership ; eco:inGroup ?g ; eco:role ?role . ?g eco:name ?group }
"""
ALLIANCE = """
SELECT ?p ?title WHERE { ?p eco:holds ?m . ?m a eco:AllianceRole ; eco:title ?title }
"""
POSITIONS = """
SELECT ?p ?orgName ?written ?title ?former ?remit WHERE {
  ?p eco:holds ?m . ?m a eco:Position ; eco:inOrganisation ?o ; eco:isFormer ?former .
  ?o eco:name ?orgName .
  OPTIONAL { ?m eco:title ?title } OPTIONAL { ?m eco:orgAsWritten ?written } OPTIONAL { ?m eco:remit ?remit } }
"""
DESCRIPTORS = "SELECT ?p ?d WHERE { ?p a eco:Person ; eco:descriptor ?d }"
ORGS = """
SELECT ?o ?name ?en ?parentName WHERE {
  ?o a eco:Organisation ; eco:name ?name .
  OPTIONAL { ?o eco:nameEn ?en } OPTIONAL { ?o eco:parentOrganisation/eco:name ?parentName } } ORDER BY ?name
"""
ORG_SECTORS = """
SELECT ?o ?sector WHERE { ?o a eco:Organisation . { ?o eco:inSector ?s } UNION { ?o eco:investmentFocus ?s } ?s eco:name ?sector }
"""
MODELS = """
SELECT ?m ?name WHERE { ?m a eco:AIModel ; eco:name ?name } ORDER BY ?name
"""
DEVELOPERS = """
SELECT ?m ?dev ?basis WHERE {
  ?m eco:developedBy ?o . ?o eco:name ?dev .
  ?st rdf:subject ?m ; rdf:predicate eco:developedBy ; rdf:object ?o ; eco:evidence/eco:basis ?basis }
"""
SCORES = """
SELECT ?m ?bench ?score ?when ?quote WHERE {
  ?r a eco:BenchmarkResult ; eco:forModel ?m ; eco:onBenchmark/eco:name ?bench ; eco:score ?score ; eco:evidence/eco:quote ?quote .
  OPTIONAL { ?r eco:assessedIn ?when } }
"""
TRENDS = """
SELECT ?t ?n ?title ?statement WHERE { ?t a eco:Trend ; eco:trendNumber ?n ; eco:name ?title . OPTIONAL { ?t eco:statement ?statement } }
ORDER BY ?n
"""
TREND_SECTORS = "SELECT ?t ?sector WHERE { ?t a eco:Trend ; eco:concernsSector/eco:name ?sector }"

# Organisation kinds: the most specific eco: classes below Organisation.
KIND_ORDER = ("CloudProvider", "InvestmentFirm", "Fund", "Bank", "Insurer", "ResearchInstitution",
              "StateBody", "IndustryAlliance", "Media", "Company", "Investor")


def _kinds(store: ox.Store) -> dict[str, list[str]]:
    rows = sparql(store, "SELECT ?o ?c WHERE { ?o a eco:Organisation , ?c }")
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        local = r["c"].rsplit("#", 1)[-1]
        if local in KIND_ORDER:
            out[r["o"]].append(local)
    return {o: sorted(ks, key=KIND_ORDER.index) for o, ks in out.items()}


def roster(store: ox.Store) -> dict[str, Any]:
    """Build the roster from a store holding an ecokg graph."""
    groups: dict[str, list[str]] = defaultdict(list)
    for r in sparql(store, GROUPS):
        if r["group"] not in groups[r["p"]]:
            groups[r["p"]].append(r["group"])
    alliance: dict[str, list[str]] = defaultdict(list)
    for r in sparql(store, ALLIANCE):
        alliance[r["p"]].append(r["title"])
    affs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in sparql(store, POSITIONS):
        a = {"organisation": r["written"] or r["orgName"], "organisation_canonical": r["orgName"],
             "title": r["title"], "former": bool(r["former"])}
        if r["remit"]:
            a["remit"] = r["remit"]
        affs[r["p"]].append(a)
    descriptors: dict[str, list[str]] = defaultdict(list)
    for r in sparql(store, DESCRIPTORS):
        descriptors[r["p"]].append(r["d"])
    people = []
    for r in sparql(store, PEOPLE):
        p = r["p"]
        people.append({
            "name": r["name"], "pinyin": r["pinyin"], "groups": sorted(groups[p]),
            "alliance_roles": sorted(alliance[p]),
            "affiliations": sorted(affs[p], key=lambda a: (a["organisation"], a["former"])),
            "descriptors": sorted(descriptors[p]),
        })
    kinds = _kinds(store)
    sectors: dict[str, list[str]] = defaultdict(list)
    for r in sparql(store, ORG_SECTORS):
        if r["sector"] not in sectors[r["o"]]:
            sectors[r["o"]].append(r["sector"])
    orgs = []
    seen = set()
    for r in sparql(store, ORGS):
        if r["o"] in seen:
            continue
        seen.add(r["o"])
        ks = kinds.get(r["o"], [])
        orgs.append({"name": r["name"], "name_en": r["en"], "kind": ks[0] if ks else None,
                     "parent": r["parentName"], "sectors": sorted(sectors[r["o"]])})
    devs: dict[str, dict[str, str]] = defaultdict(dict)
    for r in sparql(store, DEVELOPERS):
        # prefer what the Blue Book states over curated knowledge
        if devs[r["m"]].get(r["dev"]) != "bluebook":
            devs[r["m"]][r["dev"]] = r["basis"]
    scores: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in sparql(store, SCORES):
        scores[r["m"]].append({"benchmark": r["bench"], "date": r["when"], "score": r["score"]})
    models = []
    for r in sparql(store, MODELS):
        d = devs.get(r["m"], {})
        stated = sorted(k for k, b in d.items() if b == "bluebook")
        models.append({
            "name": r["name"],
            "developer": "&".join(stated) if stated else (sorted(d)[0] if d else None),
            "developers": [{"name": k, "basis": b} for k, b in sorted(d.items())],
            "scores": scores.get(r["m"], []),
        })
    tsec: dict[str, list[str]] = defaultdict(list)
    for r in sparql(store, TREND_SECTORS):
        tsec[r["t"]].append(r["sector"])
    trends = [{"number": r["n"], "title": r["title"], "statement": r["statement"], "sectors": sorted(tsec[r["t"]])}
              for r in sparql(store, TRENDS)]
    return {"people": people, "organisations": orgs, "models": models, "trends": trends}
