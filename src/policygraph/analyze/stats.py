"""What a graph holds and where it is weak: counts, top actors, components, the merges a user
should check (actors named in more than one way, names shared by several actors) and
data-quality warnings.

>>> from policygraph.build import build
>>> from policygraph.namespaces import package_file
>>> report = graph_stats(build([package_file("sample")]).dataset)
>>> report.entities["Project"] > 0 and report.components >= 1
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

import networkx as nx
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF

from ..namespaces import ENTITY_TYPES, LITERAL_PREDICATES, PG, PREDICATES
from .measures import pagerank
from .projection import to_networkx


@dataclass
class GraphStats:
    documents: int
    entities: Counter
    facts: Counter
    components: int
    largest_component: int
    top: list[tuple[str, str, float]]  # label, type, pagerank
    warnings: list[str] = field(default_factory=list)
    #: actors known by more than one name: (label, type, documents, every name), most names first
    merged: list[tuple[str, str, int, list[str]]] = field(default_factory=list)
    merged_total: int = 0
    #: names that more than one actor bears: (name, [type and key of each actor])
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)
    ambiguous_total: int = 0

    def text(self) -> str:
        lines = [f"documents: {self.documents}",
                 "entities:  " + ", ".join(f"{t} {self.entities[t]}" for t in ENTITY_TYPES),
                 "facts:     " + ", ".join(f"{p} {self.facts[p]}" for p in PREDICATES),
                 f"components: {self.components} (largest: {self.largest_component} actors)",
                 "top actors by PageRank:"]
        lines += [f"  {i}. {label} ({type_}) {score:.4f}" for i, (label, type_, score) in enumerate(self.top, 1)]
        lines.append(f"merged: {self.merged_total} actors are known by more than one name"
                     + (", e.g.:" if self.merged else ""))
        lines += [f"  {label} ({type_}, {docs} documents): {' = '.join(names)}"
                  for label, type_, docs, names in self.merged]
        lines.append(f"ambiguous: {self.ambiguous_total} names are borne by more than one actor"
                     + (", e.g.:" if self.ambiguous else ""))
        lines += [f"  {name}: {'; '.join(actors)}" for name, actors in self.ambiguous]
        lines.append(f"warnings: {len(self.warnings)}")
        lines += [f"  - {w}" for w in self.warnings]
        return "\n".join(lines)


def graph_stats(ds: Dataset | Graph, top: int = 10, max_warnings: int = 30) -> GraphStats:
    g = to_networkx(ds)
    entities = Counter({t: sum(1 for _, d in g.nodes(data=True) if d["type"] == t) for t in ENTITY_TYPES})
    facts = Counter({p: len(set(ds.subject_objects(PG[p]))) for p in PREDICATES})
    simple = nx.Graph(g)
    comps = list(nx.connected_components(simple)) if simple.number_of_nodes() else []
    pr = pagerank(g).head(top) if simple.number_of_nodes() else None
    top_rows = [] if pr is None else [(r.label, r.type, r.pagerank) for r in pr.itertuples()]
    warnings: list[str] = []
    isolated = sorted(d["label"] for n, d in g.nodes(data=True) if g.degree(n) == 0
                      and not any(d.get(p) for p in LITERAL_PREDICATES))
    if isolated:
        warnings.append(f"{len(isolated)} entities take part in no fact, e.g. {'、'.join(isolated[:8])}")
    evidenced = {(ds.value(ev, RDF.subject), ds.value(ev, RDF.predicate), ds.value(ev, RDF.object))
                 for ev in ds.subjects(RDF.type, PG.Evidence)}
    missing = [(s, p, o) for p in PREDICATES for s, o in ds.subject_objects(PG[p])
               if (s, PG[p], o) not in evidenced]
    if missing:
        warnings.append(f"{len(missing)} facts have no evidence sentence")
    orphans = [s for s in set(ds.subjects(PG.investmentCNY, None))
               if (s, RDF.type, PG.Project) not in ds and (s, RDF.type, PG.Fund) not in ds]
    if orphans:
        warnings.append(f"{len(orphans)} amounts belong to neither a project nor a fund")
    unfunded = [d["label"] for _, d in g.nodes(data=True) if d["type"] == "Project" and not d.get("investmentCNY")]
    if unfunded:
        warnings.append(f"{len(unfunded)} projects have no amount, e.g. {'、'.join(sorted(unfunded)[:5])}")
    no_investor = [n for n, d in g.nodes(data=True) if d["type"] == "Project"
                   and not any(k == "investsIn" for _, _, k in g.in_edges(n, keys=True))]
    if no_investor:
        warnings.append(f"{len(no_investor)} projects have no investing company")
    bad_amounts = [o for o in ds.objects(None, PG.investmentCNY) if not isinstance(o, Literal)]
    if bad_amounts:
        warnings.append(f"{len(bad_amounts)} amounts are not literals")
    merged, ambiguous = _merges(g)
    return GraphStats(
        documents=len(set(ds.subjects(RDF.type, PG.Document))), entities=entities, facts=facts,
        components=len(comps), largest_component=max((len(c) for c in comps), default=0),
        top=top_rows, warnings=warnings[:max_warnings], merged=merged[:top], merged_total=len(merged),
        ambiguous=ambiguous[:top], ambiguous_total=len(ambiguous))


def _merges(g: nx.MultiDiGraph) -> tuple[list[tuple[str, str, int, list[str]]], list[tuple[str, list[str]]]]:
    """The actors one node holds under several names, and the names several nodes share (the
    same 区经信局 in two districts, a place and the zone named after it): what a user checks
    before counting across a corpus."""
    merged = []
    bearers: dict[str, list[str]] = {}
    for n, d in g.nodes(data=True):
        names = [d["label"], *[a for a in d.get("aliases", []) if a != d["label"]]]
        if len(names) > 1:
            merged.append((d["label"], d["type"], len(d.get("documents", [])), names))
        for name in names:
            bearers.setdefault(name, []).append(n)
    merged.sort(key=lambda m: (-len(m[3]), -m[2], m[0]))
    ambiguous = [(name, [f"{g.nodes[n]['type']} {_key(n)}" for n in sorted(nodes)])
                 for name, nodes in bearers.items() if len(nodes) > 1]
    ambiguous.sort(key=lambda a: (-len(a[1]), a[0]))
    return merged, ambiguous


def _key(iri: str) -> str:
    """What tells one actor from another of the same name: its IRI after the type
    (``320106/鼓楼区经济和信息化局``: the agency of the area with that code)."""
    tail = unquote(iri.split("/id/", 1)[-1])
    return tail.split("/", 1)[-1] if "/" in tail else tail
