"""Kill ``ecokg build`` at random moments and check that the graph in OUT is always whole.

Run: python bench/crash_build.py [--runs 20] [--seed N] [--full] [--json]

Each run starts ``ecokg build --out OUT`` as a subprocess and SIGKILLs it: at a random time
spread over the measured build duration, while it writes the store (once its staging folder
appears), or as it switches generations (once the new generation folder has its final name). Runs
alternate between two sets of sources of different sizes, so the old and the new graph differ.
After each kill the graph must open (``ecokg.open(OUT)``), and its store, summary.json and
the top-level files must all belong to one generation: the old one or the new one, entirely.
At the end one more build must succeed and leave no staging folder and at most two
generations. Prints the seed, the kills, the unreadable and mixed graphs (both must be 0) and
the time. By default the builds read the bundled sample only, without SHACL (about 2 s each);
``--full`` builds the default sources with SHACL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import ecokg
from ecokg.generations import LINKED
from ecokg.graph.stores.oxigraph import GENERATIONS, RdfStore, generation_id, store_path
from ecokg.loaders import sample_deals_path, sample_path

ECOKG = [sys.executable, "-P", "-c", "from ecokg.cli import cli; cli()"]  # -P: the installed package, not the source tree
MODES = ("random", "store", "switch")


def command(out: Path, variant: int, full: bool) -> list[str]:
    """The build of run ``variant`` (even: the sample; odd: the sample and the sample deals)."""
    cmd = [*ECOKG, "build", "--out", str(out), "--json"]
    if not full:
        cmd += ["--no-shacl", "--source", str(sample_path())]
    if variant % 2:
        cmd += ["--deals", str(sample_deals_path())]
    return cmd


def run_build(out: Path, variant: int, full: bool) -> float:
    """One whole build; its wall time. Raises if it fails."""
    t = time.perf_counter()
    done = subprocess.run(command(out, variant, full), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the build failed ({done.returncode}): {done.stderr.strip()}")
    return time.perf_counter() - t


def _generations(out: Path) -> set[str]:
    folder = out / GENERATIONS
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _staging(out: Path) -> bool:
    return any(name.startswith(".staging-") for name in _generations(out))


def _renamed(out: Path, known: set[str]) -> bool:
    """A new complete generation folder exists: the build is about to switch (or switching)."""
    return any(not name.startswith(".") and name not in known for name in _generations(out))


def kill_build(out: Path, variant: int, full: bool, mode: str, delay: float, rng: random.Random) -> str:
    """Start a build and SIGKILL it (``mode``: at ``delay`` s, during the store write, or at the
    switch); how it ended: ``killed`` or ``finished`` (it completed before the kill)."""
    known = _generations(out)
    proc = subprocess.Popen(command(out, variant, full), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.perf_counter()
    deadline = start + 120
    while proc.poll() is None and time.perf_counter() < deadline:
        if mode == "random" and time.perf_counter() - start >= delay:
            break
        if mode == "store" and _staging(out):
            time.sleep(rng.uniform(0, 0.3))
            break
        if mode == "switch" and _renamed(out, known):
            time.sleep(rng.uniform(0, 0.02))  # the switch, the links and the cleanup take a few ms
            break
        time.sleep(0.001)
    if proc.poll() is not None:
        return "finished"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return "killed"


def inspect(out: Path) -> dict[str, Any]:
    """Open the graph in ``out`` and say which generation each part of it belongs to."""
    gen = generation_id(out)
    try:
        with ecokg.open(out) as kg:
            store = kg.store
            if not isinstance(store, RdfStore):
                raise TypeError(f"not the embedded store: {store.describe()}")
            triples = len(store)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except Exception as e:  # noqa: BLE001 - any failure to open is what we count
        return {"readable": False, "error": f"{type(e).__name__}: {e}", "generation": gen}
    parts = {Path(os.path.realpath(out / name)).parent.name for name in LINKED}
    parts.add(store_path(out).parent.name)
    whole = (summary.get("triples") == triples and summary.get("generation") == gen and parts == {gen})
    return {"readable": True, "whole": whole, "generation": gen, "triples": triples,
            "summary_triples": summary.get("triples"), "parts": sorted(p for p in parts if p)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--full", action="store_true", help="default sources with SHACL (slower)")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: a new temporary one)")
    ap.add_argument("--duration", type=float, default=None,
                    help="seconds one build takes: with an OUT that already holds a graph, skips the first build")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    rng = random.Random(seed)
    out = args.out or Path(tempfile.mkdtemp(prefix="ecokg-crash-")) / "out"
    print(f"seed {seed}; OUT {out}", file=sys.stderr)
    t0 = time.perf_counter()
    reuse = args.duration is not None and generation_id(out) is not None
    duration = args.duration if reuse else run_build(out, 0, args.full)
    figures: dict[str, Any] = {"seed": seed, "runs": args.runs, "build_s": round(duration, 2), "killed": 0,
                               "finished": 0, "unreadable": 0, "mixed": 0, "old": 0, "new": 0, "modes": {},
                               "failures": []}
    for i in range(args.runs):
        mode = MODES[i % len(MODES)] if i < len(MODES) else rng.choice(MODES)
        delay = rng.uniform(0.0, duration * 1.1)
        before = generation_id(out)
        ended = kill_build(out, i + 1, args.full, mode, delay, rng)
        figures[ended] += 1
        figures["modes"][mode] = figures["modes"].get(mode, 0) + 1
        state = inspect(out)
        if not state["readable"]:
            figures["unreadable"] += 1
            figures["failures"].append({"run": i, "mode": mode, **state})
        elif not state["whole"]:
            figures["mixed"] += 1
            figures["failures"].append({"run": i, "mode": mode, **state})
        else:
            figures["old" if state["generation"] == before else "new"] += 1
        print(f"run {i:2d} {mode:6s} {ended:8s} -> "
              f"{'unreadable' if not state['readable'] else 'whole' if state['whole'] else 'MIXED'} "
              f"({'old' if state['generation'] == before else 'new'} generation)", file=sys.stderr)
    run_build(out, 0, args.full)
    gens = [p for p in (out / GENERATIONS).iterdir()]
    figures["after_rebuild"] = {"staging": sum(p.name.startswith(".") for p in gens),
                                "generations": len(gens), "whole": inspect(out).get("whole", False)}
    figures["seconds"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"seed {seed}: {figures['killed']} kills ({figures['finished']} builds finished first), "
              f"{figures['unreadable']} unreadable, {figures['mixed']} mixed; after a kill the graph was the old "
              f"generation {figures['old']} times, the new one {figures['new']} times; after the rebuild "
              f"{figures['after_rebuild']['staging']} staging folders, {figures['after_rebuild']['generations']} "
              f"generations; one build {figures['build_s']} s, all {figures['seconds']} s")
    return figures


if __name__ == "__main__":
    main()
