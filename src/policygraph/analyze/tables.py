"""Analyst tables as pandas DataFrames, answered by SPARQL over the graph.

Each function takes an rdflib Dataset (or Graph), answered by rdflib's engine, or any
policygraph store: for a corpus-sized graph, load it into an in-memory Oxigraph store once
(``store = OxigraphStore(); store.load(ds)``) and ask that, which answers in milliseconds
what rdflib takes minutes over.

>>> from policygraph.build import build
>>> from policygraph.namespaces import package_file
>>> ds = build([package_file("sample")]).dataset
>>> investment_by_industry(ds).iloc[0]["industry"]
'新能源'
"""

from __future__ import annotations

import pandas as pd
from rdflib import Dataset, Graph

from ..store import MemoryStore, Store

Source = Dataset | Graph | Store

PREFIXES = """PREFIX pg: <https://w3id.org/policygraph/ont#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def sparql_frame(ds: Source, query: str) -> pd.DataFrame:
    """Run a SELECT and return its rows as a DataFrame of Python values (numbers stay numbers);
    the prefixes pg:, rdf:, rdfs:, dcterms:, prov: and skos: need no declaring."""
    text = query if "PREFIX" in query else PREFIXES + query
    if isinstance(ds, Store):
        res = ds.query(text)
        return _frame(res.variables, res.rows)
    res = ds.query(text)
    return _frame([str(v) for v in res.vars], res)


def canned_frame(ds: Source, query: str, /, **params: str | int) -> pd.DataFrame:
    """A canned query of ``policygraph query --list`` as a DataFrame; ``params`` bind its parameters
    as ``--param`` does (``hops=3`` an integer)."""
    from ..queries import bindings, canned, run

    q = next((c for c in canned() if c.name == query), None)
    if q is None:
        raise KeyError(f"no canned query named {query!r}")
    binds = bindings([f"{k}={v}" for k, v in params.items()], q.parameters, q.defaults)
    res = run(ds if isinstance(ds, Store) else MemoryStore(ds), q, binds)  # by the query's runner, as `policygraph query` does
    return _frame(res.variables, res.rows)


def _frame(cols: list[str], rows) -> pd.DataFrame:
    df = pd.DataFrame([[None if v is None else v.toPython() for v in row] for row in rows], columns=cols)
    for c in df.columns:
        if df[c].map(lambda v: v.__class__.__name__ == "Decimal").any():
            df[c] = df[c].astype(float)
    return df


def investment_by_industry(ds: Source) -> pd.DataFrame:
    """Total announced investment (yuan) and number of projects per industry."""
    return canned_frame(ds, "investment_by_industry")


def investment_by_place(ds: Source) -> pd.DataFrame:
    """Total investment per place or zone the projects are located in."""
    return canned_frame(ds, "investment_by_place")


def investment_by_company(ds: Source) -> pd.DataFrame:
    """Total investment of the projects each company invests in."""
    return canned_frame(ds, "investment_by_company")


def programmes_and_targets(ds: Source) -> pd.DataFrame:
    """Programmes with the industries they target or that belong to their industry system."""
    return canned_frame(ds, "programme_targets")


def events_timeline(ds: Source) -> pd.DataFrame:
    """Dated events and projects, oldest first."""
    return canned_frame(ds, "timeline")[["label", "type", "date"]]


def mentions_by_year(ds: Dataset | Graph, type_: str) -> pd.DataFrame:
    """How many documents of each publication year mention each actor of one type."""
    return sparql_frame(ds, f"""
SELECT ?label ?year (COUNT(DISTINCT ?doc) AS ?documents) WHERE {{
  ?x a pg:{type_} ; rdfs:label ?label ; pg:mentionedIn ?doc . ?doc dcterms:issued ?issued .
  BIND(SUBSTR(STR(?issued), 1, 4) AS ?year)
}} GROUP BY ?label ?year ORDER BY ?year ?label""")
