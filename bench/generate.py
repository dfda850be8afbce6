"""A synthetic ecosystem with every shape the named questions use, written as a built graph folder.

Run: python bench/generate.py --entities 10000 --out /tmp/ecokg-10k [--seed 7] [--no-shacl] [--no-dump]
     python bench/generate.py --entities 1000000 --out /tmp/ecokg-1m --no-shacl   (streamed: below 4 GiB)

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

``generate_parts`` makes the same graph in parts of about ``part_nodes`` nodes (the parts contract
of a build that never holds the whole model: issue 13); ``generate`` is its one-part case. Across
parts only indices, a few arrays and the IRIs later parts point to are kept: iterating the parts of
1M entities peaks at 0.27 GiB RSS where the whole model is 5.25 GiB
(``python bench/bench_generate_parts.py``; figures in docs/benchmarks.md).

From :data:`STREAM_FROM` entities (or with ``--stream``) the command builds that way: the parts go
into a :class:`~ecokg.graph.compact.CompactGraph` (the whole graph in a fraction of the model's
memory), every file is written from it, it is freed, and only then does the store load
(``write_generation``'s ``release``). SHACL needs the whole graph as RDF in memory, so a streamed
build asks for ``--no-shacl``. The command prints its peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import time
from array import array
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

from ecokg.graph.model import Edge, Evidence, GraphReader, KnowledgeGraph, Node
from ecokg.ontology.iris import entity_iri, mint, model_iri, org_iri, sector_iri
from ecokg.ontology.schema import get_schema
from ecokg.ontology.terms import C, D, P

TITLES = ["总经理", "合伙人", "CTO", "副总裁", "首席科学家", "董事长", "投资总监", "投资合伙人", "研究员", "CIO"]
ORG_KINDS = [  # (class, weight)
    (C.Company, 40), (C.CloudProvider, 5), (C.Bank, 8), (C.Insurer, 4), (C.InvestmentFirm, 14), (C.Fund, 7),
    (C.ResearchInstitution, 12), (C.StateBody, 6), (C.Media, 4),
]
DEVELOPER_KINDS = (C.Company, C.CloudProvider, C.ResearchInstitution)
INVESTOR_KINDS = (C.InvestmentFirm, C.Fund, C.Bank)
MONTHS = ["2024-01", "2024-03", "2024-05", "2024-07", "2024-09", "2024-11"]  # in order
BOARDS = ["overall", "reasoning", "code"]
ROUNDS = ["天使轮", "A轮", "B轮", "C轮", "战略投资"]
CATEGORIES = ["通用", "行业", "多模态"]
PART_NODES = 50_000
#: From this many entities ``main`` builds from parts (a compact graph, freed before the store loads).
STREAM_FROM = 200_000
PART_SLACK = 5  # the nodes a part may hold beyond part_nodes: a largest unit (a person with two posts,
#                 two memberships and an alliance role; or the first: three sources, the report, the
#                 alliance and the benchmark), less the one node that reached the limit


class _Ev:
    """Evidence in three synthetic sources: a Blue Book text (offsets), a deals table and a
    leaderboard (lines)."""

    def __init__(self) -> None:
        self.book = mint("source", "synthetic-bluebook")
        self.deals = mint("source", "synthetic-deals")
        self.board = mint("source", "synthetic-superclue")
        self.pos = 0
        self.deal_line = 1
        self.board_line = 1

    def add_sources(self, part: _Part) -> None:
        """The three source documents' nodes."""
        part.add_node(self.book, C.SourceDocument, {D.fileName: "synthetic-bluebook.txt"})
        part.add_node(self.deals, C.SourceDocument, {D.fileName: "synthetic-deals.csv"})
        part.add_node(self.board, C.SourceDocument, {D.fileName: "synthetic-superclue.md"})

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


class _Part:
    """The part being filled: ``add_node`` and ``add_edge`` are those of the current part's
    ``KnowledgeGraph`` (bound, so adding costs what adding to a graph costs); ``take`` hands the
    part over and starts the next."""

    add_node: Callable[..., Node]
    add_edge: Callable[..., Edge]

    def __init__(self) -> None:
        self.schema = get_schema()
        self._start()

    def _start(self) -> None:
        self.kg = KnowledgeGraph(self.schema)
        self.add_node = self.kg.add_node
        self.add_edge = self.kg.add_edge

    def take(self) -> KnowledgeGraph:
        part = self.kg
        self._start()
        return part


def generate_parts(entities: int, seed: int = 7, part_nodes: int = PART_NODES) -> Iterator[KnowledgeGraph]:
    """The synthetic graph of about ``entities`` entities (see the module's docstring) in parts of
    at most ``part_nodes`` + ``PART_SLACK`` nodes, as a build from parts takes them: every node in
    exactly one part with all its classes, properties and evidence; every edge in exactly one part
    with all its evidence (not always its nodes' part; some name a node of a later part); merged
    in order, the parts make the graph. A part ends after a unit (an entity with what only it has:
    a person with their posts, memberships and alliance role; an organisation with its sectors,
    focus, parent, founder and places; a model with its ties) once it holds ``part_nodes`` nodes.
    The draws do not depend on ``part_nodes``: every cut gives the same graph.

    What is kept from part to part is indices, not nodes: each organisation's kind (a byte), the
    investors and developers (arrays of indices), each family's developer, the leaderboard's draws
    (model, month, board and score arrays), and the IRIs that later units point to (organisations,
    models, families, places, groups; minting an organisation's IRI again would cost its pinyin).
    A result's rank needs every score of its month and board, so the results follow all models.
    """
    if part_nodes < 1:
        raise ValueError(f"part_nodes must be at least 1, not {part_nodes}")
    part = _Part()
    for _ in _units(plan(entities), random.Random(seed), part):
        if len(part.kg.nodes) >= part_nodes:
            yield part.take()
    if part.kg.nodes or part.kg.edges:
        yield part.take()


def generate(entities: int, seed: int = 7) -> KnowledgeGraph:
    """The synthetic graph of about ``entities`` entities (see the module's docstring): the parts
    of ``generate_parts`` cut as one part, which is what merging any cut of them makes."""
    (whole,) = generate_parts(entities, seed, part_nodes=sys.maxsize)
    return whole


def _units(n: dict[str, int], rnd: random.Random, part: _Part) -> Iterator[None]:
    """Add the graph to ``part`` one unit at a time, yielding after each unit (where a part may
    end). ``part.add_node`` and ``part.add_edge`` are looked up at each use: the part changes."""
    ev = _Ev()
    ev.add_sources(part)

    # -- a report, its publisher (the alliance), the benchmark, expert groups ---------------------
    report = entity_iri("report", "合成蓝皮书", "2024")
    part.add_node(report, C.Report, {D.name: "合成蓝皮书 2024", D.edition: "2024"})
    part.add_edge(ev.book, P.transcribes, report)
    alliance = org_iri("联盟0")
    part.add_node(alliance, C.IndustryAlliance, {D.name: "联盟0", D.nameEn: "Synthetic Alliance 0"},
                  ev.text("联盟0"))
    part.add_edge(report, P.publishedBy, alliance)
    bench = entity_iri("benchmark", "基准0")
    part.add_node(bench, C.Benchmark, {D.name: "基准0"}, ev.text("基准0"))
    yield
    groups = []
    for g in range(n["groups"]):
        iri = entity_iri("group", f"组{g}", report)
        part.add_node(iri, C.ExpertGroup, {D.name: f"组{g}"}, ev.text(f"组{g}"))
        part.add_edge(iri, P.partOfReport, report)
        groups.append(iri)
        yield

    # -- sectors with broader sectors; trends concerning them ----------------------------------
    n_sectors = n["sectors"]
    sectors = [sector_iri(f"s{i}") for i in range(n_sectors)]
    for i, s in enumerate(sectors):
        part.add_node(s, C.Sector, {D.name: f"行业{i}", D.nameEn: f"sector {i}"})
        if i >= 4:  # the first four are the broad ones
            part.add_edge(s, P.broaderSector, sectors[rnd.randrange(4)])
        yield
    for t in range(n["trends"]):
        name = f"趋势{t}"
        iri = entity_iri("trend", str(t + 1), report)
        part.add_node(iri, C.Trend, {D.name: name, D.trendNumber: t + 1, D.statement: f"{name}的陈述"},
                      ev.text(name))
        part.add_edge(iri, P.partOfReport, report)
        for s in rnd.sample(range(n_sectors), 2):
            part.add_edge(iri, P.concernsSector, sectors[s], ev.text(f"{name}关于行业{s}"))
        yield

    # -- places ----------------------------------------------------------------------------------
    n_cities, n_provinces = n["cities"], n["provinces"]
    provinces = [entity_iri("place", f"省{i}") for i in range(n_provinces)]
    for i, iri in enumerate(provinces):
        part.add_node(iri, C.Place, {D.name: f"省{i}", D.placeLevel: "province"}, ev.row(f"省{i}"))
        yield
    places = []  # the cities, then the provinces
    for i in range(n_cities):
        iri = entity_iri("place", f"市{i}")
        part.add_node(iri, C.Place, {D.name: f"市{i}", D.placeLevel: "city"}, ev.row(f"市{i}"))
        part.add_edge(iri, P.withinPlace, provinces[i % n_provinces])
        places.append(iri)
        yield
    places += provinces

    # -- organisations: kinds first (who invests, who makes models), then one unit each ----------
    n_orgs = n["organisations"]
    kind_class = [k for k, _ in ORG_KINDS]
    # 机构0 ... 机构8 are one of each kind, so that every kind is there at any size
    kinds = bytes(range(len(ORG_KINDS))) + bytes(rnd.choices(range(len(ORG_KINDS)), [w for _, w in ORG_KINDS],
                                                             k=max(0, n_orgs - len(ORG_KINDS))))
    investors = array("i", (o for o in range(n_orgs) if kind_class[kinds[o]] in INVESTOR_KINDS)) or array("i", [0])
    developers = array("i", (o for o in range(n_orgs) if kind_class[kinds[o]] in DEVELOPER_KINDS)) or array("i", [0])
    developers = developers[: max(3, len(developers) // 5)]  # a few makers, each with several models
    is_developer = bytearray(n_orgs)
    for o in developers:
        is_developer[o] = 1
    orgs = [org_iri(f"机构{o}") for o in range(n_orgs)]
    top = max(1, n_orgs // 10)  # the parents are among the first tenth and have no parent themselves
    for o, iri in enumerate(orgs):
        name = f"机构{o}"
        kind = kind_class[kinds[o]]
        props: dict[str, Any] = {D.name: name}
        if rnd.random() < 0.3:
            props[D.nameEn] = f"Org {o}"
        part.add_node(iri, kind, props, ev.text(name))
        for s in rnd.sample(range(n_sectors), rnd.choice([1, 2])):
            part.add_edge(iri, P.inSector, sectors[s], ev.text(f"{name}属于行业{s}"))
        if kind in (C.InvestmentFirm, C.Fund):
            for s in rnd.sample(range(n_sectors), 2):
                part.add_edge(iri, P.investmentFocus, sectors[s], ev.text(f"{name}关注行业{s}"))
        if o >= top and (o == top or rnd.random() < 0.2):  # the first after the parents is a unit
            parent = rnd.randrange(top)
            part.add_edge(iri, P.parentOrganisation, orgs[parent], ev.text(f"机构{parent}{name}"))
        if kind == C.Fund:
            founder = rnd.randrange(n_orgs - 1)
            founder += founder >= o  # another organisation
            part.add_edge(iri, P.setUpBy, orgs[founder], ev.text(f"机构{founder}设立{name}"))
        if is_developer[o]:
            part.add_edge(iri, P.locatedIn, places[rnd.randrange(n_cities)], ev.row(f"{name} 所在地"))
        if rnd.random() < 0.1:  # a tenth of all organisations are in a city or a province
            part.add_edge(iri, P.locatedIn, places[rnd.randrange(len(places))], ev.row(f"{name} 所在地"))
        yield

    # -- models and families; the leaderboard's draws are kept until every score is known ---------
    n_families = n["families"]
    family_developer = array("i", (developers[f % len(developers)] for f in range(n_families)))
    families = [model_iri(f"系列{f}") for f in range(n_families)]
    for f, iri in enumerate(families):
        e = ev.row(f"系列{f}")
        part.add_node(iri, C.ModelFamily, {D.name: f"系列{f}"}, e)
        part.add_edge(iri, P.developedBy, orgs[family_developer[f]], e)
        yield
    models: list[str] = []
    board_model, board_score = array("i"), array("i")  # score in hundredths
    board_month, board_board = bytearray(), bytearray()  # indices into MONTHS and BOARDS
    for m in range(n["models"]):
        name = f"模型{m}"
        iri = model_iri(name)
        f = rnd.randrange(n_families)
        dev = family_developer[f]
        e = ev.row(f"{name} 机构{dev}")
        part.add_node(iri, C.AIModel, {D.name: name, D.category: rnd.choice(CATEGORIES)}, e)
        part.add_edge(iri, P.developedBy, orgs[dev], e)
        part.add_edge(iri, P.inFamily, families[f], e)
        part.add_edge(iri, P.modelSector, sectors[rnd.randrange(n_sectors)], e)
        if rnd.random() < 0.1:
            part.add_edge(iri, P.partner, orgs[rnd.randrange(n_orgs)], e)
        if m == 0 or rnd.random() < 0.5:  # half the models (and the first) are on the board, in 1 to 4 months
            for month_i in sorted(rnd.sample(range(len(MONTHS)), rnd.randint(1, 4))):
                for board_i in range(len(BOARDS) if rnd.random() < 0.3 else 1):
                    board_model.append(m)
                    board_month.append(month_i)
                    board_board.append(board_i)
                    board_score.append(rnd.randint(3000, 9000))
        models.append(iri)
        yield

    # -- the benchmark's results, ranked within their month and board ----------------------------
    ranks = array("i", [0]) * len(board_model)
    order = sorted(range(len(board_model)),
                   key=lambda r: (board_month[r], board_board[r], -board_score[r], board_model[r]))
    rank, last = 0, (-1, -1)
    for r in order:
        key = (board_month[r], board_board[r])
        rank = rank + 1 if key == last else 1
        ranks[r], last = rank, key
    del order
    for r, m in enumerate(board_model):
        name, month, board = f"模型{m}", MONTHS[board_month[r]], BOARDS[board_board[r]]
        score = Decimal(board_score[r]) / 100
        res = mint("result", name, "基准0", month, board, "总分", label=name)
        part.add_node(res, C.BenchmarkResult, {D.score: score, D.assessedIn: month, D.board: board, D.measure: "总分",
                                               D.access: "API", D.rank: ranks[r]},
                      ev.row(f"| {name} | {score} | {month} | {board} |"))
        part.add_edge(res, P.forModel, models[m])
        part.add_edge(res, P.onBenchmark, bench)
        yield
    del board_model, board_month, board_board, board_score, ranks, models, families

    # -- investments -----------------------------------------------------------------------------
    for i in range(n_orgs // 2):
        inv = investors[rnd.randrange(len(investors))]
        investee = rnd.randrange(n_orgs) if i and rnd.random() < 0.8 else None  # the first names a sector only
        sector = rnd.randrange(n_sectors) if investee is None or rnd.random() < 0.3 else None
        rnd_round, date = rnd.choice(ROUNDS), f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        e = ev.deal(f"机构{inv},{'' if investee is None else f'机构{investee}'},{rnd_round},{date}")
        iri = entity_iri("investment", f"机构{inv}", str(i), rnd_round, date)
        part.add_node(iri, C.Investment, {D.round: rnd_round, D.date: date, D.amount: f"{rnd.randint(1, 50)}亿元"}, e)
        part.add_edge(iri, P.investor, orgs[inv])
        if investee is not None:
            part.add_edge(iri, P.investee, orgs[investee])
        if sector is not None:
            part.add_edge(iri, P.investmentSector, sectors[sector])
        yield

    # -- people, their posts, memberships and alliance roles ---------------------------------------
    for i in range(n["people"]):
        name = f"人{i}"
        p = entity_iri("person", name)
        part.add_node(p, C.Person, {D.name: name, D.pinyin: f"Ren {i}"}, ev.text(name))
        for o in rnd.sample(range(n_orgs), rnd.choice([1, 1, 2])):
            org, oname = orgs[o], f"机构{o}"
            title = rnd.choice(TITLES)
            former = rnd.random() < 0.15
            pos = mint("position", p, org, former)
            remit_sector = rnd.randrange(n_sectors) if rnd.random() < 0.3 else None
            remit = None if remit_sector is None else f"负责行业{remit_sector}"
            part.add_node(pos, C.Position, {D.title: title, D.isFormer: former, D.remit: remit, D.orgAsWritten: oname},
                          ev.text(f"{'原' if former else ''}{oname}{title}"))
            part.add_edge(p, P.holds, pos)
            part.add_edge(pos, P.inOrganisation, org)
            if remit_sector is not None:
                part.add_edge(pos, P.remitSector, sectors[remit_sector])
        for g in rnd.sample(range(len(groups)), 2 if rnd.random() < 0.1 else 1):
            role = "成员"
            ms = mint("membership", p, groups[g], role)
            part.add_node(ms, C.GroupMembership, {D.role: role}, ev.text(f"{name} {role}"))
            part.add_edge(p, P.holds, ms)
            part.add_edge(ms, P.inGroup, groups[g])
        if i == 0 or rnd.random() < 0.02:  # 人0 has an alliance role at any size
            role = rnd.choice(["理事", "副理事长", "秘书长"])
            a = mint("alliance-role", p, alliance, role)
            part.add_node(a, C.AllianceRole, {D.title: role, D.isFormer: False}, ev.text(f"{name} 联盟0{role}"))
            part.add_edge(p, P.holds, a)
            part.add_edge(a, P.inOrganisation, alliance)
        yield


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

def write(kg: GraphReader, out_dir: Path, *, shacl: bool = True, dump: bool = True,
          step: Any = lambda message: None, release: Callable[[], None] | None = None) -> dict[str, Any]:
    """Write ``kg`` as a new generation of ``out_dir`` with ``ecokg.build.write_generation`` (what
    ``ecokg build`` writes: store, indexes, serialisations, ontology.ttl, the Neo4j rows), plus
    summary.json and merges.json, published in one rename under the writer lock. Returns the summary.
    ``release`` (``CompactGraph.clear``) frees the graph before the store loads: the summary's counts
    are taken before that."""
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
        if not isinstance(kg, KnowledgeGraph):
            raise SchemaError("SHACL validation needs the whole graph in memory: a streamed build runs with --no-shacl")
        report = validate(kg)
        if not report.conforms:
            raise SchemaError(f"the synthetic graph does not conform ({report.violations} violations):\n{report.text}")
    out_dir = check_out_dir(Path(out_dir))
    with writer_lock(out_dir):
        staging = staging_dir(out_dir)
        try:
            summary = summarise(kg, 0, [("synthetic", Path("synthetic"))])  # before release frees the graph
            triples, _ = write_generation(kg, staging, step, dump=dump, release=release)
            summary["triples"] = triples
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
    ap.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                    help=f"make the graph in parts into a compact graph and free it before the store loads "
                         f"(default: from {STREAM_FROM:,} entities); needs --no-shacl")
    args = ap.parse_args(argv)
    stream = args.stream if args.stream is not None else args.entities >= STREAM_FROM
    if stream and not args.no_shacl:
        ap.error("a streamed build cannot validate with SHACL (it never holds the whole graph as RDF): "
                 "add --no-shacl, or --no-stream below a few hundred thousand entities")

    def step(message: str) -> None:
        print(f"  {message} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    kg: GraphReader
    release = None
    if stream:
        from ecokg.graph.compact import CompactGraph

        compact = CompactGraph.from_parts(generate_parts(args.entities, args.seed))
        kg, release = compact, compact.clear
    else:
        kg = generate(args.entities, args.seed)
    step(f"generated {len(kg.nodes)} nodes, {len(kg.edges)} edges" + (" in parts, into a compact graph" if stream else ""))
    samples = sample_args(kg)
    summary = write(kg, args.out, shacl=not args.no_shacl, dump=not args.no_dump, step=step, release=release)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
    step(f"wrote {summary['triples']} triples to {args.out}; peak RSS {peak:.2f} GiB")
    if args.json:
        print(json.dumps(samples, ensure_ascii=False))
        return
    print(f"classes: {json.dumps(summary['classes'], ensure_ascii=False)}")
    print("sample arguments:")
    for q, a in samples.items():
        print(f"  ecokg ask {q} {' '.join(a.values())}".rstrip() + f"   --out {args.out}")


if __name__ == "__main__":
    main()
