"""Deterministic synthetic graphs shaped like ours, for benchmarks (about 12 quads per fact).

Documents are named graphs; each holds its metadata, the entities it mentions
(type, label, alias, ``pg:mentionedIn``) and facts with their evidence
records, with the ten types and eleven predicates in proportions like those of
real builds. The same arguments always give the same N-Quads.

>>> data = nquads(facts=200, seed=1)
>>> len(data.splitlines()) > 2000, data == nquads(facts=200, seed=1)
(True, True)
"""

from __future__ import annotations

import random

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .graph import document_iri, entity_iri
from .namespaces import PG
from .rdfio import _term

TYPES = ("Company", "GovernmentAgency", "Organization", "Place", "Zone", "Industry", "Programme", "Project",
         "Fund", "Event")
NAMES = {"Company": "企业", "GovernmentAgency": "局", "Organization": "协会", "Place": "区", "Zone": "园区",
         "Industry": "产业", "Programme": "计划", "Project": "项目", "Fund": "基金", "Event": "大会"}
# predicate, subject type, object type, share of facts
SHAPES = (("investsIn", "Company", "Project", 10), ("locatedIn", "Project", "Place", 14),
          ("locatedIn", "Company", "Zone", 6), ("inIndustry", "Project", "Industry", 12),
          ("partOf", "Zone", "Place", 4), ("partOf", "Industry", "Programme", 6),
          ("targets", "Programme", "Industry", 6), ("announcedAt", "Programme", "Event", 4),
          ("organizedBy", "Programme", "GovernmentAgency", 10), ("organizedBy", "Event", "GovernmentAgency", 4),
          ("participatesIn", "Company", "Programme", 6), ("subOrganizationOf", "GovernmentAgency",
                                                          "GovernmentAgency", 2),
          ("investmentCNY", "Project", None, 10), ("date", "Event", None, 6))


def label(type_: str, i: int) -> str:
    return f"{NAMES[type_]}{i}"


def nquads(facts: int = 61_000, docs: int | None = None, entities_per_type: int | None = None,
           seed: int = 7) -> str:
    """N-Quads of a synthetic build with about ``facts`` facts (about 1M quads at the default 61,000)."""
    rng = random.Random(seed)
    docs = docs or max(1, facts // 40)
    per_type = entities_per_type or max(5, facts // 16)
    weights = [s[3] for s in SHAPES]
    lines: list[str] = []
    mentioned: set[tuple[int, str, int]] = set()

    def q(s, p, o, g) -> None:
        lines.append(f"{_term(s)} {_term(p)} {_term(o)} {_term(g)} .")

    # skew: a fifth of the facts go to a few hub actors (heavy tail), the rest spread evenly
    def pick(type_: str) -> int:
        if rng.random() < 0.2:
            return min(per_type - 1, int(rng.paretovariate(1.1)) - 1)
        return rng.randrange(per_type)

    for f in range(facts):
        d = f % docs
        g = document_iri(f"doc{d:05d}.txt")
        pred, st, ot, _ = rng.choices(SHAPES, weights)[0]
        si = pick(st)
        s = entity_iri(st, label(st, si))
        mentioned.add((d, st, si))
        if ot is None:
            if pred == "investmentCNY":
                o = Literal(str(rng.randrange(1, 2000) * 10_000_000), datatype=XSD.decimal)
            else:
                o = Literal(f"20{rng.randrange(10, 25)}-{rng.randrange(1, 13):02d}", datatype=XSD.gYearMonth)
        else:
            oi = pick(ot)
            o = entity_iri(ot, label(ot, oi))
            mentioned.add((d, ot, oi))
        q(s, PG[pred], o, g)
        ev = URIRef(f"https://w3id.org/policygraph/id/evidence/s{f:08d}")
        q(ev, RDF.type, PG.Evidence, g)
        q(ev, RDF.subject, s, g)
        q(ev, RDF.predicate, PG[pred], g)
        q(ev, RDF.object, o, g)
        q(ev, PG.sentence, Literal(f"第{f}句:{label(st, si)}与{o if ot is None else label(ot, oi)}有关。"), g)
        q(ev, PG.charStart, Literal(f * 40), g)
        q(ev, PG.charEnd, Literal(f * 40 + 38), g)
        q(ev, PROV.wasDerivedFrom, g, g)
    for d, t, i in sorted(mentioned):
        g = document_iri(f"doc{d:05d}.txt")
        e = entity_iri(t, label(t, i))
        q(e, RDF.type, PG[t], g)
        q(e, RDFS.label, Literal(label(t, i)), g)
        q(e, SKOS.altLabel, Literal(f"{label(t, i)}有限"), g)
        q(e, PG.mentionedIn, g, g)
    for d in range(docs):
        g = document_iri(f"doc{d:05d}.txt")
        q(g, RDF.type, PG.Document, g)
        q(g, DCTERMS.identifier, Literal(f"doc{d:05d}.txt"), g)
        q(g, DCTERMS.issued, Literal(f"20{10 + d % 15}", datatype=XSD.gYear), g)
    return "\n".join(lines) + "\n"
