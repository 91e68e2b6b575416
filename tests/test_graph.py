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
from policygraph.validate import validate


def test_iris_depend_on_type_and_name_only() -> None:
    assert entity_iri("Company", "卧龙") == entity_iri("Company", "卧龙")
    assert entity_iri("Company", "卧龙") != entity_iri("Place", "卧龙")
    assert slug('a "b"}#<c>') == "a%20%22b%22%7D%23%3Cc%3E"


def test_one_named_graph_per_document_with_evidence(sample_dir: Path) -> None:
    ds = build([sample_dir]).dataset
    graphs = sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier))
    assert len(graphs) == 5  # the sample page's five articles
    g = graphs[0]
    doc = next(g.subjects(RDF.type, PG.Document))
    assert g.value(doc, DCTERMS.identifier) == Literal("000_edcad067146c7d14.txt#1")
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


def test_every_entity_has_mentions_whose_offsets_point_at_its_name(sample_dir: Path) -> None:
    """An actor in no fact can still be found in its document: every entity has mention
    records, and each one's offsets point, in the page file, at one of its names (or at 我区 …
    for the document's region)."""
    from rdflib.namespace import RDFS, SKOS

    from policygraph.evaluate import norm
    from policygraph.extract.recognize import _REGION_WORDS

    ds = build([sample_dir]).dataset
    page = (sample_dir / "000_edcad067146c7d14.txt").read_text(encoding="utf-8")
    entities = {s for s, o in ds.subject_objects(RDF.type)
                if str(o).startswith(str(PG)) and o.fragment not in ("Document", "Evidence", "Mention")}
    assert len(entities) > 50
    region_words = 0
    for e in entities:
        names = {norm(x) for x in (*ds.objects(e, RDFS.label), *ds.objects(e, SKOS.altLabel))}
        mentions = list(ds.subjects(PG.mentionOf, e))
        assert mentions, f"no mention of {names}"
        for m in mentions:
            named = page[int(ds.value(m, PG.charStart)):int(ds.value(m, PG.charEnd))]
            assert norm(named) in names or named in _REGION_WORDS, (names, named)
            assert named.strip() and named.split()[0] in str(ds.value(m, PG.sentence))
            region_words += named in _REGION_WORDS
    assert region_words >= 5  # 我区 … are mentions of 上虞区


def _papers(folder: Path, text: str, regions: tuple[str, ...]):
    """The graph of one text published as a.txt, b.txt … with these manifest regions."""
    from policygraph.extract import Pipeline

    names = [f"{chr(ord('a') + i)}.txt" for i in range(len(regions))]
    for name in names:
        (folder / name).write_text(text, encoding="utf-8")
    rows = "".join(f"{n},{r}\n" for n, r in zip(names, regions, strict=True))
    (folder / "manifest.csv").write_text("file,region\n" + rows, encoding="utf-8")
    return build([folder], pipeline=Pipeline()).dataset


def test_relative_names_resolve_to_the_region_however_the_manifest_spells_it(tmp_path: Path) -> None:
    """区经信局 and 市政府 in papers of two districts are two agencies each; the same district
    spelled 上虞区 or 绍兴市上虞区 is one place (its IRI from its NBS code) with one 区经信局."""
    from rdflib.namespace import RDFS

    ds = _papers(tmp_path, "区经信局召开全区数字经济推进大会。区经信局和市政府联合召开会议,全市各区县参加。\n",
                 ("绍兴市上虞区", "鄂州市鄂城区", "上虞区"))

    def docs_of(label: str) -> set[str]:
        (e,) = set(ds.subjects(RDFS.label, Literal(label)))
        return {str(ds.value(d, DCTERMS.identifier)) for d in ds.objects(e, PG.mentionedIn)}

    assert docs_of("上虞区经济和信息化局") == {"a.txt", "c.txt"}
    assert docs_of("鄂城区经济和信息化局") == {"b.txt"}
    assert docs_of("绍兴市人民政府") == {"a.txt", "c.txt"} and docs_of("鄂州市人民政府") == {"b.txt"}
    assert docs_of("上虞区") == {"a.txt", "c.txt"}
    assert set(ds.subjects(RDFS.label, Literal("上虞区"))) == {entity_iri("Place", "上虞区", "330604")}
    # 全市 in a district paper is the city around it, not the district: no mention of 上虞区 there
    mentions = [ds.value(m, PG.sentence) for m in ds.subjects(PG.mentionOf, entity_iri("Place", "", "330604"))]
    assert len(mentions) == 2  # 全区, once per paper


def test_agencies_of_one_name_in_two_places_are_two_nodes(tmp_path: Path) -> None:
    """The 经信局 of Nanjing's 鼓楼区 and of Fuzhou's: one name, two jurisdictions, two nodes,
    each linked to its own district; the same district's in two papers is one."""
    from rdflib.namespace import RDFS

    ds = _papers(tmp_path, "区经信局召开全区数字经济推进大会,鼓楼区各街道参加。\n",
                 ("南京市鼓楼区", "福州市鼓楼区", "南京市鼓楼区"))
    agencies = set(ds.subjects(RDFS.label, Literal("鼓楼区经济和信息化局")))
    assert len(agencies) == 2
    places = {a: ds.value(a, PG.jurisdiction) for a in agencies}
    codes = {str(ds.value(p, PG.divisionCode)) for p in places.values()}
    assert codes == {"320106", "350102"}
    by_doc = {a: {str(ds.value(d, DCTERMS.identifier)) for d in ds.objects(a, PG.mentionedIn)} for a in agencies}
    nanjing = next(a for a, p in places.items() if str(ds.value(p, PG.divisionCode)) == "320106")
    assert by_doc[nanjing] == {"a.txt", "c.txt"}
    assert validate(ds).conforms


def test_every_actor_has_one_canonical_name(sample_dir: Path) -> None:
    from rdflib.namespace import RDFS, SKOS

    ds = build([sample_dir]).dataset
    actors = {s for t in ("Company", "GovernmentAgency", "Place", "Project", "Industry") for s in ds.subjects(RDF.type, PG[t])}
    assert actors and all(len(set(ds.objects(a, SKOS.prefLabel))) == 1 and ds.value(a, SKOS.prefLabel) == ds.value(a, RDFS.label)
                          for a in actors)
    some = sorted(actors)[0]
    ds.default_graph.add((some, SKOS.prefLabel, Literal("另一个名字")))
    report = validate(ds)
    assert not report.conforms and "exactly one canonical name" in report.text()


def test_listed_companies_and_industries_link_to_public_codes(tmp_path: Path) -> None:
    """A listed company gets its stock code, an industry the GB/T 4754 class it names: exactly
    when the name is the class's own (汽车制造业, C36), closely when it was cut from one."""
    from rdflib.namespace import RDFS, SKOS

    from policygraph.namespaces import PGR

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("宁德时代新能源科技股份有限公司投资建设的动力电池项目落户宜宾,当地重点发展汽车制造业。\n"
                                  "园区重点发展电机产业。\n", encoding="utf-8")
    ds = build([corpus]).dataset
    company = ds.value(None, RDFS.label, Literal("宁德时代新能源科技股份有限公司"))
    assert str(ds.value(company, PG.stockCode)) == "300750.SZ"
    assert (company, SKOS.exactMatch, PGR["stock/300750.SZ"]) in ds
    cars = ds.value(None, RDFS.label, Literal("汽车制造业"))
    assert str(ds.value(cars, PG.industryCode)) == "C36" and (cars, SKOS.exactMatch, PGR["gbt4754/C36"]) in ds
    motors = next((s for s in ds.subjects(RDF.type, PG.Industry) if str(ds.value(s, RDFS.label)).startswith("电机")), None)
    assert motors is not None and (motors, SKOS.closeMatch, PGR["gbt4754/C381"]) in ds
    assert validate(ds).conforms
    bad = ds.default_graph
    bad.add((company, PG.stockCode, Literal("not-a-code")))
    report = validate(ds)
    assert not report.conforms and "six digits and an exchange" in report.text()
