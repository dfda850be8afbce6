"""Which readings to put before a person: a calibrated estimate that a reading is wrong.

The margin between the best reading of an entry and the best different one says how close
the decision was, but not how likely it is to be wrong: two readings of 陈瑞君联资本 can be
close and the list still unambiguous, because 君联资本 recurs elsewhere in it. The estimate
combines the margin with what made the reading (was the name set apart by white space? is
every organisation known, learned, recurring, or only guessed from its suffix? does the
runner-up move the name's end?) in a logistic model. Its coefficients are fitted on
generated development lists (``bench/fit_review.py``, seeds and organisations apart from the
benchmark's) and kept at the end of this module; an entry is flagged when the estimate reaches
``THRESHOLD``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ecokg.loaders.lists.lexicon import ORG_SUFFIXES_MEDIUM, ORG_SUFFIXES_STRONG, SEPARATORS, TITLE_CORES, TITLE_PREFIXES, UNIT_SUFFIXES
from ecokg.loaders.lists.text import Normalised
from ecokg.loaders.lists.tokens import Signals, suffix_class

TITLE_STARTS = TITLE_CORES + TITLE_PREFIXES
MARGIN_CAP = 8.0

FEATURES = (
    "margin", "margin_zero", "name_apart", "start_apart", "start_after_sep", "name3", "name4",
    "all_known", "unsupported", "weak_suffix", "no_suffix", "short_org", "posts", "alt_moves_name",
    "alt_splits", "role", "alt_moves_org", "alt_moves_title", "title_free", "org_unit_end", "name_end_cut",
    "alt_supported", "first_org_supported", "share_t05", "share_t1", "share_t2", "one_char_suffix",
)


@dataclass(frozen=True)
class Model:
    """A logistic model: the chance of a wrong reading is ``1 / (1 + exp(-(bias + coef · x)))``."""

    bias: float
    coef: tuple[float, ...]

    def p_wrong(self, x: Sequence[float]) -> float:
        z = self.bias + sum(c * v for c, v in zip(self.coef, x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def features(name: str | None, posts: Sequence[tuple[str, str]], n_roles: int, start: int, margin: float,
             runner_up: tuple[object, ...] | None, n: Normalised, signals: Signals, cuts: Sequence[float],
             shares: Sequence[float] = (1.0, 1.0, 1.0)) -> list[float]:
    """What the estimate looks at, for an entry starting at ``start`` of the normalised text:
    its reading (name, (organisation, title) of each post, alliance roles), the margin and
    the runner-up reading, and ``cuts`` (how surely a boundary at each position cuts a word)."""
    name = name or ""
    orgs = [o for o, _ in posts]
    end = start + len(name)
    apart = n.gap[end] if end < len(n.gap) else 0.0

    def supported(o: str) -> bool:
        return o in signals.known_orgs or o in signals.learned or o in signals.recurring

    classes = [suffix_class(o) for o in orgs] or [2]
    alt_name: object = None
    alt_orgs: set[str] = set()
    if runner_up and runner_up[0] != "several entries":
        alt_name = runner_up[0]
        alt_posts = runner_up[1] if isinstance(runner_up[1], tuple) else ()
        alt_orgs = {p[0] for p in alt_posts}
    same_name = alt_name == name and runner_up is not None
    return [
        min(margin, MARGIN_CAP),
        float(margin == 0.0),
        float(apart),
        1.0 if start == 0 else n.gap[start],
        float(start > 0 and n.text[start - 1] in SEPARATORS),
        float(len(name) == 3),
        float(len(name) >= 4),
        float(bool(orgs) and all(o in signals.known_orgs for o in orgs)),
        float(sum(not supported(o) for o in orgs)),
        float(min(classes) == 1),
        float(min(classes) == 0),
        float(any(len(o) <= 3 for o in orgs)),
        float(len(orgs)),
        float(alt_name is not None and alt_name != name),
        float(runner_up is not None and runner_up[0] == "several entries"),
        float(n_roles > 0),
        float(same_name and alt_orgs != set(orgs)),
        float(same_name and alt_orgs == set(orgs)),
        float(any(t and not t.startswith(TITLE_STARTS) for _, t in posts)),
        float(any(o.endswith(UNIT_SUFFIXES) for o in orgs)),
        cuts[end] if end < len(cuts) else 0.0,
        float(bool(alt_orgs) and all(supported(o) for o in alt_orgs - set(orgs))),
        float(bool(orgs) and supported(orgs[0])),
        *(_logit(x) for x in shares),
        float(any(_suffix_length(o) == 1 for o in orgs)),
    ]


def _suffix_length(org: str) -> int:
    """How long the organisation suffix ``org`` ends with is (金山云: 1, 招商银行: 2; 0 for none)."""
    return max((len(s) for s in ORG_SUFFIXES_STRONG + ORG_SUFFIXES_MEDIUM if org.endswith(s) and len(org) > len(s)),
               default=0)


def _logit(p: float, cap: float = 6.0) -> float:
    """log(p / (1 - p)), within ±cap."""
    if p <= 0.0:
        return -cap
    if p >= 1.0:
        return cap
    return max(-cap, min(cap, math.log(p / (1 - p))))


# Fitted by ``python bench/fit_review.py --write`` (see there for the development sets). An entry
# is flagged for review when its estimated chance of being wrong reaches THRESHOLD.
MODEL = Model(bias=-0.689, coef=(0.37, 0.484, 1.028, -0.061, 0.294, 0.052, -0.451, 0.0, -0.335, 0.69, 0.357, 0.837, -0.043, -1.028, 0.692, 0.805, -0.85, -1.054, 0.801, 1.11, 1.189, 0.894, -0.043, -0.355, -1.329, 0.614, 0.737))
THRESHOLD = 0.34
