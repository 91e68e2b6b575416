"""Parallel, distributed and incremental builds: the same graph whichever way it is made."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policygraph import workers
from policygraph.cli import main
from policygraph.store.virtuoso import free_port


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_dir: Path) -> Path:
    """The sample page cut into its paragraphs: a corpus of small documents."""
    folder = tmp_path_factory.mktemp("corpus")
    text = next(p for p in sample_dir.iterdir() if p.suffix == ".txt").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if len(p) > 40]
    for i in range(0, len(paragraphs), 3):
        (folder / f"p{i:03d}.txt").write_text("\n".join(paragraphs[i:i + 3]) + "\n", encoding="utf-8")
    assert len(list(folder.iterdir())) >= 6
    return folder


def _build(corpus: Path, out: Path, *extra: str) -> bytes:
    assert main(["build", str(corpus), "-o", str(out), "--no-view", *extra]) == 0
    return out.read_bytes()


def test_jobs_give_the_same_bytes(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(workers, "CHARS_PER_JOB", 1)  # small documents, real worker processes
    one = _build(corpus, tmp_path / "one.trig", "--jobs", "1", "--no-cache")
    two = _build(corpus, tmp_path / "two.trig", "--jobs", "2", "--no-cache")
    assert one == two and b"pg:investsIn" in one


def test_a_huge_document_is_shared_by_the_workers_and_gives_the_same_bytes(
        corpus: Path, tmp_path: Path, monkeypatch) -> None:
    from policygraph.extract import pipeline

    docs = tmp_path / "huge"
    docs.mkdir()
    text = "".join(p.read_text(encoding="utf-8").replace("\n", "") for p in sorted(corpus.iterdir()))
    (docs / "one-line.txt").write_text(text + "\n", encoding="utf-8")
    shutil.copy(sorted(corpus.iterdir())[0], docs / "small.txt")
    monkeypatch.setattr(pipeline, "PART_CHARS", 300)  # parts of a few sentences, many of them
    monkeypatch.setattr(workers, "CHARS_PER_JOB", 1)
    parts = []
    real = workers._graph_from_parts
    monkeypatch.setattr(workers, "_graph_from_parts",
                        lambda d, ps, v: real(d, [parts.append(b) or (b, doc) for b, doc in ps], v))
    one = _build(docs, tmp_path / "one.trig", "--jobs", "1", "--no-cache")
    parts.clear()
    two = _build(docs, tmp_path / "two.trig", "--jobs", "2", "--no-cache")
    # the huge one went to the workers part by part, and the parent joined them
    assert len(parts) >= len(text) // 300
    assert one == two and b"pg:investsIn" in one


def test_an_unchanged_document_is_not_extracted_again(corpus: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    out = tmp_path / "g.trig"
    first = _build(docs, out)
    assert "cache: 0 reused" in capsys.readouterr().out
    calls = []
    real = workers.document_graph
    monkeypatch.setattr(workers, "document_graph", lambda d, s: calls.append(d.identifier) or real(d, s))
    assert _build(docs, out) == first
    assert calls == [] and f"cache: {len(list(docs.iterdir()))} reused, 0 rebuilt, 0 removed" in capsys.readouterr().out
    changed = sorted(docs.iterdir())[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "总投资5亿元的明华光电显示项目签约落户南湖区。\n",
                       encoding="utf-8")
    sorted(docs.iterdir())[0].unlink()
    second = _build(docs, out)
    assert calls == [changed.name]  # exactly the changed document
    assert "1 rebuilt, 1 removed" in capsys.readouterr().out and "明华光电显示项目" in second.decode()
    assert _build(docs, tmp_path / "fresh.trig", "--no-cache") == second  # the cache changes nothing
    cache = tmp_path / ".policygraph-cache"
    assert len(list(cache.glob("*/*.pgdoc"))) == len(list(docs.iterdir()))  # stale entries are dropped
    entry = next(cache.glob("*/*.pgdoc"))
    entry.write_bytes(entry.read_bytes()[:100])  # a damaged entry is extracted again, not read
    assert _build(docs, out) == second


def test_a_streamed_build_writes_what_the_whole_dataset_serializes(corpus: Path, tmp_path: Path) -> None:
    """``policygraph build`` writes each document's graph to disk as it comes and never holds
    the corpus graph; the bytes are those of the in-memory build, and its counts those of
    the graph."""
    from rdflib.namespace import RDF

    from policygraph.build import build
    from policygraph.namespaces import ENTITY_TYPES, PG, PREDICATES
    from policygraph.rdfio import serialize

    result = build([corpus])
    for suffix, fmt in ((".trig", "trig"), (".nq", "nquads"), (".ttl", "turtle")):
        streamed = _build(corpus, tmp_path / f"g{suffix}", "--no-cache")
        assert streamed == serialize(result.dataset, fmt), suffix
    ds = result.dataset
    assert {t: result.entities[t] for t in ENTITY_TYPES} == {t: len(set(ds.subjects(RDF.type, PG[t]))) for t in ENTITY_TYPES}
    assert {p: result.facts[p] for p in PREDICATES} == {p: len(set(ds.subject_objects(PG[p]))) for p in PREDICATES}
    light = build([corpus], project=False)  # what a build without a view keeps: the counts
    assert (light.entities, light.facts) == (result.entities, result.facts)
    assert not list(tmp_path.glob(".policygraph-spool-*"))  # the spool is gone
    killed = tmp_path / ".policygraph-spool-999999999-x"  # a killed build's (no such process)
    killed.mkdir()
    _build(corpus, tmp_path / "again.trig")
    assert not killed.exists()


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A real Dask scheduler and two worker processes on 127.0.0.1."""
    pytest.importorskip("distributed")
    cluster = workers.DaskCluster(2, tmp_path_factory.mktemp("dask")).start()
    yield cluster.address
    cluster.stop()


def test_a_dask_cluster_gives_the_same_bytes(corpus: Path, tmp_path: Path, dask_cluster: str) -> None:
    from distributed import Client

    local = _build(corpus, tmp_path / "local.trig", "--jobs", "1", "--no-cache")
    remote = _build(corpus, tmp_path / "dask.trig", "--scheduler", dask_cluster, "--no-cache")
    assert remote == local
    with Client(dask_cluster) as client:  # the work really went to the cluster
        prefixes = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert "extract_batch" in prefixes


def test_a_scheduler_that_is_not_there_is_one_line(corpus: Path, tmp_path: Path, capsys) -> None:
    port = free_port()
    assert main(["build", str(corpus), "-o", str(tmp_path / "x.trig"), "--no-view",
                 "--scheduler", f"tcp://127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err
    assert "no Dask scheduler" in err and "Traceback" not in err
