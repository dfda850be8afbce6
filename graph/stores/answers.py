"""The answers file of a generation: rows of parameterless questions computed by the build
(:mod:`ecokg.graph.questions.materialise`), read back by the embedded store."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ANSWERS_FILE = "answers.json"
#: Bumped when the rows of a materialised question change shape: an older file is then ignored.
FORMAT = 1

Answers = dict[str, list[dict[str, Any]]]


def save(answers: Answers, path: Path) -> None:
    """Write the answers (atomically: a reader sees no file or the whole file)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"format": FORMAT, "answers": answers}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def load(path: Path) -> Answers | None:
    """The answers saved at ``path``; None when there is no file, or one of another format."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("answers"), dict):
        return None
    answers: Answers = data["answers"]
    return answers


__all__ = ["ANSWERS_FILE", "Answers", "load", "save"]
