"""The model list (中国大模型列表) -> graph facts: model makers, their models, places and categories.

Each row names a company (or several: 晓多科技+国家超算成都中心, the first is the developer
unless it is a research institution beside a company), its models (with links), its place
(浙江杭州: a city within a province) and a category (通用, 金融, ...). Every fact carries
evidence of basis ``llm-list``: the file, the row's line and the row's text. A category
that the curated mapping (``data/categories.yaml``) ties to a sector gives the model that
sector, with curated evidence that quotes the mapping. A place that cannot be read, and a
row that cannot be read, go to the review list with their line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecokg.graph.model import Evidence, KnowledgeGraph, ReviewItem
from ecokg.loaders.base import SourceFile, read_source_file
from ecokg.loaders.curated import CuratedData
from ecokg.loaders.kinds import developer_and_partners
from ecokg.loaders.llmlist.parse import ListRow, parse_llm_list
from ecokg.loaders.resolve import fold, split_organisations
from ecokg.ontology.iris import entity_iri, model_iri, org_iri, sector_iri
from ecokg.ontology.terms import C, D, P

BASIS = "llm-list"


def place_iri(name: str) -> str:
    """IRI of a place (short name: 浙江, 杭州)."""
    return entity_iri("place", name)


class _Facts:
    def __init__(self, f: SourceFile, curated: CuratedData):
        self.f = f
        self.curated = curated
        self.resolver = curated.resolver()
        self.places = curated.places()
        self.kg = KnowledgeGraph()
        f.add_to(self.kg)

    def ev(self, row: ListRow) -> Evidence:
        return Evidence(source=self.f.iri, quote=row.text.strip(), basis=BASIS, line=row.line)

    def flag(self, kind: str, message: str, row: ListRow, subject: str | None = None) -> None:
        self.kg.flag(ReviewItem(kind, message, row.text.strip(), self.f.name, subject=subject, line=row.line))

    def org(self, written: str, row: ListRow) -> str:
        name = self.resolver.org(written, self.f.name, row.line)
        props: dict[str, Any] = {D.name: name}
        if fold(written) != fold(name):
            props[D.alias] = [written]
        self.kg.add_node(org_iri(name), C.Organisation, props, self.ev(row))
        return name

    def place(self, text: str, row: ListRow, org: str) -> None:
        got = self.places.read(text)
        if got is None:
            self.flag("place", f"place {text!r} is no province or city the project knows (data/places.yaml)", row,
                      org_iri(org))
            return
        province, city = got
        ev = self.ev(row)
        p = place_iri(province)
        self.kg.add_node(p, C.Place, {D.name: province, D.placeLevel: "province"}, ev)
        where = p
        if city:
            where = place_iri(city)
            self.kg.add_node(where, C.Place, {D.name: city, D.placeLevel: "city"}, ev)
            self.kg.add_edge(where, P.withinPlace, p)
        self.kg.add_edge(org_iri(org), P.locatedIn, where, ev)

    def row(self, row: ListRow) -> None:
        ev = self.ev(row)
        names = list(dict.fromkeys(self.org(w, row) for w in split_organisations(row.company)))
        if not names:
            self.flag("row", "no organisation in the 公司 cell", row)
            return
        dev, partners = developer_and_partners(names, self.curated.org_kind)
        if row.place:
            self.place(row.place, row, dev)
        sector = self.curated.category_sector(row.category) if row.category else None
        for written, url in row.models:
            model = self.resolver.model(written, self.f.name, row.line)
            m = model_iri(model)
            props: dict[str, Any] = {D.name: model, D.category: row.category, D.homepage: url}
            if written != model:
                props[D.alias] = [written]
            self.kg.add_node(m, C.AIModel, props, ev)
            self.kg.add_edge(m, P.developedBy, org_iri(dev), ev)
            for p in partners:
                self.kg.add_edge(m, P.partner, org_iri(p), ev)
            if sector is not None:
                key, entry_ev = sector
                self.kg.add_edge(m, P.modelSector, sector_iri(key), entry_ev)

    def build(self) -> KnowledgeGraph:
        parsed = parse_llm_list(self.f.text, str(self.f.path))
        for row in parsed.rows:
            self.row(row)
        for p in parsed.problems:
            self.kg.flag(p.review(self.f.name))
        return self.kg


def read_llm_list(path: Path, curated: CuratedData) -> KnowledgeGraph:
    """The facts of a 中国大模型列表 (awesome-LLMs-In-China) README's tables.

    Raises:
        LoaderError: the file is missing, not UTF-8, or holds no table with 公司 and 大模型.
    """
    return _Facts(read_source_file(path), curated).build()


__all__ = ["place_iri", "read_llm_list"]
