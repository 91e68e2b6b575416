"""The extraction pipeline: named components applied in order to one Doc.

>>> from policygraph.ingest import Document
>>> doc = Pipeline().run(Document("a.txt", "浙江省经信厅在杭州市召开全省推进大会,部署数字经济工作。"))
>>> sorted({e.type for e in doc.entities.values()})
['Event', 'GovernmentAgency', 'Industry', 'Place']
"""

from __future__ import annotations

from collections.abc import Sequence

from ..ingest import Document
from . import crf, recognize, relations, resolve  # noqa: F401  (components register themselves)
from .doc import Doc
from .normalize import normalize
from .quantities import parse_published
from .recognize import REGISTRY
from .segment import segment

#: The default pipeline, as data. Recognisers first, then overlap resolution,
#: entity resolution, and the fact patterns.
DEFAULT_COMPONENTS: tuple[str, ...] = (
    "places", "industries", "industry_lists", "head_names", "invested_projects", "meetings",
    "titles", "plus_systems", "numbered_slogans", "quoted_names", "programme_objects", "known_companies",
    "crf_names", "overlaps", "abbreviations", "project_owners", "repeat_names", "overlaps",
    "resolve", "project_facts", "location_facts", "hierarchy_facts", "industry_facts", "actor_facts",
)


class Pipeline:
    """Run named components over a document; unknown names fail at construction."""

    def __init__(self, components: Sequence[str] = DEFAULT_COMPONENTS) -> None:
        missing = [c for c in components if c not in REGISTRY]
        if missing:
            raise ValueError(f"unknown pipeline components: {', '.join(missing)}")
        self.components = tuple(components)

    def make_doc(self, document: Document) -> Doc:
        text, offsets = normalize(document.text)
        doc = Doc(document=document, text=text, offsets=offsets)
        doc.published = parse_published(document.published)
        doc.region = resolve.region_entity(doc)
        return segment(doc)

    def run(self, document: Document) -> Doc:
        doc = self.make_doc(document)
        for name in self.components:
            REGISTRY[name](doc)
        return doc
