from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from policygraph.analyze import to_networkx
from policygraph.build import build
from policygraph.errors import PolicyGraphError
from policygraph.render import LARGE, VIS_MAX, layout, page, query_iris, render, select

HOSTILE = '<img src=x onerror="window.pwned=1"></script><script>window.pwned=2</script>&lt;'


@pytest.fixture(scope="module")
def sample(sample_dir: Path):
    ds = build([sample_dir]).dataset
    return ds, to_networkx(ds)


@pytest.mark.parametrize(("renderer", "library"), [("vis", "vis.Network"), ("sigma", "graphology")])
def test_page_is_self_contained(sample, renderer: str, library: str) -> None:
    _, g = sample
    html = page(g, "t", renderer=renderer)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "cdnjs" not in html and library in html
    data = json.loads(re.search(r'<script type="application/json" id="pg-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["nodes"]) == g.number_of_nodes() and len(data["edges"]) == g.number_of_edges()


def test_document_text_cannot_leave_its_json_block(sample) -> None:
    _, g = sample
    g = g.copy()
    n = next(iter(g.nodes))
    g.nodes[n]["label"] = HOSTILE
    g.nodes[n]["aliases"] = [HOSTILE]
    html = page(g, HOSTILE)
    assert HOSTILE not in html
    assert html.count("</script>") == 4  # data, vis-network, its renderer, app: no more
    assert "<img" not in html.split("<body>", 1)[1]
    data = json.loads(re.search(r'id="pg-data">(.*?)</script>', html, re.S).group(1))
    assert HOSTILE in {d["label"] for d in data["nodes"]}  # the text survives, as data


def test_focus_type_degree_and_query(sample) -> None:
    ds, g = sample
    sub = select(g, focus="盈峰", depth=2)
    labels = {d["label"] for _, d in sub.nodes(data=True)}
    assert {"盈峰", "盈峰新能源装备项目", "智能装备生态园"} <= labels
    assert {d["type"] for _, d in select(g, types=["Company", "Project"]).nodes(data=True)} == {"Company", "Project"}
    kept = select(g, min_degree=3)
    assert len(kept) and all(g.degree(n) >= 3 for n in kept)
    assert len(kept) == sum(1 for n in g if g.degree(n) >= 3)
    q = ("PREFIX pg: <https://w3id.org/policygraph/ont#> "
         "CONSTRUCT { ?c pg:investsIn ?p } WHERE { ?c pg:investsIn ?p }")
    iris = query_iris(ds, q)
    investing = {n for s, o, k in g.edges(keys=True) if k == "investsIn" for n in (s, o)}
    assert set(select(g, iris=iris).nodes) == investing
    sel = "PREFIX pg: <https://w3id.org/policygraph/ont#> SELECT ?p WHERE { ?p a pg:Project }"
    assert len(query_iris(ds, sel)) == 5
    with pytest.raises(PolicyGraphError, match="no actor named"):
        select(g, focus="不存在的企业")
    with pytest.raises(PolicyGraphError, match="unknown entity types"):
        select(g, types=["Robot"])
    with pytest.raises(PolicyGraphError, match="--query"):
        query_iris(ds, "SELECT nonsense")


def test_large_graphs_get_python_positions_and_open_on_central_actors(tmp_path: Path) -> None:
    import networkx as nx

    big = nx.MultiDiGraph()
    base = nx.barabasi_albert_graph(LARGE * 3, 2, seed=1)
    for n in base.nodes:
        big.add_node(f"urn:n{n}", label=f"n{n}", type="Company")
    for a, b in base.edges:
        big.add_edge(f"urn:n{a}", f"urn:n{b}", key="partOf", evidence=[])
    pos = layout(big)
    assert len(pos) == big.number_of_nodes() and len(set(pos.values())) == big.number_of_nodes()
    html = page(big, max_visible=100)
    data = json.loads(re.search(r'id="pg-data">(.*?)</script>', html, re.S).group(1))
    assert data["large"] is True
    shown = [d for d in data["nodes"] if d["shown"]]
    assert len(shown) == 100
    hub = max(big.degree, key=lambda x: x[1])[0]
    assert next(d for d in data["nodes"] if d["iri"] == hub)["shown"]


def test_render_writes_the_file(sample, tmp_path: Path) -> None:
    ds, _ = sample
    out = render(ds, tmp_path / "v.html", focus="卧龙", depth=1, size_by="pagerank")
    assert out.stat().st_size > 100_000


def test_an_ill_typed_amount_does_not_break_the_view(tmp_path) -> None:
    from policygraph.cli import main

    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix pg: <https://w3id.org/policygraph/ont#> .\n'
                   '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                   '<urn:p> a pg:Project ; rdfs:label "X项目" ; pg:investmentCNY "abc" .\n', encoding="utf-8")
    assert main(["render", str(bad), "-o", str(tmp_path / "v.html")]) == 0
    assert "not a number of yuan" in (tmp_path / "v.html").read_text(encoding="utf-8")


def _scale_free(n: int):
    import networkx as nx

    base = nx.barabasi_albert_graph(n, 2, seed=1)
    g = nx.MultiDiGraph()
    for i in base.nodes:
        g.add_node(f"urn:n{i}", label=f"n{i}", type="Company")
    for a, b in base.edges:
        g.add_edge(f"urn:n{a}", f"urn:n{b}", key="partOf", evidence=[])
    return g


def test_the_renderer_is_chosen_by_size(sample) -> None:
    from policygraph.render import choose_renderer

    _, g = sample
    assert choose_renderer(_scale_free(VIS_MAX)) == "vis" and choose_renderer(_scale_free(VIS_MAX + 1)) == "sigma"
    assert choose_renderer(g) == "sigma" and choose_renderer(g, "vis") == "vis"  # the sample: 66 actors with facts
    with pytest.raises(PolicyGraphError, match="--renderer"):
        choose_renderer(g, "d3")
    html = page(_scale_free(LARGE + 1))
    assert "graphology" in html and "vis.Network" not in html and "sourceMappingURL" not in html


def test_actors_without_facts_are_listed_and_groups_named(sample) -> None:
    _, g = sample
    data = json.loads(re.search(r'id="pg-data">(.*?)</script>', page(g), re.S).group(1))
    lone = {d["id"] for d in data["nodes"] if d["isolated"]}
    assert lone == set(data["isolated"]) and len(lone) == sum(1 for n in g if g.degree(n) == 0)
    names = [name for name, size, head in data["groups"]]
    assert names[0] == "上虞区"  # the biggest group is named by its most central actor
    assert all(data["nodes"][head]["head"] and data["nodes"][head]["label"] == name for name, _, head in data["groups"])
    assert data["documents"][0][:3] == ["000_edcad067146c7d14.txt#1", "2024-08-03", "上虞区"]


def test_views_are_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    script = ("import sys, networkx as nx\n"
              "from policygraph.render import page\n"
              "base = nx.barabasi_albert_graph(int(sys.argv[1]), 2, seed=1)\n"
              "g = nx.MultiDiGraph()\n"
              "[g.add_node(f'urn:n{i}', label=f'n{i}', type='Company') for i in base]\n"
              "[g.add_edge(f'urn:n{a}', f'urn:n{b}', key='partOf', evidence=[]) for a, b in base.edges]\n"
              "[g.add_node(f'urn:lone{i}', label=f'lone{i}', type='Place') for i in range(5)]\n"
              "sys.stdout.write(page(g))\n")
    for n in ("40", str(LARGE * 2)):  # a spring layout of components, and communities
        outs = {subprocess.run([sys.executable, "-c", script, n], capture_output=True, text=True, check=True,
                               env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
        assert len(outs) == 1
