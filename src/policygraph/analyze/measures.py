"""Network measures over the projected graph: centrality, communities, paths, bridges.

>>> from policygraph.build import build
>>> from policygraph.namespaces import package_file
>>> from policygraph.analyze import to_networkx
>>> g = to_networkx(build([package_file("sample")]).dataset)
>>> top = pagerank(g).head(3)
>>> list(top.columns)
['label', 'type', 'pagerank']
"""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd

#: Above this many nodes betweenness is estimated from a sample of sources.
BETWEENNESS_EXACT_LIMIT = 2000


def _frame(g: nx.MultiDiGraph, scores: dict[str, float], name: str) -> pd.DataFrame:
    rows = [(n, g.nodes[n]["label"], g.nodes[n]["type"], float(v)) for n, v in scores.items()]
    df = pd.DataFrame(rows, columns=["iri", "label", "type", name]).set_index("iri")
    return df.sort_values([name, "label"], ascending=[False, True])


def degree(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Number of facts each actor takes part in (in + out)."""
    return _frame(g, dict(g.degree()), "degree")


def pagerank(g: nx.MultiDiGraph, alpha: float = 0.85) -> pd.DataFrame:
    """PageRank on the undirected simple graph: how central an actor is in the web of facts."""
    return _frame(g, nx.pagerank(nx.Graph(g), alpha=alpha), "pagerank")


def betweenness(g: nx.MultiDiGraph, k: int | None = None, seed: int = 7) -> pd.DataFrame:
    """Betweenness centrality; sampled from ``k`` sources on large graphs (deterministic seed)."""
    simple = nx.Graph(g)
    if k is None and simple.number_of_nodes() > BETWEENNESS_EXACT_LIMIT:
        k = 500
    scores = nx.betweenness_centrality(simple, k=k, seed=seed if k else None)
    return _frame(g, scores, "betweenness")


def communities(g: nx.MultiDiGraph, seed: int = 7) -> pd.DataFrame:
    """Louvain communities (networkx), one row per actor with its community number (0 = largest)."""
    parts = nx.community.louvain_communities(nx.Graph(g), seed=seed)
    parts = sorted(parts, key=lambda c: (-len(c), min(c)))
    rows = [(n, g.nodes[n]["label"], g.nodes[n]["type"], i) for i, c in enumerate(parts) for n in sorted(c)]
    return pd.DataFrame(rows, columns=["iri", "label", "type", "community"]).set_index("iri")


def find(g: nx.MultiDiGraph, label: str) -> str:
    """The node whose label or alias is ``label`` (exact first, then substring)."""
    for n, d in sorted(g.nodes(data=True)):
        if d["label"] == label or label in d.get("aliases", []):
            return n
    for n, d in sorted(g.nodes(data=True)):
        if label in d["label"]:
            return n
    raise KeyError(f"no actor named {label!r}")


def path_with_evidence(g: nx.MultiDiGraph, source: str, target: str) -> list[dict]:
    """The shortest path between two actors (labels or IRIs), each step with its evidence."""
    s = source if source in g else find(g, source)
    t = target if target in g else find(g, target)
    nodes = nx.shortest_path(g.to_undirected(as_view=True), s, t)
    steps = []
    for a, b in itertools.pairwise(nodes):
        if g.has_edge(a, b):
            key, data = next(iter(g.get_edge_data(a, b).items()))
            subj, obj = a, b
        else:
            key, data = next(iter(g.get_edge_data(b, a).items()))
            subj, obj = b, a
        steps.append({"subject": g.nodes[subj]["label"], "predicate": key, "object": g.nodes[obj]["label"],
                      "evidence": data.get("evidence", [])})
    return steps


def industry_bridges(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Actors linked to two or more industries: the bridges between industries."""
    rows = []
    for n, d in g.nodes(data=True):
        if d["type"] == "Industry":
            continue
        inds = {m for m in nx.all_neighbors(g, n) if g.nodes[m]["type"] == "Industry"}
        if len(inds) >= 2:
            rows.append((n, d["label"], d["type"], len(inds),
                         "、".join(sorted(g.nodes[m]["label"] for m in inds))))
    df = pd.DataFrame(rows, columns=["iri", "label", "type", "industries", "which"]).set_index("iri")
    return df.sort_values(["industries", "label"], ascending=[False, True])
