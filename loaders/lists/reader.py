"""Read expert lists into entries: who, which alliance roles, which posts, how sure.

>>> [(e.name, [(p.org, p.title) for p in e.posts]) for e in read_list("陈瑞君联资本联席首席投资官 丁宝玉同创伟业管理合伙人")]
[('陈瑞', [('君联资本', '联席首席投资官')]), ('丁宝玉', [('同创伟业', '管理合伙人')])]

The reader needs no list of the answers: it reads names, organisations and titles from how
such lists are written (:mod:`.tokens`, :mod:`.decode`). What it knows besides — organisations
of a gazetteer, a tagger's spans — only adds evidence. Each document is read twice: the
organisations that the first reading found with confidence, or found in several entries, are
evidence for the second. Each entry gets a confidence: the margin between its best reading
and the best different one; a small margin puts the entry on the review list.
"""

from __future__ import annotations

import dataclasses
import gc
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ecokg.loaders.lists import recur, review
from ecokg.loaders.lists.decode import F1 as AFTER_FORMER_ORG
from ecokg.loaders.lists.decode import START, TR, Decoder, Path
from ecokg.loaders.lists.decode import T as AFTER_TITLE
from ecokg.loaders.lists.lexicon import CONCURRENT, SEPARATORS, UNIT_SUFFIXES, starts_with_place
from ecokg.loaders.lists.text import Normalised, normalise
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
    Signals,
    Token,
    Weights,
)

Span = tuple[int, int]
#: How many readings of each entry are weighed against each other for its confidence.
ALTERNATIVES = 6
_ENTRY_ENDS = (START, AFTER_TITLE, TR)  # an organisation read after these starts an entry
TEMPERATURES = (0.5, 1.0, 2.0)
MARGIN_CAP = 8.0


@dataclass
class Post:
    """A post: the organisation as written, the title (units included), former or current."""

    org: str
    title: str
    former: bool
    span: Span
    org_span: Span
    remit: str | None = None
    parent: str | None = None  # an organisation written before it: the post is at a subsidiary
    parent_span: Span | None = None


@dataclass
class Entry:
    """One entry of a list, with source spans."""

    span: Span
    text: str
    name: str | None = None
    name_span: Span | None = None
    alliance_roles: list[tuple[str, Span]] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    descriptors: list[tuple[str, Span]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    margin: float = float("inf")  # how much better the chosen reading is than the next
    p_wrong: float = 0.0  # the estimated chance that the reading is wrong (see .review)
    evidence: list[float] = field(default_factory=list, repr=False)  # what the estimate looked at
    alternative: str | None = None  # the best different reading, written like a flag's (张三|华为|总裁)

    @property
    def uncertain(self) -> bool:
        return bool(self.flags)


def reading(entry: Entry) -> tuple[object, ...]:
    """What an entry says, for comparing readings."""
    return (entry.name, tuple((p.org, p.title, p.former) for p in entry.posts),
            tuple(r for r, _ in entry.alliance_roles), tuple(d for d, _ in entry.descriptors))


class _Builder:
    """Turns the tokens of one reading into entries."""

    def __init__(self, norm: Normalised, source_text: str, source_offset: int,
                 known: Mapping[str, str] | None = None):
        self.n = norm
        self.src = source_text
        self.off = source_offset
        self.known = known or {}  # written form -> canonical name of organisations a gazetteer knows

    def text(self, tok: Token) -> str:
        return self.n.text[tok.start:tok.end]

    def span(self, start: int, end: int) -> Span:
        return self.n.span(start, end)

    def entries(self, path: Path) -> list[tuple[Entry, int, int]]:
        """(entry, normalised start, normalised end) for every entry of the reading."""
        return [d.finish(self) for d in self.drafts(path)]

    def drafts(self, path: Path) -> list[_Draft]:
        """The entries of the reading, assembled but not finished: :func:`_alternatives` compares
        only what the ``k`` best readings of each entry say (:meth:`_Draft.reading`), and making
        the entries with their source spans for each of them took a seventh of its time."""
        out: list[_Draft] = []
        cur: _Draft | None = None
        prev_state = START
        for tok, state in zip(path.tokens, path.states):
            kind = tok.kind
            new_entry = kind == NAME or (kind == ORG and prev_state in _ENTRY_ENDS) or kind == SKIP
            if new_entry and cur is not None:
                out.append(cur)
                cur = None
            if kind == SKIP:
                d = _Draft(tok.start)
                d.skipped.append(tok)
                out.append(d)
            else:
                if cur is None:
                    cur = _Draft(tok.start)
                cur.add(tok, prev_state, state, self)
            prev_state = state
        if cur is not None:
            out.append(cur)
        return out


class _Draft:
    """An entry being assembled from its tokens."""

    def __init__(self, start: int):
        self.start = start
        self.end = start
        self.name: Token | None = None
        self.roles: list[Token] = []
        self.descs: list[Token] = []
        self.posts: list[_PostDraft] = []
        self.skipped: list[Token] = []
        self._org: Token | None = None  # the organisation of the post being read
        self._parent: Token | None = None
        self._post_start = 0
        self._former = False
        self._parts: list[Token] = []  # units and titles of the title being read
        self._joiner = ""  # how a title continues the last post: 兼 or 、

    def add(self, tok: Token, before: str, after: str, b: _Builder) -> None:
        kind = tok.kind
        if kind != SEP:
            self.end = tok.end  # a separator after the last post belongs to no entry
        if kind == NAME:
            self.name = tok
        elif kind == ROLE:
            self.roles.append(tok)
        elif kind == DESC:
            self.descs.append(tok)
        elif kind == FORMER:
            self._former = True
            if after == AFTER_FORMER_ORG:
                self._post_start = tok.start
        elif kind == ORG:
            if before == "org" and self._org is not None:
                self._parent, self._org = self._org, tok  # a subsidiary written after its parent
            else:
                if not self._former:
                    self._post_start = tok.start
                self._org, self._parent = tok, None
        elif kind in (UNIT, TITLE):
            self._parts.append(tok)
            if kind == TITLE:
                self._title_done(b)
        elif kind == CONC:
            self._joiner = CONCURRENT
        elif kind == SEP:
            self._joiner = "、"
        elif kind == REMIT and self.posts:
            self.posts[-1].remit = b.text(tok)[1:-1]
            self.posts[-1].end = tok.end

    def _title_done(self, b: _Builder) -> None:
        title = "".join(b.text(t) for t in self._parts)
        start, end = self._parts[0].start, self._parts[-1].end
        if self._org is not None and self.posts and self._unit_of_last(b):
            # 用友集团副总裁、用友研究院院长: a unit of the same organisation stays in the title
            last = self.posts[-1]
            last.title = f"{last.title}{self._joiner or '、'}{b.text(self._org)}{title}"
            last.end = end
        elif self._org is not None:
            self.posts.append(_PostDraft(self._org, self._parent, title, self._former, self._post_start, end))
        elif self.posts:
            last = self.posts[-1]
            last.title = f"{last.title}{self._joiner or '、'}{title}"
            last.end = end
            last.former = last.former or self._former
        else:
            self.descs.append(Token(DESC, start, end, 0.0))
        self._org = self._parent = None
        self._parts = []
        self._former = False
        self._joiner = ""

    def _unit_of_last(self, b: _Builder) -> bool:
        """Is the organisation just read the last post's again, or a unit of it (用友集团副总裁、
        用友研究院院长: same name stem and a unit suffix, or a name the gazetteer knows as the same)?"""
        assert self._org is not None
        org, last = b.text(self._org), b.text(self.posts[-1].org)
        if self._parent is not None or org == last:
            return False
        place = starts_with_place(org)
        if place and last.startswith(place):  # 中国科学院 is no unit of 中国社会科学院
            org, last = org[len(place):], last[len(place):]
        if org[:2] == last[:2] and org.endswith(UNIT_SUFFIXES):
            return True
        same = b.known.get(org)
        return same is not None and same == b.known.get(last) and self._parts[0].kind == UNIT

    def reading(self, b: _Builder) -> tuple[object, ...]:
        """What :func:`reading` says of the entry :meth:`finish` makes, read from the draft."""
        return (b.text(self.name) if self.name is not None else None,
                tuple((b.text(p.org), p.title, p.former) for p in self.posts),
                tuple(b.text(t) for t in self.roles), tuple(b.text(t) for t in self.descs))

    def finish(self, b: _Builder) -> tuple[Entry, int, int]:
        span = b.span(self.start, self.end)
        e = Entry(span=span, text=b.src[span[0] - b.off:span[1] - b.off])
        if self.name is not None:
            e.name = b.text(self.name)
            e.name_span = b.span(self.name.start, self.name.end)
        e.alliance_roles = [(b.text(t), b.span(t.start, t.end)) for t in self.roles]
        e.descriptors = [(b.text(t), b.span(t.start, t.end)) for t in self.descs]
        for p in self.posts:
            e.posts.append(Post(
                org=b.text(p.org), title=p.title, former=p.former, span=b.span(p.start, p.end),
                org_span=b.span(p.org.start, p.org.end), remit=p.remit,
                parent=b.text(p.parent) if p.parent else None,
                parent_span=b.span(p.parent.start, p.parent.end) if p.parent else None))
        if self.skipped:
            e.flags.append(f"could not read {e.text!r}")
        return e, self.start, self.end


@dataclass
class _PostDraft:
    org: Token
    parent: Token | None
    title: str
    former: bool
    start: int
    end: int
    remit: str | None = None


def read_list(text: str, offset: int = 0, known_orgs: Mapping[str, str] | None = None) -> list[Entry]:
    """Read one list section ``text`` that starts at ``offset`` in the source."""
    return read_lists([(text, offset)], known_orgs)[0]


def read_lists(sections: Sequence[tuple[str, int]], known_orgs: Mapping[str, str] | None = None,
               weights: Weights | None = None) -> list[list[Entry]]:
    """Read the list sections of one document together (what one list teaches helps the others)."""
    # the reader makes millions of small acyclic objects (tokens, paths); the cycle collector
    # finds nothing among them and took a sixth of the time: paused while reading
    paused = gc.isenabled()
    gc.disable()
    try:
        return _read_lists(sections, known_orgs, weights)
    finally:
        if paused:
            gc.enable()


def _read_lists(sections: Sequence[tuple[str, int]], known_orgs: Mapping[str, str] | None,
                weights: Weights | None) -> list[list[Entry]]:
    w = weights or Weights()
    known = dict(known_orgs or {})
    docs = []
    for text, offset in sections:
        n = normalise(text, offset)
        docs.append((n, text, offset, Candidates(n, Signals(known_orgs=known), w)))
    # first reading: what the document itself says about its organisations
    confident: set[str] = set()
    starts = after_sep = 0
    possible: Counter[str] = Counter()  # in how many entries a reading of an organisation is possible
    chosen: set[str] = set()  # organisations some entry's best reading names
    chosen_spans: list[tuple[recur.Grams, list[tuple[int, int]]]] = []
    unit_spans: list[tuple[recur.Grams, list[tuple[int, int]]]] = []
    for n, text, offset, cands in docs:
        path = _best(Decoder(cands))
        org_spans, units = _org_spans(path, cands)
        chosen_spans.append((cands.grams, org_spans))
        unit_spans.append((cands.grams, units))
        certain = _certain_names(path, n)
        for entry, s, e in _Builder(n, text, offset, known).entries(path):
            starts += 1
            after_sep += s > 0 and n.text[s - 1] in SEPARATORS
            if s in certain:
                confident.update(p.org for p in entry.posts)
            possible.update(_org_readings(entry, n, s))
            chosen.update(p.org for p in entry.posts)
    learned = frozenset(confident)
    # recurring: possible in several entries and chosen in one (陈瑞君联资本 and 丁宝玉君联资本...), not
    # only a variant everywhere (吴柏寒京东集团 and 徐尉金东集团 do not make 东集团 recur)
    recurring = frozenset(o for o, c in possible.items() if c > 1 and o in chosen)
    # ... unless always written after the same character: the tail of a longer name (安信 in 奇安信)
    recurring -= recur.bound([(g, [s for s in spans if 0 < s[1] - s[0] <= 6]) for g, spans in chosen_spans])
    # attested: written in varied company on both sides in several places (奇安信, not 安信)
    seen = recur.attested(chosen_spans) if w.org_attested else frozenset()
    # bound: units always written after the same character (国家超级|计算无锡中心): the end of a name
    tied = recur.bound(unit_spans) if w.unit_bound else frozenset()
    # attested units: written after varied names (投资部 after 瑞幸咖啡, 中国平安 ...), not only the
    # tail of one (咖啡投资部 is written once)
    units_seen = recur.attested(unit_spans, reach_end=0) if w.unit_attested else frozenset()
    dun_list = bool(starts and after_sep / starts > 0.3)
    if dun_list:
        # a list whose entries are separated by 、 (or whose 、 often starts an entry)
        w = dataclasses.replace(w, entry_after_sep=w.entry_after_sep_in_dun_lists)
    # second reading, with that evidence
    out = []
    for n, text, offset, cands in docs:
        cands.w = w
        cands.learn(learned, recurring, seen, tied, units_seen)
        dec = Decoder(cands)
        entries = []
        read = _Builder(n, text, offset, known).entries(_best(dec))
        for i, (entry, s, e) in enumerate(read):
            entry.margin, runner_up, share = _alternatives(dec, s, e, entry, n, text, offset)
            # the next entry begins right after a 、 of this one, in a list whose entries are not
            # separated so: this entry's end (and so its last post) is in doubt (庞秀梅平安证券首席信息官、
            # 红杉中国人工智能研究院总监: 红杉 read as the next person)
            nxt = read[i + 1][1] if i + 1 < len(read) else -1
            next_after_sep = nxt > 0 and n.text[nxt - 1] in SEPARATORS and not dun_list
            entry.evidence = review.features(entry.name, [(p.org, p.title) for p in entry.posts],
                                             len(entry.alliance_roles), s, entry.margin, runner_up, n, cands.s,
                                             cands.cuts, share, lambda o: len(cands.grams.occurrences(o)),
                                             (next_after_sep, dun_list))
            entry.p_wrong = review.MODEL.p_wrong(entry.evidence)
            entry.alternative = _written(runner_up)
            if entry.name is None and entry.posts:
                entry.flags.append("entry names no person")
            elif entry.p_wrong >= review.THRESHOLD:
                # what the reviewer decides between: this reading and the best different one
                entry.flags.append(f"reading uncertain ({entry.p_wrong:.0%} likely wrong): "
                                   + (_written(reading(entry)) or "") + (f"; next best: {entry.alternative}"
                                                                 if entry.alternative else ""))
            entries.append(entry)
        out.append(entries)
    return out


def _org_spans(path: Path, cands: Candidates) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans of a reading's organisations, and of each organisation with what follows it up
    to where a unit ends (中国电子|信息产业发展研究院: what a post's name may span); and the spans of
    its units and of the units inside them (计算无锡中心|信息科学技术学院)."""
    orgs: list[tuple[int, int]] = []
    units: list[tuple[int, int]] = []
    chain = -1
    for tok in path.tokens:
        if tok.kind == ORG:
            orgs.append((tok.start, tok.end))
            if chain < 0:
                chain = tok.start
            elif chain != tok.start:
                orgs.append((chain, tok.end))
        elif tok.kind == UNIT and chain >= 0:
            inner = cands.unit_ends(tok.start, tok.end)
            orgs.extend((chain, e) for e in inner)
            cuts = [tok.start] + inner
            units.extend((a, b) for a in cuts for b in inner if a < b)
        else:
            chain = -1
    return orgs, units


def _certain_names(path: Path, n: Normalised) -> set[int]:
    """Starts of the entries whose name ends beyond doubt: at white space or before an alliance role."""
    out = set()
    for i, tok in enumerate(path.tokens[:-1]):
        if tok.kind == NAME and (n.gap[tok.end] >= 1.0 or path.tokens[i + 1].kind == ROLE):
            out.add(tok.start)
    return out


def _org_readings(entry: Entry, n: Normalised, s: int) -> set[str]:
    """The organisation the entry names first, and how it would read with a name one character
    shorter or longer (陈瑞|君联资本, 陈瑞君|联资本): what may recur in other entries."""
    if not entry.posts or entry.name is None or entry.alliance_roles:
        return {p.org for p in entry.posts}
    out = {p.org for p in entry.posts}
    first = entry.posts[0]
    org_end = s + len(entry.name) + len(first.org)
    if n.text[s + len(entry.name):org_end] != first.org:
        return out
    for k in (2, 3, 4):
        if k != len(entry.name) and s + k < org_end - 1:
            out.add(n.text[s + k:org_end])
    return out


def _best(dec: Decoder) -> Path:
    paths = dec.best()
    if not paths:  # cannot happen: one character can always be skipped
        raise RuntimeError("no reading of the list")
    return paths[0]


def _alternatives(dec: Decoder, s: int, e: int, entry: Entry, n: Normalised, text: str,
                  offset: int, k: int = ALTERNATIVES) -> tuple[float, tuple[object, ...] | None, list[float]]:
    """How much better the entry's reading is than its best different one, that one, and a list:
    the share of the weight (``exp(score / T)``, at each temperature ``T``) of the ``k`` best
    readings that says what the entry says; the shares (at ``T`` = 1) that give it the same name,
    and the same organisations; how much better it is than the best reading with another name,
    and than the best with other organisations (``MARGIN_CAP`` when none of the ``k`` has one)."""
    paths = dec.best(s, e, k=k)
    mine = reading(entry)
    b = _Builder(n, text, offset, dec.c.s.known_orgs)
    best = paths[0].score if paths else 0.0
    margin: float | None = None
    runner_up: tuple[object, ...] | None = None
    agree = [0.0] * (len(TEMPERATURES) + 2)
    total = [0.0] * len(TEMPERATURES)
    # how far down the best reading with another name, and with other organisations, is
    apart = [MARGIN_CAP, MARGIN_CAP]
    for i, path in enumerate(paths):
        got = b.drafts(path)
        r = got[0].reading(b) if len(got) == 1 else ("several entries", len(got))
        same = (r[0] == mine[0], len(got) == 1 and _orgs(r) == _orgs(mine))
        for j, temp in enumerate(TEMPERATURES):
            weight = math.exp((path.score - best) / temp)
            total[j] += weight
            if r == mine:
                agree[j] += weight
            if temp == 1.0:
                for x, ok in enumerate(same):
                    agree[len(TEMPERATURES) + x] += weight if ok else 0.0
        for x, ok in enumerate(same):
            if not ok:
                apart[x] = min(apart[x], best - path.score)
        if r != mine and margin is None:
            margin, runner_up = (0.0 if i == 0 else best - path.score), r
    if margin is None:
        # every reading found says the same: at least this much better
        margin = best - paths[-1].score if len(paths) == k else float("inf")
    t1 = total[TEMPERATURES.index(1.0)]
    shares = [a / t if t else 1.0 for a, t in zip(agree, total)]
    shares += [a / t1 if t1 else 1.0 for a in agree[len(TEMPERATURES):]]
    return margin, runner_up, shares + apart


def _written(r: tuple[object, ...] | None) -> str | None:
    """A reading (see :func:`reading`) as a reviewer reads it: name|organisation|title, posts
    joined by 、, a former post marked 原 (None for no reading or one of several entries)."""
    if r is None or r[0] == "several entries" or not isinstance(r[1], tuple):
        return None
    posts = "、".join(f"{org}|{'原' if former else ''}{title}" for org, title, former in r[1])
    return f"{r[0]}|{posts}"


def _orgs(r: tuple[object, ...]) -> object:
    """The organisations of a reading (see :func:`reading`)."""
    posts = r[1]
    return tuple(p[0] for p in posts) if isinstance(posts, tuple) else None


__all__ = ["Entry", "Post", "read_list", "read_lists"]
