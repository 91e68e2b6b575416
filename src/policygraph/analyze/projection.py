"""The RDF graph as networkx and back: entities as nodes, facts as keyed edges with evidence.

>>> from policygraph.build import build
>>> from policygraph.namespaces import package_file
>>> g = to_networkx(build([package_file("sample")]).dataset)
>>> g.number_of_nodes() > 10
True
"""

from __future__ import annotations

import contextlib
from collections import defaultdict

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from ..namespaces import ENTITY_TYPES, LITERAL_PREDICATES, PG, PREDICATES

_TYPES = {PG[t]: t for t in ENTITY_TYPES}


def to_networkx(ds: Dataset | Graph) -> nx.MultiDiGraph:
    """Project the graph: nodes carry type, label, aliases, amounts and dates; edges the evidence
    (sentence, document) and the highest confidence of any evidence record; ``g.graph["documents"]``
    maps each document's identifier to its date, region and title ("" where the graph has none)."""
    g = nx.MultiDiGraph()
    g.graph["documents"] = {
        str(ident): {"date": str(ds.value(d, DCTERMS.issued) or ""), "region": str(ds.value(d, PG.region) or ""),
                     "title": str(ds.value(d, DCTERMS.title) or "")}
        for d, ident in ds.subject_objects(DCTERMS.identifier) if (d, RDF.type, PG.Document) in ds}
    for s, t in ds.subject_objects(RDF.type):
        if t in _TYPES and isinstance(s, URIRef) and str(s) not in g:
            g.add_node(str(s), type=_TYPES[t], label=str(ds.value(s, RDFS.label) or s),
                       aliases=sorted({str(a) for a in ds.objects(s, SKOS.altLabel)}),
                       documents=sorted({str(ds.value(d, DCTERMS.identifier) or d)
                                         for d in ds.objects(s, PG.mentionedIn)}))
    evidence: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    confidence: dict[tuple, float] = {}
    for ev in ds.subjects(RDF.type, PG.Evidence):
        key = (ds.value(ev, RDF.subject), ds.value(ev, RDF.predicate), ds.value(ev, RDF.object))
        doc = ds.value(ev, PROV.wasDerivedFrom)
        ident = ds.value(doc, DCTERMS.identifier) if doc is not None else None
        evidence[key].append((str(ds.value(ev, PG.sentence) or ""), str(ident or "")))
        p = ds.value(ev, PG.confidence)
        if p is not None:
            with contextlib.suppress(ValueError):  # ill-typed, from someone else's graph: no confidence
                confidence[key] = max(confidence.get(key, 0.0), float(p))
    for pred in PREDICATES:
        p = PG[pred]
        for s, o in ds.subject_objects(p):
            if str(s) not in g:
                continue
            if pred in LITERAL_PREDICATES and isinstance(o, Literal):
                values = g.nodes[str(s)].setdefault(pred, [])
                if str(o) not in values:
                    values.append(str(o))
                    values.sort()  # one order whatever the store's
                continue
            if str(o) not in g:
                continue
            if g.has_edge(str(s), str(o), key=pred):
                continue
            g.add_edge(str(s), str(o), key=pred, predicate=pred,
                       evidence=sorted(set(evidence.get((s, p, o), []))), confidence=confidence.get((s, p, o)))
    return g


def merge(into: nx.MultiDiGraph, part: nx.MultiDiGraph, attributes: bool = True) -> nx.MultiDiGraph:
    """Add the projection of one more graph to ``into``: the projection of two datasets'
    union is the merge of their projections, so a build projects each document alone
    and never holds the corpus graph. ``attributes=False`` keeps what :func:`counts`
    reads (types, literal values, the facts' keys), not names and evidence: a build that
    draws no view needs no more.

    >>> a, b = nx.MultiDiGraph(documents={"a": {}}), nx.MultiDiGraph(documents={"b": {}})
    >>> a.add_node("x", type="Company", label="X", aliases=["x1"], documents=["a"])
    >>> b.add_node("x", type="Company", label="X", aliases=["x2"], documents=["b"])
    >>> merge(a, b).nodes["x"]["aliases"], sorted(a.graph["documents"])
    (['x1', 'x2'], ['a', 'b'])
    """
    if not attributes:
        for n, data in part.nodes(data=True):
            if n not in into:
                into.add_node(n, type=data["type"])
            mine = into.nodes[n]
            for pred in LITERAL_PREDICATES:
                if data.get(pred):
                    mine[pred] = sorted(set(mine.get(pred, [])) | set(data[pred]))
        into.add_edges_from((s, o, key) for s, o, key in part.edges(keys=True) if not into.has_edge(s, o, key))
        return into
    into.graph.setdefault("documents", {}).update(part.graph.get("documents", {}))
    for n, data in part.nodes(data=True):
        if n not in into:
            into.add_node(n, **{k: list(v) if isinstance(v, list) else v for k, v in data.items()})
            continue
        mine = into.nodes[n]
        for k, v in data.items():
            if isinstance(v, list):
                mine[k] = sorted(set(mine.get(k, [])) | set(v))
            else:
                mine.setdefault(k, v)
    for s, o, key, data in part.edges(keys=True, data=True):
        if not into.has_edge(s, o, key=key):
            into.add_edge(s, o, key=key, **{**data, "evidence": list(data.get("evidence", []))})
            continue
        mine = into.edges[s, o, key]
        mine["evidence"] = sorted(set(mine["evidence"]) | set(data.get("evidence", [])))
        theirs = data.get("confidence")
        if theirs is not None and (mine.get("confidence") is None or theirs > mine["confidence"]):
            mine["confidence"] = theirs
    return into


def to_json(g: nx.MultiDiGraph) -> bytes:
    """A projection as JSON (what a worker sends back and the build cache keeps)."""
    import json

    data = nx.node_link_data(g, edges="links")
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def from_json(data: bytes) -> nx.MultiDiGraph:
    """The projection :func:`to_json` wrote."""
    import json

    g = nx.node_link_graph(json.loads(data), directed=True, multigraph=True, edges="links")
    for _, _, attrs in g.edges(data=True):
        attrs["evidence"] = [tuple(e) for e in attrs.get("evidence", [])]
    return g


def counts(g: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    """Actors per type and facts per predicate of a projection (literal facts are the
    distinct values an actor holds)."""
    from collections import Counter

    ents: Counter = Counter(data["type"] for _, data in g.nodes(data=True))
    facts: Counter = Counter(key for _, _, key in g.edges(keys=True))
    for _, data in g.nodes(data=True):
        for pred in LITERAL_PREDICATES:
            facts[pred] += len(data.get(pred, []))
    return ents, facts


def to_rdf(g: nx.MultiDiGraph, ds: Dataset | Graph) -> Graph:
    """The part of ``ds`` that a (sub)graph of :func:`to_networkx` covers, as one RDF graph.

    Keeps each node's own statements (type, labels, mentions, amounts, dates), the
    facts between kept nodes, and their evidence records.
    """
    out = Graph()
    for prefix, ns in ds.namespaces():
        out.bind(prefix, ns)
    nodes = {URIRef(n) for n in g.nodes}
    keep_preds = {PG[p] for p in PREDICATES}
    for n in nodes:
        for p, o in ds.predicate_objects(n):
            if p in keep_preds and isinstance(o, URIRef) and o not in nodes:
                continue
            out.add((n, p, o))
    for s, o, key in g.edges(keys=True):
        s_, p_, o_ = URIRef(s), PG[key], URIRef(o)
        for ev in ds.subjects(RDF.subject, s_):
            if ds.value(ev, RDF.predicate) == p_ and ds.value(ev, RDF.object) == o_:
                for t in ds.triples((ev, None, None)):
                    out.add(t)
    for n in nodes:
        for d in ds.objects(n, PG.mentionedIn):
            for t in ds.triples((d, None, None)):
                out.add(t)
    return out


def view(g: nx.MultiDiGraph, types: set[str], predicates: set[str] | None = None) -> nx.MultiDiGraph:
    """The subgraph of nodes of the given types (and, optionally, edges of the given predicates).

    >>> from policygraph.build import build
    >>> from policygraph.namespaces import package_file
    >>> g = to_networkx(build([package_file("sample")]).dataset)
    >>> {d["type"] for _, d in company_project_industry(g).nodes(data=True)} <= {"Company", "Project", "Industry"}
    True
    """
    keep = [n for n, d in g.nodes(data=True) if d["type"] in types]
    sub = g.subgraph(keep).copy()
    if predicates is not None:
        sub.remove_edges_from([(s, o, k) for s, o, k in list(sub.edges(keys=True)) if k not in predicates])
    return sub


def company_project_industry(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Who invests in which project, in which industry."""
    return view(g, {"Company", "Project", "Industry"}, {"investsIn", "inIndustry"})


def agency_programme(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Which agency organises which programme, event or fund, and which agency belongs to which."""
    return view(g, {"GovernmentAgency", "Programme", "Event", "Fund", "Organization"},
                {"organizedBy", "subOrganizationOf", "announcedAt", "participatesIn"})
