"""Canned analyst queries shipped as ``queries/*.rq``, and typed query parameters.

Each ``.rq`` file starts with comment lines ``# question:``, ``# parameters:``
and ``# example:``. A parameter named in the header must be given
(``--param name=卧龙``); it is bound as an RDF term, never pasted into the text.

>>> [q.name for q in canned()][:3]
['agencies', 'company_projects', 'evidence']
>>> parse_param("company=卧龙")
('company', rdflib.term.Literal('卧龙'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import PolicyGraphError
from .namespaces import package_file


@dataclass(frozen=True)
class CannedQuery:
    name: str
    question: str
    parameters: tuple[str, ...]
    example: str
    text: str


def _header(text: str, key: str) -> str:
    m = re.search(rf"^#\s*{key}:\s*(.*)$", text, re.MULTILINE)
    return m.group(1).strip() if m else ""


def canned() -> list[CannedQuery]:
    out = []
    for path in sorted(package_file("queries").glob("*.rq")):
        text = path.read_text("utf-8")
        params = _header(text, "parameters")
        names = () if params in ("", "none") else tuple(re.findall(r"(\w+)\s*\(", params))
        out.append(CannedQuery(path.stem, _header(text, "question"), names, _header(text, "example"), text))
    return out


def resolve(query: str) -> tuple[str, tuple[str, ...]]:
    """The text of a query given as a canned name, a .rq file or SPARQL itself; and its required params."""
    for q in canned():
        if q.name == query:
            return q.text, q.parameters
    path = Path(query)
    if query.endswith((".rq", ".sparql")) or (len(query) < 256 and "\n" not in query and path.is_file()):
        try:
            return path.read_text("utf-8"), ()
        except OSError as exc:
            raise PolicyGraphError(f"{query}: cannot read query file: {exc.strerror or exc}") from exc
    if not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", query, re.IGNORECASE):
        names = ", ".join(q.name for q in canned())
        raise PolicyGraphError(f"{query!r} is neither SPARQL, a .rq file nor a canned query ({names})")
    return query, ()


def parse_param(spec: str) -> tuple[str, Node]:
    """``name=value`` to a typed term: ``<iri>`` an IRI, an integer an xsd:integer,
    ``"text"`` a string kept as written, anything else a string literal."""
    name, sep, value = spec.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise PolicyGraphError(f"--param {spec!r}: write name=value")
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        return name, URIRef(value[1:-1])
    if re.fullmatch(r"-?\d+", value):
        return name, Literal(value, datatype=XSD.integer)
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return name, Literal(value)


def bindings(specs: list[str], required: tuple[str, ...] = ()) -> dict[str, Node]:
    out = dict(parse_param(s) for s in specs)
    missing = [r for r in required if r not in out]
    if missing:
        raise PolicyGraphError(f"this query needs --param {' --param '.join(m + '=…' for m in missing)}")
    return out
