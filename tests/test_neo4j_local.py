"""Tests of the local Neo4j tool (ecokg.neo4j_local, scripts/neo4j-local, ecokg.supervise).

The unit tests need no server. The tests marked ``neo4j`` run against the real
server of the ``neo4j_server`` fixture: the one named by NEO4J_URI, else one the
fixture starts (skipped without Java locally, failed in CI).
"""

from __future__ import annotations

import doctest
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ecokg import neo4j_local, supervise
from ecokg.errors import BackendError, EcoKGError
from ecokg.neo4j_local import ServerInfo, Settings


REPO = Path(__file__).resolve().parent.parent
WRAPPER = REPO / "scripts" / "neo4j-local"
TESTS = Path(__file__).resolve().parent


def _env(**extra: str) -> dict[str, str]:
    """Our environment without any NEO4J_* / CI variable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "CI"}
    env.update(extra)
    return env


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ecokg.neo4j_local ARGS`` (outside the source tree)."""
    return subprocess.run([sys.executable, "-m", "ecokg.neo4j_local", *args], cwd="/", env=_env(**env),
                          capture_output=True, text=True, timeout=120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------ export lines
TRICKY = "it's \"a\" $HOME `id` \\n;|&*"


def test_exports_eval_back_to_the_same_values() -> None:
    info = ServerInfo("bolt://127.0.0.1:7687", password=TRICKY, dir=Path("/tmp/dir with 'quote'"))
    script = 'eval "$1"; printf "%s\\0" "$NEO4J_URI" "$NEO4J_USERNAME" "$NEO4J_PASSWORD" "$NEO4J_DATABASE" "$NEO4J_LOCAL_DIR"'
    out = subprocess.run(["bash", "-c", script, "bash", info.exports()], capture_output=True, text=True, check=True)
    assert out.stdout.split("\0")[:-1] == [
        "bolt://127.0.0.1:7687", "neo4j", TRICKY, "neo4j", "/tmp/dir with 'quote'"]


def test_exports_have_the_bash_tool_format() -> None:
    info = ServerInfo("bolt://127.0.0.1:7687", password="abcDEF123456", dir=Path("/tmp/ecokg-neo4j.x"))
    assert info.exports().splitlines() == [
        "export NEO4J_URI=bolt://127.0.0.1:7687",
        "export NEO4J_USERNAME=neo4j",
        "export NEO4J_PASSWORD='abcDEF123456'",
        "export NEO4J_DATABASE=neo4j",
        "export NEO4J_LOCAL_DIR='/tmp/ecokg-neo4j.x'",
    ]
    assert "abcDEF123456" not in repr(info)  # the password is kept out of reprs


# ---------------------------------------------------------- conf, state, jars
def test_conf_is_loopback_only_and_hardened() -> None:
    conf = neo4j_local.render_conf(Path("/srv/n4j"), Settings(bolt_port=7999, http_port=None))
    lines = conf.splitlines()
    assert "server.directories.import=/srv/n4j/import" in lines
    assert "dbms.security.allow_csv_import_from_file_urls=false" in lines
    assert "dbms.security.auth_enabled=true" in lines
    assert "server.bolt.listen_address=127.0.0.1:7999" in lines
    assert "server.http.enabled=false" in lines
    addresses = [ln.split("=", 1)[1] for ln in lines if "_address=" in ln]
    assert len(addresses) == 6
    assert all(a.startswith("127.0.0.1") for a in addresses), addresses


def test_conf_http_port() -> None:
    conf = neo4j_local.render_conf(Path("/x"), Settings(http_port=17474)).splitlines()
    assert "server.http.enabled=true" in conf
    assert "server.http.listen_address=127.0.0.1:17474" in conf


def test_state_file_is_private_and_round_trips(tmp_path: Path) -> None:
    (tmp_path / neo4j_local.STATE_FILE).write_text("old\n")
    (tmp_path / neo4j_local.STATE_FILE).chmod(0o644)
    values = {"VERSION": "5.26.30", "BOLT_PORT": "7687", "HTTP_PORT": "off", "CREATED_TMP": "0",
              "PASSWORD": "a=b'c\"d"}
    neo4j_local.write_state(tmp_path, values)
    assert stat.S_IMODE((tmp_path / neo4j_local.STATE_FILE).stat().st_mode) == 0o600
    assert neo4j_local.read_state(tmp_path) == values
    assert neo4j_local.read_state(tmp_path / "missing") == {}


def test_settings_from_env() -> None:
    s = Settings.from_env({"NEO4J_HTTP_PORT": "off", "ECOKG_CACHE_DIR": "/c", "NEO4J_START_TIMEOUT": "5"})
    assert (s.bolt_port, s.http_port, s.start_timeout) == (7687, None, 5.0)
    assert s.lib == Path(f"/c/neo4j-{neo4j_local.DEFAULT_VERSION}/lib")
    assert Settings.from_env({"HOME": "/h"}).http_port == 7474
    for bad in ({"NEO4J_BOLT_PORT": "x"}, {"NEO4J_HTTP_PORT": "99999"}, {"NEO4J_STOP_TIMEOUT": "soon"}):
        with pytest.raises(EcoKGError):
            Settings.from_env(bad)


def test_passwords() -> None:
    for bad in ("short", "has\nnewline", "@argfile-ish"):
        with pytest.raises(EcoKGError):
            neo4j_local.check_password(bad)
    choose = neo4j_local._choose_password
    home = Path("/x")
    generated = choose(home, "", None, False)  # new store, nothing asked: random
    assert len(generated) == 24 and generated.isalnum() and generated != choose(home, "", None, False)
    assert choose(home, "stored-pw", "wanted-pw", False) == "wanted-pw"  # new store: NEO4J_PASSWORD wins
    assert choose(home, "stored-pw", "wanted-pw", True) == "stored-pw"  # existing store keeps its own
    assert choose(home, "", "wanted-pw", True) == "wanted-pw"  # existing store, no state: trust the user
    with pytest.raises(EcoKGError, match="unknown password"):
        choose(home, "", None, True)
    with pytest.raises(EcoKGError, match="at least 8"):
        choose(home, "", "short", False)


def test_lib_complete(tmp_path: Path) -> None:
    assert not neo4j_local.lib_complete(tmp_path)
    (tmp_path / "a.jar").write_bytes(b"PK")
    (tmp_path / ".complete").write_text("a.jar\nb.jar\n")
    assert not neo4j_local.lib_complete(tmp_path)  # b.jar missing
    (tmp_path / "b.jar").write_bytes(b"")
    assert not neo4j_local.lib_complete(tmp_path)  # b.jar empty
    (tmp_path / "b.jar").write_bytes(b"PK")
    assert neo4j_local.lib_complete(tmp_path)


def test_pom_and_jvm_args() -> None:
    s = Settings(version="5.26.30", browser_version="5.24.0", heap_max="2g")
    pom = neo4j_local.render_pom(s)
    for artifact in ("<artifactId>neo4j</artifactId>", "<artifactId>neo4j-bolt</artifactId>",
                     "<artifactId>neo4j-browser</artifactId>", "<version>5.24.0</version>"):
        assert artifact in pom
    args = neo4j_local.jvm_args(s)
    assert "-Xmx2g" in args and "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED" in args


FAKE_MVN = """#!/bin/sh
# a stand-in for Maven: records the call, then "downloads" three jars
echo "$@" >> "$MVN_CALLS"
sleep 1
for a in "$@"; do case "$a" in -DoutputDirectory=*) out="${a#-DoutputDirectory=}" ;; esac; done
mkdir -p "$out"
for j in neo4j-5.26.30.jar neo4j-bolt-5.26.30.jar netty.jar; do echo PK > "$out/$j"; done
echo "[INFO] BUILD SUCCESS"
"""


def test_concurrent_first_starts_run_maven_once(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "mvn").write_text(FAKE_MVN)
    (tmp_path / "bin" / "mvn").chmod(0o755)
    calls = tmp_path / "mvn-calls"
    code = ("import sys; from pathlib import Path; from ecokg.neo4j_local import Settings, fetch_jars; "
            "print(fetch_jars(Settings(version='5.26.30', cache_root=Path(sys.argv[1]))))")
    env = _env(PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}", MVN_CALLS=str(calls))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "cache")], cwd="/", env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    lib = tmp_path / "cache" / "neo4j-5.26.30" / "lib"
    assert [p.returncode for p in procs] == [0, 0], outs
    assert [o[0].strip() for o in outs] == [str(lib)] * 2
    assert len(calls.read_text().splitlines()) == 1  # the second start waited and reused the cache
    assert "copy-dependencies" in calls.read_text() and "-DincludeScope=runtime" in calls.read_text()
    assert (lib / ".complete").read_text().split() == ["neo4j-5.26.30.jar", "neo4j-bolt-5.26.30.jar", "netty.jar"]
    assert neo4j_local.lib_complete(lib)
    assert any("using cached" in o[1] for o in outs) and any("BUILD SUCCESS" in o[1] for o in outs)
    pom = (tmp_path / "cache" / "neo4j-5.26.30" / "pom.xml").read_text()
    assert pom.count("<dependency>") == 3


# ------------------------------------------------------------- the commands
def test_status_of_missing_dir_exits_3(tmp_path: Path) -> None:
    out = cli("status", "--dir", str(tmp_path / "nope"))
    assert out.returncode == 3, out
    assert out.stdout.startswith("not running")
    out = cli("status")
    assert (out.returncode, out.stdout) == (3, "not running (no --dir and NEO4J_LOCAL_DIR unset)\n")
    assert cli("status", NEO4J_LOCAL_DIR=str(tmp_path)).returncode == 3


@pytest.mark.parametrize("args", [[], ["bogus"], ["start", "stop"], ["status", "--dir"], ["--frobnicate"]])
def test_argument_errors_exit_2(args: list[str]) -> None:
    out = cli(*args)
    assert out.returncode == 2, out
    assert out.stdout == ""
    assert "Usage" in out.stderr or "usage" in out.stderr


def test_help_lists_commands_and_environment() -> None:
    out = cli("--help")
    assert out.returncode == 0
    for word in ("start", "stop", "status", "--dir", "NEO4J_LOCAL_DIR", "NEO4J_BOLT_PORT",
                 "NEO4J_HTTP_PORT", "NEO4J_START_TIMEOUT", "ECOKG_CACHE_DIR", "JAVA_HOME"):
        assert word in out.stdout
    assert cli("help").stdout == out.stdout


def test_stop_needs_a_dir() -> None:
    out = cli("stop")
    assert out.returncode == 1
    assert "which server?" in out.stderr


def test_stop_of_a_missing_dir_is_fine(tmp_path: Path) -> None:
    out = cli("stop", "--dir", str(tmp_path / "gone"))
    assert out.returncode == 0 and "not running" in out.stderr


def test_start_refuses_a_busy_port_and_leaves_no_temp_dir(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(BackendError, match=f"127.0.0.1:{port} is already in use"):
            neo4j_local.start(settings=Settings(bolt_port=port, http_port=None))
        assert list(tmp_path.iterdir()) == []
        out = cli("start", "--dir", str(tmp_path / "home"), NEO4J_BOLT_PORT=str(port), NEO4J_HTTP_PORT="off")
    assert out.returncode == 1
    assert out.stdout == ""  # nothing for eval
    assert f"error: port 127.0.0.1:{port} is already in use" in out.stderr


def test_stop_and_status_ignore_a_foreign_process(tmp_path: Path) -> None:
    """A recycled pid in the pid file must never be stopped."""
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        (tmp_path / "run").mkdir()
        (tmp_path / neo4j_local.PID_FILE).write_text(f"{sleeper.pid}\n")
        neo4j_local.write_state(tmp_path, {"CREATED_TMP": "1", "PASSWORD": "x" * 8})
        assert neo4j_local.status(tmp_path) is None
        assert neo4j_local.stop(tmp_path, timeout=1) is False
        assert sleeper.poll() is None  # still running
        assert not tmp_path.exists()  # CREATED_TMP=1: stop removed the dir
    finally:
        sleeper.kill()
        sleeper.wait()


def test_java_is_checked(tmp_path: Path) -> None:
    with pytest.raises(EcoKGError, match="java not found"):
        neo4j_local.find_java(Settings(java=str(tmp_path / "no-java")))
    old_java = tmp_path / "java"
    old_java.write_text('#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n')
    old_java.chmod(0o755)
    with pytest.raises(EcoKGError, match="needs Java 17 or 21; .* is Java 11.0.2"):
        neo4j_local.find_java(Settings(java=str(old_java)))
    old_java.write_text('#!/bin/sh\necho \'openjdk version "17.0.15" 2025-04-15\' >&2\n')
    assert neo4j_local.find_java(Settings(java=str(old_java))) == str(old_java)


# ---------------------------------------------------------------- the wrapper
def test_wrapper_explains_a_python_without_ecokg(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho \"ModuleNotFoundError: No module named 'ecokg'\" >&2\nexit 1\n")
    fake.chmod(0o755)
    for python in (str(fake), str(tmp_path / "missing-python")):
        out = subprocess.run([str(WRAPPER), "status"], env=_env(PYTHON=python), capture_output=True, text=True)
        assert out.returncode == 1
        assert out.stdout == ""
        assert "cannot run ecokg.neo4j_local" in out.stderr
        assert "scripts/quickstart" in out.stderr and "PYTHON" in out.stderr


def test_wrapper_runs_the_module(tmp_path: Path) -> None:
    out = subprocess.run([str(WRAPPER), "status", "--dir", str(tmp_path)], env=_env(PYTHON=sys.executable),
                         capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout) == (3, f"not running (dir {tmp_path.resolve()})\n")


# ------------------------------------------------------------------ supervise
@pytest.mark.parametrize("module", [supervise, neo4j_local], ids=["supervise", "neo4j_local"])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def test_wait_until_reports_an_early_exit(tmp_path: Path) -> None:
    log = tmp_path / "out.log"
    proc = supervise.start([sys.executable, "-c", "print('bye'); raise SystemExit(4)"], log_path=log)
    with pytest.raises(BackendError, match=r"exited with code 4 before it was ready; last failure: not yet"):
        supervise.wait_until(lambda: "not yet", proc, timeout=30, interval=0.05)
    assert supervise.tail(log) == "bye\n"


def test_stop_kills_a_process_that_ignores_term(tmp_path: Path) -> None:
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ok', flush=True); time.sleep(60)"
    proc = supervise.start([sys.executable, "-c", code], log_path=tmp_path / "log")
    supervise.wait_until(lambda: supervise.tail(tmp_path / "log") == "ok\n", proc, timeout=30, interval=0.05)
    killed = []
    t0 = time.monotonic()
    assert supervise.stop(proc.pid, timeout=0.5, on_kill=lambda: killed.append(True)) is True
    assert killed == [True] and time.monotonic() - t0 < 10
    assert proc.returncode == -signal.SIGKILL
    assert supervise.stop(proc.pid) is False
    assert not supervise.is_running(proc.pid)


# ----------------------------------------------------- the fixture's contract
FIXTURE_USER = "def test_server(neo4j_server):\n    assert neo4j_server.uri\n"


@pytest.mark.parametrize("ci", ["true", ""])
@pytest.mark.parametrize("case", ["unreachable", "no-java"])
def test_fixture_fails_in_ci_and_skips_elsewhere(tmp_path: Path, ci: str, case: str) -> None:
    (tmp_path / "test_user.py").write_text(FIXTURE_USER)
    env = _env(PYTHONPATH=str(TESTS), CI=ci)
    if case == "unreachable":
        env["NEO4J_URI"] = f"bolt://127.0.0.1:{free_port()}"
    else:
        env.pop("JAVA_HOME", None)
        env["JAVA"] = str(tmp_path / "no-java")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "neo4j_fixture",
                          "test_user.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    if ci:
        assert out.returncode == 1 and "1 error" in out.stdout, out.stdout
        assert "CI=true but" in out.stdout
    else:
        assert out.returncode == 0 and "1 skipped" in out.stdout, out.stdout


# ------------------------------------------------- against the real server
@pytest.fixture(scope="module")
def driver(neo4j_server: ServerInfo):  # type: ignore[no-untyped-def]
    import neo4j

    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as drv:
        yield drv


def _own_dir(info: ServerInfo) -> Path:
    if info.dir is None:
        pytest.skip("the server is not one of scripts/neo4j-local (NEO4J_LOCAL_DIR unset)")
    return info.dir


@pytest.mark.neo4j
def test_server_answers(driver, neo4j_server: ServerInfo) -> None:  # type: ignore[no-untyped-def]
    records, _, _ = driver.execute_query("RETURN 1 AS one", database_=neo4j_server.database)
    assert [r["one"] for r in records] == [1]


@pytest.mark.neo4j
def test_status_command_reports_running(neo4j_server: ServerInfo) -> None:
    home = _own_dir(neo4j_server)
    out = subprocess.run([str(WRAPPER), "status"], env=_env(PYTHON=sys.executable, NEO4J_LOCAL_DIR=str(home)),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out
    assert out.stdout.startswith("running: pid ")
    assert neo4j_server.uri in out.stdout


@pytest.mark.neo4j
def test_start_again_reuses_the_running_server(neo4j_server: ServerInfo) -> None:
    home = _own_dir(neo4j_server)
    running = neo4j_local.status(home)
    assert running is not None
    again = neo4j_local.start(home, settings=Settings(start_timeout=60))
    assert again.reused and (again.pid, again.uri, again.password) == (running.pid, running.uri, running.password)
    assert again.password == neo4j_server.password


@pytest.mark.neo4j
def test_files_of_the_running_server(neo4j_server: ServerInfo) -> None:
    home = _own_dir(neo4j_server)
    assert stat.S_IMODE((home / neo4j_local.STATE_FILE).stat().st_mode) == 0o600
    conf = (home / "conf" / "neo4j.conf").read_text().splitlines()
    assert "dbms.security.allow_csv_import_from_file_urls=false" in conf
    assert f"server.directories.import={home}/import" in conf
    assert not (home / "run" / "set-password.args").exists()


@pytest.mark.neo4j
def test_load_csv_cannot_read_server_files(driver, neo4j_server: ServerInfo) -> None:  # type: ignore[no-untyped-def]
    from neo4j.exceptions import ClientError

    _own_dir(neo4j_server)
    with pytest.raises(ClientError, match="allow_csv_import_from_file_urls"):
        driver.execute_query("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row LIMIT 1",
                             database_=neo4j_server.database)


@pytest.mark.neo4j
def test_password_is_on_no_command_line_and_in_no_log(neo4j_server: ServerInfo) -> None:
    home = _own_dir(neo4j_server)
    secret = neo4j_server.password.encode()
    assert len(secret) >= 8
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            assert secret not in cmdline.read_bytes(), cmdline
        except OSError:
            continue  # the process is gone
    for log in (home / "logs").iterdir():
        assert secret not in log.read_bytes(), log
