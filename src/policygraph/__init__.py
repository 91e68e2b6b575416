"""policygraph: Chinese industrial-policy text to a knowledge graph of its actors.

The data flows one way: :mod:`policygraph.ingest` (files to documents),
:mod:`policygraph.extract` (documents to mentions and facts),
:mod:`policygraph.graph` (to RDF with provenance), then the stores, queries,
views and analytics that read the graph.
"""

import os

# ONNX Runtime (LAC's encoder runs on it) sends usage telemetry from Linux since 1.29: a device
# id written under ~/.cache, events queued there and uploaded to Microsoft. policygraph makes no
# request beyond the machine, so it is switched off. The runtime reads the variable once, when it
# is first imported, hence here, before any module of ours can import it.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

__version__ = "0.1.0"
