"""SuperCLUE boards -> graph facts: each row a dated score of a model version, with its developer.

Every score of every board becomes a ``BenchmarkResult`` (benchmark, board, measure, the
board's month, the score exactly as printed, the rank on the board's headline measure, the
access or licence), with evidence of basis ``superclue``: the file, the row's line and the
row's text. The 机构 cell names the developer; several organisations in it (清华&智谱) are a
developer and its partners. Names resolve through the build's resolver (智谱AI -> 智谱华章,
Authropic -> Anthropic), which logs every merge. A row the parser could not read goes to the
review list with its line.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ecokg.graph.model import Evidence, KnowledgeGraph, ReviewItem
from ecokg.loaders.base import SourceFile, read_source_file
from ecokg.loaders.curated import CuratedData
from ecokg.loaders.kinds import developer_and_partners
from ecokg.loaders.resolve import fold, split_organisations
from ecokg.loaders.superclue.parse import Board, BoardRow, parse_superclue
from ecokg.ontology.iris import entity_iri, mint, model_iri, org_iri
from ecokg.ontology.terms import C, D, P

BASIS = "superclue"
BENCHMARK = "SuperCLUE"


class _Facts:
    def __init__(self, f: SourceFile, curated: CuratedData):
        self.f = f
        self.curated = curated
        self.resolver = curated.resolver()
        self.kg = KnowledgeGraph()
        f.add_to(self.kg)
        name = self.resolver.other("benchmark", BENCHMARK, f.name)
        self.bench = entity_iri("benchmark", fold(name))
        self.kg.add_node(self.bench, C.Benchmark, {D.name: name})

    def ev(self, row: BoardRow) -> Evidence:
        return Evidence(source=self.f.iri, quote=row.text.strip(), basis=BASIS, line=row.line)

    def org(self, written: str, row: BoardRow) -> str:
        name = self.resolver.org(written, self.f.name, row.line)
        props: dict[str, Any] = {D.name: name}
        if fold(written) != fold(name):
            props[D.alias] = [written]
        self.kg.add_node(org_iri(name), C.Organisation, props, self.ev(row))
        return name

    def row(self, board: Board, row: BoardRow) -> None:
        ev = self.ev(row)
        model = self.resolver.model(row.model, self.f.name, row.line)
        m = model_iri(model)
        props: dict[str, Any] = {D.name: model}
        if row.model != model:
            props[D.alias] = [row.model]
        if row.model_url:
            props[D.homepage] = row.model_url
        self.kg.add_node(m, C.AIModel, props, ev)
        if row.org:
            names = list(dict.fromkeys(self.org(w, row) for w in split_organisations(row.org)))
            if names:
                dev, partners = developer_and_partners(names, self.curated.org_kind)
                self.kg.add_edge(m, P.developedBy, org_iri(dev), ev)
                for p in partners:
                    self.kg.add_edge(m, P.partner, org_iri(p), ev)
        headline = board.measures[0] if board.measures else None
        for measure, text in row.score_text.items():
            iri = mint("result", model, fold(BENCHMARK), board.date, board.board, measure, label=model)
            props = {D.score: Decimal(text.rstrip("%")), D.assessedIn: board.date, D.board: board.board,
                     D.measure: measure, D.access: row.access,
                     D.rank: row.rank if measure == headline else None}
            self.kg.add_node(iri, C.BenchmarkResult, props, ev)
            self.kg.add_edge(iri, P.forModel, m)
            self.kg.add_edge(iri, P.onBenchmark, self.bench)

    def build(self) -> KnowledgeGraph:
        sc = parse_superclue(self.f.text, str(self.f.path))
        for board in sc.boards:
            if board.date is None:
                self.kg.flag(ReviewItem("board", f"board {board.heading!r} gives no month: its scores are not dated",
                                        board.heading or "", self.f.name, line=board.heading_line))
            for row in board.rows:
                self.row(board, row)
        for p in sc.problems:
            self.kg.flag(p.review(self.f.name))
        return self.kg


def read_superclue(path: Path, curated: CuratedData) -> KnowledgeGraph:
    """The facts of a SuperCLUE leaderboard file (markdown tables of the SuperCLUE README).

    Raises:
        LoaderError: the file is missing, not UTF-8, or holds no SuperCLUE board.
    """
    return _Facts(read_source_file(path), curated).build()


__all__ = ["read_superclue"]
