"""Analyst tables as pandas DataFrames, answered by SPARQL over the graph.

>>> from policygraph.build import build
>>> from policygraph.namespaces import package_file
>>> ds = build([package_file("sample")]).dataset
>>> investment_by_industry(ds).iloc[0]["industry"]
'新能源'
"""

from __future__ import annotations

import pandas as pd
from rdflib import Dataset, Graph

PREFIXES = """PREFIX pg: <https://w3id.org/policygraph/ont#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def sparql_frame(ds: Dataset | Graph, query: str) -> pd.DataFrame:
    """Run a SELECT and return its rows as a DataFrame of Python values (numbers stay numbers)."""
    res = ds.query(query if "PREFIX" in query else PREFIXES + query)
    cols = [str(v) for v in res.vars]
    rows = [[None if v is None else v.toPython() for v in row] for row in res]
    df = pd.DataFrame(rows, columns=cols)
    for c in df.columns:
        if df[c].map(lambda v: v.__class__.__name__ == "Decimal").any():
            df[c] = df[c].astype(float)
    return df


def investment_by_industry(ds: Dataset | Graph) -> pd.DataFrame:
    """Total announced investment (yuan) and number of projects per industry."""
    return sparql_frame(ds, """
SELECT ?industry (SUM(?yuan) AS ?yuan) (COUNT(DISTINCT ?p) AS ?projects) WHERE {
  ?p a pg:Project ; pg:investmentCNY ?yuan ; pg:inIndustry ?i . ?i rdfs:label ?industry .
} GROUP BY ?industry ORDER BY DESC(?yuan) ?industry""")


def investment_by_place(ds: Dataset | Graph) -> pd.DataFrame:
    """Total investment per place or zone the projects are located in."""
    return sparql_frame(ds, """
SELECT ?place ?type (SUM(?yuan) AS ?yuan) (COUNT(DISTINCT ?p) AS ?projects) WHERE {
  ?p a pg:Project ; pg:investmentCNY ?yuan ; pg:locatedIn ?l . ?l rdfs:label ?place ; a ?t .
  FILTER(?t IN (pg:Place, pg:Zone)) BIND(STRAFTER(STR(?t), "#") AS ?type)
} GROUP BY ?place ?type ORDER BY DESC(?yuan) ?place""")


def investment_by_company(ds: Dataset | Graph) -> pd.DataFrame:
    """Total investment of the projects each company invests in."""
    return sparql_frame(ds, """
SELECT ?company (SUM(?yuan) AS ?yuan) (COUNT(DISTINCT ?p) AS ?projects) WHERE {
  ?c a pg:Company ; pg:investsIn ?p ; rdfs:label ?company . ?p pg:investmentCNY ?yuan .
} GROUP BY ?company ORDER BY DESC(?yuan) ?company""")


def programmes_and_targets(ds: Dataset | Graph) -> pd.DataFrame:
    """Programmes with the industries they target or that belong to their industry system."""
    return sparql_frame(ds, """
SELECT ?programme ?industry ?relation WHERE {
  { ?p pg:targets ?i . BIND("targets" AS ?relation) }
  UNION { ?i pg:partOf ?p . ?i a pg:Industry . BIND("partOf" AS ?relation) }
  ?p a pg:Programme ; rdfs:label ?programme . ?i rdfs:label ?industry .
} ORDER BY ?programme ?industry""")


def events_timeline(ds: Dataset | Graph) -> pd.DataFrame:
    """Dated events and projects, oldest first."""
    return sparql_frame(ds, """
SELECT ?label ?type ?date WHERE {
  ?x pg:date ?d ; rdfs:label ?label ; a ?t . FILTER(?t IN (pg:Event, pg:Project))
  BIND(STRAFTER(STR(?t), "#") AS ?type) BIND(STR(?d) AS ?date)
} ORDER BY ?date ?label""")


def mentions_by_year(ds: Dataset | Graph, type_: str) -> pd.DataFrame:
    """How many documents of each publication year mention each actor of one type."""
    return sparql_frame(ds, f"""
SELECT ?label ?year (COUNT(DISTINCT ?doc) AS ?documents) WHERE {{
  ?x a pg:{type_} ; rdfs:label ?label ; pg:mentionedIn ?doc . ?doc dcterms:issued ?issued .
  BIND(SUBSTR(STR(?issued), 1, 4) AS ?year)
}} GROUP BY ?label ?year ORDER BY ?year ?label""")
