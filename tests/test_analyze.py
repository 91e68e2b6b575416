from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from policygraph.analyze import (
    agency_programme,
    betweenness,
    canned_frame,
    communities,
    company_project_industry,
    degree,
    events_timeline,
    export,
    graph_stats,
    industry_bridges,
    investment_by_company,
    investment_by_industry,
    investment_by_place,
    pagerank,
    path_with_evidence,
    programmes_and_targets,
    to_networkx,
    to_rdf,
)
from policygraph.build import build
from policygraph.cli import main
from policygraph.extract import Pipeline
from policygraph.graph import add_doc, new_dataset
from policygraph.ingest import Document
from policygraph.namespaces import PG

TEXT = (
    "今年4月,总投资35亿元的华锐光电显示面板项目签约落户秀洲区。"
    "总投资12亿元的华锐光电新能源电池项目签约落户南湖区。"
    "今年5月,总投资8亿元的明远光电新能源汽车部件项目签约落户秀洲区。"
)


@pytest.fixture(scope="module")
def ds():
    d = new_dataset()
    # the tables are under test here, not the model: the fast one reads these made-up names right
    # (the LAC model takes 明远新能源汽车 for an industry)
    add_doc(d, Pipeline(fast=True).run(Document("t.txt", TEXT, published="2024-06-01", region="嘉兴市")))
    return d


def test_projection_keeps_types_labels_and_evidence(ds) -> None:
    g = to_networkx(ds)
    labels = {d["label"]: d for _, d in g.nodes(data=True)}
    assert labels["华锐光电显示面板项目"]["type"] == "Project"
    assert labels["华锐光电显示面板项目"]["investmentCNY"] == ["3500000000"]
    edges = [(g.nodes[s]["label"], k, g.nodes[o]["label"], d) for s, o, k, d in g.edges(keys=True, data=True)]
    invest = [e for e in edges if e[1] == "investsIn"]
    assert invest and all(e[3]["evidence"] and e[3]["evidence"][0][1] == "t.txt" for e in invest)


def test_subgraph_back_to_rdf(ds) -> None:
    g = to_networkx(ds)
    sub = company_project_industry(g)
    assert {d["type"] for _, d in sub.nodes(data=True)} <= {"Company", "Project", "Industry"}
    rdf = to_rdf(sub, ds)
    assert set(rdf.subjects(PG.investsIn, None))
    assert set(rdf.subjects(None, PG.Evidence))
    assert not set(rdf.subjects(PG.locatedIn, None)) - set(rdf.subjects(PG.mentionedIn, None))
    assert agency_programme(g).number_of_nodes() == 0


def test_tables(ds) -> None:
    ind = investment_by_industry(ds)
    assert dict(zip(ind.industry, ind.yuan, strict=True)) == pytest.approx({"新能源": 1.2e9, "新能源汽车": 0.8e9})
    assert list(ind.projects) == [1, 1]
    place = investment_by_place(ds)
    xiuzhou = place[place.place == "秀洲区"].iloc[0]
    assert xiuzhou.yuan == pytest.approx(4.3e9) and xiuzhou.projects == 2
    comp = investment_by_company(ds)
    assert comp.iloc[0].yuan == pytest.approx(4.7e9)
    tl = events_timeline(ds)
    assert list(tl.date) == sorted(tl.date) and "2024-04" in set(tl.date)
    assert list(programmes_and_targets(ds).columns) == ["programme", "industry", "relation"]
    near = canned_frame(ds, "neighbourhood", name="华锐光电显示面板项目", hops=1)
    assert len(near) and set(near.distance) == {1} and list(near.columns) == ["distance", "neighbour", "type", "via", "predicate"]
    assert set(near.via) == {"华锐光电显示面板项目"}
    assert len(canned_frame(ds, "neighbourhood", name="华锐光电显示面板项目", hops=2)) > len(near)


def test_measures(ds) -> None:
    g = to_networkx(ds)
    for df, col in ((degree(g), "degree"), (pagerank(g), "pagerank"), (betweenness(g), "betweenness")):
        assert len(df) == g.number_of_nodes() and list(df[col]) == sorted(df[col], reverse=True)
    assert pagerank(g)["pagerank"].sum() == pytest.approx(1.0)
    assert betweenness(g, k=3)["betweenness"].notna().all()
    com = communities(g)
    assert set(com.index) == set(g.nodes) and com.community.min() == 0
    steps = path_with_evidence(g, "华锐光电显示面板项目", "南湖区")
    assert steps[0]["subject"] in ("华锐光电显示面板项目", "浙江华锐光电", "华锐光电")
    assert all(s["evidence"] for s in steps)
    with pytest.raises(nx.NetworkXNoPath):
        g2 = g.copy()
        g2.add_node("urn:x", label="孤立", type="Place")
        path_with_evidence(g2, "华锐光电显示面板项目", "孤立")
    assert isinstance(industry_bridges(g).columns.tolist(), list)


def test_stats_and_warnings(sample_dir: Path) -> None:
    st = graph_stats(build([sample_dir]).dataset, top=5)
    assert st.documents == 5 and st.entities["Project"] == 5 and len(st.top) == 5  # the page's 5 articles
    assert any("no fact" in w for w in st.warnings)
    text = st.text()
    assert "top actors by PageRank" in text and "warnings:" in text


def test_stats_report_merges_and_shared_names(sample_dir: Path, tmp_path: Path) -> None:
    """Two district papers with the same relative agency name: one name, two actors (listed as
    ambiguous, each with its area's code); an actor named two ways is listed as merged."""
    from policygraph.cli import main
    from policygraph.rdfio import read_dataset

    corpus = tmp_path / "c"
    corpus.mkdir()
    for name, text in (("a.txt", "区经信局召开全区数字经济推进大会。"), ("b.txt", "区经信局召开全区数字经济推进大会。")):
        (corpus / name).write_text(text + "\n", encoding="utf-8")
    (corpus / "manifest.csv").write_text("file,date,region\na.txt,2024-01-02,南京市鼓楼区\nb.txt,2024-01-03,福州市鼓楼区\n",
                                         encoding="utf-8")
    out = tmp_path / "g.trig"
    assert main(["build", str(corpus), "-o", str(out), "--no-view"]) == 0
    st = graph_stats(read_dataset(out))
    shared = dict(st.ambiguous)["鼓楼区经济和信息化局"]
    assert shared == ["GovernmentAgency 320106/鼓楼区经济和信息化局", "GovernmentAgency 350102/鼓楼区经济和信息化局"]
    assert any(label == "鼓楼区经济和信息化局" and "区经信局" in names for label, _, _, names in st.merged)
    text = st.text()
    assert "names are borne by more than one actor" in text and "鼓楼区经济和信息化局 = 区经信局" in text
    sample = graph_stats(build([sample_dir]).dataset)
    assert sample.merged_total == sum(1 for _, d in to_networkx(build([sample_dir]).dataset).nodes(data=True)
                                      if set(d["aliases"]) - {d["label"]})


def test_exports(ds, tmp_path: Path) -> None:
    g = to_networkx(ds)
    for ext in (".graphml", ".gexf"):
        out = export(g, tmp_path / f"g{ext}")
        back = nx.read_graphml(out) if ext == ".graphml" else nx.read_gexf(out)
        assert back.number_of_nodes() == g.number_of_nodes()
        assert back.number_of_edges() == g.number_of_edges()
    rows = list(csv.reader(export(g, tmp_path / "e.csv").read_text("utf-8").splitlines()))
    assert rows[0][:4] == ["subject", "subject_label", "subject_type", "predicate"]
    assert len(rows) == g.number_of_edges() + 1


def test_stats_and_export_commands(tmp_path: Path, capsys) -> None:
    graph = tmp_path / "s.trig"
    assert main(["build", "-o", str(graph), "--no-view"]) == 0
    capsys.readouterr()
    assert main(["stats", str(graph), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "components:" in out and "  3. " in out
    assert main(["export", str(graph), "-o", str(tmp_path / "g.gexf")]) == 0
    assert main(["export", str(graph), "-o", str(tmp_path / "g.xyz")]) == 2


def test_corpus_diff_between_a_graph_file_and_a_store(sample_dir: Path, tmp_path: Path) -> None:
    """`policygraph diff OLD NEW`: a changed amount is one fact removed and one added, with
    their sentences; a new document brings its actors and facts; a store works as a side."""
    import json
    import shutil

    from policygraph.cli import main

    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(sample_dir, old)
    shutil.copytree(sample_dir, new)
    page = new / "000_edcad067146c7d14.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("总投资102亿元", "总投资120亿元"), encoding="utf-8")
    (new / "extra.txt").write_text("总投资10亿元的明华光电显示项目签约落户南湖区。\n", encoding="utf-8")
    for side in (old, new):
        assert main(["build", str(side), "-o", str(side) + ".trig", "--no-view", "--no-cache"]) == 0
    store = f"oxigraph:{tmp_path / 'db'}"
    assert main(["load", str(old) + ".trig", "--store", store]) == 0
    out = tmp_path / "diff.json"
    assert main(["diff", store, str(new) + ".trig", "--format", "json", "-o", str(out)]) == 0
    changes = json.loads(out.read_text(encoding="utf-8"))["changes"]
    amounts = [(c["change"], c["object"]) for c in changes
               if c["kind"] == "fact" and c.get("predicate") == "investmentCNY" and c["subject"] == "盈峰新能源装备项目"]
    assert amounts == [("-", "10200000000"), ("+", "12000000000")]
    assert {"kind": "document", "change": "+", "document": "extra.txt"} in changes
    extra = {(c["change"], c.get("subject"), c.get("predicate"), c.get("object")) for c in changes
             if c["document"] == "extra.txt" and c["kind"] == "fact"}
    assert ("+", "明华光电显示项目", "locatedIn", "南湖区") in extra
    assert all("120亿元" in c["sentence"] for c in changes if c["kind"] == "fact" and c["change"] == "+"
               and c["document"] != "extra.txt")
    assert not [c for c in changes if c["kind"] == "actor" and c["document"] != "extra.txt"]
