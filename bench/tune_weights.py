"""Tune the list reader's name weights on development lists only (issue 9).

Run: python bench/tune_weights.py [--passes 2] [--params name_common_given,...]   (minutes)

A coordinate search over a few of ``tokens.Weights``: each weight in turn is tried at a few
multiples of its value and kept where the development lists read best (exact (person,
organisation, title, former) F1 plus people F1). The development lists come from
tests/listgen_dev.py's organisations and seeds, never from the benchmark's (bench/bench_parser.py
scores tests/listgen.py's organisations on seeds 1-4), and people from Faker's zh_CN given names
(the parser's own given-name characters come from jieba's dictionary). Prints each step and the
weights found; copying them into ``Weights`` is a separate, reviewed step.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import listgen  # noqa: E402
import listgen_dev  # noqa: E402

from ecokg.loaders.lists import read_lists  # noqa: E402
from ecokg.loaders.lists.tokens import Weights  # noqa: E402

DEFAULT = ("name_common_given", "name_uncommon_given", "name_given1", "name_rare_char", "name_given2")
LAYOUTS = ("space", "run", "wrapped", "dun", "lines")


def lists(seeds: range) -> list[tuple[str, list[listgen.Entry]]]:
    return [listgen_dev.generate(size, seed * 1000 + size, kind)
            for seed in seeds for size in listgen_dev.SIZES for kind in LAYOUTS]


def score(w: Weights, dev: list[tuple[str, list[listgen.Entry]]]) -> float:
    tp_p = found_p = exp_p = tp_t = found_t = exp_t = 0
    for text, entries in dev:
        got = read_lists([(text, 0)], weights=w)[0]
        people = {e.name for e in got if e.name}
        gold = {e.name for e in entries}
        tuples = {(e.name, p.org, p.title, p.former) for e in got for p in e.posts}
        truth = listgen.truth(entries)
        tp_p += len(people & gold)
        found_p += len(people)
        exp_p += len(gold)
        tp_t += len(tuples & truth)
        found_t += len(tuples)
        exp_t += len(truth)
    return 2 * tp_p / (found_p + exp_p) + 2 * tp_t / (found_t + exp_t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("--seeds", type=int, default=6, help="how many development seeds (from 501)")
    ap.add_argument("--params", default=",".join(DEFAULT))
    args = ap.parse_args()
    dev = lists(range(listgen_dev.SEEDS.start, listgen_dev.SEEDS.start + args.seeds))
    print(f"{len(dev)} development lists, {sum(len(e) for _, e in dev)} entries")
    w = Weights()
    best = score(w, dev)
    print(f"start {best:.4f}")
    for p in range(args.passes):
        for name in args.params.split(","):
            base = getattr(w, name)
            for value in sorted({round(base + d, 2) for d in (-1.0, -0.5, -0.25, 0.25, 0.5, 1.0)}):
                trial = dataclasses.replace(w, **{name: value})
                s = score(trial, dev)
                if s > best + 1e-4:
                    best, w = s, trial
                    print(f"  pass {p + 1}: {name} = {value}  -> {best:.4f}", flush=True)
    changed = {f.name: getattr(w, f.name) for f in dataclasses.fields(w)
               if getattr(w, f.name) != getattr(Weights(), f.name)}
    print("best", f"{best:.4f}", changed)


if __name__ == "__main__":
    main()
