"""Query results as text: a terminal table, CSV, TSV, SPARQL 1.1 Results JSON or XML, Markdown, Turtle.

>>> from rdflib import Literal
>>> from policygraph.store import Result
>>> print(format_result(Result("select", ["a"], [(Literal("卧龙"),)]), "csv"), end="")
a
卧龙
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from xml.sax.saxutils import escape

from rdflib import BNode, Literal, URIRef

from .amounts import YUAN_COLUMNS, yuan_text
from .errors import PolicyGraphError
from .store import Result

FORMATS = ("table", "csv", "tsv", "json", "xml", "md", "turtle")
MEDIA_TYPES = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
               "xml": "application/sparql-results+xml", "turtle": "text/turtle", "md": "text/markdown",
               "table": "text/plain"}


def _plain(v) -> str:
    return "" if v is None else str(v)


def _json_term(v) -> dict:
    if isinstance(v, URIRef):
        return {"type": "uri", "value": str(v)}
    if isinstance(v, BNode):
        return {"type": "bnode", "value": str(v)}
    out = {"type": "literal", "value": str(v)}
    if isinstance(v, Literal):
        if v.language:
            out["xml:lang"] = v.language
        elif v.datatype is not None:
            out["datatype"] = str(v.datatype)
    return out


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _readable(res: Result) -> list[list[str]]:
    """The rows as people read them: amounts of yuan in 亿元/万元 (CSV and JSON keep yuan)."""
    money = [v in YUAN_COLUMNS for v in res.variables]
    return [[yuan_text(v) if m and v is not None else _plain(v) for v, m in zip(row, money, strict=True)]
            for row in res.rows]


def _table(res: Result) -> str:
    cells = _readable(res)
    widths = [max([_width(h), *(_width(r[i]) for r in cells)]) for i, h in enumerate(res.variables)]
    line = lambda vals: "  ".join(v + " " * (w - _width(v)) for v, w in zip(vals, widths, strict=True))  # noqa: E731
    out = [line(res.variables), "  ".join("-" * w for w in widths), *(line(r) for r in cells)]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(s.rstrip() for s in out) + "\n"


def _turtle(graph) -> str:
    """A CONSTRUCT/DESCRIBE answer as canonical Turtle with the project's prefixes (pg:, pgr: …),
    the same bytes for the same triples."""
    from rdflib import Dataset, URIRef

    from .rdfio import serialize

    ds = Dataset()
    g = ds.graph(URIRef("urn:policygraph:result"))
    for t in graph:
        g.add(t)
    return serialize(ds, "turtle").decode("utf-8")


def format_result(res: Result, fmt: str = "table") -> str:
    if fmt not in FORMATS:
        raise PolicyGraphError(f"--format {fmt}: use one of {', '.join(FORMATS)}")
    if res.kind == "graph":
        if fmt not in ("turtle", "table"):
            raise PolicyGraphError("CONSTRUCT and DESCRIBE results are written as Turtle")
        return _turtle(res.graph)
    if res.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": res.boolean}) + "\n"
        if fmt == "xml":
            return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f'<head/><boolean>{str(res.boolean).lower()}</boolean></sparql>\n')
        return f"{str(res.boolean).lower()}\n"
    if fmt == "table":
        return _table(res)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(res.variables)
        w.writerows([_plain(v) for v in row] for row in res.rows)
        return buf.getvalue()
    if fmt == "json":
        rows = [{k: _json_term(v) for k, v in zip(res.variables, row, strict=True) if v is not None}
                for row in res.rows]
        return json.dumps({"head": {"vars": res.variables}, "results": {"bindings": rows}},
                          ensure_ascii=False) + "\n"
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f'<variable name="{v}"/>' for v in res.variables]
        parts.append("</head><results>")
        for row in res.rows:
            parts.append("<result>")
            for k, v in zip(res.variables, row, strict=True):
                if v is None:
                    continue
                t = _json_term(v)
                if t["type"] == "uri":
                    inner = f"<uri>{escape(t['value'])}</uri>"
                elif t["type"] == "bnode":
                    inner = f"<bnode>{escape(t['value'])}</bnode>"
                else:
                    attr = (f' xml:lang="{escape(t["xml:lang"])}"' if "xml:lang" in t else
                            f' datatype="{escape(t["datatype"])}"' if "datatype" in t else "")
                    inner = f"<literal{attr}>{escape(t['value'])}</literal>"
                parts.append(f'<binding name="{k}">{inner}</binding>')
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts)
    # Markdown
    esc = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(res.variables) + " |", "|" + "---|" * len(res.variables)]
    lines += ["| " + " | ".join(esc(v) for v in row) + " |" for row in _readable(res)]
    return "\n".join(lines) + "\n"
