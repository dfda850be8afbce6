"""Progress of long commands, for people and for logs alike.

On a terminal a spinner names the current step and a bar counts rows; off a terminal
(CI, ``2> log``, a pipe) each step is one line on stderr and a counted task reports at
most every ``EVERY`` seconds, so a long run is never silent and a log stays short.
Either way, progress goes to stderr and stdout stays the command's result.

>>> import io
>>> err = io.StringIO()
>>> with Progress(stream=err, tty=False) as p:
...     p.step("reading the sample")
...     p.count("writing", 10, 10)
>>> err.getvalue().splitlines()
['ecokg: reading the sample', 'ecokg: writing: 10/10 (100%)']
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import IO, Any

EVERY = 5.0  # seconds between two count lines off a terminal


class Progress:
    """Steps and counts, drawn on a terminal or logged one line each."""

    def __init__(self, stream: IO[str] | None = None, tty: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self._live: Any = None
        self._status: Any = None
        self._bar: Any = None
        self._task: Any = None
        self._last = 0.0
        self._label = ""

    def __enter__(self) -> Progress:
        if self.tty:
            from rich.console import Console

            self._console = Console(file=self.stream)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def step(self, message: str) -> None:
        """A new step begins."""
        if not self.tty:
            self.stream.write(f"ecokg: {message}\n")
            self.stream.flush()
            return
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if self._status is None:
            self._status = self._console.status(message)
            self._status.start()
        else:
            self._status.update(message)

    def count(self, label: str, done: int, total: int | None) -> None:
        """``done`` of ``total`` units of ``label`` are finished."""
        if not self.tty:
            now = time.monotonic()
            finished = total is not None and done >= total
            if label != self._label or finished or now - self._last >= EVERY:
                share = f" ({done * 100 // total}%)" if total else ""
                self.stream.write(f"ecokg: {label}: {done:,}/{total:,}{share}\n" if total is not None
                                  else f"ecokg: {label}: {done:,}\n")
                self.stream.flush()
                self._last, self._label = now, label
            return
        if self._status is not None:
            self._status.stop()
            self._status = None
        if self._bar is None or label != self._label:
            from rich.progress import Progress as Bar

            if self._bar is not None:
                self._bar.stop()
            self._bar = Bar(console=self._console, transient=True)
            self._bar.start()
            self._task = self._bar.add_task(label, total=total)
            self._label = label
        self._bar.update(self._task, completed=done, total=total)
