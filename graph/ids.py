"""Stable IRIs for entities: readable pinyin slugs plus a short hash of the key.

The same key always gives the same IRI, so loads are idempotent and two
builds of the same input agree.

>>> entity_iri("person", "陈宏")
'https://w3id.org/ecokg/id/person/chen-hong-...'
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from ecokg.ontology import ID_NS


@lru_cache(maxsize=65536)
def slug(text: str, limit: int = 40) -> str:
    """An ASCII slug: pinyin for Chinese characters, lower-case words otherwise.

    >>> slug("君联资本")
    'jun-lian-zi-ben'
    >>> slug("GPT4-Turbo-0125")
    'gpt4-turbo-0125'
    """
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(text, errors=lambda chars: list(chars) if len(chars) == 1 else [chars])
    joined = "-".join(w for w in words if w)
    s = re.sub(r"[^a-z0-9]+", "-", joined.lower()).strip("-")
    return s[:limit].strip("-") or "x"


def key_hash(*parts: object) -> str:
    key = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def entity_iri(kind: str, name: str, *qualifiers: object) -> str:
    """IRI of an entity of ``kind`` named ``name`` (qualifiers make it unique)."""
    return f"{ID_NS}{kind}/{slug(name)}-{key_hash(kind, name, *qualifiers)}"
