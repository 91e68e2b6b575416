"""policygraph: Chinese industrial-policy text to a knowledge graph of its actors.

The data flows one way: :mod:`policygraph.ingest` (files to documents),
:mod:`policygraph.extract` (documents to mentions and facts),
:mod:`policygraph.graph` (to RDF with provenance), then the stores, queries,
views and analytics that read the graph.
"""

__version__ = "0.1.0"
