"""Choose the best reading of a list: a Viterbi search over the pieces :mod:`.tokens` finds,
under the grammar of a list entry.

An entry is ``NAME [ROLE、…] POST[、POST…]``; a post is ``[原|前] ORGANISATION [ORGANISATION]
[UNIT…] [原|前] TITLE [兼 TITLE…] [(remit)]``; a later post may leave out its organisation (the
same one) and a title may be a descriptor with none (资深投资人). Entries follow each other with
or without white space or 、. The grammar is a small automaton; every path through it that
covers the text is a reading, and the decoder returns the best ones with their scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias

from ecokg.loaders.lists.lexicon import FIELD_WORDS, GENERIC_STEMS, UNIT_SUFFIXES
from ecokg.loaders.lists.tokens import (
    CONC,
    DESC,
    FORMER,
    NAME,
    ORG,
    REMIT,
    ROLE,
    SEP,
    SKIP,
    TITLE,
    UNIT,
    Candidates,
    Token,
    org_stem,
)

# states: what was read last
START, N, R, SR, O, U, F1, F2, T, TR, C, S, D = ("start", "name", "role", "role-sep", "org", "unit", "former-org",
                                                 "former-title", "title", "remit", "conc", "sep", "desc")
NR = "name-after-role"  # a name right after a role and 、: a new entry, unless what follows is the last one's post
FINAL = frozenset({T, TR, D, R, START})
#: Paths that have read the same text and score this much below the best are dropped (a beam).
BEAM = 8.0
#: A path so far, as a linked list from its last token back: (token, state after it, the rest).
Back: TypeAlias = "tuple[Token, str, Back] | None"


def _transitions(w_title_after_name: float, w_entry_after_sep: float, w_no_person: float,
                 w_entry_after_role: float) -> dict[str, list[tuple[str, str, float]]]:
    """state -> [(token kind, next state, transition score)]."""
    after_name = [(ROLE, R, 0.0), (ORG, O, 0.0), (FORMER, F1, 0.0), (DESC, D, -1.5), (TITLE, T, w_title_after_name)]
    return {
        START: [(NAME, N, 0.0), (ORG, O, w_no_person)],
        N: after_name,
        # a name after a role and 、 followed by a role of its own is the next entry of a list of
        # roles (张伟理事长、李娜副理事长): what a new entry there costs is given back
        NR: [(kind, nxt, -w_entry_after_role if kind == ROLE else score) for kind, nxt, score in after_name],
        R: [(SEP, SR, 0.0), (ORG, O, -1.0), (NAME, N, -1.0)],
        # a new person right after a role and 、 leaves the last one with a role and no post
        SR: [(ROLE, R, 0.0), (ORG, O, 0.0), (FORMER, F1, 0.0), (DESC, D, 0.0), (NAME, NR, w_entry_after_role)],
        O: [(ORG, O, 0.0), (UNIT, U, 0.0), (FORMER, F2, 0.0), (TITLE, T, 0.0)],
        U: [(UNIT, U, -0.3), (TITLE, T, 0.0), (FORMER, F2, 0.0)],
        F1: [(ORG, O, 0.0)],
        F2: [(UNIT, U, 0.0), (TITLE, T, 0.0)],
        T: [(CONC, C, 0.0), (REMIT, TR, 0.0), (SEP, S, 0.0), (NAME, N, 0.0), (ORG, O, w_no_person)],
        TR: [(SEP, S, 0.0), (CONC, C, 0.0), (NAME, N, 0.0), (ORG, O, w_no_person)],
        C: [(TITLE, T, 0.0), (UNIT, U, 0.0), (ORG, O, 0.0), (FORMER, F2, 0.0)],
        S: [(ORG, O, 0.0), (FORMER, F1, 0.0), (UNIT, U, -1.0), (TITLE, T, -0.5), (DESC, D, 0.0), (ROLE, R, -1.0),
            (NAME, N, w_entry_after_sep)],
        D: [(SEP, S, 0.0), (NAME, N, 0.0)],
    }


def _entered(trans: dict[str, list[tuple[str, str, float]]]) -> dict[str, str]:
    """state -> the one kind of token that leads to it (START: a skipped character)."""
    entered: dict[str, str] = {START: SKIP}  # a path starts in START or returns there after a skip
    for steps in trans.values():
        for kind, nxt, _ in steps:
            if entered.setdefault(nxt, kind) != kind:
                raise ValueError(f"state {nxt} entered by {entered[nxt]} and {kind}")
    return entered


def _insert(slot: list[tuple[float, Back]], item: tuple[float, Back], k: int) -> None:
    """Put ``item`` into ``slot`` (best first, at most ``k``) after the paths that score as well
    (where the stable sort it replaced put it). The decoder appends one that scores no better
    than the last itself: the common case, not worth a call."""
    total = item[0]
    i = len(slot)
    while i > 0 and slot[i - 1][0] < total:
        i -= 1
    slot.insert(i, item)
    if len(slot) > k:
        slot.pop()


def _context_steps(trans: dict[str, list[tuple[str, str, float]]],
                   entered: dict[str, str]) -> dict[tuple[str, str], bool]:
    """(state, token kind) -> may :meth:`Decoder._context` score the step (else it adds 0)?

    It scores a step after a name, and an organisation after a separator or another
    organisation. Each state is entered by one kind of token only (N by a name, S by a
    separator ...), so the kind of the last token is known from the state: the question is asked
    once per state and kind rather than once per path (``entered``: see :func:`_entered`)."""
    return {(state, kind): entered[state] == NAME or (kind == ORG and (state == O or entered[state] == SEP))
            for state, steps in trans.items() for kind, _, _ in steps}


@dataclass(frozen=True)
class Path:
    """A reading: its total score, its tokens in order, and the state after each token."""

    score: float
    tokens: tuple[Token, ...]
    states: tuple[str, ...]


class Decoder:
    """Viterbi (and k-best) over the candidates of one normalised list."""

    def __init__(self, cands: Candidates):
        self.c = cands
        w = cands.w
        self.trans = _transitions(w.title_after_name, w.entry_after_sep, w.no_person, w.entry_after_role)
        entered = _entered(self.trans)
        self._with_context = _context_steps(self.trans, entered)
        #: states entered by a name: the context of a step from them depends on the kind of the
        #: token and where it starts (:meth:`_context`), not on where it ends
        self._after_name = {state: entered[state] == NAME for state in self.trans}

    def _context(self, prev_state: str, prev: Token, tok: Token) -> float:
        """Scores that depend on what came before (0 for most steps)."""
        c = self.c
        w = c.w
        kind = tok.kind
        score = 0.0
        if prev.kind == NAME:
            # names are no dictionary words: a word cut after one counts less
            score -= (1.0 - w.name_end_cut) * c.cut_pen[tok.start]
            if kind == ORG and c.lead_given[tok.start] and c.short_name(prev.start, prev.end):
                score += w.org_lead_given  # 柴玉|霞长江证券: the organisation took the name's last character
        if kind == ORG:
            if prev.kind == SEP and c.starts_like_name_at(tok.start, tok.end):
                score += w.org_starts_like_name  # 、骆飞深创投: after a separator, a person, then an organisation
            if prev_state == O:
                t = c.t
                first = t[prev.start:prev.end]
                second = t[tok.start:tok.end]
                score += w.org_after_org
                if prev.end == tok.start and t[prev.start:tok.end] in c.s.known_orgs:
                    return float("-inf")  # 中国电信天翼云 is known as one name: not 天翼云 under 中国电信
                if second.startswith(first[:2]):
                    score += w.org_same_stem
                elif _generic(second):
                    return float("-inf")  # 中国人寿股权基金, 京东集团科技与工业投资: no subsidiary's own name
                elif second.endswith(UNIT_SUFFIXES) and second not in c.s.known_orgs:
                    return float("-inf")  # 清华大学智能产业研究院: a unit of the first, not another organisation
        return score

    def best(self, lo: int = 0, hi: int | None = None, k: int = 1, start: str = START) -> list[Path]:
        """The ``k`` best readings of ``text[lo:hi]`` that start in state ``start`` and end in a
        final state, best first."""
        t = self.c.t
        hi = len(t) if hi is None else hi
        if k == 1:
            return self._best1(lo, hi, start)
        found = self.c.found
        at = self.c.at
        strong = self.c.strong_org
        context = self._context
        trans = self.trans
        with_context = self._with_context
        after_name = self._after_name
        neg_inf = float("-inf")
        # chart[pos][state] = list of (score, (token, state, back)): a linked list of the path so far
        chart: dict[int, dict[str, list[tuple[float, Back]]]] = {lo: {start: [(0.0, None)]}}
        for p in range(lo, hi):
            states = chart.pop(p, None)
            if not states:
                continue
            here = found[p]  # the pieces starting at p, by kind, found so far
            skips = at(SKIP, p)
            # every path here has read text[lo:p]: one far behind the best will not catch up
            floor = max([items[0][0] for items in states.values()]) - BEAM
            for state, items in states.items():
                if items[0][0] < floor:
                    continue
                for kind, nxt, tscore in trans[state]:
                    if state == O and kind == ORG and not any(
                            back is not None and strong(back[0]) for _, back in items):
                        continue  # only a strong name (银行, 集团 ...) is followed by a subsidiary
                    toks = here.get(kind)
                    if toks is None:
                        toks = at(kind, p)
                    if not toks:
                        continue
                    # what :meth:`_context` scores: after a name; an organisation after a
                    # separator or another organisation (elsewhere it adds 0: not called)
                    scored = with_context[state, kind]
                    # after a name it depends on the kind and the position only: asked once per path
                    shared = [context(state, back[0], toks[0]) if back is not None else None for _, back in items] \
                        if scored and after_name[state] else None
                    for tok in toks:
                        end = tok.end
                        if end > hi:
                            continue
                        base = tscore + tok.score
                        slots = chart.get(end)  # where every path through this token lands
                        if slots is None:
                            slots = chart[end] = {}
                        slot = slots.get(nxt)
                        if scored:
                            extras = shared if shared is not None else [
                                context(state, back[0], tok) if back is not None else None for _, back in items]
                            for (score, back), extra in zip(items, extras):
                                total = score + base
                                if extra is not None:
                                    if extra == neg_inf:
                                        continue
                                    total += extra
                                if slot is None:
                                    slot = slots[nxt] = [(total, (tok, nxt, back))]
                                elif total > slot[-1][0]:
                                    _insert(slot, (total, (tok, nxt, back)), k)
                                elif len(slot) < k:
                                    slot.append((total, (tok, nxt, back)))  # no better than the last
                        else:
                            for score, back in items:
                                total = score + base
                                if slot is None:
                                    slot = slots[nxt] = [(total, (tok, nxt, back))]
                                elif total > slot[-1][0]:
                                    _insert(slot, (total, (tok, nxt, back)), k)
                                elif len(slot) < k:
                                    slot.append((total, (tok, nxt, back)))
                                else:
                                    # the items are best first and the slot only gets better: no
                                    # later item (the same score added to a smaller one) gets in
                                    break
                for tok in skips:
                    slot = chart.setdefault(tok.end, {}).setdefault(START, [])
                    for score, back in items:
                        total = score + tok.score
                        if slot and total <= slot[-1][0]:
                            if len(slot) == k:
                                break  # best first: no later item gets in either
                            slot.append((total, (tok, START, back)))
                        else:
                            _insert(slot, (total, (tok, START, back)), k)
        ends = chart.get(hi, {})
        finals = [(score, back) for state, items in ends.items() if state in FINAL for score, back in items]
        finals.sort(key=_first, reverse=True)
        return [Path(score, *_unroll(back)) for score, back in finals[:k]]

    def _best1(self, lo: int, hi: int, start: str) -> list[Path]:
        """:meth:`best` for ``k == 1`` (the reading of a whole list): the same search with one
        path kept per position and state, written for speed."""
        found = self.c.found
        at = self.c.at
        strong = self.c.strong_org
        context = self._context
        trans = self.trans
        neg_inf = float("-inf")
        chart: dict[int, dict[str, tuple[float, Back]]] = {lo: {start: (0.0, None)}}
        for p in range(lo, hi):
            states = chart.pop(p, None)
            if not states:
                continue
            here = found[p]
            skips = at(SKIP, p)
            floor = max(map(_first, states.values())) - BEAM
            for state, (score, back) in states.items():
                if score < floor:
                    continue
                prev = back[0] if back is not None else None
                after_name = prev is not None and prev.kind == NAME
                for kind, nxt, tscore in trans[state]:
                    if state == O and kind == ORG and not (prev is not None and strong(prev)):
                        continue
                    toks = here.get(kind)
                    if toks is None:
                        toks = at(kind, p)
                    if not toks:
                        continue
                    # what :meth:`_context` scores (elsewhere it adds 0: not called); after a name
                    # it depends on the kind and the position only: asked once for all the tokens
                    with_context = prev is not None and (after_name or (kind == ORG and (
                        state == O or prev.kind == SEP)))
                    shared = context(state, prev, toks[0]) if with_context and after_name else None  # type: ignore[arg-type]
                    base = score + tscore
                    for tok in toks:
                        end = tok.end
                        if end > hi:
                            continue
                        total = base + tok.score
                        if with_context:
                            extra = shared if shared is not None else context(state, prev, tok)  # type: ignore[arg-type]
                            if extra == neg_inf:
                                continue
                            total += extra
                        slots = chart.get(end)
                        if slots is None:
                            chart[end] = {nxt: (total, (tok, nxt, back))}
                        else:
                            cur = slots.get(nxt)
                            if cur is None or total > cur[0]:
                                slots[nxt] = (total, (tok, nxt, back))
                for tok in skips:
                    slots = chart.setdefault(tok.end, {})
                    total = score + tok.score
                    cur = slots.get(START)
                    if cur is None or total > cur[0]:
                        slots[START] = (total, (tok, START, back))
        best: tuple[float, Back] | None = None
        for state, item in chart.get(hi, {}).items():
            if state in FINAL and (best is None or item[0] > best[0]):
                best = item
        return [] if best is None else [Path(best[0], *_unroll(best[1]))]


_GENERIC_STARTS = tuple(w for w in GENERIC_STEMS + FIELD_WORDS if len(w) >= 2) + ("投资", "行业")


@lru_cache(maxsize=65536)  # asked of every organisation after another, in every reading
def _generic(org: str) -> bool:
    """Has ``org`` no name of its own: one character or a generic or field word before its suffix
    or at its start (业协会, 行业协会, 投资基金业协会: 中国保险行业协会 is one name), or a conjunction?"""
    stem = org_stem(org)
    return (len(stem) < 2 or stem in GENERIC_STEMS or stem in FIELD_WORDS or stem.startswith(_GENERIC_STARTS)
            or any(c in "与和及" for c in org))


def _first(item: tuple[float, Back]) -> float:
    return item[0]


def _unroll(back: Back) -> tuple[tuple[Token, ...], tuple[str, ...]]:
    tokens: list[Token] = []
    states: list[str] = []
    while back is not None:
        tok, state, back = back
        tokens.append(tok)
        states.append(state)
    return tuple(reversed(tokens)), tuple(reversed(states))


__all__ = ["Decoder", "Path"]
