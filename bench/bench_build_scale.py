"""How ``ecokg build`` writes a large graph, beside a pyoxigraph ceiling (issue 13).

Run: python bench/bench_build_scale.py [--sizes 10000 100000] [--pairs 2] [--seed 7]

For each size, ``bench/generate.py`` makes the synthetic model (not timed: it stands for the
sources a build reads). Then, alternating, each in a fresh child process (so that its peak RSS is
its own) and a fresh folder:

* **ceiling**: the model's triples (converted to pyoxigraph quads before the clock starts)
  bulk-loaded into a new on-disk pyoxigraph store and dumped from it with the store's own
  ``dump`` (the fastest way pyoxigraph has) to Turtle, N-Triples and JSON-LD with the build's
  prefixes (the same files), one after the other, nothing else;
* **write**: ``ecokg.build.write_generation`` as ``ecokg build`` runs it: the same store and files (its N-Triples written as text in Python, the file the store bulk-loads; Turtle and JSON-LD dumped),
  plus what a build publishes beside them (the name index, the skeleton, the answers of the
  whole-graph aggregations, the ontology, the rows of ``ecokg load neo4j``), with each stage timed.

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

    kg = generate.generate(size, seed)
    stages: dict[str, float] = {}
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
    ap.add_argument("--pairs", type=int, default=2, help="alternating ceiling/write pairs per size")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--child", choices=("ceiling", "write"), help=argparse.SUPPRESS)
    ap.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.sizes[0], args.seed, args.folder)))
        return
    totals: dict[int, float] = {}
    for size in args.sizes:
        print(f"== {size:,} entities ({args.pairs} alternating pairs, each in its own process)", flush=True)
        ratios, writes = [], []
        for i in range(args.pairs):
            ceiling = run("ceiling", size, args.seed)
            write = run("write", size, args.seed)
            ratio = float(ceiling["seconds"]) / float(write["seconds"])  # type: ignore[arg-type]
            ratios.append(ratio)
            writes.append(float(write["seconds"]))  # type: ignore[arg-type]
            print(f"  pair {i + 1}: ceiling {ceiling['seconds']:.1f} s (peak RSS {ceiling['peak_rss_gib']:.2f} GiB), "
                  f"write {write['seconds']:.1f} s (peak RSS {write['peak_rss_gib']:.2f} GiB), "
                  f"ceiling/write {ratio:.2f}; {write['triples']:,} triples", flush=True)
            stages = write["stages"]
            assert isinstance(stages, dict)
            print("    write stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()), flush=True)
            cstages = ceiling["stages"]
            assert isinstance(cstages, dict)
            print("    ceiling stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in cstages.items()), flush=True)
        totals[size] = statistics.median(writes)
        print(f"  ceiling/write median {statistics.median(ratios):.2f} (goal >= 0.8 at 100k)", flush=True)
    sizes = sorted(totals)
    for a, b in zip(sizes, sizes[1:]):
        print(f"growth {a:,} -> {b:,}: write x{totals[b] / totals[a]:.1f} for x{b / a:.0f} the entities")


if __name__ == "__main__":
    main()
