"""How fast `ecokg viz` (the default views) and `ecokg analyze` run on a synthetic ecosystem of growing
size (issue 13: viz <= 10 s, analyze <= 30 s at 100,000 entities, each growing no faster than the data).

Run: python bench/bench_views.py [--sizes 10000 100000] [--reps 2] [--seed 7] [--no-stages]

For each size it uses the built folder ``/tmp/ecokg-bench-<size>-s<seed>`` (made with
``bench/generate.py`` when missing), then runs, as processes, ``ecokg viz --out DIR --dir TMP`` and
``ecokg analyze --out DIR``:

- cold: the graph's shape (the skeleton, :mod:`ecokg.graph.skeleton`) is not kept beside the store
  yet, so the command reads it from the store (as the first run after a build does) and keeps it;
- warm: it is kept (every later run).

Each is repeated ``--reps`` times (the machine has 2 cores and other jobs: the range is printed). Then
it prints the goal, the ratio to it, and the growth from the first size to the last beside the growth
of the data; and, in-process, the seconds of each stage (reading the skeleton from the store, loading
the kept one, each view, betweenness, communities). A skeleton the bench made is removed at the end,
so the folders are left as they were found. The views go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

GOALS = {"viz": 10.0, "analyze": 30.0}
ECOKG = Path(sys.executable).with_name("ecokg")


def folder(size: int, seed: int) -> Path:
    """The built folder of ``size`` entities (generated when missing)."""
    out = Path(f"/tmp/ecokg-bench-{size}-s{seed}")
    if (out / "current").exists():
        return out
    import generate

    print(f"  generating {size} entities into {out}", flush=True)
    kg = generate.generate(size, seed)
    generate.write(kg, out, shacl=size <= 20_000, dump=False)
    (out / "bench-samples.json").write_text(json.dumps(generate.sample_args(kg), ensure_ascii=False), encoding="utf-8")
    return out


def kept_skeleton(out: Path) -> Path:
    from ecokg.graph.skeleton import SKELETON_FILE

    return (out / "current").resolve() / SKELETON_FILE


def run(args: list[str]) -> float:
    """Seconds of one ``ecokg`` process (it must succeed)."""
    t = time.perf_counter()
    done = subprocess.run([str(ECOKG), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"ecokg {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - t


def processes(out: Path, reps: int) -> dict[str, dict[str, list[float]]]:
    """Cold and warm seconds of `ecokg viz` and `ecokg analyze`, ``reps`` times each."""
    skeleton = kept_skeleton(out)
    times: dict[str, dict[str, list[float]]] = {c: {"cold": [], "warm": []} for c in GOALS}
    with tempfile.TemporaryDirectory(prefix="ecokg-bench-views-") as views:
        commands = {"viz": ["viz", "--out", str(out), "--dir", views], "analyze": ["analyze", "--out", str(out)]}
        for _ in range(reps):
            for name, args in commands.items():
                skeleton.unlink(missing_ok=True)
                times[name]["cold"].append(run(args))
                times[name]["warm"].append(run(args))
    return times


_STAGES = r"""
import json, sys, tempfile, time
from pathlib import Path
import ecokg
from ecokg.graph.analytics import analyze_store
from ecokg.graph.skeleton import kept_path, load, read_skeleton
from ecokg.views import DEFAULT_VIEWS, ViewGraphs, write_view

out = sys.argv[1]
stages = {}
with ecokg.open(out) as kg:
    t = time.perf_counter(); sk = read_skeleton(kg.store); stages["viz: skeleton read from the store"] = time.perf_counter() - t
    stages["skeleton: entities, links"] = f"{len(sk):,}, {sk.edge_count:,}"
    t = time.perf_counter(); kept = load(kept_path(kg.store)); stages["viz: skeleton loaded (kept)"] = time.perf_counter() - t
    graphs = ViewGraphs.of_store(kg.store)
    graphs.__dict__["skeleton"] = kept or sk
    with tempfile.TemporaryDirectory() as views:
        for kind in DEFAULT_VIEWS:
            t = time.perf_counter()
            r = write_view(kind, graphs, Path(views))
            stages[f"viz: {kind} ({r.nodes_drawn:,} of {r.total_nodes:,} {r.units[0]})"] = time.perf_counter() - t
    timings = {}
    result = analyze_store(kg.store, timings=timings)
    for k, v in timings.items():
        stages[f"analyze: {k}"] = v
    stages["analyze: betweenness k"] = result["centrality"]["k"]
    stages["analyze: communities method"] = result["communities"]["method"]
print(json.dumps(stages))
"""


def stages(out: Path) -> dict[str, Any]:
    """The seconds of each stage, in one process (the kept skeleton is there: made by the runs)."""
    done = subprocess.run([sys.executable, "-c", _STAGES, str(out)], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def span(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:5.1f}" if high - low < 0.05 else f"{low:5.1f}-{high:.1f}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--reps", type=int, default=2, help="runs of each command (cold and warm) per size")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-stages", action="store_true", help="skip the in-process stage timings")
    args = ap.parse_args(argv)
    print(f"ecokg viz (default views) and ecokg analyze as processes; {os.cpu_count()} cores; "
          f"load {os.getloadavg()[0]:.1f} at start", flush=True)
    results: dict[int, dict[str, dict[str, list[float]]]] = {}
    detail: dict[int, dict[str, Any]] = {}
    for size in args.sizes:
        out = folder(size, args.seed)
        had = kept_skeleton(out).exists()
        try:
            print(f"\n{size:,} entities ({out})", flush=True)
            results[size] = processes(out, args.reps)
            for name, goal in GOALS.items():
                cold, warm = results[size][name]["cold"], results[size][name]["warm"]
                print(f"  {name:8s} cold {span(cold)} s   warm {span(warm)} s   goal {goal:4.0f} s   "
                      f"warm/goal {min(warm) / goal:.2f}-{max(warm) / goal:.2f}   cold/goal "
                      f"{min(cold) / goal:.2f}-{max(cold) / goal:.2f}", flush=True)
            if not args.no_stages:
                detail[size] = stages(out)
                for k, v in detail[size].items():
                    print(f"    {k:58s} {v:7.2f}" if isinstance(v, float) else f"    {k:58s} {v}", flush=True)
        finally:
            if not had:
                kept_skeleton(out).unlink(missing_ok=True)  # leave the folder as it was found
    if len(args.sizes) > 1:
        first, last = args.sizes[0], args.sizes[-1]
        print(f"\ngrowth {first:,} -> {last:,} entities (data x{last / first:.0f}):", flush=True)
        for name in GOALS:
            for mode in ("cold", "warm"):
                a = sum(results[first][name][mode]) / len(results[first][name][mode])
                b = sum(results[last][name][mode]) / len(results[last][name][mode])
                verdict = "no faster than the data" if b / a <= last / first else "FASTER than the data"
                print(f"  {name:8s} {mode}: {a:.1f} s -> {b:.1f} s, x{b / a:.1f} ({verdict})", flush=True)
    print(f"\nload {os.getloadavg()[0]:.1f} at the end", flush=True)


if __name__ == "__main__":
    main()
