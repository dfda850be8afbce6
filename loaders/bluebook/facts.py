"""Turn a parsed Blue Book into graph facts, each with its evidence.

The entry point is :func:`read_bluebook`: read a text file, parse it with the
gazetteer of the curated data, and return a :class:`KnowledgeGraph` with every
person, organisation, post, group, trend, model, score, fund and investment the
text states, plus a review list of what could not be placed with confidence.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ecokg.graph.model import Evidence, KnowledgeGraph, ReviewItem
from ecokg.loaders.base import read_source_file
from ecokg.loaders.bluebook.parse import BlueBookParse, parse_bluebook
from ecokg.loaders.curated import CuratedData
from ecokg.loaders.lists import Entry, Post
from ecokg.loaders.gazetteer import Gazetteer
from ecokg.loaders.pinyin import person_pinyin
from ecokg.loaders.kinds import developer_and_partners
from ecokg.loaders.bluebook.scan import NAME_MAX
from ecokg.loaders.resolve import clean_name, fold
from ecokg.ontology.iris import (
    entity_iri,
    mint,
    model_iri,
    org_iri,
    sector_iri,
)
from ecokg.ontology.terms import C, D, P

BASIS = "bluebook"
TOTAL = "总分"  # the measure of the Blue Book's benchmark table (its column 总分)

Span = tuple[int, int]
ALLIANCE_SUFFIX = "联盟"


class _Builder:
    def __init__(self, parse: BlueBookParse, source_iri: str, source_name: str, gaz: Gazetteer,
                 curated: CuratedData):
        self.p = parse
        self.curated = curated
        self.resolver = curated.resolver()
        self.text = parse.text
        self.src = source_iri
        self.source_name = source_name
        self.gaz = gaz
        self.kg = KnowledgeGraph()
        self.report = ""
        self.alliance: str | None = None

    # -- helpers ----------------------------------------------------------
    def ev(self, span: Span) -> Evidence:
        s, e = span
        return Evidence(source=self.src, quote=self.text[s:e], basis=BASIS, start=s, end=e)

    def flag(self, kind: str, message: str, span: Span, subject: str | None = None) -> None:
        self.kg.flag(ReviewItem(kind, message, self.text[span[0]:span[1]], self.source_name, span[0], span[1], subject))

    def org(self, written: str, span: Span, cls: str = C.Organisation, review: str | None = None) -> str:
        written = clean_name(written)
        canonical = self.resolver.org(written, self.source_name, f"offset {span[0]}")
        if written not in self.gaz.orgs and not review and len(canonical) <= NAME_MAX:
            self.gaz.add_org(canonical)  # later parts of the text may name it again
        iri = org_iri(canonical)
        props: dict[str, Any] = {D.name: canonical}
        if written != canonical:
            props["alias"] = [written]
        if review and written not in self.gaz.orgs:
            props["needsReview"] = True
            props["reviewNote"] = review
        self.kg.add_node(iri, cls, props, self.ev(span))
        return iri

    def model_name(self, written: str, span: Span) -> str:
        """The canonical name of a model as written at ``span`` (resolved, the merge logged)."""
        return self.resolver.model(written, self.source_name, f"offset {span[0]}")

    def person(self, name: str, span: Span) -> str:
        name = clean_name(name)
        iri = entity_iri("person", name)
        self.kg.add_node(iri, C.Person, {D.name: name, D.pinyin: person_pinyin(name)}, self.ev(span))
        return iri

    # -- parts ------------------------------------------------------------
    def report_node(self) -> None:
        p = self.p
        title = p.report_title or "蓝皮书"
        self.report = entity_iri("report", title, p.edition)
        props: dict[str, Any] = {D.name: f"{title} {p.edition}" if p.edition else title, D.edition: p.edition}
        self.kg.add_node(self.report, C.Report, props)
        self.kg.add_edge(self.src, P.transcribes, self.report)
        for name, span in p.publishers:
            cls = C.IndustryAlliance if name.endswith(ALLIANCE_SUFFIX) else C.Organisation
            iri = self.org(name, span, cls)
            self.kg.add_edge(self.report, P.publishedBy, iri)
            if cls == C.IndustryAlliance and self.alliance is None:
                self.alliance = iri
        for full, alias, span in p.alias_defs:
            if self.gaz.canonical_org(full) or full.endswith(ALLIANCE_SUFFIX) or full in {n for n, _ in p.publishers}:
                iri = self.org(full, span)
                self.kg.add_node(iri, C.Organisation, {D.alias: [alias]}, self.ev(span))

    def group(self, name: str, span: Span) -> str:
        iri = entity_iri("group", name, self.report)
        self.kg.add_node(iri, C.ExpertGroup, {D.name: name}, self.ev(span))
        self.kg.add_edge(iri, P.partOfReport, self.report)
        return iri

    def membership(self, person: str, group: str, role: str, span: Span) -> None:
        iri = mint("membership", person, group, role)
        self.kg.add_node(iri, C.GroupMembership, {D.role: role}, self.ev(span))
        self.kg.add_edge(person, P.holds, iri)
        self.kg.add_edge(iri, P.inGroup, group)

    def alliance_role(self, person: str, role: str, span: Span) -> None:
        if self.alliance is None:
            self.flag("alliance", "alliance role but no alliance among the publishers", span, person)
            return
        iri = mint("alliance-role", person, self.alliance, role)
        self.kg.add_node(iri, C.AllianceRole, {D.title: role, D.isFormer: False}, self.ev(span))
        self.kg.add_edge(person, P.holds, iri)
        self.kg.add_edge(iri, P.inOrganisation, self.alliance)

    def position(self, person: str, post: Post, doubt: str | None) -> None:
        org = self.org(post.org, post.org_span, review=doubt)
        if post.parent and post.parent_span:
            # 海尔集团海尔新能源: the post is at an organisation written after its parent
            parent = self.org(post.parent, post.parent_span)
            self.kg.add_edge(org, P.parentOrganisation, parent, self.ev((post.parent_span[0], post.org_span[1])))
        iri = mint("position", person, org, post.former)
        existing = self.kg.nodes.get(iri)
        if existing is not None and len(post.title) > len(existing.props.get(D.title, "")):
            existing.props[D.title] = post.title  # two lists, one post: keep the fuller title
        props: dict[str, Any] = {D.title: post.title, D.isFormer: post.former, D.remit: post.remit,
                                 D.orgAsWritten: post.org}
        self.kg.add_node(iri, C.Position, props, self.ev(post.span))
        self.kg.add_edge(person, P.holds, iri)
        self.kg.add_edge(iri, P.inOrganisation, org)
        for key, _alias, _off in self.gaz.find_sectors(post.title + " " + (post.remit or "")):
            self.kg.add_edge(iri, P.remitSector, sector_iri(key))

    def entry(self, entry: Entry, group: str) -> None:
        doubt = entry.flags[0] if entry.flags else None
        for note in entry.flags:
            self.flag("entry", note, entry.span)
        if entry.name is None:
            for post in entry.posts:
                self.org(post.org, post.org_span)
                self.flag("entry", f"entry names no person; organisation {post.org} kept", entry.span)
            return
        person = self.person(entry.name, entry.name_span or entry.span)
        if doubt:
            node = self.kg.nodes[person]
            node.props[D.needsReview] = True
            node.props.setdefault(D.reviewNote, doubt)
        self.membership(person, group, "成员", entry.span)
        for role, span in entry.alliance_roles:
            self.alliance_role(person, role, span)
        for post in entry.posts:
            self.position(person, post, doubt)
        for text, _span in entry.descriptors:
            self.kg.add_node(person, C.Person, {D.descriptor: [text]})

    def lists(self) -> None:
        for lst in self.p.lists:
            group = self.group(lst.group, lst.heading_span)
            for entry in lst.entries:
                self.entry(entry, group)

    def team(self) -> None:
        groups: dict[str, str] = {}
        for line in self.p.team:
            if line.group not in groups:
                groups[line.group] = self.group(line.group, (line.span[0], line.span[0] + len(line.group)))
            for name, span in line.names:
                person = self.person(name, span)
                self.membership(person, groups[line.group], line.role, span)
            for text, span in line.leftovers:
                self.flag("team", f"text in the {line.group}{line.role} line not read as a person: {text}", span)

    def trends(self) -> None:
        for t in self.p.trends:
            iri = entity_iri("trend", str(t.number), self.report)
            evs = [self.ev(t.title_span)] + ([self.ev(t.statement_span)] if t.statement_span else [])
            self.kg.add_node(iri, C.Trend, {D.name: t.title, D.trendNumber: t.number, D.statement: t.statement}, evs)
            self.kg.add_edge(iri, P.partOfReport, self.report)
            for span in [t.title_span] + ([t.statement_span] if t.statement_span else []):
                s0 = span[0]
                for key, alias, off in self.gaz.find_sectors(self.text[span[0]:span[1]]):
                    self.kg.add_edge(iri, P.concernsSector, sector_iri(key), self.ev((s0 + off, s0 + off + len(alias))))
            if len(t.title) and not self.gaz.find_sectors(t.title):
                self.flag("trend", f"trend {t.number} ({t.title}) names no sector of the vocabulary", t.title_span, iri)

    def tables(self) -> None:
        for table in self.p.tables:
            name = self.resolver.other("benchmark", table.benchmark, self.source_name, f"offset {table.title_span[0]}")
            bench = entity_iri("benchmark", fold(name))  # SuperClue here, SuperCLUE in its own boards: one benchmark
            self.kg.add_node(bench, C.Benchmark, {D.name: name}, self.ev(table.title_span))
            for row in table.rows:
                canonical = self.model_name(row.model, row.model_span)
                model = model_iri(canonical)
                self.kg.add_node(model, C.AIModel, {D.name: canonical}, self.ev(row.model_span))
                ds, _ = row.developer_span
                pos = ds
                parts: dict[str, str] = {}  # canonical name -> IRI
                for part in row.developer.split("&"):
                    span = (pos, pos + len(part))
                    pos += len(part) + 1
                    if part:
                        iri = self.org(part, span)
                        parts[self.kg.nodes[iri].name] = iri
                if parts:
                    # 清华&智谱AI: the company developed the model, the university is its partner
                    dev, partners = developer_and_partners(list(parts), self.curated.org_kind)
                    self.kg.add_edge(model, P.developedBy, parts[dev], self.ev(row.span))
                    for p in partners:
                        self.kg.add_edge(model, P.partner, parts[p], self.ev(row.span))
                result = mint("result", canonical, fold(name), table.year_month, label=canonical)
                props: dict[str, Any] = {D.score: Decimal(row.score), D.assessedIn: table.year_month,
                                         D.measure: TOTAL}
                self.kg.add_node(result, C.BenchmarkResult, props, self.ev(row.span))
                self.kg.add_edge(result, P.forModel, model)
                self.kg.add_edge(result, P.onBenchmark, bench)

    def narrative(self) -> None:
        n = self.p.narrative
        for m in n.mentions:
            if m.kind == "org":
                self.kg.add_node(self.org(m.written, m.span), C.Organisation, None, self.ev(m.clause))
            else:
                name = m.canonical or self.model_name(m.written, m.span)
                self.kg.add_node(model_iri(name), C.AIModel, {D.name: name}, [self.ev(m.span), self.ev(m.clause)])
        for d in n.developers:
            name = self.model_name(d.model, d.model_span)
            model = model_iri(name)
            self.kg.add_node(model, C.AIModel, {D.name: name}, self.ev(d.model_span))
            self.kg.add_edge(model, P.developedBy, self.org(d.org, d.org_span), self.ev((d.org_span[0], d.model_span[1])))
        for c in n.categories:
            self.org(c.written, c.span, c.kind)
            self.kg.add_node(org_iri(self.gaz.canonical_org(c.written) or c.written), c.kind, None, self.ev(c.clause))
        for f in n.funds:
            fund = self.org(f.fund, f.fund_span, C.Fund)
            self.kg.add_edge(fund, P.setUpBy, self.org(f.founder, f.founder_span), self.ev(f.clause))
            # a fund's name states its focus: 鲲鹏·讯飞AI大模型产业基金 invests in AI and large models
            s0 = f.fund_span[0]
            for key, alias, off in self.gaz.find_sectors(f.fund):
                self.kg.add_edge(fund, P.investmentFocus, sector_iri(key), self.ev((s0 + off, s0 + off + len(alias))))
        for inv in n.investments:
            investor = self.org(inv.investor, inv.investor_span)
            iri = mint("investment", inv.investor, inv.clause)
            self.kg.add_node(iri, C.Investment, None, self.ev(inv.clause))
            self.kg.add_edge(iri, P.investor, investor)
            for key, _alias, _span in inv.sectors:
                self.kg.add_edge(iri, P.investmentSector, sector_iri(key))

    def build(self) -> KnowledgeGraph:
        self.report_node()
        self.lists()
        self.team()
        self.trends()
        self.tables()
        self.narrative()
        for note, span in self.p.notes:
            self.flag("section", note, span)
        return self.kg


def read_bluebook(path: Path, curated: CuratedData) -> KnowledgeGraph:
    """Read a Blue Book text file and return the facts it states (curated facts are added
    later, once, by the build).

    Raises:
        LoaderError: the file is missing, not UTF-8, or has no Blue Book structure.
    """
    f = read_source_file(path)
    gaz = curated.gazetteer()
    parse = parse_bluebook(f.text, gaz, source=str(path))
    builder = _Builder(parse, f.iri, f.name, gaz, curated)
    f.add_to(builder.kg)
    return builder.build()
