"""What the whole document says about where an organisation's name begins and ends.

An organisation named in several entries is written in varied company: after different
people's names, after 、 or 原, before different titles. A reading that cuts it in the wrong
place does not have that variety on the side of the cut: in 岑子奇安信董事长 and
甘秀奇安信管理合伙人, 安信 always follows 奇 while 奇安信 follows 子 and 秀; in
达梦数据董事总经理 and 达梦数据投资总监, 达梦 is always followed by 数 while 达梦数据 is
followed by 董 and 投. This is the accessor variety of unsupervised Chinese word segmentation
(Feng et al., 2004), asked only of the organisation readings near the ones the first reading
chose: a reading is *attested* when the document writes it at least twice, with at least two
different characters (or clear boundaries) before it and at least two after it, and no one
character before two thirds of them or more.

>>> from ecokg.loaders.lists.text import normalise
>>> n = normalise("岑子奇安信董事长 甘秀奇安信管理合伙人")
>>> sorted(attested([(Grams(n), [(3, 5)])]))   # the first reading took 安信 (positions 3-5) in the first entry
['奇安信']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ecokg.loaders.lists.lexicon import CLOSE, CONCURRENT, FORMER_MARKERS, OPEN, SEPARATORS
from ecokg.loaders.lists.text import Normalised

#: How far from a chosen organisation's start and end the readings asked about lie.
REACH_START = 2
REACH_END = 3
MIN_LENGTH = 2
#: How many occurrences of a reading are looked at (the first ones).
LOOK = 12
MAX_LENGTH = 16
_BREAKS = frozenset(SEPARATORS + OPEN + CLOSE + CONCURRENT)  # never inside an organisation's name
_BOUNDARY = _BREAKS | frozenset(FORMER_MARKERS)  # what may stand right before or after one


class Grams:
    """Where every three-character (and two-character) string of one text starts."""

    def __init__(self, n: Normalised):
        self.n = n
        t = n.text
        self.at2: dict[str, list[int]] = {}
        self.at3: dict[str, list[int]] = {}
        self._longer: dict[str, list[int]] = {}  # occurrences of strings of four characters or more
        for i in range(len(t) - 1):
            self.at2.setdefault(t[i:i + 2], []).append(i)
            if i + 3 <= len(t):
                self.at3.setdefault(t[i:i + 3], []).append(i)

    def _starts(self, x: str) -> list[int]:
        """Where the first three characters of ``x`` (two or more) start: ``x`` starts at some."""
        return self.at3.get(x[:3], []) if len(x) >= 3 else self.at2.get(x, [])

    def occurrences(self, x: str) -> list[int]:
        """Where ``x`` (two characters or more) starts in the text (do not change the list)."""
        starts = self._starts(x)
        if len(x) <= 3:
            return starts
        got = self._longer.get(x)
        if got is None:  # asked again for the organisation of every entry that names it: kept
            t = self.n.text
            got = self._longer[x] = [i for i in starts if t.startswith(x, i)]
        return got

    def prefix_count(self, x: str) -> int:
        """How often the first three characters of ``x`` (two or more) stand in the text: at least
        as often as ``x`` itself."""
        return len(self._starts(x))

    def contexts(self, x: str, left: dict[str, int], right: set[str], limit: int = LOOK) -> int:
        """Count the characters before each occurrence of ``x`` in ``left`` and add those after it
        to ``right`` (a clear boundary counts as a character of its own each time), for at most
        ``limit`` occurrences; return how many occurrences were looked at."""
        t, gap = self.n.text, self.n.gap
        count = 0
        for i in self._starts(x):
            if len(x) > 3 and not t.startswith(x, i):
                continue
            if count >= limit:
                break
            count += 1
            e = i + len(x)
            c = f"|{i}" if i == 0 or gap[i] >= 1.0 or t[i - 1] in _BOUNDARY else t[i - 1]
            left[c] = left.get(c, 0) + 1
            right.add(f"|{e}" if e >= len(t) or gap[e] >= 1.0 or t[e] in _BOUNDARY else t[e])
        return count


def attested(docs: Sequence[tuple[Grams, Iterable[tuple[int, int]]]], reach_end: int = REACH_END) -> frozenset[str]:
    """The organisation readings near the chosen ones (``(start, end)`` spans in each
    text) that the document writes twice or more in varied company on both sides. A reading
    starts within ``REACH_START`` of a chosen one and ends within ``reach_end`` of it (units are
    asked with 0: each ends where a unit suffix does, and their spans hold every such end)."""
    indexes = [g for g, _ in docs]
    asked: dict[str, bool] = {}
    for g, spans in docs:
        t = g.n.text
        for s, e in spans:
            for a in range(max(0, s - REACH_START), s + REACH_START + 1):
                for b in range(max(a + MIN_LENGTH, e - reach_end), min(len(t), e + reach_end) + 1):
                    x = t[a:b]
                    if x in asked or len(x) > MAX_LENGTH:
                        continue
                    if not _BREAKS.isdisjoint(x) or _once(x, indexes):
                        asked[x] = False
                        continue
                    count, left, right = _contexts(x, indexes)
                    # varied on both sides, and no character before most of them (京东集团 and
                    # 金东集团 do not make 东集团 a name: 京 stands before most)
                    asked[x] = (count >= 2 and len(left) >= 2 and len(right) >= 2
                                and 3 * max(left.values()) < 2 * count)
    return frozenset(x for x, ok in asked.items() if ok)


def _contexts(x: str, indexes: Sequence[Grams]) -> tuple[int, dict[str, int], set[str]]:
    """How many occurrences of ``x`` were looked at in all the texts, how often each character
    (or clear boundary) stands before them, and which stand after them (:meth:`Grams.contexts`)."""
    left: dict[str, int] = {}
    right: set[str] = set()
    count = 0
    for ix in indexes:
        count += ix.contexts(x, left, right)
    return count, left, right


def _once(x: str, indexes: Sequence[Grams]) -> bool:
    """Does the document write ``x`` once at most, for all it can tell from where its first three
    characters stand? Neither attested nor bound then (each needs two occurrences): most strings
    asked about are so, and counting their contexts took most of the time of both."""
    count = 0
    for ix in indexes:
        count += ix.prefix_count(x)
        if count >= 2:
            return False
    return True


def bound(docs: Sequence[tuple[Grams, Iterable[tuple[int, int]]]]) -> frozenset[str]:
    """The unit readings near the chosen ones (``(start, end)`` spans) that the document writes
    twice or more and always after the same character: no unit of several organisations but the
    end of one organisation's name (国家超级|计算无锡中心 in every entry that names 国家超级计算无锡中心).

    >>> from ecokg.loaders.lists.text import normalise
    >>> n = normalise("张三国家超级计算无锡中心主任 李四国家超级计算无锡中心研究员 王五华为信息技术部总监 赵六腾讯信息技术部总监")
    >>> def at(u, k):
    ...     i = [j for j in range(len(n.text)) if n.text.startswith(u, j)][k]
    ...     return i, i + len(u)
    >>> got = bound([(Grams(n), [at("计算无锡中心", 0), at("计算无锡中心", 1), at("信息技术部", 0), at("信息技术部", 1)])])
    >>> "计算无锡中心" in got, "信息技术部" in got, "技术部" in got   # 技术部: always after 息
    (True, False, True)
    """
    indexes = [g for g, _ in docs]
    asked: dict[str, bool] = {}
    for g, spans in docs:
        t = g.n.text
        for s, e in spans:
            for a in range(max(0, s - REACH_START), min(e - MIN_LENGTH, s + REACH_START) + 1):
                x = t[a:e]
                if x in asked:
                    continue
                if _once(x, indexes):
                    asked[x] = False
                    continue
                count, left, _ = _contexts(x, indexes)
                asked[x] = count >= 2 and len(left) == 1 and not next(iter(left)).startswith("|")
    return frozenset(x for x, ok in asked.items() if ok)


__all__ = ["Grams", "attested", "bound"]
