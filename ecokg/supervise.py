"""Small, generic supervision of background processes (stdlib only).

Start a command in its own session with its output in a log file, wait until
it is ready, check that it still runs, stop it (TERM, then KILL) and show the
end of its log when something went wrong.

>>> import sys, tempfile
>>> tmp = tempfile.TemporaryDirectory()
>>> log = Path(tmp.name) / "demo.log"
>>> code = "import time; print('up', flush=True); time.sleep(60)"
>>> proc = start([sys.executable, "-c", code], log_path=log)
>>> wait_until(lambda: "up" in tail(log) or "no output yet", proc, timeout=30, interval=0.05)
>>> is_running(proc.pid, must_contain=code)
True
>>> stop(proc.pid, timeout=10), is_running(proc.pid)
(True, False)
>>> tmp.cleanup()
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ecokg.errors import BackendError

__all__ = ["cmdline", "is_running", "start", "stop", "tail", "wait_until"]

# Children started (or waited for) here, so that they get reaped: an exited
# child stays a zombie, which `kill -0` still reports as alive.
_children: dict[int, subprocess.Popen[bytes]] = {}


def start(
    argv: Sequence[str],
    *,
    log_path: str | Path,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    umask: int = -1,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` (no shell) in the background, in a new session: immune to Ctrl-C and hang-up.

    Args:
        argv: the command and its arguments.
        log_path: file that receives stdout and stderr (appended to).
        cwd: working directory of the process.
        env: its complete environment (default: inherit ours).
        umask: its umask (default -1: inherit ours).

    Returns:
        The process; its ``pid`` is what the other functions take.
    """
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            cwd=cwd, env=None if env is None else dict(env), start_new_session=True, umask=umask,
        )
    _children[proc.pid] = proc
    return proc


def cmdline(pid: int) -> list[str] | None:
    """The arguments of process ``pid`` (from /proc, else ``ps``), or None if it is gone.

    >>> "python" in cmdline(os.getpid())[0]
    True
    """
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        return [a.decode(errors="replace") for a in raw.split(b"\0")[:-1]]
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return None
    except OSError:
        return None
    out = subprocess.run(["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True)
    return out.stdout.split() if out.returncode == 0 and out.stdout.strip() else None


def _alive(pid: int) -> bool:
    """True if ``pid`` exists and is not a zombie; reaps our own children."""
    if pid in _children:
        return _children[pid].poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[:1] != ["Z"]
    except OSError:
        return True


def is_running(pid: int, must_contain: str | Sequence[str] = ()) -> bool:
    """True if ``pid`` runs and each marker is one whole argument of its command line.

    The markers guard against a recycled pid: pass e.g. the program's main
    class and the argument that names the instance's directory.

    >>> is_running(os.getpid()), is_running(os.getpid(), must_contain="no-such-argument")
    (True, False)
    """
    if pid <= 0 or not _alive(pid):
        return False
    markers = [must_contain] if isinstance(must_contain, str) else list(must_contain)
    args = cmdline(pid) if markers else []
    if args is None:
        return False
    joined = f" {' '.join(args)} "  # `ps` gives no argument boundaries
    return all(m in args or f" {m} " in joined for m in markers)


def wait_until(
    ready: Callable[[], bool | str],
    proc_or_pid: subprocess.Popen[bytes] | int,
    timeout: float,
    interval: float = 0.5,
    what: str = "process",
) -> None:
    """Call ``ready()`` every ``interval`` seconds until it returns True.

    ``ready()`` returns True when ready, else False or a string saying why not
    (the last one goes into the error). An exception it raises ends the wait.

    Raises:
        BackendError: if the process exits first, or after ``timeout`` seconds.

    >>> try:
    ...     wait_until(lambda: "never", os.getpid(), timeout=0.1, interval=0.05, what="demo")
    ... except BackendError as e:
    ...     print(e)
    demo not ready after 0.1 s; last failure: never
    """
    if isinstance(proc_or_pid, int):
        pid = proc_or_pid
    else:
        pid = proc_or_pid.pid
        _children.setdefault(pid, proc_or_pid)
    deadline = time.monotonic() + timeout
    last = "no attempt finished"
    while True:
        if not _alive(pid):
            code = _children[pid].returncode if pid in _children else None
            exited = "exited" if code is None else f"exited with code {code}"
            raise BackendError(f"{what} (pid {pid}) {exited} before it was ready; last failure: {last}")
        result = ready()
        if result is True:
            return
        if isinstance(result, str) and result:
            last = result
        if time.monotonic() >= deadline:
            raise BackendError(f"{what} not ready after {timeout:g} s; last failure: {last}")
        time.sleep(max(0.0, min(interval, deadline - time.monotonic())))


def stop(pid: int, timeout: float = 60.0, on_kill: Callable[[], None] | None = None) -> bool:
    """Send TERM to ``pid``, KILL after ``timeout`` seconds, and wait until it is gone.

    Args:
        pid: the process.
        timeout: seconds between TERM and KILL.
        on_kill: called just before KILL is sent (e.g. to log it).

    Returns:
        True if the process was running, False if there was nothing to stop.
    """
    was_running = _alive(pid)
    if was_running:
        _signal(pid, signal.SIGTERM)
        if not _wait_gone(pid, timeout):
            if on_kill is not None:
                on_kill()
            _signal(pid, signal.SIGKILL)
            _wait_gone(pid, None)
    _children.pop(pid, None)
    return was_running


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _wait_gone(pid: int, timeout: float | None) -> bool:
    """Wait until ``pid`` is gone (forever if ``timeout`` is None); True if it is."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while _alive(pid):
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def tail(path: str | Path, lines: int = 40) -> str:
    """The last ``lines`` lines of a text file ("" if it is missing).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp) / "x.log"
    ...     _ = f.write_text("a\\nb\\nc\\n")
    ...     tail(f, 2), tail(f.with_name("missing.log"))
    ('b\\nc\\n', '')
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(deque(f, maxlen=lines))
    except OSError:
        return ""
