"""How ecokg scales: a synthetic ecosystem of growing size through every stage.

Run: python bench/bench_scale.py [--people 1000 10000 50000] [--neo4j]

The synthetic graph has the sample's shape (people with one or two posts, organisations
with sectors, expert groups, evidence for everything); its names are generated, so it
says nothing about the real ecosystem. Prints seconds per stage and ratios:
pyoxigraph vs rdflib for loading and writing Turtle, SHACL validation, and with
--neo4j (NEO4J_URI etc. set) the first and the second (idempotent) Neo4j load and one
question on both backends.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.ontology.iris import entity_iri, mint, sector_iri
from ecokg.ontology.terms import C, D, P

SECTORS = ["cloud", "ai", "large-models", "computing-power", "enterprise-software", "fintech"]


def synthetic(people: int, seed: int = 7) -> KnowledgeGraph:
    rnd = random.Random(seed)
    kg = KnowledgeGraph()
    src = mint("source", "synthetic")
    kg.add_node(src, C.SourceDocument, {D.fileName: "synthetic.txt"})
    pos = 0

    def ev(text: str) -> Evidence:
        nonlocal pos
        e = Evidence(source=src, quote=text, basis="bluebook", start=pos, end=pos + len(text))
        pos += len(text) + 1
        return e

    for key in SECTORS:
        kg.add_node(sector_iri(key), C.Sector, {D.name: key})
    orgs = []
    for i in range(max(1, people // 5)):
        name = f"机构{i}"
        iri = entity_iri("org", name)
        kind = rnd.choice([C.Company, C.InvestmentFirm, C.Bank, C.CloudProvider])
        kg.add_node(iri, kind, {D.name: name}, ev(name))
        for key in rnd.sample(SECTORS, 2):
            kg.add_edge(iri, P.inSector, sector_iri(key), ev(f"{name} {key}"))
        orgs.append((iri, name))
    groups = []
    for g in range(8):
        iri = entity_iri("group", f"组{g}")
        kg.add_node(iri, C.ExpertGroup, {D.name: f"组{g}"}, ev(f"组{g}"))
        groups.append(iri)
    for i in range(people):
        name = f"人{i}"
        p = entity_iri("person", name)
        kg.add_node(p, C.Person, {D.name: name, D.pinyin: f"Ren {i}"}, ev(name))
        for org, oname in rnd.sample(orgs, min(len(orgs), rnd.choice([1, 2]))):
            title = rnd.choice(["总经理", "合伙人", "CTO", "副总裁"])
            m = mint("position", p, org, False)
            kg.add_node(m, C.Position, {D.title: title, D.isFormer: False}, ev(f"{name}{oname}{title}"))
            kg.add_edge(p, P.holds, m)
            kg.add_edge(m, P.inOrganisation, org)
        g = rnd.choice(groups)
        m = mint("membership", p, g, "成员")
        kg.add_node(m, C.GroupMembership, {D.role: "成员"}, ev(f"{name} 成员"))
        kg.add_edge(p, P.holds, m)
        kg.add_edge(m, P.inGroup, g)
    return kg


def timed(label: str, fn, results: dict):
    t = time.perf_counter()
    out = fn()
    results[label] = time.perf_counter() - t
    print(f"  {label:42s} {results[label]:8.2f} s", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, nargs="+", default=[1000, 10000, 50000])
    ap.add_argument("--neo4j", action="store_true", help="also load into the Neo4j of NEO4J_URI")
    ap.add_argument("--shacl-limit", type=int, default=200_000, help="skip SHACL above this many triples")
    args = ap.parse_args()
    import pyoxigraph as ox
    from ecokg.graph.rdf import to_triples
    from ecokg.graph.stores import open_store
    from ecokg.graph.validate import validate
    from rdflib import Graph, Literal, URIRef

    for n in args.people:
        print(f"== {n} people")
        r: dict[str, float] = {}
        kg = timed("build the graph in memory", lambda: synthetic(n), r)
        triples = list(to_triples(kg))
        print(f"  {len(kg.nodes)} nodes, {len(kg.edges)} edges, {len(triples)} triples")
        store = open_store("rdf")
        timed("pyoxigraph bulk load (RdfStore.write)", lambda: store.write(kg), r)

        def rdflib_load():
            g = Graph()
            for t in triples:
                o = t.object
                obj = URIRef(o.value) if isinstance(o, ox.NamedNode) else Literal(o.value)
                g.add((URIRef(t.subject.value), URIRef(t.predicate.value), obj))
            return g

        g = timed("rdflib load (add per triple)", rdflib_load, r)
        with tempfile.TemporaryDirectory() as d:
            timed("pyoxigraph write Turtle, N-Triples, JSON-LD", lambda: store.dump(Path(d)), r)
            timed("rdflib write Turtle", lambda: g.serialize(str(Path(d) / "b.ttl"), format="turtle"), r)
        print(f"  ratio load rdflib/pyoxigraph: "
              f"{r['rdflib load (add per triple)'] / r['pyoxigraph bulk load (RdfStore.write)']:.1f}x; rdflib Turtle "
              f"alone vs pyoxigraph's three formats: {r['rdflib write Turtle'] / r['pyoxigraph write Turtle, N-Triples, JSON-LD']:.1f}x")
        if len(triples) <= args.shacl_limit:
            rep = timed("SHACL validation (pyshacl)", lambda: validate(kg), r)
            print(f"  conforms: {rep.conforms}")
        else:
            print(f"  SHACL skipped above {args.shacl_limit} triples")
        if args.neo4j:
            from ecokg.graph.questions import ask
            from ecokg.graph.stores.neo4j_write import plan

            neo = open_store("neo4j")
            timed("Neo4j clear", neo.clear, r)
            first = timed("Neo4j first load", lambda: neo.write(kg), r)
            second = timed("Neo4j second load (no change)", lambda: neo.write(kg), r)
            print(f"  Neo4j: {plan(kg).size} rows, {plan(kg).size / r['Neo4j first load']:.0f} rows/s first load; "
                  f"created {first.details.get('nodes_created')} nodes; second load changed {second.changed}")
            timed("read the graph back from Neo4j", neo.read, r)
            timed("read the graph back from the RDF store", store.read, r)
            org_name = "机构0"
            a = timed("people-of on the RDF store", lambda: ask(store, "people-of", {"org": org_name}), r)
            b = timed("people-of on Neo4j", lambda: ask(neo, "people-of", {"org": org_name}), r)
            print(f"  same answer: {a.rows == b.rows} ({len(a.rows)} rows)")
            timed("connection 人0 -> 人1 on the RDF store", lambda: ask(store, "connection", {"a": "人0", "b": "人1"}), r)
            timed("connection 人0 -> 人1 on Neo4j", lambda: ask(neo, "connection", {"a": "人0", "b": "人1"}), r)
            neo.clear()
            neo.close()

if __name__ == "__main__":
    main()
