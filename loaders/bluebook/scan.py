"""Bounded scanning of untrusted text: every search here takes time linear in the text.

A regular expression such as ``(\\S+?)(排名不分先后)`` tries every start position and scans
the whole run of text from each one: on a text without spaces that is quadratic (a 300 KB
text took two minutes). The parser therefore never lets a quantifier run over unbounded text:
it finds the fixed part of a form first and walks back a bounded window
(:func:`list_headings`), matches a pattern only where a run of text begins
(:func:`finditer_at_starts`), or reads tokens one by one (:func:`table_rows`).

>>> text = "专家 金融科技指导专家(排名不分先后)张三"
>>> [(text[s:e], text[e:m]) for s, e, m in list_headings(text, 0, len(text))]
[('金融科技指导专家', '(排名不分先后)')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: The fixed part of a list heading ``NAME(排名不分先后)``.
LIST_MARKER = "排名不分先后"
#: How far back from ``(排名不分先后)`` a heading is looked for: a heading (HEADING_MAX characters)
#: and the end of the entry before it when nothing separates them.
HEADING_WINDOW = 64
#: How many characters of one expert list, and of all lists of a text, the list reader reads (it
#: weighs many readings of each entry: about 0.1 ms a character). A list of the Blue Book is a few
#: thousand characters.
LIST_MAX = 20_000
LISTS_MAX = 100_000
#: The longest name (organisation, model, fund, alias) the parser reads; longer runs are not names.
NAME_MAX = 64
#: A table of contents entry ``TITLE PAGE``: the longest title, the most digits of a page.
TOC_TITLE_MAX = 100
TOC_PAGE_DIGITS = 5
#: How many table of contents entries are read; a longer "table of contents" is running text.
TOC_MAX_ENTRIES = 400
#: The most digits of a benchmark score (``86.76``).
SCORE_MAX = 12
_SCORE_RE = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,12})?")
_TOKEN_RE = re.compile(r"\S+")


def list_headings(text: str, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """``(run start, run end, marker end)`` of each ``NAME(排名不分先后)`` in ``text[start:end]``.

    The run is the non-space text before the bracket, as ``(\\S+?)[(（]排名不分先后[)）]`` would
    match it, but at most :data:`HEADING_WINDOW` characters long: the marker is found with
    ``str.find`` and the run walked back from it, so the scan is linear.

    >>> list(list_headings("a b(排名不分先后)(排名不分先后) c(排名不分先后", 0, 40))
    [(2, 3, 11)]
    """
    end = min(end, len(text))
    last = start
    i = text.find(LIST_MARKER, start, end)
    while i >= 0:
        b, close = i - 1, i + len(LIST_MARKER)
        if b >= last and close < end and text[b] in "(（" and text[close] in ")）":
            s, lo = b, max(last, b - HEADING_WINDOW)
            while s > lo and not text[s - 1].isspace():
                s -= 1
            if s < b:
                yield s, b, close + 1
                last = close + 1
        i = text.find(LIST_MARKER, i + 1, end)


def toc_token(token: str) -> tuple[str, int] | None:
    """A table of contents entry ``TITLE PAGE`` (``前言8``) as ``(title, page)``, or None.

    >>> toc_token("趋势一:AIGC9"), toc_token("12"), toc_token("前言"), toc_token("x" + "1" * 9)
    (('趋势一:AIGC', 9), ('1', 2), None, None)
    """
    j = len(token)
    while j > 1 and token[j - 1].isdecimal():
        j -= 1
    if j == len(token) or len(token) - j > TOC_PAGE_DIGITS or j > TOC_TITLE_MAX:
        return None
    return token[:j], int(token[j:])


def table_rows(text: str, start: int, end: int) -> Iterator[tuple[tuple[int, int], ...]]:
    """The rows ``MODEL DEVELOPER SCORE`` in ``text[start:end]``: three tokens, the last a number;
    each row as the spans of its three tokens.

    Reads token by token (as ``(\\S+)\\s+(\\S+)\\s+(\\d+(?:\\.\\d+)?)(?=\\s|$)`` would match, without
    its quadratic backtracking over long runs without spaces).

    >>> t = "GPT4 OpenAI 90.6 x 文心 百度 80 y"
    >>> [[t[a:b] for a, b in row] for row in table_rows(t, 0, len(t))]
    [['GPT4', 'OpenAI', '90.6'], ['文心', '百度', '80']]
    """
    toks = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start, end)]
    i = 0
    while i + 2 < len(toks):
        a, b = toks[i + 2]
        if b - a <= 2 * SCORE_MAX + 1 and _SCORE_RE.fullmatch(text, a, b):
            yield toks[i], toks[i + 1], toks[i + 2]
            i += 3
        else:
            i += 1


def finditer_at_starts(rx: re.Pattern[str], text: str, start: int, end: int, breaks: re.Pattern[str],
                       lead: str = "") -> Iterator[re.Match[str]]:
    """The matches of ``rx`` in ``text[start:end]`` when a match can only begin where a run of
    text begins: at ``start``, where the last match ended, or after a match of ``breaks``
    (skipping any of the ``lead`` characters there).

    ``rx`` is tried once per run instead of once per character, so a pattern whose first group
    spans a run (``[^、，。]+、…``) is linear instead of quadratic on long runs. For patterns whose
    match from a later point of a run implies one from its beginning, the matches are those of
    ``rx.finditer``.

    >>> rx, breaks = re.compile(r"[^,;]+;"), re.compile(r",+")
    >>> [m.group() for m in finditer_at_starts(rx, "ab;cd,ef;gh", 0, 11, breaks)]
    ['ab;', 'ef;']
    """
    pos = start
    while pos < end:
        while pos < end and text[pos] in lead:
            pos += 1
        m = rx.match(text, pos, end)
        if m and m.end() > pos:
            yield m
            pos = m.end()
            continue
        b = breaks.search(text, pos, end)
        if b is None:
            return
        pos = max(b.end(), pos + 1)
