"""`policygraph query`, `load` and `build --store`, and the SPARQL endpoint with SPARQLWrapper as client."""

from __future__ import annotations

import csv
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from policygraph.build import build
from policygraph.cli import main
from policygraph.results import format_result
from policygraph.serve import make_server, negotiate
from policygraph.store import MemoryStore, OxigraphStore, Result, Store


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("g") / "s.trig"
    assert main(["build", "-o", str(out), "--no-view"]) == 0
    return out


def test_query_list_and_formats(graph_file: Path, capsys) -> None:
    assert main(["query", "--list"]) == 0
    listing = capsys.readouterr().out
    for name in ("investment_by_industry", "neighbourhood", "evidence", "timeline", "company_projects"):
        assert name in listing
    assert main(["query", "investment_by_industry", "--graph", str(graph_file), "--format", "csv"]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert rows[0] == ["industry", "total", "projects"] and rows[1][0] == "先进材料"
    totals = [float(r[1]) for r in rows[1:]]
    assert totals == sorted(totals, reverse=True)
    assert main(["query", "company_projects", "--param", "company=盈峰", "--graph", str(graph_file),
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["head"]["vars"][0] == "project"
    assert {b["project"]["value"] for b in data["results"]["bindings"]} == {"盈峰新能源装备项目"}
    for fmt in ("tsv", "md", "xml", "table"):
        assert main(["query", "timeline", "--graph", str(graph_file), "--format", fmt]) == 0
        assert "浙江省文化市场行政执法规范化建设现场会" in capsys.readouterr().out
    q = ("PREFIX pg: <https://w3id.org/policygraph/ont#> "
         "CONSTRUCT { ?c pg:investsIn ?p } WHERE { ?c pg:investsIn ?p }")
    assert main(["query", q, "--graph", str(graph_file)]) == 0
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) == 4


def test_neighbourhood_reaches_as_many_hops_as_asked(graph_file: Path, capsys) -> None:
    rows = {}
    for hops in (1, 2, 3):
        assert main(["query", "neighbourhood", "--param", "name=卧龙", "--param", f"hops={hops}",
                     "--graph", str(graph_file), "--format", "csv"]) == 0
        table = list(csv.reader(capsys.readouterr().out.splitlines()))
        assert table[0] == ["distance", "predicate", "neighbour", "type"]
        rows[hops] = {tuple(r) for r in table[1:]}
        assert {int(r[0]) for r in rows[hops]} == set(range(1, hops + 1))
    # a farther hop only adds: each neighbour keeps its shortest distance
    assert rows[1] < rows[2] < rows[3]
    assert ("1", "investsIn", "卧龙新能源智慧产业园", "Project") in rows[1]
    # the default is two hops
    assert main(["query", "neighbourhood", "--param", "name=卧龙", "--graph", str(graph_file), "--format", "csv"]) == 0
    assert {tuple(r) for r in list(csv.reader(capsys.readouterr().out.splitlines()))[1:]} == rows[2]
    assert main(["query", "neighbourhood", "--param", "name=卧龙", "--param", "hops=9", "--graph", str(graph_file)]) == 2
    assert "hops must be" in capsys.readouterr().err


def test_query_errors_are_one_line(graph_file: Path, capsys) -> None:
    assert main(["query", "neighbourhood", "--graph", str(graph_file)]) == 2
    assert "needs --param name" in capsys.readouterr().err
    assert main(["query", "SELECT * WHERE {", "--graph", str(graph_file)]) == 2
    assert "query failed" in capsys.readouterr().err
    assert main(["query", "no_such_query", "--graph", str(graph_file)]) == 2
    assert main(["query", "timeline", "--store", "redis:x"]) == 2


def test_build_and_load_into_a_store(sample_dir: Path, tmp_path: Path, capsys) -> None:
    store = f"oxigraph:{tmp_path / 'db'}"
    corpus = tmp_path / "c"
    corpus.mkdir()
    for f in sample_dir.iterdir():
        (corpus / f.name).write_bytes(f.read_bytes())
    (corpus / "extra.txt").write_text("总投资10亿元的明华光电显示项目签约落户南湖区。", encoding="utf-8")
    assert main(["build", str(corpus), "-o", str(tmp_path / "a.trig"), "--no-view", "--store", store]) == 0
    assert "2 documents loaded, 0 removed" in capsys.readouterr().out
    (corpus / "extra.txt").unlink()
    assert main(["build", str(corpus), "-o", str(tmp_path / "b.trig"), "--no-view", "--store", store]) == 0
    assert "1 documents loaded, 1 removed" in capsys.readouterr().out
    assert main(["query", "search", "--param", "text=明华", "--store", store, "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip() == "label,type"
    assert main(["load", str(tmp_path / "a.trig"), "--store", store]) == 0
    assert main(["query", "search", "--param", "text=明华", "--store", store, "--format", "csv"]) == 0
    assert "明华光电显示项目" in capsys.readouterr().out


class SlowStore(MemoryStore):
    def query(self, sparql, bindings=None):
        if "SLOW" in sparql:
            time.sleep(2)
        return super().query(sparql, bindings)


@pytest.fixture(scope="module")
def endpoint(sample_dir: Path):
    store = SlowStore()
    store.load(build([sample_dir]).dataset)
    server = make_server(store, port=0, timeout=0.5, limit=3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


QUERY = ("PREFIX pg: <https://w3id.org/policygraph/ont#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         "SELECT ?label WHERE { ?p a pg:Project ; rdfs:label ?label } ORDER BY ?label")


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


def _status(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def test_endpoint_is_read_only_time_limited_and_has_a_page(endpoint: str) -> None:
    upd = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()
    assert _status(f"{endpoint}/sparql", upd)[0] == 403
    assert _status(f"{endpoint}/sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"})[0] == 403
    slow = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } # SLOW")
    code, body = _status(f"{endpoint}/sparql?query={slow}")
    assert code == 503 and "longer than" in body
    assert _status(f"{endpoint}/sparql?query=SELECT%20nonsense")[0] == 400
    code, page = _status(f"{endpoint}/")
    assert code == 200 and "investment_by_industry" in page and "http" not in page.split("<script>")[1][:200]


def test_endpoint_makes_no_outbound_requests(endpoint: str) -> None:
    import socket

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
            code, body = _status(url, data)
            assert code == 400 and "refused" in body, (q, code, body)
    with pytest.raises(socket.timeout):
        listener.accept()  # nobody ever connected
    listener.close()


def test_endpoint_rejects_malformed_and_oversized_requests(endpoint: str) -> None:
    import http.client

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


def test_serve_refuses_a_remote_bind_unless_allowed(capsys) -> None:
    sample = Path(__file__).resolve().parent.parent / "graphs" / "sample.trig"
    assert main(["serve", "--graph", str(sample), "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_negotiation_and_formats() -> None:
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", "select") == "xml"
    assert negotiate("*/*", "select") == "json"
    assert negotiate("application/json", "graph") == "turtle"
    res = Result("ask", boolean=True)
    assert json.loads(format_result(res, "json"))["boolean"] is True
    assert isinstance(OxigraphStore(), Store)
