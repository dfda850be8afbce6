"""The answers a build saves in its generation (the rows of parameterless questions, tables of
answers, keyed parts answers are joined from: :mod:`ecokg.graph.questions.materialise`), one file
per question, read back by the embedded store as each question is first asked (and loaded into
Neo4j with the graph by ``ecokg load neo4j``: :mod:`.neo4j_answers`).

Why one file per question: in one file (``answers.json``, formats 1 and 2: :mod:`.answers_file`)
the first question a process asked read every answer, 37 MB at 100,000 entities (0.42 s, ~195 MB),
most of it the keyed parts of two questions. Now a process pays for the questions it asks
(:mod:`.lazy_answers`)::

    <generation>/answers/index.json        {"format": 4, "questions": ["bridges", ...]}
    <generation>/answers/<question>.json   {"format": 4, "question": "<question>", "answer": ...}

The index is written last and lists the questions saved; a question it does not list, like every
question of a folder with neither the index nor ``answers.json``, runs its query. So does the
question of a file that cannot be used, slower but with the same rows: quietly for a file of
another format (another ecokg's), as the single file always was, and for a question whose answer
has changed shape since the format a folder was saved in (:data:`SHAPE_SINCE`: the other answers
of that folder are still read); with a warning for one that is missing, not JSON or another
question's (a generation never changes: that is damage).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from ecokg.graph.collector import paused
from ecokg.graph.stores import answers_file
from ecokg.graph.stores.lazy_answers import LazyAnswers

ANSWERS_DIR = "answers"
INDEX_FILE = "index.json"
#: 3: one file per question; 4: investors-of's links carry their places in the order of an answer,
#: and its people are saved (:mod:`ecokg.graph.questions.keyed`). Bumped when the answers of a
#: question change shape: an ecokg that does not know the number ignores the folder, and its
#: questions run their queries.
FORMAT = 4
#: The formats of folders this ecokg reads (those of the questions whose shape did not change).
READABLE = (3, 4)
#: By question, the format its saved answer has had its present shape since: in a folder (or
#: ``answers.json``) of an older format, that question runs its query.
SHAPE_SINCE = {"investors-of": 4}
#: What a question's name must look like to name its file (no folder, no hidden file, not the index).
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")

#: By question: its rows, or the table its answers are selected from (JSON).
Answers = Mapping[str, Any]

_log = logging.getLogger(__name__)


def _named(name: str) -> bool:
    return bool(_NAME.fullmatch(name)) and name != Path(INDEX_FILE).stem


def _file(folder: Path, name: str) -> Path:
    if not _named(name):
        raise ValueError(f"cannot save the answer of {name!r}: not a question name")
    return folder / f"{name}.json"


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON (atomically: a reader sees no file or the whole file)."""
    with paused():  # the encoder makes no cycles: all of them at 100k entities in 0.32 s, not 0.47
        text = json.dumps(data, ensure_ascii=False)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def save(answers: Answers, generation: Path) -> Path:
    """Save ``answers`` in ``generation``: a file per question, then the index; the folder."""
    folder = Path(generation) / ANSWERS_DIR
    files = {name: _file(folder, name) for name in sorted(answers)}  # every name checked before a write
    folder.mkdir(exist_ok=True)
    for name, path in files.items():
        _write(path, {"format": FORMAT, "question": name, "answer": answers[name]})
    _write(folder / INDEX_FILE, {"format": FORMAT, "questions": list(files)})
    return folder


def current_shape(name: str, fmt: Any) -> bool:
    """Whether the answer of ``name`` saved in format ``fmt`` has the shape this ecokg reads."""
    return isinstance(fmt, int) and fmt >= SHAPE_SINCE.get(name, 0)


def saved_questions(folder: Path) -> tuple[int, list[str]] | None:
    """The format of the index in ``folder`` and the questions it lists whose answers this ecokg
    reads (:data:`SHAPE_SINCE`); None when there is no index, or one of another format or that
    cannot be read."""
    path = folder / INDEX_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as e:
        _log.warning("ecokg: cannot read %s (%s); the questions run their queries", path, e)
        return None
    fmt = data.get("format") if isinstance(data, dict) else None
    if fmt not in READABLE:
        return None
    names = data.get("questions")
    if not isinstance(names, list) or not all(isinstance(n, str) and _named(n) for n in names):
        _log.warning("ecokg: %s lists no questions; they run their queries", path)
        return None
    return fmt, [n for n in names if current_shape(n, fmt)]


def read(folder: Path, name: str, fmt: int = FORMAT) -> Any:
    """The saved answer of ``name`` in ``folder`` (whose index is of format ``fmt``); None (with a
    warning) when its file is missing, is not JSON or is not that question's answer in that format."""
    path = _file(folder, name)
    try:
        text = path.read_text(encoding="utf-8")
        with paused():  # rows make no cycles: nothing for the collector to find (ecokg.graph.collector)
            data = json.loads(text)
    except (OSError, ValueError) as e:
        _log.warning("ecokg: cannot read the saved answer of %s (%s); it runs its query", name, e)
        return None
    if (not isinstance(data, dict) or data.get("format") != fmt or data.get("question") != name
            or "answer" not in data):
        _log.warning("ecokg: %s is not the saved answer of %s; it runs its query", path, name)
        return None
    return data["answer"]


def of_generation(generation: Path) -> Answers:
    """The answers saved in ``generation``, by question: read as each is first used from its own
    file; else, in a folder an older ecokg built, all at once from ``answers.json``; else none."""
    folder = Path(generation) / ANSWERS_DIR
    index = saved_questions(folder)
    if index is not None:
        fmt, names = index
        return LazyAnswers(names, partial(read, folder, fmt=fmt))
    older = answers_file.load(Path(generation) / answers_file.ANSWERS_FILE) or {}
    fmt = max(answers_file.READABLE)  # formats 1 and 2 came before any change of shape
    return {name: table for name, table in older.items() if current_shape(name, fmt)}


def held(answers: Answers) -> dict[str, Any]:
    """Every answer of ``answers`` read now (those that cannot be read left out): for a copy that
    must not depend on the folder they were saved in."""
    return {name: table for name in list(answers) if (table := answers.get(name)) is not None}


__all__ = ["ANSWERS_DIR", "FORMAT", "INDEX_FILE", "READABLE", "SHAPE_SINCE", "Answers", "current_shape", "held",
           "of_generation", "read", "save", "saved_questions"]
