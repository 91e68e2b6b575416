"""The SPARQL endpoint (`policygraph serve`): waitress in front, queries in worker processes."""

from __future__ import annotations

import contextlib
import functools
import http.client
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from policygraph.cli import main
from policygraph.rdfio import read_dataset
from policygraph.serve import Server
from policygraph.store import MemoryStore, open_for_query

SAMPLE = Path(__file__).resolve().parent.parent / "graphs" / "sample.trig"


class SlowStore(MemoryStore):
    def query(self, sparql, bindings=None):
        if "SLOW" in sparql:
            time.sleep(30)
        return super().query(sparql, bindings)


def open_slow_store(path: str) -> SlowStore:
    """Opened in each worker process (so it lives at module level, picklable)."""
    store = SlowStore()
    store.load(read_dataset(path))
    return store


@pytest.fixture(scope="module")
def endpoint():
    server = Server(functools.partial(open_slow_store, str(SAMPLE)), port=0, timeout=0.5, limit=3,
                    workers=2).start()
    yield server.url
    server.close()


QUERY = ("PREFIX pg: <https://w3id.org/policygraph/ont#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         "SELECT ?label WHERE { ?p a pg:Project ; rdfs:label ?label } ORDER BY ?label")


def _status(url: str, data: bytes | None = None, headers: dict | None = None,
            method: str | None = None) -> tuple[int, str, dict]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.read().decode("utf-8"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8"), dict(e.headers)


def test_endpoint_with_sparqlwrapper(endpoint: str) -> None:
    from SPARQLWrapper import CSV, GET, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper

    sw = SPARQLWrapper(f"{endpoint}/sparql")
    sw.setQuery(QUERY)
    for method in (GET, POST):
        sw.setMethod(method)
        sw.setReturnFormat(JSON)
        res = sw.query()
        data = res.convert()
        assert len(data["results"]["bindings"]) == 3  # limit 3 of 5 projects
        assert res.response.headers["X-Result-Truncated"] == "3"
    sw.setMethod(GET)
    sw.setReturnFormat(XML)
    assert len(sw.query().convert().getElementsByTagName("result")) == 3
    for fmt, first in ((CSV, b"label\r\n"), (TSV, b"label\n")):
        sw.setReturnFormat(fmt)
        body = sw.query().convert()
        assert body.replace(b"\r\n", b"\n").startswith(first.replace(b"\r\n", b"\n"))
    sw.setQuery("PREFIX pg: <https://w3id.org/policygraph/ont#> CONSTRUCT { ?c pg:investsIn ?p } "
                "WHERE { ?c pg:investsIn ?p }")
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) == 3  # --limit holds for CONSTRUCT too


def test_endpoint_is_read_only_time_limited_and_has_a_page(endpoint: str) -> None:
    upd = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()
    assert _status(f"{endpoint}/sparql", upd)[0] == 403
    assert _status(f"{endpoint}/sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"})[0] == 403
    assert _status(f"{endpoint}/sparql", b"x", method="PUT")[0] == 403
    slow = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } # SLOW")
    t = time.perf_counter()
    code, body, _ = _status(f"{endpoint}/sparql?query={slow}")
    assert code == 503 and "longer than" in body
    assert time.perf_counter() - t < 5  # answered at the time limit, not when the query ends
    assert _status(f"{endpoint}/sparql?query=SELECT%20nonsense")[0] == 400
    code, page, headers = _status(f"{endpoint}/")
    assert code == 200 and "investment_by_industry" in page and "http" not in page.split("<script>")[1][:200]
    assert "Access-Control-Allow-Origin" not in headers  # no CORS unless asked
    assert _status(f"{endpoint}/nowhere")[0] == 404


def test_endpoint_makes_no_outbound_requests(endpoint: str) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    for q in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
              f"select * where {{ service silent <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
              f"LOAD <http://127.0.0.1:{port}/x>"):
        for data in (None, urllib.parse.urlencode({"query": q}).encode()):
            url = f"{endpoint}/sparql" + ("" if data else "?" + urllib.parse.urlencode({"query": q}))
            code, body, _ = _status(url, data)
            assert code == 400 and "refused" in body, (q, code, body)
    with pytest.raises(socket.timeout):
        listener.accept()  # nobody ever connected
    listener.close()


def test_endpoint_rejects_malformed_and_oversized_requests(endpoint: str) -> None:
    host, port = endpoint.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Length", "abc")
    conn.endheaders()
    assert conn.getresponse().status == 400
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Length", str(100 * 1024 * 1024))
    conn.putheader("Content-Type", "application/sparql-query")
    conn.endheaders()
    assert conn.getresponse().status == 413  # answered without reading 100 MB
    # HEAD answers at once: the slow query is not run
    slow = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } # SLOW")
    t = time.perf_counter()
    req = urllib.request.Request(f"{endpoint}/sparql?query={slow}", method="HEAD")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200 and r.read() == b""
    assert time.perf_counter() - t < 0.4


def test_a_half_sent_request_holds_no_worker(endpoint: str) -> None:
    host, port = endpoint.removeprefix("http://").split(":")
    idle = []
    for _ in range(50):  # 50 clients that send half a request line and wait
        s = socket.create_connection((host, int(port)))
        s.sendall(b"GET /sparql?query=SEL")
        idle.append(s)
    try:
        code, body, _ = _status(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": QUERY}))
        assert code == 200 and body.count("value") == 3
    finally:
        for s in idle:
            s.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_a_runaway_query_is_stopped_and_its_worker_replaced() -> None:
    server = Server(functools.partial(open_for_query, str(SAMPLE)), port=0, timeout=1.0, workers=1).start()
    try:
        (pid,) = server.pool.pids()
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        code, body, _ = _status(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": runaway}))
        assert code == 503 and "stopped" in body
        assert not _alive(pid)  # its process is gone: no CPU, no memory held
        deadline = time.monotonic() + 60
        while not server.pool.pids() and time.monotonic() < deadline:
            time.sleep(0.1)
        (fresh,) = server.pool.pids()
        assert fresh != pid
        code, body, _ = _status(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": QUERY}))
        assert code == 200 and "盈峰" in body
    finally:
        server.close()


def test_cors_for_one_origin() -> None:
    server = Server(functools.partial(open_for_query, str(SAMPLE)), port=0, workers=1,
                    cors="https://analyst.example").start()
    try:
        code, _, headers = _status(f"{server.url}/sparql", method="OPTIONS",
                                   headers={"Origin": "https://analyst.example",
                                            "Access-Control-Request-Method": "POST"})
        assert code == 204 and headers["Access-Control-Allow-Origin"] == "https://analyst.example"
        assert "POST" in headers["Access-Control-Allow-Methods"]
        code, _, headers = _status(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": QUERY}))
        assert code == 200 and headers["Access-Control-Allow-Origin"] == "https://analyst.example"
    finally:
        server.close()


def test_serve_names_a_store_that_is_missing(tmp_path: Path, capsys) -> None:
    assert main(["serve", "--store", f"oxigraph:{tmp_path / 'nothing'}", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "no such store" in err and "Traceback" not in err
    assert not (tmp_path / "nothing").exists()
    assert main(["serve", "--graph", str(SAMPLE), "--cors", "*"]) == 2
    assert "one origin" in capsys.readouterr().err


def test_serve_refuses_a_remote_bind_unless_allowed(capsys) -> None:
    assert main(["serve", "--graph", str(SAMPLE), "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_workers_read_a_store_a_load_is_changing(tmp_path: Path) -> None:
    db = tmp_path / "db"
    assert main(["load", str(SAMPLE), "--store", f"oxigraph:{db}"]) == 0
    server = Server(functools.partial(open_for_query, None, f"oxigraph:{db}", read_only=True), port=0,
                    workers=1).start()
    try:
        assert main(["load", str(SAMPLE), "--store", f"oxigraph:{db}"]) == 0  # a writer beside the readers
        code, body, _ = _status(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": QUERY}))
        assert code == 200 and "盈峰" in body
    finally:
        server.close()
    assert os.path.isdir(db)


def _cpus_allowed(pid: int, tid: int | None = None) -> set[int]:
    path = f"/proc/{pid}/task/{tid}/status" if tid else f"/proc/{pid}/status"
    with open(path) as fh:
        line = next(x for x in fh if x.startswith("Cpus_allowed_list:"))
    out: set[int] = set()
    for part in line.split(":")[1].strip().split(","):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def _query_workers(pid: int) -> set[int]:
    """The server's query worker processes (spawned children; not the resource tracker)."""
    out = set()
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/children") as fh:
            for child in fh.read().split():
                with contextlib.suppress(OSError), open(f"/proc/{child}/cmdline", "rb") as c:
                    if b"spawn_main" in c.read():
                        out.add(int(child))
    return out


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs Linux and two cores")
def test_serve_keeps_its_threads_on_one_core_and_its_workers_on_all() -> None:
    """`policygraph serve`: every thread of the HTTP process on one core (its lock handed between
    cores made it three times slower under load), each query worker on every core it was given,
    a replacement worker too."""
    import subprocess
    import sys

    from policygraph.store.virtuoso import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "policygraph.cli", "serve", "--graph", str(SAMPLE),
                             "--port", str(port), "--timeout", "1", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert "SPARQL endpoint" in proc.stdout.readline()
        url = f"http://127.0.0.1:{port}/sparql?"
        assert _status(url + urllib.parse.urlencode({"query": QUERY}))[0] == 200
        first = _query_workers(proc.pid)
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        assert _status(url + urllib.parse.urlencode({"query": runaway}))[0] == 503  # a worker replaced
        deadline = time.monotonic() + 60
        workers = first
        everything = set(os.sched_getaffinity(0))

        def settled() -> bool:  # a fresh worker sets its cores once it runs, a moment after it starts
            return len(workers) == 2 and workers != first and all(_cpus_allowed(w) == everything for w in workers)

        while time.monotonic() < deadline and not settled():
            time.sleep(0.2)
            workers = _query_workers(proc.pid)
        assert len(first) == 2 and len(workers) == 2 and workers != first
        threads = [int(t) for t in os.listdir(f"/proc/{proc.pid}/task")]
        assert len(threads) > 1 and all(len(_cpus_allowed(proc.pid, t)) == 1 for t in threads)
        assert settled(), ([_cpus_allowed(w) for w in workers], everything)
    finally:
        proc.terminate()
        proc.wait(10)
