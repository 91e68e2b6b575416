"""Embedded, persistent Oxigraph (pyoxigraph): the default store.

Documents are named graphs; a whole build is bulk-loaded from N-Quads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import PolicyGraphError
from .base import Result, Store, check_query, with_values


def to_ox(t: Node):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype is not None:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise TypeError(f"not an RDF term: {t!r}")


def from_ox(t) -> Node | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {t!r}")


class OxigraphStore(Store):
    scheme = "oxigraph"

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = None if path is None else Path(path)
        try:
            self.store = ox.Store(str(self.path)) if self.path is not None else ox.Store()
        except OSError as exc:
            raise PolicyGraphError(f"{path}: cannot open an Oxigraph store: {exc}") from exc

    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        g = ox.NamedNode(str(name))
        self.store.remove_graph(g)
        self.store.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples])

    def load(self, ds: Dataset) -> int:
        """Bulk-load: drop the graphs ``ds`` replaces, then load its N-Quads in one pass."""
        from ..rdfio import serialize

        names = [g.identifier for g in ds.graphs() if len(g) and isinstance(g.identifier, URIRef)]
        for name in names:
            self.store.remove_graph(ox.NamedNode(str(name)))
        self.store.bulk_load(serialize(ds, "nquads"), format=ox.RdfFormat.N_QUADS)
        self.store.flush()
        return len(names)

    def load_file(self, path: str | Path) -> None:
        """Bulk-load an N-Quads/TriG file without parsing it in Python."""
        fmt = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}.get(Path(path).suffix)
        if fmt is None:
            raise PolicyGraphError(f"{path}: bulk loading takes .nq or .trig")
        self.store.bulk_load(path=str(path), format=fmt)
        self.store.flush()

    def remove_graph(self, name: URIRef) -> None:
        self.store.remove_graph(ox.NamedNode(str(name)))

    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        check_query(sparql)
        # Oxigraph's own substitutions need the variable projected; a VALUES block opening the
        # WHERE group binds it the same way, with the terms written as N-Triples.
        text = with_values(sparql, bindings or {})
        try:
            res = self.store.query(text, use_default_graph_as_union=True)
        except (SyntaxError, ValueError, OSError) as exc:
            raise PolicyGraphError(f"query failed: {exc}".splitlines()[0]) from exc
        if isinstance(res, ox.QueryBoolean):
            return Result("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = [tuple(from_ox(sol[i]) for i in range(len(variables))) for sol in res]
            return Result("select", variables, rows)
        g = Graph()
        for t in res:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return Result("graph", graph=g)

    def __len__(self) -> int:
        return len(self.store)

    def close(self) -> None:
        self.store.flush()
