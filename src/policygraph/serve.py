"""A read-only SPARQL 1.1 Protocol endpoint over a store, with a small offline query page.

``GET /sparql?query=…`` and ``POST /sparql`` (form-encoded or
``application/sparql-query``) answer with content negotiation: SPARQL Results
JSON, XML, CSV or TSV for SELECT/ASK; Turtle for CONSTRUCT/DESCRIBE. Updates
are refused with 403. Each query runs with a time limit (503 past it) and a row
limit (the answer is cut and says so in ``X-Result-Truncated``). It binds to
127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import html
import json
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .errors import PolicyGraphError
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


class _Timeout(Exception):
    pass


def run_with_limits(store: Store, query: str, timeout: float, limit: int) -> tuple[Result, bool]:
    box: dict = {}

    def work() -> None:
        try:
            box["result"] = store.query(query)
        except Exception as exc:  # reported to the client
            box["error"] = exc

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise _Timeout()
    if "error" in box:
        raise box["error"]
    res: Result = box["result"]
    truncated = False
    if res.kind == "select" and len(res.rows) > limit:
        res, truncated = Result("select", res.variables, res.rows[:limit]), True
    elif res.kind == "graph" and res.graph is not None and len(res.graph) > limit:
        # CONSTRUCT and DESCRIBE: the first triples in a fixed (sorted) order
        from rdflib import Graph

        g = Graph()
        for t in sorted(res.graph, key=lambda t: tuple(x.n3() for x in t))[:limit]:
            g.add(t)
        res, truncated = Result("graph", graph=g), True
    return res, truncated


def _page() -> bytes:
    options = "".join(f'<option value="{html.escape(q.name)}">{html.escape(q.name)} — {html.escape(q.question)}'
                      f"</option>" for q in canned())
    texts = json.dumps({q.name: q.text for q in canned()}, ensure_ascii=False)
    texts = texts.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _PAGE.replace("{{OPTIONS}}", options).replace("{{TEXTS}}", texts).encode("utf-8")


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the listen backlog (http.server's 5 overflows under load)
    daemon_threads = True


def make_server(store: Store, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
                limit: int = 10000, max_queries: int = 8, queue_wait: float = 5.0,
                connection_timeout: float = 10.0) -> ThreadingHTTPServer:
    """An HTTP server (not yet serving); ``port=0`` picks a free port. At most ``max_queries``
    run at once; a request waits up to ``queue_wait`` s for a slot, then gets 503. A client that
    sends nothing for ``connection_timeout`` s is disconnected."""

    slots = threading.BoundedSemaphore(max_queries)

    class Handler(BaseHTTPRequestHandler):
        server_version = "policygraph"
        timeout = connection_timeout  # seconds a client may take to send its request

        def log_message(self, fmt: str, *args) -> None:  # quiet: one line per request on stderr is noise
            return

        def _send(self, code: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, code: int, message: str) -> None:
            self._send(code, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

        def _answer(self, params: dict[str, list[str]], body_query: str | None = None) -> None:
            if "update" in params:
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            query = body_query if body_query is not None else (params.get("query") or [""])[0]
            if not query.strip():
                return self._error(400, "missing 'query'")
            keyword = outbound_keyword(query)
            if keyword is not None:
                return self._error(400, f"{keyword} is refused: this endpoint makes no outbound requests")
            if self.command == "HEAD":  # the headers a GET would have, without running the query
                return self._send(200, b"", "application/sparql-results+json; charset=utf-8")
            if not slots.acquire(timeout=queue_wait):
                return self._error(503, "busy: too many queries at once; try again")
            try:
                res, truncated = run_with_limits(store, query, timeout, limit)
            except _Timeout:
                return self._error(503, f"query took longer than {timeout:g} s")
            except PolicyGraphError as exc:
                return self._error(400, str(exc))
            except Exception as exc:  # a store's own error: the client's query
                return self._error(400, f"query failed: {exc}".splitlines()[0])
            finally:
                slots.release()
            fmt = (params.get("format") or [""])[0] or negotiate(self.headers.get("Accept", ""), res.kind)
            if fmt not in MEDIA_TYPES or fmt in ("table", "md"):
                return self._error(406, f"cannot answer in {fmt}")
            body = format_result(res, fmt).encode("utf-8")
            extra = {"X-Result-Truncated": str(limit)} if truncated else {}
            self._send(200, body, MEDIA_TYPES[fmt] + "; charset=utf-8", extra)

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(url.query)
            if url.path in ("/", "/index.html"):
                return self._send(200, _page(), "text/html; charset=utf-8",
                                  {"Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
                                                              "style-src 'unsafe-inline'"})
            if url.path != "/sparql":
                return self._error(404, "not found: use /sparql or /")
            self._answer(params)

        do_HEAD = do_GET

        def do_POST(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            if url.path != "/sparql":
                return self._error(404, "not found: use /sparql")
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                return self._error(400, "Content-Length is not a number")
            if length < 0:
                return self._error(400, "Content-Length is negative")
            if length > MAX_BODY:
                self.close_connection = True
                return self._error(413, f"request body over {MAX_BODY} bytes")
            raw = self.rfile.read(length).decode("utf-8", "replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = urllib.parse.parse_qs(url.query)
            if ctype == "application/sparql-update":
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                return self._answer(params, raw)
            params.update(urllib.parse.parse_qs(raw))
            self._answer(params)

        def do_PUT(self) -> None:
            self._error(403, "this endpoint is read-only")

        do_DELETE = do_PATCH = do_PUT

    return _Server((host, port), Handler)


def serve(store: Store, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
          limit: int = 10000) -> None:
    server = make_server(store, host, port, timeout, limit)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}, reachable from other machines; the endpoint has no "
              "authentication", file=sys.stderr)
    print(f"SPARQL endpoint: http://{host}:{server.server_address[1]}/sparql (query page: /); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


_PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>policygraph SPARQL</title>
<style>body{font:14px sans-serif;margin:16px} textarea{width:100%;height:14em;font:13px monospace}
table{border-collapse:collapse;margin-top:10px} td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}
#msg{color:#a00}</style></head>
<body><h2>policygraph SPARQL</h2>
<select id="canned"><option value="">canned queries…</option>{{OPTIONS}}</select>
<textarea id="q">SELECT ?s ?label WHERE { ?s &lt;http://www.w3.org/2000/01/rdf-schema#label&gt; ?label } LIMIT 20</textarea>
<button id="run">Run</button> <span id="msg"></span>
<div id="out"></div>
<script>
(function () {
  var texts = {{TEXTS}};
  var q = document.getElementById("q"), msg = document.getElementById("msg"), out = document.getElementById("out");
  document.getElementById("canned").addEventListener("change", function (e) { if (texts[e.target.value]) q.value = texts[e.target.value]; });
  document.getElementById("run").addEventListener("click", function () {
    msg.textContent = "…"; out.replaceChildren();
    fetch("sparql", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
      "Accept": "application/sparql-results+json"}, body: "query=" + encodeURIComponent(q.value)})
    .then(function (r) { return r.text().then(function (t) { return [r, t]; }); })
    .then(function (rt) {
      var r = rt[0], t = rt[1];
      if (!r.ok) { msg.textContent = r.status + " " + t; return; }
      if ((r.headers.get("Content-Type") || "").indexOf("json") < 0) { var pre = document.createElement("pre");
        pre.textContent = t; out.appendChild(pre); msg.textContent = ""; return; }
      var data = JSON.parse(t);
      if ("boolean" in data) { msg.textContent = String(data.boolean); return; }
      var table = document.createElement("table"), head = document.createElement("tr");
      data.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
      table.appendChild(head);
      data.results.bindings.forEach(function (b) { var tr = document.createElement("tr");
        data.head.vars.forEach(function (v) { var td = document.createElement("td"); td.textContent = b[v] ? b[v].value : ""; tr.appendChild(td); });
        table.appendChild(tr); });
      out.appendChild(table);
      msg.textContent = data.results.bindings.length + " rows" + (r.headers.get("X-Result-Truncated") ? " (cut)" : "");
    }).catch(function (e) { msg.textContent = String(e); });
  });
})();
</script></body></html>
"""
