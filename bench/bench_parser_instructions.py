"""How many instructions one reading of generated entries takes: a figure the host's speed does not move.

Run: python bench/bench_parser_instructions.py [--entries 1000]   (needs valgrind; a few minutes)

The CPU seconds ``bench_parser.py`` prints move with the host (by a third within minutes on the
shared machine of 2026-11-27). This runs, under valgrind's cachegrind without its cache simulation,
a process that reads ``--entries`` generated entries (``tests/listgen.py``, seed 99, mixed layout, as
``bench_parser.py``'s 10,000) once and one that reads them twice, and prints the difference: the
instructions of one reading (a warm one: the reader's small caches are filled by the first).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys
sys.path.insert(0, {tests!r})
import listgen
from ecokg.loaders.lists import read_lists
from ecokg.loaders.lists.words import dictionary
dictionary()
text, _ = listgen.generate({entries}, 99, "mixed")
for _ in range({times}):
    read_lists([(text, 0)])
"""


def instructions(entries: int, times: int) -> int:
    code = CHILD.format(tests=str(ROOT / "tests"), entries=entries, times=times)
    out = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                          sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if not found:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=1000)
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    once = instructions(args.entries, 1)
    twice = instructions(args.entries, 2)
    per = twice - once
    print(f"one reading of {args.entries:,} generated entries: {per / 1e6:,.0f} M instructions "
          f"({per / args.entries / 1e6:.2f} M an entry)")


if __name__ == "__main__":
    main()
