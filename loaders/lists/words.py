"""Where words are: a dictionary of Chinese words, to keep the reader from cutting one in two.

A reading that puts a boundary inside a common word (王睿阳|光保险, 喜茶信息|技术, 唐昕元|气森林)
is less likely than one that does not. The words and their frequencies are jieba's dictionary
(the ``jieba`` package, MIT licence), read once; only the words of two to four Chinese
characters are kept.

>>> cuts = word_cuts("王睿阳光保险")
>>> cuts[3] > cuts[2]   # 阳|光 cuts 阳光, 睿|阳 cuts nothing as common
True
"""

from __future__ import annotations

import math
from functools import lru_cache

MIN_FREQ = 3


@lru_cache(maxsize=1)
def dictionary() -> dict[str, int]:
    """Words of two to four Chinese characters and their frequencies (jieba's dictionary)."""
    import jieba

    out: dict[str, int] = {}
    with jieba.get_dict_file() as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 2 and 2 <= len(parts[0]) <= 4 and parts[1].isdigit():
                freq = int(parts[1])
                if freq >= MIN_FREQ and all("\u4e00" <= c <= "\u9fff" for c in parts[0]):
                    out[parts[0]] = freq
    return out


@lru_cache(maxsize=None)  # a few thousand frequencies; asked for most positions of every list
def weight(freq: int) -> float:
    """How sure a word is a word: 0 to 1 with the logarithm of its frequency (1 from 1,000)."""
    return min(1.0, math.log10(max(freq, 1)) / 3)


def word_cuts(text: str) -> list[float]:
    """For each position ``b``, the weight of the surest word that a boundary at ``b`` would cut."""
    words = dictionary()
    size = len(text)
    cuts = [0.0] * (size + 1)
    for i in range(size - 1):
        for n in (2, 3, 4):
            freq = words.get(text[i:i + n])
            if freq:
                w = weight(freq)
                for b in range(i + 1, min(i + n, size)):
                    if w > cuts[b]:
                        cuts[b] = w
    return cuts
