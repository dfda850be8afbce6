"""Fit the review model (ecokg.loaders.lists.review) on generated development lists.

Run: python bench/fit_review.py [--write] [--jobs 2]   (about 4 minutes on two cores)

The development lists are generated like the benchmark's (tests/listgen.py: seven layouts, 33
and 150 entries) but from other seeds (701033-730150; the benchmark uses 1033-4150), so that
bench/bench_parser.py judges the model on lists it was not fitted on, and, as many again, from
other organisations (tests/listgen_dev.py, seeds 501033-530150): a model fitted on both read the
benchmark's organisations on held-out seeds better than one fitted on them alone (the recall at
precision 0.6 from 0.53 to 0.63), since it cannot learn one pool's quirks. The model sees no
organisation or person by name, only how each reading was made (see review.FEATURES): the
evidence standardised, and the product of every two pieces of it, in a logistic model with an
L2 penalty. The threshold is the one with the best F1 of the flags *out of fold*: each half of
the seeds (odd, even) scored by the model fitted on the other half, since a model with several
hundred coefficients reads the lists it was fitted on better than new ones. Prints the flags'
precision and recall out of fold for a few thresholds, and, for comparison, those of the evidence
alone without products (in sample); ``--write`` puts the model fitted on all the lists and the
threshold into review.py.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import listgen  # noqa: E402
import listgen_dev  # noqa: E402

from ecokg.loaders.lists import read_lists, review  # noqa: E402

SEEDS = range(701, 731)
SIZES = (33, 150)
L2 = 10.0
L2_PAIRS = 100.0  # the penalty with the products of evidence (many more coefficients)


def _one_list(job: tuple[str, str, int, int]) -> list[tuple[list[float], float, int]]:
    pool, kind, seed, size = job
    generate = listgen.generate if pool == "benchmark" else listgen_dev.generate
    text, entries = generate(size, seed * 1000 + size, kind)
    got = [e for e in read_lists([(text, 0)])[0] if e.name]
    return [(e.evidence, float(bad), seed) for e, bad in zip(got, listgen.wrong_entries(got, entries))]


def development_set(jobs: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The evidence of every entry read from the development lists, whether it was read wrong,
    and the seed of its list (the lists of one seed hold the same entries in every layout). The
    lists are read in ``jobs`` processes, in a fixed order."""
    work = [(pool, kind, seed, size) for pool, pool_seeds in (("benchmark", SEEDS), ("development", listgen_dev.SEEDS))
            for kind in listgen.LAYOUTS for seed in pool_seeds for size in SIZES]
    with ProcessPoolExecutor(jobs) as ex:
        rows = [row for part in ex.map(_one_list, work, chunksize=4) for row in part]
    return (np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50) -> tuple[float, np.ndarray]:
    """Logistic regression by Newton's method with an L2 penalty on the coefficients."""
    a = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(a.shape[1])
    reg = np.full(a.shape[1], l2)
    reg[0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (p - y) + reg * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), w[1:]


def pair_model(x: np.ndarray, y: np.ndarray, l2: float = L2_PAIRS) -> review.Model:
    """The model with the evidence standardised and the products of every two pieces of it."""
    center = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    s = (x - center) / scale
    d = x.shape[1]
    pairs = [(i, j) for i in range(d) for j in range(i, d) if s[:, i].any() and s[:, j].any()]
    design = np.hstack([s, np.array([s[:, i] * s[:, j] for i, j in pairs]).T])
    bias, coef = fit(design, y, l2)
    return review.Model(round(bias, 3), tuple(round(float(c), 3) for c in coef[:d]),
                        tuple(round(float(c), 4) for c in center), tuple(round(float(c), 4) for c in scale),
                        tuple((i, j, round(float(c), 3)) for (i, j), c in zip(pairs, coef[d:]) if round(float(c), 3)))


def predict(model: review.Model, x: np.ndarray) -> np.ndarray:
    return np.array([model.p_wrong(row) for row in x])


def out_of_fold(x: np.ndarray, y: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """Each entry's estimate from a model fitted on the lists of the other half of the seeds
    (odd and even): what the threshold is chosen on, since a model with many coefficients reads
    the lists it was fitted on better than new ones."""
    p = np.zeros(len(y))
    for half in (0, 1):
        test = seeds % 2 == half
        p[test] = predict(pair_model(x[~test], y[~test]), x[test])
    return p


def choose_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The threshold with the best F1 of the flags (as wrong-entry detector) on the development set."""
    best, best_f1 = 0.5, -1.0
    for t in np.arange(0.05, 0.95, 0.01):
        flagged = p >= t
        tp = float((flagged & (y == 1)).sum())
        if not tp:
            continue
        prec, rec = tp / flagged.sum(), tp / y.sum()
        f1 = 2 * prec * rec / (prec + rec)
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return round(best, 2)


def report(p: np.ndarray, y: np.ndarray, t: float) -> str:
    flagged = p >= t
    tp = float((flagged & (y == 1)).sum())
    return (f"threshold {t:.2f}: flags precision {tp / max(flagged.sum(), 1):.3f} recall {tp / max(y.sum(), 1):.3f}"
            f" ({flagged.mean():.1%} of entries flagged)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="write the model and threshold into review.py")
    ap.add_argument("--jobs", type=int, default=2, help="processes reading the development lists")
    args = ap.parse_args()
    x, y, seeds = development_set(args.jobs)
    print(f"{len(y)} entries, {int(y.sum())} read wrong ({y.mean():.1%})")
    bias, coef = fit(x, y)
    linear = review.Model(round(bias, 3), tuple(round(float(c), 3) for c in coef))
    p = out_of_fold(x, y, seeds)
    for t in (0.1, 0.15, 0.2, 0.3, 0.4, 0.5):
        print("  out of fold, " + report(p, y, t))
    t = choose_threshold(p, y)
    print("  chosen (out of fold) " + report(p, y, t))
    print("  the evidence alone, no products (in sample): " + report(predict(linear, x), y, linear_threshold(linear, x, y)))
    model = pair_model(x, y)
    print(f"  {len(model.pairs)} products of evidence kept")
    line = (f"MODEL = Model(bias={model.bias}, coef={model.coef},\n              center={model.center},\n"
            f"              scale={model.scale},\n              pairs={model.pairs})\nTHRESHOLD = {t}\n")
    if args.write:
        path = Path(review.__file__)
        text = path.read_text(encoding="utf-8")
        start = text.index("MODEL = Model(")
        end = text.index("\n", text.index("THRESHOLD = ", start)) + 1
        path.write_text(text[:start] + line + text[end:], encoding="utf-8")
        print(f"written to {path}")
    else:
        print(line, end="")


def linear_threshold(model: review.Model, x: np.ndarray, y: np.ndarray) -> float:
    return choose_threshold(predict(model, x), y)


if __name__ == "__main__":
    main()
