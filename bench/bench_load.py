"""`ecokg load neo4j` against a hand-written ceiling, and an unchanged re-load (issue 13).

Run: python bench/bench_load.py [--sizes 10000 100000] [--pairs 3 2] [--batch 1000] [--work DIR]
                                [--changed 0.01]

Needs NEO4J_URI etc. (``eval "$(scripts/neo4j-local start)"``); the database is emptied before
every timed run, so use a server of its own (``NEO4J_BOLT_PORT=7688 scripts/neo4j-local start
--dir DIR``), not one a colleague is querying.

For each size, the synthetic graph of ``bench/generate.py`` (seed 7) is written as a built folder
into ``WORK/<size>`` (reused when there), with the load rows ``ecokg build`` saves beside the store
(``neo4j-rows.jsonl``; ``generate.py`` writes a folder as the build does but without them, so they are
added here, from the same graph). Then, alternating which goes first, ``--pairs`` pairs of:

- **ceiling**: constraints and indexes (the same statements) and batched ``UNWIND $rows AS row
  MERGE (n:Root {id: row.id}) SET n:Labels SET n += row.props`` for the nodes, then ``UNWIND ...
  MATCH (a) MATCH (b) MERGE (a)-[r:TYPE]->(b) SET r.evidence = row.ev`` for the relationships:
  the same nodes, labels, properties and relationships, from rows built before the clock starts
  (so only the database work is timed), in the same batches, in this process;
- **load**: ``ecokg load neo4j --wipe --out WORK/<size>`` as a process, end to end (start-up,
  reading the rows, the wipe, the load, the counts it prints);

each into an emptied database (emptying is not timed), and after every load an **unchanged
re-load** (``ecokg load neo4j`` again). ``--changed F`` also times a re-load after a fraction F of
the entities got a new name (the Python API, ``Neo4jStore.load``, on a changed plan) and checks it
wrote exactly those. Prints seconds, ceiling/load (goal >= 0.8) and re-load/first load (goal <= 0.2).
The load also stores the build's saved answers (which the ceiling does not: it is a graph only), and
says in how long; the re-load keeps them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402

ECOKG = str(Path(sys.executable).with_name("ecokg"))


def folder(size: int, work: Path, seed: int = 7) -> Path:
    """The built folder of ``size`` entities, with its load rows (made unless there)."""
    from ecokg.graph.stores.neo4j_write import ROWS_FILE, open_rows, plan, save

    out = work / str(size)
    rows = out / "current" / ROWS_FILE
    if open_rows(rows) is not None:
        print(f"  reusing {out}", flush=True)
        return out
    t = time.perf_counter()
    kg = generate.generate(size, seed)
    if not (out / "current" / "store").is_dir():
        summary = generate.write(kg, out, shacl=size <= 20_000, dump=False)
        print(f"  generated and wrote {summary['triples']:,} triples to {out} in {time.perf_counter() - t:.1f} s",
              flush=True)
    t = time.perf_counter()
    save(plan(kg), (out / "current").resolve() / ROWS_FILE)
    print(f"  planned and saved the load rows in {time.perf_counter() - t:.1f} s (done by `ecokg build`)", flush=True)
    return out


def driver() -> Any:
    import neo4j

    return neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=(os.environ.get("NEO4J_USERNAME", "neo4j"),
                                                                      os.environ.get("NEO4J_PASSWORD", "")))


def empty(drv: Any) -> None:
    """Delete every node and relationship (not timed), in batches."""
    db = os.environ.get("NEO4J_DATABASE", "neo4j")
    with drv.session(database=db) as s:
        for cypher in ("MATCH ()-[r]->() WITH r LIMIT 50000 DELETE r RETURN count(*) AS c",
                       "MATCH (n) WITH n LIMIT 50000 DETACH DELETE n RETURN count(*) AS c"):
            while s.execute_write(lambda tx: tx.run(cypher).single()["c"]):
                pass


def ceiling_rows(out: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """(Cypher, rows) of the hand-written load, built before timing."""
    from ecokg.graph.stores.neo4j_write import ROWS_FILE, open_rows
    from ecokg.ontology.neo4j import EVIDENCE_LIST, ID

    p = open_rows((out / "current").resolve() / ROWS_FILE)
    assert p is not None
    p.read_props()
    work: list[tuple[str, list[dict[str, Any]]]] = []
    for g in p.nodes:
        extra = "".join(f":{x}" for x in g.labels if x != g.root)
        cypher = (f"UNWIND $rows AS row MERGE (n:{g.root} {{{ID}: row.id}})"
                  + (f" SET n{extra}" if extra else "") + " SET n += row.props")
        assert g.props is not None
        work.append((cypher, [{"id": i, "props": {**props, ID: i}} for i, props in zip(g.ids, g.props)]))
    for e in p.edges():
        cypher = (f"UNWIND $rows AS row MATCH (a:{e.src} {{{ID}: row.s}}) MATCH (b:{e.dst} {{{ID}: row.t}}) "
                  f"MERGE (a)-[r:{e.type}]->(b)" + (f" SET r.{EVIDENCE_LIST} = row.ev" if e.evidence is not None else ""))
        work.append((cypher, [e.row(i) for i in range(len(e.sources))]))
    return work


def run_ceiling(drv: Any, work: list[tuple[str, list[dict[str, Any]]]], batch: int) -> float:
    from ecokg.graph.stores.neo4j_load import schema_statements
    from ecokg.ontology.schema import get_schema

    db = os.environ.get("NEO4J_DATABASE", "neo4j")
    t = time.perf_counter()
    with drv.session(database=db) as s:
        for stmt in schema_statements(get_schema()):
            s.run(stmt).consume()
        s.run("CALL db.awaitIndexes(300)").consume()
        for cypher, rows in work:
            for i in range(0, len(rows), batch):
                chunk = rows[i:i + batch]
                s.execute_write(lambda tx: tx.run(cypher, rows=chunk).consume())
    return time.perf_counter() - t


def run_ecokg(out: Path, batch: int, *extra: str) -> tuple[float, dict[str, Any]]:
    """Seconds of ``ecokg load neo4j`` as a process, and the JSON it printed."""
    t = time.perf_counter()
    done = subprocess.run([ECOKG, "load", "neo4j", "--out", str(out), "--batch", str(batch), *extra],
                          capture_output=True, text=True)
    took = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"ecokg load neo4j failed: {done.stderr[-2000:]}")
    return took, json.loads(done.stdout)


def answers_note(report: dict[str, Any]) -> str:
    """What the load did with the build's saved answers, and in how long."""
    a = report.get("answers") or {}
    what = "kept" if a.get("kept") else f"{a.get('nodes_written', 0):,} nodes written"
    return f"answers: {a.get('questions', 0)} questions, {what}, {report.get('seconds', {}).get('answers', 0):.1f} s"


def changed_reload(out: Path, share: float, batch: int) -> tuple[float, int, int]:
    """Rename a share of the entities, load that plan (the Python API); seconds, renamed, written."""
    from ecokg.graph.stores.neo4j import Neo4jStore
    from ecokg.graph.stores.neo4j_write import ROWS_FILE, node_hash, open_rows
    from ecokg.ontology.neo4j import SEARCH_KEY, search_key
    from ecokg.ontology.schema import get_schema

    p = open_rows((out / "current").resolve() / ROWS_FILE)
    assert p is not None
    p.read_props()
    edges = p.edges()
    out_edges: dict[str, list[Any]] = {}
    for e in edges:
        for i, s in enumerate(e.sources):
            ev = e.evidence[i] if e.evidence is not None else None
            out_edges.setdefault(s, []).append((e.type, e.dst, e.targets[i], tuple(ev or ())))
    entity = set(get_schema().entity_classes)
    renamed = set()
    for g in p.nodes:
        if not entity.intersection(g.labels):
            continue
        assert g.props is not None
        step = max(1, round(1 / share))
        for i in range(0, len(g.ids), step):
            props = {**g.props[i], "name": f"{g.props[i].get('name', '')}'"}
            key = search_key(props)
            g.props[i] = {**props, SEARCH_KEY: key} if key else props
            g.hashes[i] = node_hash(g.ids[i], g.labels, g.props[i], out_edges.get(g.ids[i], []))
            renamed.add(g.ids[i])
    store = Neo4jStore.connect()
    try:
        t = time.perf_counter()
        report = store.load(p, batch=batch)
        took = time.perf_counter() - t
    finally:
        store.close()
    assert set(report.changed) == renamed and not report.new and not report.removed, report.summary()
    return took, len(renamed), len(report.changed)


def spread(xs: list[float]) -> str:
    return f"{min(xs):.1f}-{max(xs):.1f} s (median {statistics.median(xs):.1f})" if xs else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--pairs", type=int, nargs="+", default=[3, 2], help="pairs per size (the last repeats)")
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/ecokg-bench-load"))
    ap.add_argument("--changed", type=float, default=0.0, help="also time a re-load after renaming this share")
    args = ap.parse_args()
    drv = driver()
    print(f"Neo4j {os.environ['NEO4J_URI']}; batch {args.batch}; {os.cpu_count()} cores", flush=True)
    for k, size in enumerate(args.sizes):
        pairs = args.pairs[min(k, len(args.pairs) - 1)]
        print(f"\n== {size:,} entities", flush=True)
        out = folder(size, args.work)
        work = ceiling_rows(out)
        print(f"  {sum(len(r) for _, r in work):,} rows", flush=True)
        ceiling: list[float] = []
        load: list[float] = []
        reload: list[float] = []
        ratios: list[float] = []
        for i in range(pairs):
            pair = {}
            for what in (("ceiling", "load") if i % 2 == 0 else ("load", "ceiling")):
                empty(drv)
                if what == "ceiling":
                    pair[what] = run_ceiling(drv, work, args.batch)
                else:
                    pair[what], first = run_ecokg(out, args.batch, "--wipe")
                    again, second = run_ecokg(out, args.batch)
                    reload.append(again)
                    print(f"  pair {i + 1}: load {pair[what]:.1f} s ({answers_note(first)}), unchanged re-load "
                          f"{again:.1f} s ({answers_note(second)}; {again / pair[what]:.2f} of the load)", flush=True)
            ceiling.append(pair["ceiling"])
            load.append(pair["load"])
            ratios.append(pair["ceiling"] / pair["load"])
            print(f"  pair {i + 1}: ceiling {pair['ceiling']:.1f} s, load {pair['load']:.1f} s: "
                  f"ceiling/load {ratios[-1]:.2f}", flush=True)
        re = [r / f for r, f in zip(reload, load)]
        print(f"  ceiling {spread(ceiling)}; ecokg load neo4j --wipe {spread(load)}; ceiling/load "
              f"{min(ratios):.2f}-{max(ratios):.2f} (median {statistics.median(ratios):.2f}, goal >= 0.8)")
        print(f"  unchanged re-load {spread(reload)}; re-load/first load {min(re):.2f}-{max(re):.2f} "
              f"(median {statistics.median(re):.2f}, goal <= 0.2)", flush=True)
        if args.changed:
            if what == "ceiling":  # the database holds the ceiling's graph: load ecokg's first (not timed)
                empty(drv)
                run_ecokg(out, args.batch, "--wipe")
            took, renamed, written = changed_reload(out, args.changed, args.batch)
            print(f"  re-load after renaming {renamed:,} entities (Python API): {took:.1f} s, wrote {written:,} "
                  f"nodes ({took / statistics.median(load):.2f} of a first load)", flush=True)
    drv.close()


if __name__ == "__main__":
    main()
