"""How well the list reader reads expert lists it has never seen, and how fast.

Run: python bench/bench_parser.py [--quick]   (after installing ecokg)

Prints, each figure on its own line:

1. Generated lists of unseen organisations and invented people (tests/listgen.py: real
   organisations from public knowledge, none in data/organisations.yaml), in six layouts
   of the extracted PDF text, several seeds and two lengths: people precision/recall,
   exact (person, organisation, title, former) precision/recall, the review flags'
   precision and recall for wrong entries, and how often a flagged wrong entry's note offers the
   right reading as the next best.
2. The bundled sample against the hand annotation (tests/gold), with the curated
   organisations as a signal and without them (facts only): people P/R, affiliations
   (person, organisation) P/R/F1.
3. The sample perturbed: line breaks inside entries, no spaces between entries, full-width
   brackets in the benchmark table (SuperClue rows read exactly).
4. CPU time: the sample, and 10,000 generated entries.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import listgen  # noqa: E402

from ecokg.loaders import sample_path  # noqa: E402
from ecokg.loaders.bluebook.parse import parse_bluebook  # noqa: E402
from ecokg.loaders.curated import load_curated  # noqa: E402
from ecokg.loaders.gazetteer import Gazetteer  # noqa: E402
from ecokg.loaders.lists import read_lists  # noqa: E402
from ecokg.loaders.lists.reader import _written  # noqa: E402
from ecokg.loaders.lists.words import dictionary  # noqa: E402

GOLD = ROOT / "tests" / "gold" / "bluebook_2024_sample.gold.json"


def prf(found: set, expected: set) -> tuple[float, float, float]:
    tp = len(found & expected)
    p = tp / len(found) if found else 0.0
    r = tp / len(expected) if expected else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_generated(text: str, entries: list[listgen.Entry]) -> dict[str, tuple[int, int, int]]:
    """Counts (true positives, found, expected) for people, exact posts, and flags vs wrong entries."""
    got = read_lists([(text, 0)])[0]
    people = {e.name for e in got if e.name}
    gold_people = {e.name for e in entries}
    tuples = {(e.name, p.org, p.title, p.former) for e in got for p in e.posts}
    gold_tuples = listgen.truth(entries)
    by_name = {e.name: e for e in entries}
    # each generated entry written as a flag writes a reading
    truths = {_written((e.name, tuple((p.org, p.title, p.former) for p in e.posts), (), ())) for e in entries}
    wrong = flagged = both = offered = 0
    for e in got:
        g = by_name.get(e.name)
        bad = g is None or {(p.org, p.title, p.former) for p in e.posts} != {(p.org, p.title, p.former)
                                                                             for p in g.posts}
        wrong += bad
        flagged += bool(e.flags)
        both += bad and bool(e.flags)
        offered += bad and bool(e.flags) and e.alternative in truths
    return {"people": (len(people & gold_people), len(people), len(gold_people)),
            "exact": (len(tuples & gold_tuples), len(tuples), len(gold_tuples)),
            "flags": (both, flagged, wrong), "next best": (offered, both, both)}


def generated(seeds: list[int], sizes: list[int]) -> dict[str, tuple[int, int, int]]:
    print("1. generated lists of unseen organisations and people (P / R; flags: share of flagged entries "
          "that are wrong / share of wrong entries flagged)")
    total: dict[str, list[int]] = {"people": [0, 0, 0], "exact": [0, 0, 0], "flags": [0, 0, 0], "next best": [0, 0, 0]}
    for kind in listgen.LAYOUTS:
        per: dict[str, list[int]] = {k: [0, 0, 0] for k in total}
        for size in sizes:
            for seed in seeds:
                text, entries = listgen.generate(size, seed * 1000 + size, kind)
                for k, (a, b, c) in score_generated(text, entries).items():
                    per[k] = [per[k][0] + a, per[k][1] + b, per[k][2] + c]
        for k in total:
            total[k] = [x + y for x, y in zip(total[k], per[k])]
        print(f"  {kind:9s} " + "  ".join(f"{k} {_pr(v)}" for k, v in per.items() if k != "next best"))
    print(f"  {'all':9s} " + "  ".join(f"{k} {_pr(v)}" for k, v in total.items() if k != "next best"))
    hits, flagged_wrong, _ = total["next best"]
    print(f"  a flagged wrong entry's note offers the right reading as next best: {hits}/{flagged_wrong} "
          f"({hits / max(1, flagged_wrong):.2f})")
    return {k: (v[0], v[1], v[2]) for k, v in total.items()}


def _pr(v: list[int]) -> str:
    tp, found, expected = v
    return f"{tp / found if found else 0:.3f}/{tp / expected if expected else 0:.3f}"


def sample_scores(text: str, gaz: Gazetteer, canon: Gazetteer, gold: dict) -> dict[str, tuple[float, ...]]:
    p = parse_bluebook(text, gaz)
    people = {e.name for lst in p.lists for e in lst.entries if e.name} | {n for t in p.team for n, _ in t.names}

    def c(o: str) -> str:
        return canon.canonical_org(o) or o

    affs = {(e.name, c(po.org)) for lst in p.lists for e in lst.entries if e.name for po in e.posts}
    gold_people = {g["name"] for g in gold["people"]}
    gold_affs = {(g["name"], c(a["organisation"])) for g in gold["people"] for a in g["affiliations"]}
    rows = {r.model for t in p.tables for r in t.rows}
    return {"people": prf(people, gold_people), "affiliations": prf(affs, gold_affs),
            "superclue": (len(rows & {m["name"] for m in gold["models"]}), len(gold["models"]))}


def list_sections(text: str) -> list[tuple[int, int]]:
    """Where the sample's expert lists are (from each heading to the next section)."""
    heads = list(re.finditer(r"\S+?[(（]排名不分先后[)）]", text))
    ends = [h.start() for h in heads[1:]] + [text.find("蓝皮书撰写及工作团队", heads[-1].end())]
    return [(h.end(), e) for h, e in zip(heads, ends)]


def perturb(text: str, how: str, rnd: random.Random) -> str:
    out = []
    last = 0
    for s, e in list_sections(text):
        out.append(text[last:s])
        part = text[s:e]
        if how == "line breaks inside entries":
            chars = list(part)
            for i in range(len(chars) - 1, 1, -1):
                if not chars[i].isspace() and not chars[i - 1].isspace() and rnd.random() < 1 / 35:
                    chars.insert(i, "\n")
            part = "".join(chars)
        elif how == "no spaces between entries":
            part = re.sub(r"\s+", "", part)
        out.append(part)
        last = e
    out.append(text[last:])
    text = "".join(out)
    if how == "full-width brackets in the table":
        text = text.replace("GPT4(官网)", "GPT4（官网）").replace("Moonshot(KimiChat)", "Moonshot（KimiChat）")
    return text


def sample(gold: dict) -> None:
    text = sample_path().read_text(encoding="utf-8")
    cd = load_curated()
    canon = cd.gazetteer()
    print("2. the sample vs the hand annotation (P / R / F1)")
    for label, gaz in (("with the curated organisations", cd.gazetteer()), ("facts only (no organisation list)",
                                                                            Gazetteer())):
        s = sample_scores(text, gaz, canon, gold)
        for k in ("people", "affiliations"):
            print(f"  {label:34s} {k:13s} P={s[k][0]:.3f} R={s[k][1]:.3f} F1={s[k][2]:.3f}")
    print("3. the sample perturbed (with the curated organisations; people recall, affiliations F1, "
          "SuperClue rows)")
    rnd = random.Random(7)
    for how in ("line breaks inside entries", "no spaces between entries", "full-width brackets in the table"):
        s = sample_scores(perturb(text, how, rnd), cd.gazetteer(), canon, gold)
        print(f"  {how:34s} people R={s['people'][1]:.3f}  affiliations F1={s['affiliations'][2]:.3f}  "
              f"SuperClue rows {s['superclue'][0]}/{s['superclue'][1]}")


def speed() -> None:
    print("4. CPU time")
    dictionary()  # loaded once per process (about 0.4 s), not counted below
    text = sample_path().read_text(encoding="utf-8")
    gaz = load_curated().gazetteer()
    t = time.process_time()
    parse_bluebook(text, gaz)
    print(f"  the sample (parse_bluebook)            {time.process_time() - t:6.2f} s")
    big, entries = listgen.generate(10_000, 99, "mixed")
    t = time.process_time()
    read_lists([(big, 0)])
    dt = time.process_time() - t
    print(f"  10,000 generated entries ({len(big):,} characters) {dt:6.2f} s ({1000 * dt / len(entries):.1f} ms "
          "an entry)")
    print(f"  host reference: a pure-Python loop of 20 million additions {host_reference():.2f} s (the figures "
          "above scale with it from one host, or one moment of a shared host, to another)")


def host_reference() -> float:
    """CPU seconds of a fixed pure-Python loop: the same code's figures differ from one host (or one
    moment of a shared host) to another, and this says by how much."""
    t = time.process_time()
    s = 0
    for i in range(20_000_000):
        s += i
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer generated lists, no 10,000-entry run")
    args = ap.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    generated([1, 2] if args.quick else [1, 2, 3, 4], [33, 150])
    sample(gold)
    if not args.quick:
        speed()


if __name__ == "__main__":
    main()
