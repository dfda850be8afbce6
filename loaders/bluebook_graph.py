"""Turn a parsed Blue Book into graph facts, each with its evidence.

The entry point is :func:`load_bluebook`: read a text file, parse it with the
gazetteer of the curated data, and return a :class:`KnowledgeGraph` with every
person, organisation, post, group, trend, model, score, fund and investment the
text states, plus a review list of what could not be placed with confidence.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from ecokg.errors import LoaderError
from ecokg.graph.ids import entity_iri
from ecokg.graph.model import Evidence, KnowledgeGraph, ReviewItem
from ecokg.loaders.bluebook import BlueBookParse, parse_bluebook
from ecokg.loaders.curated import CuratedData, apply_curated, load_curated, model_iri, org_iri, sector_iri
from ecokg.loaders.entries import Post
from ecokg.loaders.gazetteer import Gazetteer
from ecokg.loaders.lexicon import surname_at
from ecokg.loaders.narrative import read_narrative
from ecokg.ontology import ID_NS

Span = tuple[int, int]
ALLIANCE_SUFFIX = "联盟"


def person_pinyin(name: str) -> str:
    """Pinyin of a Chinese name, surname first: ``张亚勤`` -> ``Zhang Yaqin``.

    >>> person_pinyin("张亚勤"), person_pinyin("欧阳明")
    ('Zhang Yaqin', 'Ouyang Ming')
    """
    from pypinyin import Style, lazy_pinyin

    syl = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    if len(syl) != len(name):
        return " ".join(syl)
    k = surname_at(name) or 1
    return f"{''.join(syl[:k]).capitalize()} {''.join(syl[k:]).capitalize()}".strip()


class _Builder:
    def __init__(self, parse: BlueBookParse, source_iri: str, source_name: str, gaz: Gazetteer):
        self.p = parse
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
        return Evidence(source=self.src, quote=self.text[s:e], basis="bluebook", start=s, end=e)

    def flag(self, kind: str, message: str, span: Span, subject: str | None = None) -> None:
        self.kg.flag(ReviewItem(kind, message, self.text[span[0]:span[1]], self.source_name, span[0], span[1], subject))

    def org(self, written: str, span: Span, cls: str = "Organisation", review: str | None = None) -> str:
        canonical = self.gaz.canonical_org(written) or written
        if written not in self.gaz.orgs and not review:
            self.gaz.add_org(canonical)  # later parts of the text may name it again
        iri = org_iri(canonical)
        props: dict[str, Any] = {"name": canonical}
        if written != canonical:
            props["alias"] = [written]
        if review and written not in self.gaz.orgs:
            props["needsReview"] = True
            props["reviewNote"] = review
        self.kg.add_node(iri, cls, props, self.ev(span))
        return iri

    def person(self, name: str, span: Span) -> str:
        iri = entity_iri("person", name)
        self.kg.add_node(iri, "Person", {"name": name, "pinyin": person_pinyin(name)}, self.ev(span))
        return iri

    # -- parts ------------------------------------------------------------
    def report_node(self) -> None:
        p = self.p
        title = p.report_title or "蓝皮书"
        self.report = entity_iri("report", title, p.edition)
        props: dict[str, Any] = {"name": f"{title} {p.edition}" if p.edition else title, "edition": p.edition}
        self.kg.add_node(self.report, "Report", props)
        self.kg.add_edge(self.src, "transcribes", self.report)
        for name, span in p.publishers:
            cls = "IndustryAlliance" if name.endswith(ALLIANCE_SUFFIX) else "Organisation"
            iri = self.org(name, span, cls)
            self.kg.add_edge(self.report, "publishedBy", iri)
            if cls == "IndustryAlliance" and self.alliance is None:
                self.alliance = iri
        for full, alias, span in p.alias_defs:
            if self.gaz.canonical_org(full) or full.endswith(ALLIANCE_SUFFIX) or full in {n for n, _ in p.publishers}:
                iri = self.org(full, span)
                self.kg.add_node(iri, "Organisation", {"alias": [alias]}, self.ev(span))

    def group(self, name: str, span: Span) -> str:
        iri = entity_iri("group", name, self.report)
        self.kg.add_node(iri, "ExpertGroup", {"name": name}, self.ev(span))
        self.kg.add_edge(iri, "partOfReport", self.report)
        return iri

    def membership(self, person: str, group: str, role: str, span: Span) -> None:
        iri = entity_iri("membership", person, group, role)
        self.kg.add_node(iri, "GroupMembership", {"role": role}, self.ev(span))
        self.kg.add_edge(person, "holds", iri)
        self.kg.add_edge(iri, "inGroup", group)

    def alliance_role(self, person: str, role: str, span: Span) -> None:
        if self.alliance is None:
            self.flag("alliance", "alliance role but no alliance among the publishers", span, person)
            return
        iri = entity_iri("alliance-role", person, self.alliance, role)
        self.kg.add_node(iri, "AllianceRole", {"title": role, "isFormer": False}, self.ev(span))
        self.kg.add_edge(person, "holds", iri)
        self.kg.add_edge(iri, "inOrganisation", self.alliance)

    def position(self, person: str, post: Post) -> None:
        review = f"organisation boundary guessed: {post.org}|{post.title}" if post.confidence == "guess" else None
        org = self.org(post.org, post.org_span, review=review)
        iri = entity_iri("position", person, org, post.former)
        existing = self.kg.nodes.get(iri)
        if existing is not None and len(post.title) > len(existing.props.get("title", "")):
            existing.props["title"] = post.title  # two lists, one post: keep the fuller title
        props: dict[str, Any] = {"title": post.title, "isFormer": post.former, "remit": post.remit,
                                 "orgAsWritten": post.org}
        self.kg.add_node(iri, "Position", props, self.ev(post.span))
        self.kg.add_edge(person, "holds", iri)
        self.kg.add_edge(iri, "inOrganisation", org)
        for key, _alias, _off in self.gaz.find_sectors(post.title + " " + (post.remit or "")):
            self.kg.add_edge(iri, "remitSector", sector_iri(key))
        if review:
            self.flag("organisation", review, post.span, iri)

    def lists(self) -> None:
        for lst in self.p.lists:
            group = self.group(lst.group, lst.heading_span)
            for entry in lst.entries:
                for note in entry.flags:
                    if note != "entry names no person" or not entry.posts:
                        self.flag("entry", note, entry.span)
                if entry.name is None:
                    for post in entry.posts:
                        self.org(post.org, post.org_span)
                        self.flag("entry", f"entry names no person; organisation {post.org} kept", entry.span)
                    continue
                person = self.person(entry.name, entry.name_span or entry.span)
                if any(f.startswith("name/organisation boundary uncertain") for f in entry.flags):
                    node = self.kg.nodes[person]
                    node.props["needsReview"] = True
                    node.props.setdefault("reviewNote", next(f for f in entry.flags if f.startswith("name/")))
                self.membership(person, group, "成员", entry.span)
                for role, span in entry.alliance_roles:
                    self.alliance_role(person, role, span)
                for post in entry.posts:
                    self.position(person, post)
                for text, _span in entry.descriptors:
                    self.kg.add_node(person, "Person", {"descriptor": [text]})

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
            self.kg.add_node(iri, "Trend", {"name": t.title, "trendNumber": t.number, "statement": t.statement}, evs)
            self.kg.add_edge(iri, "partOfReport", self.report)
            for span in [t.title_span] + ([t.statement_span] if t.statement_span else []):
                s0 = span[0]
                for key, alias, off in self.gaz.find_sectors(self.text[span[0]:span[1]]):
                    self.kg.add_edge(iri, "concernsSector", sector_iri(key), self.ev((s0 + off, s0 + off + len(alias))))
            if len(t.title) and not self.gaz.find_sectors(t.title):
                self.flag("trend", f"trend {t.number} ({t.title}) names no sector of the vocabulary", t.title_span, iri)

    def tables(self) -> None:
        for table in self.p.tables:
            bench = entity_iri("benchmark", table.benchmark)
            self.kg.add_node(bench, "Benchmark", {"name": table.benchmark}, self.ev(table.title_span))
            for row in table.rows:
                canonical = self.gaz.canonical_model(row.model) or row.model
                model = model_iri(canonical)
                self.kg.add_node(model, "AIModel", {"name": canonical}, self.ev(row.model_span))
                ds, _ = row.developer_span
                pos = ds
                for part in row.developer.split("&"):
                    span = (pos, pos + len(part))
                    pos += len(part) + 1
                    if not part:
                        continue
                    dev = self.org(part, span)
                    self.kg.add_edge(model, "developedBy", dev, self.ev(row.span))
                result = entity_iri("result", canonical, table.benchmark, table.year_month)
                props: dict[str, Any] = {"score": Decimal(row.score), "assessedIn": table.year_month}
                self.kg.add_node(result, "BenchmarkResult", props, self.ev(row.span))
                self.kg.add_edge(result, "forModel", model)
                self.kg.add_edge(result, "onBenchmark", bench)

    def narrative(self) -> None:
        skip = [(t.title_span[0], t.rows[-1].span[1] if t.rows else t.title_span[1]) for t in self.p.tables]
        n = read_narrative(self.text, self.p.body_start, len(self.text), self.gaz, skip)
        for m in n.mentions:
            if m.kind == "org":
                self.kg.add_node(self.org(m.written, m.span), "Organisation", None, self.ev(m.clause))
            else:
                name = m.canonical or m.written
                self.kg.add_node(model_iri(name), "AIModel", {"name": name}, [self.ev(m.span), self.ev(m.clause)])
        for d in n.developers:
            model = model_iri(self.gaz.canonical_model(d.model) or d.model)
            self.kg.add_node(model, "AIModel", {"name": self.gaz.canonical_model(d.model) or d.model}, self.ev(d.model_span))
            self.kg.add_edge(model, "developedBy", self.org(d.org, d.org_span), self.ev((d.org_span[0], d.model_span[1])))
        for c in n.categories:
            self.org(c.written, c.span, c.kind)
            self.kg.add_node(org_iri(self.gaz.canonical_org(c.written) or c.written), c.kind, None, self.ev(c.clause))
        for f in n.funds:
            fund = self.org(f.fund, f.fund_span, "Fund")
            self.kg.add_edge(fund, "setUpBy", self.org(f.founder, f.founder_span), self.ev(f.clause))
            # a fund's name states its focus: 鲲鹏·讯飞AI大模型产业基金 invests in AI and large models
            s0 = f.fund_span[0]
            for key, alias, off in self.gaz.find_sectors(f.fund):
                self.kg.add_edge(fund, "investmentFocus", sector_iri(key), self.ev((s0 + off, s0 + off + len(alias))))
        for inv in n.investments:
            investor = self.org(inv.investor, inv.investor_span)
            iri = entity_iri("investment", inv.investor, inv.clause)
            self.kg.add_node(iri, "Investment", None, self.ev(inv.clause))
            self.kg.add_edge(iri, "investor", investor)
            for key, _alias, _span in inv.sectors:
                self.kg.add_edge(iri, "investmentSector", sector_iri(key))

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


def read_text(path: Path) -> tuple[str, bytes]:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError as e:
        raise LoaderError("file not found", str(path)) from e
    except IsADirectoryError as e:
        raise LoaderError("is a directory, expected a text file", str(path)) from e
    try:
        return raw.decode("utf-8-sig"), raw
    except UnicodeDecodeError as e:
        raise LoaderError(f"not UTF-8 text (byte {e.start}): convert it to UTF-8 first", str(path)) from e


def load_bluebook(path: Path, curated: CuratedData | None = None) -> KnowledgeGraph:
    """Read a Blue Book text file and return its graph, with curated facts added.

    Raises:
        LoaderError: the file is missing, not UTF-8, or has no Blue Book structure.
    """
    text, raw = read_text(path)
    cd = curated or load_curated()
    gaz = cd.gazetteer()
    parse = parse_bluebook(text, gaz, source=str(path))
    sha = hashlib.sha256(raw).hexdigest()
    src = f"{ID_NS}source/{sha[:16]}"
    builder = _Builder(parse, src, Path(path).name, gaz)
    builder.kg.add_node(src, "SourceDocument", {"fileName": Path(path).name, "sha256": sha})
    kg = builder.build()
    apply_curated(kg, cd)
    return kg
