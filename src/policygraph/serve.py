"""A read-only SPARQL 1.1 Protocol endpoint over a store, with a small offline query page.

``GET /sparql?query=…`` and ``POST /sparql`` (form-encoded or
``application/sparql-query``) answer with content negotiation: SPARQL Results
JSON, XML, CSV or TSV for SELECT/ASK; Turtle for CONSTRUCT/DESCRIBE. Updates,
SERVICE and LOAD are refused. It binds to 127.0.0.1 unless told otherwise.

The HTTP side is waitress (a maintained WSGI server: asynchronous I/O, so a slow
or half-sent request holds no thread, with a listen backlog, per-connection
timeouts and a body cap). Queries run in a pool of worker processes, each with
the store opened once: a query past its time limit is stopped by ending its
process, which frees its CPU and memory at once, and a fresh worker takes its
place. A request waits a bounded time for a free worker, then gets 503.
:func:`serve` (the command) keeps the HTTP process's threads on one core and
the workers on all (see :func:`pin_threads_to_one_core`).
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import multiprocessing
import os
import queue
import re
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from .errors import PolicyGraphError
from .namespaces import package_file
from .queries import canned
from .results import MEDIA_TYPES, format_result
from .store import Result, Store

_ACCEPT = [("application/sparql-results+json", "json"), ("application/json", "json"),
           ("application/sparql-results+xml", "xml"), ("application/xml", "xml"), ("text/csv", "csv"),
           ("text/tab-separated-values", "tsv"), ("text/turtle", "turtle"), ("text/plain", "csv")]


#: The largest request body read (a query, form-encoded or not); past it the answer is 413.
MAX_BODY = 1 << 20
_SPARQL_NOISE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                           r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_OUTBOUND = re.compile(r"\b(SERVICE|LOAD)\b", re.IGNORECASE)


def outbound_keyword(query: str) -> str | None:
    """SERVICE or LOAD when the query would make the server fetch a URL, else None. Strings,
    IRIs and comments are taken out first, so a literal that says "service" is no match.

    >>> outbound_keyword('SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }')
    'SERVICE'
    >>> outbound_keyword('SELECT * WHERE { ?s ?p "service" } # SERVICE')
    """
    found = _OUTBOUND.search(_SPARQL_NOISE.sub(" ", query))
    return found.group(1).upper() if found else None


def negotiate(accept: str, kind: str) -> str:
    """The result format for an Accept header (q-values honoured), by result kind."""
    if kind == "graph":
        return "turtle"
    prefs = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        prefs.append((-q, i, media.lower()))
    for _, _, media in sorted(prefs):
        for m, fmt in _ACCEPT:
            if media == m and fmt != "turtle":
                return fmt
    return "json"


class QueryTimeout(Exception):
    """The query ran past its time limit (and was stopped)."""


class Busy(Exception):
    """No worker became free in time."""


class QueryFailed(Exception):
    """The store refused the query (the client's mistake: 400)."""


def truncate(res: Result, limit: int) -> tuple[Result, bool]:
    """At most ``limit`` rows (SELECT) or triples (CONSTRUCT/DESCRIBE, the first in sorted order)."""
    if res.kind == "select" and len(res.rows) > limit:
        return Result("select", res.variables, res.rows[:limit]), True
    if res.kind == "graph" and res.graph is not None and len(res.graph) > limit:
        from rdflib import Graph

        g = Graph()
        for t in sorted(res.graph, key=lambda t: tuple(x.n3() for x in t))[:limit]:
            g.add(t)
        return Result("graph", graph=g), True
    return res, False


@dataclass(frozen=True)
class Answer:
    """A query's answer as the client gets it: the body, its media type and whether it was cut."""

    body: bytes
    media_type: str
    truncated: bool = False


class NotAcceptable(Exception):
    """No format the client accepts fits the result."""


def answer(store: Store, query: str, fmt: str, accept: str, limit: int) -> Answer:
    """Run ``query`` on ``store`` and write its result in ``fmt`` (or the one ``accept`` prefers)."""
    res, truncated = truncate(store.query(query), limit)
    fmt = fmt or negotiate(accept, res.kind)
    if fmt not in MEDIA_TYPES or fmt in ("table", "md"):
        raise NotAcceptable(f"cannot answer in {fmt}")
    return Answer(format_result(res, fmt).encode("utf-8"), MEDIA_TYPES[fmt] + "; charset=utf-8", truncated)


def _worker(opener: Callable[[], Store], conn: Connection, limit: int, cpus: frozenset[int]) -> None:
    """A worker process: open the store once, then answer queries until the pipe closes. The
    answer is formatted here, so the server process only moves bytes. ``cpus``: the cores
    it may use (all the server was given, even when the server's own threads are pinned)."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux
        os.sched_setaffinity(0, cpus)
    try:
        store = opener()
    except Exception as exc:  # reported by the pool as the reason the endpoint cannot start
        conn.send(("failed", str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
        return
    conn.send(("ready", None))
    while True:
        try:
            query, fmt, accept = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        try:
            conn.send(("ok", answer(store, query, fmt, accept, limit)))
        except NotAcceptable as exc:
            conn.send(("unacceptable", str(exc)))
        except PolicyGraphError as exc:
            conn.send(("refused", str(exc)))
        except Exception as exc:  # a store's own error: the client's query
            conn.send(("refused", f"query failed: {exc}".splitlines()[0]))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection


def _cpus() -> frozenset[int]:
    try:
        return frozenset(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return frozenset(range(os.cpu_count() or 1))


def pin_threads_to_one_core() -> None:
    """Keep every thread of this process on one core (Linux; elsewhere nothing).

    The HTTP side is one Python process: one thread at a time runs, whatever the cores. Left
    to roam, its threads hand the interpreter lock from core to core on every request, and
    under 50 clients that cut the answers to a third (bench/bench_serve.py: 406 against 1,231
    queries a second, p99 430 against 56 ms). The query workers are processes of their own and
    keep every core."""
    if not hasattr(os, "sched_setaffinity"):
        return
    core = {max(_cpus())}
    for tid in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError):  # a thread that has just ended
            os.sched_setaffinity(int(tid), core)


class QueryPool:
    """``size`` worker processes answering queries on the store ``opener`` opens.

    ``opener`` must be picklable (a module-level function or a :func:`functools.partial`
    of one): workers are started with ``spawn``, so none inherits the server's threads or
    open files.
    """

    def __init__(self, opener: Callable[[], Store], size: int = 2, timeout: float = 10.0,
                 limit: int = 10000, queue_wait: float = 5.0, start_timeout: float = 600.0) -> None:
        self.opener, self.size, self.timeout, self.limit = opener, size, timeout, limit
        self.queue_wait, self.start_timeout = queue_wait, start_timeout
        self._context = multiprocessing.get_context("spawn")
        self._cpus = _cpus()
        self._free: queue.Queue[_Worker] = queue.Queue()
        self._closed = False

    def start(self) -> QueryPool:
        """Start the workers and wait until each has its store open (a store that cannot be
        opened is a :class:`PolicyGraphError` naming why)."""
        workers = [self._spawn() for _ in range(self.size)]
        for w in workers:
            self._ready(w)
            self._free.put(w)
        return self

    def _spawn(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        p = self._context.Process(target=_worker, args=(self.opener, theirs, self.limit, self._cpus), daemon=True,
                                  name="policygraph-query")
        p.start()
        theirs.close()
        return _Worker(p, ours)

    def _ready(self, w: _Worker) -> None:
        if not w.conn.poll(self.start_timeout):
            self._stop(w)
            raise PolicyGraphError(f"the query worker did not open the store in {self.start_timeout:g} s")
        try:
            status, message = w.conn.recv()
        except EOFError:
            status, message = "failed", "the query worker stopped while opening the store"
        if status != "ready":
            self._stop(w)
            raise PolicyGraphError(message)

    @staticmethod
    def _stop(w: _Worker) -> None:
        w.process.kill()
        w.process.join()
        w.conn.close()

    def _replace(self, w: _Worker) -> None:
        """End ``w`` now and put a fresh worker in its place once it has opened the store."""
        self._stop(w)
        if self._closed:
            return

        def restart() -> None:
            fresh = self._spawn()
            try:
                self._ready(fresh)
            except PolicyGraphError as exc:
                print(f"policygraph serve: {exc}", file=sys.stderr)
                return
            self._free.put(fresh)

        threading.Thread(target=restart, daemon=True).start()

    def pids(self) -> list[int]:
        """The process ids of the idle workers (for tests and monitoring)."""
        return sorted(w.process.pid for w in list(self._free.queue) if w.process.pid is not None)

    def run(self, query: str, fmt: str = "", accept: str = "") -> Answer:
        """Answer ``query`` in ``fmt`` (or as ``accept`` prefers), cut to ``limit``."""
        try:
            w = self._free.get(timeout=self.queue_wait)
        except queue.Empty:
            raise Busy() from None
        try:
            w.conn.send((query, fmt, accept))
            if not w.conn.poll(self.timeout):
                self._replace(w)
                raise QueryTimeout()
            status, value = w.conn.recv()
        except (EOFError, OSError):  # the worker died (out of memory, killed)
            self._replace(w)
            raise QueryFailed("the query stopped its worker (out of memory?)") from None
        self._free.put(w)
        if status == "unacceptable":
            raise NotAcceptable(value)
        if status != "ok":
            raise QueryFailed(value)
        return value

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                w = self._free.get_nowait()
            except queue.Empty:
                return
            self._stop(w)


@functools.cache
def _page() -> bytes:
    """The query page (``views/query.html`` with its script and style inlined, the canned
    queries filled in): one self-contained page, nothing fetched."""
    options = "".join(f'<option value="{html.escape(q.name)}">{html.escape(q.name)} — {html.escape(q.question)}'
                      f"</option>" for q in canned())
    texts = json.dumps({q.name: q.text for q in canned()}, ensure_ascii=False)
    texts = texts.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    parts = {"OPTIONS": options, "TEXTS": texts,
             "SCRIPT": package_file("views", "query.js").read_text(encoding="utf-8"),
             "CSS": package_file("views", "query.css").read_text(encoding="utf-8")}
    page = package_file("views", "query.html").read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], page).encode("utf-8")


_STATUS = {200: "200 OK", 204: "204 No Content", 400: "400 Bad Request", 403: "403 Forbidden",
           404: "404 Not Found", 405: "405 Method Not Allowed", 406: "406 Not Acceptable",
           413: "413 Payload Too Large", 500: "500 Internal Server Error", 503: "503 Service Unavailable"}
_PAGE_POLICY = "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"


class Endpoint:
    """The WSGI application: the SPARQL protocol over a :class:`QueryPool`. ``cors``: the one
    origin allowed to call from a browser page of its own (None: same-origin only)."""

    def __init__(self, pool: QueryPool, cors: str | None = None) -> None:
        self.pool, self.cors = pool, cors

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        code, ctype, body, extra = self.respond(environ)
        headers = [("Content-Type", ctype), ("Content-Length", str(len(body))),
                   ("X-Content-Type-Options", "nosniff"), *extra.items()]
        if self.cors:
            headers += [("Access-Control-Allow-Origin", self.cors), ("Vary", "Origin"),
                        ("Access-Control-Expose-Headers", "X-Result-Truncated")]
        start_response(_STATUS[code], headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]

    @staticmethod
    def _text(code: int, message: str) -> tuple[int, str, bytes, dict[str, str]]:
        return code, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), {}

    def respond(self, environ: dict) -> tuple[int, str, bytes, dict[str, str]]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if method == "OPTIONS" and self.cors:  # a browser's preflight
            return 204, "text/plain", b"", {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                            "Access-Control-Allow-Headers": "Content-Type, Accept",
                                            "Access-Control-Max-Age": "600"}
        if method in ("PUT", "DELETE", "PATCH"):
            return self._text(403, "this endpoint is read-only")
        if method not in ("GET", "HEAD", "POST"):
            return self._text(405, f"{method} is not allowed: use GET or POST")
        if method != "POST" and path in ("/", "/index.html"):
            return 200, "text/html; charset=utf-8", _page(), {"Content-Security-Policy": _PAGE_POLICY}
        if path != "/sparql":
            return self._text(404, "not found: use /sparql or /")
        query = None
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return self._text(400, "Content-Length is not a number")
            if length > MAX_BODY:
                return self._text(413, f"request body over {MAX_BODY} bytes")
            raw = environ["wsgi.input"].read(length).decode("utf-8", "replace") if length > 0 else ""
            ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return self._text(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                query = raw
            else:
                params.update(urllib.parse.parse_qs(raw))
        if "update" in params:
            return self._text(403, "this endpoint is read-only: SPARQL Update is refused")
        if query is None:
            query = (params.get("query") or [""])[0]
        if not query.strip():
            return self._text(400, "missing 'query'")
        keyword = outbound_keyword(query)
        if keyword is not None:
            return self._text(400, f"{keyword} is refused: this endpoint makes no outbound requests")
        if method == "HEAD":  # the headers a GET would have, without running the query
            return 200, "application/sparql-results+json; charset=utf-8", b"", {}
        fmt = (params.get("format") or [""])[0]
        try:
            ans = self.pool.run(query, fmt, environ.get("HTTP_ACCEPT", ""))
        except Busy:
            return self._text(503, "busy: too many queries at once; try again")
        except QueryTimeout:
            return self._text(503, f"query took longer than {self.pool.timeout:g} s (stopped)")
        except QueryFailed as exc:
            return self._text(400, str(exc))
        except NotAcceptable as exc:
            return self._text(406, str(exc))
        extra = {"X-Result-Truncated": str(self.pool.limit)} if ans.truncated else {}
        return 200, ans.media_type, ans.body, extra


class Server:
    """The endpoint bound to ``host:port`` (``port=0`` picks a free one), not yet serving.

    ``workers`` processes answer queries; ``threads`` requests are handled at once and
    each waits up to ``queue_wait`` s for a worker before a 503. A client silent for
    ``connection_timeout`` s is disconnected.
    """

    def __init__(self, opener: Callable[[], Store], host: str = "127.0.0.1", port: int = 7878,
                 timeout: float = 10.0, limit: int = 10000, workers: int = 2, threads: int = 4,
                 queue_wait: float = 5.0, connection_timeout: float = 10.0, cors: str | None = None) -> None:
        import logging

        from waitress.server import create_server

        # waitress warns "Task queue depth is N" on every queued request: under load, noise
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        self.pool = QueryPool(opener, workers, timeout, limit, queue_wait).start()
        try:
            self.wsgi = create_server(Endpoint(self.pool, cors), host=host, port=port, threads=threads,
                                      backlog=1024, channel_timeout=connection_timeout, connection_limit=1000,
                                      max_request_body_size=MAX_BODY, ident="policygraph",
                                      expose_tracebacks=False)
        except OSError as exc:
            self.pool.close()
            raise PolicyGraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
        self.host = host
        self.port: int = self.wsgi.effective_port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def serve_forever(self) -> None:
        try:
            self.wsgi.run()
        finally:
            self.close()

    def start(self) -> Server:
        """Serve from a background thread (tests, notebooks); :meth:`close` stops."""
        threading.Thread(target=self.wsgi.run, daemon=True, name="policygraph-serve").start()
        return self

    def close(self) -> None:
        self.wsgi.close()
        self.wsgi.task_dispatcher.shutdown()
        self.pool.close()


def serve(opener: Callable[[], Store], host: str = "127.0.0.1", port: int = 7878, **options) -> None:
    """Serve until Ctrl-C (``options``: those of :class:`Server`)."""
    server = Server(opener, host, port, **options)
    # this process does nothing but serve: its threads on one core (see the function)
    pin_threads_to_one_core()
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}, reachable from other machines; the endpoint has no "
              "authentication", file=sys.stderr)
    print(f"SPARQL endpoint: {server.url}/sparql (query page: /); Ctrl-C stops", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
