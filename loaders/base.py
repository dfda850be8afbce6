"""What a source adapter is: a kind of input that becomes model facts with evidence.

An adapter reads one file of its kind and returns a :class:`KnowledgeGraph` of what the
file states, every fact with its evidence (file, offsets or line, the exact text). It
knows no store, and it does not add curated knowledge: the build merges every source
and enriches the result with the curated data once.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ecokg.graph.model import KnowledgeGraph
from ecokg.loaders.curated import CuratedData
from ecokg.ontology.errors import LoaderError
from ecokg.ontology.iris import source_iri
from ecokg.ontology.terms import C, D

Reader = Callable[[Path, CuratedData], KnowledgeGraph]


@dataclass(frozen=True)
class SourceKind:
    """One kind of source: its name (``--source KIND=PATH``), what it is, and its reader."""

    kind: str
    summary: str
    read: Reader


@dataclass(frozen=True)
class SourceFile:
    """A source file as read: its text, the SHA-256 of its bytes, its IRI and what it says of itself."""

    path: Path
    text: str
    sha256: str
    url: str | None = None  # where a public source was taken from (its header note)
    date: str | None = None  # the source's own date, YYYY-MM-DD (its header note)

    @property
    def iri(self) -> str:
        return source_iri(self.sha256)

    @property
    def name(self) -> str:
        return self.path.name

    def add_to(self, kg: KnowledgeGraph) -> str:
        """Add the SourceDocument node (file name, digest, URL and date when known); its IRI."""
        kg.add_node(self.iri, C.SourceDocument, {D.fileName: self.name, D.sha256: self.sha256,
                                                  D.sourceUrl: self.url, D.sourceDate: self.date})
        return self.iri


#: The largest source file read, in MB (10**6 bytes), unless ``ECOKG_MAX_SOURCE_MB`` says otherwise.
MAX_SOURCE_MB = 20.0
MAX_SOURCE_ENV = "ECOKG_MAX_SOURCE_MB"


def max_source_bytes() -> int:
    """The size limit of a source file in bytes: ``$ECOKG_MAX_SOURCE_MB`` MB, else :data:`MAX_SOURCE_MB`.

    Raises:
        LoaderError: the variable is set but is not a positive number.
    """
    raw = os.environ.get(MAX_SOURCE_ENV, "").strip()
    try:
        mb = float(raw) if raw else MAX_SOURCE_MB
    except ValueError:
        mb = -1.0
    if not mb > 0 or mb != mb or mb == float("inf"):
        raise LoaderError(f"{MAX_SOURCE_ENV}={raw!r} is not a positive number of MB")
    return int(mb * 1_000_000)


def read_bytes_limited(path: Path) -> bytes:
    """The bytes of ``path``, refused (before reading) when larger than :func:`max_source_bytes`.

    Raises:
        LoaderError: the file is missing, a directory, unreadable or too large.
    """
    limit = max_source_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            raise LoaderError(f"file is {size / 1e6:.1f} MB, larger than the limit of {limit / 1e6:g} MB for a "
                              f"source; set {MAX_SOURCE_ENV} to read it (a parse takes about 2 to 15 s a MB)", str(path))
        with path.open("rb") as f:
            raw = f.read(limit + 1)
    except FileNotFoundError as e:
        raise LoaderError("file not found", str(path)) from e
    except IsADirectoryError as e:
        raise LoaderError("is a directory, expected a text file", str(path)) from e
    except OSError as e:
        raise LoaderError(f"cannot read the file: {e.strerror or e}", str(path)) from e
    if len(raw) > limit:  # a file that grew, or a device: still refused
        raise LoaderError(f"file is larger than the limit of {limit / 1e6:g} MB for a source; set "
                          f"{MAX_SOURCE_ENV} to read it", str(path))
    return raw


_NOTE_RE = re.compile(r"<!--(.*?)-->", re.S)
_URL_RE = re.compile(r"https?://[^\s,)]+")
_DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")


def read_source_file(path: Path) -> SourceFile:
    """Read a UTF-8 source file; a leading ``<!-- ... -->`` note may give its URL and date.

    Raises:
        LoaderError: the file is missing, a directory, larger than the limit
            (:func:`max_source_bytes`), or not UTF-8.
    """
    path = Path(path)
    raw = read_bytes_limited(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LoaderError(f"not UTF-8 text (byte {e.start}): convert it to UTF-8 first", str(path)) from e
    url = date = None
    note = _NOTE_RE.match(text.lstrip())
    if note:
        u = _URL_RE.search(note.group(1))
        d = _DATE_RE.search(note.group(1))
        url = u.group(0) if u else None
        date = d.group(1) if d else None
    return SourceFile(path, text, hashlib.sha256(raw).hexdigest(), url, date)
