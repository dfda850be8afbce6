"""Fit the review model (ecokg.loaders.lists.review) on generated development lists.

Run: python bench/fit_review.py

The development lists are generated like the benchmark's (tests/listgen.py: six layouts, 33
and 150 entries) but from other seeds (701033-730150; the benchmark uses 1033-4150), so that
bench/bench_parser.py judges the model on lists it was not fitted on. The model sees no
organisation or person by name, only how each reading was made (see review.FEATURES). Prints the coefficients to paste into review.py, and the flags' precision and
recall on the development lists for a few thresholds; the threshold chosen is the one with
the best F1. ``--write`` puts both into review.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import listgen  # noqa: E402

from ecokg.loaders.lists import read_lists, review  # noqa: E402

SEEDS = range(701, 731)
SIZES = (33, 150)
L2 = 10.0


def development_set() -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for kind in listgen.LAYOUTS:
        for seed in SEEDS:
            for size in SIZES:
                text, entries = listgen.generate(size, seed * 1000 + size, kind)
                got = [e for e in read_lists([(text, 0)])[0] if e.name]
                for e, bad in zip(got, listgen.wrong_entries(got, entries)):
                    xs.append(e.evidence)
                    ys.append(float(bad))
    return np.array(xs), np.array(ys)


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
    args = ap.parse_args()
    x, y = development_set()
    bias, coef = fit(x, y)
    print(f"{len(y)} entries, {int(y.sum())} read wrong ({y.mean():.1%})")
    for name, c in zip(review.FEATURES, coef):
        print(f"  {name:20s} {c:+.3f}")
    model = review.Model(round(bias, 3), tuple(round(float(c), 3) for c in coef))
    p = np.array([model.p_wrong(row) for row in x])
    for t in (0.1, 0.15, 0.2, 0.3, 0.4, 0.5):
        print("  " + report(p, y, t))
    t = choose_threshold(p, y)
    print("  chosen " + report(p, y, t))
    line = f"MODEL = Model(bias={model.bias}, coef={model.coef})\nTHRESHOLD = {t}\n"
    print(line, end="")
    if args.write:
        path = Path(review.__file__)
        text = path.read_text(encoding="utf-8")
        start = text.index("MODEL = Model(")
        end = text.index("\n", text.index("THRESHOLD = ", start)) + 1
        path.write_text(text[:start] + line + text[end:], encoding="utf-8")
        print(f"written to {path}")


if __name__ == "__main__":
    main()
