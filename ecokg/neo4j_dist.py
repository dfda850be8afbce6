"""The Neo4j server that ``ecokg.neo4j_local`` runs: its settings, its jars, its configuration.

- :class:`Settings` (from the environment variables in ``scripts/neo4j-local --help``);
- the jar cache: Neo4j Community and Neo4j Browser from Maven Central, fetched once with
  Maven into ``~/.cache/ecokg/neo4j-VERSION/lib`` (:func:`fetch_jars`);
- Java 17+ (:func:`find_java`), ``neo4j.conf`` (:func:`render_conf`), the JVM flags, and the
  initial password, set through a private java @argfile, never on a command line.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecokg import supervise
from ecokg.errors import BackendError, BackendUnavailable, EcoKGError

PROG = "neo4j-local"
DEFAULT_VERSION = "5.26.30"  # newest 5.26.x (LTS) on Maven Central
DEFAULT_BROWSER_VERSION = "5.24.0"  # newest org.neo4j.client:neo4j-browser there
DEP_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
USER = DATABASE = "neo4j"
#: Addresses LOAD CSV may not fetch from (Neo4j 5's ``internal.dbms.cypher_ip_blocklist``): all of them.
IP_BLOCKLIST = "0.0.0.0/0,::/0"


def log(message: str) -> None:
    """Progress and errors go to stderr: stdout is reserved for the export lines."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ settings
_ENV_VARS = {  # Settings field -> environment variable
    "version": "NEO4J_VERSION", "browser_version": "NEO4J_BROWSER_VERSION",
    "bolt_port": "NEO4J_BOLT_PORT", "http_port": "NEO4J_HTTP_PORT",
    "heap_initial": "NEO4J_HEAP_INITIAL", "heap_max": "NEO4J_HEAP_MAX", "pagecache": "NEO4J_PAGECACHE",
    "start_timeout": "NEO4J_START_TIMEOUT", "stop_timeout": "NEO4J_STOP_TIMEOUT", "cache_root": "ECOKG_CACHE_DIR",
}


@dataclass(frozen=True)
class Settings:
    """How to run the server; :meth:`from_env` reads the variables listed in ``--help``."""

    version: str = DEFAULT_VERSION
    browser_version: str = DEFAULT_BROWSER_VERSION
    bolt_port: int = 7687
    http_port: int | None = 7474  # None: HTTP connector (and Browser) off
    heap_initial: str = "512m"
    heap_max: str = "1g"
    pagecache: str = "256m"
    start_timeout: float = 120.0
    stop_timeout: float = 60.0
    cache_root: Path = field(default_factory=lambda: Path.home() / ".cache" / "ecokg")
    java: str = "java"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment; unset or empty variables keep the defaults.

        >>> s = Settings.from_env({"NEO4J_BOLT_PORT": "7688", "NEO4J_HTTP_PORT": "off"})
        >>> s.bolt_port, s.http_port, s.lib.name
        (7688, None, 'lib')
        """
        e = os.environ if env is None else env
        values: dict[str, Any] = {name: _parse(var, e[var]) for name, var in _ENV_VARS.items() if e.get(var)}
        home_java = Path(e.get("JAVA_HOME") or "/nonexistent", "bin", "java")
        values["java"] = e.get("JAVA") or (str(home_java) if os.access(home_java, os.X_OK) else "java")
        return cls(**values)

    @property
    def dist(self) -> Path:
        """Cache folder of this version: pom.xml, maven.log, lib/."""
        return self.cache_root / f"neo4j-{self.version}"

    @property
    def lib(self) -> Path:
        """The server's jars; ``lib/.complete`` lists them once complete."""
        return self.dist / "lib"


def _parse(var: str, raw: str) -> Any:
    if var == "ECOKG_CACHE_DIR":
        return Path(raw)
    if var.endswith("_TIMEOUT"):
        try:
            return float(raw)
        except ValueError:
            raise EcoKGError(f"{var} must be a number of seconds") from None
    if var.endswith("_PORT"):
        if var == "NEO4J_HTTP_PORT" and raw == "off":
            return None
        if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) < 65536:
            raise EcoKGError(f"{var} must be a port number" + (" or 'off'" if "HTTP" in var else ""))
        return int(raw)
    return raw



def _write_private(path: Path, text: str, mode: int = 0o600) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.fchmod(fd, mode)  # also when the file existed
    with open(fd, "w", encoding="utf-8") as f:
        f.write(text)




# ------------------------------------------------------------------ java, jars
def find_java(settings: Settings) -> str:
    """Path of a Java 17+ ``java``; raises BackendUnavailable if there is none."""
    java = shutil.which(settings.java)
    if java is None:
        raise BackendUnavailable("java not found (need Java 17 or 21; set JAVA_HOME or JAVA)")
    out = subprocess.run([java, "-version"], capture_output=True, text=True, errors="replace")
    version = re.search(r'version "(([0-9]+)[^"]*)"', out.stderr + out.stdout)
    if version is None:
        raise BackendUnavailable(f"cannot parse the Java version from '{java} -version'")
    if int(version.group(2)) < 17:
        raise BackendUnavailable(f"Neo4j {settings.version} needs Java 17 or 21; '{java}' is Java {version.group(1)}")
    return java


def lib_complete(lib: Path) -> bool:
    """True if ``lib/.complete`` lists jars and all of them are there."""
    try:
        names = (lib / ".complete").read_text().split()
    except OSError:
        return False
    return bool(names) and all((lib / n).is_file() and (lib / n).stat().st_size > 0 for n in names)


def render_pom(settings: Settings) -> str:
    """A pom whose runtime dependencies are the jars of a Neo4j Community server."""
    deps = [("org.neo4j", "neo4j", settings.version), ("org.neo4j", "neo4j-bolt", settings.version),
            ("org.neo4j.client", "neo4j-browser", settings.browser_version)]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- generated by scripts/neo4j-local: kernel, Cypher, HTTP server and admin tool (neo4j),\n"
        "     Bolt (neo4j-bolt), and the static Neo4j Browser served under /browser/ -->\n"
        '<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n'
        f"  <groupId>local.ecokg</groupId><artifactId>neo4j-local-server</artifactId>"
        f"<version>{settings.version}</version><packaging>pom</packaging>\n  <dependencies>\n"
        + "".join(f"    <dependency><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{v}</version>"
                  "</dependency>\n" for g, a, v in deps)
        + "  </dependencies>\n</project>\n"
    )


def fetch_jars(settings: Settings) -> Path:
    """The cached jar folder, filled with Maven first if needed (under a lock: one download at a time)."""
    if not lib_complete(settings.lib):
        settings.dist.mkdir(parents=True, exist_ok=True)
        with open(settings.dist / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log(f"another start is filling the jar cache; waiting for it ({settings.dist}/.lock)")
                fcntl.flock(lock, fcntl.LOCK_EX)
            if not lib_complete(settings.lib):
                _download(settings)
                return settings.lib
    log(f"using cached Neo4j {settings.version} jars in {settings.lib}")
    return settings.lib


def _download(s: Settings) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BackendUnavailable("Maven (mvn) is needed for the first start (to fetch the jars)")
    partial, mlog = s.dist / "lib.partial", s.dist / "maven.log"
    (s.dist / "pom.xml").write_text(render_pom(s), encoding="utf-8")
    shutil.rmtree(partial, ignore_errors=True)
    log(f"downloading Neo4j Community {s.version} + Browser {s.browser_version} from Maven Central")
    log(f"(~215 jars, ~140 MB; first time only, may take a few minutes; full log: {mlog})")
    argv = [mvn, "-B", "-f", str(s.dist / "pom.xml"), f"{DEP_PLUGIN}:copy-dependencies",
            f"-DoutputDirectory={partial}", "-DincludeScope=runtime",
            "-DoverWriteReleases=false", "-DoverWriteSnapshots=false"]
    jars = 0
    with open(mlog, "w", encoding="utf-8") as out, subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8", errors="replace") as mvn_proc:
        for line in mvn_proc.stdout or ():
            out.write(line)
            if line.startswith("[ERROR]"):
                sys.stderr.write(line)
            elif "Downloaded from" in line and ".jar " in line:
                jars += 1
                if jars % 20 == 0:
                    log(f"... {jars} jar files downloaded")
            elif "BUILD SUCCESS" in line:
                log(f"maven: BUILD SUCCESS ({jars} jar files downloaded, incl. Maven plugins; "
                    "the rest came from the local Maven repo)")
    if mvn_proc.returncode != 0:
        sys.stderr.write(supervise.tail(mlog, 30))
        raise BackendError(f"maven failed (exit {mvn_proc.returncode}); see {mlog}")
    core = [f"neo4j-{s.version}.jar", f"neo4j-bolt-{s.version}.jar"]
    if not all((partial / jar).is_file() for jar in core):
        raise BackendError(f"maven finished but {' / '.join(core)} are missing in {partial}")
    names = sorted(p.name for p in partial.glob("*.jar"))
    (partial / ".complete").write_text("".join(n + "\n" for n in names), encoding="utf-8")
    shutil.rmtree(s.lib, ignore_errors=True)
    partial.rename(s.lib)
    log(f"cached {len(names)} jars in {s.lib}")


# ------------------------------------------------------------ server config
def render_conf(home: Path, settings: Settings) -> str:
    """neo4j.conf: loopback only, auth on, small memory, LOAD CSV without file URLs or network."""
    bolt, http = settings.bolt_port, settings.http_port
    return f"""\
# Generated by scripts/neo4j-local on every start; edits are overwritten.
# Neo4j Community {settings.version}, loopback only.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1

server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{bolt}
server.bolt.advertised_address=127.0.0.1:{bolt}
server.bolt.tls_level=DISABLED

server.http.enabled={'false' if http is None else 'true'}
server.http.listen_address=127.0.0.1:{http or 7474}
server.http.advertised_address=127.0.0.1:{http or 7474}
server.https.enabled=false

dbms.security.auth_enabled=true
initial.dbms.default_database={DATABASE}

# Hardening (docs/security.md): LOAD CSV may not read the server's files (file URLs off, and
# confined to the empty import/ folder) nor fetch any URL (every IPv4 and IPv6 address blocked,
# which also covers localhost: no server-side requests).
server.directories.import={home}/import
dbms.security.allow_csv_import_from_file_urls=false
internal.dbms.cypher_ip_blocklist={IP_BLOCKLIST}

# Small footprint: the machine is shared with tests.
server.memory.heap.initial_size={settings.heap_initial}
server.memory.heap.max_size={settings.heap_max}
server.memory.pagecache.size={settings.pagecache}

dbms.usage_report.enabled=false

# A local server for tests and notebooks: stop at once (Bolt would wait out two 5 s quiet periods).
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
"""


def jvm_args(settings: Settings) -> list[str]:
    """The JVM flags of the ``neo4j`` launcher, with our heap sizes."""
    return [f"-Xms{settings.heap_initial}", f"-Xmx{settings.heap_max}",
            "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+DisableExplicitGC", "-XX:+ExitOnOutOfMemoryError",
            "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
            "-Djdk.tls.ephemeralDHKeySize=2048", "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
            "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"]


def _java_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    env.pop("NEO4J_PASSWORD", None)  # the JVMs need not see it
    return env


def check_password(password: str) -> None:
    """Raise EcoKGError unless Neo4j (and the java @argfile) accept ``password``."""
    if len(password) < 8:
        raise EcoKGError("NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)")
    if "\n" in password or "\r" in password:
        raise EcoKGError("NEO4J_PASSWORD must not contain a newline")
    if password.startswith("@"):
        raise EcoKGError("NEO4J_PASSWORD must not start with '@'")


def set_initial_password(home: Path, java: str, lib: Path, password: str) -> None:
    """Set the password of user neo4j with the admin tool, via a private @argfile (never argv)."""
    auth, argfile = home / "data" / "dbms" / "auth.ini", home / "run" / "set-password.args"
    auth.unlink(missing_ok=True)
    quoted = password.replace("\\", "\\\\").replace('"', '\\"')
    _write_private(argfile, f'{ADMIN_CLASS} dbms set-initial-password "{quoted}"\n')
    try:
        out = subprocess.run([java, "-Xmx256m", "-cp", f"{lib}/*", f"@{argfile}"], cwd=home, env=_java_env(home),
                             capture_output=True, text=True, errors="replace", umask=0o077)
    finally:
        argfile.unlink(missing_ok=True)
    if out.returncode != 0:
        sys.stderr.write((out.stdout + out.stderr).replace(password, "********"))
        raise BackendError(f"setting the initial password failed (exit {out.returncode})")
    if not auth.is_file() or auth.stat().st_size == 0:
        raise BackendError("set-initial-password did not write data/dbms/auth.ini")
    log("initial password of user neo4j set")
