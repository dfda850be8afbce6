"""Time the analytics (ecokg.graph.analytics) on synthetic graphs of growing size.

Run: python bench/bench_analytics.py [--sizes 1000,10000,100000] [--sample 500] [--limit 60]

For each size it builds a Barabási–Albert graph (networkx ``barabasi_albert_graph(n, 2)``,
scale-free like real affiliation networks) and prints the time of the projection,
degree centrality, sampled betweenness (``k = min(sample, n)`` sources, seeded), exact
betweenness where it is expected to finish within ``--limit`` seconds (estimated from
the sampled run: exact costs about n/k times as much), the exact/sampled ratio and how
many of the exact top 10 the estimate also ranks top 10, Louvain communities and the
bridges (articulation points and community bridges). Then the whole ``analyze`` of
the bundled sample.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import networkx as nx
from ecokg.graph import analytics as an


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def top_ids(values: dict, n: int = 10) -> set:
    return set(an._rank(values)[:n])


def bench_size(n: int, sample: int, limit: float, seed: int) -> dict[str, Any]:
    g, t_gen = timed(lambda: nx.barabasi_albert_graph(n, 2, seed=seed))
    h, t_proj = timed(lambda: an.project(g))
    _, t_deg = timed(lambda: nx.degree_centrality(h))
    k = min(sample, n)
    sampled, t_samp = timed(lambda: nx.betweenness_centrality(h, k=k, seed=seed, normalized=True))
    estimate = t_samp * n / k
    row: dict[str, Any] = {"n": n, "m": h.number_of_edges(), "generate": t_gen, "project": t_proj, "degree": t_deg,
                           "k": k, "sampled": t_samp, "exact_estimate": estimate}
    if estimate <= limit:
        exact, t_exact = timed(lambda: nx.betweenness_centrality(h, normalized=True))
        row.update(exact=t_exact, ratio=t_exact / t_samp, top10=len(top_ids(exact) & top_ids(sampled)))
    parts, t_louv = timed(lambda: an._partition(h, seed))
    row.update(louvain=t_louv, communities=len(parts), modularity=an._modularity(h, parts))
    _, t_br = timed(lambda: an._bridges_from(h, sampled, k, parts, 10, None))
    row["bridges"] = t_br
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated node counts")
    ap.add_argument("--sample", type=int, default=an.SAMPLE, help="sampled sources for betweenness")
    ap.add_argument("--limit", type=float, default=60.0, help="run exact betweenness only if expected under this (s)")
    ap.add_argument("--seed", type=int, default=an.SEED)
    args = ap.parse_args()
    print(f"# Python {platform.python_version()}, networkx {nx.__version__}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}; BA graphs m=2, seed {args.seed}, k=min({args.sample}, n)")
    head = (f"{'nodes':>7} {'edges':>7} | {'project':>7} {'degree':>6} | {'k':>4} {'sampled':>8} "
            f"{'exact':>8} {'ratio':>6} {'top10':>5} | {'louvain':>7} {'comms':>5} {'Q':>5} | {'bridges':>7}")
    print(head)
    print("-" * len(head))
    for n in (int(s) for s in args.sizes.split(",")):
        r = bench_size(n, args.sample, args.limit, args.seed)
        exact = f"{r['exact']:7.2f}s" if "exact" in r else f"~{r['exact_estimate']:6.0f}s"
        ratio = f"{r['ratio']:5.1f}x" if "ratio" in r else "     -"
        top10 = f"{r['top10']:>2}/10" if "top10" in r else "    -"
        print(f"{r['n']:>7} {r['m']:>7} | {r['project']:6.2f}s {r['degree']:5.2f}s | {r['k']:>4} "
              f"{r['sampled']:7.2f}s {exact} {ratio} {top10} | {r['louvain']:6.2f}s {r['communities']:>5} "
              f"{r['modularity']:5.3f} | {r['bridges']:6.2f}s", flush=True)
    print("(exact '~Ns': estimated as sampled time x n/k; over --limit, so not run)")

    from ecokg.build import build

    with tempfile.TemporaryDirectory() as tmp:
        res = build(out_dir=Path(tmp))
        result, t = timed(lambda: an.analyze(res.kg, top=10))
    gi = result["graph"]
    print(f"\nsample: analyze() on {gi['projection_nodes']} nodes / {gi['projection_edges']} edges "
          f"(exact betweenness): {t:.2f}s")


if __name__ == "__main__":
    sys.exit(main())
