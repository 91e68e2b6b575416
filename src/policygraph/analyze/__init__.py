"""Analysis in Python: the graph as networkx and pandas objects.

- :mod:`.projection`: RDF to a networkx MultiDiGraph and back, convenience views;
- :mod:`.measures`: degree, PageRank, betweenness, communities, paths with evidence, bridges;
- :mod:`.tables`: investment by industry, place and company; programmes and targets; timelines;
- :mod:`.stats`: counts, top actors, components and data-quality warnings;
- :mod:`.export`: GraphML, GEXF and CSV for other tools;
- :mod:`.plots`: matplotlib charts (investment by industry, timeline) with a CJK font when one is installed.
"""

from .export import export
from .measures import (
    betweenness,
    communities,
    degree,
    industry_bridges,
    pagerank,
    path_with_evidence,
)
from .projection import agency_programme, company_project_industry, to_networkx, to_rdf, view
from .stats import graph_stats
from .tables import (
    canned_frame,
    events_timeline,
    investment_by_company,
    investment_by_industry,
    investment_by_place,
    mentions_by_year,
    programmes_and_targets,
    sparql_frame,
)

__all__ = [
    "agency_programme", "betweenness", "canned_frame", "communities", "company_project_industry", "degree",
    "events_timeline", "export", "graph_stats", "industry_bridges", "investment_by_company",
    "investment_by_industry", "investment_by_place", "mentions_by_year", "pagerank",
    "path_with_evidence", "programmes_and_targets", "sparql_frame", "to_networkx", "to_rdf", "view",
]
