"""`policygraph query`, `load` and `build --store`, and the SPARQL endpoint with SPARQLWrapper as client."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rdflib import Graph

from policygraph.cli import main
from policygraph.results import format_result
from policygraph.serve import negotiate
from policygraph.store import OxigraphStore, Result, Store


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
    # 新能源 holds the 102亿元 盈峰新能源装备项目 and the 60亿元 卧龙 park (as the sample's gold says)
    assert rows[0] == ["industry", "yuan", "projects"] and rows[1][:3] == ["新能源", "16200000000", "2"]
    totals = [float(r[1]) for r in rows[1:]]
    assert totals == sorted(totals, reverse=True)
    # people read 亿元 in the terminal; the CSV above keeps exact yuan
    assert main(["query", "investment_by_industry", "--graph", str(graph_file)]) == 0
    table = capsys.readouterr().out.splitlines()
    first = f"{totals[0] / 1e8:,.2f}".rstrip("0").rstrip(".") + " 亿元"
    assert table[2].startswith(rows[1][0]) and first in table[2], table[:3]
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
    from policygraph.namespaces import PG
    from policygraph.rdfio import read_dataset

    invests = set(read_dataset(graph_file).subject_objects(PG.investsIn))
    assert len(invests) >= 4  # the sample's investors and their projects
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) == len(invests)


def test_neighbourhood_reaches_as_many_hops_as_asked(graph_file: Path, capsys) -> None:
    rows = {}
    for hops in (1, 2, 3):
        assert main(["query", "neighbourhood", "--param", "name=卧龙", "--param", f"hops={hops}",
                     "--graph", str(graph_file), "--format", "csv"]) == 0
        table = list(csv.reader(capsys.readouterr().out.splitlines()))
        assert table[0] == ["distance", "neighbour", "type", "via", "predicate"]
        rows[hops] = {tuple(r) for r in table[1:]}
        assert {int(r[0]) for r in rows[hops]} == set(range(1, hops + 1))
        # one row per actor, at its shortest distance, never the actor asked about
        names = [r[1] for r in table[1:]]
        assert len(names) == len(set(names)) and "卧龙" not in names
        # each actor is reached through one found a hop closer (or the start)
        closer = {r[1]: int(r[0]) for r in table[1:]} | {"卧龙": 0}
        assert all(closer[r[3]] == int(r[0]) - 1 for r in table[1:])
    # a farther hop only adds
    assert rows[1] < rows[2] < rows[3]
    assert ("1", "卧龙新能源智慧产业园", "Project", "卧龙", "investsIn") in rows[1]
    assert ("2", "上虞区", "Place", "卧龙新能源智慧产业园", "locatedIn") in rows[2]
    # the default is two hops
    assert main(["query", "neighbourhood", "--param", "name=卧龙", "--graph", str(graph_file), "--format", "csv"]) == 0
    assert {tuple(r) for r in list(csv.reader(capsys.readouterr().out.splitlines()))[1:]} == rows[2]
    assert main(["query", "neighbourhood", "--param", "name=卧龙", "--param", "hops=9", "--graph", str(graph_file)]) == 2
    assert "hops must be" in capsys.readouterr().err


def test_neighbourhood_as_a_graph_and_a_view(graph_file: Path, tmp_path: Path, capsys) -> None:
    from rdflib import RDF, RDFS

    from policygraph.namespaces import PG

    sub = tmp_path / "wolong.ttl"
    assert main(["query", "neighbourhood", "--param", "name=卧龙", "--graph", str(graph_file),
                 "--format", "graph", "-o", str(sub)]) == 0
    g = Graph().parse(sub, format="turtle")
    labels = {str(o) for o in g.objects(None, RDFS.label)}
    assert {"卧龙", "卧龙新能源智慧产业园", "上虞区"} <= labels
    # facts only between the actors reached, each with its evidence sentence and document
    actors = set(g.subjects(RDFS.label, None))
    facts = [(s, p, o) for s, p, o in g if str(p).startswith(str(PG)) and o in actors and p != PG.mentionedIn]
    assert facts and all(s in actors for s, _, _ in facts)
    evidence = set(g.subjects(RDF.type, PG.Evidence))
    assert {(g.value(e, RDF.subject), g.value(e, RDF.predicate), g.value(e, RDF.object)) for e in evidence} == set(facts)
    assert all(g.value(e, PG.sentence) for e in evidence)
    assert not list(g.objects(None, PG.text))
    view = tmp_path / "wolong.html"
    assert main(["query", "neighbourhood", "--param", "name=卧龙", "--graph", str(graph_file),
                 "--format", "graph", "-o", str(view)]) == 0
    assert "卧龙新能源智慧产业园" in view.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["query", "timeline", "--graph", str(graph_file), "--format", "graph"]) == 2
    assert "neighbourhood" in capsys.readouterr().err


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
    assert "6 documents loaded, 0 removed" in capsys.readouterr().out
    (corpus / "extra.txt").unlink()
    assert main(["build", str(corpus), "-o", str(tmp_path / "b.trig"), "--no-view", "--store", store]) == 0
    assert "5 documents loaded, 1 removed" in capsys.readouterr().out
    assert main(["query", "search", "--param", "text=明华", "--store", store, "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip() == "label,type"
    assert main(["load", str(tmp_path / "a.trig"), "--store", store]) == 0
    assert main(["query", "search", "--param", "text=明华", "--store", store, "--format", "csv"]) == 0
    assert "明华光电显示项目" in capsys.readouterr().out


def test_negotiation_and_formats() -> None:
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", "select") == "xml"
    assert negotiate("*/*", "select") == "json"
    assert negotiate("application/json", "graph") == "turtle"
    res = Result("ask", boolean=True)
    assert json.loads(format_result(res, "json"))["boolean"] is True
    assert isinstance(OxigraphStore(), Store)


def test_construct_answers_in_turtle_with_the_project_prefixes(graph_file: Path, capsys) -> None:
    q = "PREFIX pg: <https://w3id.org/policygraph/ont#> CONSTRUCT { ?c pg:investsIn ?p } WHERE { ?c pg:investsIn ?p }"
    assert main(["query", "--graph", str(graph_file), q]) == 0
    out = capsys.readouterr().out
    assert " pg:investsIn " in out and "ns1:" not in out
    assert main(["query", "--graph", str(graph_file), q]) == 0
    assert capsys.readouterr().out == out  # canonical: the same bytes every time
