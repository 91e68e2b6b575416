from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, XSD

from policygraph.build import build
from policygraph.graph import entity_iri, slug
from policygraph.namespaces import PG
from policygraph.rdfio import read_dataset, serialize, write_dataset


def test_iris_depend_on_type_and_name_only() -> None:
    assert entity_iri("Company", "卧龙") == entity_iri("Company", "卧龙")
    assert entity_iri("Company", "卧龙") != entity_iri("Place", "卧龙")
    assert slug('a "b"}#<c>') == "a%20%22b%22%7D%23%3Cc%3E"


def test_one_named_graph_per_document_with_evidence(sample_dir: Path) -> None:
    ds = build([sample_dir]).dataset
    graphs = [g for g in ds.graphs() if len(g)]
    assert len(graphs) == 1
    g = graphs[0]
    doc = next(g.subjects(RDF.type, PG.Document))
    assert g.value(doc, DCTERMS.identifier) == Literal("000_edcad067146c7d14.txt")
    assert g.value(doc, DCTERMS.issued) == Literal("2024-08-03", datatype=XSD.date)
    facts = [(s, p, o) for s, p, o in g if str(p).startswith(str(PG)) and p.fragment in {
        "investsIn", "locatedIn", "investmentCNY", "date", "organizedBy"}]
    assert facts
    text = (sample_dir / "000_edcad067146c7d14.txt").read_text("utf-8")
    for s, p, o in facts:
        evs = list(g.subjects(RDF.subject, s))
        ev = next(e for e in evs if g.value(e, RDF.predicate) == p and g.value(e, RDF.object) == o)
        start, end = int(g.value(ev, PG.charStart)), int(g.value(ev, PG.charEnd))
        assert text[start:end] == str(g.value(ev, PG.sentence))


def test_amounts_are_decimals(sample_dir: Path) -> None:
    ds = build([sample_dir]).dataset
    amounts = list(ds.objects(None, PG.investmentCNY))
    assert amounts and all(a.datatype == XSD.decimal and a.toPython() >= 0 for a in amounts)


def test_formats_round_trip(sample_dir: Path, tmp_path: Path) -> None:
    ds = build([sample_dir]).dataset
    n = len(set(ds.quads()))
    for ext in (".trig", ".nq"):
        out = tmp_path / f"g{ext}"
        write_dataset(ds, out)
        assert len(set(read_dataset(out).quads())) == n
    for ext in (".ttl", ".jsonld"):
        out = tmp_path / f"g{ext}"
        write_dataset(ds, out)
        assert len(read_dataset(out)) == len({(s, p, o) for s, p, o, _ in ds.quads()})


def test_output_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    code = ("from policygraph.build import build; from policygraph.namespaces import package_file;"
            "from policygraph.rdfio import serialize; import sys;"
            "sys.stdout.buffer.write(serialize(build([package_file('sample')]).dataset, 'trig'))")
    outs = []
    for seed in ("1", "2"):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"})
        outs.append(r.stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 1000


def test_serialize_escapes_hostile_literals() -> None:
    from policygraph.graph import new_dataset

    ds = new_dataset()
    g = ds.graph(entity_iri("Company", "x"))
    g.add((entity_iri("Company", "x"), PG.sentence, Literal('a "quoted"\nline\\ </script>')))
    for fmt in ("trig", "nquads", "turtle"):
        data = serialize(ds, fmt)
        assert b"\\n" in data and b'\\"quoted\\"' in data
