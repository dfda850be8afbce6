"""The read-only SPARQL endpoint (`ecokg serve`: uvicorn + worker processes), queried with SPARQLWrapper.

The server must answer exactly what the embedded store answers, refuse every write,
and never bind a non-loopback address unless asked to. Without uvicorn/starlette
(`ecokg[serve]`) these tests are skipped locally and fail in CI (CI=true).
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
from ecokg.ontology import PREFIXES
from ecokg.ontology import XSD_NS as XSD

from ecokg.errors import BackendError, BackendUnavailable

IN_CI = os.environ.get("CI", "").lower() == "true"
HEADER = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())  # the server has no predefined prefixes

PEOPLE_AT_BANKS = HEADER + """
SELECT ?person ?org ?title ?former WHERE {
  ?p a eco:Person ; eco:name ?person ; eco:holds ?pos .
  ?pos a eco:Position ; eco:title ?title ; eco:isFormer ?former ; eco:inOrganisation ?o .
  ?o a eco:Bank ; eco:name ?org }
ORDER BY ?org ?person ?title"""

MODEL_SCORES = HEADER + """
SELECT ?model ?developer ?score ?source WHERE {
  ?r a eco:BenchmarkResult ; eco:score ?score ; eco:forModel ?m ; eco:evidence/eco:quote ?source .
  ?m eco:name ?model ; eco:developedBy/eco:name ?developer }
ORDER BY DESC(?score) ?model ?developer ?source"""

COUNT_PERSONS = HEADER + "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a eco:Person }"
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _require_binary() -> None:
    from ecokg.serve import _server_libraries

    try:
        _server_libraries()
    except BackendUnavailable as e:
        if IN_CI:
            pytest.fail(f"required in CI: {e}")
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def endpoint(built):
    """The built sample served on a free loopback port; yields the base URL."""
    from ecokg.serve import free_port, running_server

    _require_binary()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("no_proxy", "127.0.0.1,localhost")  # SPARQLWrapper uses urllib, which honours *_proxy
        mp.setenv("NO_PROXY", "127.0.0.1,localhost")
        with running_server(built.out_dir, "127.0.0.1", free_port()) as url:
            yield url


def _py(binding: dict | None):
    """A SPARQL JSON results binding as the Python value the embedded store gives."""
    if binding is None:
        return None
    if binding["type"] == "uri":
        return binding["value"]
    if binding["type"] == "bnode":
        return "_:" + binding["value"]
    dt, value = binding.get("datatype", ""), binding["value"]
    if dt == XSD + "boolean":
        return value in ("true", "1")
    if dt in (XSD + "integer", XSD + "int", XSD + "long"):
        return int(value)
    if dt == XSD + "decimal":
        return float(Decimal(value))
    if dt in (XSD + "double", XSD + "float"):
        return float(value)
    return value


def remote(url: str, query: str) -> list[dict]:
    from SPARQLWrapper import JSON, SPARQLWrapper

    sw = SPARQLWrapper(url + "/query")
    sw.setQuery(query)
    sw.setReturnFormat(JSON)
    data = sw.query().convert()
    names = data["head"]["vars"]
    return [{n: _py(b.get(n)) for n in names} for b in data["results"]["bindings"]]


@pytest.mark.parametrize("query", [PEOPLE_AT_BANKS, MODEL_SCORES, COUNT_PERSONS],
                         ids=["people-at-banks", "model-scores", "count-persons"])
def test_same_rows_as_the_embedded_store(endpoint, store, query):
    local = store.query(query)
    served = remote(endpoint, query)
    assert local, "the query must find something in the sample"
    assert served == local  # same values, same types, same order (ORDER BY is total)


def test_rows_are_typed(endpoint, built):
    rows = remote(endpoint, PEOPLE_AT_BANKS)
    assert all(isinstance(r["former"], bool) for r in rows)
    scores = [r["score"] for r in remote(endpoint, MODEL_SCORES)]
    assert all(isinstance(s, float) for s in scores) and scores == sorted(scores, reverse=True)
    n = remote(endpoint, COUNT_PERSONS)[0]["n"]
    assert n == sum(1 for _ in built.kg.of_class("Person")) and isinstance(n, int)


def test_update_is_refused(endpoint, store):
    from SPARQLWrapper import POST, SPARQLWrapper

    before = remote(endpoint, COUNT_TRIPLES)[0]["n"]
    assert before == len(store)
    insert = HEADER + 'INSERT DATA { <urn:ecokg:test:intruder> eco:name "intruder" }'
    sw = SPARQLWrapper(endpoint + "/query", updateEndpoint=endpoint + "/update")
    sw.setQuery(insert)
    sw.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403
    # the update form on the query endpoint and a Graph Store write are refused too
    attempts = [
        (endpoint + "/query", b"update=" + urllib.parse.quote(insert).encode(), "application/x-www-form-urlencoded"),
        (endpoint + "/store?default", b'<urn:ecokg:test:intruder> <urn:ecokg:test:p> "x" .', "text/turtle"),
    ]
    for url, body, ctype in attempts:
        req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": ctype})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=10)
        assert 400 <= err.value.code < 500, url
    assert remote(endpoint, COUNT_TRIPLES)[0]["n"] == before
    assert remote(endpoint, "SELECT ?p WHERE { <urn:ecokg:test:intruder> ?p ?o }") == []


def test_port_in_use_is_a_clear_error(built):
    from ecokg.serve import running_server

    _require_binary()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(BackendError, match=f"port {port} .*already in use.*--port"):
            with running_server(built.out_dir, "127.0.0.1", port):
                pass


def test_startup_failure_is_one_clear_error(tmp_path):
    from ecokg.serve import running_server

    _require_binary()
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "CURRENT").write_text("not an Oxigraph store\n")
    with pytest.raises((BackendError, BackendUnavailable), match="cannot open the store") as err:
        with running_server(tmp_path, "127.0.0.1", 0, timeout=10):
            pass
    assert str(tmp_path) in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1", "example.org"])
def test_non_loopback_bind_is_refused(built, host):
    from ecokg.serve import running_server

    with pytest.raises(BackendError, match="loopback"):
        with running_server(built.out_dir, host, 7878):
            pass


def test_loopback_hosts():
    from ecokg.serve import base_url, is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "example.org", ""))
    assert base_url("::1", 7878) == "http://[::1]:7878"


def test_missing_build_and_missing_libraries(tmp_path, monkeypatch, built):
    from ecokg.serve import running_server

    with pytest.raises(BackendUnavailable, match="ecokg build"):
        with running_server(tmp_path, "127.0.0.1", 7878):
            pass
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if it were not installed
    with pytest.raises(BackendUnavailable, match=r"uvicorn.*pip install 'ecokg\[serve\]'"):
        with running_server(built.out_dir, "127.0.0.1", 0):
            pass


def test_200_concurrent_requests_are_all_answered(endpoint, store):
    from concurrent.futures import ThreadPoolExecutor

    expected = store.query(COUNT_PERSONS)[0]["n"]

    def one(_: int) -> int:
        return remote(endpoint, COUNT_PERSONS)[0]["n"]

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(one, range(200)))
    assert answers == [expected] * 200


def test_ecokg_serve_command_answers_like_ecokg_sparql(built):
    """The commands themselves: `ecokg serve` in a subprocess, SPARQLWrapper against it, and
    `ecokg sparql` on the same query give the same rows."""
    import json
    import subprocess
    import time

    from click.testing import CliRunner
    from SPARQLWrapper import JSON, SPARQLWrapper

    from ecokg.cli import cli
    from ecokg.serve import free_port

    _require_binary()
    port = free_port()
    # the installed console script, run outside the source tree so the checkout cannot shadow the package
    script = os.path.join(os.path.dirname(sys.executable), "ecokg")
    proc = subprocess.Popen([script, "serve", "--out", str(built.out_dir), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(built.out_dir))
    try:
        url = f"http://127.0.0.1:{port}/query"
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.time() < deadline, "ecokg serve did not answer in 30 s"
                time.sleep(0.3)
        client = SPARQLWrapper(url)
        client.setQuery(PEOPLE_AT_BANKS)
        client.setReturnFormat(JSON)
        served = [{k: v["value"] for k, v in b.items()} for b in client.query().convert()["results"]["bindings"]]
        res = CliRunner().invoke(cli, ["sparql", "--out", str(built.out_dir), PEOPLE_AT_BANKS])
        assert res.exit_code == 0, res.output
        local = [{k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in r.items()}
                 for r in json.loads(res.stdout)]
        assert served and served == local
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_query_page_declares_the_prefixes_and_its_example_runs(endpoint, store):
    """The home page is a form whose text runs as it stands: every prefix ecokg predefines is
    declared, and the example query answers the same rows as the embedded store."""
    import csv
    import html
    import io
    import re

    base = endpoint.rsplit("/query", 1)[0]
    with urllib.request.urlopen(base + "/") as resp:
        page = resp.read().decode("utf-8")
        assert "script-src" not in resp.headers["Content-Security-Policy"]  # default-src 'none': no script
    text = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))
    for prefix, ns in PREFIXES.items():
        assert f"PREFIX {prefix}: <{ns}>" in text
    url = base + "/query?" + urllib.parse.urlencode({"query": text, "format": "csv"})
    with urllib.request.urlopen(url) as resp:
        assert resp.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(resp.read().decode("utf-8"))))
    want = store.query(text)
    assert rows and len(rows) == len(want)
    assert [r["person"] for r in rows] == [w["person"] for w in want]
