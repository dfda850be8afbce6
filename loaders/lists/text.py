"""The text of a list as the reader sees it: no white space, one form of each punctuation mark,
and a map back to the offsets of the source.

PDF extraction breaks lines inside entries and drops or adds spaces between them, so white
space carries no meaning the reader can trust; it is removed, and where it stood is kept as
evidence (an entry more often starts after white space; a bare line break, which a PDF
puts anywhere, is weaker evidence than a space).

>>> n = normalise("陈宏 理事长（兼）\\n张三", 100)
>>> n.text
'陈宏理事长(兼)张三'
>>> n.gap[2], n.gap[8], n.gap[3]   # a space, a line break, none
(1.0, 0.4, 0.0)
>>> n.span(0, 2), n.span(8, 10)
((100, 102), (110, 112))
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ecokg.loaders.lists.lexicon import PUNCTUATION


def _char(ch: str) -> str:
    """One character in the reader's form: variant punctuation mapped, full-width letters and
    digits to ASCII (NFKC, where it gives one character)."""
    if ch in PUNCTUATION:
        return PUNCTUATION[ch]
    if "\uff01" <= ch <= "\uff5e":
        folded = unicodedata.normalize("NFKC", ch)
        return folded if len(folded) == 1 else ch
    return ch


def fold(text: str) -> str:
    """``text`` with variant punctuation and full-width letters in the reader's form (same length).

    >>> fold("GPT4（官网）"), fold("清华＆智谱AI")
    ('GPT4(官网)', '清华&智谱AI')
    """
    return "".join(_char(ch) for ch in text)


#: How much a bare line break counts as a gap between words, against 1 for a space.
LINE_BREAK = 0.4


@dataclass
class Normalised:
    """A list's text without white space, with the source offset of every character.

    Attributes:
        text: the normalised characters.
        offsets: ``offsets[i]`` is the source offset of ``text[i]``; one more at the end.
        gap: ``gap[i]`` is how much of a gap stood right before ``text[i]``: 0 for none, 1 for
            spaces, ``LINE_BREAK`` for line breaks alone (a PDF wraps lines inside entries too).
    """

    text: str
    offsets: list[int]
    gap: list[float]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of ``text[start:end]`` (from its first to just past its last character)."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def gaps_inside(self, start: int, end: int) -> float:
        """How much white space stood inside ``text[start:end]`` (see ``gap``)."""
        return sum(self.gap[start + 1:end])


def normalise(text: str, offset: int = 0) -> Normalised:
    """Normalise ``text``, which starts at ``offset`` in the source."""
    chars: list[str] = []
    offsets: list[int] = []
    gap: list[float] = []
    pending = 0.0
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars:
                pending = max(pending, LINE_BREAK if ch in "\r\n" else 1.0)
            continue
        if not ch.isprintable() and unicodedata.category(ch) in ("Cf", "Cc"):
            continue  # zero-width spaces, joiners, control characters: nothing a reader sees
        chars.append(_char(ch))
        offsets.append(offset + i)
        gap.append(pending)
        pending = 0.0
    offsets.append(offset + len(text))
    gap.append(pending)
    return Normalised("".join(chars), offsets, gap)
