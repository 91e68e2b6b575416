"""Stores behind one interface (rdflib-style plugins): ``oxigraph:DIR`` (default), ``memory``, ``sparql:URL``.

>>> from policygraph.store import open_store
>>> s = open_store("memory")
>>> len(s), s.scheme
(0, 'memory')
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import PolicyGraphError
from .base import Result, Store
from .memory import MemoryStore
from .oxigraph import OxigraphStore
from .sparql import SparqlStore

#: --store scheme to a factory taking the rest of the spec.
STORES: dict[str, Callable[[str], Store]] = {
    "oxigraph": lambda rest: OxigraphStore(rest or None),
    "memory": lambda rest: MemoryStore(),
    "sparql": lambda rest: SparqlStore(*rest.split("|", 2)),
}


def open_store(spec: str, create: bool = True, read_only: bool = False) -> Store:
    """Open a store from its --store spelling: ``oxigraph:DIR``, ``oxigraph`` (in memory), ``memory``,
    ``sparql:URL``, ``sparql:QUERY_URL|UPDATE_URL`` or ``sparql:QUERY_URL|UPDATE_URL|GRAPH_STORE_URL``. With
    ``create=False`` an Oxigraph folder that does not exist is an error, not a new empty store;
    ``read_only`` opens an Oxigraph folder without its write lock (for readers beside a writer)."""
    scheme, _, rest = spec.partition(":")
    if scheme not in STORES:
        raise PolicyGraphError(f"--store {spec}: unknown store; use oxigraph:DIR, memory or sparql:URL")
    if scheme == "sparql" and not rest.startswith(("http://", "https://")):
        raise PolicyGraphError(f"--store {spec}: a SPARQL store needs an http(s) URL")
    if scheme == "oxigraph" and rest:
        return OxigraphStore(rest, create=create, read_only=read_only)
    return STORES[scheme](rest)


def open_for_query(graph: str | None = None, store: str | None = None, engine: str = "oxigraph",
                   read_only: bool = False) -> Store:
    """The store a query runs on: a graph file loaded into memory (``engine``: oxigraph or
    rdflib), or an existing store (never created here: a mistyped path is an error)."""
    if graph:
        from ..rdfio import read_dataset

        ds = read_dataset(graph)
        if engine == "oxigraph":
            mem = OxigraphStore()
            mem.load(ds)
            return mem
        return MemoryStore(ds)
    if not store:
        raise PolicyGraphError("give a graph file (--graph) or a store (--store)")
    return open_store(store, create=False, read_only=read_only)


__all__ = ["STORES", "MemoryStore", "OxigraphStore", "Result", "SparqlStore", "Store", "open_for_query",
           "open_store"]
