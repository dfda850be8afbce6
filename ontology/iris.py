"""The one scheme that mints ecokg IRIs.

Every IRI of an ecokg node is ``ID_NS + kind + "/" + [slug "-"] + hash``: the kind of
thing (``person``, ``org``, ``evidence``...), a readable ASCII slug of its name where it
has one, and the first 16 hex digits of the SHA-1 of the kind and the key. The same key
always gives the same IRI, so loads are idempotent and two builds of the same input agree.

>>> mint("person", "陈宏", label="陈宏")
'https://w3id.org/ecokg/id/person/chen-hong-...'
>>> mint("person", "陈宏", label="陈宏") == mint("person", "陈宏", label="陈宏")
True
>>> is_ecokg_iri(mint("evidence", "x")), is_ecokg_iri("https://example.org/x")
(True, False)
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any

from ecokg.ontology import ID_NS

HASH_DIGITS = 16
_IRI_RE = re.compile(r"^" + re.escape(ID_NS) + r"[A-Za-z0-9._/\-]+$")


@lru_cache(maxsize=65536)
def slug(text: str, limit: int = 40) -> str:
    """An ASCII slug: pinyin for Chinese characters, lower-case words otherwise.

    >>> slug("君联资本")
    'jun-lian-zi-ben'
    >>> slug("GPT4-Turbo-0125")
    'gpt4-turbo-0125'
    """
    from pypinyin import lazy_pinyin

    def keep(chars: str) -> Any:  # non-Chinese runs stay whole (pypinyin accepts a list here)
        return list(chars) if len(chars) == 1 else [chars]

    words = lazy_pinyin(text, errors=keep)
    joined = "-".join(w for w in words if w)
    s = re.sub(r"[^a-z0-9]+", "-", joined.lower()).strip("-")
    return s[:limit].strip("-") or "x"


def key_hash(*parts: object) -> str:
    """The hash part of an IRI: SHA-1 of the parts joined by U+001F, first 16 hex digits."""
    key = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def mint(kind: str, *key: object, label: str | None = None) -> str:
    """The IRI of the ``kind`` of thing identified by ``key`` (``label`` adds a readable slug)."""
    if not re.fullmatch(r"[a-z][a-z-]*", kind):
        raise ValueError(f"an IRI kind is lower-case letters and '-', not {kind!r}")
    readable = f"{slug(label)}-" if label else ""
    return f"{ID_NS}{kind}/{readable}{key_hash(kind, *key)}"


def entity_iri(kind: str, name: str, *qualifiers: object) -> str:
    """IRI of an entity of ``kind`` named ``name`` (qualifiers make it unique)."""
    return mint(kind, name, *qualifiers, label=name)


def org_iri(name: str) -> str:
    """IRI of the organisation with the canonical name ``name``."""
    return entity_iri("org", name)


def model_iri(name: str) -> str:
    """IRI of the AI model with the canonical name ``name``."""
    return entity_iri("model", name)


def sector_iri(key: str) -> str:
    """IRI of the sector with the vocabulary key ``key``."""
    return entity_iri("sector", key)


def source_iri(sha256: str) -> str:
    """IRI of a source document, from the SHA-256 of its bytes."""
    return mint("source", sha256)


def statement_iri(subject: str, prop: str, obj: str) -> str:
    """IRI of the reified statement ``subject prop obj`` (which carries the fact's evidence)."""
    return mint("statement", subject, prop, obj)


def is_ecokg_iri(text: str) -> bool:
    """True for an IRI in ecokg's ``id:`` namespace made only of safe characters."""
    return bool(_IRI_RE.match(text))
