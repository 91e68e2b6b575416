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


def open_store(spec: str, create: bool = True) -> Store:
    """Open a store from its --store spelling: ``oxigraph:DIR``, ``oxigraph`` (in memory), ``memory``,
    ``sparql:URL``, ``sparql:QUERY_URL|UPDATE_URL`` or ``sparql:QUERY_URL|UPDATE_URL|GRAPH_STORE_URL``. With
    ``create=False`` an Oxigraph folder that does not exist is an error, not a new empty store."""
    scheme, _, rest = spec.partition(":")
    if scheme not in STORES:
        raise PolicyGraphError(f"--store {spec}: unknown store; use oxigraph:DIR, memory or sparql:URL")
    if scheme == "sparql" and not rest.startswith(("http://", "https://")):
        raise PolicyGraphError(f"--store {spec}: a SPARQL store needs an http(s) URL")
    if scheme == "oxigraph" and rest:
        return OxigraphStore(rest, create=create)
    return STORES[scheme](rest)


__all__ = ["STORES", "MemoryStore", "OxigraphStore", "Result", "SparqlStore", "Store", "open_store"]
