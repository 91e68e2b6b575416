"""The main job: a folder of documents to a validated graph on disk.

Each document's graph (:class:`~.workers.DocumentGraph`) is taken as it comes: parsed
into one in-memory Dataset (``build()``, for the Python API), or appended to a
:class:`~.rdfio.GraphSpool` on disk (``build(spool=…)``, what ``policygraph build``
does), so that a corpus build holds only the projection its view and counts need.

>>> from policygraph.build import build
>>> from policygraph.namespaces import package_file
>>> result = build([package_file("sample")])
>>> result.documents, result.problems  # the sample page: five articles
(5, [])
"""

from __future__ import annotations

import resource
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from .analyze.projection import counts, from_json, merge
from .errors import PolicyGraphError, Problem
from .extract import Pipeline
from .graph import new_dataset
from .ingest import read_corpus
from .namespaces import ENTITY_TYPES, PREDICATES
from .rdfio import GraphSpool
from .workers import BuildCache, Reuse, Settings, cached_extract, graph_of


@dataclass
class BuildResult:
    #: the whole graph, or None when it went to a spool
    dataset: Dataset | None
    documents: int
    problems: list[Problem] = field(default_factory=list)
    characters: int = 0
    seconds: float = 0.0
    entities: Counter = field(default_factory=Counter)
    facts: Counter = field(default_factory=Counter)
    reuse: Reuse | None = None
    peak_mb: float = 0.0
    #: the actors and facts, as :func:`~.analyze.projection.to_networkx` gives them
    projection: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    #: SHACL violations of the documents' graphs (validated where they were extracted)
    violations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        rate = self.characters / self.seconds if self.seconds else 0.0
        lines = [f"documents: {self.documents} built, {len(self.problems)} skipped "
                 f"({self.characters:,} characters in {self.seconds:.2f} s, {rate:,.0f} chars/s; "
                 f"peak memory {self.peak_mb:,.0f} MB)"]
        if self.reuse is not None:
            lines.append(str(self.reuse))
        lines.append("entities:  " + ", ".join(f"{t} {self.entities[t]}" for t in ENTITY_TYPES))
        lines.append("facts:     " + ", ".join(f"{p} {self.facts[p]}" for p in PREDICATES))
        return "\n".join(lines)


def peak_memory_mb() -> float:
    """The largest resident size of this process or of any worker it waited for, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / (1 << 20 if sys.platform == "darwin" else 1 << 10)


class Progress:
    """A line on stderr every ``every`` seconds (rewritten in place on a terminal)."""

    def __init__(self, total: int, every: float = 5.0, stream=None) -> None:
        self.total, self.every, self.stream = total, every, stream or sys.stderr
        self.t0 = self.last = time.perf_counter()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0

    def step(self) -> None:
        self.done += 1
        now = time.perf_counter()
        if now - self.last >= (0.5 if self.tty else self.every) or (self.tty and self.done == self.total):
            self.last = now
            rate = self.done / (now - self.t0)
            line = f"extracted {self.done}/{self.total} documents ({rate:.1f}/s)"
            self.stream.write(f"\r{line}" if self.tty else line + "\n")
            if self.tty and self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def build(inputs: Iterable[str | Path], strict: bool = False, pipeline: Pipeline | None = None,
          on_problem=None, follow_links: bool = False, settings: Settings | None = None,
          jobs: int = 1, client=None, cache: BuildCache | None = None, name: str = "",
          progress: bool = False, split_articles: bool | None = None,
          spool: GraphSpool | None = None, project: bool = True) -> BuildResult:
    """Read, extract and graph every document under ``inputs``.

    With ``pipeline``, that pipeline runs in this process. Otherwise ``settings`` say how
    documents are extracted, by ``jobs`` worker processes or the Dask ``client``'s workers,
    reusing what ``cache`` holds from earlier builds (``name``: the output it is for).
    The graph is the same whichever way: in the result's ``dataset``, or, with ``spool``,
    written to it document by document (the result's ``dataset`` is then None).
    ``split_articles``: True reads every file as a page of articles, False none, None
    (default) the files the manifest marks ``kind=page``. ``project=False``: the result's
    ``projection`` holds only what the counts need (no view is drawn from it)."""
    t0 = time.perf_counter()
    corpus = read_corpus(inputs, follow_links=follow_links, split_articles=split_articles)
    for p in corpus.problems:
        if on_problem is not None:
            on_problem(p)
    if strict and corpus.problems:
        raise PolicyGraphError(f"{corpus.problems[0]} (--strict: stopping)")
    ds = new_dataset() if spool is None else None
    projection = nx.MultiDiGraph(documents={})
    found: list[str] = []
    chars = sum(len(d.text) for d in corpus.documents)
    shown = Progress(len(corpus.documents)) if progress else None
    reuse = None
    if pipeline is not None:
        graphs = (graph_of(document, pipeline) for document in corpus.documents)
    else:
        graphs, reuse = cached_extract(corpus.documents, settings or Settings(), cache, name, jobs, client)
    for data in graphs:
        if ds is not None:
            ds.parse(data=data.nquads.decode("utf-8"), format="nquads")
        elif data.nquads:
            spool.add(data.name, data.nquads, data.trig)
        merge(projection, from_json(data.projection), attributes=project)
        found += data.violations
        if shown:
            shown.step()
    ents, facts = counts(projection)
    return BuildResult(ds, len(corpus.documents), corpus.problems, chars, time.perf_counter() - t0,
                       Counter(ents), Counter(facts), reuse, peak_memory_mb(), projection, found)
