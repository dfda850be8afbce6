"""The rows file of ``ecokg load neo4j``: ``plan`` + ``save`` against ``write_rows`` (issue 13).

Run: python bench/bench_rows.py [--sizes 10000 100000] [--pairs 2] [--work DIR]

For each size and pair, each way runs in a fresh process (alternating which goes first): it makes the
synthetic graph of ``bench/generate.py`` (``generate(N, seed=7)``, the same model every time), collects
garbage, takes the RSS as the model's, then writes ``WORK/<size>-<way>.jsonl`` while a thread samples
the RSS (``psutil``) every 20 ms. Prints the seconds of the write and its peak RSS above the model,
then write_rows / plan+save for both (goals at 100k: added peak <= 1/3, time <= 1.3), and checks the
two files are the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

WAYS = ("plan+save", "write_rows")
GIB = 1024 ** 3


def child(way: str, size: int, out: Path) -> dict[str, Any]:
    """One write of ``way`` in this process, measured above the model."""
    import gc

    import psutil

    import generate
    from ecokg.graph.stores import neo4j_write

    kg = generate.generate(size, seed=7)
    gc.collect()
    proc = psutil.Process()
    base = proc.memory_info().rss
    peak = base
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, proc.memory_info().rss)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t = time.perf_counter()
    if way == "plan+save":
        neo4j_write.save(neo4j_write.plan(kg), out)
    else:
        neo4j_write.write_rows(kg, out)
    seconds = time.perf_counter() - t
    done.set()
    sampler.join()
    peak = max(peak, proc.memory_info().rss)
    digest = hashlib.blake2b(out.read_bytes(), digest_size=16).hexdigest()
    return {"seconds": seconds, "model_gib": base / GIB, "added_gib": (peak - base) / GIB, "digest": digest,
            "bytes": out.stat().st_size, "nodes": len(kg.nodes), "edges": len(kg.edges)}


def run(way: str, size: int, work: Path) -> dict[str, Any]:
    out = work / f"{size}-{way.replace('+', '-')}.jsonl"
    proc = subprocess.run([sys.executable, __file__, "--child", way, str(size), str(out)],
                          check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out.unlink()
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--pairs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=None, help="where the files are written (default: a temp dir)")
    ap.add_argument("--child", nargs=3, metavar=("WAY", "SIZE", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        way, size, out = args.child
        print(json.dumps(child(way, int(size), Path(out))))
        return
    with tempfile.TemporaryDirectory(prefix="ecokg-bench-rows-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            results: dict[str, list[dict[str, Any]]] = {w: [] for w in WAYS}
            for i in range(args.pairs):
                for way in (WAYS if i % 2 == 0 else WAYS[::-1]):
                    r = run(way, size, work)
                    results[way].append(r)
                    print(f"  {size:>7} pair {i + 1} {way:10}: {r['seconds']:6.2f} s, +{r['added_gib']:.3f} GiB "
                          f"above the model ({r['model_gib']:.2f} GiB; {r['nodes']:,} nodes, {r['edges']:,} edges, "
                          f"{r['bytes']:,} bytes)", flush=True)
            digests = {r["digest"] for rs in results.values() for r in rs}
            assert len(digests) == 1, f"the files differ: {digests}"
            med = {w: (statistics.median(r["seconds"] for r in rs), statistics.median(r["added_gib"] for r in rs))
                   for w, rs in results.items()}
            (ts, ms), (tw, mw) = med["plan+save"], med["write_rows"]
            print(f"{size:>7}: plan+save {ts:.2f} s +{ms:.3f} GiB; write_rows {tw:.2f} s +{mw:.3f} GiB; "
                  f"time {tw / ts:.2f}x, added peak {mw / ms:.2f}x (medians; same bytes)", flush=True)


if __name__ == "__main__":
    main()
