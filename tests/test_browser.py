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
