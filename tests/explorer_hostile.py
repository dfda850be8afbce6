"""A small graph whose names, titles and quotes are XSS payloads, written as a built folder (its
embedded store), for the explorer's escaping tests (HTTP and browser)."""

from __future__ import annotations

from pathlib import Path

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.ontology.iris import entity_iri, mint, org_iri, source_iri
from ecokg.ontology.terms import C, D, P

PAYLOADS = (
    "<script>alert('xss-name')</script>",
    '"><img src=x onerror=alert(\'xss-attr\')>',
    "</textarea><svg onload=alert('xss-svg')>",
    "javascript:alert('xss-url')",
    "{{ 7*7 }}<b>bold</b>",
)
PERSON = "张<script>alert('xss-person')</script>三"
ORG = '阳光"><img src=x onerror=alert(\'xss-org\')>集团'
TITLE = "CTO<script>alert('xss-title')</script>"
QUOTE = ORG + "CTO<script>alert('xss-quote')</script>"
#: What a page may never contain unescaped.
RAW = ("<script>alert", "<img src=x", "<svg onload", "<b>bold</b>")


def hostile_graph() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    src = source_iri("0" * 64)
    kg.add_node(src, C.SourceDocument, {D.fileName: "<script>alert('xss-file')</script>.txt", D.sha256: "0" * 64})
    ev = Evidence(source=src, quote=QUOTE, basis="bluebook", start=0, end=len(QUOTE))
    person = entity_iri("person", PERSON)
    org = org_iri(ORG)
    kg.add_node(person, C.Person, {D.name: PERSON, D.pinyin: "zhang san"}, ev)
    kg.add_node(org, C.Company, {D.name: ORG, D.nameEn: PAYLOADS[1], D.alias: [PAYLOADS[0], PAYLOADS[4]]}, ev)
    post = mint("position", person, org, TITLE)
    kg.add_node(post, C.Position, {D.title: TITLE, D.isFormer: False, D.orgAsWritten: ORG}, ev)
    kg.add_edge(person, P.holds, post)
    kg.add_edge(post, P.inOrganisation, org)
    for i, payload in enumerate(PAYLOADS):
        other = org_iri(f"机构{i}{payload}")
        kg.add_node(other, C.Company, {D.name: f"机构{i}{payload}"},
                    Evidence(source=src, quote=payload, basis="curated", line=i + 1, note=payload))
        kg.add_edge(other, P.parentOrganisation, org,
                    Evidence(source=src, quote=f"parent {payload}", basis="curated", line=i + 1))
    return kg


def write_hostile(out: Path) -> Path:
    """The hostile graph as ``OUT/store`` (what ``ecokg serve --out OUT`` opens)."""
    from ecokg.graph.stores import open_store

    store = open_store("rdf", path=out / "store", read_only=False)
    store.write(hostile_graph())
    store.close()
    return out
