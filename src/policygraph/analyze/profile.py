"""An actor's profile: who it is, every fact about it with its evidence, when the texts name it.

What an analyst pastes into a report: the actor's types, names and identifiers,
each fact with the sentence and document it comes from, the documents that
mention it by date, and the money of the projects it is tied to. Read from any
store (an Oxigraph folder, a SPARQL server, a graph file opened in memory).

>>> from policygraph.extract import Pipeline
>>> from policygraph.ingest import Document
>>> from policygraph.store import MemoryStore
>>> from policygraph.graph import build_dataset
>>> text = "总投资12亿元的华锐光电新能源电池项目签约落户南湖区。"
>>> store = MemoryStore(build_dataset([Pipeline().run(Document("a.txt", text, published="2024-05-01"))]))
>>> p = actor_profile(store, "华锐光电新能源电池项目")
>>> p.types, p.timeline()
(['Project'], [('2024-05', 1)])
>>> [("→" if f.outgoing else "←", f.predicate, f.other) for f in p.facts]
[('→', 'inIndustry', '新能源'), ('→', 'investmentCNY', '12 亿元'), ('←', 'investsIn', '华锐光电'), ('→', 'locatedIn', '南湖区')]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from ..amounts import yuan_text
from ..errors import PolicyGraphError
from ..namespaces import PG
from ..store.base import Store

#: rdf:type values that are records about the text, not actors
_RECORDS = (PG.Document, PG.Evidence, PG.Mention)

_ACTORS = f"""SELECT DISTINCT ?e ?label ?t WHERE {{
  ?e <{RDFS.label}>|<{SKOS.altLabel}> ?name ; <{RDFS.label}> ?label ; a ?t .
  FILTER(STRSTARTS(STR(?t), "{PG}") && ?t NOT IN ({", ".join(f"<{t}>" for t in _RECORDS)}))
}}"""
_NAMES = f"""SELECT ?e ?p ?o WHERE {{ ?e ?p ?o FILTER(?p IN (<{SKOS.altLabel}>, <{PG.divisionCode}>,
  <{PG.stockCode}>, <{PG.industryCode}>, <{PG.investmentCNY}>, <{PG.date}>, <{PG.confidence}>)) }}"""
_FACTS = f"""SELECT ?s ?p ?o ?sentence ?doc ?confidence WHERE {{
  {{ ?ev <{RDF.subject}> ?e }} UNION {{ ?ev <{RDF.object}> ?e }}
  ?ev a <{PG.Evidence}> ; <{RDF.subject}> ?s ; <{RDF.predicate}> ?p ; <{RDF.object}> ?o ;
      <{PG.sentence}> ?sentence ; <{PROV.wasDerivedFrom}> ?doc .
  OPTIONAL {{ ?ev <{PG.confidence}> ?confidence }}
}}"""
_MENTIONS = f"""SELECT ?doc (COUNT(?m) AS ?n) WHERE {{
  ?m <{PG.mentionOf}> ?e ; <{PROV.wasDerivedFrom}> ?doc .
}} GROUP BY ?doc"""
_DOCUMENTS = f"""SELECT ?doc ?id ?issued ?title WHERE {{
  ?doc <{DCTERMS.identifier}> ?id .
  OPTIONAL {{ ?doc <{DCTERMS.issued}> ?issued }} OPTIONAL {{ ?doc <{DCTERMS.title}> ?title }}
}}"""
_LABELS = f"""SELECT ?x ?label ?t WHERE {{ ?x <{RDFS.label}> ?label ; a ?t FILTER(STRSTARTS(STR(?t), "{PG}")) }}"""
_AMOUNTS = f"SELECT ?x ?y WHERE {{ ?x <{PG.investmentCNY}> ?y }}"


@dataclass(frozen=True)
class Source:
    """A document: its identifier, date (as the graph has it, may be empty) and title."""

    identifier: str
    date: str = ""
    title: str = ""


@dataclass(frozen=True)
class Fact:
    """One fact about the actor with one sentence that states it. ``outgoing``: the actor is
    the subject; ``other`` is the other end's name, or the value of a literal fact."""

    predicate: str
    outgoing: bool
    other: str
    other_type: str
    sentence: str
    source: Source
    confidence: float | None = None


@dataclass
class Profile:
    name: str
    iris: list[str]
    types: list[str]
    labels: list[str]
    aliases: list[str]
    identifiers: list[str]
    facts: list[Fact] = field(default_factory=list)
    #: documents that name the actor, with how often, in date order
    mentions: list[tuple[Source, int]] = field(default_factory=list)
    #: the actor's own amounts (a project's, a fund's), in yuan
    amounts: list[Decimal] = field(default_factory=list)
    #: the projects tied to it by a fact, with each one's largest amount (yuan)
    projects: dict[str, Decimal] = field(default_factory=dict)

    @property
    def projects_total(self) -> Decimal:
        return sum(self.projects.values(), Decimal(0))

    def timeline(self) -> list[tuple[str, int]]:
        """Mentions per month of the documents' dates (``"?"``: documents without a date)."""
        months: Counter[str] = Counter()
        for source, n in self.mentions:
            months[source.date[:7] or "?"] += n
        return sorted(months.items(), key=lambda kv: (kv[0] == "?", kv[0]))

    def text(self) -> str:
        """A plain summary for the terminal."""
        lines = [f"{' / '.join(self.labels)} ({', '.join(self.types)})"]
        if self.aliases:
            lines.append("aliases: " + "、".join(self.aliases))
        lines.append("identifiers: " + ", ".join(self.identifiers))
        if self.amounts:
            lines.append("amounts: " + ", ".join(yuan_text(a) for a in self.amounts))
        if self.projects:
            lines.append(f"projects: {len(self.projects)}, {yuan_text(self.projects_total)} in all")
        docs = len(self.mentions)
        lines.append(f"mentioned {sum(n for _, n in self.mentions)} times in {docs} document{'s' * (docs != 1)}; "
                     f"{len(self.facts)} fact{'s' * (len(self.facts) != 1)} with evidence")
        for f in self.facts:
            arrow = "→" if f.outgoing else "←"  # ← : the other end holds the fact on this actor
            lines.append(f"  {arrow} {f.predicate} {f.other}  [{f.source.identifier}"
                         f"{' ' + f.source.date if f.source.date else ''}] "
                         f"{' '.join(f.sentence.split())}")
        return "\n".join(lines)


def _short(iri: object) -> str:
    return str(iri).rpartition("#")[2]


def actor_profile(store: Store, name: str) -> Profile:
    """The profile of the actors named (or also called) ``name``; one clear error if none is."""
    found = store.query(_ACTORS, {"name": Literal(name)}).rows
    if not found:
        raise PolicyGraphError(f"no actor is named {name!r} in this graph (try `policygraph query search "
                               f"--param text={name}`)")
    iris = sorted({e for e, _, _ in found})
    profile = Profile(name, [str(e) for e in iris], sorted({_short(t) for _, _, t in found}),
                      sorted({str(label) for _, label, _ in found}), [], [str(e) for e in iris])
    aliases, codes = set(), set()
    for _, p, o in store.query(_NAMES, {"e": iris}).rows:
        if p == SKOS.altLabel:
            aliases.add(str(o))
        elif p == PG.divisionCode:
            codes.add(f"NBS {o}")
        elif p == PG.stockCode:
            codes.add(f"股票代码 stock {o}")
        elif p == PG.industryCode:
            codes.add(f"{'GB/T 4754' if str(o)[:1].isalpha() else '申万 Shenwan'} {o}")
        elif p == PG.investmentCNY:
            profile.amounts.append(Decimal(str(o)))
    profile.aliases = sorted(aliases - set(profile.labels))
    profile.identifiers += sorted(codes)
    profile.amounts.sort()

    rows = store.query(_FACTS, {"e": iris}).rows
    others = sorted({x for s, _, o, *_ in rows for x in (s, o) if isinstance(x, URIRef) and x not in iris})
    mention_rows = store.query(_MENTIONS, {"e": iris}).rows
    docs = sorted({r[4] for r in rows} | {d for d, _ in mention_rows})
    sources = {d: Source(str(i), str(issued or ""), str(title or ""))
               for d, i, issued, title in (store.query(_DOCUMENTS, {"doc": docs}).rows if docs else [])}
    labels = {x: (str(label), _short(t)) for x, label, t in (store.query(_LABELS, {"x": others}).rows if others else [])}
    facts = set()
    for s, p, o, sentence, doc, confidence in rows:
        outgoing = s in iris
        other = o if outgoing else s
        other_name, other_type = labels.get(other, (str(other), "")) if isinstance(other, URIRef) else (
            yuan_text(other) if p == PG.investmentCNY else str(other), "value")
        facts.add(Fact(_short(p), outgoing, other_name, other_type, str(sentence),
                       sources.get(doc, Source(str(doc))), float(confidence) if confidence is not None else None))
    profile.facts = sorted(facts, key=lambda f: (f.source.date, f.source.identifier, f.predicate, f.other, f.sentence))
    profile.mentions = sorted(((sources.get(d, Source(str(d))), int(n)) for d, n in mention_rows),
                              key=lambda m: (m[0].date or "9999", m[0].identifier))
    projects = [x for x in others if labels.get(x, ("", ""))[1] == "Project"]
    if projects and "Project" not in profile.types:
        for x, y in store.query(_AMOUNTS, {"x": projects}).rows:
            label = labels[x][0]
            amount = Decimal(str(y))
            profile.projects[label] = max(amount, profile.projects.get(label, amount))
        for x in projects:
            profile.projects.setdefault(labels[x][0], Decimal(0))
    return profile
