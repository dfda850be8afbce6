"""Kill `ecokg load neo4j` at random points and check that nothing is lost and a re-run converges.

Each run starts `ecokg load neo4j --wipe` as a subprocess and SIGKILLs it at a random moment
(seeded; the seed is printed) within the time a whole load takes. After each kill: the database
must answer (``counts()``), a user's property on an ecokg node and a user's relationship to it
must still be there, and a plain re-run of `ecokg load neo4j` must give the same counts as a
clean load. With a server of its own (``NEO4J_URI`` unset) it finally stops the server in the
middle of a load and times how long the command takes to give up (case 18a of issue 14).

    .venv/bin/python bench/crash_load.py                 # 20 kills, a server of its own
    .venv/bin/python bench/crash_load.py --runs 3 --seed 7
    eval "$(scripts/neo4j-local start)"; .venv/bin/python bench/crash_load.py   # that server

Prints one line per run and the figures: kills, unreadable graphs, lost user properties and
relationships, re-runs that converged, times. Exit status 1 if any check failed.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ECOKG = str(Path(sys.executable).parent / "ecokg")
NOTE = "keep"  # the user's property value on an ecokg node


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server() -> Iterator[tuple[Any, bool]]:
    """(ServerInfo, started here): the server of NEO4J_URI, else a local one for the run."""
    from ecokg import neo4j_local

    info = neo4j_local.ServerInfo.from_env()
    if info is not None:
        yield info, False
        return
    settings = dataclasses.replace(neo4j_local.Settings.from_env(), bolt_port=free_port(), http_port=None)
    info = neo4j_local.start(None, settings=settings)
    try:
        yield info, True
    finally:
        if info.dir is not None and info.dir.exists():
            neo4j_local.stop(info.dir, timeout=30)


def env_of(info: Any) -> dict[str, str]:
    return {**os.environ, **info.env(), "ECOKG_DEBUG": ""}


def load(out: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([ECOKG, "load", "neo4j", "--out", str(out), *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def user_marks(store: Any) -> tuple[int, int]:
    """(ecokg nodes with the user's property, user relationships to ecokg nodes)."""
    notes = store.query("MATCH (p:Person) WHERE p.myNote = $v RETURN count(p) AS c", {"v": NOTE})[0]["c"]
    links = store.query("MATCH (:UserNote)-[r:ABOUT]->(p:Person) WHERE p.myNote = $v RETURN count(r) AS c",
                        {"v": NOTE})[0]["c"]
    return int(notes), int(links)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None, help="a built graph (default: build the sample into a temp dir)")
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    rng = random.Random(seed)
    print(f"seed {seed} (re-run with --seed {seed})")

    from ecokg.graph.stores.neo4j import Connection, Neo4jStore

    out = args.out
    if out is None:
        out = Path(tempfile.mkdtemp(prefix="ecokg-crash-")) / "out"
        subprocess.run([ECOKG, "build", "--out", str(out)], check=True, capture_output=True)
    with server() as (info, own):
        env = env_of(info)
        store = Neo4jStore.connect(Connection(info.uri, info.user, info.password, info.database))
        for _ in range(2):  # the second, timed, is what each run does: wipe a loaded graph and load it
            t0 = time.monotonic()
            clean = load(out, env, "--wipe")
            _, err = clean.communicate()
            full = time.monotonic() - t0
            if clean.returncode != 0:
                print(f"the clean load failed: {err.strip()}")
                return 1
        reference = store.counts()
        store.query("MATCH (p:Person) WITH p ORDER BY p.id LIMIT 1 SET p.myNote = $v "
                    "CREATE (:UserNote {text: 'mine'})-[:ABOUT]->(p)", {"v": NOTE}, write=True)
        print(f"clean load: {full:.1f}s, {sum(reference.classes.values())} class memberships, "
              f"{sum(reference.relations.values())} relationships, {reference.evidence} evidence")
        stats = {"kills": 0, "unreadable": 0, "lost_notes": 0, "lost_links": 0, "converged": 0}
        rerun_times: list[float] = []
        run = 0
        while stats["kills"] < args.runs and run < 3 * args.runs:  # --runs kills that land mid-load
            run += 1
            at = rng.uniform(0.05, 0.9) * full
            proc = load(out, env, "--wipe")
            time.sleep(at)
            finished = proc.poll() is not None
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            stats["kills"] += not finished
            if finished:
                print(f"run {run}: the load had finished before the kill; not counted")
                continue
            try:
                store.counts()
                notes, links = user_marks(store)
            except Exception as e:  # noqa: BLE001 - a bench reports, it does not stop
                stats["unreadable"] += 1
                print(f"run {run}: unreadable after the kill: {e}")
                continue
            stats["lost_notes"] += notes != 1
            stats["lost_links"] += links != 1
            t1 = time.monotonic()
            again = load(out, env)
            _, err = again.communicate()
            rerun_times.append(time.monotonic() - t1)
            same = again.returncode == 0 and store.counts() == reference
            stats["converged"] += same
            print(f"run {run}: killed at {at:.2f}s{' (had finished)' if finished else ''}; user property "
                  f"{'kept' if notes == 1 else 'LOST'}, user relationship {'kept' if links == 1 else 'LOST'}; "
                  f"re-run {rerun_times[-1]:.1f}s {'converged' if same else 'DIFFERS: ' + err.strip()[-200:]}")
        stop_line = ""
        if own and info.dir is not None:
            stop_line = stop_mid_load(out, env, info, full)
        store.close()
    print(f"\nkills mid-load: {stats['kills']} in {run} runs (in the others the load had finished first)")
    print(f"unreadable graphs: {stats['unreadable']}")
    print(f"lost user properties: {stats['lost_notes']}, lost user relationships: {stats['lost_links']}")
    print(f"re-runs that converged: {stats['converged']}/{stats['kills']}")
    if rerun_times:
        print(f"re-run time: median {sorted(rerun_times)[len(rerun_times) // 2]:.1f}s, max {max(rerun_times):.1f}s "
              f"(clean load {full:.1f}s)")
    if stop_line:
        print(stop_line)
    ok = (stats["unreadable"] == stats["lost_notes"] == stats["lost_links"] == 0
          and stats["converged"] == stats["kills"] == args.runs and "FAILED" not in stop_line)
    return 0 if ok else 1


def stop_mid_load(out: Path, env: dict[str, str], info: Any, full: float) -> str:
    """Stop the server once the load has begun writing rows (its progress line says so); how long
    the command takes to give up, and its message."""
    import threading

    from ecokg import neo4j_local

    assert info.dir is not None
    proc = load(out, env, "--wipe")
    lines: list[str] = []
    writing = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "rows written" in line:
                writing.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not writing.wait(timeout=max(60.0, 3 * full)):
        proc.kill()
        return "server stopped mid-load: FAILED, the load never began writing rows"
    t0 = time.monotonic()
    neo4j_local.stop(info.dir, timeout=30)
    stopped = time.monotonic() - t0
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        return "server stopped mid-load: FAILED, the load did not exit within 120 s"
    took = time.monotonic() - t0
    reader.join(timeout=5)
    err = "".join(lines)
    last = err.strip().splitlines()[-1] if err.strip() else ""
    ok = proc.returncode == 1 and "Traceback" not in err and info.password not in err
    return (f"server stopped mid-load: {'ok' if ok else 'FAILED'}; exit {proc.returncode} {took:.1f}s after the "
            f"stop began (the stop took {stopped:.1f}s); message: {last}")


if __name__ == "__main__":
    sys.exit(main())
