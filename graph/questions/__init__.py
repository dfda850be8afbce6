"""The named questions: one YAML file each in this folder, answered alike by every store.

>>> from ecokg.graph.questions import public_questions
>>> "people-of" in public_questions()
True

Adding a question is adding one file ``NAME.yaml`` here (see :mod:`.spec` for its
fields); the contract tests then run it on both stores.
"""

from __future__ import annotations

from ecokg.graph.questions.answer import Answer
from ecokg.graph.questions.engine import ask, find, needle, resolve
from ecokg.graph.questions.paths import shortest_paths
from ecokg.graph.questions.spec import Param, Question, public_questions, questions

__all__ = ["Answer", "Param", "Question", "ask", "find", "needle", "public_questions", "questions", "resolve",
           "shortest_paths"]
