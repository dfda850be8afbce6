"""A synthetic ecosystem with every shape the named questions use, written as a built graph folder.

Run: python bench/generate.py --entities 10000 --out /tmp/ecokg-10k [--seed 7] [--no-shacl] [--no-dump]

The graph has the real loaders' shapes (``loaders/bluebook/facts.py``, ``deals.py``, ``superclue``,
``llmlist``, ``families.py``), with evidence on every entity, membership and evidenced relation:

- people (人0 ...) with posts (``Position``: title, isFormer, remit, remitSector) at organisations,
  memberships of expert groups (组0 ...; some people sit in two), alliance roles at 联盟0;
- organisations of every kind (机构0 ...: Company, CloudProvider, Bank, Insurer, InvestmentFirm, Fund,
  ResearchInstitution, StateBody, Media) in sectors, some units of a parent, some located in a city;
  investment firms and funds with a stated focus; funds set up by an organisation;
- sectors (行业0 ...) with broader sectors, trends (趋势0 ...) of a report concerning sectors;
- investments (investor, investee and/or sector, round, date, amount);
- AI models (模型0 ...) with developers, partners, sectors, categories, families (系列0 ...);
- places: provinces (省0 ...) and cities (市0 ...) within them;
- one benchmark (基准0) with dated results (score, rank, board, measure, assessedIn).

Its names are generated: it says nothing about the real ecosystem. ``--entities`` counts the nodes
of the classes found by name (people, organisations, models and families, sectors, trends, groups,
places); posts, memberships, investments, results and evidence come on top. The folder is written
with the steps of ``ecokg.build._write`` (a generation, switched in one rename), so ``ecokg.open``,
``ecokg ask --out`` and ``ecokg load neo4j`` read it like a real build. Prints the counts and, for
every public question, arguments (chosen from the graph) whose answer is not empty.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from ecokg.graph.model import Evidence, GraphReader, KnowledgeGraph
from ecokg.ontology.iris import entity_iri, mint, model_iri, org_iri, sector_iri
from ecokg.ontology.terms import C, D, P

TITLES = ["总经理", "合伙人", "CTO", "副总裁", "首席科学家", "董事长", "投资总监", "投资合伙人", "研究员", "CIO"]
ORG_KINDS = [  # (class, weight)
    (C.Company, 40), (C.CloudProvider, 5), (C.Bank, 8), (C.Insurer, 4), (C.InvestmentFirm, 14), (C.Fund, 7),
    (C.ResearchInstitution, 12), (C.StateBody, 6), (C.Media, 4),
]
DEVELOPER_KINDS = (C.Company, C.CloudProvider, C.ResearchInstitution)
MONTHS = ["2024-01", "2024-03", "2024-05", "2024-07", "2024-09", "2024-11"]
BOARDS = ["overall", "reasoning", "code"]
ROUNDS = ["天使轮", "A轮", "B轮", "C轮", "战略投资"]
CATEGORIES = ["通用", "行业", "多模态"]


class _Ev:
    """Evidence in three synthetic sources: a Blue Book text (offsets), a deals table and a
    leaderboard (lines)."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.book = mint("source", "synthetic-bluebook")
        self.deals = mint("source", "synthetic-deals")
        self.board = mint("source", "synthetic-superclue")
        kg.add_node(self.book, C.SourceDocument, {D.fileName: "synthetic-bluebook.txt"})
        kg.add_node(self.deals, C.SourceDocument, {D.fileName: "synthetic-deals.csv"})
        kg.add_node(self.board, C.SourceDocument, {D.fileName: "synthetic-superclue.md"})
        self.pos = 0
        self.deal_line = 1
        self.board_line = 1

    def text(self, quote: str) -> Evidence:
        e = Evidence(source=self.book, quote=quote, basis="bluebook", start=self.pos, end=self.pos + len(quote))
        self.pos += len(quote) + 1
        return e

    def deal(self, quote: str) -> Evidence:
        self.deal_line += 1
        return Evidence(source=self.deals, quote=quote, basis="user-data", line=self.deal_line, note="synthetic deals")

    def row(self, quote: str) -> Evidence:
        self.board_line += 1
        return Evidence(source=self.board, quote=quote, basis="superclue", line=self.board_line)


def plan(entities: int) -> dict[str, int]:
    """How many of each kind of entity ``entities`` makes (the rest of the budget goes to people)."""
    n = max(entities, 100)
    counts = {
        "sectors": 12 + n // 10_000,
        "trends": max(5, min(60, n // 2_000)),
        "groups": max(8, n // 1_000),
        "provinces": min(34, max(3, n // 300)),
        "cities": max(6, n // 50),
        "organisations": n // 4,
        "models": n // 10,
        "families": max(3, n // 50),
    }
    counts["people"] = n - sum(counts.values()) - 1  # the alliance is an organisation too
    return counts


def generate(entities: int, seed: int = 7) -> KnowledgeGraph:
    """The synthetic graph of about ``entities`` entities (see the module's docstring)."""
    rnd = random.Random(seed)
    n = plan(entities)
    kg = KnowledgeGraph()
    ev = _Ev(kg)

    # -- a report, its publisher (the alliance) ------------------------------------------
    report = entity_iri("report", "合成蓝皮书", "2024")
    kg.add_node(report, C.Report, {D.name: "合成蓝皮书 2024", D.edition: "2024"})
    kg.add_edge(ev.book, P.transcribes, report)
    alliance = org_iri("联盟0")
    kg.add_node(alliance, C.IndustryAlliance, {D.name: "联盟0", D.nameEn: "Synthetic Alliance 0"}, ev.text("联盟0"))
    kg.add_edge(report, P.publishedBy, alliance)

    # -- sectors with broader sectors; trends concerning them -------------------------------
    sectors = [sector_iri(f"s{i}") for i in range(n["sectors"])]
    for i, s in enumerate(sectors):
        kg.add_node(s, C.Sector, {D.name: f"行业{i}", D.nameEn: f"sector {i}"})
    broad = sectors[:4]
    for s in sectors[4:]:
        kg.add_edge(s, P.broaderSector, rnd.choice(broad))
    for t in range(n["trends"]):
        name = f"趋势{t}"
        iri = entity_iri("trend", str(t + 1), report)
        kg.add_node(iri, C.Trend, {D.name: name, D.trendNumber: t + 1, D.statement: f"{name}的陈述"}, ev.text(name))
        kg.add_edge(iri, P.partOfReport, report)
        for s in rnd.sample(sectors, 2):
            kg.add_edge(iri, P.concernsSector, s, ev.text(f"{name}关于{kg.nodes[s].name}"))

    # -- places ------------------------------------------------------------------------------
    provinces = []
    for i in range(n["provinces"]):
        iri = entity_iri("place", f"省{i}")
        kg.add_node(iri, C.Place, {D.name: f"省{i}", D.placeLevel: "province"}, ev.row(f"省{i}"))
        provinces.append(iri)
    cities = []
    for i in range(n["cities"]):
        iri = entity_iri("place", f"市{i}")
        e = ev.row(f"市{i}")
        kg.add_node(iri, C.Place, {D.name: f"市{i}", D.placeLevel: "city"}, e)
        kg.add_edge(iri, P.withinPlace, provinces[i % len(provinces)])
        cities.append(iri)

    # -- organisations -------------------------------------------------------------------------
    kinds = [k for k, _ in ORG_KINDS]
    weights = [w for _, w in ORG_KINDS]
    orgs: list[str] = []
    kind_of: dict[str, str] = {}
    for i in range(n["organisations"]):
        name = f"机构{i}"
        iri = org_iri(name)
        kind = rnd.choices(kinds, weights)[0]
        e = ev.text(name)
        props: dict[str, Any] = {D.name: name}
        if rnd.random() < 0.3:
            props[D.nameEn] = f"Org {i}"
        kg.add_node(iri, kind, props, e)
        for s in rnd.sample(sectors, rnd.choice([1, 2])):
            kg.add_edge(iri, P.inSector, s, ev.text(f"{name}属于{kg.nodes[s].name}"))
        if kind in (C.InvestmentFirm, C.Fund):
            for s in rnd.sample(sectors, 2):
                kg.add_edge(iri, P.investmentFocus, s, ev.text(f"{name}关注{kg.nodes[s].name}"))
        orgs.append(iri)
        kind_of[iri] = kind
    # units of a parent: the parents are among the first tenth and have no parent themselves
    top = orgs[: max(1, len(orgs) // 10)]
    for o in orgs[len(top):]:
        if rnd.random() < 0.2:
            parent = rnd.choice(top)
            kg.add_edge(o, P.parentOrganisation, parent,
                        ev.text(f"{kg.nodes[parent].name}{kg.nodes[o].name}"))
    investors = [o for o in orgs if kind_of[o] in (C.InvestmentFirm, C.Fund, C.Bank)] or orgs[:1]
    for o in orgs:
        if kind_of[o] == C.Fund:
            founder = rnd.choice(orgs)
            if founder != o:
                kg.add_edge(o, P.setUpBy, founder, ev.text(f"{kg.nodes[founder].name}设立{kg.nodes[o].name}"))
    developers = [o for o in orgs if kind_of[o] in DEVELOPER_KINDS]
    developers = developers[: max(3, len(developers) // 5)]  # a few makers, each with several models
    for o in developers:
        kg.add_edge(o, P.locatedIn, rnd.choice(cities), ev.row(f"{kg.nodes[o].name} 所在地"))
    for o in rnd.sample(orgs, len(orgs) // 10):
        kg.add_edge(o, P.locatedIn, rnd.choice(cities + provinces), ev.row(f"{kg.nodes[o].name} 所在地"))

    # -- models, families, a benchmark with dated results -------------------------------------
    families = []
    for f in range(n["families"]):
        dev = developers[f % len(developers)]
        iri = model_iri(f"系列{f}")
        e = ev.row(f"系列{f}")
        kg.add_node(iri, C.ModelFamily, {D.name: f"系列{f}"}, e)
        kg.add_edge(iri, P.developedBy, dev, e)
        families.append((iri, dev))
    bench = entity_iri("benchmark", "基准0")
    kg.add_node(bench, C.Benchmark, {D.name: "基准0"}, ev.text("基准0"))
    scored: dict[tuple[str, str], list[tuple[Decimal, str]]] = {}  # (month, board) -> [(score, result)]
    for m in range(n["models"]):
        name = f"模型{m}"
        iri = model_iri(name)
        fam, dev = rnd.choice(families)
        e = ev.row(f"{name} {kg.nodes[dev].name}")
        kg.add_node(iri, C.AIModel, {D.name: name, D.category: rnd.choice(CATEGORIES)}, e)
        kg.add_edge(iri, P.developedBy, dev, e)
        kg.add_edge(iri, P.inFamily, fam, e)
        kg.add_edge(iri, P.modelSector, rnd.choice(sectors), e)
        if rnd.random() < 0.1:
            kg.add_edge(iri, P.partner, rnd.choice(orgs), e)
        if rnd.random() < 0.5:  # half the models are on the leaderboard, in one to four months
            for month in sorted(rnd.sample(MONTHS, rnd.randint(1, 4))):
                for board in BOARDS if rnd.random() < 0.3 else BOARDS[:1]:
                    score = Decimal(rnd.randint(3000, 9000)) / 100
                    res = mint("result", name, "基准0", month, board, "总分", label=name)
                    kg.add_node(res, C.BenchmarkResult, {D.score: score, D.assessedIn: month, D.board: board,
                                                         D.measure: "总分", D.access: "API"},
                                ev.row(f"| {name} | {score} | {month} | {board} |"))
                    kg.add_edge(res, P.forModel, iri)
                    kg.add_edge(res, P.onBenchmark, bench)
                    scored.setdefault((month, board), []).append((score, res))
    for rows in scored.values():
        for rank, (_score, res) in enumerate(sorted(rows, reverse=True), start=1):
            kg.nodes[res].props[D.rank] = rank

    # -- investments ---------------------------------------------------------------------------
    for i in range(n["organisations"] // 2):
        inv = rnd.choice(investors)
        investee = rnd.choice(orgs) if rnd.random() < 0.8 else None
        sector = rnd.choice(sectors) if investee is None or rnd.random() < 0.3 else None
        rnd_round, date = rnd.choice(ROUNDS), f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        quote = f"{kg.nodes[inv].name},{kg.nodes[investee].name if investee else ''},{rnd_round},{date}"
        e = ev.deal(quote)
        iri = entity_iri("investment", kg.nodes[inv].name, str(i), rnd_round, date)
        kg.add_node(iri, C.Investment, {D.round: rnd_round, D.date: date, D.amount: f"{rnd.randint(1, 50)}亿元"}, e)
        kg.add_edge(iri, P.investor, inv)
        if investee:
            kg.add_edge(iri, P.investee, investee)
        if sector:
            kg.add_edge(iri, P.investmentSector, sector)

    # -- expert groups, people, posts, memberships, alliance roles ---------------------------------
    groups = []
    for g in range(n["groups"]):
        iri = entity_iri("group", f"组{g}", report)
        kg.add_node(iri, C.ExpertGroup, {D.name: f"组{g}"}, ev.text(f"组{g}"))
        kg.add_edge(iri, P.partOfReport, report)
        groups.append(iri)
    for i in range(n["people"]):
        name = f"人{i}"
        p = entity_iri("person", name)
        kg.add_node(p, C.Person, {D.name: name, D.pinyin: f"Ren {i}"}, ev.text(name))
        for org in rnd.sample(orgs, rnd.choice([1, 1, 2])):
            title = rnd.choice(TITLES)
            former = rnd.random() < 0.15
            oname = kg.nodes[org].name
            pos = mint("position", p, org, former)
            remit = None
            remit_sectors = []
            if rnd.random() < 0.3:
                remit_sectors = rnd.sample(sectors, 1)
                remit = f"负责{kg.nodes[remit_sectors[0]].name}"
            kg.add_node(pos, C.Position, {D.title: title, D.isFormer: former, D.remit: remit, D.orgAsWritten: oname},
                        ev.text(f"{'原' if former else ''}{oname}{title}"))
            kg.add_edge(p, P.holds, pos)
            kg.add_edge(pos, P.inOrganisation, org)
            for s in remit_sectors:
                kg.add_edge(pos, P.remitSector, s)
        for g in rnd.sample(groups, 2 if rnd.random() < 0.1 else 1):
            role = "成员"
            m = mint("membership", p, g, role)
            kg.add_node(m, C.GroupMembership, {D.role: role}, ev.text(f"{name} {role}"))
            kg.add_edge(p, P.holds, m)
            kg.add_edge(m, P.inGroup, g)
        if rnd.random() < 0.02:
            role = rnd.choice(["理事", "副理事长", "秘书长"])
            a = mint("alliance-role", p, alliance, role)
            kg.add_node(a, C.AllianceRole, {D.title: role, D.isFormer: False}, ev.text(f"{name} 联盟0{role}"))
            kg.add_edge(p, P.holds, a)
            kg.add_edge(a, P.inOrganisation, alliance)
    return kg


# -- sample arguments --------------------------------------------------------------------------

def sample_args(kg: GraphReader) -> dict[str, dict[str, str]]:
    """For every public question, arguments (by parameter name) chosen from ``kg`` so that the
    answer is not empty. Entities are named by their name (resolved like a user's text), preferring
    long index numbers (人98765 rather than 人1) so that ``find`` does not match a tenth of the graph."""
    from ecokg.graph.questions import public_questions

    def name(i: str) -> str:
        return kg.nodes[i].name

    def typical(ids: Any) -> str:
        """The entity with the longest name, then the first IRI: a name few other names contain."""
        return min(ids, key=lambda i: (-len(name(i)), i))

    def classes(i: str) -> set[str]:
        return kg.nodes[i].classes

    holders: dict[str, set[str]] = {}
    for e in kg.edges.values():
        if e.prop == P.inOrganisation and C.Position in classes(e.source):
            holders.setdefault(e.target, set()).add(e.source)
    # people-of: a parent with units (its subsidiaries' people come too), else an org with posts
    parents = {e.target for e in kg.edges.values() if e.prop == P.parentOrganisation}
    busy = [o for o in holders if o in parents] or list(holders)
    people_of = max(sorted(busy), key=lambda o: (len(holders[o]), o))

    def posts(person: str) -> list[str]:
        return [h.target for h in kg.out_edges(person, P.holds) if C.Position in classes(h.target)]

    trend_sectors = {e.target for e in kg.edges.values() if e.prop == P.concernsSector}

    def sectors_of(person: str) -> set[str]:
        out: set[str] = set()
        for pos in posts(person):
            out |= {e.target for e in kg.out_edges(pos, P.remitSector)}
            for o in kg.out_edges(pos, P.inOrganisation):
                out |= {e.target for e in kg.out_edges(o.target) if e.prop in (P.inSector, P.investmentFocus)}
        return out

    people = [nd.id for nd in kg.of_class(C.Person)]
    with_posts = [p for p in people if posts(p)]
    person_org = typical(with_posts)
    person_trend = typical([p for p in with_posts if sectors_of(p) & trend_sectors])
    group_of: dict[str, list[str]] = {}
    for e in kg.edges.values():
        if e.prop == P.inGroup:
            holder = next(h.source for h in kg.in_edges(e.source, P.holds))
            group_of.setdefault(e.target, []).append(holder)
    in_groups = {p for ms in group_of.values() if len(ms) > 1 for p in ms}
    co_member = typical(in_groups)
    # connection: a person and the organisation of a co-member (a short path through the group)
    g = next(g for g in sorted(group_of) if co_member in group_of[g] and len(group_of[g]) > 1)
    other = typical([m for m in group_of[g] if m != co_member and posts(m)])
    far_org = min(o.target for pos in posts(other) for o in kg.out_edges(pos, P.inOrganisation))
    investor = typical({e.target for e in kg.edges.values() if e.prop == P.investor})
    trend = typical([nd.id for nd in kg.of_class(C.Trend)])
    # model-race and developer-ties: the developer whose overall totals span the most months, with posts
    months: dict[str, set[str]] = {}
    for r in kg.of_class(C.BenchmarkResult):
        if r.props.get(D.measure, "总分") == "总分" and r.props.get(D.board, "overall") == "overall":
            for m in kg.out_edges(r.id, P.forModel):
                for d in kg.out_edges(m.target, P.developedBy):
                    months.setdefault(d.target, set()).add(str(r.props.get(D.assessedIn)))
    ranked = sorted(months, key=lambda d: (-len(months[d]), d))
    racer = ranked[0]
    developer = next(d for d in ranked if d in holders)
    makers_at: dict[str, set[str]] = {}
    for e in kg.edges.values():
        if e.prop == P.locatedIn and any(True for _ in kg.in_edges(e.source, P.developedBy)):
            makers_at.setdefault(e.target, set()).add(e.source)
            for up in kg.out_edges(e.target, P.withinPlace):
                makers_at.setdefault(up.target, set()).add(e.source)
    place = typical([p for p in makers_at if kg.nodes[p].props.get(D.placeLevel) == "city"] or list(makers_at))
    chosen = {
        "people-of": {"org": name(people_of)},
        "organisations-of": {"person": name(person_org)},
        "person-trends": {"person": name(person_trend)},
        "co-members": {"person": name(co_member)},
        "connection": {"a": name(co_member), "b": name(far_org)},
        "investors-of": {"target": f"Trend:{name(trend)}"},
        "sectors-of": {"org": name(investor)},
        "model-race": {"target": name(racer)},
        "developer-ties": {"developer": name(developer)},
        "makers-in": {"place": name(place)},
    }
    out = {}
    for q, spec in public_questions().items():
        args = chosen.get(q, {})
        missing = [p.name for p in spec.params if not p.optional and p.name not in args]
        if missing:
            raise SystemExit(f"generate.py has no sample arguments for {q} ({', '.join(missing)}): add them")
        out[q] = args
    return out


# -- writing a built folder ----------------------------------------------------------------------

def write(kg: KnowledgeGraph, out_dir: Path, *, shacl: bool = True, dump: bool = True,
          step: Any = lambda message: None) -> dict[str, Any]:
    """Write ``kg`` as a new generation of ``out_dir`` with ``ecokg.build.write_generation`` (what
    ``ecokg build`` writes: store, indexes, serialisations, ontology.ttl, the Neo4j rows), plus
    summary.json and merges.json, published in one rename under the writer lock. Returns the summary."""
    from ecokg.ontology.errors import SchemaError

    from ecokg.build import MERGES, SUMMARY, summarise, write_generation
    from ecokg.generations import (
        check_out_dir,
        publish,
        staging_dir,
        staging_id,
        writer_lock,
    )

    if shacl:
        from ecokg.graph.validate import validate

        step("validating with SHACL")
        report = validate(kg)
        if not report.conforms:
            raise SchemaError(f"the synthetic graph does not conform ({report.violations} violations):\n{report.text}")
    out_dir = check_out_dir(Path(out_dir))
    with writer_lock(out_dir):
        staging = staging_dir(out_dir)
        try:
            triples, _ = write_generation(kg, staging, step, dump=dump)
            summary = summarise(kg, triples, [("synthetic", Path("synthetic"))])
            summary["shacl"] = "conforms" if shacl else "skipped"
            summary["generation"] = staging_id(staging)
            (staging / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
            (staging / MERGES).write_text(json.dumps({"counts": {}, "merges": []}, ensure_ascii=False), encoding="utf-8")
            step("switching to the new graph")
            publish(out_dir, staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return summary


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=10_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-shacl", action="store_true", help="skip SHACL validation (slow above ~50k entities)")
    ap.add_argument("--no-dump", action="store_true", help="write only the embedded store (no .ttl/.nt/.jsonld)")
    ap.add_argument("--json", action="store_true", help="print the sample arguments as JSON only")
    args = ap.parse_args(argv)

    def step(message: str) -> None:
        print(f"  {message} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    kg = generate(args.entities, args.seed)
    step(f"generated {len(kg.nodes)} nodes, {len(kg.edges)} edges")
    samples = sample_args(kg)
    summary = write(kg, args.out, shacl=not args.no_shacl, dump=not args.no_dump, step=step)
    step(f"wrote {summary['triples']} triples to {args.out}")
    if args.json:
        print(json.dumps(samples, ensure_ascii=False))
        return
    print(f"classes: {json.dumps(summary['classes'], ensure_ascii=False)}")
    print("sample arguments:")
    for q, a in samples.items():
        print(f"  ecokg ask {q} {' '.join(a.values())}".rstrip() + f"   --out {args.out}")


if __name__ == "__main__":
    main()
