"""One interface over the places a graph can live: embedded Oxigraph, rdflib in memory, a SPARQL server.

Each document is a named graph; queries see the union of all of them as the
default graph. Rebuilding a document replaces its named graph and nothing else.
"""

from __future__ import annotations

import itertools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import PolicyGraphError
from ..rdfio import _term, nquads_graphs


@dataclass
class Result:
    """A query's answer, the same whatever the store: rows of rdflib terms, a boolean or a graph."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def values(self) -> list[tuple]:
        """Rows as Python values (numbers, dates, strings), for tests and DataFrames."""
        return [tuple(None if v is None else (v.toPython() if isinstance(v, Literal) else str(v)) for v in r)
                for r in self.rows]


class Store(ABC):
    """A graph store. Subclasses: :class:`~.oxigraph.OxigraphStore`, :class:`~.memory.MemoryStore`,
    :class:`~.sparql.SparqlStore`."""

    #: The --store spelling of this kind of store (oxigraph, memory, sparql).
    scheme: str = ""

    @abstractmethod
    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Make the named graph hold exactly ``triples``."""

    @abstractmethod
    def remove_graph(self, name: URIRef) -> None:
        """Drop a named graph and everything in it."""

    @abstractmethod
    def graph_names(self) -> list[URIRef]:
        """The named graphs, sorted."""

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Node | Sequence[Node]] | None = None) -> Result:
        """Run a SPARQL query over the union of the named graphs; ``bindings`` are typed terms
        (a sequence of terms binds the variable to each in turn, see :func:`with_values`)."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    def load(self, ds: Dataset) -> int:
        """Replace every named graph of ``ds`` in the store (others are left alone); returns graphs loaded."""
        n = 0
        for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
            if len(g) and isinstance(g.identifier, URIRef):
                self.replace_graph(g.identifier, g)
                n += 1
        return n

    def sync_documents(self, ds: Dataset, removed: Iterable[URIRef] = ()) -> None:
        """Load ``ds`` and drop the graphs of documents that are gone."""
        self.load(ds)
        for name in removed:
            self.remove_graph(name)

    def sync_file(self, path: str | Path, removed: Iterable[URIRef] = (),
                  names: Iterable[URIRef] | None = None) -> int:
        """Replace the named graphs of an N-Quads file whose every graph's lines stand together
        (a build's spool, a build's ``.nq``) and drop the graphs of documents that are gone;
        returns the graphs loaded. One graph at a time is in memory (``names``, the file's
        graphs when the caller knows them, is not needed here: the file says)."""
        n = 0
        for name, text in nquads_graphs(path):
            ds = Dataset()
            ds.parse(data=text, format="nquads")
            self.replace_graph(URIRef(name), ds.graph(URIRef(name)))
            n += 1
        for name in removed:
            self.remove_graph(name)
        return n

    def close(self) -> None:  # noqa: B027  (most stores need nothing)
        """Release files or connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_query(sparql: str) -> None:
    if not sparql or not sparql.strip():
        raise PolicyGraphError("empty query")


def with_values(sparql: str, bindings: Mapping[str, Node | Sequence[Node]]) -> str:
    """The query with a VALUES block opening its WHERE group, binding each variable to a typed term.

    The block stands first in the group, so FILTERs see the values (a trailing VALUES
    clause would join only after them). Terms are written in N-Triples syntax. A
    variable given a sequence of terms takes each in turn (one row per term; with several
    such variables, one row per combination).

    >>> from rdflib import Literal, URIRef
    >>> with_values('SELECT * WHERE { ?s ?p ?name }', {"name": Literal('a"}#b')})
    'SELECT * WHERE { VALUES (?name) { ("a\\\\"}#b") } ?s ?p ?name }'
    >>> with_values('SELECT * WHERE { ?s ?p ?o }', {"s": [URIRef("x:a"), URIRef("x:b")]})
    'SELECT * WHERE { VALUES (?s) { (<x:a>) (<x:b>) } ?s ?p ?o }'
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    for n in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise PolicyGraphError(f"bad parameter name {n!r}")
    columns = [[v] if isinstance(v, Node) else list(v) for v in (bindings[n] for n in names)]
    rows = " ".join("(" + " ".join(_term(t) for t in row) + ")" for row in itertools.product(*columns))
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ {rows} }} "
    body = _strip_comments(sparql)
    m = re.search(r"\bWHERE\s*\{", body, re.IGNORECASE) or re.search(r"\{", body)
    if m is None:
        raise PolicyGraphError("query failed: no WHERE group to bind parameters in")
    return body[:m.end()] + " " + block + body[m.end():].lstrip()


def _strip_comments(sparql: str) -> str:
    """Drop # comments outside IRIs and strings (so a header cannot hide a WHERE)."""
    out, i, n = [], 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c in "\"'":
            j = i + 1
            while j < n and sparql[j] != c:
                j += 2 if sparql[j] == "\\" else 1
            out.append(sparql[i:j + 1])
            i = j + 1
        elif c == "<":
            j = sparql.find(">", i)
            if j < 0 or any(ch.isspace() for ch in sparql[i:j]):
                out.append(c)
                i += 1
            else:
                out.append(sparql[i:j + 1])
                i = j + 1
        elif c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)
