"""Latency of the explorer's pages (issue 12): p50/p95 over N requests per kind of page.

Serves the built graph with ``ecokg.serve.running_server`` (uvicorn, the explorer beside the SPARQL
endpoint, on a free loopback port) and requests, one after another over HTTP, each kind of page
for entities, names and organisations drawn (seeded) from the graph itself: the home page, the
search page, the type-ahead JSON, an entity page, the graph panel's neighbours JSON and a
question page (people-of). Prints the figures and the goals: under 100 ms p50 on the sample;
on a generated graph of 100,000 entities, search and entity pages under 300 ms p50.

    .venv/bin/ecokg build --out /tmp/bench-out
    .venv/bin/python bench/bench_explorer.py --out /tmp/bench-out [--requests 200] [--goal 100]
    .venv/bin/python bench/generate.py --entities 100000 --out /tmp/explorer-gen-100k --no-shacl --no-dump
    .venv/bin/python bench/bench_explorer.py --out /tmp/explorer-gen-100k --goal 300 [--memory]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

KINDS = ("home", "search", "api/search", "entity", "neighbours", "question")
#: The kinds the goal on a generated graph names (the sample's goal holds for every kind).
BIG_GOAL_KINDS = ("search", "api/search", "entity")


def pick(out: Path, n: int, seed: int) -> dict[str, list[str]]:
    """Entities (keys), names to search for and organisations to ask about, drawn from the graph."""
    import ecokg
    from ecokg.explorer.reads import entity_key

    rng = random.Random(seed)
    with ecokg.open(out) as kg:
        rows = kg.query("SELECT ?e ?n WHERE { ?e a eco:Person ; eco:name ?n } LIMIT 5000")
        rows += kg.query("SELECT ?e ?n WHERE { ?e a eco:Organisation ; eco:name ?n } LIMIT 5000")
        orgs = kg.query("SELECT DISTINCT ?n WHERE { ?o a eco:Organisation ; eco:name ?n . "
                        "?pos eco:inOrganisation ?o } LIMIT 2000")
    chosen = rng.sample(rows, min(n, len(rows)))
    return {"entities": [entity_key(r["e"]) for r in chosen],
            "names": [str(r["n"]) for r in chosen],
            "orgs": [str(r["n"]) for r in rng.sample(orgs, min(n, len(orgs)))]}


def url_of(kind: str, i: int, base: str, pool: dict[str, list[str]]) -> str:
    ents, names, orgs = pool["entities"], pool["names"], pool["orgs"]
    q = urllib.parse.quote
    return {
        "home": f"{base}/explore",
        "search": f"{base}/search?q={q(names[i % len(names)][:3])}",
        "api/search": f"{base}/api/search?q={q(names[i % len(names)][:2])}",
        "entity": f"{base}/entity/{q(ents[i % len(ents)], safe='/')}",
        "neighbours": f"{base}/api/neighbours/{q(ents[i % len(ents)], safe='/')}",
        "question": f"{base}/questions/people-of?org={q(orgs[i % len(orgs)])}",
    }[kind]


def measure(base: str, pool: dict[str, list[str]], requests: int) -> dict[str, dict[str, Any]]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        times, bad = [], 0
        for i in range(requests):
            url = url_of(kind, i, base, pool)
            start = time.perf_counter()
            try:
                with opener.open(url, timeout=60) as resp:
                    resp.read()
                    ok = resp.status == 200
            except OSError:
                ok = False
            times.append((time.perf_counter() - start) * 1000)
            bad += not ok
        times.sort()
        out[kind] = {"p50_ms": round(statistics.median(times), 1),
                     "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                     "max_ms": round(times[-1], 1), "requests": requests, "errors": bad}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="folder of a built (or generated) graph")
    ap.add_argument("--requests", type=int, default=200, help="requests per kind of page")
    ap.add_argument("--goal", type=float, default=100.0, help="p50 goal in ms")
    ap.add_argument("--memory", action="store_true", help="the explorer reads a copy of the store in memory")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = ap.parse_args()

    from ecokg.serve import running_server

    pool = pick(args.out, 100, args.seed)
    start = time.perf_counter()
    with running_server(args.out, "127.0.0.1", 0, memory=args.memory, log=lambda m: None, timeout=600) as base:
        ready = time.perf_counter() - start
        for kind in KINDS:  # one warm-up request per kind (the first reads indexes and templates)
            urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url_of(kind, 0, base, pool)).read()
        figures = measure(base, pool, args.requests)
    big = args.goal > 100
    goal_kinds = BIG_GOAL_KINDS if big else KINDS
    verdict = {k: figures[k]["p50_ms"] < args.goal for k in goal_kinds}
    result = {"out": str(args.out), "memory": args.memory, "startup_s": round(ready, 1), "goal_ms": args.goal,
              "goal_kinds": list(goal_kinds), "pages": figures, "met": all(verdict.values()) and
              not any(f["errors"] for f in figures.values())}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"explorer on {args.out}{' (in memory)' if args.memory else ''}: started in {ready:.1f} s, "
              f"{args.requests} requests per page kind")
        print(f"{'page':12s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} {'errors':>7s}  goal")
        for k, f in figures.items():
            goal = f"p50 < {args.goal:g} ms: {'met' if verdict[k] else 'MISSED'}" if k in verdict else ""
            print(f"{k:12s} {f['p50_ms']:8.1f} {f['p95_ms']:8.1f} {f['max_ms']:8.1f} {f['errors']:7d}  {goal}")
        print("all goals met" if result["met"] else "some goal MISSED")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
