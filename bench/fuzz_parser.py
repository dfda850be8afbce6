"""Fuzz the source readers: any input text gives a graph or a LoaderError, in time linear in its size.

Run: python bench/fuzz_parser.py [--minutes 10] [--seed N]    (after installing ecokg)
     python bench/fuzz_parser.py --scale [--max-mb 50]        the parse at 100 KB .. 50 MB

The fuzz run mutates the real sources (the Blue Book sample, the shipped SuperCLUE boards and
model list, the sample deals as CSV and as JSON): byte flips, cuts at random points, spans
duplicated or deleted, inserted headings, brackets, colons, numbers, full-width punctuation,
zero-width characters and random CJK text. Each input goes through the source's reader
(``ecokg.loaders.read_source``) and the graph it gives through the RDF conversion. It prints the
inputs tried, the crashes (any exception but LoaderError: must be 0, each with the seed that
rebuilds it) and the slowest input in seconds per KB.

The scale run parses generated texts (the sample repeated, random CJK text with and without
spaces, many list headings, one huge list) of 100 KB to ``--max-mb`` MB and prints seconds and
seconds per MB: linear parsing keeps seconds per MB flat (the ratio of the largest size's figure
to the smallest's is printed).

``tests/test_hardening_parse.py`` runs the same fuzzing for a few seconds in the suite.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ecokg.loaders import read_source, sample_deals_path, sample_path, shipped_sources
from ecokg.loaders.curated import CuratedData, load_curated
from ecokg.ontology.errors import LoaderError

INSERTS = ("(排名不分先后)", "（排名不分先后）", "目录 ", "目录\n", "趋势一二:", "趋势十十：", "趋势九十九:", "1.", "12.",
           "模型名称 机构 总分 ", "资料来源:", "(以下简称“", "”)", "《", "》", "、", "等", "等大模型", "模型(如",
           "发起设立", "基金", "投资超过", "家", "公司", "组组长", "组成员", "2024年13月", "年蓝皮书", "\u200b",
           "\ufeff", "\x00", "\r", "\n", "\t", "|", "| --- |", "###", "<!--", "-->", ":", "：", "(", ")", "（", "）",
           "“", "\"", ",", "，", "。", "9" * 30, "0.5", "-1", "NaN", "1e999", "{", "}", "[", "]", "\\", "'")


@dataclass(frozen=True)
class Seed:
    """A real source to mutate: its kind, its text and the suffix its reader expects."""

    kind: str
    text: str
    suffix: str


def seeds() -> list[Seed]:
    """The real sources: the Blue Book sample, the shipped boards and list, the sample deals (CSV, JSON)."""
    out = [Seed("bluebook", sample_path().read_text(encoding="utf-8"), ".txt")]
    out += [Seed(kind, path.read_text(encoding="utf-8"), ".md") for kind, path in shipped_sources()]
    deals = sample_deals_path().read_text(encoding="utf-8")
    out.append(Seed("deals", deals, ".csv"))
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(deals)))
    out.append(Seed("deals", json.dumps(rows, ensure_ascii=False, indent=1), ".json"))
    return out


def _cjk(rng: random.Random, n: int) -> str:
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))


def mutate(text: str, rng: random.Random, rounds: int | None = None) -> str:
    """``text`` after 1..8 random mutations (see the module docstring)."""
    for _ in range(rounds or rng.randint(1, 8)):
        n = len(text)
        i = rng.randint(0, n)
        op = rng.randrange(9)
        if op == 0 and n:  # flip bytes: a random code point in place of one character
            j = rng.randrange(n)
            text = text[:j] + chr(rng.choice((rng.randint(0, 0x7F), rng.randint(0x80, 0x2FFF),
                                               rng.randint(0x3000, 0x9FFF), rng.randint(0xE000, 0x10FFFF)))
                                   if rng.random() < 0.9 else 0x20) + text[j + 1:]
            text = text.encode("utf-8", "replace").decode("utf-8", "replace")
        elif op == 1:  # cut
            text = text[:i] if rng.random() < 0.5 else text[i:]
        elif op == 2 and n:  # duplicate a span
            j = rng.randint(i, min(n, i + rng.choice((10, 100, 1000))))
            text = text[:j] + text[i:j] * rng.randint(1, 20) + text[j:]
        elif op == 3:  # delete a span
            text = text[:i] + text[i + rng.randint(1, 200):]
        elif op in (4, 5):  # insert a structure word or punctuation
            text = text[:i] + "".join(rng.choice(INSERTS) for _ in range(rng.randint(1, 4))) + text[i:]
        elif op == 6:  # random CJK
            text = text[:i] + _cjk(rng, rng.choice((1, 5, 50, 500))) + text[i:]
        elif op == 7:  # numbers
            text = text[:i] + str(rng.choice((0, 1, 13, 99, 2024, 10 ** rng.randint(1, 40)))) + text[i:]
        else:  # remove or add white space
            text = text.replace(" ", "", rng.randint(1, 50)) if rng.random() < 0.5 else text[:i] + " " + text[i:]
    return text


@dataclass
class Outcome:
    """What one input gave: ok (a graph), refused (LoaderError), or a crash (anything else)."""

    result: str  # ok | refused | crash
    seconds: float
    size: int
    error: str = ""


def try_one(seed: Seed, text: str, curated: CuratedData, workdir: Path, to_rdf: bool = True) -> Outcome:
    """Read ``text`` as a source of ``seed.kind`` (written to a file) and convert the graph to RDF."""
    path = workdir / f"input{seed.suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    t = time.process_time()
    try:
        kg = read_source(seed.kind, path, curated)
        if to_rdf:
            from ecokg.graph.rdf import to_triples

            for _ in to_triples(kg):
                pass
        result, error = "ok", ""
    except LoaderError as e:
        result, error = "refused", str(e)
        if "\n" in error.strip():
            result, error = "crash", f"LoaderError of several lines: {error!r}"
    except Exception:  # noqa: BLE001 - a crash is what the fuzzing looks for
        result, error = "crash", traceback.format_exc()
    return Outcome(result, time.process_time() - t, len(text.encode("utf-8", "surrogatepass")), error)


def fuzz(seconds: float, seed: int, report: Callable[[str], None] = print,
         budget_inputs: int | None = None) -> dict[str, Any]:
    """Fuzz for ``seconds`` (or ``budget_inputs`` inputs); the counts, the crashes and the slowest input."""
    rng = random.Random(seed)
    curated = load_curated()
    sources = seeds()
    counts = {"ok": 0, "refused": 0, "crash": 0}
    crashes: list[dict[str, Any]] = []
    slowest = (0.0, "")
    deadline = time.monotonic() + seconds
    tried = 0
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources:  # warm up: the word list and the readers load once, not counted
            try_one(src, src.text, curated, Path(tmp))
        while time.monotonic() < deadline and (budget_inputs is None or tried < budget_inputs):
            case_seed = rng.randrange(2 ** 32)
            src, text = case(sources, case_seed)
            out = try_one(src, text, curated, Path(tmp))
            tried += 1
            counts[out.result] += 1
            per_kb = out.seconds / max(out.size / 1000, 1.0)
            if per_kb > slowest[0]:
                slowest = (per_kb, f"case seed {case_seed} ({src.kind}{src.suffix}, {out.size:,} bytes, "
                                   f"{out.seconds:.2f} s)")
            if out.result == "crash":
                crashes.append({"case_seed": case_seed, "kind": src.kind, "error": out.error.strip().splitlines()[-1]})
                report(f"CRASH case seed {case_seed} ({src.kind}{src.suffix}):\n{out.error}")
    return {"seed": seed, "tried": tried, **counts, "crashes": crashes, "slowest_s_per_kb": slowest[0],
            "slowest": slowest[1]}


def case(sources: list[Seed], case_seed: int) -> tuple[Seed, str]:
    """The input of one case: a real source and its mutation, rebuilt from ``case_seed`` alone."""
    rng = random.Random(case_seed)
    src = sources[rng.randrange(len(sources))]
    return src, mutate(src.text, rng)


# -- scaling -------------------------------------------------------------------------------------

def generated(kind: str, size: int, seed: int = 0) -> str:
    """A generated text of about ``size`` characters (kinds: see :data:`KINDS`)."""
    rng = random.Random(seed)
    sample = sample_path().read_text(encoding="utf-8")
    if kind == "sample repeated":
        return (sample * (size // len(sample) + 1))[:size]
    if kind == "random CJK":
        out, n = [], 0
        while n < size:
            w = _cjk(rng, rng.randint(1, 30)) + rng.choice(" \n，。、")
            out.append(w)
            n += len(w)
        return "目录 前言1 " + "".join(out)[:size]
    if kind == "CJK without spaces":
        return "目录 前言1 " + _cjk(rng, size)
    if kind == "many headings":
        h = "金融科技指导专家(排名不分先后)张三阿里云总裁 "
        return (h * (size // len(h) + 1))[:size]
    if kind == "one huge list":
        parts, n = ["专家(排名不分先后)"], 0
        while n < size:
            w = (_cjk(rng, 3) + rng.choice(("阿里云", "腾讯", "华为")) + rng.choice(("总裁", "董事长", "CTO"))
                 + rng.choice((" ", "\n", "")))
            parts.append(w)
            n += len(w)
        return "".join(parts)[:size]
    raise ValueError(kind)


KINDS = ("sample repeated", "random CJK", "CJK without spaces", "many headings", "one huge list")


def parse_seconds(text: str) -> float:
    """CPU seconds to parse ``text`` as a Blue Book (structure, lists, narrative)."""
    from ecokg.loaders.bluebook.parse import parse_bluebook

    gaz = load_curated().gazetteer()
    t = time.process_time()
    try:
        parse_bluebook(text, gaz)
    except LoaderError:
        pass
    return time.process_time() - t


def scale(max_mb: float) -> None:
    """Print seconds and seconds per MB of the parse at sizes from 100 KB to ``max_mb`` MB."""
    from ecokg.loaders.lists.words import dictionary

    dictionary()  # loaded once per process, not counted
    sizes = [s for s in (100_000, 1_000_000, 4_000_000, 10_000_000, 20_000_000, 50_000_000) if s <= max_mb * 1e6]
    print(f"{'input':22s} {'size':>12s} {'seconds':>9s} {'s/MB':>7s}")
    for kind in KINDS:
        per_mb = []
        for size in sizes:
            text = generated(kind, size)
            secs = parse_seconds(text)
            per_mb.append(secs / (len(text.encode()) / 1e6))
            print(f"{kind:22s} {len(text.encode()):>12,} {secs:9.2f} {per_mb[-1]:7.2f}", flush=True)
        print(f"{kind:22s} time per MB, largest / smallest size: {per_mb[-1] / per_mb[0]:.2f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz (default 10)")
    ap.add_argument("--seed", type=int, default=None, help="the run's seed (default: random, printed)")
    ap.add_argument("--scale", action="store_true", help="run the scaling benchmark instead")
    ap.add_argument("--max-mb", type=float, default=50.0, help="largest size of the scaling benchmark")
    args = ap.parse_args()
    if args.scale:
        scale(args.max_mb)
        return
    seed = args.seed if args.seed is not None else random.randrange(2 ** 32)
    print(f"fuzzing for {args.minutes:g} minutes, seed {seed}", flush=True)
    got = fuzz(args.minutes * 60, seed)
    print(f"inputs tried       {got['tried']}")
    print(f"graphs             {got['ok']}")
    print(f"refused (LoaderError, one line) {got['refused']}")
    print(f"crashes            {got['crash']}")
    print(f"slowest input      {got['slowest_s_per_kb'] * 1000:.1f} ms per KB: {got['slowest']}")
    sys.exit(1 if got["crash"] else 0)


if __name__ == "__main__":
    main()
