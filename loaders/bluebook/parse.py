"""Parse the text of a China Cloud Ecosystem Blue Book (中国云生态蓝皮书) edition.

The parser reads the structure the Blue Book is written in, not its entries:
the table of contents (目录) names the sections; expert lists are headed
``NAME(排名不分先后)``; the writing and working groups are ``X组组长…``/``X组成员…``
lines; trends are ``趋势N:TITLE`` with one-sentence summaries numbered ``N.`` in
the overview; benchmark tables have the header ``模型名称 机构 总分``. Everything
found keeps its character span in the source. The result is plain data;
:mod:`ecokg.loaders.bluebook_graph` turns it into graph facts.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from ecokg.loaders.bluebook.narrative import Narrative, read_narrative
from ecokg.loaders.bluebook.scan import (
    LIST_MAX,
    LISTS_MAX,
    NAME_MAX,
    TOC_MAX_ENTRIES,
    list_headings,
    table_rows,
    toc_token,
)
from ecokg.loaders.gazetteer import Gazetteer
from ecokg.loaders.lists import Entry, read_lists
from ecokg.loaders.lists.lexicon import TITLE_CORES
from ecokg.loaders.lists.text import fold
from ecokg.ontology.errors import LoaderError

Span = tuple[int, int]

CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# A list heading NAME(排名不分先后) is found by its fixed part (scan.list_headings), never by a
# pattern that scans back over unbounded text.
HEADING_MAX = 12  # characters a list heading (金融科技指导专家) is at most
TEAM_LINE_RE = re.compile(r"(\S{1,8}?组)(组长|副组长|成员)(\S+)")
TOC_RE = re.compile(r"目录\s")
TOKEN_RE = re.compile(r"\S+")
TREND_TOC_RE = re.compile(r"趋势([一二三四五六七八九十]+)[:：](.+)")
TABLE_HEADER = ("模型名称", "机构", "总分")
TABLE_TITLE_MAX = 200  # characters before a table header read for its title
TABLE_SOURCE_RE = re.compile(r"资料来源[:：]\s*(\S+)")
YEAR_MONTH_RE = re.compile(r"(\d{4})年(\d{1,2})月")
ALIAS_DEF_RE = re.compile(r"[(（]以下简称[“\"]([^”\"]{1,64})[”\"][)）]")
EDITION_RE = re.compile(r"(\d{4})年蓝皮书")
TITLE_RE = re.compile(r"《([^》]{1,200})》")


@dataclass
class TocEntry:
    title: str
    page: int
    span: Span


@dataclass
class ExpertList:
    group: str
    heading_span: Span
    entries: list[Entry]


@dataclass
class TeamLine:
    group: str
    role: str
    names: list[tuple[str, Span]]
    span: Span
    leftovers: list[tuple[str, Span]] = field(default_factory=list)


@dataclass
class Trend:
    number: int
    title: str
    title_span: Span
    statement: str | None = None
    statement_span: Span | None = None


@dataclass
class TableRow:
    model: str
    developer: str
    score: str
    span: Span
    model_span: Span
    developer_span: Span


@dataclass
class BenchmarkTable:
    title: str
    title_span: Span
    benchmark: str
    year_month: str | None
    rows: list[TableRow]
    source: str | None


@dataclass
class BlueBookParse:
    """Everything read from one Blue Book text."""

    text: str
    report_title: str | None
    edition: int | None
    toc: list[TocEntry]
    lists: list[ExpertList]
    team: list[TeamLine]
    trends: list[Trend]
    tables: list[BenchmarkTable]
    publishers: list[tuple[str, Span]]
    alias_defs: list[tuple[str, str, Span]]  # (full name, alias, span)
    body_start: int
    notes: list[tuple[str, Span]] = field(default_factory=list)  # things not read with confidence
    narrative: Narrative = field(default_factory=Narrative)  # forms read in the running text


def _toc(text: str) -> tuple[list[TocEntry], int, int]:
    """The table of contents: its entries, where it starts, and where the body starts."""
    m = TOC_RE.search(text)
    if not m:
        return [], -1, 0
    entries: list[TocEntry] = []
    pos = m.end()
    body_start = len(text)
    for tok in TOKEN_RE.finditer(text, pos):
        got = toc_token(tok.group()) if len(entries) < TOC_MAX_ENTRIES else None
        if got is None:
            body_start = tok.start()
            break
        s = tok.start()
        entries.append(TocEntry(got[0], got[1], (s, s + len(got[0]))))
    return entries, m.start(), body_start


def _front_sections(text: str, toc: list[TocEntry], toc_start: int) -> list[tuple[str, int, int]]:
    """Sections of the front matter (before the TOC) named by TOC titles: (title, start, end)."""
    found = []
    for title in dict.fromkeys(e.title for e in toc):
        i = text.find(title, 0, toc_start)
        if i >= 0:
            found.append((title, i))
    found.sort(key=lambda t: t[1])
    out = []
    for j, (title, start) in enumerate(found):
        end = found[j + 1][1] if j + 1 < len(found) else toc_start
        out.append((title, start, end))
    return out


def _heading_start(text: str, start: int, end: int) -> int:
    """Where the heading that ends at ``end`` begins, when nothing but text before it.

    ``start..end`` is the run of non-space characters before ``(排名不分先后)``. When the
    entries before the heading are not separated from it (``…光环新网董事长金融科技指导专家``)
    the run holds the previous list's last entry too: the heading then begins after the last
    punctuation, or else after the last title that ends in the final ``HEADING_MAX + 2``
    characters and is not part of a longer title (``董事长|``, not ``董事|长``).
    """
    for i in range(end - 1, start - 1, -1):
        if text[i] in "、,;，；:：)）":
            start = i + 1
            break
    if end - start <= HEADING_MAX:
        return start
    lo = max(start, end - HEADING_MAX - 2)
    for i in range(lo, end - 1):
        if any(text.endswith(core, start, i) for core in TITLE_CORES) and not any(
            text.find(core, j, j + len(core)) == j
            for core in TITLE_CORES for j in range(max(start, i - len(core) + 1), i)
        ):
            return i
    return end - HEADING_MAX


def _expert_lists(text: str, ranges: list[tuple[int, int]], gaz: Gazetteer,
                  notes: list[tuple[str, Span]]) -> list[ExpertList]:
    """Every list headed ``NAME(排名不分先后)`` in the given ranges, parsed together.

    A list is read for at most :data:`LIST_MAX` characters after its heading, and all lists
    together for at most :data:`LISTS_MAX`: what lies beyond is noted, not read as entries."""
    heads: list[tuple[Span, int, int]] = []  # (heading span, end of the marker, end of the range)
    for start, end in ranges:
        for run_start, run_end, marker_end in list_headings(text, start, end):
            s = _heading_start(text, run_start, run_end)
            if s < run_end:  # "、(排名不分先后)" names no list
                heads.append(((s, run_end), marker_end, end))
    bounds = []
    budget = LISTS_MAX
    for j, (span, body, end) in enumerate(heads):
        nxt = min(heads[j + 1][0][0] if j + 1 < len(heads) else end, end)
        stop = min(nxt, body + LIST_MAX, body + max(budget, 0))
        if stop < nxt and budget >= 0:
            notes.append((f"list {text[span[0]:span[1]]!r} read for its first {stop - body} characters only "
                          f"(at most {LIST_MAX} a list, {LISTS_MAX} in all)", (stop, nxt)))
        budget -= stop - body if budget > 0 else 1  # below 0: noted once, the later lists not read
        bounds.append((span, body, stop))
    read = iter(read_lists([(text[s:e], s) for _, s, e in bounds if e > s], known_orgs=gaz.orgs))
    return [ExpertList(text[a:b], (a, b), next(read) if e > s else []) for (a, b), s, e in bounds]


def _team(text: str, start: int, end: int) -> list[TeamLine]:
    out = []
    for m in TEAM_LINE_RE.finditer(text, start, end):
        names: list[tuple[str, Span]] = []
        leftovers: list[tuple[str, Span]] = []
        pos = m.start(3)
        for item in m.group(3).split("、"):
            s = pos
            pos += len(item) + 1
            name, _, tail = item.partition("及")
            if 2 <= len(name) <= 4:
                names.append((name, (s, s + len(name))))
            elif name:
                leftovers.append((name, (s, s + len(name))))
            if tail:
                t0 = s + len(name)
                leftovers.append((item[len(name):], (t0, t0 + len(tail) + 1)))
        out.append(TeamLine(m.group(1), m.group(2), names, (m.start(), m.end()), leftovers))
    return out


def _numeral(s: str) -> int | None:
    """A Chinese numeral from 一 to 九十九, or None if ``s`` is not one (一二, 十十).

    >>> _numeral("八"), _numeral("十二"), _numeral("二十"), _numeral("三十五"), _numeral("一二")
    (8, 12, 20, 35, None)
    """
    tens, sep, units = s.partition("十")
    if not sep:
        return CN_NUMERALS.get(s)
    if (tens and (len(tens) > 1 or tens == "十")) or (units and (len(units) > 1 or units == "十")):
        return None
    return (CN_NUMERALS[tens] if tens else 1) * 10 + (CN_NUMERALS[units] if units else 0)


def _trends(text: str, toc: list[TocEntry], body_start: int, notes: list[tuple[str, Span]]) -> list[Trend]:
    trends: list[Trend] = []
    for entry in toc:
        m = TREND_TOC_RE.fullmatch(entry.title)
        if m:
            s = entry.span[0] + m.start(2)
            number = _numeral(m.group(1))
            if number is None:
                notes.append((f"trend number {m.group(1)!r} is not a numeral; trend not read", entry.span))
                continue
            trends.append(Trend(number, m.group(2), (s, s + len(m.group(2)))))
    if not trends:
        return trends
    # one-sentence summaries: "1.…" to "8.…" in the overview, before the first trend section
    first_heading = re.search(r"趋势[一二三四五六七八九十]+[:：]", text[body_start:])
    overview_end = body_start + first_heading.start() if first_heading else len(text)
    numbers = [t.number for t in trends]
    marks: list[tuple[int, int]] = []
    for n in numbers:
        mm = re.compile(rf"(?:^|\s){n}\.(?!\d)").search(text, marks[-1][1] if marks else body_start, overview_end)
        if not mm:
            break
        marks.append((n, mm.end()))
    by_number = {t.number: t for t in trends}
    for j, (n, s) in enumerate(marks):
        e = marks[j + 1][1] - len(str(marks[j + 1][0])) - 1 if j + 1 < len(marks) else overview_end
        stmt = text[s:e].strip()
        by_number[n].statement = stmt
        by_number[n].statement_span = (s, s + len(stmt))
    return trends


def _tables(text: str, notes: list[tuple[str, Span]]) -> list[BenchmarkTable]:
    header = r"\s+".join(TABLE_HEADER)
    heads = list(re.finditer(header, text))
    tables: list[BenchmarkTable] = []
    i = 0
    while i < len(heads):
        h = heads[i]
        # the title is the text between the previous sentence end and the header
        lo = max(0, h.start() - TABLE_TITLE_MAX)
        sent = max(text.rfind("。", lo, h.start()), text.rfind(" ", lo, h.start() - 1), lo - 1)
        raw_title = text[sent + 1:h.start()]
        title = raw_title.strip()
        title_start = sent + 1 + len(raw_title) - len(raw_title.lstrip())
        src = TABLE_SOURCE_RE.search(text, h.end())
        end = src.start() if src else len(text)
        if not title:
            notes.append(("a benchmark table without a title: not read", (h.start(), h.end())))
            while i < len(heads) and heads[i].start() < end:
                i += 1
            continue
        rows = []
        for (m0, m1), (d0, d1), (s0, s1) in table_rows(text, h.end(), end):
            if text[m0:m1] in TABLE_HEADER:
                continue
            rows.append(TableRow(fold(text[m0:m1]), fold(text[d0:d1]), text[s0:s1], (m0, s1), (m0, m1), (d0, d1)))
        ym = YEAR_MONTH_RE.search(title)
        bench = re.match(r"[A-Za-z][A-Za-z0-9\-]*", title)
        tables.append(BenchmarkTable(
            title=title,
            title_span=(title_start, title_start + len(title)),
            benchmark=bench.group() if bench else title,
            year_month=f"{int(ym.group(1)):04d}-{int(ym.group(2)):02d}" if ym and 1 <= int(ym.group(2)) <= 12 else None,
            rows=rows,
            source=src.group(1) if src else None,
        ))
        # skip the headers that continue this table (a table split over columns)
        while i < len(heads) and heads[i].start() < end:
            i += 1
    return tables


FUNCTION_CHARS = "由与和及自在将对向"


def _defined_name(run: str, known: set[str]) -> str:
    """The name that ``(以下简称“X”)`` defines: the longest known name ending the run,
    else the run after its last function word (由, 与, 自 ...) and date characters."""
    for i in range(len(run)):
        if run[i:] in known:
            return run[i:]
    cut = max((run.rfind(c) for c in FUNCTION_CHARS + "年月日"), default=-1)
    return run[cut + 1:]


def parse_bluebook(text: str, gaz: Gazetteer, source: str = "<text>") -> BlueBookParse:
    """Parse a Blue Book text. Raises :class:`LoaderError` if it has no recognisable structure."""
    toc, toc_start, body_start = _toc(text)
    front = _front_sections(text, toc, toc_start) if toc_start >= 0 else []
    lists: list[ExpertList] = []
    team: list[TeamLine] = []
    notes: list[tuple[str, Span]] = []
    list_ranges: list[tuple[int, int]] = []
    if not front:
        # no TOC: read the whole text for lists
        list_ranges = [(0, len(text))]
        team = _team(text, 0, len(text))
    for title, s, e in front:
        if next(list_headings(text, s, e), None):
            list_ranges.append((s, e))
        elif TEAM_LINE_RE.search(text, s, e):
            team.extend(_team(text, s, e))
        elif text[s + len(title):e].strip():
            notes.append((f"section {title!r} not read", (s, e)))
    lists = _expert_lists(text, list_ranges, gaz, notes)
    if not lists and not toc:
        raise LoaderError("no expert list (…(排名不分先后)) and no table of contents (目录) found", source)
    publishers = []
    for entry in toc:
        if entry.title.startswith("关于") and len(entry.title) > 2:
            publishers.append((entry.title[2:], (entry.span[0] + 2, entry.span[1])))
    alias_defs = []
    known = set(gaz.orgs) | {name for name, _ in publishers}
    for m in ALIAS_DEF_RE.finditer(text):
        # the defined name is the run of text before the parenthesis, back to a year or punctuation
        j = m.start()
        k = j
        while k > max(0, j - NAME_MAX) and not re.match(r"[\s,，。、;；:：)）》\d]", text[k - 1]):
            k -= 1
        run = text[k:j]
        full = _defined_name(run, known)
        if full:
            alias_defs.append((full, m.group(1), (j - len(full), m.end())))
    title_m = TITLE_RE.search(text, max(body_start, 0))
    editions = [int(y) for y in EDITION_RE.findall(text)]
    parse = BlueBookParse(
        text=text,
        report_title=title_m.group(1) if title_m else None,
        edition=max(editions) if editions else None,
        toc=toc,
        lists=lists,
        team=team,
        trends=_trends(text, toc, body_start, notes),
        tables=_tables(text, notes),
        publishers=publishers,
        alias_defs=alias_defs,
        body_start=body_start,
        notes=notes,
    )
    skip = [(t.title_span[0], t.rows[-1].span[1] if t.rows else t.title_span[1]) for t in parse.tables]
    parse.narrative = read_narrative(text, body_start, len(text), _learned(parse, gaz), skip)
    return parse


def _learned(parse: BlueBookParse, gaz: Gazetteer) -> Gazetteer:
    """The gazetteer plus the organisations the structured parts named with confidence
    (publishers, defined names, certain posts, benchmark developers): the running text
    may name them again."""
    out = copy.deepcopy(gaz)
    names = [name for name, _ in parse.publishers]
    publishers = set(names)
    names += [full for full, _alias, _span in parse.alias_defs
              if gaz.canonical_org(full) or full.endswith("联盟") or full in publishers]
    for lst in parse.lists:
        for entry in lst.entries:
            names += [post.org for post in entry.posts if entry.name is None or not entry.flags]
    names += [part for table in parse.tables for row in table.rows for part in row.developer.split("&") if part]
    for written in names:
        if written not in out.orgs and len(written) <= NAME_MAX:
            out.add_org(gaz.canonical_org(written) or written)
    return out
