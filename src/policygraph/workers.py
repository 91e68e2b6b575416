"""Extracting many documents at once: worker processes, a Dask cluster, a build cache.

The unit of work is one document in, a :class:`DocumentGraph` out: its named graph
as canonical N-Quads and as its TriG block (sorted, so the bytes depend on the
document alone), its projection for the view, and its SHACL violations. That is
what a worker process or a Dask worker sends back, what the cache keeps, and what
the build writes out as it comes, whatever order the work finished in: the same
inputs give the same graph with ``--jobs 1``, ``--jobs 8`` or a cluster, and the
build never holds the corpus graph.

>>> from policygraph.ingest import Document
>>> settings = Settings()
>>> result = document_graph(Document("a.txt", "总投资10亿元的明华光电显示项目签约落户南湖区。"), settings)
>>> b"investmentCNY" in result.nquads, result.violations
(True, ())
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .extract import Pipeline
from .extract import pipeline as extraction
from .extract.doc import Doc
from .graph import add_parts, document_iri, new_dataset
from .ingest import Document
from .namespaces import package_file
from .rdfio import atomic_write, graph_block

#: Documents sent to a Dask worker in one task: enough that task overhead stays small.
DASK_BATCH = 25
#: A worker process takes seconds to load lexicons and models; below this many characters
#: of text per worker, starting one costs more than it saves.
CHARS_PER_JOB = 100_000


@dataclass(frozen=True)
class Settings:
    """What the extraction depends on besides the document (a cache key part)."""

    min_confidence: float | None = None
    fast: bool = False
    #: validate each document's graph against the SHACL shapes where it is extracted
    validate: bool = True

    def pipeline(self) -> Pipeline:
        return _pipeline(self)


@functools.cache
def _pipeline(settings: Settings) -> Pipeline:
    # one per process: lexicons and models load once per worker, not once per document
    return Pipeline(min_confidence=settings.min_confidence, fast=settings.fast)


@dataclass(frozen=True)
class DocumentGraph:
    """One document's graph as a build needs it: the graph's IRI, its canonical N-Quads and
    TriG block (empty when the document gave no statement), its projection
    (:func:`~.analyze.projection.to_json`) and its SHACL violations."""

    name: str
    nquads: bytes
    trig: bytes
    projection: bytes
    violations: tuple[str, ...] = ()

    _MAGIC = b"policygraph-document-graph 1\n"

    def to_bytes(self) -> bytes:
        """One self-describing blob (the build cache's entry)."""
        parts = [self.name.encode("utf-8"), self.nquads, self.trig, self.projection,
                 json.dumps(list(self.violations), ensure_ascii=False).encode("utf-8")]
        return self._MAGIC + b"".join(b"%d\n" % len(x) + x for x in parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> DocumentGraph:
        if not data.startswith(cls._MAGIC):
            raise ValueError("not a document graph")
        parts, at = [], len(cls._MAGIC)
        for _ in range(5):
            end = data.index(b"\n", at)
            n = int(data[at:end])
            parts.append(data[end + 1:end + 1 + n])
            at = end + 1 + n
        if at != len(data):
            raise ValueError("trailing bytes")
        name, nquads, trig, projection, violations = parts
        return cls(name.decode("utf-8"), nquads, trig, projection, tuple(json.loads(violations)))


def document_graph(document: Document, settings: Settings) -> DocumentGraph:
    """Extract ``document``, validate its graph (when ``settings`` say so) and return it."""
    return graph_of(document, settings.pipeline(), settings.validate)


def graph_of(document: Document, pipeline: Pipeline, validate: bool = False) -> DocumentGraph:
    """``document`` extracted by ``pipeline`` as a :class:`DocumentGraph`."""
    return _graph_from_parts(document, pipeline.run_parts(document), validate)


def _graph_from_parts(document: Document, parts: Iterable[tuple[int, Doc]], validate: bool) -> DocumentGraph:
    from .analyze.projection import to_json, to_networkx
    from .validate import violations

    ds = new_dataset()
    add_parts(ds, document, parts)
    g = ds.graph(document_iri(document.identifier))
    found = tuple(violations(g)) if validate else ()
    return DocumentGraph(str(g.identifier), graph_block(g, "nquads") if len(g) else b"",
                         graph_block(g, "trig") if len(g) else b"", to_json(to_networkx(ds)), found)


def extract_batch(documents: Sequence[Document], settings: Settings) -> list[DocumentGraph]:
    """:func:`document_graph` over a batch (one Dask task)."""
    return [document_graph(d, settings) for d in documents]


def _pool_job(job: tuple[Document, Settings, bool]) -> DocumentGraph | Doc:
    """A worker's task: a whole document's graph, or (``part``) one part of a huge document,
    extracted, for the parent to join into the document's graph."""
    document, settings, part = job
    return settings.pipeline().run(document) if part else document_graph(document, settings)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def extract_all(documents: Sequence[Document], settings: Settings, jobs: int = 1,
                client=None) -> Iterator[DocumentGraph]:
    """The graph of each document, in the order given. ``jobs`` > 1: that many worker
    processes; ``client``: a ``dask.distributed.Client`` (its workers need only policygraph
    installed)."""
    if client is not None:
        batches = [list(documents[i:i + DASK_BATCH]) for i in range(0, len(documents), DASK_BATCH)]
        futures = client.map(extract_batch, batches, settings=settings, pure=False)
        for future in futures:  # in order: the graph does not depend on who finished first
            yield from future.result()
        return
    # A huge document (one 50 MB line) is extracted in parts (Pipeline.run_parts); with workers,
    # its parts go to them one by one like documents, so that it does not hold one core alone.
    plan = _plan(documents) if jobs > 1 else []
    tasks = [job for d, parts in plan for job in (
        [(d, settings, False)] if parts is None else [(p, settings, True) for _, p in parts])]
    jobs = min(jobs, len(tasks), max(1, sum(len(d.text) for d in documents) // CHARS_PER_JOB))
    if jobs <= 1:
        for d in documents:
            yield document_graph(d, settings)
        return
    ctx = multiprocessing.get_context("spawn")  # no inherited state: the same on every platform
    with ctx.Pool(jobs) as pool:
        chunk = max(1, min(16, len(tasks) // (jobs * 8)))
        results = pool.imap(_pool_job, tasks, chunksize=chunk)  # in order, whoever finished first
        for d, parts in plan:
            if parts is None:
                yield next(results)
            else:
                # taken as they come: the parent holds one part's Doc at a time, not all of them
                extracted = ((base, next(results)) for base, _ in parts)
                yield _graph_from_parts(d, extracted, settings.validate)


def _plan(documents: Sequence[Document]) -> list[tuple[Document, list[tuple[int, Document]] | None]]:
    """Each document with its parts when it is huge (None when it goes whole)."""
    size = extraction.PART_CHARS
    return [(d, list(extraction.document_parts(d, size)) if len(d.text) > size else None) for d in documents]


@functools.cache
def extractor_version() -> str:
    """A digest of everything extraction depends on besides the document: the package version,
    its source code and its data (lexicons, models). A retrain or an edit invalidates the cache."""
    h = hashlib.sha256(__version__.encode())
    root = package_file()
    for path in sorted([*root.rglob("*.py"), *(root / "data").iterdir()]):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


class BuildCache:
    """Per-document results of earlier builds, keyed by the document (text and metadata),
    the extraction settings and :func:`extractor_version`. Entries are written atomically;
    entries no recorded build uses any more are removed."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def key(self, document: Document, settings: Settings) -> str:
        record = {"document": dataclasses.asdict(document), "settings": dataclasses.asdict(settings),
                  "extractor": extractor_version()}
        return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pgdoc"

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def get(self, key: str) -> DocumentGraph | None:
        """The entry, or None when it is missing or damaged (then it is extracted again)."""
        try:
            return DocumentGraph.from_bytes(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None

    def put(self, key: str, data: DocumentGraph) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data.to_bytes())

    def _builds(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads((self.folder / "builds.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def previous(self, name: str) -> dict[str, str]:
        """Document identifier → cache key, as the last build called ``name`` left them."""
        return self._builds().get(name, {})

    def record(self, name: str, keys: dict[str, str]) -> None:
        """Remember the build ``name`` and drop entries no recorded build refers to."""
        builds = self._builds()
        builds[name] = keys
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(self.folder / "builds.json",
                     json.dumps(builds, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8"))
        used = {k for b in builds.values() for k in b.values()}
        for path in self.folder.glob("*/*.pgdoc"):
            if path.stem not in used:
                path.unlink(missing_ok=True)


@dataclass
class Reuse:
    """What a cached build did: documents reused from the cache, rebuilt, and gone since."""

    reused: int = 0
    rebuilt: int = 0
    removed: int = 0

    def __str__(self) -> str:
        return f"cache: {self.reused} reused, {self.rebuilt} rebuilt, {self.removed} removed"


def cached_extract(documents: Sequence[Document], settings: Settings, cache: BuildCache | None,
                   name: str, jobs: int = 1, client=None) -> tuple[Iterable[DocumentGraph], Reuse]:
    """Like :func:`extract_all`, reusing what ``cache`` holds (``name``: the build's output,
    to count the documents removed since its last build)."""
    if cache is None:
        return extract_all(documents, settings, jobs, client), Reuse(rebuilt=len(documents))
    keys = [cache.key(d, settings) for d in documents]
    cached = [cache.has(k) for k in keys]
    todo = [d for d, hit in zip(documents, cached, strict=True) if not hit]
    current = {d.identifier: k for d, k in zip(documents, keys, strict=True)}
    reuse = Reuse(len(documents) - len(todo), len(todo), len(set(cache.previous(name)) - set(current)))

    def stream() -> Iterator[DocumentGraph]:
        fresh = extract_all(todo, settings, jobs, client)
        for document, key, hit in zip(documents, keys, cached, strict=True):
            data = cache.get(key) if hit else next(fresh)
            if data is None:  # the entry went away or was damaged since has() saw it
                data = document_graph(document, settings)
                hit = False
            if not hit:
                cache.put(key, data)
            yield data
        cache.record(name, current)

    return stream(), reuse


class DaskCluster:
    """A Dask scheduler and ``workers`` worker processes of one thread on 127.0.0.1, started
    with Dask's own ``dask scheduler`` / ``dask worker`` commands (tests, benchmarks), like
    :class:`~.store.virtuoso.VirtuosoServer` for Virtuoso."""

    def __init__(self, workers: int = 2, log_dir: str | Path | None = None) -> None:
        from .store.virtuoso import free_port

        self.workers, self.log_dir = workers, Path(log_dir) if log_dir else None
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []

    def _start(self, name: str, *args: str) -> None:
        dask = Path(sys.executable).parent / "dask"
        log = open(self.log_dir / f"{name}.log", "w") if self.log_dir else subprocess.DEVNULL  # noqa: SIM115
        self.processes.append(subprocess.Popen([str(dask) if dask.exists() else "dask", *args],
                                               stdout=subprocess.DEVNULL, stderr=log))

    def start(self, timeout: float = 120) -> DaskCluster:
        from distributed import Client

        self._start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard")
        for i in range(self.workers):
            self._start(f"worker{i}", "worker", self.address, "--nthreads", "1", "--nworkers", "1",
                        "--no-dashboard", "--host", "127.0.0.1")
        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(self.workers, timeout=timeout)
        return self

    def stop(self) -> None:
        for p in reversed(self.processes):
            p.terminate()
        for p in self.processes:
            p.wait(30)
