"""How fast the named questions answer on a synthetic ecosystem of growing size (issue 13).

Run: python bench/bench_questions.py [--sizes 10000 100000] [--reps 20] [--cap-ms 2000 --cap-reps 3]
                                    [--only people-of connection] [--neo4j] [--memory [--skip-disk]] [--fresh]
                                    [--root /tmp]

For each size, generates the graph with ``bench/generate.py`` into ``<root>/ecokg-bench-<size>-s<seed>``
(``--root`` /tmp unless given: another root keeps a folder an older ecokg built for timing that
ecokg; reused when it is there, unless ``--fresh``), then runs every public named question in-process on
the embedded store (``ecokg.open(DIR)``, ``kg.ask(name, **args)``) and ``find``, warm: one untimed run,
then ``--reps`` timed runs (a question whose first run takes over ``--cap-ms`` gets ``--cap-reps``,
marked ``*``). Prints p50/p95 in ms per question against the goals of issue 13 (questions <= 100 ms,
connection <= 300 ms, find <= 20 ms) and p50/goal. First checks that no answer is empty.

``--neo4j`` (NEO4J_URI etc. set, e.g. ``eval "$(scripts/neo4j-local start)"``) also loads each graph
into that Neo4j (wiping it) and times the same questions there.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

GOALS_MS = {"connection": 300.0, "find": 20.0}
QUESTION_GOAL_MS = 100.0


def goal(name: str) -> float:
    return GOALS_MS.get(name.split(" ")[0], QUESTION_GOAL_MS)


def folder(size: int, seed: int, fresh: bool, root: Path = Path("/tmp")) -> tuple[Path, dict[str, dict[str, str]]]:
    """The built folder for ``size`` (generated unless cached) and its sample arguments."""
    out = root / f"ecokg-bench-{size}-s{seed}"
    samples_file = out / "bench-samples.json"
    if not fresh and samples_file.exists() and (out / "current").exists():
        print(f"  reusing {out}", flush=True)
        return out, json.loads(samples_file.read_text(encoding="utf-8"))
    t = time.perf_counter()
    kg = generate.generate(size, seed)
    print(f"  generated {len(kg.nodes)} nodes, {len(kg.edges)} edges in {time.perf_counter() - t:.1f} s", flush=True)
    samples = generate.sample_args(kg)
    t = time.perf_counter()
    summary = generate.write(kg, out, shacl=size <= 20_000, dump=False)
    print(f"  wrote {summary['triples']} triples to {out} in {time.perf_counter() - t:.1f} s "
          f"(SHACL {summary['shacl']})", flush=True)
    samples_file.write_text(json.dumps(samples, ensure_ascii=False), encoding="utf-8")
    return out, samples


_PROBE = """
import json, sys, time, ecokg
out, q, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with ecokg.open(out) as kg:
    t = time.perf_counter()
    limit = args.pop("limit", None)
    n = len(kg.find(args["text"])) if q == "find" else len(kg.ask(q, limit=limit, **args).rows)
    print(json.dumps({"ms": (time.perf_counter() - t) * 1000, "rows": n}))
"""


def probe(out: Path, q: str, a: dict[str, str], timeout: float) -> dict[str, Any] | None:
    """The first (cold) run of one question in a child process: ``{"ms", "rows"}``, or None when it
    takes over ``timeout`` seconds (an in-process query of the embedded store cannot be stopped)."""
    try:
        done = subprocess.run([sys.executable, "-c", _PROBE, str(out), q, json.dumps(a, ensure_ascii=False)],
                              capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as e:
        return {"error": (e.stderr.strip().splitlines() or ["?"])[-1]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def timings(fn: Callable[[], Any], reps: int, cap_ms: float, cap_reps: int) -> tuple[list[float], Any, bool]:
    """One warm-up run, then ``reps`` timed runs (``cap_reps`` if the warm-up took over ``cap_ms``)."""
    t = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - t) * 1000
    capped = first > cap_ms
    out = []
    for _ in range(cap_reps if capped else reps):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out, result, capped


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def cases(samples: dict[str, dict[str, str]], only: list[str]) -> list[tuple[str, str, dict[str, str]]]:
    """(label, question, args) for every public question, and find with a typical and a short name."""
    out = [(q, q, a) for q, a in samples.items() if not only or q in only]
    for q in ("org-bridges", "bridges", "developer-people"):  # large answers: the first page of 100
        if q in samples and (not only or q in only):
            out.append((f"{q} first page of 100", q, {**samples[q], "limit": 100}))
    if not only or "find" in only:
        person = samples["organisations-of"]["person"]
        out.append((f"find {person}", "find", {"text": person}))
        out.append(("find 人1 (prefix of a ninth)", "find", {"text": "人1"}))
    return out


def run_backend(kg: Any, label: str, samples: dict[str, dict[str, str]], args: argparse.Namespace,
                results: dict[str, dict[str, Any]], out: Path | None = None) -> None:
    """Time every case on ``kg``; with ``out`` (the embedded store) each question first runs once in a
    child process, and one that takes over ``--timeout`` s is reported as such and not timed here."""
    empty = []
    for name, q, a in cases(samples, args.only):
        if out is not None:
            first = probe(out, q, a, args.timeout)
            if first is None or "error" in first:
                why = f"over {args.timeout:.0f} s (timeout)" if first is None else f"ERROR {first['error']}"
                print(f"    {name:34s} {why}", flush=True)
                results.setdefault(name, {})[label] = {"timeout": args.timeout} if first is None else None
                if first is None:
                    empty.append(f"{name} (unknown: timed out)")
                continue
        if q == "find":
            fn: Callable[[], Any] = lambda a=a: kg.find(a["text"])
        else:
            fn = lambda q=q, a=a: kg.ask(q, **a)  # "limit" (a page) is an argument of ask
        try:
            xs, answer, capped = timings(fn, args.reps, args.cap_ms, args.cap_reps)
        except Exception as e:  # noqa: BLE001 - report and go on
            print(f"    {name}: ERROR {type(e).__name__}: {e}", flush=True)
            results.setdefault(name, {})[label] = None
            continue
        rows = len(answer) if q == "find" else len(answer.rows)
        if rows == 0:
            empty.append(name)
        p50 = statistics.median(xs)
        results.setdefault(name, {})[label] = {"p50": p50, "p95": p95(xs), "n": len(xs), "capped": capped,
                                               "rows": rows}
        print(f"    {name:34s} p50 {p50:9.1f} ms  p95 {p95(xs):9.1f} ms  rows {rows:6d}  "
              f"{'x' + format(p50 / goal(name), '.1f'):>7s} of goal {goal(name):.0f} ms{'  *capped' if capped else ''}",
              flush=True)
    if empty:
        print(f"  EMPTY answers on {label}: {', '.join(empty)}", flush=True)
    else:
        print(f"  no empty answers on {label}", flush=True)


def table(results: dict[str, dict[str, Any]], labels: list[str]) -> None:
    print("\n| question | goal ms | " + " | ".join(f"{lb} p50 / p95 ms (p50/goal)" for lb in labels) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _ in labels) + " |")
    for name, by in results.items():
        cells = []
        for lb in labels:
            r = by.get(lb)
            if r is None:
                cells.append("—" if lb not in by else "error")
            elif "timeout" in r:
                cells.append(f"> {r['timeout'] * 1000:.0f} (timeout, > {r['timeout'] * 1000 / goal(name):.0f}x)")
            else:
                mark = "*" if r["capped"] else ""
                cells.append(f"{r['p50']:.1f} / {r['p95']:.1f}{mark} ({r['p50'] / goal(name):.1f}x)")
        print(f"| {name} | {goal(name):.0f} | " + " | ".join(cells) + " |")
    print("\n(* = capped repetitions; (Nx) = p50/goal, > 1 misses the goal)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--cap-ms", type=float, default=2000.0, help="above this first run, use --cap-reps")
    ap.add_argument("--cap-reps", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds a question's first run (in a child process) may take before it is skipped")
    ap.add_argument("--only", nargs="*", default=[], help="only these questions (and 'find')")
    ap.add_argument("--neo4j", action="store_true", help="also load into the Neo4j of NEO4J_URI and time there")
    ap.add_argument("--fresh", action="store_true", help="regenerate even if a cached folder exists")
    ap.add_argument("--root", type=Path, default=Path("/tmp"), help="the folder the generated graphs are kept in")
    ap.add_argument("--skip-disk", action="store_true", help="do not time the on-disk store")
    ap.add_argument("--memory", action="store_true",
                    help="also copy the embedded store into memory (ecokg.open(DIR, memory=True)) and time there")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = ap.parse_args()
    import ecokg

    results: dict[str, dict[str, Any]] = {}
    labels: list[str] = []
    for size in args.sizes:
        print(f"== {size} entities", flush=True)
        out, samples = folder(size, args.seed, args.fresh, args.root)
        with ecokg.open(out) as kg:
            label = f"rdf {size // 1000}k"
            if not args.skip_disk:
                labels.append(label)
            print(f"  embedded store ({label})", flush=True)
            if not args.skip_disk:
                run_backend(kg, label, samples, args, results, out)
            if args.memory:
                t = time.perf_counter()
                with ecokg.open(out, memory=True) as mem:
                    print(f"  copied into memory in {time.perf_counter() - t:.1f} s", flush=True)
                    label = f"rdf-mem {size // 1000}k"
                    labels.append(label)
                    run_backend(mem, label, samples, args, results)
            if args.neo4j:
                with ecokg.open(neo4j=True) as neo:
                    t = time.perf_counter()
                    kg.load_into(neo, wipe=True)
                    print(f"  loaded into Neo4j in {time.perf_counter() - t:.1f} s", flush=True)
                    label = f"neo4j {size // 1000}k"
                    labels.append(label)
                    print(f"  Neo4j ({label})", flush=True)
                    run_backend(neo, label, samples, args, results)
    table(results, labels)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
