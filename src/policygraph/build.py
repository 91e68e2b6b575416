"""The main job: a folder of documents to a validated graph on disk.

>>> from policygraph.build import build
>>> from policygraph.namespaces import package_file
>>> result = build([package_file("sample")])
>>> result.documents, result.problems
(1, [])
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from .errors import PolicyGraphError, Problem
from .extract import Pipeline
from .graph import add_document, new_dataset
from .ingest import read_corpus
from .namespaces import ENTITY_TYPES, PG, PREDICATES


@dataclass
class BuildResult:
    dataset: Dataset
    documents: int
    problems: list[Problem] = field(default_factory=list)
    characters: int = 0
    seconds: float = 0.0
    entities: Counter = field(default_factory=Counter)
    facts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        lines = [f"documents: {self.documents} built, {len(self.problems)} skipped "
                 f"({self.characters:,} characters in {self.seconds:.2f} s)"]
        lines.append("entities:  " + ", ".join(f"{t} {self.entities[t]}" for t in ENTITY_TYPES))
        lines.append("facts:     " + ", ".join(f"{p} {self.facts[p]}" for p in PREDICATES))
        return "\n".join(lines)


def count(ds: Dataset) -> tuple[Counter, Counter]:
    from rdflib.namespace import RDF

    ents: Counter = Counter()
    for t in ENTITY_TYPES:
        ents[t] = len(set(ds.subjects(RDF.type, PG[t])))
    facts: Counter = Counter()
    for p in PREDICATES:
        facts[p] = len(set(ds.subject_objects(PG[p])))
    return ents, facts


def build(inputs: Iterable[str | Path], strict: bool = False, pipeline: Pipeline | None = None,
          on_problem=None, follow_links: bool = False) -> BuildResult:
    """Read, extract and graph every document under ``inputs``."""
    t0 = time.perf_counter()
    corpus = read_corpus(inputs, follow_links=follow_links)
    for p in corpus.problems:
        if on_problem is not None:
            on_problem(p)
    if strict and corpus.problems:
        raise PolicyGraphError(f"{corpus.problems[0]} (--strict: stopping)")
    pipeline = pipeline or Pipeline()
    ds = new_dataset()
    chars = 0
    for document in corpus.documents:
        add_document(ds, pipeline, document)
        chars += len(document.text)
    ents, facts = count(ds)
    return BuildResult(ds, len(corpus.documents), corpus.problems, chars,
                       time.perf_counter() - t0, ents, facts)

