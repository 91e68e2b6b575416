#!/usr/bin/env python3
"""HTML views: generation time, page size, first frame, labels and redraw in headless Chromium.

Usage: python bench/bench_views.py [--sizes 500,5000,10000,50000] [--out bench/results/views]

For each size a deterministic synthetic graph shaped like a corpus's (actors in documents of
5 to 40, most facts inside a document, the rest to a few hub places and industries chosen
with a heavy tail; the ten entity types; three facts an actor at 50,000 actors, so 150,000
facts) is rendered by policygraph's view (the renderer it picks) and, as the baseline, by
pyvis's own page (in_line resources, physics off, the same positions) up to --baseline-max
actors. Both open from file:// in Debian's chromium with the network off.

Measured: "ready" is the time from navigation to the first frame the page draws (its
``pgDrawn`` mark; for pyvis, the second animation frame after its network exists); "redraw"
the median time sigma takes to draw a frame after a pan (10 pans); "labels" how many labels the
first frame draws at >= 12 px, and whether any two overlap (boxes read from the renderer).
Screenshots of the sample, the 5,000- and the 50,000-actor views are written to --out. The
size of vis-network's labels once it has fitted a small graph to the screen is printed too: the
measurement behind the renderer threshold (render.VIS_MAX).

Targets (issue 14): at 500, 5,000 and 50,000 actors >= 15 legible labels and no overlap on
the first frame; ready <= 11 s at 50,000 actors, <= 3 s at 10,000; redraw <= 50 ms.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from policygraph.render import STYLE, VIS_MAX, layout, render_graph

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic", "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding"]
PREDICATES = ["investsIn", "locatedIn", "inIndustry", "partOf", "organizedBy", "participatesIn"]
READY = {10000: 3.0, 50000: 11.0}
REDRAW_MS = 50.0
MIN_LABELS, LABEL_PX = 15, 12


def synthetic(n: int, seed: int = 1, facts_per_actor: int | None = None) -> nx.MultiDiGraph:
    """A graph of ``n`` actors shaped like a corpus's (see the module's docstring)."""
    rng = random.Random(seed)
    per = facts_per_actor or (3 if n >= 50000 else 2)
    types = list(STYLE)
    hubs = max(5, n // 50)
    g = nx.MultiDiGraph()
    doc, left, members = 0, 0, []
    for i in range(n):
        if left == 0:
            doc, left, members = doc + 1, rng.randint(5, 40), []
        kind = rng.choice(("Place", "Industry")) if i < hubs else rng.choice(types)
        g.add_node(f"urn:pg:{i}", label=f"主体{i}", type=kind, aliases=[], documents=[f"d{doc}.txt"])
        if i >= hubs:
            for _ in range(per):
                if members and rng.random() < 0.75:
                    other = rng.choice(members)
                else:
                    other = int(hubs * rng.random() ** 3)
                key = rng.choice(PREDICATES)
                if not g.has_edge(f"urn:pg:{i}", f"urn:pg:{other}", key=key):
                    g.add_edge(f"urn:pg:{i}", f"urn:pg:{other}", key=key,
                               evidence=[(f"第{i}句证据,说明{other}。", f"d{doc}.txt")])
            members.append(i)
        left -= 1
    g.graph["documents"] = {f"d{k}.txt": {"date": f"{2015 + k % 10}-{1 + k % 12:02d}-01", "region": "",
                                          "title": ""} for k in range(1, doc + 1)}
    return g


def pyvis_page(g: nx.MultiDiGraph, path: Path) -> None:
    from pyvis.network import Network

    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
    pos = layout(g)
    for n, d in g.nodes(data=True):
        net.add_node(n, label=d["label"], x=pos[n][0], y=pos[n][1], color=STYLE[d["type"]][0])
    for s, o, k in g.edges(keys=True):
        net.add_edge(s, o, label=k)
    net.toggle_physics(False)
    path.write_text(net.generate_html(), encoding="utf-8")


def _open(browser, path: Path):
    ctx = browser.new_context(offline=True, viewport={"width": 1600, "height": 1000})
    page = ctx.new_page()
    page.goto(path.resolve().as_uri(), timeout=600_000)
    return ctx, page


def baseline_ready(browser, path: Path) -> float:
    ctx, page = _open(browser, path)
    page.wait_for_function("() => typeof window.network !== 'undefined'", timeout=600_000)
    t = page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))")
    ctx.close()
    return t / 1000


def measure(browser, path: Path, shot: Path | None) -> dict:
    ctx, page = _open(browser, path)
    page.wait_for_function("() => window.pgDrawn !== undefined", timeout=600_000)
    out = {"ready": page.evaluate("window.pgDrawn") / 1000, "renderer": page.evaluate("window.pgView.renderer")}
    labels = page.evaluate("window.pgView.labels()") or []
    out["labels"] = sum(1 for b in labels if b["size"] >= LABEL_PX)
    out["overlaps"] = sum(1 for i, a in enumerate(labels) for b in labels[i + 1:]
                          if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
                          and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])
    if out["renderer"] == "sigma":
        times = page.evaluate("""() => { const r = window.pgSigma, cam = r.getCamera(), out = [];
            for (let i = 0; i < 10; i++) { const s = cam.getState();
              cam.setState({x: s.x + (i % 2 ? -0.02 : 0.02), y: s.y});
              const t = performance.now(); r.render(); out.push(performance.now() - t); }
            return out; }""")
        out["redraw"] = statistics.median(times)
        page.evaluate("() => { const cam = window.pgSigma.getCamera(); cam.setState({x: 0.5, y: 0.5, ratio: 1}); "
                      "window.pgSigma.render(); }")
    if shot is not None:
        page.screenshot(path=str(shot))
    ctx.close()
    return out


def vis_label_px(browser, tmp: Path, sizes=(10, 20, 25, 30, 50, 100)) -> list[tuple[int, float]]:
    """How large vis-network draws a 12-unit label once it has fitted a graph of n actors to the
    screen (after its physics settle): the evidence for render.VIS_MAX."""
    out = []
    for n in sizes:
        path = render_graph(synthetic(n), tmp / f"vis{n}.html", renderer="vis")
        ctx, page = _open(browser, path)
        page.wait_for_function("() => window.pgDrawn !== undefined", timeout=600_000)
        page.wait_for_timeout(3000)
        out.append((n, 12 * page.evaluate("window.pgNetwork.getScale()")))
        ctx.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,5000,10000,50000")
    ap.add_argument("--baseline-max", type=int, default=10000, help="pyvis baseline up to this many actors")
    ap.add_argument("--out", default="bench/results/views", help="where screenshots go")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from policygraph.analyze import to_networkx
    from policygraph.build import build
    from policygraph.namespaces import package_file

    chromium = shutil.which("chromium")
    if chromium is None:
        print("Debian chromium is required (apt-get install chromium)")
        return 2
    shots = Path(a.out)
    shots.mkdir(parents=True, exist_ok=True)
    ok = True
    tmp = Path(tempfile.mkdtemp())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        print("vis-network label size once fitted (px): " +
              ", ".join(f"{n} actors {px:.1f}" for n, px in vis_label_px(browser, tmp)) +
              f"; sigma draws views above {VIS_MAX} actors")
        sample = render_graph(to_networkx(build([package_file("sample")]).dataset), tmp / "sample.html")
        m = measure(browser, sample, shots / "sample.png")
        print(f"sample: {m['renderer']}, ready {m['ready']:.2f} s; screenshot {shots / 'sample.png'}")
        print(f"{'actors':>7} {'facts':>7} {'view':8} {'generate s':>10} {'size MB':>8} {'ready s':>8} "
              f"{'redraw ms':>9} {'labels':>6} {'overlaps':>8} {'pyvis ready s':>13}")
        for n in map(int, a.sizes.split(",")):
            g = synthetic(n)
            t = time.perf_counter()
            ours = render_graph(g, tmp / f"ours{n}.html")
            gen = time.perf_counter() - t
            shot = shots / f"view-{n}.png" if n in (5000, 50000) else None
            m = measure(browser, ours, shot)
            base = "-"
            if n <= a.baseline_max:
                pyvis_page(g, tmp / f"pyvis{n}.html")
                base = f"{baseline_ready(browser, tmp / f'pyvis{n}.html'):.2f}"
            redraw = f"{m['redraw']:.1f}" if "redraw" in m else "-"
            print(f"{n:7d} {g.number_of_edges():7d} {m['renderer']:8} {gen:10.2f} {ours.stat().st_size / 1e6:8.2f} "
                  f"{m['ready']:8.2f} {redraw:>9} {m['labels']:6d} {m['overlaps']:8d} {base:>13}")
            missed = []
            if n in (500, 5000, 50000) and (m["labels"] < MIN_LABELS or m["overlaps"]):
                missed.append(f"{m['labels']} labels >= {LABEL_PX} px, {m['overlaps']} overlapping")
            if n in READY and m["ready"] > READY[n]:
                missed.append(f"ready in {m['ready']:.2f} s > {READY[n]} s")
            if m.get("redraw", 0.0) > REDRAW_MS:
                missed.append(f"redraw {m['redraw']:.1f} ms > {REDRAW_MS} ms")
            for miss in missed:
                ok = False
                print(f"{n:7d} MISSED: {miss}")
        browser.close()
    shutil.rmtree(tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
