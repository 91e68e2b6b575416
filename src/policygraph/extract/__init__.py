"""Extraction: documents to mentions, entities and facts with their evidence.

The pipeline is a sequence of small named components over one :class:`Doc`
(see :mod:`policygraph.extract.pipeline`).
"""

from .doc import Doc, Entity, Fact, Mention
from .pipeline import DEFAULT_COMPONENTS, Pipeline

__all__ = ["DEFAULT_COMPONENTS", "Doc", "Entity", "Fact", "Mention", "Pipeline"]
