"""The extraction pipeline: named components applied in order to one Doc.

>>> from policygraph.ingest import Document
>>> doc = Pipeline().run(Document("a.txt", "浙江省经信厅在杭州市召开全省推进大会,部署数字经济工作。"))
>>> sorted({e.type for e in doc.entities.values()})
['Event', 'GovernmentAgency', 'Industry', 'Place']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..ingest import Document
from ..namespaces import package_file
from . import crf, facts, ner, recognize, relations, resolve  # noqa: F401  (components register themselves)
from .doc import Doc
from .facts import MODEL_NAME, load_model
from .normalize import normalize
from .quantities import parse_published
from .recognize import REGISTRY, Component
from .segment import segment

#: The default pipeline, as data. Recognisers first, then overlap resolution,
#: entity resolution, and the fact patterns.
DEFAULT_COMPONENTS: tuple[str, ...] = (
    "places", "industries", "industry_lists", "head_names", "invested_projects", "meetings",
    "titles", "plus_systems", "numbered_slogans", "quoted_names", "programme_objects", "known_companies",
    "crf_names", "overlaps", "abbreviations", "project_owners", "repeat_names", "overlaps",
    "ner", "resolve", "project_facts", "location_facts", "hierarchy_facts", "industry_facts",
    "actor_facts", "facts",
)


def default_min_confidence() -> float:
    """The threshold cross-validation chose, stored with the fact model (0.5 without one)."""
    path = package_file("data", MODEL_NAME)
    if not path.is_file():
        return 0.5
    return float(load_model(str(path)).get("min_confidence", 0.5))


class Pipeline:
    """Run named components over a document; unknown names fail at construction.

    ``replace`` swaps a named component for another callable (a model trained on a
    cross-validation fold, say) without changing the order."""

    def __init__(self, components: Sequence[str] = DEFAULT_COMPONENTS,
                 replace: Mapping[str, Component] | None = None,
                 min_confidence: float | None = None) -> None:
        self.replace = dict(replace or {})
        self.min_confidence = default_min_confidence() if min_confidence is None else min_confidence
        missing = [c for c in components if c not in REGISTRY and c not in self.replace]
        if missing:
            raise ValueError(f"unknown pipeline components: {', '.join(missing)}")
        self.components = tuple(components)

    def component(self, name: str) -> Component:
        return self.replace.get(name) or REGISTRY[name]

    def make_doc(self, document: Document) -> Doc:
        text, offsets = normalize(document.text)
        doc = Doc(document=document, text=text, offsets=offsets, min_confidence=self.min_confidence)
        doc.published = parse_published(document.published)
        doc.region = resolve.region_entity(doc)
        return segment(doc)

    def run(self, document: Document, until: str | None = None) -> Doc:
        """Extract ``document``; with ``until``, stop before that component (training reads
        the state a model sees)."""
        doc = self.make_doc(document)
        for name in self.components:
            if name == until:
                break
            self.component(name)(doc)
        return doc
