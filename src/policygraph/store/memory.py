"""rdflib's in-memory Dataset as a store: for small graphs and tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rdflib import Dataset, URIRef
from rdflib.term import Node

from ..errors import PolicyGraphError
from .base import Result, Store, check_query, with_values


class MemoryStore(Store):
    scheme = "memory"

    def __init__(self, ds: Dataset | None = None) -> None:
        self.ds = ds if ds is not None else Dataset(default_union=True)

    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.ds.remove_graph(self.ds.graph(name))
        g = self.ds.graph(name)
        for t in triples:
            g.add(t)

    def remove_graph(self, name: URIRef) -> None:
        self.ds.remove_graph(self.ds.graph(name))

    def graph_names(self) -> list[URIRef]:
        return sorted(g.identifier for g in self.ds.graphs()
                      if len(g) and isinstance(g.identifier, URIRef))

    def query(self, sparql: str, bindings: Mapping[str, Node | Sequence[Node]] | None = None) -> Result:
        check_query(sparql)
        try:
            res = self.ds.query(with_values(sparql, bindings or {}))
        except Exception as exc:  # rdflib raises parser-specific types
            raise PolicyGraphError(f"query failed: {exc}".splitlines()[0]) from exc
        if res.type == "ASK":
            return Result("ask", boolean=bool(res.askAnswer))
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            return Result("graph", graph=res.graph)
        variables = [str(v) for v in res.vars]
        return Result("select", variables, [tuple(row) for row in res])

    def __len__(self) -> int:
        return sum(len(g) for g in self.ds.graphs())
