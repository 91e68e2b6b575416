"""Embedded, persistent Oxigraph (pyoxigraph): the default store.

Documents are named graphs; a whole build is bulk-loaded from N-Quads.

Every change to an on-disk store is all or nothing: it is made on a copy beside
the store (``.NAME.new``, a checkpoint of hard links, cheap), and the copy is
switched in by renaming folders. A kill at any moment leaves the old or the
new state; the next open finishes or undoes the switch and says which. A
process that has the store open while another switches it (``serve``) goes on
answering from the state it opened until it is restarted.
"""

from __future__ import annotations

import gc
import itertools
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
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


def triple_line(line: str) -> str:
    """An N-Quads line without its graph term: the same statement, for the default graph.

    The graph term is the last one, an IRI or a blank node, neither of which holds a quote
    or a space; a line of three terms (already in the default graph) is kept as it is.

    >>> triple_line('<s> <p> "a b"^^<t> <g> .')
    '<s> <p> "a b"^^<t> .\\n'
    >>> triple_line('<s> <p> "a <b>"^^<t> .')
    '<s> <p> "a <b>"^^<t> .\\n'
    >>> triple_line('_:s <p> <o> .')
    '_:s <p> <o> .\\n'
    """
    body = line.rstrip()[:-1].rstrip()
    rest, _, last = body.rpartition(" ")
    has_graph = '"' not in last and last[:1] in ("<", "_") and len(rest.split(None, 2)) == 3
    return (rest if has_graph else body) + " .\n"


#: Lines per bulk-load call: the loader's memory grows with what one call loads (about
#: 1.4 KB a line), and two calls run at once.
BULK_LINES = 200_000


class OxigraphStore(Store):
    """Named graphs per document, and the default graph kept as their set union.

    Oxigraph's own union of named graphs keeps duplicates (a project named in two
    documents would count its amount twice in a SUM), so the store maintains the
    merge itself: loading adds each triple to the default graph too, and dropping a
    document removes from it the triples no other document states.
    """

    scheme = "oxigraph"

    def __init__(self, path: str | Path | None = None, create: bool = True, read_only: bool = False) -> None:
        self.path = None if path is None else Path(path)
        self._staging = False
        self.read_only = read_only and self.path is not None
        if self.path is not None:
            if not self.read_only:
                recover(self.path)
            if (not create or self.read_only) and not self.path.is_dir():
                raise PolicyGraphError(f"{self.path}: no such store (load a graph into it first)")
        self.store = self._open(self.path, self.read_only)

    @staticmethod
    def _open(path: Path | None, read_only: bool = False) -> ox.Store:
        """The store at ``path`` (in memory without one). Read-only opens take no lock, so any
        number of readers (the endpoint's workers) share a folder a writer may be changing:
        each sees the state of the moment it opened."""
        try:
            if path is None:
                return ox.Store()
            return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            raise PolicyGraphError(f"{path}: cannot open an Oxigraph store: {exc}") from exc

    def _atomically(self, change: Callable[[], object]):
        """Run ``change`` on a copy of the store and switch the copy in, or change the store in
        place when it lives in memory (or a change is already under way)."""
        if self.read_only:
            raise PolicyGraphError(f"{self.path}: opened read-only; cannot change it")
        if self.path is None or self._staging:
            return change()
        new, old = _beside(self.path, "new"), _beside(self.path, "old")
        shutil.rmtree(new, ignore_errors=True)
        self.store.flush()
        self.store.backup(str(new))
        current, self.store = self.store, self._open(new)
        self._staging = True
        try:
            result = change()
            self.store.flush()
        except BaseException:
            self.store = None
            gc.collect()
            shutil.rmtree(new, ignore_errors=True)
            self.store = current
            raise
        finally:
            self._staging = False
        # close both databases before the folders move
        self.store = current = None
        gc.collect()
        shutil.rmtree(old, ignore_errors=True)
        self.path.rename(old)
        new.rename(self.path)  # the switch: from here on the new state is the store
        shutil.rmtree(old, ignore_errors=True)
        self.store = self._open(self.path)
        return result

    def _drop(self, name: URIRef) -> None:
        g = ox.NamedNode(str(name))
        default = ox.DefaultGraph()
        for quad in list(self.store.quads_for_pattern(None, None, None, g)):
            elsewhere = any(q.graph_name != g and not isinstance(q.graph_name, ox.DefaultGraph)
                            for q in self.store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None))
            if not elsewhere:
                self.store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, default))
        self.store.remove_graph(g)

    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        triples = list(triples)
        self._atomically(lambda: self._replace_graph(name, triples))

    def _replace_graph(self, name: URIRef, triples: list[tuple[Node, Node, Node]]) -> None:
        if self.store.contains_named_graph(ox.NamedNode(str(name))):
            self._drop(name)
        g = ox.NamedNode(str(name))
        terms = [(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
        self.store.extend([ox.Quad(s, p, o, g) for s, p, o in terms])
        self.store.extend([ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in terms])

    def load(self, ds: Dataset) -> int:
        """Bulk-load: drop the graphs ``ds`` replaces, then load its quads and their union in one
        pass each; all or nothing."""
        return self._atomically(lambda: self._load(ds))

    def sync_documents(self, ds: Dataset, removed: Iterable[URIRef] = ()) -> None:
        removed = list(removed)
        self._atomically(lambda: Store.sync_documents(self, ds, removed))

    def _load(self, ds: Dataset) -> int:
        from ..rdfio import serialize

        names = [g.identifier for g in ds.graphs() if len(g) and isinstance(g.identifier, URIRef)]
        for name in names:
            if self.store.contains_named_graph(ox.NamedNode(str(name))):
                self._drop(name)
        text = serialize(ds, "nquads").decode("utf-8")
        # lines end at "\n" only: serialize escapes every other line separator in literals
        self._load_quads(lambda: (line + "\n" for line in text.split("\n") if line))
        return len(names)

    def sync_file(self, path: str | Path, removed: Iterable[URIRef] = (),
                  names: Iterable[URIRef] | None = None) -> int:
        """Bulk-load the file's graphs in place of the store's graphs of the same names and drop
        ``removed``: one change, all or nothing. ``names``: the file's graphs, when the caller
        knows them (a build's spool does), which saves reading the file twice."""
        names = [URIRef(name) for name in _graph_names(path)] if names is None else list(names)
        removed = list(removed)

        def change() -> int:
            for name in [*names, *removed]:
                if self.store.contains_named_graph(ox.NamedNode(str(name))):
                    self._drop(name)
            self._load_file(path)
            return len(names)

        return self._atomically(change)

    def load_file(self, path: str | Path) -> None:
        """Bulk-load an N-Quads file of new documents (as ``policygraph build -o X.nq`` writes)."""
        if Path(path).suffix != ".nq":
            raise PolicyGraphError(f"{path}: bulk loading takes .nq (N-Quads)")
        self._atomically(lambda: self._load_file(path))

    def _load_file(self, path: str | Path) -> None:

        def lines() -> Iterator[str]:
            with open(path, encoding="utf-8", newline="\n") as fh:
                yield from fh

        try:
            self._load_quads(lines)
        except PolicyGraphError as exc:
            raise PolicyGraphError(f"{path}: {exc}") from exc

    def _load_quads(self, lines: Callable[[], Iterator[str]]) -> None:
        """Load N-Quads lines into their graphs and into the union, two loaders side by side.

        The bulk loader works mostly on one core, and the quads and their union (each
        statement without its graph term, in the default graph) share no work.
        """

        def union() -> Iterator[str]:
            return (triple_line(line) for line in lines() if line.strip() and not line.lstrip().startswith("#"))

        with ThreadPoolExecutor(2) as pool:
            for job in [pool.submit(self._bulk_load, stream) for stream in (lines(), union())]:
                job.result()
        self.store.flush()

    def _bulk_load(self, lines: Iterator[str]) -> None:
        # in slices: the bulk loader's memory grows with what one call loads
        while chunk := "".join(itertools.islice(lines, BULK_LINES)):
            try:
                self.store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
            except (SyntaxError, ValueError) as exc:  # the change is undone: the store stays as it was
                raise PolicyGraphError(f"not valid N-Quads: {exc}".splitlines()[0]) from exc

    def remove_graph(self, name: URIRef) -> None:
        self._atomically(lambda: self._drop(name))

    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, sparql: str, bindings: Mapping[str, Node | Sequence[Node]] | None = None) -> Result:
        check_query(sparql)
        # Oxigraph's own substitutions need the variable projected; a VALUES block opening the
        # WHERE group binds it the same way, with the terms written as N-Triples.
        text = with_values(sparql, bindings or {})
        try:
            res = self.store.query(text)
        except (SyntaxError, ValueError, OSError) as exc:
            raise PolicyGraphError(f"query failed: {exc}".splitlines()[0]) from exc
        if isinstance(res, ox.QueryBoolean):
            return Result("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            # results repeat their terms (an agency's name on each of its rows): convert each once
            seen: dict = {}

            def term(t):
                if t is None:
                    return None
                node = seen.get(t)
                if node is None:
                    node = seen[t] = from_ox(t)
                return node

            rows = [tuple(term(sol[i]) for i in range(len(variables))) for sol in res]
            return Result("select", variables, rows)
        g = Graph()
        for t in res:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return Result("graph", graph=g)

    def __len__(self) -> int:
        """Quads in the documents' named graphs (the union copy is not counted)."""
        union = next(iter(self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0]
        return len(self.store) - int(union.value)

    def close(self) -> None:
        if self.store is not None and not self.read_only:  # a read-only store has nothing to flush
            self.store.flush()


def _graph_names(path: str | Path) -> list[str]:
    """The graphs of an N-Quads file of named graphs, in the order they first come."""
    from ..rdfio import graph_term

    seen: dict[str, None] = {}
    try:
        with open(path, encoding="utf-8", newline="\n") as fh:
            for number, line in enumerate(fh, 1):
                if line.strip() and not line.lstrip().startswith("#"):
                    term = graph_term(line)
                    if not (term.startswith("<") and term.endswith(">") and ":" in term):
                        raise PolicyGraphError(f"{path}: line {number} is not a statement of a named graph")
                    seen.setdefault(term[1:-1])
    except (UnicodeDecodeError, IndexError) as exc:
        raise PolicyGraphError(f"{path}: not N-Quads ({exc})") from exc
    return list(seen)


def _beside(path: Path, what: str) -> Path:
    return path.with_name(f".{path.name}.{what}")


def recover(path: Path) -> str | None:
    """Finish or undo a switch a kill interrupted; returns (and prints) what was done."""
    new, old = _beside(path, "new"), _beside(path, "old")
    said = None
    if not path.exists() and old.is_dir():
        if new.is_dir():  # killed between the two renames: the new state was complete
            new.rename(path)
            said = "an interrupted change was completed: the store holds the new state"
        else:
            old.rename(path)
            said = "an interrupted change was undone: the store holds the previous state"
    elif new.exists():
        said = "an interrupted change was undone: the store holds the previous state"
    shutil.rmtree(new, ignore_errors=True)
    if old.exists() and path.exists():
        shutil.rmtree(old, ignore_errors=True)
    if said:
        print(f"{path}: {said}", file=sys.stderr)
    return said
