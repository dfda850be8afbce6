"""Count and list the list reader's wrong entries on development lists, never the benchmark's.

Run: python bench/dev_errors.py [--show N] [--jobs 2] [--set weight=value ...] [--pools ...] [--by-seed]
(half a minute on two cores for the two development pools)

Two pools, as every change to the reader is measured (docs/parser.md): tests/listgen_dev.py's
organisations (seeds 501-506) and the benchmark's organisations with seeds it does not use
(731-734); layouts space, run, wrapped, dun and lines; 33 and 150 entries. Two more for how far the
review flags' figures move from one set of seeds to another, never for tuning (``--pools``): the
benchmark's organisations on held-out seeds 740-755, and on the benchmark's own seeds 1-4, each in
the layouts space, dun and lines. Prints, for each pool,
the entries read, the wrong ones (an entry is wrong when its person is not in the list or its
posts differ), how many the review flags and how many it flags in all, and with ``--show`` the
first wrong entries of the ``space`` and ``dun`` layouts beside the truth; with ``--by-seed`` the
flags' figures of each seed. ``--set`` reads with
other values of ``tokens.Weights`` (what a weight is worth is measured here, never on the
benchmark).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import listgen  # noqa: E402
import listgen_dev  # noqa: E402

from ecokg.loaders.lists import read_lists  # noqa: E402
from ecokg.loaders.lists.reader import _written  # noqa: E402
from ecokg.loaders.lists.tokens import Weights  # noqa: E402

LAYOUTS = ("space", "run", "wrapped", "dun", "lines")
FEW = ("space", "dun", "lines")
#: name -> (generator, seeds, layouts)
POOLS = {"development": (listgen_dev.generate, range(501, 507), LAYOUTS),
         "benchmark orgs, other seeds": (listgen.generate, range(731, 735), LAYOUTS),
         "held out": (listgen.generate, range(740, 756), FEW),
         "benchmark seeds": (listgen.generate, range(1, 5), FEW)}
DEFAULT_POOLS = ("development", "benchmark orgs, other seeds")


def _show(e: Any) -> str:
    """An entry read or generated, written as a flag writes a reading (原 before a former title)."""
    if e is None:
        return "-"
    return _written((e.name, tuple((p.org, p.title, p.former) for p in e.posts), (), ())) or "-"


def one(job: tuple[str, int, int, str, dict[str, float]]) -> tuple[str, str, int, int, int, int, list[str], int]:
    pool, seed, size, kind, changes = job
    text, entries = POOLS[pool][0](size, seed * 1000 + size, kind)
    got = read_lists([(text, 0)], weights=dataclasses.replace(Weights(), **changes))[0]
    bad = listgen.wrong_entries(got, entries)
    by_name = {e.name: e for e in entries}
    lines = [f"{e.p_wrong:.2f} {_show(e)}   truth {_show(by_name.get(e.name))}" for e, b in zip(got, bad) if b]
    return (pool, kind, len(got), sum(bad), sum(b and bool(e.flags) for e, b in zip(got, bad)),
            sum(bool(e.flags) for e in got), lines, seed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=0, help="print up to N wrong entries of each pool")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--set", nargs="*", default=[], metavar="WEIGHT=VALUE", help="read with other weights")
    ap.add_argument("--pools", nargs="*", default=list(DEFAULT_POOLS), choices=list(POOLS), metavar="POOL",
                    help=f"which pools to read (default: the two development pools; all: {', '.join(POOLS)})")
    ap.add_argument("--by-seed", action="store_true", help="print the flags' figures of each seed too")
    args = ap.parse_args()
    changes = {k: float(v) for k, v in (x.split("=", 1) for x in args.set)}
    jobs = [(pool, seed, size, kind, changes) for pool in args.pools for seed in POOLS[pool][1]
            for size in listgen_dev.SIZES for kind in POOLS[pool][2]]
    with ProcessPoolExecutor(args.jobs) as ex:
        results = list(ex.map(one, jobs))
    for pool in args.pools:
        rows = [r for r in results if r[0] == pool]
        print(f"{pool:28s} {_figures(rows)}")
        if args.by_seed:
            for seed in POOLS[pool][1]:
                print(f"  seed {seed:<22d} {_figures([r for r in rows if r[7] == seed])}")
        if args.show:
            shown = [line for r in rows if r[1] in ("space", "dun") for line in (f"  [{r[1]}] {x}" for x in r[6])]
            print("\n".join(shown[:args.show]))


def _figures(rows: list[tuple[str, str, int, int, int, int, list[str], int]]) -> str:
    n, wrong, caught, flagged = (sum(r[i] for r in rows) for i in (2, 3, 4, 5))  # type: ignore[misc]
    return (f"entries {n:5d}  wrong {wrong:4d}  flags: {caught}/{flagged} of the flagged are wrong "
            f"(precision {caught / max(1, flagged):.3f}, recall {caught / max(1, wrong):.3f})")


if __name__ == "__main__":
    main()
