"""How long a build of the sample with the shipped public sources takes, and how it grows.

Run: python bench/bench_build.py [--months 0 12 36]

Prints, for each set of sources, the wall time of each stage of ``ecokg build`` (reading and
resolving, curated knowledge, SHACL, the embedded store and the three serialisations) and the
graph's size. Beyond the shipped sources it adds synthetic SuperCLUE months: copies of the
shipped boards under later dates (2024-01, 2024-02, ...; the same models and scores), so the
growth with the number of leaderboard months is measured on real-shaped input.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ecokg.build import build
from ecokg.loaders import default_sources, shipped_sources


def months(n: int, folder: Path) -> list[tuple[str, Path]]:
    """``n`` synthetic SuperCLUE month files in ``folder``, cycling through the shipped ones."""
    boards = [p for k, p in shipped_sources() if k == "superclue"]
    out = []
    for i in range(n):
        year, month = 2024 + i // 12, 1 + i % 12
        text = boards[i % len(boards)].read_text(encoding="utf-8")
        text = re.sub(r"（\d{4}年\d{1,2}月）", f"（{year}年{month}月）", text)
        path = folder / f"superclue-{year}-{month:02d}.md"
        path.write_text(text, encoding="utf-8")
        out.append(("superclue", path))
    return out


def run(label: str, sources: list[tuple[str, Path]], out: Path) -> None:
    stages: list[tuple[str, float]] = []
    last = [time.perf_counter()]

    def step(message: str) -> None:
        now = time.perf_counter()
        if stages:
            stages[-1] = (stages[-1][0], now - last[0])
        stages.append((message, 0.0))
        last[0] = now

    t0 = time.perf_counter()
    result = build(sources, out, step=step)
    total = time.perf_counter() - t0
    if stages:
        stages[-1] = (stages[-1][0], time.perf_counter() - last[0])
    reading = sum(t for m, t in stages if m.startswith("reading"))
    other = {m.split(" ")[0]: t for m, t in stages if not m.startswith("reading")}
    print(f"{label:38s} {total:6.2f} s  (read {reading:5.2f}, curated {other.get('adding', 0):5.2f}, "
          f"SHACL {other.get('validating', 0):5.2f}, store {other.get('loading', 0):5.2f}, "
          f"files {other.get('writing', 0):5.2f})  {len(result.kg.nodes):6d} nodes {result.triples:7d} triples")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--months", type=int, nargs="*", default=[12, 36], help="synthetic months to add")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ecokg-bench-build-"))
    try:
        base = default_sources()
        run("the Blue Book sample only", base[:1], tmp / "a")
        run("sample + shipped sources (default)", base, tmp / "b")
        for n in args.months:
            run(f"default + {n} synthetic SuperCLUE months", base + months(n, tmp), tmp / f"m{n}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
