"""The three stores behind one interface, for real: rdflib in memory, Oxigraph on disk, Virtuoso over HTTP."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import URIRef

from policygraph.build import build
from policygraph.errors import PolicyGraphError
from policygraph.extract import Pipeline
from policygraph.graph import add_doc, document_iri, new_dataset
from policygraph.ingest import Document
from policygraph.queries import bindings, canned, run
from policygraph.store import MemoryStore, OxigraphStore, SparqlStore, open_store

PARAMS = {"company": "盈峰", "name": "卧龙", "subject": "盈峰", "object": "盈峰新能源装备项目", "text": "新能源"}


@pytest.fixture(scope="module")
def sample(sample_dir: Path):
    return build([sample_dir]).dataset


@pytest.fixture(params=["memory", "oxigraph", "virtuoso", "virtuoso-graph-store"])
def store(request, tmp_path: Path):
    if request.param == "memory":
        s = MemoryStore()
    elif request.param == "oxigraph":
        s = OxigraphStore(tmp_path / "ox")
    else:
        v = request.getfixturevalue("virtuoso")
        # writes by SPARQL Update, or by the Graph Store Protocol
        s = SparqlStore(v.endpoint, graph_store=v.graph_store if request.param.endswith("store") else None)
        for g in s.graph_names():
            s.remove_graph(g)
    yield s
    s.close()


def _same(v):
    """Numbers compare by value (Virtuoso types SUM(decimal) as an integer where Oxigraph keeps decimal);
    GROUP_CONCAT lists compare as sets (SPARQL leaves their order to the engine)."""
    if isinstance(v, str) and "; " in v:
        return "; ".join(sorted(v.split("; ")))
    return float(v) if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else v


def _answers(store) -> dict[str, list]:
    out = {}
    for q in canned():
        binds = bindings([f"{p}={PARAMS[p]}" for p in q.parameters], q.parameters, q.defaults)
        out[q.name] = sorted(repr(tuple(map(_same, row))) for row in run(store, q, binds).values())
    return out


def test_every_canned_query_gives_the_same_answers_on_all_stores(sample, store) -> None:
    reference = MemoryStore()
    reference.load(sample)
    store.load(sample)
    expected = _answers(reference)
    assert all(expected[name] for name in ("projects", "company_projects", "neighbourhood", "evidence"))
    assert _answers(store) == expected


def _dataset(*docs: tuple[str, str, str]):
    """A dataset built from (name, text, published) documents."""
    pipeline = Pipeline()
    ds = new_dataset()
    for name, text, published in docs:
        add_doc(ds, pipeline.run(Document(name, text, published=published)))
    return ds


def test_rebuilding_a_document_replaces_only_its_graph(store) -> None:
    store.load(_dataset(("a.txt", "总投资10亿元的明华光电显示项目签约落户南湖区。", "2024-05-01"),
                        ("b.txt", "总投资3亿元的远景储能电池项目签约落户秀洲区。", "2024-05-01")))
    q = "PREFIX pg: <https://w3id.org/policygraph/ont#> SELECT ?y WHERE { ?p pg:investmentCNY ?y } ORDER BY ?y"
    assert [v[0] for v in store.query(q).values()] == [300000000, 1000000000]
    store.load(_dataset(("a.txt", "总投资20亿元的明华光电显示项目签约落户南湖区。", "2024-05-01")))
    assert [v[0] for v in store.query(q).values()] == [300000000, 2000000000]
    store.remove_graph(document_iri("b.txt"))
    assert [v[0] for v in store.query(q).values()] == [2000000000]
    assert store.graph_names() == [document_iri("a.txt")]


def _spool(ds):
    from policygraph.rdfio import GraphSpool, graph_block

    spool = GraphSpool()
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier), reverse=True):  # any order
        if len(g):
            spool.add(str(g.identifier), graph_block(g, "nquads"), graph_block(g, "trig"))
    return spool


def test_a_spooled_build_replaces_its_graphs_and_drops_the_gone(store) -> None:
    """``sync_file``: what ``build --store`` does with the graphs it spooled to disk."""
    store.load(_dataset(("a.txt", "总投资10亿元的明华光电显示项目签约落户南湖区。", "2024-05-01"),
                        ("b.txt", "总投资3亿元的远景储能电池项目签约落户秀洲区。", "2024-05-01")))
    new = _dataset(("a.txt", "总投资20亿元的明华光电显示项目签约落户南湖区。", "2024-05-01"),
                   ("c.txt", "总投资5亿元的远景储能电池项目签约落户嘉善县。", "2024-05-01"))
    with _spool(new) as spool:
        assert store.sync_file(spool.nquads_file(), removed=[document_iri("b.txt")]) == 2
    q = "PREFIX pg: <https://w3id.org/policygraph/ont#> SELECT ?y WHERE { ?p pg:investmentCNY ?y } ORDER BY ?y"
    assert [v[0] for v in store.query(q).values()] == [500000000, 2000000000]
    assert store.graph_names() == [document_iri("a.txt"), document_iri("c.txt")]
    reference = MemoryStore()
    reference.load(new)
    assert len(store) == len(reference)


def test_parameters_cannot_change_the_query(sample, store) -> None:
    store.load(sample)
    q = next(c for c in canned() if c.name == "search")
    for hostile in ['新能源" } #', '") } UNION { ?e ?p ?label } #', "x'}\n#"]:
        assert store.query(q.text, bindings([f"text={hostile}"], ("text",))).rows == []
    assert store.query(q.text, bindings(["text=新能源"], ("text",))).rows


def test_oxigraph_store_persists(sample, tmp_path: Path) -> None:
    s = OxigraphStore(tmp_path / "ox")
    s.load(sample)
    n = len(s)
    s.close()
    del s
    again = OxigraphStore(tmp_path / "ox")
    assert len(again) == n > 0


def test_open_store_specs(tmp_path: Path) -> None:
    assert isinstance(open_store("memory"), MemoryStore)
    assert isinstance(open_store(f"oxigraph:{tmp_path / 'x'}"), OxigraphStore)
    assert isinstance(open_store("sparql:http://127.0.0.1:9/sparql"), SparqlStore)
    three = open_store("sparql:http://h/sparql|http://h/update|http://h/sparql-graph-crud")
    assert (three.endpoint, three.update_endpoint, three.graph_store) == (
        "http://h/sparql", "http://h/update", "http://h/sparql-graph-crud")
    for bad in ("redis:x", "sparql:ftp://x"):
        with pytest.raises(PolicyGraphError):
            open_store(bad)
    with pytest.raises(PolicyGraphError, match="cannot reach"):
        open_store("sparql:http://127.0.0.1:9/sparql").query("ASK {}")


def test_graph_names_are_documents(sample) -> None:
    s = MemoryStore()
    s.load(sample)
    assert s.graph_names() == [URIRef(document_iri(f"000_edcad067146c7d14.txt#{n}")) for n in range(1, 6)]


def test_a_fact_stated_by_two_documents_counts_once(store) -> None:
    store.load(_dataset(*[(name, "总投资10亿元的明华新能源汽车项目签约落户南湖区。", "2024-05-01")
                          for name in ("a.txt", "b.txt")]))
    q = next(c for c in canned() if c.name == "investment_by_industry")
    assert [v[1] for v in store.query(q.text).values()] == [pytest.approx(1e9)]
    store.remove_graph(document_iri("a.txt"))
    assert [v[1] for v in store.query(q.text).values()] == [pytest.approx(1e9)]
    store.remove_graph(document_iri("b.txt"))
    assert store.query(q.text).rows == []


def test_a_project_stated_with_two_amounts_counts_its_largest_once(store) -> None:
    store.load(_dataset(("a.txt", "总投资10亿元的华腾智能装备项目签约落户南湖区。", "2024-05-01"),
                        ("b.txt", "总投资4亿元的华腾智能装备项目开工。", "2024-06-01")))
    for name in ("investment_by_industry", "investment_by_place"):
        q = next(c for c in canned() if c.name == name)
        assert [(v[1], v[2]) for v in store.query(q.text).values()] == [(pytest.approx(1e9), 1)], name


def test_a_read_only_store_closes_cleanly(sample_dir: Path, tmp_path: Path) -> None:
    from policygraph.build import build
    from policygraph.store import open_store

    with open_store(f"oxigraph:{tmp_path / 'db'}") as s:
        s.load(build([sample_dir]).dataset)
    with open_store(f"oxigraph:{tmp_path / 'db'}", read_only=True) as s:
        assert len(s) > 0
