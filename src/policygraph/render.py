"""Interactive HTML network views that open anywhere, stay fast and are safe.

A view is one self-contained HTML file: the drawing library and our own small
scripts (``views/``) are inlined, so nothing is fetched from a CDN and the page
opens offline. Two libraries draw, behind one page: vis-network (the build
pyvis ships) for small graphs, with shapes per type, edge labels and physics;
sigma.js 3 with graphology (WebGL, MIT, vendored in ``views/vendor``) above
:data:`VIS_MAX` actors, where vis-network's fitted labels become illegible and,
further up, its drawing stalls (see bench/bench_views.py).
Search, the type, date, document and confidence filters, the evidence panel,
neighbour expansion and PNG/CSV export are the same code for both
(``views/app.js``).

Text from documents reaches the page only as JSON inside a
``<script type="application/json">`` block, with ``<``, ``>`` and ``&``
escaped, and the page writes it with ``textContent``; vis-network shows
tooltips as plain text and sigma draws labels on a canvas. So a name or
sentence holding ``</script>`` or ``<img onerror=…>`` is shown, never run.

Positions are computed in Python, seeded: a spring layout per connected
component for small graphs, the components packed in rows; above :data:`LARGE`
actors, communities (fast label propagation), each a disc, the discs placed by
the facts between them. Actors without facts are not drawn: the page lists them.

>>> from policygraph.build import build
>>> from policygraph.namespaces import package_file
>>> from policygraph.analyze import to_networkx
>>> g = to_networkx(build([package_file("sample")]).dataset)
>>> sub = select(g, focus="盈峰", depth=1)
>>> sorted(d["label"] for _, d in sub.nodes(data=True))
['盈峰', '盈峰新能源装备项目']
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import networkx as nx
import numpy as np
from rdflib import Dataset, Graph, URIRef

from .amounts import yuan_text
from .analyze import to_networkx
from .analyze.measures import find
from .errors import PolicyGraphError
from .namespaces import package_file
from .rdfio import atomic_write

#: Colour and shape per entity type (legend order).
STYLE: dict[str, tuple[str, str]] = {
    "Company": ("#e15759", "dot"),
    "GovernmentAgency": ("#4e79a7", "square"),
    "Organization": ("#76b7b2", "square"),
    "Place": ("#59a14f", "triangle"),
    "Zone": ("#8cd17d", "triangleDown"),
    "Industry": ("#f28e2b", "diamond"),
    "Programme": ("#b07aa1", "star"),
    "Project": ("#edc948", "dot"),
    "Fund": ("#ff9da7", "hexagon"),
    "Event": ("#9c755f", "box"),
}
EDGE_LABELS = {
    "investsIn": "投资", "locatedIn": "位于", "inIndustry": "产业", "partOf": "属于", "targets": "面向",
    "announcedAt": "发布于", "organizedBy": "主办", "participatesIn": "参与",
    "subOrganizationOf": "下属",
}
#: Above this many actors with facts a view is drawn by sigma.js: once vis-network fits a larger
#: graph to the screen its labels are smaller than 12 px (7.5 to 10 px at 50 actors, under 9 px at
#: 100, as its physics settle; bench/bench_views.py measures it) and it has no way to keep them
#: apart; sigma's stay 13 px and never overlap. vis-network keeps the small views (a
#: neighbourhood, a profile): shapes per type, edge labels, physics.
VIS_MAX = 25
#: Above this many actors with facts, positions come from communities rather than a spring
#: layout per component.
LARGE = 300
#: How many of the most central actors a vis-network view of a large graph shows at first
#: (``renderer="vis"`` above :data:`LARGE` actors); sigma draws them all.
DEFAULT_VISIBLE = 300
#: At most this many groups (communities) are named in the page's list.
GROUPS = 12
#: The biggest communities of a large view placed by their facts to each other; the others go
#: around the one they have most facts with.
PLACED_GROUPS = 400
RENDERERS = ("auto", "vis", "sigma")


# ---------------------------------------------------------------- choosing what to show

def select(g: nx.MultiDiGraph, focus: str | None = None, depth: int = 1,
           types: Iterable[str] | None = None, min_degree: int = 0,
           iris: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The part of ``g`` a focused view shows.

    ``focus``: an actor's label or alias, with everything within ``depth`` facts;
    ``types``: only these entity types; ``min_degree``: drop actors with fewer facts;
    ``iris``: only these nodes (from a query).
    """
    sub = g
    if iris is not None:
        keep = set(iris) & set(g.nodes)
        sub = g.subgraph(keep)
    if focus:
        try:
            centre = find(sub, focus)
        except KeyError as exc:
            raise PolicyGraphError(f"--focus: no actor named {focus!r} in the graph") from exc
        sub = sub.subgraph(nx.ego_graph(sub.to_undirected(as_view=True), centre, radius=depth).nodes)
    if types:
        wanted = set(types)
        unknown = wanted - set(STYLE)
        if unknown:
            raise PolicyGraphError(f"--type: unknown entity types {', '.join(sorted(unknown))}; "
                                   f"use {', '.join(STYLE)}")
        sub = sub.subgraph([n for n, d in sub.nodes(data=True) if d["type"] in wanted])
    if min_degree > 0:
        sub = sub.subgraph([n for n in sub if sub.degree(n) >= min_degree])
    return sub.copy()


def query_iris(ds: Dataset | Graph, query: str) -> set[str]:
    """IRIs a CONSTRUCT returns (subjects and objects) or a SELECT binds."""
    try:
        result = ds.query(query)
    except Exception as exc:  # rdflib raises parser-specific types
        raise PolicyGraphError(f"--query: {exc}".splitlines()[0]) from exc
    out: set[str] = set()
    if result.type == "CONSTRUCT" or result.type == "DESCRIBE":
        for s, _, o in result.graph:
            out.update(str(t) for t in (s, o) if isinstance(t, URIRef))
    elif result.type == "SELECT":
        for row in result:
            out.update(str(v) for v in row if isinstance(v, URIRef))
    else:
        raise PolicyGraphError("--query: use a CONSTRUCT or a SELECT whose variables are IRIs")
    return out


# ---------------------------------------------------------------- layout

def _facts_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """``g`` as a simple undirected graph of the actors that have facts."""
    simple = nx.Graph(g)
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])
    return simple


def communities(simple: nx.Graph) -> list[list[str]]:
    """The communities of a simple graph, biggest first, each sorted by degree.

    Fast label propagation, seeded: deterministic, and near linear time (classic label propagation
    took 14 s at 50,000 actors and merged most of them into one community; Louvain took 10 s at 10,000).
    """
    degree = dict(simple.degree())
    # the propagation visits nodes in the graph's order: sorted, so that the communities do not
    # depend on the order the graph was built in (one dataset, or documents merged one by one)
    found = nx.community.fast_label_propagation_communities(_ordered(simple, list(simple)), seed=7)
    parts = [sorted(c, key=lambda n: (-degree[n], n)) for c in found]
    return sorted(parts, key=lambda c: (-len(c), c[0]))


def layout(g: nx.MultiDiGraph, simple: nx.Graph | None = None,
           parts: list[list[str]] | None = None) -> dict[str, tuple[float, float]]:
    """Positions: a spring layout per component for small graphs; communities placed by their
    facts for large ones (``simple``, ``parts``: :func:`_facts_graph` and :func:`communities`
    of ``g``, when the caller has them already: at 50,000 actors each costs seconds).

    Actors without facts go on a strip under the drawing (the page lists them instead).
    """
    if g.number_of_nodes() == 0:
        return {}
    simple = _facts_graph(g) if simple is None else simple
    isolated = sorted(n for n in g if n not in simple)
    pos: dict[str, tuple[float, float]] = {}
    if simple.number_of_nodes() <= LARGE:
        pos = _packed_components(simple)
    else:
        pos = _community_layout(simple, parts if parts is not None else communities(simple))
    bottom = max((y for _, y in pos.values()), default=0.0) + 120
    left = min((x for x, _ in pos.values()), default=0.0)
    for k, n in enumerate(isolated):
        pos[n] = (left + 60 * (k % 40), bottom + 40 * (k // 40))
    return pos


def _ordered(simple: nx.Graph, members: list[str]) -> nx.Graph:
    """The subgraph on ``members`` with nodes and edges in sorted order: a subgraph view iterates
    over a set, whose order changes from run to run, and a seeded layout depends on that order."""
    sub = nx.Graph()
    sub.add_nodes_from(sorted(members))
    sub.add_edges_from(sorted(tuple(sorted(e)) for e in simple.subgraph(members).edges()))
    return sub


def _packed_components(simple: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each connected component by its own spring layout, packed in rows (biggest first), so that
    the screen is not spent on the space a single spring layout leaves between components."""
    parts = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    boxes = []
    for comp in parts:
        if len(comp) == 1:
            boxes.append(({comp[0]: (0.0, 0.0)}, 60.0))
            continue
        spring = nx.spring_layout(_ordered(simple, comp), seed=7, iterations=100)
        scale = 90 * math.sqrt(len(comp))
        boxes.append(({n: (float(x) * scale, float(y) * scale) for n, (x, y) in spring.items()}, 2.2 * scale + 60))
    width = math.sqrt(sum(side * side for _, side in boxes) * 1.6)  # about the screen's shape
    pos: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for placed, side in boxes:
        if x > 0 and x + side > width:
            x, y, row = 0.0, y + row, 0.0
        for n, (px, py) in placed.items():
            pos[n] = (x + side / 2 + px, y + side / 2 + py)
        x, row = x + side, max(row, side)
    return pos


def _community_layout(simple: nx.Graph, parts: list[list[str]]) -> dict[str, tuple[float, float]]:
    """Each community drawn as a disc (its own spring layout, or a sunflower with the central
    actors in the middle when it is big or far down the list), the discs placed by a spring layout
    of the graph of communities (weighted by the facts between them) and pushed apart until none
    overlap; the communities beyond :data:`PLACED_GROUPS` go around the placed one they have most
    facts with, and those with none on rings around the whole."""
    golden = math.pi * (3 - math.sqrt(5))
    local: list[dict[str, tuple[float, float]]] = []
    radius: list[float] = []
    for i, members in enumerate(parts):
        r = 22 * math.sqrt(len(members)) + 20
        if 3 <= len(members) <= 200 and i < 60:  # the first groups on screen show their structure
            inner = nx.spring_layout(_ordered(simple, members), seed=7, iterations=50, scale=r * 0.8)
            local.append({n: (float(inner[n][0]), float(inner[n][1])) for n in members})
        else:
            local.append({n: (22 * math.sqrt(k) * math.cos(k * golden), 22 * math.sqrt(k) * math.sin(k * golden))
                          for k, n in enumerate(members)})
        radius.append(r)
    placed = min(len(parts), PLACED_GROUPS)
    group = {n: i for i, members in enumerate(parts[:placed]) for n in members}
    between = nx.Graph()
    between.add_nodes_from(range(placed))
    for u, v in simple.edges():
        a, b = group.get(u), group.get(v)
        if a is not None and b is not None and a != b:
            key = (min(a, b), max(a, b))
            between.add_edge(*key, weight=between.get_edge_data(*key, {"weight": 0})["weight"] + 1)
    spring = nx.spring_layout(_ordered_weighted(between), seed=7, iterations=100, weight="weight")
    r = np.array(radius[:placed])
    xy = np.array([spring[i] for i in range(placed)], dtype=float) * math.sqrt((r ** 2).sum()) * 1.2
    for _ in range(80):  # push overlapping discs apart, half the overlap each
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((d ** 2).sum(-1)) + 1e-9
        need = r[:, None] + r[None, :] + 15 - dist
        np.fill_diagonal(need, -1.0)
        if not (need > 0).any():
            break
        xy += (d * np.where(need > 0, need / dist / 2, 0.0)[..., None]).sum(1)
    pos: dict[str, tuple[float, float]] = {}
    for i in range(placed):
        for n, (x, y) in local[i].items():
            pos[n] = (float(xy[i, 0] + x), float(xy[i, 1] + y))
    # the other communities around the placed one they have most facts with; the unattached on rings
    member = {n: i for i, members in enumerate(parts) for n in members}
    anchor: dict[int, int] = {}
    ties: dict[int, dict[int, int]] = {}
    for u, v in simple.edges():
        for a, b in ((u, v), (v, u)):
            if a not in group and b in group:
                counts = ties.setdefault(member[a], {})
                counts[group[b]] = counts.get(group[b], 0) + 1
    for i, counts in ties.items():
        anchor[i] = min(counts, key=lambda g: (-counts[g], g))
    around = [0] * placed
    rest = []
    for i in range(placed, len(parts)):
        a = anchor.get(i)
        if a is None:
            rest.append(i)
            continue
        j = around[a]
        around[a] += 1
        dist, th = r[a] + 25 + 30 * math.sqrt(j), j * golden
        cx, cy = xy[a, 0] + dist * math.cos(th), xy[a, 1] + dist * math.sin(th)
        for n, (x, y) in local[i].items():
            pos[n] = (float(cx + x), float(cy + y))
    if rest:
        ring = max(math.hypot(x, y) for x, y in pos.values()) + 60
        step = 2 * max(radius[i] for i in rest)
        angle = 0.0
        for i in rest:
            angle += radius[i] / ring
            if angle > 2 * math.pi:
                angle, ring = radius[i] / (ring + step), ring + step
            cx, cy = ring * math.cos(angle), ring * math.sin(angle)
            angle += radius[i] / ring
            for n, (x, y) in local[i].items():
                pos[n] = (cx + x, cy + y)
    return pos


def _ordered_weighted(g: nx.Graph) -> nx.Graph:
    """``g`` with nodes and weighted edges in sorted order (see :func:`_ordered`)."""
    out = nx.Graph()
    out.add_nodes_from(sorted(g))
    out.add_weighted_edges_from(sorted((min(u, v), max(u, v), w) for u, v, w in g.edges(data="weight")))
    return out


# ---------------------------------------------------------------- the page

def _ranks(g: nx.MultiDiGraph, size_by: str) -> dict[str, float]:
    if g.number_of_nodes() == 0:
        return {}
    if size_by == "pagerank":
        return nx.pagerank(nx.Graph(g))
    if size_by == "degree":
        return {n: float(d) for n, d in g.degree()}
    raise PolicyGraphError(f"--size: use degree or pagerank, not {size_by!r}")


def _info(d: dict) -> dict:
    return {"aliases": d.get("aliases", []), "amounts": [yuan_text(v) for v in d.get("investmentCNY", [])],
            "dates": d.get("date", [])}


def _tooltip(d: dict) -> str:
    lines = [f"{d['label']} ({d['type']})"]
    if d.get("aliases"):
        lines.append("别名: " + "、".join(d["aliases"][:6]))
    if d.get("investmentCNY"):
        lines.append("投资额: " + ", ".join(yuan_text(v) for v in d["investmentCNY"]))
    if d.get("date"):
        lines.append("日期: " + ", ".join(d["date"]))
    return "\n".join(lines)


def _json_for_script(data) -> str:
    """JSON that cannot end its <script> element, open a comment or break a JS string."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@functools.cache
def _asset(name: str) -> str:
    """The view's own page, CSS and JavaScript (``views/``), kept in files of their own."""
    return package_file("views", name).read_text(encoding="utf-8")


def _library(name: str) -> str:
    """A drawing library's code, safe to inline: it cannot end its <script> element early."""
    if name == "vis":
        js = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2", "vis-network.min.js").read_text("utf-8")
    else:
        js = _asset("vendor/graphology-0.26.0.umd.min.js") + "\n" + _asset("vendor/sigma-3.0.3.min.js")
    if "</script" in js.lower():
        raise PolicyGraphError(f"the bundled {name} library cannot be inlined safely")
    return re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.M)  # the page fetches nothing


def choose_renderer(g: nx.MultiDiGraph, renderer: str = "auto") -> str:
    """``vis`` or ``sigma``: ``auto`` takes sigma above :data:`VIS_MAX` actors with facts."""
    if renderer not in RENDERERS:
        raise PolicyGraphError(f"--renderer: use {', '.join(RENDERERS)}, not {renderer!r}")
    if renderer != "auto":
        return renderer
    with_facts = sum(1 for n in g if g.degree(n) > 0)
    return "sigma" if with_facts > VIS_MAX else "vis"


def page(g: nx.MultiDiGraph, title: str = "policygraph", size_by: str = "degree",
         max_visible: int | None = None, renderer: str = "auto") -> str:
    """The HTML of a self-contained view of ``g``.

    ``max_visible``: how many of the most central actors show at first (the others come in by
    double click or search); ``None`` shows all, except that vis-network (when asked for) starts a
    graph of more than :data:`LARGE` actors with :data:`DEFAULT_VISIBLE`; ``0`` shows all.
    """
    drawer = choose_renderer(g, renderer)
    nodes = sorted(g.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    ranks = _ranks(g, size_by)
    top = max(ranks.values(), default=1.0) or 1.0
    order = sorted(nodes, key=lambda n: (-ranks.get(n, 0.0), n))
    if max_visible is None:
        max_visible = DEFAULT_VISIBLE if drawer == "vis" and len(nodes) > LARGE else 0
    visible = set(order if not max_visible or len(nodes) <= max_visible else order[:max_visible])
    simple = _facts_graph(g)
    parts = communities(simple)
    pos = layout(g, simple, parts)
    isolated = {n for n in nodes if g.degree(n) == 0}
    groups = [c for c in parts if len(c) >= max(4, len(nodes) // 1000)][:GROUPS]
    heads = {c[0] for c in groups}
    documents, doc_index = _documents(g)
    dates = sorted({d[1] for d in documents if d[1]})
    big = len(nodes) > 2000
    data_nodes = []
    for n in nodes:
        d = g.nodes[n]
        colour, shape = STYLE.get(d["type"], ("#bab0ac", "dot"))
        x, y = pos[n]
        share = math.sqrt(ranks.get(n, 0.0) / top)
        data_nodes.append({
            "id": index[n], "iri": n, "label": d["label"], "type": d["type"], "color": colour, "shape": shape,
            "size": round(8 + 22 * share, 1), "dot": round((2 + 12 * share) if big else (4 + 14 * share), 1),
            "x": round(x, 1), "y": round(y, 1), "title": _tooltip(d), "info": _info(d), "shown": n in visible,
            "search": [d["label"], *d.get("aliases", [])], "isolated": n in isolated, "head": n in heads,
            "docs": sorted(doc_index[i] for i in d.get("documents", []) if i in doc_index),
        })
    data_edges = []
    for i, (s, o, k, e) in enumerate(sorted(g.edges(keys=True, data=True), key=lambda t: t[:3])):
        evidence = e.get("evidence", [])
        conf = e.get("confidence")
        data_edges.append({
            "id": i, "from": index[s], "to": index[o], "label": EDGE_LABELS.get(k, k), "title": k,
            "docs": sorted({doc_index[doc] for _, doc in evidence if doc in doc_index}),
            "ev": [[" ".join(sentence.split()), doc_index.get(doc, -1)] for sentence, doc in evidence[:3]],
            "conf": None if conf is None else round(float(conf), 3)})
    data = {"renderer": drawer, "nodes": data_nodes, "edges": data_edges, "large": len(nodes) > LARGE,
            "types": [[t, c, s] for t, (c, s) in STYLE.items()], "documents": documents, "dates": dates,
            "groups": [[g.nodes[c[0]]["label"], len(c), index[c[0]]] for c in groups],
            "isolated": [index[n] for n in order if n in isolated]}
    parts = {"TITLE": html.escape(title), "STYLE": _asset("view.css"), "LIB": _library(drawer),
             "RENDERER": _asset(f"render-{drawer}.js"), "APP": _asset("app.js"), "DATA": _json_for_script(data)}
    # one pass, so that text inside one part is never taken for another placeholder
    return re.sub(r"\{\{(TITLE|STYLE|LIB|RENDERER|APP|DATA)\}\}", lambda m: parts[m.group(1)], _asset("page.html"))


def _documents(g: nx.MultiDiGraph) -> tuple[list[list[str]], dict[str, int]]:
    """The documents a view's actors and facts come from: [identifier, date, region, title] rows
    (sorted by identifier) and each identifier's row number."""
    known = g.graph.get("documents", {})
    idents = {i for _, d in g.nodes(data=True) for i in d.get("documents", [])}
    idents |= {doc for *_, e in g.edges(keys=True, data=True) for _, doc in e.get("evidence", []) if doc}
    rows = []
    for ident in sorted(idents):
        meta = known.get(ident, {})
        rows.append([ident, meta.get("date", ""), meta.get("region", ""), meta.get("title", "")])
    return rows, {r[0]: i for i, r in enumerate(rows)}


def render_graph(g: nx.MultiDiGraph, output: str | Path, title: str = "policygraph", size_by: str = "degree",
                 max_visible: int | None = None, renderer: str = "auto") -> Path:
    """Write ``g`` as a self-contained interactive HTML page (atomically)."""
    atomic_write(output, page(g, title, size_by, max_visible, renderer).encode("utf-8"))
    return Path(output)


def render_page(ds: Dataset | Graph, title: str = "policygraph", *, focus: str | None = None,
                depth: int = 1, types: Iterable[str] | None = None, min_degree: int = 0,
                query: str | None = None, size_by: str = "degree", max_visible: int | None = None,
                renderer: str = "auto") -> str:
    """The view of the graph (or of the focused part of it) as one HTML page."""
    g = to_networkx(ds)
    iris = query_iris(ds, query) if query else None
    sub = select(g, focus=focus, depth=depth, types=types, min_degree=min_degree, iris=iris)
    return page(sub, title, size_by, max_visible, renderer)


def render(ds: Dataset | Graph, output: str | Path, title: str = "policygraph", **options) -> Path:
    """Render the graph (or the focused part of it, ``options`` as :func:`render_page`) to
    ``output``, atomically."""
    atomic_write(output, render_page(ds, title, **options).encode("utf-8"))
    return Path(output)


def notebook_view(ds: Dataset | Graph | nx.MultiDiGraph, height: int = 600, title: str = "policygraph"):
    """The same self-contained view, inline in Jupyter (an iframe whose page travels with the notebook)."""
    import warnings

    from IPython.display import HTML

    g = ds if isinstance(ds, nx.MultiDiGraph) else to_networkx(ds)
    doc = page(g, title)
    with warnings.catch_warnings():  # IPython suggests IFrame, which needs a URL: srcdoc travels offline
        warnings.simplefilter("ignore", UserWarning)
        return HTML(f'<iframe srcdoc="{html.escape(doc, quote=True)}" style="width:100%;height:{height}px;'
                    f'border:1px solid #ddd" sandbox="allow-scripts allow-downloads"></iframe>')


def _timeline_svg(months: list[tuple[str, int]]) -> str:
    """Mentions per month as bars (inline SVG: it prints and needs no script)."""
    if not months:
        return "<p>No mention records.</p>"
    width, height, gap, left = 28, 120, 18, 24  # room for a month label under each bar
    top = max(n for _, n in months)
    bars = []
    for i, (month, n) in enumerate(months):
        h = max(2, round(height * n / top))
        x = left + i * (width + gap)
        bars.append(f'<rect class="bar" x="{x}" y="{height - h + 16}" width="{width}" height="{h}">'
                    f'<title>{html.escape(month)}: {n}</title></rect>'
                    f'<text x="{x + width / 2}" y="{height - h + 12}" text-anchor="middle">{n}</text>'
                    f'<text x="{x + width / 2}" y="{height + 30}" text-anchor="middle">{html.escape(month)}</text>')
    total = 2 * left + len(months) * (width + gap)
    return (f'<svg role="img" aria-label="mentions per month" width="{total}" height="{height + 36}" '
            f'viewBox="0 0 {total} {height + 36}">{"".join(bars)}</svg>')


def profile_page(profile, neighbourhood: Graph) -> str:
    """The HTML of one self-contained page about an actor (see
    :func:`policygraph.analyze.profile.actor_profile`): names, identifiers, amounts, a timeline
    of its mentions, its neighbourhood as a view (in an iframe, so the view's script and the
    page stay apart) and every fact with its evidence sentence and document."""
    esc = html.escape
    names = [("名称 names", " / ".join(profile.labels))]
    if profile.aliases:
        names.append(("别名 aliases", "、".join(profile.aliases)))
    names.append(("标识 identifiers", "<br>".join(esc(i) for i in profile.identifiers)))
    names_html = "".join(f"<dt>{esc(k)}</dt><dd>{v if k.startswith('标识') else esc(v)}</dd>" for k, v in names)
    summary = [f"<li>{len(profile.facts)} facts with evidence; mentioned "
               f"{sum(n for _, n in profile.mentions)} times in {len(profile.mentions)} documents</li>"]
    if profile.amounts:
        summary.append("<li>投资额 amounts: " + esc(", ".join(yuan_text(a) for a in profile.amounts)) + "</li>")
    if profile.projects:
        rows = "".join(f"<tr><td>{esc(p)}</td><td class=num>{esc(yuan_text(y)) if y else '—'}</td></tr>"
                       for p, y in sorted(profile.projects.items(), key=lambda kv: (-kv[1], kv[0])))
        summary.append(f"<li>{len(profile.projects)} projects, {esc(yuan_text(profile.projects_total))} in all"
                       f"<table><tr><th>项目 project</th><th>投资额 largest amount</th></tr>{rows}</table></li>")
    facts = "".join(
        f"<tr><td class=dir>{'→' if f.outgoing else '←'}</td><td>{esc(f.predicate)}</td>"
        f"<td>{esc(f.other)} <span class=doc>{esc(f.other_type)}</span></td>"
        f"<td class=sentence>{esc(' '.join(f.sentence.split()))}</td>"
        f"<td class=doc>{esc(f.source.identifier)}<br>{esc(f.source.date)}</td>"
        f"<td class=num>{'' if f.confidence is None else f'{f.confidence:.2f}'}</td></tr>"
        for f in profile.facts)
    facts_html = ("<table><tr><th></th><th>关系 fact</th><th>对象 other end</th><th>证据 sentence</th>"
                  f"<th>文献 document</th><th>置信度 confidence</th></tr>{facts}</table>"
                  "<p class=doc>→ the actor holds the fact on the other end; ← the other end holds it on the actor.</p>"
                  if profile.facts else "<p>No fact names this actor.</p>")
    documents = "".join(f"<tr><td>{esc(s.date)}</td><td>{esc(s.identifier)}</td><td>{esc(s.title)}</td>"
                        f"<td class=num>{n}</td></tr>" for s, n in profile.mentions)
    documents_html = ("<table><tr><th>日期 date</th><th>文献 document</th><th>标题 title</th><th>提及 mentions</th>"
                      f"</tr>{documents}</table>")
    title = " / ".join(profile.labels)
    g = to_networkx(neighbourhood)
    view = (f'<iframe title="neighbourhood" sandbox="allow-scripts allow-downloads" srcdoc="'
            f'{esc(page(g, title, max_visible=0), quote=True)}"></iframe>' if len(g) else "<p>No neighbours.</p>")
    parts = {"TITLE": esc(title), "STYLE": _asset("profile.css"), "TYPES": esc(", ".join(profile.types)),
             "NAMES": names_html, "SUMMARY": "<ul>" + "".join(summary) + "</ul>",
             "TIMELINE": _timeline_svg(profile.timeline()), "VIEW": view, "FACTS": facts_html,
             "DOCUMENTS": documents_html}
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], _asset("profile.html"))
