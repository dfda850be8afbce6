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

    def _context(self, prev_state: str, prev: Token, tok: Token) -> float:
        """Scores that depend on what came before (0 for most steps)."""
        w = self.c.w
        kind = tok.kind
        score = 0.0
        if prev.kind == NAME:
            # names are no dictionary words: a word cut after one counts less
            score -= (1.0 - w.name_end_cut) * self.c.cut_pen[tok.start]
            if kind == ORG and self.c.lead_given[tok.start] and self.c.short_name(prev.start, prev.end):
                score += w.org_lead_given  # 柴玉|霞长江证券: the organisation took the name's last character
        if kind == ORG:
            if prev.kind == SEP and self.c.starts_like_name_at(tok.start, tok.end):
                score += w.org_starts_like_name  # 、骆飞深创投: after a separator, a person, then an organisation
            if prev_state == O:
                first = self.c.t[prev.start:prev.end]
                second = self.c.t[tok.start:tok.end]
                score += w.org_after_org
                if prev.end == tok.start and self.c.t[prev.start:tok.end] in self.c.s.known_orgs:
                    return float("-inf")  # 中国电信天翼云 is known as one name: not 天翼云 under 中国电信
                if second.startswith(first[:2]):
                    score += w.org_same_stem
                elif _generic(second):
                    return float("-inf")  # 中国人寿股权基金, 京东集团科技与工业投资: no subsidiary's own name
                elif second.endswith(UNIT_SUFFIXES) and second not in self.c.s.known_orgs:
                    return float("-inf")  # 清华大学智能产业研究院: a unit of the first, not another organisation
        return score

    def best(self, lo: int = 0, hi: int | None = None, k: int = 1, start: str = START) -> list[Path]:
        """The ``k`` best readings of ``text[lo:hi]`` that start in state ``start`` and end in a
        final state, best first."""
        t = self.c.t
        hi = len(t) if hi is None else hi
        if k == 1:
            return self._best1(lo, hi, start)
        cache = self.c.cached
        at = self.c.at
        strong = self.c.strong_org
        context = self._context
        trans = self.trans
        neg_inf = float("-inf")
        # chart[pos][state] = list of (score, (token, state, back)): a linked list of the path so far
        chart: dict[int, dict[str, list[tuple[float, Back]]]] = {lo: {start: [(0.0, None)]}}
        for p in range(lo, hi):
            states = chart.pop(p, None)
            if not states:
                continue
            here: dict[str, list[Token]] = {}  # the pieces starting at p, by kind, fetched once
            # every path here has read text[lo:p]: one far behind the best will not catch up
            floor = max(items[0][0] for items in states.values()) - BEAM
            for state, items in states.items():
                if items[0][0] < floor:
                    continue
                for kind, nxt, tscore in trans[state]:
                    if state == O and kind == ORG and not any(
                            back is not None and strong(back[0]) for _, back in items):
                        continue  # only a strong name (银行, 集团 ...) is followed by a subsidiary
                    toks = here.get(kind)
                    if toks is None:
                        toks = cache.get((kind, p))
                        if toks is None:
                            toks = at(kind, p)
                        here[kind] = toks
                    for tok in toks:
                        end = tok.end
                        if end > hi:
                            continue
                        base = tscore + tok.score
                        # what :meth:`_context` scores: after a name; an organisation after a
                        # separator or another organisation (elsewhere it adds 0: not called)
                        is_org = tok.kind == ORG
                        org_ctx = is_org and state == O
                        slots = chart.get(end)  # where every path through this token lands
                        if slots is None:
                            slots = chart[end] = {}
                        slot = slots.get(nxt)
                        for score, back in items:
                            total = score + base
                            if back is not None and (back[0].kind == NAME or (is_org and (
                                    org_ctx or back[0].kind == SEP))):
                                extra = context(state, back[0], tok)
                                if extra == neg_inf:
                                    continue
                                total += extra
                            if slot is None:
                                slot = slots[nxt] = [(total, (tok, nxt, back))]
                            elif len(slot) < k or total > slot[-1][0]:
                                i = len(slot)
                                while i > 0 and slot[i - 1][0] < total:
                                    i -= 1
                                slot.insert(i, (total, (tok, nxt, back)))
                                if len(slot) > k:
                                    slot.pop()
                for tok in at(SKIP, p):
                    for score, back in items:
                        slot = chart.setdefault(tok.end, {}).setdefault(START, [])
                        entry = (score + tok.score, (tok, START, back))
                        if len(slot) < k:
                            slot.append(entry)
                            slot.sort(key=_first, reverse=True)
                        elif entry[0] > slot[-1][0]:
                            slot[-1] = entry
                            slot.sort(key=_first, reverse=True)
        ends = chart.get(hi, {})
        finals = [(score, back) for state, items in ends.items() if state in FINAL for score, back in items]
        finals.sort(key=_first, reverse=True)
        return [Path(score, *_unroll(back)) for score, back in finals[:k]]

    def _best1(self, lo: int, hi: int, start: str) -> list[Path]:
        """:meth:`best` for ``k == 1`` (the reading of a whole list): the same search with one
        path kept per position and state, written for speed."""
        cache = self.c.cached
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
            here: dict[str, list[Token]] = {}
            floor = max(v[0] for v in states.values()) - BEAM
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
                        toks = cache.get((kind, p))
                        if toks is None:
                            toks = at(kind, p)
                        here[kind] = toks
                    # what :meth:`_context` scores (elsewhere it adds 0: not called)
                    with_context = prev is not None and (after_name or (kind == ORG and (
                        state == O or prev.kind == SEP)))
                    base = score + tscore
                    for tok in toks:
                        end = tok.end
                        if end > hi:
                            continue
                        total = base + tok.score
                        if with_context:
                            extra = context(state, prev, tok)  # type: ignore[arg-type]
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
                for tok in at(SKIP, p):
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
