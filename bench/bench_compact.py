"""The memory of a whole graph as a ``KnowledgeGraph`` and as a ``CompactGraph``, and what reading
it costs (issue 13: a build of 1M entities under 4 GiB).

Run: python bench/bench_compact.py [--entities 100000] [--seed 7] [--part 50000] [--no-compute]

Each measure runs in a fresh child process, so that its RSS is its own (both over the RSS of
the same imports alone, the baseline, which is not counted):

* **model**: ``bench/generate.py`` makes the synthetic graph: RSS with the model held. The model
  is then written to a file in parts of ``--part`` nodes and ``--part`` edges (pickled, one after
  the other), what a generator yielding the graph in parts would yield;
* **compact**: the parts read back one at a time and each added to a ``CompactGraph``, then
  dropped (the way a build adds the parts a generator yields): RSS after the last part, and the
  peak while adding.

Each also times ``materialise.compute`` (the build's computed answers) on its graph (with the peak
RSS by its end: the answers make nodes as they read them), and the
cost of one ``nodes.get`` (the call the answers make most), one ``out_edges`` (listed) and one
``edges.get``, over sampled keys: in CPU time (``time.process_time``), which other work on a
shared host moves less than the wall clock.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GiB = 1 << 30


def rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def parts(kg: Any, size: int) -> Any:
    """``kg`` in parts of ``size`` nodes and ``size`` edges (the parts contract of
    :mod:`ecokg.graph.compact`), sharing the model's objects."""
    from ecokg.graph.model import KnowledgeGraph

    nodes, edges = list(kg.nodes.values()), list(kg.edges.values())
    for at in range(0, max(len(nodes), len(edges), 1), size):
        part = KnowledgeGraph(kg.schema)
        part.nodes = {n.id: n for n in nodes[at:at + size]}
        part.edges = {(e.source, e.prop, e.target): e for e in edges[at:at + size]}
        part.review = kg.review if at == 0 else []
        yield part


def access(g: Any, rounds: int = 200_000) -> dict[str, float]:
    """CPU microseconds per ``nodes.get``, ``out_edges`` (listed) and ``edges.get`` over sampled keys."""
    rnd = random.Random(1)
    ids = rnd.sample(list(g.nodes), min(rounds, len(g.nodes)))
    keys = rnd.sample(list(g.edges), min(rounds, len(g.edges)))
    out = {}
    get = g.nodes.get
    t0 = time.process_time()
    for i in ids:
        get(i)
    out["nodes.get"] = (time.process_time() - t0) / len(ids) * 1e6
    t0 = time.process_time()
    for i in ids:
        list(g.out_edges(i))
    out["out_edges"] = (time.process_time() - t0) / len(ids) * 1e6
    eget = g.edges.get
    t0 = time.process_time()
    for k in keys:
        eget(k)
    out["edges.get"] = (time.process_time() - t0) / len(keys) * 1e6
    return out


def child(kind: str, entities: int, seed: int, part: int, file: Path, compute: bool = True) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    import generate

    from ecokg.graph.compact import CompactGraph
    from ecokg.graph.model import KnowledgeGraph
    from ecokg.graph.questions import materialise
    from ecokg.ontology.schema import get_schema

    get_schema()  # the ontology, read once per process: part of the baseline, not of a graph
    gc.collect()
    base = rss()
    out: dict[str, Any] = {"baseline": base}
    g: Any
    if kind == "model":
        g = generate.generate(entities, seed)
        gc.collect()
        out["rss"] = rss() - base
        out["size"] = {"nodes": len(g.nodes), "edges": len(g.edges), "evidence": len(g.all_evidence())}
        with file.open("wb") as f:
            for p in parts(g, part):
                pickle.dump((list(p.nodes.values()), list(p.edges.values()), p.review), f,
                            protocol=pickle.HIGHEST_PROTOCOL)
    else:
        t0 = time.process_time()
        g = CompactGraph()
        with file.open("rb") as f:
            while True:
                try:
                    nodes, edges, review = pickle.load(f)
                except EOFError:
                    break
                p = KnowledgeGraph(g.schema)
                p.nodes = {n.id: n for n in nodes}
                p.edges = {(e.source, e.prop, e.target): e for e in edges}
                p.review = review
                g.add(p)
                del nodes, edges, review, p
        g._finalise()
        out["build_s"] = time.process_time() - t0
        gc.collect()
        out["rss"] = rss() - base
        out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
    if not compute:
        return out
    t0 = time.process_time()
    materialise.compute(g)
    out["compute_s"] = time.process_time() - t0
    out["compute_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
    out["access_us"] = access(g)
    return out


def run(kind: str, args: argparse.Namespace, file: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, "--entities", str(args.entities), "--seed", str(args.seed),
           "--part", str(args.part), "--file", str(file), *(["--no-compute"] if args.no_compute else [])]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--part", type=int, default=50_000, help="nodes (and edges) per part")
    ap.add_argument("--child", choices=["model", "compact"])
    ap.add_argument("--file", type=Path)
    ap.add_argument("--no-compute", action="store_true", help="memory only (no timing of the answers and accesses)")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.entities, args.seed, args.part, args.file, not args.no_compute)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "parts.pickle"
        model = run("model", args, file)
        compact = run("compact", args, file)
    size = model["size"]
    print(f"{args.entities:,} entities: {size['nodes']:,} nodes, {size['edges']:,} edges, "
          f"{size['evidence']:,} pieces of evidence (baseline RSS {model['baseline'] / GiB:.2f} GiB, not counted)")
    print(f"  KnowledgeGraph  {model['rss'] / GiB:6.3f} GiB")
    print(f"  CompactGraph    {compact['rss'] / GiB:6.3f} GiB  ({compact['rss'] / model['rss']:.0%} of the model; "
          f"peak {compact['peak'] / GiB:.3f} GiB while adding parts of {args.part:,} in {compact['build_s']:.1f} s)")
    if args.no_compute:
        return
    print(f"  materialise.compute   CPU: model {model['compute_s']:.2f} s, compact {compact['compute_s']:.2f} s "
          f"({compact['compute_s'] / model['compute_s']:.2f}x); peak RSS by then: model "
          f"{model['compute_peak'] / GiB:.3f} GiB, compact {compact['compute_peak'] / GiB:.3f} GiB")
    for op in model["access_us"]:
        print(f"  {op:<12} model {model['access_us'][op]:6.2f} us, compact {compact['access_us'][op]:6.2f} us")


if __name__ == "__main__":
    main()
