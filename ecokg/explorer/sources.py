"""The source text around a piece of evidence: the lines or characters around its quote.

A piece of evidence names its source document by IRI; the document records its file name and
the SHA-256 of its bytes. The explorer shows text only from files it knows (the sources the build
read, listed in ``OUT/summary.json``, and the files shipped with ecokg: the sample, the public
sources, the curated data and the sample deals) and only when their digest is the one the graph
recorded: a path never comes from a request, and a file changed since the build is not passed off
as the text the fact was read from.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ecokg.graph.model import Evidence

#: Characters shown on each side of a quote given by offsets; lines on each side of a line.
CONTEXT_CHARS = 400
CONTEXT_LINES = 3
#: The largest source file read for context (the build's own limit is 20 MB by default).
MAX_FILE_BYTES = 50_000_000


@dataclass(frozen=True)
class Excerpt:
    """The text around a quote: before, the quote as the file has it, after; where it is."""

    file_name: str
    before: str
    quote: str
    after: str
    where: str  # "characters 995-1009" or "line 628"
    found: bool  # the text at the evidence's place is its quote


def known_files(out_dir: Path | None) -> list[Path]:
    """The files whose text may be shown: the build's sources and the files shipped with ecokg."""
    files: list[Path] = []
    if out_dir is not None:
        summary = Path(out_dir) / "summary.json"
        try:
            data = json.loads(summary.read_text(encoding="utf-8"))
            files += [Path(str(s.get("file") or s.get("path"))) for s in data.get("sources", []) if isinstance(s, dict)]
        except (OSError, ValueError):
            pass
    from ecokg.loaders import default_sources, sample_deals_path
    from ecokg.loaders.curated import default_data_dir

    files += [p for _, p in default_sources()] + [sample_deals_path()]
    files += sorted(default_data_dir().glob("*.yaml"))
    return list(dict.fromkeys(p for p in files if p.is_file()))


class SourceFiles:
    """The known files by SHA-256, hashed once (on first use)."""

    def __init__(self, files: Iterable[Path]) -> None:
        self._files = list(files)
        self._by_digest: dict[str, Path] | None = None
        self._lock = threading.Lock()

    def find(self, sha256: str) -> Path | None:
        with self._lock:
            if self._by_digest is None:
                found: dict[str, Path] = {}
                for p in self._files:
                    try:
                        if p.stat().st_size <= MAX_FILE_BYTES:
                            found.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p)
                    except OSError:
                        continue
                self._by_digest = found
            return self._by_digest.get(sha256)

    def excerpt(self, ev: Evidence, sha256: str, file_name: str) -> Excerpt | None:
        """The text around ``ev``'s quote in the file with digest ``sha256``, or None if no known file has it."""
        path = self.find(sha256)
        if path is None:
            return None
        text = path.read_bytes().decode("utf-8", "replace")
        if ev.start is not None and ev.end is not None and 0 <= ev.start <= ev.end <= len(text):
            quote = text[ev.start:ev.end]
            return Excerpt(file_name, text[max(0, ev.start - CONTEXT_CHARS):ev.start], quote,
                           text[ev.end:ev.end + CONTEXT_CHARS], f"characters {ev.start}-{ev.end}",
                           quote == ev.quote)
        if ev.line is not None:
            lines = text.splitlines()
            i = ev.line - 1
            if 0 <= i < len(lines):
                return Excerpt(file_name, "\n".join(lines[max(0, i - CONTEXT_LINES):i]) + "\n", lines[i],
                               "\n" + "\n".join(lines[i + 1:i + 1 + CONTEXT_LINES]), f"line {ev.line}",
                               ev.quote.strip() in lines[i])
        return None


__all__ = ["Excerpt", "SourceFiles", "known_files"]
