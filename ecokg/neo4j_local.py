"""Run a real Neo4j Community server locally, assembled from Maven Central jars.

Needs Java 17+, and Maven for the first start (to fetch the jars)::

    eval "$(scripts/neo4j-local start)"   # stdout: only `export NEO4J_...=...` lines
    scripts/neo4j-local status            # exit 0 running, 3 not running
    scripts/neo4j-local stop

From Python: :func:`start`, :func:`stop`, :func:`status` and :func:`running`
(a context manager). See docs/neo4j-local.md.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import secrets
import shlex
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ecokg import supervise
from ecokg.errors import BackendError, BackendUnavailable, EcoKGError
from ecokg.neo4j_dist import (  # noqa: F401 - the tool's public names include the server's
    ADMIN_CLASS,
    DATABASE,
    DEFAULT_BROWSER_VERSION,
    DEFAULT_VERSION,
    DEP_PLUGIN,
    MAIN_CLASS,
    PROG,
    USER,
    Settings,
    _java_env,
    _parse,
    _write_private,
    check_password,
    fetch_jars,
    find_java,
    jvm_args,
    lib_complete,
    log,
    render_conf,
    render_pom,
    set_initial_password,
)

STATE_FILE = "neo4j-local.state"
PID_FILE = "run/neo4j-local.pid"
EXIT_NOT_RUNNING = 3

HELP = f"""\
Usage: scripts/neo4j-local {{start|stop|status}} [--dir DIR]
       scripts/neo4j-local --help

Runs Neo4j Community $NEO4J_VERSION (default {DEFAULT_VERSION}) from Maven Central jars on 127.0.0.1 only.

Commands:
  start    Download the jars once (cached), set the initial password, start the
           server in the background and wait until Bolt accepts the login.
           stdout carries ONLY export lines, for:  eval "$(scripts/neo4j-local start)"
           If the server of DIR is already running it is reused.
  stop     Stop the server of DIR (TERM, then KILL after $NEO4J_STOP_TIMEOUT s);
           removes DIR if 'start' created it as a temp dir.
  status   Print whether the server of DIR runs; exit 0 running, 3 not running.

Options:
  --dir DIR   Server home (conf, data, logs, pid). Default: $NEO4J_LOCAL_DIR, else
              (start only) a new temp dir that 'stop' removes again.

Environment:
  NEO4J_LOCAL_DIR      server home (see --dir)
  NEO4J_PASSWORD       password of user neo4j for a NEW store (min. 8 chars);
                       default: a generated random one. An existing store keeps its own.
  NEO4J_BOLT_PORT      Bolt port (default 7687)
  NEO4J_HTTP_PORT      HTTP port for the HTTP API + Neo4j Browser (default 7474; "off")
  NEO4J_HEAP_INITIAL / NEO4J_HEAP_MAX / NEO4J_PAGECACHE   memory (512m / 1g / 256m)
  NEO4J_START_TIMEOUT  seconds to wait for Bolt (default 120)
  NEO4J_STOP_TIMEOUT   seconds to wait after TERM before KILL (default 60)
  ECOKG_CACHE_DIR      jar cache root (default $HOME/.cache/ecokg); jars go to
                       $ECOKG_CACHE_DIR/neo4j-$NEO4J_VERSION/lib
  NEO4J_VERSION        Neo4j version to fetch (default {DEFAULT_VERSION})
  JAVA / JAVA_HOME     Java 17+ to use (default: $JAVA_HOME/bin/java, else java)
"""


# ---------------------------------------------------------------- server info
@dataclass(frozen=True)
class ServerInfo:
    """How to connect to a server (and, if this tool runs it, where it lives)."""

    uri: str
    user: str = USER
    password: str = field(default="", repr=False)
    database: str = DATABASE
    dir: Path | None = None
    pid: int | None = None
    http_port: int | None = None
    version: str | None = None
    reused: bool = False  # start() found it already running

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerInfo | None:
        """The server named by NEO4J_URI (/ _USERNAME / _PASSWORD / _DATABASE / _LOCAL_DIR), if set."""
        e = os.environ if env is None else env
        if not e.get("NEO4J_URI"):
            return None
        return cls(uri=e["NEO4J_URI"], user=e.get("NEO4J_USERNAME") or USER, password=e.get("NEO4J_PASSWORD", ""),
                   database=e.get("NEO4J_DATABASE") or DATABASE,
                   dir=Path(e["NEO4J_LOCAL_DIR"]) if e.get("NEO4J_LOCAL_DIR") else None)

    def env(self) -> dict[str, str]:
        """The NEO4J_* environment variables that name this server."""
        out = {"NEO4J_URI": self.uri, "NEO4J_USERNAME": self.user,
               "NEO4J_PASSWORD": self.password, "NEO4J_DATABASE": self.database}
        return out if self.dir is None else {**out, "NEO4J_LOCAL_DIR": str(self.dir)}

    def exports(self) -> str:
        """``export`` lines for ``eval`` in a shell.

        >>> print(ServerInfo("bolt://127.0.0.1:7687", password="pa'ss word", dir=Path("/tmp/x")).exports())
        export NEO4J_URI=bolt://127.0.0.1:7687
        export NEO4J_USERNAME=neo4j
        export NEO4J_PASSWORD='pa'\\''ss word'
        export NEO4J_DATABASE=neo4j
        export NEO4J_LOCAL_DIR='/tmp/x'
        <BLANKLINE>
        """
        def quote(key: str, value: str) -> str:  # as the bash tool did: password and dir always quoted
            if key in ("NEO4J_PASSWORD", "NEO4J_LOCAL_DIR"):
                return "'" + value.replace("'", "'\\''") + "'"
            return shlex.quote(value)

        return "".join(f"export {k}={quote(k, v)}\n" for k, v in self.env().items())


# --------------------------------------------------------------- state files
def read_state(home: Path) -> dict[str, str]:
    """The KEY=VALUE lines of the state file ({} if there is none)."""
    try:
        text = (home / STATE_FILE).read_text(encoding="utf-8")
    except OSError:
        return {}
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def write_state(home: Path, values: Mapping[str, str]) -> None:
    """Atomically write the state file, mode 0600 (it holds the password)."""
    tmp = home / (STATE_FILE + ".tmp")
    _write_private(tmp, "".join(f"{k}={v}\n" for k, v in values.items()))
    tmp.replace(home / STATE_FILE)


def _pid_of(home: Path) -> int | None:
    """The pid of the server of ``home`` if it runs (its command line must name ``home``)."""
    try:
        pid = int((home / PID_FILE).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if supervise.is_running(pid, must_contain=[MAIN_CLASS, f"--home-dir={home}"]) else None


def _info(home: Path, state: Mapping[str, str], pid: int | None, reused: bool) -> ServerInfo:
    http = state.get("HTTP_PORT", "off")
    return ServerInfo(uri=f"bolt://127.0.0.1:{state.get('BOLT_PORT', '')}", password=state.get("PASSWORD", ""),
                      dir=home, pid=pid, http_port=int(http) if http.isdigit() else None,
                      version=state.get("VERSION"), reused=reused)


def _home(path: str | Path) -> Path:
    p = Path(path).expanduser()
    return p.resolve() if p.is_dir() else p
# ----------------------------------------------------------------- readiness
def wait_ready(info: ServerInfo, proc_or_pid: subprocess.Popen[bytes] | int, timeout: float) -> None:
    """Wait until the Python driver's ``verify_connectivity()`` (login included) succeeds.

    Raises:
        BackendError: on a wrong password, if the server exits, or after ``timeout`` seconds.
    """
    try:
        import neo4j
        from neo4j.exceptions import AuthError
    except ImportError:
        raise BackendUnavailable("the 'neo4j' Python driver is needed (pip install neo4j)") from None

    def ready() -> bool | str:
        try:
            with neo4j.GraphDatabase.driver(info.uri, auth=(info.user, info.password),
                                            connection_timeout=3, connection_acquisition_timeout=10) as drv:
                drv.verify_connectivity()
        except AuthError as e:
            raise BackendError(f"authentication as {info.user!r} failed: {e}") from None
        except Exception as e:  # still starting: connection refused, service unavailable, ...
            return f"{type(e).__name__}: {e}"
        return True

    log(f"waiting for Bolt on {info.uri} (up to {timeout:g}s)")
    driver_log = logging.getLogger("neo4j")
    level = driver_log.level
    driver_log.setLevel(logging.CRITICAL)  # failed attempts are expected while it starts
    try:
        supervise.wait_until(ready, proc_or_pid, timeout, interval=0.5, what="Neo4j")
    finally:
        driver_log.setLevel(level)


def show_logs(home: Path, lines: int = 40) -> None:
    """Print the end of the server's logs to stderr."""
    for name in ("console.log", "neo4j.log", "debug.log"):
        text = supervise.tail(home / "logs" / name, lines)
        if text:
            log(f"---- last lines of {home / 'logs' / name} ----")
            sys.stderr.write(text)


def port_in_use(port: int) -> bool:
    """True if something accepts TCP connections on 127.0.0.1:``port``."""
    with socket.socket() as s:
        s.settimeout(1.0)
        return s.connect_ex(("127.0.0.1", port)) == 0


# ------------------------------------------------------------------ commands
def start(dir: str | Path | None = None, *, settings: Settings | None = None,
          password: str | None = None) -> ServerInfo:
    """Start the server of ``dir`` (or reuse it if it runs) and wait until it is ready.

    Args:
        dir: server home; None creates a temp dir, which :func:`stop` removes.
        settings: ports, memory, timeouts...; default :meth:`Settings.from_env`.
        password: password of user neo4j for a new store; default: the stored one, else random.

    Raises:
        EcoKGError: bad settings or password, a port in use, a failed download or start.
    """
    s = settings or Settings.from_env()
    home = Path(tempfile.mkdtemp(prefix="ecokg-neo4j.")) if dir is None else Path(dir).expanduser()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    home = home.resolve()
    try:
        return _start(home, s, password, created_tmp=dir is None)
    except BaseException:
        if dir is None and not (home / "logs" / "console.log").exists():
            shutil.rmtree(home, ignore_errors=True)  # failed before the server ran: nothing to keep
        raise


def _start(home: Path, s: Settings, password: str | None, created_tmp: bool) -> ServerInfo:
    state = read_state(home)
    pid = _pid_of(home)
    if pid is not None:
        return _reuse(home, s, state, pid, password)
    for port, var in ((s.bolt_port, "NEO4J_BOLT_PORT"), (s.http_port, "NEO4J_HTTP_PORT")):
        if port is not None and port_in_use(port):
            hint = f"another Neo4j? set {var}" if var == "NEO4J_BOLT_PORT" else f"set {var}, or 'off'"
            raise BackendError(f"port 127.0.0.1:{port} is already in use ({hint})")
    java = find_java(s)
    lib = fetch_jars(s)
    initialized = (home / "data" / "databases" / "system").is_dir()
    pw = _choose_password(home, state.get("PASSWORD", ""), password, initialized)
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / sub).mkdir(mode=0o700, exist_ok=True)
    _write_private(home / "conf" / "neo4j.conf", render_conf(home, s))
    created_tmp = created_tmp or state.get("CREATED_TMP") == "1"  # a temp dir stays one
    state = {"VERSION": s.version, "BOLT_PORT": str(s.bolt_port), "HTTP_PORT": str(s.http_port or "off"),
             "CREATED_TMP": str(int(created_tmp)), "PASSWORD": pw}
    write_state(home, state)
    if not initialized:
        set_initial_password(home, java, lib, pw)
    return _launch(home, s, java, lib, state)


def _reuse(home: Path, s: Settings, state: Mapping[str, str], pid: int, password: str | None) -> ServerInfo:
    if not state.get("BOLT_PORT") or not state.get("PASSWORD"):
        raise BackendError(f"server runs (pid {pid}) but {home / STATE_FILE} is incomplete")
    log(f"server of {home} already running (pid {pid}); reusing it")
    if password and password != state["PASSWORD"]:
        log("warning: NEO4J_PASSWORD differs from the password of this running server; printing the server's")
    info = _info(home, state, pid, reused=True)
    try:
        wait_ready(info, pid, s.start_timeout)
    except BackendError as e:
        show_logs(home)
        raise BackendError(f"running server (pid {pid}) does not answer on Bolt: {e}") from None
    return info


def _choose_password(home: Path, stored: str, wanted: str | None, initialized: bool) -> str:
    if initialized:  # the store has its password already
        if stored and wanted and wanted != stored:
            log(f"warning: the store in {home} already has a password; ignoring NEO4J_PASSWORD")
        if not (stored or wanted):
            raise EcoKGError(f"{home} holds an existing store of unknown password: set NEO4J_PASSWORD")
        return stored or str(wanted)
    pw = wanted or stored or "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(24))
    check_password(pw)
    return pw


def _launch(home: Path, s: Settings, java: str, lib: Path, state: Mapping[str, str]) -> ServerInfo:
    log(f"starting Neo4j Community {s.version} in {home} (bolt 127.0.0.1:{s.bolt_port}, http {state['HTTP_PORT']})")
    console = home / "logs" / "console.log"
    fd = os.open(console, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.write(fd, f"\n==== {time.strftime('%F %T')}: starting Neo4j {s.version} ====\n".encode())
    os.close(fd)
    argv = [java, *jvm_args(s), "-cp", f"{lib}/*", MAIN_CLASS, f"--home-dir={home}", f"--config-dir={home}/conf"]
    proc = supervise.start(argv, log_path=console, cwd=home, env=_java_env(home), umask=0o077)
    _write_private(home / PID_FILE, f"{proc.pid}\n", mode=0o644)
    info = _info(home, state, proc.pid, reused=False)
    t0 = time.monotonic()
    try:
        wait_ready(info, proc, s.start_timeout)
    except BaseException:
        log(f"Neo4j did not become ready; logs are in {home}/logs")
        show_logs(home)
        supervise.stop(proc.pid, timeout=20)
        (home / PID_FILE).unlink(missing_ok=True)
        if state["CREATED_TMP"] == "1":
            log(f"remove it with: scripts/neo4j-local stop --dir {home}")
        raise
    log(f"Neo4j {s.version} ready after {time.monotonic() - t0:.1f}s (pid {proc.pid}, log {home}/logs/neo4j.log)")
    if s.http_port is not None:
        log(f"HTTP API + Browser: http://127.0.0.1:{s.http_port}/browser/")
    return info


def stop(dir: str | Path, *, timeout: float | None = None) -> bool:
    """Stop the server of ``dir`` (TERM, KILL after ``timeout`` s); remove ``dir`` if start() made it.

    Returns:
        True if a server was running.
    """
    home = _home(dir)
    if not home.is_dir():
        log(f"not running ({home} does not exist)")
        return False
    env_wait = os.environ.get("NEO4J_STOP_TIMEOUT") or "60"
    wait = float(_parse("NEO4J_STOP_TIMEOUT", env_wait)) if timeout is None else timeout
    pid = _pid_of(home)
    if pid is not None:
        log(f"stopping Neo4j (pid {pid}) in {home}")
        supervise.stop(pid, wait, on_kill=lambda: log(f"still running after {wait:g}s; sending KILL"))
    log("stopped" if pid is not None else "not running")
    (home / PID_FILE).unlink(missing_ok=True)
    if read_state(home).get("CREATED_TMP") == "1":
        log(f"removing temp dir {home}")
        shutil.rmtree(home, ignore_errors=True)
    return pid is not None


def status(dir: str | Path) -> ServerInfo | None:
    """The server of ``dir`` if it runs, else None."""
    home = _home(dir)
    pid = _pid_of(home)
    return None if pid is None else _info(home, read_state(home), pid, reused=True)


@contextlib.contextmanager
def running(dir: str | Path | None = None, *, settings: Settings | None = None,
            password: str | None = None) -> Iterator[ServerInfo]:
    """Start (or reuse) a server for the ``with`` block; stop it afterwards unless it was reused."""
    s = settings or Settings.from_env()
    info = start(dir, settings=s, password=password)
    try:
        yield info
    finally:
        if not info.reused and info.dir is not None:
            stop(info.dir, timeout=s.stop_timeout)


# ----------------------------------------------------------------------- CLI
def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit status (0 ok, 1 error, 2 usage, 3 not running)."""
    parser = argparse.ArgumentParser(prog=PROG, usage=HELP.splitlines()[0][7:], add_help=False)
    parser.add_argument("command", nargs="?", choices=["start", "stop", "status", "help"])
    parser.add_argument("--dir", default="")
    parser.add_argument("-h", "--help", action="store_true")
    args = parser.parse_args(argv)
    if args.help or args.command == "help":
        sys.stdout.write(HELP)
        return 0
    if args.command is None:
        sys.stderr.write(HELP)
        return 2
    home = args.dir or os.environ.get("NEO4J_LOCAL_DIR") or None
    try:
        if args.command == "start":
            sys.stdout.write(start(home, password=os.environ.get("NEO4J_PASSWORD") or None).exports())
        elif args.command == "stop":
            if home is None:
                raise EcoKGError("which server? pass --dir DIR or set NEO4J_LOCAL_DIR")
            stop(home)
        else:
            info = status(home) if home else None
            if info is None:
                print(f"not running (dir {_home(home)})" if home
                      else "not running (no --dir and NEO4J_LOCAL_DIR unset)")
                return EXIT_NOT_RUNNING
            http = f", http://127.0.0.1:{info.http_port}" if info.http_port else ""
            print(f"running: pid {info.pid}, {info.uri}{http}, dir {info.dir}, Neo4j {info.version}")
        return 0
    except EcoKGError as e:
        log(f"error: {e}")
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
