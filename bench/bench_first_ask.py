"""What the first question of a process costs: its latency and the memory it leaves resident,
each in a fresh process (the saved answers, the name index and the like are read on first use).

Run: python bench/bench_first_ask.py --out /tmp/q100k [--reps 7] [--ask "bridges" "people-of 机构763" ...]

``--out`` is a built folder (``python bench/generate.py --entities 100000 --out /tmp/q100k
--no-shacl --no-dump``; the default questions are its sample arguments). For each question, each
rep runs two processes: one that opens the graph and asks it (``first`` ms, then the same ask
again, warm, ``again`` ms; ``rss`` MB after the first ask, ``added`` MB by it), and one that only
reads the saved answers the question uses from the store (``answers`` ms, ``held`` MB: what
``GraphStore.materialised()`` costs it). Prints the medians. The child processes run this Python
with this environment: put an older checkout first on ``PYTHONPATH`` to time its code.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

DEFAULT_ASKS = ["people-of 机构763", "bridges", "investors-of Trend:趋势10", "developer-ties 机构1000"]
#: The saved answers a question reads: its own, and those of the questions it asks in turn.
USES = {"investors-of": ["investors-of"], "leaderboard": ["leaderboard", "latest-month"]}

_RSS = """
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
"""
ASK = _RSS + """
import json, sys, time
import ecokg
kg = ecokg.open(sys.argv[1])
name, args = sys.argv[2], sys.argv[3:]
before = rss()
t = time.perf_counter(); kg.ask(name, *args); first = time.perf_counter() - t
after = rss()
t = time.perf_counter(); kg.ask(name, *args); again = time.perf_counter() - t
print(json.dumps({"first": first * 1000, "again": again * 1000, "rss": after, "added": after - before}))
"""
ANSWERS = _RSS + """
import json, sys, time
from pathlib import Path
from ecokg.graph.stores.oxigraph import RdfStore
store = RdfStore.open(Path(sys.argv[1]))
before = rss()
t = time.perf_counter()
saved = store.materialised()
found = [saved.get(n) is not None for n in sys.argv[2:]]
took = time.perf_counter() - t
print(json.dumps({"answers": took * 1000, "held": rss() - before, "found": found}))
"""


def child(code: str, *argv: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="a built folder")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--ask", nargs="+", default=DEFAULT_ASKS, help='questions with arguments: "NAME ARG ..."')
    args = ap.parse_args(argv)
    runs: dict[str, list[dict[str, Any]]] = {spec: [] for spec in args.ask}
    for _ in range(args.reps):
        for spec in args.ask:
            name, *params = spec.split()
            run = child(ASK, str(args.out), name, *params)
            run.update(child(ANSWERS, str(args.out), *USES.get(name, [name])))
            runs[spec].append(run)
    print(f"{'question':32} {'first ms':>9} {'again ms':>9} {'rss MB':>7} {'added MB':>9} {'answers ms':>11} {'held MB':>8}")
    for spec, rs in runs.items():
        med = {k: statistics.median(r[k] for r in rs) for k in ("first", "again", "rss", "added", "answers", "held")}
        print(f"{spec:32} {med['first']:9.1f} {med['again']:9.1f} {med['rss']:7.0f} {med['added']:9.0f} "
              f"{med['answers']:11.1f} {med['held']:8.1f}")


if __name__ == "__main__":
    main()
