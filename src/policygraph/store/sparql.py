"""Any SPARQL 1.1 server over HTTP (Query, Update and Graph Store protocols), e.g. Virtuoso.

``sparql:http://127.0.0.1:8890/sparql`` queries and updates at that URL; a
different update endpoint can follow after ``|``, and a Graph Store Protocol
endpoint after a second ``|`` (Virtuoso's is ``/sparql-graph-crud``): a
document's graph is then written with one PUT, and added to the union with one
POST, instead of INSERT DATA updates of :data:`INSERT_CHUNK` triples. The server's default graph
must be the union of its named graphs (Virtuoso's is; Fuseki needs
``unionDefaultGraph``). Parameters travel as a trailing ``VALUES`` clause whose
terms are written in N-Triples syntax, so a value can never change the query.
Servers give the union of named graphs as a bag (a triple stated by two
documents counts twice in a SUM), so the store keeps a graph of the set union,
:data:`UNION_GRAPH`, and names it as the default graph of every query
(``default-graph-uri``). A new HTTP connection is used per request (kept-alive connections to Virtuoso
answered about 40 ms late here).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import PolicyGraphError
from ..rdfio import _term
from .base import Result, Store, check_query, with_values

_FORM = re.compile(r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s+<[^>]*>|#[^\n]*)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
                   re.IGNORECASE)
INSERT_CHUNK = 400  # Virtuoso refuses updates whose generated SQL passes 10,000 lines
#: The graph the store keeps as the set union of the documents' graphs, and queries by default.
UNION_GRAPH = "https://w3id.org/policygraph/id/graph/union"


def query_form(sparql: str) -> str:
    m = _FORM.match(sparql)
    if not m:
        raise PolicyGraphError("query failed: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return m.group(1).upper()


def _from_json_term(t: dict | None) -> Node | None:
    if t is None:
        return None
    kind = t["type"]
    if kind == "uri":
        return URIRef(t["value"])
    if kind == "bnode":
        return BNode(t["value"])
    if "xml:lang" in t:
        return Literal(t["value"], lang=t["xml:lang"])
    dt = t.get("datatype")
    if dt in (None, "http://www.w3.org/2001/XMLSchema#string"):
        return Literal(t["value"])
    return Literal(t["value"], datatype=URIRef(dt))


class SparqlStore(Store):
    scheme = "sparql"

    def __init__(self, endpoint: str, update_endpoint: str | None = None, graph_store: str | None = None,
                 timeout: float = 60.0) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.graph_store = graph_store or None
        self.timeout = timeout

    def _post(self, url: str, form: dict[str, str], accept: str) -> tuple[str, bytes]:
        body = urllib.parse.urlencode(form).encode("utf-8")
        return self._request("POST", url, body, "application/x-www-form-urlencoded", accept)

    def _request(self, method: str, url: str, body: bytes, content_type: str, accept: str) -> tuple[str, bytes]:
        req = urllib.request.Request(url, data=body, method=method, headers={
            "Content-Type": content_type, "Accept": accept, "Connection": "close"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace").strip().splitlines()
            raise PolicyGraphError(f"{url}: HTTP {exc.code}: {detail[0] if detail else exc.reason}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise PolicyGraphError(f"{url}: cannot reach the SPARQL server: {exc}") from exc

    def update(self, sparql: str) -> None:
        self._post(self.update_endpoint, {"update": sparql}, "*/*")

    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.remove_graph(name)
        if self.graph_store:
            # N-Triples is Turtle: one PUT creates the document's graph, one POST merges it into the union
            body = "".join(f"{_term(s)} {_term(p)} {_term(o)} .\n" for s, p, o in triples).encode("utf-8")
            for method, graph in (("PUT", str(name)), ("POST", UNION_GRAPH)):
                url = f"{self.graph_store}?{urllib.parse.urlencode({'graph': graph})}"
                self._request(method, url, body, "text/turtle; charset=utf-8", "*/*")
            return
        chunk: list[str] = []
        for s, p, o in triples:
            chunk.append(f"{_term(s)} {_term(p)} {_term(o)} .")
            if len(chunk) >= INSERT_CHUNK:
                self._insert(name, chunk)
                chunk = []
        if chunk:
            self._insert(name, chunk)

    def _insert(self, name: URIRef, lines: list[str]) -> None:
        body = "\n".join(lines)
        self.update(f"INSERT DATA {{ GRAPH <{name}> {{ {body} }} GRAPH <{UNION_GRAPH}> {{ {body} }} }}")

    def remove_graph(self, name: URIRef) -> None:
        # take out of the union what no other document states, then the document itself
        self.update(f"DELETE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} "
                    f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{name}> && ?g != <{UNION_GRAPH}>) }} }}")
        self.update(f"DROP SILENT GRAPH <{name}>")

    def graph_names(self) -> list[URIRef]:
        res = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a <https://w3id.org/policygraph/ont#Document> } "
                           f"FILTER(?g != <{UNION_GRAPH}>) }}", union=False)
        return sorted(r[0] for r in res.rows if isinstance(r[0], URIRef))

    def query(self, sparql: str, bindings: Mapping[str, Node | Sequence[Node]] | None = None) -> Result:
        check_query(sparql)
        form = query_form(sparql)
        text = with_values(sparql, bindings or {})
        if form in ("SELECT", "ASK"):
            return self._select(text)
        ctype, body = self._post(self.endpoint, {"query": text, "default-graph-uri": UNION_GRAPH},
                                 "application/n-triples, text/turtle;q=0.9")
        g = Graph()
        fmt = "nt" if "n-triples" in ctype or "text/plain" in ctype else "turtle"
        g.parse(data=body.decode("utf-8"), format=fmt)
        return Result("graph", graph=g)

    def _select(self, text: str, union: bool = True) -> Result:
        form = {"query": text, **({"default-graph-uri": UNION_GRAPH} if union else {})}
        _, body = self._post(self.endpoint, form, "application/sparql-results+json")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise PolicyGraphError(f"{self.endpoint}: answer is not SPARQL results JSON") from exc
        if "boolean" in data:
            return Result("ask", boolean=bool(data["boolean"]))
        variables = data["head"]["vars"]
        rows = [tuple(_from_json_term(b.get(v)) for v in variables) for b in data["results"]["bindings"]]
        return Result("select", variables, rows)

    def __len__(self) -> int:
        # only the graphs of documents: a server keeps graphs of its own (Virtuoso's system graphs)
        res = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d a <https://w3id.org/policygraph/ont#Document> }"
                           f" FILTER(?g != <{UNION_GRAPH}>) GRAPH ?g {{ ?s ?p ?o }} }}", union=False)
        return int(res.rows[0][0].toPython()) if res.rows else 0
