"""What making the synthetic graph in parts costs (issue 13): time and peak RSS of iterating
``generate.generate_parts`` (each part counted, then dropped), beside ``generate.generate`` (the
whole model in one part).

Run: python bench/bench_generate_parts.py [--sizes 100000 1000000] [--seed 7] [--part-nodes 50000] [--whole]

Each measurement runs in a fresh child process, so that its peak RSS is its own; RSS is sampled with
``psutil`` every 20 ms in a thread (the peak includes the interpreter and ecokg's imports, about
35 MB). CPU seconds are printed beside wall seconds: on a shared machine they move less.
``--whole`` also times ``generate`` (the whole model: 5.25 GiB at 1M entities). Prints,
per size: parts, nodes, edges, seconds and peak RSS in GiB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def child(kind: str, size: int, seed: int, part_nodes: int) -> dict[str, Any]:
    """Runs in the child process: make the graph of ``size`` entities, in parts or whole."""
    import psutil

    sys.path.insert(0, str(HERE))
    import generate

    proc, peak, stop = psutil.Process(), [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0, cpu0 = time.perf_counter(), time.process_time()
    parts = nodes = edges = largest = 0
    if kind == "parts":
        for part in generate.generate_parts(size, seed, part_nodes):
            parts += 1
            nodes += len(part.nodes)
            edges += len(part.edges)
            largest = max(largest, len(part.nodes))
            del part  # dropped before the next part is made
    else:
        kg = generate.generate(size, seed)
        parts, nodes, edges, largest = 1, len(kg.nodes), len(kg.edges), len(kg.nodes)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    stop.set()
    sampler.join()
    peak[0] = max(peak[0], proc.memory_info().rss)
    return {"kind": kind, "size": size, "parts": parts, "nodes": nodes, "edges": edges, "largest_part": largest,
            "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_rss_gib": round(peak[0] / 2**30, 3)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--part-nodes", type=int, default=50_000)
    ap.add_argument("--whole", action="store_true", help="also time generate(), the whole model")
    ap.add_argument("--child", choices=["parts", "whole"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.sizes[0], args.seed, args.part_nodes)))
        return
    print("kind   size       parts  nodes      edges      largest part  seconds  CPU s    peak RSS GiB")
    for size in args.sizes:
        for kind in ["parts", "whole"] if args.whole else ["parts"]:
            out = subprocess.run([sys.executable, __file__, "--child", kind, "--sizes", str(size), "--seed",
                                  str(args.seed), "--part-nodes", str(args.part_nodes)],
                                 check=True, capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{kind:6} {size:<10} {r['parts']:<6} {r['nodes']:<10} {r['edges']:<10} {r['largest_part']:<13} "
                  f"{r['seconds']:<8} {r['cpu_seconds']:<8} {r['peak_rss_gib']}", flush=True)


if __name__ == "__main__":
    main()
