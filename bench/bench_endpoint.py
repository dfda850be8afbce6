"""A bounded local load test of `ecokg serve` (issue 14): good, malformed and expensive queries.

Starts `ecokg serve` as a subprocess on a free loopback port, sends REQUESTS requests from
CONCURRENCY threads (a fixed, seeded mix), then stops the server and prints requests by kind
and outcome, p50/p99 latency per kind, and the server's exit code (must be 0). Only loopback.

    .venv/bin/ecokg build --out /tmp/bench-out
    .venv/bin/python bench/bench_endpoint.py /tmp/bench-out [--requests 1000] [--concurrency 20] [--timeout 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

GOOD = ["SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "PREFIX eco: <https://w3id.org/ecokg/ontology#> SELECT ?n WHERE { ?p a eco:Person ; eco:name ?n } LIMIT 50",
        "ASK { ?s ?p ?o }"]
KINDS = {  # kind: (share of requests, body)
    "good": (0.80, lambda r: r.choice(GOOD).encode()),
    "syntax": (0.06, lambda r: b"SELEC ?x WHER { ?x }"),
    "nested": (0.06, lambda r: ("SELECT * WHERE " + "{" * 3000 + "}" * 3000).encode()),
    "huge": (0.06, lambda r: b"#" * 2_000_000),
    "cartesian": (0.02, lambda r: b"SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
}


def one(url: str, kind: str, body: bytes) -> tuple[str, int, float]:
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    start = time.monotonic()
    try:
        with opener.open(req, timeout=120) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError:
        status = -1  # no answer at all
    return kind, status, time.monotonic() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="folder of a built graph")
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=2.0, help="the server's --timeout")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=14)
    a = ap.parse_args()
    from ecokg.serve import free_port

    port = free_port()
    ecokg = os.path.join(os.path.dirname(sys.executable), "ecokg")
    proc = subprocess.Popen([ecokg, "serve", "--out", a.out, "--port", str(port), "--timeout", str(a.timeout),
                             "--workers", str(a.workers)], stderr=subprocess.PIPE, text=True, cwd="/")
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 60
    while one(url, "probe", b"ASK {}")[1] != 200:
        if proc.poll() is not None or time.monotonic() > deadline:
            print("ecokg serve did not start:", proc.communicate()[1], file=sys.stderr)
            return 1
        time.sleep(0.2)
    rng = random.Random(a.seed)
    names = list(KINDS)
    plan = [rng.choices(names, weights=[KINDS[n][0] for n in names])[0] for _ in range(a.requests)]
    bodies = [(k, KINDS[k][1](rng)) for k in plan]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=a.concurrency) as pool:
        results = list(pool.map(lambda kb: one(url, *kb), bodies))
    wall = time.monotonic() - start
    alive = proc.poll() is None
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    outcomes = Counter((k, s) for k, s, _ in results)
    lat: dict[str, list[float]] = defaultdict(list)
    for k, _, t in results:
        lat[k].append(t)
    report = {
        "requests": a.requests, "concurrency": a.concurrency, "server_timeout_s": a.timeout, "workers": a.workers,
        "wall_s": round(wall, 1), "server_alive_after_load": alive, "server_exit_code": proc.returncode,
        "outcomes": {f"{k} -> {s}": n for (k, s), n in sorted(outcomes.items())},
        "latency_s": {k: {"n": len(v), "p50": round(statistics.median(v), 3),
                          "p99": round(sorted(v)[max(0, int(len(v) * 0.99) - 1)], 3)} for k, v in sorted(lat.items())},
    }
    report["p99_within_timeout"] = all(v["p99"] <= a.timeout + 1.0 for v in report["latency_s"].values())
    print(json.dumps(report, indent=2))
    # a client still sending a huge body may see the connection close after the early 413: not a failure
    unanswered = [k for k, s, _ in results if s == -1 and k != "huge"]
    return 0 if proc.returncode == 0 and alive and not unanswered else 1


if __name__ == "__main__":
    sys.exit(main())
