"""The extraction pipeline: named components applied in order to one Doc.

>>> from policygraph.ingest import Document
>>> doc = Pipeline().run(Document("a.txt", "浙江省经信厅在杭州市召开全省推进大会,部署数字经济工作。"))
>>> sorted({e.type for e in doc.entities.values()})
['Event', 'GovernmentAgency', 'Industry', 'Place']
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping, Sequence

from ..ingest import Document
from ..namespaces import package_file
from . import crf, facts, ner, owners, recognize, relations, resolve  # noqa: F401  (components register themselves)
from .doc import Doc
from .facts import MODEL_NAME, load_model
from .normalize import normalize
from .quantities import parse_published
from .recognize import REGISTRY, Component
from .segment import segment

#: The default pipeline, as data. Recognisers first, then overlap resolution,
#: entity resolution, and the fact patterns.
DEFAULT_COMPONENTS: tuple[str, ...] = (
    "places", "issuer_refs", "industries", "industry_lists", "field_headers", "head_names", "invested_projects", "meetings",
    "titles", "conjuncts", "plus_systems", "numbered_slogans", "quoted_names", "programme_objects", "known_companies",
    "crf_names", "overlaps", "abbreviations", "repeat_names", "overlaps",
    "ner", "owners", "resolve", "project_facts", "location_facts", "hierarchy_facts", "industry_facts",
    "actor_facts", "facts",
)


#: Documents longer than this are extracted in parts of at most this many characters, cut at
#: a line or sentence end, so that a huge file (a 50 MB page with no line break) costs memory
#: bounded by the part and time linear in its size. No annotated or corpus document is this long.
PART_CHARS = 100_000
_PART_END = re.compile(r"[\n。！？；]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def document_parts(document: Document, size: int = PART_CHARS) -> Iterator[tuple[int, Document]]:
    """``document`` cut into parts of at most ``size`` characters (the whole when it is no
    longer), each with its offset in the original text. A part without one Chinese character
    holds no name we can find, so it is left out.

    >>> [(base, len(p.text)) for base, p in document_parts(Document("a", "甲。" * 6), size=5)]
    [(0, 4), (4, 4), (8, 4)]
    """
    text = document.text
    if len(text) <= size:
        yield 0, document
        return
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = max((m.end() for m in _PART_END.finditer(text, start + size // 2, end)), default=end)
            end = cut
        part = text[start:end]
        if _CJK.search(part):
            yield start, dataclasses.replace(document, text=part)
        start = end


def default_min_confidence() -> float:
    """The threshold cross-validation chose, stored with the fact model (0.5 without one)."""
    path = package_file("data", MODEL_NAME)
    if not path.is_file():
        return 0.5
    return float(load_model(str(path)).get("min_confidence", 0.5))


def default_fact_thresholds() -> dict[str, float]:
    """The per-predicate thresholds cross-validation chose, stored with the fact model."""
    path = package_file("data", MODEL_NAME)
    if not path.is_file():
        return {}
    return dict(load_model(str(path)).get("predicate_min_confidence", {}))


class Pipeline:
    """Run named components over a document; unknown names fail at construction.

    ``replace`` swaps a named component for another callable (a model trained on a
    cross-validation fold, say) without changing the order; ``fast`` runs ``ner_fast``
    in place of ``ner``. ``min_confidence``: one threshold for every mention and fact; without
    it, the defaults cross-validation chose (one for mentions, one per fact predicate), or
    ``fact_thresholds`` for the facts of the predicates it names."""

    def __init__(self, components: Sequence[str] = DEFAULT_COMPONENTS,
                 replace: Mapping[str, Component] | None = None,
                 min_confidence: float | None = None, fast: bool = False,
                 fact_thresholds: Mapping[str, float] | None = None) -> None:
        self.replace = dict(replace or {})
        if fast:  # the entity model without LAC's tags (see extract/ner.py)
            components = tuple("ner_fast" if c == "ner" else c for c in components)
        if fact_thresholds is None:
            fact_thresholds = default_fact_thresholds() if min_confidence is None else {}
        self.fact_thresholds = dict(fact_thresholds)
        self.min_confidence = default_min_confidence() if min_confidence is None else min_confidence
        missing = [c for c in components if c not in REGISTRY and c not in self.replace]
        if missing:
            raise ValueError(f"unknown pipeline components: {', '.join(missing)}")
        self.components = tuple(components)

    def component(self, name: str) -> Component:
        return self.replace.get(name) or REGISTRY[name]

    def make_doc(self, document: Document) -> Doc:
        text, offsets = normalize(document.text)
        doc = Doc(document=document, text=text, offsets=offsets, min_confidence=self.min_confidence,
                  fact_thresholds=dict(self.fact_thresholds))
        doc.published = parse_published(document.published)
        doc.region = resolve.region_entity(doc)
        doc.issuers = resolve.issuer_entities(doc)
        doc.issuer = doc.issuers[0] if len(doc.issuers) == 1 else None
        return segment(doc)

    def run_parts(self, document: Document) -> Iterator[tuple[int, Doc]]:
        """Extract ``document`` part by part (see :func:`document_parts`): each part's Doc
        with the offset of its text in the document's."""
        for base, part in document_parts(document, PART_CHARS):
            yield base, self.run(part)

    def run(self, document: Document, until: str | None = None) -> Doc:
        """Extract ``document``; with ``until``, stop before that component (training reads
        the state a model sees)."""
        doc = self.make_doc(document)
        for name in self.components:
            if name == until:
                break
            self.component(name)(doc)
        return doc
