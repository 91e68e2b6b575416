"""Export the projected graph for other tools: GraphML and GEXF (Gephi), CSV edge lists.

List attributes (aliases, documents, evidence) become text joined with " | ",
since GraphML and GEXF hold only scalars.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx

from ..errors import PolicyGraphError
from ..rdfio import atomic_write

FORMATS = (".graphml", ".gexf", ".csv")


def _flat(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    for n, d in sorted(g.nodes(data=True)):
        out.add_node(n, **{k: " | ".join(map(str, v)) if isinstance(v, list) else v for k, v in d.items()})
    for s, o, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        ev = d.get("evidence", [])
        out.add_edge(s, o, key=k, predicate=k, evidence=" | ".join(f"[{doc}] {sent}" for sent, doc in ev))
    return out


def edge_rows(g: nx.MultiDiGraph) -> list[list[str]]:
    rows = [["subject", "subject_label", "subject_type", "predicate", "object", "object_label",
             "object_type", "evidence"]]
    for s, o, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        sent, doc = (d.get("evidence") or [("", "")])[0]
        rows.append([s, g.nodes[s]["label"], g.nodes[s]["type"], k, o, g.nodes[o]["label"],
                     g.nodes[o]["type"], f"[{doc}] {sent}" if sent else ""])
    return rows


def export(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``g`` as .graphml, .gexf or .csv (edge list), chosen by extension; atomic."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise PolicyGraphError(f"{path}: unknown export format {suffix or '(none)'}; use {', '.join(FORMATS)}")
    if suffix == ".csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(edge_rows(g))
        data = buf.getvalue().encode("utf-8")
    else:
        buf = io.BytesIO()
        flat = _flat(g)
        if suffix == ".graphml":
            nx.write_graphml(flat, buf)
        else:
            nx.write_gexf(flat, buf)
        data = buf.getvalue()
    atomic_write(path, data)
    return path
