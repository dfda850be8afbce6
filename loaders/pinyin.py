"""Pinyin of names, for search: people surname first with the surname's own reading, other
names syllable by syllable, and the initials of either.

Generated from the name (pypinyin plus the surname readings of
:data:`ecokg.loaders.lists.lexicon.SURNAME_READINGS`, which pypinyin lacks), never curated and
never cited as a source's words: a search aid, like an index.
"""

from __future__ import annotations

from typing import Any

from ecokg.graph.model import KnowledgeGraph
from ecokg.loaders.lists.lexicon import SURNAME_READINGS, surname_at
from ecokg.ontology.schema import get_schema
from ecokg.ontology.terms import C, D


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    def keep(chars: str) -> Any:  # non-Chinese runs stay whole (pypinyin accepts a list here)
        return [chars]

    return [s for s in lazy_pinyin(text, style=Style.NORMAL, errors=keep) if s.strip()]


def person_pinyin(name: str) -> str:
    """Pinyin of a Chinese name, surname first: ``张亚勤`` -> ``Zhang Yaqin``.

    A surname is read as a surname: ``曾振宇`` -> ``Zeng Zhenyu``, not ``Ceng``.

    >>> person_pinyin("张亚勤"), person_pinyin("欧阳明"), person_pinyin("曾振宇"), person_pinyin("仇睿恒")
    ('Zhang Yaqin', 'Ouyang Ming', 'Zeng Zhenyu', 'Qiu Ruiheng')
    """
    syl = _syllables(name)
    if len(syl) != len(name):
        return " ".join(syl)
    k = surname_at(name) or 1
    surname = SURNAME_READINGS.get(name[:k]) or "".join(syl[:k])
    return f"{surname.capitalize()} {''.join(syl[k:]).capitalize()}".strip()


def name_pinyin(name: str) -> str:
    """Pinyin of any other name, one syllable at a time; Latin runs kept as written.

    >>> name_pinyin("智谱华章"), name_pinyin("阿里云"), name_pinyin("GLM-4大模型")
    ('zhi pu hua zhang', 'a li yun', 'GLM-4 da mo xing')
    """
    return " ".join(_syllables(name))


def initials(name: str) -> str:
    """The first letters of the Chinese syllables of ``name`` (Latin runs left out), lower case.

    >>> initials("阳光保险集团"), initials("曾振宇"), initials("GLM-4大模型")
    ('ygbxjt', 'zzy', 'dmx')
    """
    han = "".join(ch for ch in name if _is_han(ch))
    if not han:
        return ""
    k = surname_at(han)
    head = SURNAME_READINGS.get(han[:k], "")[:1] if k else ""
    syl = _syllables(han)
    letters = [s[:1] for s in syl]
    if head and k == 1:
        letters[0] = head
    return "".join(letters).lower()


def add_pinyin(kg: KnowledgeGraph) -> int:
    """Give every entity found by name (people, organisations, models, places ...) whose name is
    Chinese a pinyin (unless it has one) and initials; returns how many were given pinyin."""
    schema = get_schema()
    searchable = set(schema.entity_classes)
    given = 0
    for node in kg.nodes.values():
        name = node.props.get(D.name)
        if not isinstance(name, str) or not any(_is_han(ch) for ch in name):
            continue
        if not searchable & set(kg.labels_of(node.id)):
            continue
        if not node.props.get(D.pinyin):
            person = C.Person in kg.labels_of(node.id)
            node.props[D.pinyin] = person_pinyin(name) if person else name_pinyin(name)
            given += 1
        node.props[D.initials] = initials(name)
    return given
