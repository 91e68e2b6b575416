"""What changed between two versions of a corpus graph: actors and facts added and removed,
per document, each fact with its evidence sentence.

Both sides are read through SPARQL, so either may be a graph file or a store. Actors are
compared by IRI (type and canonical name, or division code) per document, facts by subject,
predicate and object per document; a document only one side has is added or removed whole.

>>> from policygraph.extract import Pipeline
>>> from policygraph.ingest import Document
>>> from policygraph.store import MemoryStore
>>> from policygraph.graph import build_dataset
>>> old = build_dataset([Pipeline().run(Document("a.txt", "总投资10亿元的明华光电显示项目签约落户南湖区。"))])
>>> new = build_dataset([Pipeline().run(Document("a.txt", "总投资12亿元的明华光电显示项目签约落户南湖区。"))])
>>> d = corpus_diff(MemoryStore(old), MemoryStore(new))
>>> [(c.change, c.subject, c.predicate, c.object) for c in d.facts]
[('-', '明华光电显示项目', 'investmentCNY', '1000000000'), ('+', '明华光电显示项目', 'investmentCNY', '1200000000')]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..store import Store

_PREFIXES = """PREFIX pg: <https://w3id.org/policygraph/ont#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
ACTORS = _PREFIXES + """SELECT ?document ?e ?type (MIN(STR(?l)) AS ?label) WHERE {
  ?e pg:mentionedIn ?doc ; rdfs:label ?l ; a ?t .
  ?doc dcterms:identifier ?document .
  FILTER(STRSTARTS(STR(?t), STR(pg:)))
  BIND(STRAFTER(STR(?t), "#") AS ?type)
} GROUP BY ?document ?e ?type"""
FACTS = _PREFIXES + """SELECT ?document ?s ?p ?o (MIN(STR(?sent)) AS ?sentence) WHERE {
  ?ev a pg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pg:sentence ?sent ;
      prov:wasDerivedFrom ?doc .
  ?doc dcterms:identifier ?document .
} GROUP BY ?document ?s ?p ?o"""
DOCUMENTS = _PREFIXES + "SELECT ?document WHERE { ?doc a pg:Document ; dcterms:identifier ?document }"


@dataclass(frozen=True)
class ActorChange:
    change: str  # "+" or "-"
    document: str
    type: str
    label: str


@dataclass(frozen=True)
class FactChange:
    change: str
    document: str
    subject: str
    predicate: str
    object: str
    sentence: str


@dataclass
class CorpusDiff:
    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    actors: list[ActorChange] = field(default_factory=list)
    facts: list[FactChange] = field(default_factory=list)

    def summary(self) -> str:
        def count(items, sign):
            return sum(1 for x in items if x.change == sign)

        return (f"documents: {len(self.documents_added)} added, {len(self.documents_removed)} removed, "
                f"{len({x.document for x in [*self.actors, *self.facts]})} with changes; "
                f"actors: +{count(self.actors, '+')} -{count(self.actors, '-')}; "
                f"facts: +{count(self.facts, '+')} -{count(self.facts, '-')}")

    def rows(self) -> list[dict[str, str]]:
        """One row per change, for CSV/JSON: kind, change, document, and what changed."""
        out = [{"kind": "document", "change": "+", "document": d} for d in self.documents_added]
        out += [{"kind": "document", "change": "-", "document": d} for d in self.documents_removed]
        out += [{"kind": "actor", "change": a.change, "document": a.document, "type": a.type,
                 "label": a.label} for a in self.actors]
        out += [{"kind": "fact", "change": f.change, "document": f.document, "subject": f.subject,
                 "predicate": f.predicate, "object": f.object, "sentence": f.sentence} for f in self.facts]
        return out

    def text(self) -> str:
        """Per document: + and - lines for actors and facts, each fact with its sentence."""
        lines = []
        by_doc: dict[str, list[str]] = defaultdict(list)
        for a in self.actors:
            by_doc[a.document].append(f"  {a.change} {a.type} {a.label}")
        for f in self.facts:
            sentence = " ".join(f.sentence.split())  # one line per fact, however the page broke it
            by_doc[f.document].append(f"  {f.change} {f.subject} {f.predicate} {f.object}    « {sentence} »")
        added, removed = set(self.documents_added), set(self.documents_removed)
        for doc in sorted(set(by_doc) | added | removed):
            mark = " (new document)" if doc in added else " (document removed)" if doc in removed else ""
            lines.append(f"{doc}{mark}")
            lines.extend(by_doc.get(doc, []))
        lines.append(self.summary())
        return "\n".join(lines)


def _side(store: Store) -> tuple[set[str], dict, dict, dict]:
    docs = {str(r[0]) for r in store.query(DOCUMENTS).rows}
    labels: dict = {}
    actors: dict[tuple, tuple[str, str]] = {}
    for document, e, type_, label in store.query(ACTORS).rows:
        labels[e] = str(label)
        actors[(str(document), e)] = (str(type_), str(label))
    facts: dict[tuple, str] = {}
    for document, s, p, o, sentence in store.query(FACTS).rows:
        facts[(str(document), s, p, o)] = str(sentence)
    return docs, labels, actors, facts


def corpus_diff(old: Store, new: Store) -> CorpusDiff:
    """The changes from ``old`` to ``new``, in a stable order (document, then change, then name)."""
    old_docs, old_labels, old_actors, old_facts = _side(old)
    new_docs, new_labels, new_actors, new_facts = _side(new)
    labels = {**old_labels, **new_labels}

    def name(term) -> str:
        return labels.get(term) or str(term)

    diff = CorpusDiff(sorted(new_docs - old_docs), sorted(old_docs - new_docs))
    for sign, mine, theirs in (("-", old_actors, new_actors), ("+", new_actors, old_actors)):
        for key in mine.keys() - theirs.keys():
            type_, label = mine[key]
            diff.actors.append(ActorChange(sign, key[0], type_, label))
    for sign, mine, theirs in (("-", old_facts, new_facts), ("+", new_facts, old_facts)):
        for key in mine.keys() - theirs.keys():
            document, s, p, o = key
            diff.facts.append(FactChange(sign, document, name(s), str(p).rpartition("#")[2], name(o), mine[key]))
    order = {"-": 0, "+": 1}  # what went, then what came
    diff.actors.sort(key=lambda a: (a.document, order[a.change], a.type, a.label))
    diff.facts.sort(key=lambda f: (f.document, f.subject, f.predicate, order[f.change], f.object))
    return diff
