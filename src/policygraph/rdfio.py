"""Reading and writing graphs: format by extension, atomic and deterministic writes.

``.trig`` (default) and ``.nq`` keep one named graph per document; ``.ttl``
and ``.jsonld`` hold the union. Output is canonical: triples sorted, so the
same graph always gives the same bytes, whatever Python's hash seed.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path

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


def atomic_write_all(files: list[tuple[str | Path, bytes]]) -> None:
    """Write several files that belong together (a graph and its view): every one is written
    and synced to a temporary file first, then all are renamed in one quick run, so a kill
    while writing leaves every file as it was; only a kill between two renames, a window of
    microseconds rather than the seconds of writing, could leave one new beside one old."""
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


def serialize(ds: Dataset, fmt: str) -> bytes:
    """Canonical bytes of ``ds`` in ``fmt`` (trig, nquads, turtle, nt, json-ld)."""
    graphs = sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier))
    if fmt in ("nquads", "nt"):
        lines = set()
        for g in graphs:
            ctx = "" if fmt == "nt" else f" {_term(g.identifier)}"
            for s, p, o in g:
                lines.add(f"{_term(s)} {_term(p)} {_term(o)}{ctx} .")
        return ("\n".join(sorted(lines)) + "\n").encode("utf-8")
    if fmt in ("trig", "turtle"):
        head, prefixes = _prefix_lines()
        out = [*head, ""]
        if fmt == "turtle":
            union = {t for g in graphs for t in g}
            out += _block(sorted(union, key=lambda t: tuple(map(_term, t))), prefixes, "")
        else:
            for g in graphs:
                out.append(f"{_prefixed(g.identifier, prefixes)} {{")
                out += _block(list(g), prefixes, "    ")
                if out[-1] == "":
                    out.pop()
                out.append("}")
                out.append("")
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
