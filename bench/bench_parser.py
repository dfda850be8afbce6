"""Score the Blue Book parser against the hand annotation and time the build.

Run: python bench/bench_parser.py   (after installing ecokg)

Prints people precision/recall and (person, organisation) affiliation P/R/F1, with
the curated gazetteer (as `ecokg build` runs) and without it (structure alone), and
the time of each stage of a build of the sample.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from ecokg.loaders import sample_path
from ecokg.loaders.bluebook.parse import parse_bluebook
from ecokg.loaders.curated import load_curated
from ecokg.loaders.gazetteer import Gazetteer

from ecokg.build import build

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold" / "bluebook_2024_sample.gold.json"


def prf(found: set, expected: set) -> tuple[float, float, float]:
    tp = len(found & expected)
    p = tp / len(found) if found else 0.0
    r = tp / len(expected) if expected else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gaz: Gazetteer, canon: Gazetteer, text: str, gold: dict) -> dict[str, tuple[float, float, float]]:
    p = parse_bluebook(text, gaz)
    people = {e.name for lst in p.lists for e in lst.entries if e.name} | {n for t in p.team for n, _ in t.names}
    c = lambda o: canon.canonical_org(o) or o  # noqa: E731
    affs = {(e.name, c(po.org)) for lst in p.lists for e in lst.entries if e.name for po in e.posts}
    gold_people = {g["name"] for g in gold["people"]}
    gold_affs = {(g["name"], c(a["organisation"])) for g in gold["people"] for a in g["affiliations"]}
    return {"people": prf(people, gold_people), "affiliations": prf(affs, gold_affs)}


def main() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    text = sample_path().read_text(encoding="utf-8")
    cd = load_curated()
    canon = cd.gazetteer()
    print("parser vs hand annotation of the sample (precision / recall / F1)")
    for label, gaz in (("with curated gazetteer", cd.gazetteer()), ("structure only (empty gazetteer)", Gazetteer())):
        s = score(gaz, canon, text, gold)
        for k, (p, r, f) in s.items():
            print(f"  {label:34s} {k:13s} P={p:.3f} R={r:.3f} F1={f:.3f}")
    steps: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    last = [t0]

    def step(msg: str) -> None:
        now = time.perf_counter()
        steps.append((msg, now - last[0]))
        last[0] = now

    with tempfile.TemporaryDirectory() as d:
        r = build(out_dir=Path(d), step=step)
        total = time.perf_counter() - t0
    print(f"build of the sample: {total:.2f} s total, {r.triples} triples")
    names = ["(start)"] + [m for m, _ in steps]
    durations = [dt for _, dt in steps[1:]] + [total - sum(dt for _, dt in steps)]
    for name, dt in zip(names[1:], durations):
        print(f"  {name:40s} {dt:6.2f} s")


if __name__ == "__main__":
    main()
