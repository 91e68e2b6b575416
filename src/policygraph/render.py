"""Interactive HTML network views (pyvis / vis-network), self-contained and safe.

Every script is inlined (no CDN), so a view opens offline from a file. Text
from documents only reaches the page as JSON data escaped for a <script>
block, and vis-network shows titles as plain text.
"""

from __future__ import annotations

import html
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph

from .analyze import to_networkx
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
    "subOrganizationOf": "下属", "investmentCNY": "投资额", "date": "日期",
}


def _tooltip(g: nx.MultiDiGraph, n: str) -> str:
    d = g.nodes[n]
    lines = [f"{d['label']} ({d['type']})"]
    if d.get("aliases"):
        lines.append("别名: " + "、".join(d["aliases"]))
    if d.get("investmentCNY"):
        lines.append("投资额(元): " + ", ".join(f"{float(v):,.0f}" for v in d["investmentCNY"]))
    if d.get("date"):
        lines.append("日期: " + ", ".join(d["date"]))
    evid = []
    for _, _, data in list(g.in_edges(n, data=True)) + list(g.out_edges(n, data=True)):
        for sentence, doc in data.get("evidence", [])[:2]:
            evid.append(f"[{doc}] {sentence.strip()[:160]}")
    for sentence in sorted(set(evid))[:5]:
        lines.append(sentence)
    if d.get("documents"):
        lines.append("文档: " + ", ".join(d["documents"][:5]))
    return "\n".join(lines)


def render_graph(g: nx.MultiDiGraph, output: str | Path, title: str = "policygraph") -> Path:
    """Write ``g`` as a self-contained interactive HTML page."""
    from pyvis.network import Network

    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line",
                  heading="")
    degree = dict(g.degree())
    pos = nx.spring_layout(nx.Graph(g), seed=7, k=None) if g.number_of_nodes() <= 1500 else \
        nx.spectral_layout(nx.Graph(g))
    scale = 60 * max(1.0, g.number_of_nodes() ** 0.5)
    for n in sorted(g.nodes):
        d = g.nodes[n]
        colour, shape = STYLE.get(d["type"], ("#bab0ac", "dot"))
        x, y = pos[n]
        net.add_node(n, label=d["label"], title=_tooltip(g, n), color=colour, shape=shape,
                     size=10 + 3 * min(degree.get(n, 0), 12), group=d["type"],
                     x=float(x) * scale, y=float(y) * scale)
    for s, o, k in sorted(g.edges(keys=True)):
        net.add_edge(s, o, label=EDGE_LABELS.get(k, k), title=k, arrows="to")
    net.toggle_physics(False)
    net.set_edge_smooth("false")
    page = net.generate_html(name=str(output), notebook=False)
    legend = "".join(
        f'<span style="margin-right:12px"><span style="display:inline-block;width:10px;height:10px;'
        f'background:{c};margin-right:4px"></span>{html.escape(t)}</span>' for t, (c, _) in STYLE.items()
    )
    banner = (f'<div id="pg-legend" style="position:fixed;top:0;left:0;right:0;z-index:10;'
              f'background:#fffe;font:13px sans-serif;padding:4px 8px">'
              f'<b>{html.escape(title)}</b> — {g.number_of_nodes()} actors, {g.number_of_edges()} facts. '
              f'{legend}</div>')
    page = page.replace("<body>", "<body>\n" + banner, 1)
    atomic_write(output, page.encode("utf-8"))
    return Path(output)


def render(ds: Dataset | Graph, output: str | Path, title: str = "policygraph") -> Path:
    return render_graph(to_networkx(ds), output, title)


def notebook_view(ds: Dataset | Graph | nx.MultiDiGraph, height: int = 600, title: str = "policygraph"):
    """The same self-contained view, inline in Jupyter (an iframe whose page travels with the notebook)."""
    import tempfile
    import warnings

    from IPython.display import HTML

    g = ds if isinstance(ds, nx.MultiDiGraph) else to_networkx(ds)
    with tempfile.TemporaryDirectory() as tmp:
        page = render_graph(g, Path(tmp) / "view.html", title).read_text("utf-8")
    with warnings.catch_warnings():  # IPython suggests IFrame, which needs a URL: srcdoc travels offline
        warnings.simplefilter("ignore", UserWarning)
        return HTML(f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{height}px;'
                    f'border:1px solid #ddd" sandbox="allow-scripts"></iframe>')

