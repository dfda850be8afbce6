"""Read the entries of an expert list: who, which alliance roles, which posts.

An expert list is a run of entries such as
``张亚勤理事会成员、中国工程院院士、清华大学智能产业研究院院长寇冠理事会成员、…``:
entries follow each other with or without a space, the name runs into the first
role or organisation, and one entry holds several posts separated by 、 or ,
(and several titles joined by 兼). This module finds the entries and their parts;
it knows no ontology and no database. Every part keeps its character span in the
source so the graph can cite it.

>>> from ecokg.loaders.gazetteer import Gazetteer
>>> g = Gazetteer(); g.add_org("君联资本")
>>> text = "陈瑞君联资本联席首席投资官 丁宝玉同创伟业管理合伙人"
>>> es = parse_list(text, 0, g)
>>> [(e.name, [p.org for p in e.posts]) for e in es]
[('陈瑞', ['君联资本']), ('丁宝玉', ['同创伟业'])]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ecokg.loaders.bluebook.titles import OrgTitle, parse_title, split_org_title
from ecokg.loaders.gazetteer import Gazetteer
from ecokg.loaders.lexicon import (
    ALLIANCE_PREFIX,
    ALLIANCE_ROLE_WORDS,
    CONCURRENT,
    DEPT_SUFFIXES,
    DESCRIPTOR_CORES,
    ORG_SUFFIXES,
    POST_SEPARATORS,
    TITLE_CORES,
    is_cjk,
    starts_with_place,
    surname_at,
)

Span = tuple[int, int]


@dataclass
class Post:
    """A post: organisation as written (None when inherited from the previous post), title."""

    org: str
    title: str
    former: bool
    span: Span
    org_span: Span
    remit: str | None = None
    confidence: str = "suffix"


@dataclass
class Entry:
    """One entry of a list, with absolute character spans."""

    span: Span
    text: str
    name: str | None = None
    name_span: Span | None = None
    alliance_roles: list[tuple[str, Span]] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    descriptors: list[tuple[str, Span]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    name_certain: bool = False


_CORES_BY_LEN = sorted(TITLE_CORES, key=len, reverse=True)
_OPEN, _CLOSE = "(（", ")）"


def _ends_with_title(text: str) -> bool:
    if text and text[-1] in _CLOSE:
        return True
    return any(text.endswith(c) for c in _CORES_BY_LEN)


def _starts_with_role(text: str) -> str | None:
    for w in ALLIANCE_ROLE_WORDS:
        if text.startswith(w):
            return w
    if text.startswith(ALLIANCE_PREFIX):
        return ALLIANCE_PREFIX
    return None


def _name_lengths(text: str) -> list[int]:
    s = surname_at(text)
    if s == 0:
        return []
    return [s + 1, s + 2]


def _is_bare_name(chunk: str) -> bool:
    return (
        2 <= len(chunk) <= 4
        and all(is_cjk(c) for c in chunk)
        and surname_at(chunk) > 0
        and not _ends_with_title(chunk)
        and _starts_with_role(chunk[2:]) is None
    )


def _plausible_entry_start(text: str, gaz: Gazetteer) -> bool:
    """Does ``text`` begin like an entry: a name followed by a role or an organisation?"""
    for k in _name_lengths(text):
        rest = text[k:]
        if not rest or not all(is_cjk(c) for c in text[:k]):
            continue
        if _starts_with_role(rest):
            return True
        # the rest may run on into further entries: try each prefix that ends with a title
        first = _first_post(rest)
        for j in range(2, len(first) + 1):
            if _ends_with_title(first[:j]) and split_org_title(first[:j], gaz, need_org=True):
                return True
    return False


def _first_segment(text: str) -> str:
    """The text up to the first 、 , ; outside parentheses."""
    segments = _split_posts(text, 0)
    return segments[0][0] if segments else ""


def _first_post(text: str) -> str:
    """The first post of an entry body, without its remit and later 兼 parts."""
    seg = _first_segment(text)
    m = _REMIT_RE.search(seg)
    if m:
        seg = seg[: m.start()]
    return seg.split(CONCURRENT)[0]


def split_entries(text: str, gaz: Gazetteer) -> list[tuple[Span, bool]]:
    """Spans of the entries in a list section (relative to ``text``), each with a flag
    telling whether the entry's name stands apart (followed by a space)."""
    chunks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    spans: list[tuple[Span, bool]] = []
    i = 0
    while i < len(chunks):
        s, e = chunks[i]
        chunk = text[s:e]
        if _is_bare_name(chunk) and i + 1 < len(chunks):
            # "张健华 联盟金融科技专委会主任、…": the name stands apart from its body
            s2, e2 = chunks[i + 1]
            starts = _inner_starts(text[s2:e2], gaz)
            first_end = s2 + starts[1] if len(starts) > 1 else e2
            spans.append(((s, first_end), True))
            spans.extend(((s2 + a, s2 + b), False) for a, b in zip(starts[1:], starts[2:] + [e2 - s2]))
            i += 2
            continue
        starts = _inner_starts(chunk, gaz)
        spans.extend(((s + a, s + b), False) for a, b in zip(starts, starts[1:] + [e - s]))
        i += 1
    return spans


def _inner_starts(chunk: str, gaz: Gazetteer) -> list[int]:
    """Offsets in ``chunk`` where entries begin (0 and every later boundary)."""
    starts = [0]
    depth = 0
    for j, ch in enumerate(chunk):
        if ch in _OPEN:
            depth += 1
            continue
        if ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth or j + 1 >= len(chunk) or j + 1 - starts[-1] < 4:
            continue
        if _ends_with_title(chunk[starts[-1]: j + 1]) and _plausible_entry_start(chunk[j + 1:], gaz):
            starts.append(j + 1)
    return starts


def _split_posts(text: str, offset: int) -> list[tuple[str, int]]:
    """Split on 、 , ; outside parentheses; return (segment, absolute start)."""
    out: list[tuple[str, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in POST_SEPARATORS:
            if i > start:
                out.append((text[start:i], offset + start))
            start = i + 1
    if start < len(text):
        out.append((text[start:], offset + start))
    return out


_REMIT_RE = re.compile(r"[(（]([^()（）]+)[)）]\s*$")
_UNIT_ENDINGS = tuple(d for d in DEPT_SUFFIXES if len(d) > 1) + ("研究院",)


def _is_unit_of(org: str, prev_org: str | None) -> bool:
    """``用友研究院`` after ``用友集团`` is a unit of the same organisation."""
    return prev_org is not None and bool(prev_org) and org.endswith(_UNIT_ENDINGS) and org[:2] == prev_org[:2]


def _stem(org: str) -> str:
    """The proper-name part of an organisation: 高榕资本 -> 高榕, 四川新网银行 -> 四川新网."""
    for suf in sorted(ORG_SUFFIXES, key=len, reverse=True):
        if org.endswith(suf) and len(org) > len(suf):
            return _stem(org[: -len(suf)]) if org[: -len(suf)].endswith(ORG_SUFFIXES) else org[: -len(suf)]
    return org


class _NameChooser:
    """Decide where a name ends when it runs into an organisation (陈瑞|君联资本 or 陈瑞君|联资本).

    Evidence, strongest first: an alliance role right after the name; an organisation
    of the gazetteer; an organisation learned from entries of this document whose name
    was certain; an organisation candidate that recurs across entries; an organisation
    suffix. Choices resting on weaker evidence are flagged for review.
    """

    def __init__(self, gaz: Gazetteer, learned: set[str], recurrent: Counter[str]):
        self.gaz = gaz
        self.learned = learned
        self.recurrent = recurrent

    @staticmethod
    def candidates(text: str, gaz: Gazetteer, learned: frozenset[str] | set[str] = frozenset()) -> dict[int, OrgTitle | str | None]:
        out: dict[int, OrgTitle | str | None] = {}
        for k in _name_lengths(text):
            if k >= len(text) or not all(is_cjk(c) for c in text[:k]):
                continue
            rest = text[k:]
            role = _starts_with_role(rest)
            out[k] = role if role else split_org_title(_first_post(rest), gaz, learned, need_org=True)
        return out

    def choose(self, text: str) -> tuple[int | None, str | None]:
        """Return (name length, review note or None)."""
        cands = self.candidates(text, self.gaz, self.learned)
        scores: dict[int, float] = {}
        for k, c in cands.items():
            if isinstance(c, str):
                scores[k] = 100
                continue
            if c is None:
                continue
            if c.org is None:
                # a descriptor (资深投资人) right after the name; prefer the reading without free text
                tp = parse_title(c.title)
                scores[k] = (2 if tp and not tp.free else 0) + (0.5 if k == 3 else 0)
                continue
            score = {"gazetteer": 10, "learned": 8, "suffix": 2, "guess": 0}[c.confidence]
            if starts_with_place(c.org):
                score += 2  # 姜黎|中国人寿…: organisations often begin with a place name
            if c.confidence == "suffix" and len(_stem(c.org)) < 2:
                score -= 3  # an organisation name has at least two characters before 资本, 银行 ...
            if self.recurrent[c.org] > 1:
                score += 5
            if c.confidence != "gazetteer" and self.gaz.prefix_ends(c.org):
                score += 1
            scores[k] = score + (0.5 if k == 3 else 0)
        if not scores:
            return None, "no name followed by a role or an organisation"
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        best, top = ranked[0]
        margin = top - ranked[1][1] if len(ranked) > 1 else top
        note = None
        if top < 5 or margin < 3:
            alts = ", ".join(f"{text[:k]}|{text[k:k + 8]}" for k, _ in ranked)
            note = f"name/organisation boundary uncertain (chose {text[:best]}; candidates {alts})"
        return best, note


def parse_list(text: str, offset: int, gaz: Gazetteer) -> list[Entry]:
    """Parse one list section ``text`` that starts at absolute ``offset`` in the source."""
    return parse_lists([(text, offset)], gaz)[0]


def parse_lists(sections: list[tuple[str, int]], gaz: Gazetteer) -> list[list[Entry]]:
    """Parse the list sections of one document together.

    Entries whose name is certain (set apart by a space, or followed by an alliance
    role) are read first; the organisations they name are learned and help to place
    the name boundary of the other entries of every list.
    """
    learned: set[str] = set()
    pending: list[Entry] = []
    out: list[list[Entry]] = []
    for text, offset in sections:
        entries: list[Entry] = []
        for (s, e), apart in split_entries(text, gaz):
            entry = Entry(span=(offset + s, offset + e), text=text[s:e])
            if apart:
                entry.name, entry.name_certain = entry.text.split()[0], True
            else:
                cands = _NameChooser.candidates(entry.text, gaz)
                role_k = [k for k, c in cands.items() if isinstance(c, str)]
                if len(role_k) == 1:
                    entry.name, entry.name_certain = entry.text[: role_k[0]], True
            if entry.name_certain:
                _fill_body(entry, gaz, learned)
                learned.update(p.org for p in entry.posts)
            else:
                pending.append(entry)
            entries.append(entry)
        out.append(entries)
    recurrent: Counter[str] = Counter()
    for entry in pending:
        seen = set()
        for c in _NameChooser.candidates(entry.text, gaz, learned).values():
            if isinstance(c, OrgTitle) and c.org:
                seen.add(c.org)
        recurrent.update(seen)
    chooser = _NameChooser(gaz, learned, recurrent)
    for entry in pending:
        if _names_no_person(entry.text, gaz):
            entry.flags.append("entry names no person")
            _fill_body(entry, gaz, learned, name_len=0)
            continue
        k, note = chooser.choose(entry.text)
        if k is None:
            entry.flags.append(note or "could not read entry")
            continue
        entry.name = entry.text[:k]
        if note:
            entry.flags.append(note)
        _fill_body(entry, gaz, learned, name_len=k)
    return out


def _names_no_person(text: str, gaz: Gazetteer) -> bool:
    """An entry that starts with a known organisation or a place names no person."""
    if gaz.prefix_ends(text):
        ot = split_org_title(_first_post(text), gaz, need_org=True)
        if ot and ot.confidence == "gazetteer":
            return True
    place = starts_with_place(text)
    return place is not None and _starts_with_role(text[len(place):]) is None


def _fill_body(entry: Entry, gaz: Gazetteer, learned: set[str], name_len: int | None = None) -> None:
    s0 = entry.span[0]
    if name_len is None:
        name_len = len(entry.name or "")
    if entry.name:
        entry.name_span = (s0, s0 + len(entry.name))
    body = entry.text[name_len:]
    lead = len(body) - len(body.lstrip())
    body_off = s0 + name_len + lead
    prev_org: str | None = None
    prev_post: Post | None = None
    for seg, seg_start in _split_posts(body.strip(), body_off):
        seg_end = seg_start + len(seg)
        role = _starts_with_role(seg)
        if role:
            entry.alliance_roles.append((seg, (seg_start, seg_end)))
            continue
        remit = None
        m = _REMIT_RE.search(seg)
        core_seg = seg
        if m:
            remit = m.group(1)
            core_seg = seg[: m.start()]
        parts = core_seg.split(CONCURRENT)
        first = parts[0]
        ot = split_org_title(first, gaz, learned, need_org=prev_org is None)
        if ot is None:
            entry.descriptors.append((seg, (seg_start, seg_end)))
            entry.flags.append(f"could not read post {seg!r}")
            continue
        if ot.org and prev_org and _is_unit_of(ot.org, prev_org):
            tp = parse_title(first)
            ot = OrgTitle(None, tp.title if tp else first, ot.former, "title")
        titles = [ot.title]
        # later parts joined by 兼: a new organisation starts a new post
        posts_here: list[tuple[OrgTitle, int, int]] = []
        pos = seg_start + len(first) + 1
        cur_org, cur_start = ot, seg_start
        for part in parts[1:]:
            ot2 = split_org_title(part, gaz, learned)
            if ot2 and ot2.org and ot2.confidence in ("gazetteer", "learned", "suffix"):
                posts_here.append((OrgTitle(cur_org.org, "兼".join(titles), cur_org.former, cur_org.confidence), cur_start, pos - 1))
                cur_org, cur_start, titles = ot2, pos, [ot2.title]
            else:
                tp = parse_title(part)
                titles.append(tp.title if tp else part)
            pos += len(part) + 1
        posts_here.append((OrgTitle(cur_org.org, "兼".join(titles), cur_org.former, cur_org.confidence), cur_start, seg_end))
        for i, (o, ps, pe) in enumerate(posts_here):
            this_remit = remit if i == len(posts_here) - 1 else None
            if o.org is None:
                tp = parse_title(o.title)
                if prev_post is not None and (tp is None or tp.core not in DESCRIPTOR_CORES):
                    prev_post.title = f"{prev_post.title}、{o.title}"
                    prev_post.span = (prev_post.span[0], pe)
                    prev_post.remit = prev_post.remit or this_remit
                else:
                    entry.descriptors.append((o.title, (ps, pe)))
                continue
            post = Post(org=o.org, title=o.title, former=o.former, span=(ps, pe),
                        org_span=(ps, ps + len(o.org)), remit=this_remit, confidence=o.confidence)
            if o.confidence == "guess":
                entry.flags.append(f"organisation boundary guessed: {o.org}|{o.title}")
            entry.posts.append(post)
            prev_org, prev_post = o.org, post
