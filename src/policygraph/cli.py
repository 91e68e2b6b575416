"""The ``policygraph`` command: a thin layer over the library.

Errors a user can fix are reported as one line naming the file and the
problem (exit 2); SHACL violations exit 1.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import time
from pathlib import Path

from .errors import PolicyGraphError

SAMPLE_NAME = "sample"
#: Where `load`, `build --store` and `query` keep the graph unless told otherwise.
DEFAULT_STORE = "oxigraph:policygraph-store"
TRAIN_ITERATIONS = 100  # training.run.Settings, likewise
TRAIN_CLUENER = 1500  # news sentences: CLUENER dev +0.31 company F1 for -0.015 in cross-validation (models.md)


def _sync_store(spec: str, spool) -> str:
    """Make the store mirror the build in ``spool``: its documents replaced, documents no
    longer built removed, in one change."""
    from rdflib import URIRef

    from .store import open_store

    built = {URIRef(n) for n in spool.names()}
    with open_store(spec) as store:
        gone = [g for g in store.graph_names() if g not in built]
        store.sync_file(spool.nquads_file(), removed=gone, names=sorted(built))
        return f"store: {spec} ({len(built)} documents loaded, {len(gone)} removed, {len(store):,} quads)"


def _dask_client(address: str):
    """A client of the Dask cluster at ``address`` (tcp://HOST:8786)."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise PolicyGraphError("--scheduler needs Dask: pip install 'policygraph[dask]'") from exc
    try:
        return Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise PolicyGraphError(f"--scheduler {address}: no Dask scheduler answers there ({exc})") from exc


def _cmd_build(a: argparse.Namespace) -> int:
    from .build import build
    from .namespaces import package_file
    from .rdfio import GraphSpool, atomic_write_all, format_for
    from .render import page
    from .validate import Report
    from .workers import BuildCache, Settings, default_jobs

    inputs = a.inputs or [package_file("sample")]
    output = Path(a.output or Path("graphs") / f"{SAMPLE_NAME}.trig")
    fmt = format_for(output)

    if a.min_confidence is not None and not 0.0 <= a.min_confidence <= 1.0:
        raise PolicyGraphError(f"--min-confidence {a.min_confidence}: give a probability from 0 to 1")
    if a.jobs is not None and a.jobs < 1:
        raise PolicyGraphError(f"--jobs {a.jobs}: give at least 1")
    cache = None if a.no_cache else BuildCache(output.resolve().parent / ".policygraph-cache")
    client = _dask_client(a.scheduler) if a.scheduler else None
    output.parent.mkdir(parents=True, exist_ok=True)
    # each document's graph goes to disk as it comes; memory keeps the projection
    with GraphSpool(output.resolve().parent) as spool:
        try:
            result = build(inputs, strict=a.strict, settings=Settings(a.min_confidence, a.fast, not a.no_validate),
                           jobs=a.jobs or default_jobs(), client=client, cache=cache, name=str(output.resolve()),
                           follow_links=a.follow_links, progress=True, split_articles=a.split_articles or None,
                           on_problem=lambda p: print(f"skipped: {p}", file=sys.stderr), spool=spool,
                           project=not a.no_view)
        finally:
            if client is not None:
                client.close()
        if result.documents == 0:
            raise PolicyGraphError(
                f"{', '.join(map(str, inputs))}: no readable documents found; nothing written")
        print(result.summary())
        if not a.no_validate:
            report = Report.of(result.violations)
            print(f"validation: {report.text().splitlines()[0]} (each document's graph, where it was extracted)")
            if not report.conforms:
                print(report.text(), file=sys.stderr)
                print(f"{output}: not written, the graph does not conform (use --no-validate to write anyway)",
                      file=sys.stderr)
                return 1
        # the graph and its view are written together: a kill while either is made or written
        # leaves the old pair, never a new graph beside an old view
        files = [(output, lambda fh: spool.write(fh, fmt))]
        view = output.with_suffix(".html")
        if not a.no_view:
            files.append((view, page(result.projection, f"policygraph — {output.stem}").encode("utf-8")))
        atomic_write_all(files)
        print(f"graph: {output}")
        if not a.no_view:
            print(f"view:  {view}")
        if a.store:
            print(_sync_store(a.store, spool))
    return 0


def _cmd_load(a: argparse.Namespace) -> int:
    from .rdfio import read_dataset
    from .store import OxigraphStore, open_store

    if not Path(a.graph).is_file():
        raise PolicyGraphError(f"{a.graph}: no such graph file")
    with open_store(a.store) as store:
        if Path(a.graph).suffix == ".nq" and isinstance(store, OxigraphStore):
            n = store.sync_file(a.graph)  # bulk-loaded from the file, never parsed whole
        else:
            n = store.load(read_dataset(a.graph))
        print(f"loaded {n} documents from {a.graph} into {a.store} ({len(store):,} quads)")
    return 0


def _cmd_query(a: argparse.Namespace) -> int:
    from .queries import bindings, canned, resolve, run
    from .results import format_result

    if a.list or not a.query:
        for q in canned():
            params = ", ".join([*q.parameters, *(f"{k} (default {v})" for k, v in q.defaults.items())]) or "none"
            print(f"{q.name:24} {q.question}\n{'':24} parameters: {params}; e.g. {q.example}")
        return 0
    query = resolve(a.query)
    binds = bindings(a.param or [], query.parameters, query.defaults)
    from .store import open_for_query

    if a.format == "graph" and query.runner != "hops":
        raise PolicyGraphError("--format graph writes the subgraph of `neighbourhood`; "
                               "other queries: CONSTRUCT gives a graph")
    with open_for_query(a.graph, a.store, a.engine) as store:
        if a.format == "graph":
            from .queries import neighbourhood_graph
            from .store import Result

            sub = neighbourhood_graph(store, query, binds)
            if a.output and a.output.endswith((".html", ".htm")):  # the subgraph as a view
                from .render import render

                print(f"view: {render(sub, a.output, title=str(binds['name']), max_visible=0)}")
                return 0
            out = format_result(Result("graph", graph=sub), "turtle")
        else:
            out = format_result(run(store, query, binds), a.format)
    if a.output:
        from .rdfio import atomic_write

        atomic_write(a.output, out.encode("utf-8"))
    else:
        sys.stdout.write(out)
    return 0


def _cmd_serve(a: argparse.Namespace) -> int:
    from .serve import serve
    from .store import open_for_query

    if a.host not in ("127.0.0.1", "localhost", "::1") and not a.allow_remote:
        raise PolicyGraphError(f"--host {a.host}: the endpoint would be reachable from other machines; "
                               "add --allow-remote if that is meant")
    if a.cors is not None and not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:\d+)?", a.cors):
        raise PolicyGraphError(f"--cors {a.cors}: give one origin, such as https://example.org")
    if a.workers < 1:
        raise PolicyGraphError("--workers must be at least 1")
    # each worker process opens the store itself (read-only: a load may run beside the endpoint)
    opener = functools.partial(open_for_query, a.graph, a.store, a.engine, read_only=True)
    serve(opener, host=a.host, port=a.port, timeout=a.timeout, limit=a.limit, workers=a.workers,
          cors=a.cors)
    return 0


def _cmd_profile(a: argparse.Namespace) -> int:
    from rdflib import Literal

    from .analyze.profile import actor_profile
    from .queries import neighbourhood_graph, resolve
    from .store import open_for_query

    if not 1 <= a.hops <= 4:
        raise PolicyGraphError("--hops must be a whole number from 1 to 4")
    with open_for_query(a.graph, a.store, read_only=True) as store:
        profile = actor_profile(store, a.name)
        binds = {"name": Literal(a.name), "hops": Literal(a.hops)}
        sub = neighbourhood_graph(store, resolve("neighbourhood"), binds) if a.output else None
    print(profile.text())
    if a.output:
        from .rdfio import atomic_write
        from .render import profile_page

        atomic_write(a.output, profile_page(profile, sub).encode("utf-8"))
        print(f"profile: {a.output}")
    return 0


def _open_side(spec: str):
    """A graph file, or a store spelled as --store spells it (oxigraph:DIR, sparql:URL)."""
    from .store import STORES, open_for_query

    if spec.partition(":")[0] in STORES and not Path(spec).is_file():
        return open_for_query(store=spec, read_only=True)
    return open_for_query(graph=spec)


def _cmd_diff(a: argparse.Namespace) -> int:
    import csv
    import io
    import json

    from .analyze.diff import corpus_diff

    with _open_side(a.old) as old, _open_side(a.new) as new:
        diff = corpus_diff(old, new)
    if a.format == "json":
        out = json.dumps({"summary": diff.summary(), "changes": diff.rows()}, ensure_ascii=False, indent=1) + "\n"
    elif a.format == "csv":
        buf = io.StringIO()
        fields = ["kind", "change", "document", "type", "label", "subject", "predicate", "object", "sentence"]
        w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(diff.rows())
        out = buf.getvalue()
    else:
        out = diff.text() + "\n"
    if a.output:
        from .rdfio import atomic_write

        atomic_write(a.output, out.encode("utf-8"))
        print(diff.summary())
    else:
        sys.stdout.write(out)
    return 0


def _cmd_validate(a: argparse.Namespace) -> int:
    from .rdfio import read_dataset
    from .validate import validate

    report = validate(read_dataset(a.graph))
    print(f"{a.graph}: {report.text()}")
    return 0 if report.conforms else 1


def _cmd_render(a: argparse.Namespace) -> int:
    from .rdfio import read_dataset
    from .render import render

    query = None
    if a.query:
        try:
            query = Path(a.query).read_text("utf-8")
        except OSError as exc:
            raise PolicyGraphError(f"{a.query}: cannot read query: {exc.strerror or exc}") from exc
    types = [t.strip() for t in a.type.split(",") if t.strip()] if a.type else None
    out = render(read_dataset(a.graph), a.output, title=a.title or Path(a.graph).stem, focus=a.focus,
                 depth=a.depth, types=types, min_degree=a.min_degree, query=query, size_by=a.size,
                 max_visible=a.max_visible, renderer=a.renderer)
    print(f"view: {out}")
    return 0


def _cmd_stats(a: argparse.Namespace) -> int:
    from .analyze import graph_stats
    from .rdfio import read_dataset

    print(graph_stats(read_dataset(a.graph), top=a.top).text())
    return 0


def _cmd_export(a: argparse.Namespace) -> int:
    from .analyze import export, to_networkx
    from .rdfio import read_dataset

    out = export(to_networkx(read_dataset(a.graph)), a.output)
    print(f"exported: {out}")
    return 0


def _cmd_eval(a: argparse.Namespace) -> int:
    if a.cv:
        from .training.run import FACT_GRID, Settings, TrainingData, cross_validate

        shared = _shared(a.shared)
        data = TrainingData.from_shared(shared, cluener_limit=a.cluener)
        scored = data.evaluated
        if a.gold is not None:
            from .training.gold import load_gold

            scored = load_gold(a.gold)
            names = {d.name for d in scored}
            data.documents = [d for d in data.documents if d.name not in names] + scored
        result = cross_validate(data, a.cv, Settings(iterations=a.iterations), evaluate_on=scored,
                                log=lambda m: print(m, file=sys.stderr), fast=a.fast, fact_grid=FACT_GRID)
        print(result.table())
        return 0
    if not a.graphs or a.gold is None:
        raise PolicyGraphError("eval: give GRAPH... --gold FILE, or --cv K")
    from .evaluate import evaluate_files

    print(evaluate_files(a.graphs, a.gold, show=a.show))
    return 0


def _shared(given: str | None) -> Path:
    """The shared folder of annotated data: --shared, or ../shared beside the current folder."""
    path = Path(given) if given else Path.cwd().parent / "shared"
    if not (path / "gold" / "train" / "gold.jsonl").is_file():
        raise PolicyGraphError(f"{path}: no gold/train/gold.jsonl here (give --shared DIR)")
    return path


def _cmd_train(a: argparse.Namespace) -> int:
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise PolicyGraphError("train needs the training extra: pip install -e '.[train]'") from exc
    from .namespaces import package_file
    from .training.run import Settings, TrainingData, set_min_confidence, train_models

    data = TrainingData.from_shared(_shared(a.shared), cluener_limit=a.cluener, limit=a.limit)
    out = Path(a.output) if a.output else package_file("data")
    t = time.perf_counter()
    _, facts = train_models(data.documents, out, data.cluener, data.cluener_limit,
                            Settings(iterations=a.iterations, seed=a.seed), log=print)
    threshold = a.min_confidence
    if a.cv:  # the mention threshold CV picks (or the one given), and each predicate's at it
        from .training.run import FACT_GRID, THRESHOLDS, cross_validate, set_predicate_thresholds

        result = cross_validate(data, a.cv, Settings(iterations=a.iterations, seed=a.seed),
                                thresholds=THRESHOLDS if threshold is None else (threshold,),
                                evaluate_on=data.evaluated, log=print, fact_grid=FACT_GRID)
        threshold = result.best()
        print(result.table())
        chosen = result.default_predicate_thresholds()
        set_predicate_thresholds(facts, chosen)
        print("default thresholds per predicate: "
              + (", ".join(f"{p} {t:.2f}" for p, t in chosen.items()) or f"none (all at {threshold:.2f})"))
    if threshold is not None:
        set_min_confidence(facts, threshold)
        print(f"default --min-confidence: {threshold:.2f}")
    print(f"trained on {len(data.documents)} documents in {time.perf_counter() - t:.0f} s: {out}")
    return 0


def _cmd_eval_cluener(a: argparse.Namespace) -> int:
    from .training.cluener import evaluate_cluener

    print(evaluate_cluener(Path(_shared(a.shared)) / "data" / "cluener2020" / "dev.json", a.limit,
                           a.keep, fast=a.fast))
    return 0


#: One or two commands per subcommand, shown under its --help (they run from the repository root).
EXAMPLES = {
    "build": "policygraph build ../shared/corpus/gov-work-reports -o out/reports.trig\n"
             "policygraph build papers/ -o out/papers.trig --split-articles --store oxigraph:out/store",
    "load": "policygraph load out/reports.trig --store oxigraph:out/store",
    "query": "policygraph query --list\n"
             "policygraph query company_projects --param company=盈峰 --graph graphs/sample.trig --format csv",
    "serve": "policygraph serve --store oxigraph:out/store --port 7878   # then http://127.0.0.1:7878/",
    "validate": "policygraph validate graphs/sample.trig",
    "render": "policygraph render graphs/sample.trig -o out/view.html --focus 上虞区 --depth 2",
    "stats": "policygraph stats graphs/sample.trig --top 5",
    "profile": "policygraph profile 卧龙 graphs/sample.trig -o out/卧龙.html",
    "diff": "policygraph diff out/old.trig out/reports.trig --format csv -o out/changes.csv",
    "export": "policygraph export graphs/sample.trig -o out/sample.gexf",
    "eval": "policygraph eval graphs/sample.trig --gold ../shared/gold/seed.jsonl\n"
            "policygraph eval --cv 5",
    "train": "policygraph train --cv 5            # retrain the shipped models\n"
             "policygraph train -o out/models --limit 5 --iterations 5",
    "eval-cluener": "policygraph eval-cluener --limit 500",
}


def _with_examples(sub: argparse._SubParsersAction) -> None:
    for name, p in sub.choices.items():
        p.formatter_class = argparse.RawDescriptionHelpFormatter
        p.epilog = "example:\n  " + EXAMPLES[name].replace("\n", "\n  ")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="policygraph", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a graph from documents (default: the bundled sample)")
    b.add_argument("inputs", nargs="*", help="folders (recursive) or files: .txt .md .html .htm .shtml "
                                             ".pdf .docx")
    b.add_argument("-o", "--output", help="graph file: .trig (default), .nq, .ttl or .jsonld "
                                          "(default: graphs/sample.trig)")
    b.add_argument("--strict", action="store_true",
                   help="stop on any problem with the inputs (unreadable file or folder, bad manifest row)")
    b.add_argument("--split-articles", action="store_true",
                   help="read every file as a newspaper page: one document per article (page.txt#2); "
                        "files the manifest marks kind=page always are")
    b.add_argument("--follow-links", action="store_true",
                   help="read symbolic links that point outside the input folder")
    b.add_argument("--min-confidence", type=float, default=None, metavar="X",
                   help="leave out entities and facts the models give less than X (0-1; default: "
                        "the threshold cross-validation chose)")
    b.add_argument("--jobs", type=int, metavar="N",
                   help="worker processes for extraction (default: the machine's cores; the graph is the same)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="extract on a Dask cluster: tcp://HOST:8786 (needs the dask extra)")
    b.add_argument("--no-cache", action="store_true",
                   help="extract every document again (default: reuse unchanged documents' results "
                        "from .policygraph-cache beside the output)")
    b.add_argument("--fast", action="store_true",
                   help="the entity model without Baidu LAC's tags: about 4x faster, a little less "
                        "accurate (figures in data/models.md)")
    b.add_argument("--no-validate", action="store_true", help="write even if SHACL validation fails")
    b.add_argument("--no-view", action="store_true", help="do not write the HTML view beside the graph")
    b.add_argument("--store", help="also mirror the graph into a store: oxigraph:DIR, memory or sparql:URL "
                                   "(documents rebuilt are replaced, documents gone are removed)")
    b.set_defaults(func=_cmd_build)
    ld = sub.add_parser("load", help="load a graph file into a store (its documents replace theirs)")
    ld.add_argument("graph")
    ld.add_argument("--store", default=DEFAULT_STORE, help=f"default: {DEFAULT_STORE}")
    ld.set_defaults(func=_cmd_load)
    for name, helptext in (("query", "ask SPARQL: a string, a .rq file or a canned query name"),
                           ("serve", "a read-only SPARQL 1.1 Protocol endpoint with a query page")):
        q = sub.add_parser(name, help=helptext)
        src = q.add_mutually_exclusive_group()
        src.add_argument("--store", default=DEFAULT_STORE, help=f"default: {DEFAULT_STORE}")
        src.add_argument("--graph", help="query a graph file instead of a store (loaded in memory)")
        q.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                       help="with --graph: the in-memory engine")
        if name == "query":
            q.add_argument("query", nargs="?", help="SPARQL text, a .rq file or a canned query name")
            q.add_argument("--list", action="store_true", help="list the canned queries")
            q.add_argument("--param", action="append", metavar="NAME=VALUE",
                           help="bind ?NAME to a typed term: text, 123, <iri>")
            q.add_argument("--format", default="table",
                           choices=("table", "csv", "tsv", "json", "xml", "md", "turtle", "graph"),
                           help="graph: the subgraph `neighbourhood` reaches, as Turtle (or a view with -o X.html)")
            q.add_argument("-o", "--output", help="write the result to a file")
            q.set_defaults(func=_cmd_query)
        else:
            q.add_argument("--host", default="127.0.0.1")
            q.add_argument("--allow-remote", action="store_true",
                           help="allow a --host other than loopback (the endpoint has no authentication)")
            q.add_argument("--port", type=int, default=7878)
            q.add_argument("--timeout", type=float, default=10.0, help="seconds per query")
            q.add_argument("--limit", type=int, default=10000, help="most rows or triples returned")
            q.add_argument("--workers", type=int, default=2,
                           help="query worker processes, each with the store open (default 2)")
            q.add_argument("--cors", metavar="ORIGIN", help="let pages of this one origin query from a browser")
            q.set_defaults(func=_cmd_serve)
    v = sub.add_parser("validate", help="check a graph against the SHACL shapes")
    v.add_argument("graph")
    v.set_defaults(func=_cmd_validate)
    r = sub.add_parser("render", help="write an interactive HTML view of a graph")
    r.add_argument("graph")
    r.add_argument("-o", "--output", required=True)
    r.add_argument("--focus", help="an actor's name: show it and what lies within --depth facts")
    r.add_argument("--depth", type=int, default=1)
    r.add_argument("--type", help="only these entity types, comma-separated (Company,Project)")
    r.add_argument("--query", help="a .rq file: render a CONSTRUCT's result or a SELECT's IRIs")
    r.add_argument("--min-degree", type=int, default=0, help="hide actors with fewer facts")
    r.add_argument("--size", choices=("degree", "pagerank"), default="degree", help="node size by")
    r.add_argument("--max-visible", type=int,
                   help="open on this many of the most central actors, the others come in by double click "
                        "(default: all; 300 when vis-network draws a large graph; 0: all)")
    r.add_argument("--renderer", choices=("auto", "vis", "sigma"), default="auto",
                   help="drawing library: vis-network for small graphs, sigma.js (WebGL) above 300 actors "
                        "(default auto)")
    r.add_argument("--title")
    r.set_defaults(func=_cmd_render)
    s = sub.add_parser("stats", help="counts, top actors, components and data-quality warnings")
    s.add_argument("graph")
    s.add_argument("--top", type=int, default=10, help="how many top actors by PageRank")
    s.set_defaults(func=_cmd_stats)
    pr = sub.add_parser("profile", help="one actor: names, identifiers, every fact with its evidence, "
                                        "a timeline of its mentions, its neighbourhood (text, and a page with -o)")
    pr.add_argument("name", help="the actor's name or one of its aliases")
    pr.add_argument("graph", nargs="?", help="a graph file (or give --store)")
    pr.add_argument("--store", default=DEFAULT_STORE, help=f"without a graph file: default {DEFAULT_STORE}")
    pr.add_argument("-o", "--output", help="write the profile as one self-contained HTML page")
    pr.add_argument("--hops", type=int, default=1, help="how far the page's neighbourhood view reaches (1 to 4)")
    pr.set_defaults(func=_cmd_profile)
    df = sub.add_parser("diff", help="actors and facts added and removed between two versions of a corpus, "
                                     "per document, with evidence")
    df.add_argument("old", help="graph file or store (oxigraph:DIR, sparql:URL)")
    df.add_argument("new", help="graph file or store")
    df.add_argument("--format", choices=("text", "csv", "json"), default="text")
    df.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")
    df.set_defaults(func=_cmd_diff)
    x = sub.add_parser("export", help="export for other tools: .graphml, .gexf (Gephi) or .csv edge list")
    x.add_argument("graph")
    x.add_argument("-o", "--output", required=True)
    x.set_defaults(func=_cmd_export)
    e = sub.add_parser("eval", help="score graphs against gold annotations (GUIDELINES.md), "
                                    "or cross-validate the models (--cv K)")
    e.add_argument("graphs", nargs="*")
    e.add_argument("--gold", help="gold records (.jsonl); with --cv: score only these documents")
    e.add_argument("--show", type=int, default=20, help="how many missed/spurious items to list")
    e.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation (folds by document) "
                                                      "over ../shared/gold/train")
    e.add_argument("--fast", action="store_true", help="with --cv: the entity model without LAC's tags")
    _training_args(e)
    e.set_defaults(func=_cmd_eval)
    t = sub.add_parser("train", help="train the entity and fact models from ../shared (needs '.[train]')")
    t.add_argument("-o", "--output", help="folder for the models (default: the package's data/)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--limit", type=int, help="train on the first N annotated documents only (a quick check)")
    t.add_argument("--min-confidence", type=float, help="store this default threshold with the models")
    t.add_argument("--cv", type=int, metavar="K",
                   help="cross-validate too and store the thresholds that maximise F1 as the defaults "
                        "(one for mentions; one per fact predicate when, chosen on the other folds, "
                        "they beat one for all; with --min-confidence, the predicates' at that "
                        "mention threshold)")
    _training_args(t)
    t.set_defaults(func=_cmd_train)
    c = sub.add_parser("eval-cluener", help="score CLUENER2020 dev through the build path "
                                            "(one document per sentence; company and government)")
    c.add_argument("--shared", help="the shared folder (default: ../shared)")
    c.add_argument("--limit", type=int, help="only the first N dev sentences")
    c.add_argument("--keep", help="also write the graph built from dev here")
    c.add_argument("--fast", action="store_true", help="build as build --fast does")
    c.set_defaults(func=_cmd_eval_cluener)
    _with_examples(sub)
    return ap


def _training_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--shared", help="the shared folder with gold/ and data/ (default: ../shared)")
    p.add_argument("--iterations", type=int, default=TRAIN_ITERATIONS, help="CRF training iterations")
    p.add_argument("--cluener", type=int, default=TRAIN_CLUENER,
                   help="how many CLUENER2020 train sentences to add (0: none)")


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    try:
        return a.func(a)
    except PolicyGraphError as exc:
        print(f"policygraph: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `policygraph query … | head`: the reader left
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug of ours: one line, and the traceback on request
        if os.environ.get("POLICYGRAPH_DEBUG"):
            raise
        print(f"policygraph: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
              "(set POLICYGRAPH_DEBUG=1 to see where, and please report it)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
