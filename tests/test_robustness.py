"""Bad input never crashes the extractor (property-based)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygraph.extract import Pipeline
from policygraph.extract.normalize import normalize
from policygraph.graph import add_doc, new_dataset
from policygraph.ingest import Document
from policygraph.rdfio import serialize

PIPELINE = Pipeline()
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
POLICY_WORDS = st.sampled_from(
    ["总投资", "亿元", "项目", "签约", "位于", "经开区", "以下简称", "(", ")", "《", "》", "召开", "大会",
     "我区", "、", "等产业", "4+4", "局", "有限公司", "\n", "\n\n", " ", "7月31日", "今年", "基金"])
TEXT = st.lists(st.one_of(st.text(max_size=20), st.text(CJK, max_size=10), POLICY_WORDS),
                max_size=40).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _graph(text: str, **meta) -> bytes:
    doc = PIPELINE.run(Document("x.txt", text, **meta))
    ds = new_dataset()
    add_doc(ds, doc)
    return serialize(ds, "nquads")


@SETTINGS
@given(TEXT)
def test_random_text_builds_a_graph(text: str) -> None:
    _graph(text, published="2024-08-03", region="上虞区")


@SETTINGS
@given(st.text(st.characters(codec="utf-8", categories=["Cc", "Cs", "Zs", "Zl", "Zp", "Cf"]), max_size=60))
def test_control_characters_and_surrogates(text: str) -> None:
    _graph(text)


@SETTINGS
@given(TEXT)
def test_normalisation_offsets_stay_inside_the_original(text: str) -> None:
    norm, offsets = normalize(text)
    assert len(offsets) == len(norm) + 1
    assert all(0 <= o <= len(text) for o in offsets)
    assert offsets == sorted(offsets)


def test_very_long_line_and_empty_documents() -> None:
    _graph("总投资10亿元的某某项目签约," * 3000)
    _graph("")
    _graph("\n\n\n")
    _graph("\ud800\udfff" + "局" * 500)


SEPARATORS = st.sampled_from(["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r", "\n",
                              "\t", "\x00", "\x7f", '"', "\\", "\ufeff"])
SEPARATED = st.lists(st.one_of(TEXT, SEPARATORS), min_size=1, max_size=30).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SEPARATED)
def test_any_text_survives_serialisation_and_every_store(text: str) -> None:
    """build -> N-Quads / TriG -> Oxigraph and rdflib -> query: the counts survive any text."""
    from policygraph.rdfio import read_dataset
    from policygraph.store import MemoryStore, OxigraphStore

    doc = PIPELINE.run(Document("x.txt", "总投资10亿元的盈峰新能源装备项目" + text + "落地上虞区。", region="上虞区"))
    ds = new_dataset()
    add_doc(ds, doc)
    quads = len(ds)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        for name in ("g.nq", "g.trig"):
            (Path(tmp) / name).write_bytes(serialize(ds, "nquads" if name.endswith(".nq") else "trig"))
            assert len(read_dataset(Path(tmp) / name)) == quads
        for store in (OxigraphStore(), MemoryStore(), OxigraphStore(Path(tmp) / "store")):
            store.load(ds)
            assert len(store) == quads
            n = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").values()[0][0]
            assert n == quads
            store.close()
        del store


def test_json_ld_is_the_same_whatever_the_hash_seed(tmp_path) -> None:
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"g{seed}.jsonld"
        subprocess.run([sys.executable, "-m", "policygraph.cli", "build", "-o", str(out), "--no-view"],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_a_huge_document_is_extracted_in_parts_with_exact_evidence(sample_dir, monkeypatch) -> None:
    from rdflib import RDF, Literal

    from policygraph.extract import pipeline
    from policygraph.graph import add_document
    from policygraph.namespaces import PG

    page = next(p for p in sample_dir.iterdir() if p.suffix == ".txt").read_text(encoding="utf-8")
    one_line = ("X" * 3000 + page.replace("\n", "")) * 4  # no line break; ASCII runs between copies
    monkeypatch.setattr(pipeline, "PART_CHARS", 2500)
    parts = list(pipeline.document_parts(Document("big.txt", one_line), 2500))
    assert len(parts) > 8 and all(len(p.text) <= 2500 for _, p in parts)
    assert all(one_line[b:b + len(p.text)] == p.text for b, p in parts)
    assert not any(set(p.text) == {"X"} for _, p in parts)  # parts with no Chinese are left out
    ds = new_dataset()
    add_document(ds, Pipeline(), Document("big.txt", one_line))
    g = next(iter(c for c in ds.graphs() if len(c) and "big" in str(c.identifier)))
    evidence = list(g.subjects(RDF.type, PG.Evidence))
    assert evidence
    for ev in evidence:
        a, b = g.value(ev, PG.charStart).toPython(), g.value(ev, PG.charEnd).toPython()
        assert g.value(ev, PG.sentence) == Literal(one_line[a:b])
    for e in g.subjects(PG.confidence, None):  # one confidence per entity, however many parts
        assert len(list(g.objects(e, PG.confidence))) == 1
    facts = {(s, p, o) for s, p, o in g if p in (PG.investsIn, PG.locatedIn, PG.investmentCNY)}
    assert facts  # the parts find the facts of the page
