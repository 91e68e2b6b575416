"""Canned analyst queries shipped as ``queries/*.rq``, and typed query parameters.

Each ``.rq`` file starts with comment lines ``# question:``, ``# parameters:``
and ``# example:``. A parameter named in the header must be given
(``--param name=卧龙``) unless its description says ``default VALUE``; it is
bound as an RDF term, never pasted into the text.

>>> [q.name for q in canned()][:3]
['agencies', 'company_projects', 'evidence']
>>> parse_param("company=卧龙")
('company', rdflib.term.Literal('卧龙'))
>>> q = next(q for q in canned() if q.name == "neighbourhood")
>>> q.parameters, q.defaults
(('name',), {'hops': rdflib.term.Literal('2', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))})
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .errors import PolicyGraphError
from .namespaces import PG, package_file
from .store.base import Result, Store


@dataclass(frozen=True)
class CannedQuery:
    name: str
    question: str
    parameters: tuple[str, ...]
    example: str
    text: str
    #: optional parameters and the values they take when not given
    defaults: dict[str, Node] = field(default_factory=dict)
    #: how to run it, a key of :data:`RUNNERS` (``# runner:``); "" runs the text once
    runner: str = ""


def _header(text: str, key: str) -> str:
    m = re.search(rf"^#\s*{key}:\s*(.*)$", text, re.MULTILINE)
    return m.group(1).strip() if m else ""


def canned() -> list[CannedQuery]:
    out = []
    for path in sorted(package_file("queries").glob("*.rq")):
        text = path.read_text("utf-8")
        required, defaults = [], {}
        for name, description in re.findall(r"(\w+)\s*\(([^)]*)\)", _header(text, "parameters")):
            default = re.search(r"\bdefault\s+(\S+)", description)
            if default:
                defaults[name] = parse_param(f"{name}={default.group(1)}")[1]
            else:
                required.append(name)
        out.append(CannedQuery(path.stem, _header(text, "question"), tuple(required), _header(text, "example"),
                               text, defaults, _header(text, "runner")))
    return out


def resolve(query: str) -> CannedQuery:
    """A query given as a canned name, a .rq file or SPARQL itself (then named ``""``)."""
    for q in canned():
        if q.name == query:
            return q
    path = Path(query)
    if query.endswith((".rq", ".sparql")) or (len(query) < 256 and "\n" not in query and path.is_file()):
        try:
            return _adhoc(path.read_text("utf-8"))
        except OSError as exc:
            raise PolicyGraphError(f"{query}: cannot read query file: {exc.strerror or exc}") from exc
    if not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", query, re.IGNORECASE):
        names = ", ".join(q.name for q in canned())
        raise PolicyGraphError(f"{query!r} is neither SPARQL, a .rq file nor a canned query ({names})")
    return _adhoc(query)


def _adhoc(text: str) -> CannedQuery:
    """A query of the user's own: no name, no declared parameters, run as written."""
    return CannedQuery("", "", (), "", text)


def parse_param(spec: str) -> tuple[str, Node]:
    """``name=value`` to a typed term: ``<iri>`` an IRI, an integer an xsd:integer,
    ``"text"`` a string kept as written, anything else a string literal."""
    name, sep, value = spec.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise PolicyGraphError(f"--param {spec!r}: write name=value")
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        iri = value[1:-1]
        bad = re.search(r'[\x00-\x20<>"{}|^`\\]', iri)
        if bad or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
            what = f"holds {bad.group()!r}" if bad else "has no scheme (http:, urn: …)"
            raise PolicyGraphError(f"--param {spec!r}: not an IRI: it {what}")
        return name, URIRef(iri)
    if re.fullmatch(r"-?\d+", value):
        return name, Literal(value, datatype=XSD.integer)
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return name, Literal(value)


def bindings(specs: list[str], required: tuple[str, ...] = (),
             defaults: dict[str, Node] | None = None) -> dict[str, Node]:
    """The ``name=value`` specs as typed terms, with ``defaults`` for those not given."""
    out = dict(defaults or {}) | dict(parse_param(s) for s in specs)
    missing = [r for r in required if r not in out]
    if missing:
        raise PolicyGraphError(f"this query needs --param {' --param '.join(m + '=…' for m in missing)}")
    return out


def run(store: Store, query: CannedQuery, binds: dict[str, Node]) -> Result:
    """Answer ``query`` from ``store`` with its parameters bound, by its runner if it names one."""
    if query.runner:
        return RUNNERS[query.runner](store, query, binds)
    return store.query(query.text, binds)


#: Most that ``hops`` may be: beyond it a hub brings in most of the graph.
MAX_HOPS = 4


def _reach(store: Store, query: CannedQuery, binds: dict[str, Node]) -> tuple[dict[Node, str], dict[Node, tuple]]:
    """Breadth-first from the actors named ``?name``, one query per hop (the query's text is
    one hop from ``?from``), each bound to the previous hop's new actors, so asking for more
    hops costs only what they bring in.

    Returns the start actors with their labels, and for every actor reached its shortest
    distance, the actor it is first reached through (in label order), the fact between
    them, its label and its type."""
    hops = binds.get("hops")
    if not (isinstance(hops, Literal) and isinstance(hops.toPython(), int) and 1 <= hops.toPython() <= MAX_HOPS):
        raise PolicyGraphError(f"--param hops must be a whole number from 1 to {MAX_HOPS}")
    start = store.query(f"SELECT DISTINCT ?e ?label WHERE {{ ?e <{RDFS.label}>|<{SKOS.altLabel}> ?name . "
                        f"?e <{RDFS.label}> ?label }}", {"name": binds["name"]})
    labels: dict[Node, str] = {}
    for node, label in start.rows:
        labels.setdefault(node, str(label))
    starts = dict(labels)
    reached: dict[Node, tuple] = {}
    frontier = sorted(starts)
    for distance in range(1, hops.toPython() + 1):
        if not frontier:
            break
        candidates: dict[Node, tuple] = {}
        for origin, predicate, node, label, type_ in store.query(query.text, {"from": frontier}).rows:
            if node in labels:
                continue
            via = (labels[origin], str(predicate))
            if node not in candidates or via < candidates[node][1:3]:
                candidates[node] = (distance, labels[origin], str(predicate), str(label), str(type_))
        for node, row in candidates.items():
            labels[node] = row[3]
            reached[node] = row
        frontier = sorted(candidates)
    return starts, reached


def expand_hops(store: Store, query: CannedQuery, binds: dict[str, Node]) -> Result:
    """One row per actor within ``hops`` facts of the actors named ``?name``: its distance,
    name and type, the actor it is reached through and the fact between them."""
    _, reached = _reach(store, query, binds)
    rows = sorted(reached.values(), key=lambda r: (r[0], r[3], r[1], r[2]))
    return Result("select", ["distance", "neighbour", "type", "via", "predicate"],
                  [(Literal(d), Literal(n), Literal(t), Literal(v), Literal(p)) for d, v, p, n, t in rows])


_FACTS = (f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?p), \"{PG}\") "
          f"&& ?p != <{PG.mentionedIn}>) }}")
_DESCRIPTION = (f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER((isLiteral(?o) && ?p != <{PG.text}>) "
                f"|| ?p = <{RDF.type}>) }}")  # a document's whole text stays out
_EVIDENCE = (f"SELECT ?s ?fp ?fo ?ev ?p ?o WHERE {{ ?ev <{RDF.subject}> ?s ; <{RDF.predicate}> ?fp ; "
             f"<{RDF.object}> ?fo ; ?p ?o }}")


def neighbourhood_graph(store: Store, query: CannedQuery, binds: dict[str, Node]) -> Graph:
    """The subgraph around the actors named ``?name``: the actors within ``hops`` facts, the
    facts between them with their evidence records, and the documents those come from, so
    that ``policygraph render`` draws it with its evidence panel."""
    starts, reached = _reach(store, query, binds)
    actors = sorted({*starts, *reached})
    g = Graph()
    if not actors:
        return g
    keep = set(actors)
    facts = {(s, p, o) for s, p, o in store.query(_FACTS, {"s": actors}).rows if o in keep}
    for triple in store.query(_DESCRIPTION, {"s": actors}).rows:
        g.add(triple)
    for fact in facts:
        g.add(fact)
    documents = set()
    for s, fp, fo, ev, p, o in store.query(_EVIDENCE, {"s": actors}).rows:
        if (s, fp, fo) in facts:
            g.add((ev, p, o))
            if p == PROV.wasDerivedFrom:
                documents.add(o)
    if documents:
        for triple in store.query(_DESCRIPTION, {"s": sorted(documents)}).rows:
            g.add(triple)
    return g


#: Runners named by ``# runner:`` in a query's header.
RUNNERS = {"hops": expand_hops}
