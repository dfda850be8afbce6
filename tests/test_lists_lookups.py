"""The reader's precomputed lookups say what the plain definitions they replace say.

Reading a long list asks the same questions of every span an organisation, a title or a
descriptor may take (does a description stand inside it? does it end inside a Latin word, or
after 副? does 集团 stand among the free words?). The reader answers them from tables made once
per text; these tests compare the tables with the definitions, on every span of generated lists
of every layout.
"""

from __future__ import annotations

import listgen
import pytest
from ecokg.loaders.lists import tokens as tk
from ecokg.loaders.lists.recur import Grams
from ecokg.loaders.lists.text import normalise


@pytest.fixture(scope="module", params=listgen.LAYOUTS)
def text(request):
    raw, _ = listgen.generate(60, 23, request.param)
    # plus pieces the generator seldom writes: descriptions, a committee, Latin words, 副, 高级
    raw += " 国家智库专家江华南方电网首席专家 星河专家委员会委员 MiniMaxCOO 青云科技副董事长 中国平安高级副总裁"
    return normalise(raw, 0).text


def test_description_inside_a_span(text):
    for p in range(len(text)):
        hi = min(len(text), p + tk.MAX_ORG)
        first = tk._described_from(text, p, hi)
        for e in range(p + 2, hi + 1):
            assert (e >= first) == _describes_inside(text[p:e]), (text[p:e], first - p)


def _describes_inside(text: str) -> bool:
    """Does a description of a person stand inside ``text`` with more after it than a committee or
    group (what the reader asked of every span before :func:`tokens._described_from`)?"""
    for d in tk._DESCRIBED:
        k = text.find(d)
        if 0 <= k and k + len(d) < len(text) and text[k + len(d)] not in "委组库咨":
            return True
    return False


def test_where_an_organisation_may_not_end(text):
    c = tk.Candidates(normalise(text, 0))
    for p in range(len(text)):
        for e in range(p + 2, min(len(text), p + tk.MAX_ORG) + 1):
            span = text[p:e]
            plain = tk._ascii_cut(text, e) or span.endswith(tk._LONG_PREFIXES) or span[-1] == "副"
            table = c._no_org_end[e] or 0 < c._long_prefix_len[e] <= e - p
            assert table == plain, span


def test_strong_words_among_free_words(text):
    for p in range(len(text)):
        hi = min(len(text), p + tk.MAX_FREE)
        stop = tk._strong_inside_from(text, p, hi)
        for q in range(p, hi + 1):
            free = text[p:q]
            assert (q >= stop) == any(s in free for s in tk._STRONG_INSIDE), free


def test_where_an_organisation_may_be_followed(text):
    c = tk.Candidates(normalise(text, 0))
    assert c._follows == [c._follows_org(e) for e in range(len(text) + 1)]


def test_occurrences_asked_again_are_the_same(text):
    g = Grams(normalise(text, 0))
    for x in {text[i:i + k] for k in (2, 3, 4, 6) for i in range(0, len(text) - k, 7)}:
        want = [i for i in range(len(text)) if text.startswith(x, i)]
        assert g.occurrences(x) == want
        assert g.occurrences(x) == want  # from what was kept


def test_suffix_lookup_by_first_character(text):
    suffixes = tk._STRONG + tk._MEDIUM
    spans = {text[p:p + k] for k in range(1, 7) for p in range(len(text) - k)}
    spans |= {"科技集团", "科技控股集团", "大学", "交易所"}
    made_of_suffixes = 0
    for span in sorted(spans):
        assert tk._only_suffixes(span) == _by_definition(span, suffixes), span
        made_of_suffixes += _by_definition(span, suffixes)
    assert made_of_suffixes >= 4  # the comparison saw both answers


def _by_definition(text: str, suffixes: tuple[str, ...]) -> bool:
    """Made only of suffix words, trying every suffix (what the lookup by first character replaced)."""
    if not text:
        return True
    return any(text.startswith(s) and _by_definition(text[len(s):], suffixes) for s in suffixes)


def test_what_a_span_ends_with(text):
    """The tables of field words and pure units ending at each position, and the runs of Latin
    characters, against ``str.endswith`` and :func:`tokens._latin_runs` on every span."""
    ix = tk.Candidates(normalise(text, 0))._ix
    for p in range(len(text)):
        for e in range(p + 1, min(len(text), p + tk.MAX_ORG) + 1):
            span = text[p:e]
            assert (0 < ix.field_end[e] <= e - p) == span.endswith(tk.lx.FIELD_WORDS), span
            assert (0 < ix.pure_unit_end[e] <= e - p) == span.endswith(tk._PURE_UNITS), span
            assert ix.latin_runs(p, e) == tk._latin_runs(span), span


def test_title_words_inside_a_unit(text):
    """A unit may not hold a title word before its last character: the table of where the first
    title word ends says so for every span (no barrier stands inside one either)."""
    c = tk.Candidates(normalise(text, 0))
    for p in range(len(text)):
        for e in range(p + 1, min(c._barrier[p], p + tk.MAX_UNIT) + 1):
            span = text[p:e]
            plain = any(w in span[:-1] for w in tk._TITLE_WORDS) or any(ch in tk._BARRIERS for ch in span)
            assert (c._ix.title_word_end_from[p] < e) == plain, span


def test_where_a_title_may_start(text):
    """Every position where :func:`tokens.coreseq_ends` finds a title is one the reader asks."""
    c = tk.Candidates(normalise(text, 0))
    starts = set(c._title_starts(0, len(text)))
    assert starts and all(q in starts for q in range(len(text)) if tk.coreseq_ends(text, q))


def test_white_space_inside_a_span():
    n = normalise("陈宏 理事长（兼）\n张三 李四北京大学 教授", 0)
    c = tk.Candidates(n)
    for p in range(len(n.text)):
        for e in range(p + 1, len(n.text) + 1):
            g = n.gaps_inside(p, e)
            assert c.gap_penalty(p, e, -0.6) == (g * -0.6 if g else 0.0)


def test_stems_and_inner_ends(text):
    """:meth:`_Index.stem_length` and :meth:`_Index.inner_end` read from per-position tables:
    the same as the definitions on every span."""
    ix = tk.Candidates(normalise(text, 0))._ix
    for p in range(len(text)):
        for e in range(p + 2, min(len(text), p + tk.MAX_ORG) + 1):
            inner = tk.inner_end(text[p:e])
            assert ix.inner_end(p, e) == (p + inner if inner else 0), text[p:e]
            assert ix.stem_length(p, e) == _stem_length(ix, p, e), text[p:e]


def _stem_length(ix: tk._Index, p: int, e: int) -> int:
    end = e
    while True:
        cut = max((length for length, _ in ix.suffixes.get(end, ()) if end - length > p), default=0)
        if not cut or (end < e and cut == 1 and end - cut - p < 2):
            return end - p
        end -= cut


def test_strong_words_from_a_table(text):
    c = tk.Candidates(normalise(text, 0))
    for p in range(len(text)):
        for hi in range(p, min(len(text), p + tk.MAX_FREE) + 1):
            assert c._strong_inside_from(p, hi) == tk._strong_inside_from(text, p, hi), (p, hi)
