"""The single answers file older builds wrote: every saved answer of a generation in one
``answers.json`` (formats 1 and 2), read whole. Builds now save one file per question
(:mod:`ecokg.graph.stores.answers`); a folder an older ecokg built still answers from this one."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from ecokg.graph.collector import paused

ANSWERS_FILE = "answers.json"
#: Format 1 holds rows of today's shapes; format 2 adds the keyed parts of investors-of,
#: developer-ties and people-at, which an ecokg knowing only format 1 would take for rows: the
#: format number made it ignore the file. Both are read.
READABLE = (1, 2)


def load(path: Path) -> dict[str, Any] | None:
    """The answers saved at ``path``, by question; None when there is no file, or one of another
    format or that is not JSON (its questions then run their queries)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    with paused():  # 37 MB at 100,000 entities: 0.56 s, 0.25 s paused (ecokg.graph.collector)
        try:
            data = json.loads(text)
        except ValueError as e:
            logging.getLogger(__name__).warning("ecokg: %s is not readable (%s); its questions run their queries", path, e)
            return None
    if not isinstance(data, dict) or data.get("format") not in READABLE or not isinstance(data.get("answers"), dict):
        return None
    answers: dict[str, Any] = data["answers"]
    return answers


__all__ = ["ANSWERS_FILE", "READABLE", "load"]
