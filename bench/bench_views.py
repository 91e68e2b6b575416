#!/usr/bin/env python3
"""HTML views: generation time, page size and time to first draw in headless Chromium.

Usage: python bench/bench_views.py [--sizes 500,2000,10000]

For each size a deterministic synthetic graph shaped like ours (scale-free, the
ten entity types) is rendered twice in the same run: by policygraph's view and,
as the baseline, by pyvis's own page (in_line resources, physics off, the same
positions). Both open from file:// in Debian's chromium with the network off;
"drawn" is the time from navigation to the second animation frame after the
network object exists. Targets (issue 5): policygraph's view drawn and usable in
<= 2 s at 2,000 actors and <= 6 s at 10,000.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from policygraph.render import STYLE, layout, render_graph

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic", "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding"]
PREDICATES = ["investsIn", "locatedIn", "inIndustry", "partOf", "organizedBy", "participatesIn"]


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    types = list(STYLE)
    g = nx.MultiDiGraph()
    for i in base.nodes:
        g.add_node(f"urn:pg:{i}", label=f"主体{i}", type=rng.choice(types), aliases=[], documents=["d.txt"])
    for a, b in base.edges:
        g.add_edge(f"urn:pg:{a}", f"urn:pg:{b}", key=rng.choice(PREDICATES),
                   evidence=[(f"第{a}句证据,说明{b}。", "d.txt")])
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


def drawn_ms(browser, path: Path, network_var: str, show_all: bool = False) -> float:
    ctx = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.goto(path.resolve().as_uri(), timeout=600_000)
    page.wait_for_function(f"typeof window.{network_var} !== 'undefined'", timeout=600_000)
    if show_all:
        t0 = page.evaluate("performance.now()")
        page.click("#all")
    else:
        t0 = 0.0
    t = page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))")
    ctx.close()
    return t - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,2000,10000")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("Debian chromium is required (apt-get install chromium)")
        return 2
    ok = True
    tmp = Path(tempfile.mkdtemp())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        print(f"{'actors':>7} {'view':22} {'generate s':>10} {'size MB':>8} {'drawn s':>8}")
        for n in map(int, a.sizes.split(",")):
            g = synthetic(n)
            rows = []
            t = time.perf_counter()
            ours = render_graph(g, tmp / f"ours{n}.html")
            gen = time.perf_counter() - t
            rows.append(("policygraph (default)", gen, ours, drawn_ms(browser, ours, "pgNetwork") / 1000))
            t = time.perf_counter()
            full = render_graph(g, tmp / f"full{n}.html", max_visible=0)
            gen_full = time.perf_counter() - t
            rows.append(("policygraph (show all)", gen_full, full, drawn_ms(browser, full, "pgNetwork") / 1000))
            t = time.perf_counter()
            base = tmp / f"pyvis{n}.html"
            pyvis_page(g, base)
            gen_base = time.perf_counter() - t
            rows.append(("pyvis baseline", gen_base, base, drawn_ms(browser, base, "network") / 1000))
            for name, gen_s, path, drawn in rows:
                print(f"{n:7d} {name:22} {gen_s:10.2f} {path.stat().st_size / 1e6:8.2f} {drawn:8.2f}")
            ratio = rows[2][3] / rows[1][3] if rows[1][3] else float("inf")
            print(f"{n:7d} show-all view draws {ratio:.1f}x faster than the pyvis baseline")
            limit = {2000: 2.0, 10000: 6.0}.get(n)
            if limit is not None and rows[1][3] > limit:
                ok = False
                print(f"{n:7d} MISSED: show-all view drawn in {rows[1][3]:.2f} s > {limit} s")
        browser.close()
    shutil.rmtree(tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
