"""The RDF graph as networkx: entities as nodes, facts as keyed edges with their evidence.

>>> from policygraph.build import build
>>> from policygraph.namespaces import package_file
>>> g = to_networkx(build([package_file("sample")]).dataset)
>>> g.number_of_nodes() > 10
True
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from .namespaces import ENTITY_TYPES, LITERAL_PREDICATES, PG, PREDICATES

_TYPES = {PG[t]: t for t in ENTITY_TYPES}


def to_networkx(ds: Dataset | Graph) -> nx.MultiDiGraph:
    """Project the graph: nodes carry type, label, aliases, amounts and dates; edges the evidence."""
    g = nx.MultiDiGraph()
    for s, t in ds.subject_objects(RDF.type):
        if t in _TYPES and isinstance(s, URIRef) and str(s) not in g:
            g.add_node(str(s), type=_TYPES[t], label=str(ds.value(s, RDFS.label) or s),
                       aliases=sorted({str(a) for a in ds.objects(s, SKOS.altLabel)}),
                       documents=sorted({str(ds.value(d, DCTERMS.identifier) or d)
                                         for d in ds.objects(s, PG.mentionedIn)}))
    evidence: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for ev in ds.subjects(RDF.type, PG.Evidence):
        key = (ds.value(ev, RDF.subject), ds.value(ev, RDF.predicate), ds.value(ev, RDF.object))
        doc = ds.value(ev, PROV.wasDerivedFrom)
        ident = ds.value(doc, DCTERMS.identifier) if doc is not None else None
        evidence[key].append((str(ds.value(ev, PG.sentence) or ""), str(ident or "")))
    for pred in PREDICATES:
        p = PG[pred]
        for s, o in ds.subject_objects(p):
            if str(s) not in g:
                continue
            if pred in LITERAL_PREDICATES and isinstance(o, Literal):
                g.nodes[str(s)].setdefault(pred, [])
                if str(o) not in g.nodes[str(s)][pred]:
                    g.nodes[str(s)][pred].append(str(o))
                continue
            if str(o) not in g:
                continue
            if g.has_edge(str(s), str(o), key=pred):
                continue
            g.add_edge(str(s), str(o), key=pred, predicate=pred,
                       evidence=sorted(set(evidence.get((s, p, o), []))))
    return g

