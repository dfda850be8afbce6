"""Is the list reader's output the same as before? A harness for changes meant only to make it faster.

Run:
    python bench/reader_identity.py --write /tmp/base.json    # on the code before the change
    python bench/reader_identity.py --check /tmp/base.json    # after it: "identical", or the first difference

It reads many inputs and dumps everything ``ecokg.loaders.lists.read_lists`` returns, canonically
(every field of every :class:`Entry` and :class:`Post`, spans included, each float as its ``repr``,
so a change in the last bit of a margin, an estimate or a piece of evidence counts as a
difference). The inputs:

- ``tests/listgen.py``'s generated lists, every layout of ``listgen.LAYOUTS``, 33 and 150 entries,
  seeds 1-4 and 731-733 (``generate(size, seed * 1000 + size, layout)``);
- ``tests/listgen_dev.py``'s development lists likewise with seeds 501-503;
- the bundled sample through ``parse_bluebook``, with the curated organisations as its gazetteer
  and with an empty one (several list sections read together, with and without known names).

About a minute on two shared cores (``--quick`` reads only seeds 1 and 501, for a first look).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import listgen  # noqa: E402
import listgen_dev  # noqa: E402

from ecokg.loaders import sample_path  # noqa: E402
from ecokg.loaders.bluebook.parse import parse_bluebook  # noqa: E402
from ecokg.loaders.curated import load_curated  # noqa: E402
from ecokg.loaders.gazetteer import Gazetteer  # noqa: E402
from ecokg.loaders.lists import Entry, read_lists  # noqa: E402

SIZES = (33, 150)
SEEDS = (1, 2, 3, 4, 731, 732, 733)
DEV_SEEDS = (501, 502, 503)


def canonical(x: Any) -> Any:
    """``x`` as JSON-able data: dataclasses as dicts of their fields, tuples as lists, every float
    as its ``repr`` (exact to the bit, ``inf`` included)."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: canonical(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, (list, tuple)):
        return [canonical(v) for v in x]
    if isinstance(x, dict):
        return {str(k): canonical(v) for k, v in x.items()}
    return x


def _entries(entries: list[Entry]) -> list[Any]:
    return [canonical(e) for e in entries]


def inputs(quick: bool = False) -> list[tuple[str, Any]]:
    """(name, how to read it) of every input: a function returning lists of entries."""
    out: list[tuple[str, Any]] = []
    seeds = SEEDS[:1] if quick else SEEDS
    dev_seeds = DEV_SEEDS[:1] if quick else DEV_SEEDS
    for gen, label, ss in ((listgen.generate, "listgen", seeds), (listgen_dev.generate, "listgen_dev", dev_seeds)):
        for kind in listgen.LAYOUTS:
            for size in SIZES:
                for seed in ss:
                    def read(gen: Any = gen, size: int = size, seed: int = seed, kind: str = kind) -> list[list[Entry]]:
                        text, _ = gen(size, seed * 1000 + size, kind)
                        return read_lists([(text, 0)])
                    out.append((f"{label} {kind} n={size} seed={seed}", read))
    sample = sample_path().read_text(encoding="utf-8")
    for label, make in (("curated", lambda: load_curated().gazetteer()), ("no gazetteer", Gazetteer)):
        def read_sample(make: Any = make) -> list[list[Entry]]:
            return [lst.entries for lst in parse_bluebook(sample, make()).lists]
        out.append((f"sample, {label}", read_sample))
    return out


def dump(quick: bool = False) -> dict[str, Any]:
    got: dict[str, Any] = {}
    for name, read in inputs(quick):
        got[name] = [_entries(lst) for lst in read()]
    return got


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    """Where ``a`` and ``b`` first differ, and how (None: they do not)."""
    if type(a) is not type(b):
        return f"{where}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return f"{where}/{k}: only in {'the baseline' if k in a else 'this run'}"
            d = first_difference(a[k], b[k], f"{where}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{where}[{i}]")
            if d:
                return d
        return None if len(a) == len(b) else f"{where}: {len(a)} items != {len(b)}"
    return None if a == b else f"{where}: {a!r} != {b!r}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--write", type=Path, help="write the dump here (the baseline)")
    what.add_argument("--check", type=Path, help="compare with this baseline")
    ap.add_argument("--quick", action="store_true", help="only the first seed of each generator")
    args = ap.parse_args()
    t = time.process_time()
    got = dump(args.quick)
    entries = sum(len(lst) for lists in got.values() for lst in lists)
    took = time.process_time() - t
    if args.write:
        args.write.write_text(json.dumps(got, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
        print(f"wrote {entries:,} entries of {len(got)} inputs to {args.write} ({took:.0f} s)")
        return
    base = json.loads(args.check.read_text(encoding="utf-8"))
    if args.quick:
        base = {k: v for k, v in base.items() if k in got}
    diff = first_difference(base, json.loads(json.dumps(got)))
    if diff:
        print(f"DIFFERENT ({entries:,} entries of {len(got)} inputs): {diff}")
        raise SystemExit(1)
    print(f"identical: {entries:,} entries of {len(got)} inputs ({took:.0f} s)")


if __name__ == "__main__":
    main()
