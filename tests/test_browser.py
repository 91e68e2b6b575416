"""The views in a real headless Chromium (Debian's), with the network off."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policygraph.analyze import to_networkx
from policygraph.build import build
from policygraph.cli import main
from policygraph.render import render_graph

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic", "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding"]

if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("CI must install Debian's chromium for the browser tests", pytrace=False)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _open(browser, path: Path):
    ctx = browser.new_context(offline=True, viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(path.resolve().as_uri())
    page.wait_for_function("() => window.pgDrawn !== undefined", timeout=60_000)
    return page, errors


def _painted(png: bytes) -> int:
    """How many pixels of an exported PNG are not the white background."""
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    return sum(img.histogram()[:245])


def _download(page, button: str) -> bytes:
    with page.expect_download() as info:
        page.click(button)
    return Path(info.value.path()).read_bytes()


def _corpus_graph(n_docs: int = 6, per_doc: int = 6):
    """A small graph over documents of distinct dates and regions, facts with confidences, a few
    actors without facts: what the filters act on."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.graph["documents"] = {f"d{k}.txt": {"date": f"{2018 + k}-03-01", "region": "甲区" if k % 2 else "乙区",
                                          "title": f"第{k}号文"} for k in range(n_docs)}
    hub = "urn:hub"
    g.add_node(hub, label="枢纽市", type="Place", aliases=[], documents=sorted(g.graph["documents"]))
    for k in range(n_docs):
        doc = f"d{k}.txt"
        for i in range(per_doc):
            iri = f"urn:a{k}_{i}"
            g.add_node(iri, label=f"企业{k}_{i}", type="Company" if i % 2 else "Project", aliases=[], documents=[doc])
            g.add_edge(iri, hub, key="locatedIn", evidence=[(f"企业{k}_{i}位于枢纽市。", doc)],
                       confidence=round(0.3 + 0.1 * i, 2))
        g.add_node(f"urn:lone{k}", label=f"孤立{k}", type="Organization", aliases=[], documents=[doc])
    g.add_edge("urn:a0_1", "urn:a0_0", key="investsIn", evidence=[("=HYPERLINK(\"x\")投资。", "d0.txt")], confidence=0.9)
    return g


def _visible(g, *, since: str = "", region: str = "", min_conf: float = 0.0) -> tuple[int, int]:
    """The actors and facts the page should show under these filters, computed here."""
    docs = g.graph["documents"]

    def ok(ids):
        return not ids or any(docs[d]["date"] >= since and (not region or docs[d]["region"] == region) for d in ids)

    nodes = {n for n in g if g.degree(n) > 0 and ok(g.nodes[n]["documents"])}
    edges = [e for e in g.edges(keys=True, data=True) if e[0] in nodes and e[1] in nodes
             and (e[3]["confidence"] is None or e[3]["confidence"] >= min_conf) and ok([d for _, d in e[3]["evidence"]])]
    return len(nodes), len(edges)


def _shown(g, **filters) -> dict[str, int]:
    nodes, edges = _visible(g, **filters)
    return {"nodes": nodes, "edges": edges}


@pytest.mark.parametrize("renderer", ["vis", "sigma"])
def test_sample_view_offline(browser, sample_dir: Path, tmp_path: Path, renderer: str) -> None:
    g = to_networkx(build([sample_dir]).dataset)
    path = render_graph(g, tmp_path / "v.html", renderer=renderer)
    page, errors = _open(browser, path)
    assert errors == []
    assert page.evaluate("window.pgView.renderer") == renderer
    with_facts = sum(1 for n in g if g.degree(n) > 0)
    assert page.evaluate("window.pgView.shown()") == {"nodes": with_facts, "edges": g.number_of_edges()}
    # actors without facts are listed beside the drawing, not scattered over it
    assert page.locator("#isolated button").count() == g.number_of_nodes() - with_facts > 0
    assert _painted(_download(page, "#png")) > 1000, "the exported picture is blank"
    # labels name the CJK fonts of each platform, on the page and on the canvas
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert all(f in family for f in ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei"))
    face = ("window.pgNetwork.body.data.nodes.get(0).font.face" if renderer == "vis"
            else "window.pgSigma.getSettings().labelFont")
    assert page.evaluate(face) == family
    page.fill("#search", "盈峰新能源")
    page.press("#search", "Enter")
    assert len(page.evaluate("window.pgView.selected()")) == 1
    assert "盈峰新能源装备项目" in page.inner_text("#info")
    projects = sum(1 for n, d in g.nodes(data=True) if d["type"] == "Project" and g.degree(n) > 0)
    page.uncheck("input[data-type=Project]")
    assert page.evaluate("window.pgView.shown().nodes") == with_facts - projects
    # a group's button takes the view to its most central actor
    page.locator("#groups button").first.click()
    assert page.locator("#info h3").inner_text() == page.locator("#groups button").first.inner_text().rsplit(" (", 1)[0]
    if renderer == "vis":
        page.check("#physics")
    else:
        assert page.locator("#physics-box").is_hidden()
    assert errors == []


@pytest.mark.parametrize("renderer", ["vis", "sigma"])
def test_filters_click_expand_and_export(browser, tmp_path: Path, renderer: str) -> None:
    import csv
    import io

    g = _corpus_graph()
    total = _visible(g)
    path = render_graph(g, tmp_path / "v.html", renderer=renderer, max_visible=0)
    page, errors = _open(browser, path)
    assert page.evaluate("window.pgView.shown()") == {"nodes": total[0], "edges": total[1]}

    def slide(selector: str, value) -> None:
        page.eval_on_selector(selector, "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", value)

    slide("#date-from", 2)  # from the third date on
    assert "2020-03-01 – 2023-03-01" in page.inner_text("#date-label")
    assert page.evaluate("window.pgView.shown()") == _shown(g, since="2020-03-01")
    assert page.inner_text("#status").startswith(f"{_visible(g, since='2020-03-01')[0]} / ")
    slide("#date-from", 0)
    slide("#confidence", 0.6)
    assert page.evaluate("window.pgView.shown().edges") == _visible(g, min_conf=0.6)[1]
    slide("#confidence", 0)
    page.select_option("#document", "甲区")
    assert page.evaluate("window.pgView.shown()") == _shown(g, region="甲区")
    page.select_option("#document", "")
    # the facts shown, with their evidence, as CSV (a formula-like cell is defused)
    rows = list(csv.reader(io.StringIO(_download(page, "#csv").decode("utf-8-sig"))))
    assert rows[0] == ["subject", "predicate", "object", "sentence", "document", "date", "confidence"]
    assert len(rows) - 1 == total[1]
    assert ["企业0_1", "investsIn", "企业0_0", "'=HYPERLINK(\"x\")投资。", "d0.txt", "2018-03-01", "0.9"] in rows
    # a click on an actor shows the sentences behind its facts
    target = next(i for i, n in enumerate(sorted(g)) if n == "urn:a3_2")
    if renderer == "vis":
        page.uncheck("#physics")  # the nodes stop moving, so that the click lands on one
    pos = page.evaluate(f"window.pgView.position({target})")
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_function("() => document.querySelector('#info h3') !== null", timeout=10_000)
    assert page.inner_text("#info h3") == "企业3_2" and "企业3_2位于枢纽市。" in page.inner_text("#info")
    assert _painted(_download(page, "#png")) > 500
    assert errors == []


@pytest.mark.parametrize("renderer", ["vis", "sigma"])
def test_double_click_brings_in_neighbours(browser, tmp_path: Path, renderer: str) -> None:
    g = _corpus_graph()
    nodes = sorted(g)
    path = render_graph(g, tmp_path / "v.html", renderer=renderer, max_visible=1)
    page, errors = _open(browser, path)
    assert page.evaluate("window.pgView.shown()") == {"nodes": 1, "edges": 0}  # the hub alone
    hub = nodes.index("urn:hub")
    if renderer == "vis":
        page.uncheck("#physics")
    pos = page.evaluate(f"window.pgView.position({hub})")
    page.mouse.dblclick(pos["x"], pos["y"])
    page.wait_for_function("() => window.pgView.shown().nodes > 1", timeout=10_000)
    assert page.evaluate("window.pgView.shown().nodes") == 1 + len(set(g.predecessors("urn:hub")))
    assert errors == []


def test_large_view_labels_never_overlap(browser, tmp_path: Path) -> None:
    import networkx as nx

    base = nx.barabasi_albert_graph(800, 2, seed=3)
    g = nx.MultiDiGraph()
    for n in base:
        g.add_node(f"urn:n{n:04d}", label=f"主体{n}", type="Company", aliases=[], documents=[])
    for a, b in base.edges:
        g.add_edge(f"urn:n{a:04d}", f"urn:n{b:04d}", key="partOf", evidence=[])
    path = render_graph(g, tmp_path / "big.html")
    page, errors = _open(browser, path)
    assert page.evaluate("window.pgView.renderer") == "sigma"  # chosen by size

    def overlaps(boxes):
        return [(a["label"], b["label"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]]

    first = page.evaluate("window.pgView.labels()")
    assert len(first) >= 15 and all(b["size"] >= 12 for b in first)
    assert overlaps(first) == []
    size = page.evaluate("window.pgSigma.getDimensions()")  # every label drawn whole, none cut at an edge
    assert all(b["x"] >= 0 and b["x"] + b["w"] <= size["width"] and b["y"] >= 0 and b["y"] + b["h"] <= size["height"]
               for b in first)
    hub = max(g.degree, key=lambda x: (x[1], x[0]))[0]
    assert g.nodes[hub]["label"] in {b["label"] for b in first}  # the most central actor is named
    page.evaluate("() => { const c = window.pgSigma.getCamera(); c.setState({ratio: 0.25}); window.pgSigma.render(); }")
    zoomed = page.evaluate("window.pgView.labels()")
    assert overlaps(zoomed) == [] and {b["label"] for b in zoomed} - {b["label"] for b in first}
    assert errors == []


@pytest.mark.parametrize("renderer", ["vis", "sigma"])
def test_hostile_document_does_not_run(browser, tmp_path: Path, renderer: str) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    name = "<img src=x onerror=alert(1)>"  # a programme's name (a 《》 title) ...
    script = "</script><script>window.pwned=2;alert(2)</script>"  # ... and its evidence sentence
    (corpus / "x.txt").write_text(f"杭州市经信局印发《{name}数字经济行动方案》,{script}。", encoding="utf-8")
    out = tmp_path / "x.trig"
    assert main(["build", str(corpus), "-o", str(out), "--no-view"]) == 0
    view = tmp_path / "x.html"
    assert main(["render", str(out), "-o", str(view), "--renderer", renderer]) == 0
    page, errors = _open(browser, view)
    assert page.evaluate("window.pgFind('数字经济行动方案')") is not None
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    assert errors == []
    info = page.inner_text("#info")  # the payload is shown as text: in the name and in the sentence
    assert info.count("<img src=x onerror=alert(1)>") >= 2 and "</script><script>window.pwned=2" in info
    rows = _download(page, "#csv").decode("utf-8-sig")
    assert "</script><script>window.pwned=2" in rows  # exported as text too
    assert page.evaluate("window.pwned") is None


def test_actor_profile_offline(browser, sample_dir: Path, tmp_path: Path, capsys) -> None:
    from rdflib import RDF

    from policygraph.namespaces import PG
    from policygraph.rdfio import read_dataset

    graph = tmp_path / "s.trig"
    assert main(["build", str(sample_dir), "-o", str(graph), "--no-view"]) == 0
    capsys.readouterr()
    out = tmp_path / "卧龙.html"
    assert main(["profile", "卧龙", str(graph), "-o", str(out)]) == 0
    summary = capsys.readouterr().out
    assert summary.startswith("卧龙 (Company)") and "facts with evidence" in summary
    # every fact of 卧龙 in the graph, each with its sentence
    ds = read_dataset(graph)
    wolong = next(s for s, o in ds.subject_objects(None) if str(o) == "卧龙" and (s, RDF.type, PG.Company) in ds)
    expected = {(str(ds.value(e, RDF.predicate)).rpartition("#")[2], " ".join(str(ds.value(e, PG.sentence)).split()))
                for e in ds.subjects(RDF.type, PG.Evidence)
                if wolong in (ds.value(e, RDF.subject), ds.value(e, RDF.object))}
    assert len(expected) >= 3
    ctx = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(out.resolve().as_uri())
    rows = page.eval_on_selector_all("#facts tr", "rs => rs.slice(1).map(r => [...r.cells].map(c => c.innerText))")
    assert {(r[1], r[3]) for r in rows} == expected
    assert all(r[4].startswith("000_edcad067146c7d14.txt") for r in rows)
    # the timeline is drawn and the neighbourhood view inside the page draws its network
    assert page.eval_on_selector_all("#timeline rect", "rs => rs.length") >= 1
    frame = page.frame_locator("#neighbourhood iframe")
    view = next(f for f in page.frames if f != page.main_frame)
    view.wait_for_function("() => window.pgDrawn !== undefined", timeout=60_000)
    assert view.evaluate("window.pgNetwork.body.data.nodes.length") >= 4
    painted = view.evaluate("""() => {
        const c = document.querySelector('#net canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
    assert painted > 1000, "the neighbourhood view is blank"
    assert frame.locator("#net").count() == 1
    assert errors == []
    ctx.close()


def test_endpoint_query_page_runs_a_canned_query(browser) -> None:
    """`policygraph serve`'s page, served by a real endpoint: pick a canned query, run it, read
    the table; no request leaves the endpoint and the script raises nothing."""
    import functools

    from policygraph.serve import Server
    from policygraph.store import open_for_query

    sample = Path(__file__).resolve().parent.parent / "graphs" / "sample.trig"
    server = Server(functools.partial(open_for_query, str(sample)), port=0, workers=1).start()
    try:
        ctx = browser.new_context()
        page = ctx.new_page()
        errors: list[str] = []
        outside: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
        page.goto(server.url + "/")
        page.select_option("#canned", "investment_by_industry")
        assert "investmentCNY" in page.input_value("#q")
        page.click("#run")
        page.wait_for_function("() => /rows/.test(document.getElementById('msg').textContent)", timeout=30_000)
        headers = page.eval_on_selector_all("#out th", "ths => ths.map(t => t.textContent)")
        cells = page.eval_on_selector_all("#out td", "tds => tds.map(t => t.textContent)")
        assert headers and cells and not errors and not outside
        page.fill("#q", "SELECT nonsense")
        page.click("#run")
        page.wait_for_function("() => /^400/.test(document.getElementById('msg').textContent)", timeout=30_000)
        ctx.close()
    finally:
        server.close()
