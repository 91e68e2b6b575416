"""Reading and writing graphs: format by extension, atomic and deterministic writes.

``.trig`` (default) and ``.nq`` keep one named graph per document; ``.ttl``
and ``.jsonld`` hold the union. Output is canonical: triples sorted, so the
same graph always gives the same bytes, whatever Python's hash seed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from .errors import PolicyGraphError
from .namespaces import PREFIXES

FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise PolicyGraphError(
            f"{path}: unknown graph format {suffix or '(none)'}; use one of {', '.join(FORMATS)}"
        )
    return FORMATS[suffix]


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files that killed writes of ``path`` left (their process is gone),
    saying so on stderr; returns them."""
    import sys

    removed = []
    for tmp in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:].split(".", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
        print(f"{tmp}: removed, a temporary file a killed run left", file=sys.stderr)
    return removed


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    atomic_write_all([(path, data)])


def atomic_write_all(files: list[tuple[str | Path, bytes | Callable[[BinaryIO], None]]]) -> None:
    """Write several files that belong together (a graph and its view): every one is written
    and synced to a temporary file first, then all are renamed in one quick run, so a kill
    while writing leaves every file as it was; only a kill between two renames, a window of
    microseconds rather than the seconds of writing, could leave one new beside one old.
    A file's content is bytes, or a function that writes it to the open file (a graph
    streamed from a :class:`GraphSpool`)."""
    temps: list[tuple[str, Path]] = []
    try:
        umask = os.umask(0)
        os.umask(umask)
        for path, data in files:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(path)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                if callable(data):
                    data(fh)
                else:
                    fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o666 & ~umask)
        for tmp, path in temps:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise


#: Characters a reader may take for the end of a line (str.splitlines does, and so do some
#: parsers) or that N-Triples forbids raw: every C0 control, DEL, NEL and the Unicode line and
#: paragraph separators. They are written as \\uXXXX escapes, which every RDF syntax reads.
_UNSAFE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: re.Match) -> str:
    c = ch.group()
    return _SHORT_ESCAPES.get(c) or f"\\u{ord(c):04X}"


def _quote(text: str) -> str:
    """A string literal on one line, escaped as N-Triples and Turtle both accept.

    >>> print(_quote('a"b\\x0cc\\u2028d'))
    "a\\"b\\u000Cc\\u2028d"
    """
    esc = _UNSAFE.sub(_escape, text.replace("\\", "\\\\").replace('"', '\\"'))
    return f'"{esc}"'


def _term(t) -> str:
    if isinstance(t, BNode):
        return f"_:{t}"
    if isinstance(t, Literal):
        lex = _quote(str(t))
        if t.language:
            return f"{lex}@{t.language}"
        if t.datatype is not None:
            return f"{lex}^^<{t.datatype}>"
        return lex
    return t.n3()


# ---------------------------------------------------------------- canonical Turtle / TriG

def _prefixed(t, prefixes: list[tuple[str, str]]) -> str:
    if isinstance(t, URIRef):
        s = str(t)
        for p, ns in prefixes:
            if s.startswith(ns):
                local = s[len(ns):]
                if local and all(c.isalnum() or c in "_-" for c in local) and not local[0].isdigit() \
                        and local[-1] not in "-" and "%" not in local:
                    return f"{p}:{local}"
        return t.n3()
    if isinstance(t, Literal):
        if t.datatype is not None:
            return f"{_quote(str(t))}^^{_prefixed(t.datatype, prefixes)}"
        return _term(t)
    return _term(t)


def _block(triples: list[tuple], prefixes: list[tuple[str, str]], indent: str) -> list[str]:
    by_subject: dict = defaultdict(list)
    for s, p, o in triples:
        by_subject[s].append((p, o))
    lines: list[str] = []
    for s in sorted(by_subject, key=_term):
        po = sorted(by_subject[s], key=lambda x: (x[0] != RDF.type, _term(x[0]), _term(x[1])))
        lines.append(f"{indent}{_prefixed(s, prefixes)}")
        for i, (p, o) in enumerate(po):
            pred = "a" if p == RDF.type else _prefixed(p, prefixes)
            end = " ." if i == len(po) - 1 else " ;"
            lines.append(f"{indent}    {pred} {_prefixed(o, prefixes)}{end}")
        lines.append("")
    return lines


def _prefix_lines() -> tuple[list[str], list[tuple[str, str]]]:
    prefixes = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda x: -len(x[1]))
    head = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
    return head, prefixes


def trig_head() -> bytes:
    """The prefix lines a TriG file opens with."""
    head, _ = _prefix_lines()
    return ("\n".join(head) + "\n\n").encode("utf-8")


def graph_block(g: Graph, fmt: str) -> bytes:
    """One named graph as its part of a canonical TriG (after :func:`trig_head`) or N-Quads
    file: its statements sorted."""
    if fmt == "nquads":
        ctx = _term(g.identifier)
        return "".join(sorted(f"{_term(s)} {_term(p)} {_term(o)} {ctx} .\n" for s, p, o in g)).encode("utf-8")
    _, prefixes = _prefix_lines()
    out = [f"{_prefixed(g.identifier, prefixes)} {{", *_block(list(g), prefixes, "    ")]
    if out[-1] == "":
        out.pop()
    return "\n".join([*out, "}", ""]).encode("utf-8")


def serialize(ds: Dataset, fmt: str) -> bytes:
    """Canonical bytes of ``ds`` in ``fmt`` (trig, nquads, turtle, nt, json-ld).

    TriG and N-Quads are the named graphs in the order of their IRIs, each as
    :func:`graph_block` writes it alone: a build that writes its documents' blocks as they come
    and one that serializes the whole dataset give the same bytes."""
    graphs = sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier))
    if fmt == "nquads":
        return b"".join(graph_block(g, fmt) for g in graphs)
    if fmt == "trig":
        return trig_head() + b"\n".join(graph_block(g, fmt) for g in graphs)  # a blank line between graphs
    if fmt == "nt":
        lines = {f"{_term(s)} {_term(p)} {_term(o)} ." for g in graphs for s, p, o in g}
        return ("\n".join(sorted(lines)) + "\n").encode("utf-8")
    if fmt == "turtle":
        head, prefixes = _prefix_lines()
        union = {t for g in graphs for t in g}
        out = [*head, "", *_block(sorted(union, key=lambda t: tuple(map(_term, t))), prefixes, "")]
        return "\n".join(out).encode("utf-8")
    if fmt == "json-ld":
        union = Graph()
        for p, ns in PREFIXES.items():
            union.bind(p, ns)
        for g in graphs:
            for t in g:
                union.add(t)
        import json

        data = _canonical_json(json.loads(union.serialize(format="json-ld")))
        return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
    raise PolicyGraphError(f"cannot write format {fmt}")


def _canonical_json(value, key: str = ""):
    """JSON-LD with every set of values in one order: rdflib writes a node's values in the order
    of its hash-based store, which changes with PYTHONHASHSEED. Ordered lists stay as they are."""
    import json

    if isinstance(value, dict):
        return {k: _canonical_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


class GraphSpool:
    """The named graphs of a build as they come, on disk: each graph's N-Quads and TriG block
    appended to two files, and an index. :meth:`write` puts them out in the order of their
    IRIs, as :func:`serialize` orders a whole dataset, so memory holds the index, never the
    corpus graph.

    >>> g = Graph(identifier=URIRef("urn:d1")); _ = g.add((URIRef("urn:a"), RDF.type, URIRef("urn:T")))
    >>> with GraphSpool() as spool:
    ...     spool.add("urn:d1", graph_block(g, "nquads"), graph_block(g, "trig"))
    ...     spool.names()
    ['urn:d1']
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        if folder is not None:  # a killed build's spool: its process is gone
            for old in Path(folder).glob(".policygraph-spool-*"):
                pid = old.name.split("-")[2]
                if pid.isdigit() and not _alive(int(pid)):
                    shutil.rmtree(old, ignore_errors=True)
        self._dir = tempfile.TemporaryDirectory(prefix=f".policygraph-spool-{os.getpid()}-", dir=folder)
        root = Path(self._dir.name)
        self._nq, self._trig = open(root / "graphs.nq", "w+b"), open(root / "graphs.trig", "w+b")  # noqa: SIM115
        self._index: dict[str, tuple[int, int, int, int]] = {}

    def add(self, name: str, nquads: bytes, trig: bytes) -> None:
        if name in self._index:
            raise PolicyGraphError(f"{name}: two documents make the same graph")
        self._index[name] = (self._nq.tell(), len(nquads), self._trig.tell(), len(trig))
        self._nq.write(nquads)
        self._trig.write(trig)

    def names(self) -> list[str]:
        return sorted(self._index)

    def nquads_file(self) -> Path:
        """The N-Quads of every graph, each graph's lines together (in the order they came)."""
        self._nq.flush()
        return Path(self._nq.name)

    def graphs(self) -> Iterator[tuple[str, bytes]]:
        """Each graph's N-Quads, in the order of the IRIs."""
        self._nq.flush()
        for name in self.names():
            at, n, _, _ = self._index[name]
            yield name, os.pread(self._nq.fileno(), n, at)

    def write(self, fh: BinaryIO, fmt: str) -> None:
        """The whole graph in ``fmt``, the bytes :func:`serialize` gives for the same graphs.
        TriG and N-Quads stream; the formats of the union (Turtle, N-Triples, JSON-LD) are
        built in memory."""
        self._nq.flush()
        self._trig.flush()
        if fmt not in ("trig", "nquads"):
            fh.write(serialize(self.dataset(), fmt))
            return
        if fmt == "trig":
            fh.write(trig_head())
        src = self._trig if fmt == "trig" else self._nq
        for i, name in enumerate(self.names()):
            nq_at, nq_n, trig_at, trig_n = self._index[name]
            at, n = (trig_at, trig_n) if fmt == "trig" else (nq_at, nq_n)
            if fmt == "trig" and i:
                fh.write(b"\n")  # a blank line between graphs, as serialize() writes them
            fh.write(os.pread(src.fileno(), n, at))

    def dataset(self) -> Dataset:
        """Every graph parsed into one rdflib Dataset (memory grows with the corpus)."""
        ds = Dataset(default_union=True)
        for _, data in self.graphs():
            ds.parse(data=data.decode("utf-8"), format="nquads")
        return ds

    def close(self) -> None:
        self._nq.close()
        self._trig.close()
        self._dir.cleanup()

    def __enter__(self) -> GraphSpool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def graph_term(line: str) -> str:
    """The graph term of an N-Quads line, as written (``<iri>``): the last before the final dot."""
    return line.rstrip().rsplit(" ", 2)[-2]


def nquads_graphs(path: str | Path) -> Iterator[tuple[str, str]]:
    """The graphs of an N-Quads file whose every graph's lines stand together (a
    :class:`GraphSpool`'s, a build's ``.nq``): (graph IRI, its lines), one graph at a time."""
    name, lines, done = None, [], set()
    with open(path, encoding="utf-8", newline="\n") as fh:
        for line in fh:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            term = graph_term(line)
            if term != name:
                if term in done:
                    raise PolicyGraphError(f"{path}: the lines of graph {term} do not stand together")
                if lines:
                    yield name[1:-1], "".join(lines)
                    done.add(name)
                    lines = []
            name = term
            lines.append(line)
    if lines:
        yield name[1:-1], "".join(lines)


def write_dataset(ds: Dataset, path: str | Path) -> None:
    atomic_write(path, serialize(ds, format_for(path)))


def read_dataset(path: str | Path) -> Dataset:
    """Parse a graph file into a Dataset (named graphs kept where the format has them)."""
    path = Path(path)
    if not path.is_file():
        raise PolicyGraphError(f"{path}: no such graph file")
    fmt = format_for(path)
    ds = Dataset(default_union=True)
    try:
        ds.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise PolicyGraphError(f"{path}: not a valid {fmt} graph: {exc}".splitlines()[0]) from exc
    return ds
