"""The answers file of a generation: what the build computed for some questions (rows of
parameterless questions, tables of answers, keyed parts answers are joined from:
:mod:`ecokg.graph.questions.materialise`), read back by the embedded store."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ecokg.graph.collector import paused

ANSWERS_FILE = "answers.json"
#: Bumped when the rows of a materialised question change shape: an older file is then ignored.
#: Format 2 adds tables of another shape (the keyed parts of investors-of, developer-ties and
#: people-at), which an ecokg knowing only format 1 would take for rows: the format number makes
#: it ignore the file. A format-1 file holds rows of today's shapes: it is still read.
FORMAT = 2
READABLE = (1, 2)

#: By question: its rows, or the table its answers are selected from (JSON).
Answers = dict[str, Any]


def save(answers: Answers, path: Path) -> None:
    """Write the answers (atomically: a reader sees no file or the whole file)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"format": FORMAT, "answers": answers}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def load(path: Path) -> Answers | None:
    """The answers saved at ``path``; None when there is no file, or one of another format."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    with paused():  # 37 MB at 100,000 entities: 0.56 s, 0.25 s paused (ecokg.graph.collector)
        data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") not in READABLE or not isinstance(data.get("answers"), dict):
        return None
    answers: Answers = data["answers"]
    return answers


__all__ = ["ANSWERS_FILE", "Answers", "load", "save"]
