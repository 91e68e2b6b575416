"""Extraction results to RDF: one named graph per document, evidence for every fact.

Entity IRIs depend only on type and canonical name, so the same actor gets the
same IRI in every build and every corpus; a place the gazetteer knows gets its
IRI from its NBS division code instead, so 铜梁区 and 重庆市铜梁区 are one node and
the districts named 鼓楼区 in Nanjing and Fuzhou are two. A document's named graph holds its
metadata, the entities it mentions (type, labels, ``pg:mentionedIn``), the
facts it states, one ``pg:Evidence`` record per fact and sentence, and one
``pg:Mention`` record per place the text names an entity (its offsets and
sentence), so an actor in no fact can still be found in its document;
replacing or dropping that graph replaces or drops exactly what the document
said.

>>> entity_iri("Company", "卧龙")
rdflib.term.URIRef('https://w3id.org/policygraph/id/company/卧龙')
>>> entity_iri("Programme", "4+4现代化产业体系")
rdflib.term.URIRef('https://w3id.org/policygraph/id/programme/4%2B4现代化产业体系')
>>> entity_iri("Place", "上虞区", code="330604")
rdflib.term.URIRef('https://w3id.org/policygraph/id/place/330604')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .extract.doc import Doc, Entity
from .extract.lexicon import lexicons
from .extract.quantities import parse_published
from .ingest import Document
from .namespaces import PG, PGR, PREFIXES

if TYPE_CHECKING:
    from .extract import Pipeline

_SURROGATES = re.compile("[\ud800-\udfff]")  # a str from the API may hold them; UTF-8 cannot
_SAFE_ASCII = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")


def slug(text: str) -> str:
    """IRI-safe form of a name: letters and digits of any script stay, the rest is %-encoded."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _SAFE_ASCII or (ord(ch) > 0x7F and unicodedata.category(ch)[0] in "LN"):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out) or "_"


def entity_iri(type_: str, name: str, code: str = "") -> URIRef:
    """The IRI of an entity: a place's from its division code when it has one; an agency of a
    known jurisdiction from that jurisdiction's code and its name (the 经济和信息化局 of
    Nanjing's 鼓楼区 and of Fuzhou's are two); anything else from its name.

    >>> str(entity_iri("GovernmentAgency", "鼓楼区经济和信息化局", code="320106"))
    'https://w3id.org/policygraph/id/governmentagency/320106/鼓楼区经济和信息化局'
    """
    if code and type_ != "Place":
        return PGR[f"{type_.lower()}/{code}/{slug(name)}"]
    return PGR[f"{type_.lower()}/{code or slug(name)}"]


#: Types whose IRI comes from a division code: a place's own, an agency's jurisdiction.
CODED_TYPES = frozenset({"Place", "GovernmentAgency"})


def document_iri(identifier: str) -> URIRef:
    return PGR[f"doc/{slug(identifier)}"]


def _record_iri(kind: str, *parts: str) -> URIRef:
    """The IRI of an evidence or mention record: a digest of what makes it that record."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return PGR[f"{kind}/{digest}"]


def _date_literal(value: str, kind: str) -> Literal:
    dtype = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}[kind]
    return Literal(value, datatype=dtype)


def new_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, replace=True)
    return ds


def _public_identifiers(g: Graph, e: URIRef, type_: str, name: str) -> None:
    """Link a listed company to its stock code and an industry to the GB/T 4754 class or
    Shenwan industry it names (``skos:exactMatch`` when the name is the class's own,
    ``skos:closeMatch`` when it was cut from it: 汽车 from 汽车制造业), so that the graph joins
    with statistics. The canonical name decides (not the aliases, which differ from document to
    document: one node gets one code across a corpus)."""
    lex = lexicons()
    if type_ == "Company" and name in lex.stock_codes:
        code = lex.stock_codes[name]
        g.add((e, PG.stockCode, Literal(code)))
        g.add((e, SKOS.exactMatch, PGR[f"stock/{code}"]))
    elif type_ == "Industry" and name in lex.industry_codes:
        scheme, code, exact = lex.industry_codes[name]
        g.add((e, PG.industryCode, Literal(code)))
        g.add((e, SKOS.exactMatch if exact else SKOS.closeMatch, PGR[f"{scheme}/{code}"]))


def document_metadata(g: Graph, document: Document) -> URIRef:
    d = document_iri(document.identifier)
    g.add((d, RDF.type, PG.Document))
    g.add((d, DCTERMS.identifier, Literal(document.identifier)))
    if document.title:
        g.add((d, DCTERMS.title, Literal(document.title)))
    published = parse_published(document.published)
    if published is not None:
        parts = document.published.strip().split("-")
        kind = {1: "gYear", 2: "gYearMonth"}.get(len(parts), "date")
        value = {"gYear": f"{published.year:04d}", "gYearMonth": f"{published.year:04d}-{published.month:02d}",
                 "date": published.isoformat()}[kind]
        g.add((d, DCTERMS.issued, _date_literal(value, kind)))
    if document.source:
        g.add((d, DCTERMS.publisher, Literal(document.source)))
    if document.region:
        g.add((d, PG.region, Literal(document.region)))
    if document.keeps_text:
        # evidence offsets point into what was extracted from the page, PDF or Word file
        g.add((d, PG["format"], Literal(document.format)))
        g.add((d, PG.text, Literal(_SURROGATES.sub("", document.text))))
    if document.url:
        # a manifest's url column sometimes names a database rather than a link
        source = URIRef(document.url) if _ABSOLUTE_IRI.fullmatch(document.url) else Literal(document.url)
        g.add((d, DCTERMS.source, source))
    return d


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def add_doc(ds: Dataset, doc: Doc, base: int = 0, fresh: bool = True) -> URIRef:
    """Add one extracted document as its own named graph; returns the graph's IRI.

    A document extracted in parts (:meth:`~.extract.Pipeline.run_parts`) is added part by
    part: ``base`` is the part's offset in the document's text, and ``fresh=False`` adds to
    the graph the earlier parts made (an entity keeps its highest confidence)."""
    d = document_iri(doc.document.identifier)
    if fresh:
        ds.remove_graph(ds.graph(d))
    g = ds.graph(d)
    document_metadata(g, doc.document)
    mentioned = {m.entity for m in doc.mentions if m.entity}
    mentioned |= {f.subject for f in doc.facts}
    mentioned |= {f.object for f in doc.facts if isinstance(f.object, str)}
    iris: dict[str, URIRef] = {}
    agencies: list[tuple[URIRef, str]] = []
    confidence: dict[str, float] = {}
    for m in doc.mentions:
        if m.entity:
            confidence[m.entity] = max(confidence.get(m.entity, 0.0), m.confidence)
    for key in sorted(mentioned):
        ent = doc.entities[key]
        e = iris[key] = _actor(g, ent)
        _public_identifiers(g, e, ent.type, ent.name)
        if ent.code and ent.type == "Place":
            g.add((e, PG.divisionCode, Literal(ent.code)))
        elif ent.code and ent.type == "GovernmentAgency":
            agencies.append((e, ent.code))
        g.add((e, PG.mentionedIn, d))
        if key in confidence:
            p = _probability(confidence[key])
            earlier = None if fresh else g.value(e, PG.confidence)
            if earlier is None or earlier.toPython() < p.toPython():
                g.remove((e, PG.confidence, None))
                g.add((e, PG.confidence, p))
    # the agencies the metadata names as the document's issuers (dcterms:creator): actors of the
    # graph, but mentioned in the text only where the text names them (我部 …)
    for issuer in doc.issuers:
        g.add((d, DCTERMS.creator, _actor(g, issuer)))
    # an agency's area, where the document names it too (a place is an entity of the documents
    # that name it; the agency's IRI carries the area's code either way)
    places = {iri for key, iri in iris.items() if doc.entities[key].type == "Place"}
    for agency, code in agencies:
        if entity_iri("Place", "", code) in places:
            g.add((agency, PG.jurisdiction, entity_iri("Place", "", code)))
    for m in doc.mentions:
        if m.entity:  # every resolved mention's entity is among ``mentioned``
            _add_mention(g, doc, d, iris[m.entity], m.start, m.end, base)
    seen: set[tuple] = set()
    for f in doc.facts:
        s = iris[f.subject]
        if isinstance(f.object, str):
            o = iris[f.object]
        elif isinstance(f.object, Decimal):
            o = Literal(f.object, datatype=XSD.decimal)
        else:
            o = _date_literal(*f.object)
        sent = doc.sentences[f.sentence]
        key = (s, f.predicate, o, sent.start)
        if key in seen:
            continue
        seen.add(key)
        p = PG[f.predicate]
        g.add((s, p, o))
        start, end = doc.original_span(sent.start, sent.end)
        sentence = _SURROGATES.sub("", doc.document.text[start:end])
        page = doc.document.page_of(start + base)
        start, end = start + base + doc.document.offset_base, end + base + doc.document.offset_base
        ev = _record_iri("evidence", doc.document.identifier, str(s), str(p), o.n3(), str(start))
        g.add((ev, RDF.type, PG.Evidence))
        g.add((ev, RDF.subject, s))
        g.add((ev, RDF.predicate, p))
        g.add((ev, RDF.object, o))
        g.add((ev, PG.sentence, Literal(sentence)))
        g.add((ev, PG.charStart, Literal(start)))
        g.add((ev, PG.charEnd, Literal(end)))
        g.add((ev, PROV.wasDerivedFrom, d))
        if page is not None:
            g.add((ev, PG.page, Literal(page)))
        g.add((ev, PG.confidence, _probability(f.confidence)))
    return d


def _actor(g: Graph, ent: Entity) -> URIRef:
    """An actor's IRI, type and names (the canonical one as prefLabel, the others altLabels)."""
    e = entity_iri(ent.type, ent.name, ent.code if ent.type in CODED_TYPES else "")
    g.add((e, RDF.type, PG[ent.type]))
    g.add((e, RDFS.label, Literal(ent.name)))
    g.add((e, SKOS.prefLabel, Literal(ent.name)))
    for alias in sorted(ent.aliases - {ent.name}):
        g.add((e, SKOS.altLabel, Literal(alias)))
    return e


def _add_mention(g: Graph, doc: Doc, d: URIRef, entity: URIRef, start: int, end: int, base: int) -> None:
    """Where ``doc`` names ``entity``: the name's offsets (as evidence offsets: into the file,
    or the stored text) and the sentence around it."""
    sent = doc.sentences[doc.sentence_of(start)]
    name_start, name_end = doc.original_span(start, end)
    sent_start, sent_end = doc.original_span(sent.start, sent.end)
    shift = base + doc.document.offset_base
    m = _record_iri("mention", doc.document.identifier, str(entity), str(name_start + base), str(name_end + base))
    g.add((m, RDF.type, PG.Mention))
    g.add((m, PG.mentionOf, entity))
    g.add((m, PG.charStart, Literal(name_start + shift)))
    g.add((m, PG.charEnd, Literal(name_end + shift)))
    g.add((m, PG.sentence, Literal(_SURROGATES.sub("", doc.document.text[sent_start:sent_end]))))
    g.add((m, PROV.wasDerivedFrom, d))
    page = doc.document.page_of(name_start + base)
    if page is not None:
        g.add((m, PG.page, Literal(page)))


def _probability(p: float) -> Literal:
    """A probability as an xsd:decimal of three places (deterministic text, no float noise)."""
    return Literal(Decimal(f"{min(max(p, 0.0), 1.0):.3f}"), datatype=XSD.decimal)


def build_dataset(docs: Iterable[Doc]) -> Dataset:
    ds = new_dataset()
    for doc in docs:
        add_doc(ds, doc)
    return ds


def add_document(ds: Dataset, pipeline: Pipeline, document: Document) -> URIRef:
    """Extract ``document`` with ``pipeline`` (an :class:`~.extract.Pipeline`), in parts when
    it is huge, and add it as its named graph."""
    return add_parts(ds, document, pipeline.run_parts(document))


def add_parts(ds: Dataset, document: Document, extracted: Iterable[tuple[int, Doc]]) -> URIRef:
    """Add ``document``'s named graph from its extracted parts (offset in its text, Doc), in
    order: the parts may have been extracted anywhere (worker processes, say)."""
    d = None
    parts = 0
    for base, doc in extracted:
        d = add_doc(ds, doc, base=base, fresh=parts == 0)
        parts += 1
    if parts > 1 and document.keeps_text:  # each part stored its own text: keep the whole
        ds.graph(d).set((d, PG.text, Literal(_SURROGATES.sub("", document.text))))
    if d is None:  # no part had Chinese text: the document's metadata alone
        d = document_iri(document.identifier)
        ds.remove_graph(ds.graph(d))
        document_metadata(ds.graph(d), document)
    return d
