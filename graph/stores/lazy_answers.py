"""Saved answers read on first use, question by question.

At 100,000 entities the answers a build saves take 37 MB of JSON, most of it the keyed parts of
``investors-of``, ``developer-ties`` and ``people-at``; read whole by the first question a process
asked, they cost 0.42 s and ~195 MB although a process usually asks a few questions. Saved one
file per question (:mod:`ecokg.graph.stores.answers`), each is read the first time its question
is asked and kept: the names are known up front (the answers' index), so ``name in answers`` reads
nothing, and a question without a saved answer reads nothing at all.

The explorer asks from worker threads: each question's file is read once, under its own lock, so
two threads asking the same question first read it once, and a thread asking a question already
read never waits for another question's read.

>>> reads = []
>>> answers = LazyAnswers(["a", "b"], lambda name: reads.append(name) or [name])
>>> "a" in answers, reads
(True, [])
>>> answers["a"], answers.get("a"), answers.get("c"), reads
(['a'], ['a'], None, ['a'])
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

#: Reads the saved answer of a question: its table, or None when it cannot be used.
Read = Callable[[str], Any]


class LazyAnswers(Mapping[str, Any]):
    """The saved answers of ``names``, each read by ``read`` on first use and kept. A name whose
    answer ``read`` cannot give (None: a missing or unreadable file) leaves the mapping then, so
    its question runs its query, and ``in`` agrees with ``get`` from that moment on."""

    def __init__(self, names: Iterable[str], read: Read) -> None:
        self._names = tuple(dict.fromkeys(names))
        self._read = read
        self._tables: dict[str, Any] = {}
        self._unreadable: set[str] = set()
        self._locks = {name: threading.Lock() for name in self._names}

    def __getitem__(self, name: str) -> Any:
        try:
            return self._tables[name]  # read before: no lock (a dict lookup is atomic)
        except KeyError:
            pass
        lock = self._locks.get(name)
        if lock is None:
            raise KeyError(name)
        with lock:
            if name in self._tables:
                return self._tables[name]  # another thread read it meanwhile
            if name in self._unreadable:
                raise KeyError(name)
            table = self._read(name)
            if table is None:
                self._unreadable.add(name)
                raise KeyError(name)
            self._tables[name] = table
            return table

    def __contains__(self, name: object) -> bool:
        """Whether ``name`` has a saved answer, without reading it."""
        return name in self._locks and name not in self._unreadable

    def __iter__(self) -> Iterator[str]:
        return iter([n for n in self._names if n not in self._unreadable])

    def __len__(self) -> int:
        return sum(1 for n in self._names if n not in self._unreadable)

    def read_so_far(self) -> list[str]:
        """The questions whose answers were read (and are kept), in the order of the names."""
        return [n for n in self._names if n in self._tables]

    def __repr__(self) -> str:
        return f"LazyAnswers({len(self)} questions, read: {', '.join(self.read_so_far()) or 'none'})"


__all__ = ["LazyAnswers", "Read"]
