"""How ``ecokg build`` writes a large graph, beside a pyoxigraph ceiling (issue 13).

Run: python bench/bench_build_scale.py [--sizes 10000 100000] [--pairs 2] [--seed 7]
     python bench/bench_build_scale.py --sizes 1000000 --kinds stream --pairs 1

For each size, ``bench/generate.py`` makes the synthetic model (not timed: it stands for the
sources a build reads). Then, alternating, each in a fresh child process (so that its peak RSS is
its own) and a fresh folder:

* **ceiling**: the model's triples (converted to pyoxigraph quads before the clock starts)
  bulk-loaded into a new on-disk pyoxigraph store and dumped from it with the store's own
  ``dump`` (the fastest way pyoxigraph has) to Turtle, N-Triples and JSON-LD with the build's
  prefixes (the same files), one after the other, nothing else;
* **write**: ``ecokg.build.write_generation`` as ``ecokg build`` runs it: the same store and files (its N-Triples written as text in Python, the file the store bulk-loads; Turtle and JSON-LD dumped),
  plus what a build publishes beside them (the name index, the skeleton, the answers of the
  whole-graph aggregations, the ontology, the rows of ``ecokg load neo4j``), with each stage timed;
* **stream** (``--kinds stream``): what ``bench/generate.py`` does from 200,000 entities: the graph made
  in parts (``generate_parts``) straight into a :class:`~ecokg.graph.compact.CompactGraph` (timed:
  there is no model to make first), then the same ``write_generation``, which frees the compact graph
  (``release``) before the store loads; its peak RSS is the figure of issue 13's "1M entities built
  under 4 GiB".

Prints the seconds of each, the ratio ceiling / write (goal >= 0.8 at 100k), the stages of the
write, and the peak RSS of both. Reading and validating the sources are not in either
(``bench/bench_build.py`` times those on the real sources).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(kind: str, size: int, seed: int, folder: Path) -> dict[str, object]:
    """Runs in the child process: generate, then time ``kind``."""
    sys.path.insert(0, str(HERE))
    import generate
    import pyoxigraph as ox

    from ecokg.graph.rdf import to_triples
    from ecokg.ontology import PREFIXES

    stages: dict[str, float] = {}
    if kind == "stream":
        from ecokg.build import write_generation
        from ecokg.graph.compact import CompactGraph

        marks: list[tuple[str, float]] = []
        t0 = time.perf_counter()
        compact = CompactGraph.from_parts(generate.generate_parts(size, seed))
        marks.append(("graph in parts into the compact graph", t0))
        triples_n, _ = write_generation(compact, folder, lambda msg: marks.append((msg, time.perf_counter())),
                                        release=compact.clear)
        total = time.perf_counter() - t0
        marks.append(("end", time.perf_counter()))
        stages = {marks[i][0]: marks[i + 1][1] - marks[i][1] for i in range(len(marks) - 1)}
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # KiB -> GiB
        return {"seconds": total, "stages": stages, "triples": triples_n, "peak_rss_gib": rss}
    kg = generate.generate(size, seed)
    if kind == "ceiling":
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in to_triples(kg)]
        t0 = time.perf_counter()
        store = ox.Store(str(folder / "store"))
        store.bulk_extend(quads)
        stages["load"] = time.perf_counter() - t0
        for ext, fmt in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD)):
            t1 = time.perf_counter()
            kw = {"prefixes": PREFIXES} if fmt != ox.RdfFormat.N_TRIPLES else {}  # the same files as a build
            store.dump(str(folder / f"ecokg.{ext}"), fmt, from_graph=ox.DefaultGraph(), **kw)
            stages[ext] = time.perf_counter() - t1
        total = time.perf_counter() - t0
        triples_n = len(quads)
    else:
        from ecokg.build import write_generation

        marks: list[tuple[str, float]] = []
        t0 = time.perf_counter()
        triples_n, _ = write_generation(kg, folder, lambda msg: marks.append((msg, time.perf_counter())))
        total = time.perf_counter() - t0
        marks.append(("end", time.perf_counter()))
        stages = {marks[i][0]: marks[i + 1][1] - marks[i][1] for i in range(len(marks) - 1)}
        stages["before the first step"] = marks[0][1] - t0 if marks else 0.0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # KiB -> GiB
    return {"seconds": total, "stages": stages, "triples": triples_n, "peak_rss_gib": rss}


def run(kind: str, size: int, seed: int) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix=f"ecokg-bench-build-{kind}-"))
    try:
        out = subprocess.run([sys.executable, __file__, "--child", kind, "--sizes", str(size), "--seed", str(seed),
                              "--folder", str(folder)], check=True, capture_output=True, text=True)
        result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--pairs", type=int, default=2, help="alternating rounds of --kinds per size")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--kinds", nargs="+", choices=("ceiling", "write", "stream"), default=["ceiling", "write"],
                    help="what to run in each round (default: ceiling and write, alternating)")
    ap.add_argument("--child", choices=("ceiling", "write", "stream"), help=argparse.SUPPRESS)
    ap.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.sizes[0], args.seed, args.folder)))
        return
    totals: dict[int, float] = {}
    for size in args.sizes:
        print(f"== {size:,} entities ({args.pairs} alternating rounds of {', '.join(args.kinds)}, each in its own "
              "process)", flush=True)
        ratios, writes = [], []
        for i in range(args.pairs):
            got = {kind: run(kind, size, args.seed) for kind in args.kinds}
            for kind, r in got.items():
                stages = r["stages"]
                assert isinstance(stages, dict)
                print(f"  round {i + 1}, {kind}: {r['seconds']:.1f} s, peak RSS {r['peak_rss_gib']:.2f} GiB, "
                      f"{r['triples']:,} triples", flush=True)
                print(f"    {kind} stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()), flush=True)
            built = got.get("write") or got.get("stream")
            if built is not None:
                writes.append(float(built["seconds"]))  # type: ignore[arg-type]
            if "ceiling" in got and built is not None:
                ratio = float(got["ceiling"]["seconds"]) / float(built["seconds"])  # type: ignore[arg-type]
                ratios.append(ratio)
                print(f"  round {i + 1}: ceiling/write {ratio:.2f}", flush=True)
        if writes:
            totals[size] = statistics.median(writes)
        if ratios:
            print(f"  ceiling/write median {statistics.median(ratios):.2f} (goal >= 0.8 at 100k)", flush=True)
    sizes = sorted(totals)
    for a, b in zip(sizes, sizes[1:]):
        print(f"growth {a:,} -> {b:,}: write x{totals[b] / totals[a]:.1f} for x{b / a:.0f} the entities")


if __name__ == "__main__":
    main()
