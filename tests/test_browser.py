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
    ctx = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.pgDrawn !== undefined", timeout=60_000)
    return page, errors


def test_sample_view_offline(browser, sample_dir: Path, tmp_path: Path) -> None:
    g = to_networkx(build([sample_dir]).dataset)
    path = render_graph(g, tmp_path / "v.html")
    page, errors = _open(browser, path)
    assert errors == []
    assert page.evaluate("window.pgNetwork.body.data.nodes.length") == g.number_of_nodes()
    painted = page.evaluate("""() => {
        const c = document.querySelector('#net canvas'); const ctx = c.getContext('2d');
        const d = ctx.getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n; }""")
    assert painted > 1000, "the canvas is blank"
    # labels name the CJK fonts of each platform, on the page and on the canvas
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert all(f in family for f in ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei"))
    assert page.evaluate("window.pgNetwork.body.data.nodes.get(0).font.face") == family
    page.fill("#search", "盈峰新能源")
    page.press("#search", "Enter")
    selected = page.evaluate("window.pgNetwork.getSelectedNodes()")
    assert len(selected) == 1
    assert "盈峰新能源装备项目" in page.inner_text("#info")
    page.uncheck("input[data-type=Project]")
    assert page.evaluate("window.pgNetwork.body.data.nodes.length") == g.number_of_nodes() - sum(
        1 for _, d in g.nodes(data=True) if d["type"] == "Project")
    page.check("#physics")


def test_hostile_document_does_not_run(browser, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    name = "<img src=x onerror=alert(1)>"  # a programme's name (a 《》 title) ...
    script = "</script><script>window.pwned=2;alert(2)</script>"  # ... and its evidence sentence
    (corpus / "x.txt").write_text(f"杭州市经信局印发《{name}数字经济行动方案》,{script}。", encoding="utf-8")
    out = tmp_path / "x.trig"
    assert main(["build", str(corpus), "-o", str(out)]) == 0
    page, errors = _open(browser, out.with_suffix(".html"))
    assert page.evaluate("window.pgFind('数字经济行动方案')") is not None
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    assert errors == []
    info = page.inner_text("#info")  # the payload is shown as text: in the name and in the sentence
    assert info.count("<img src=x onerror=alert(1)>") >= 2 and "</script><script>window.pwned=2" in info


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
    view.wait_for_function("window.pgDrawn !== undefined", timeout=60_000)
    assert view.evaluate("window.pgNetwork.body.data.nodes.length") >= 4
    painted = view.evaluate("""() => {
        const c = document.querySelector('#net canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
    assert painted > 1000, "the neighbourhood view is blank"
    assert frame.locator("#net").count() == 1
    assert errors == []
    ctx.close()
