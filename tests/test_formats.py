"""Documents as users have them: web pages, PDF and Word files read from real corpus text, and
newspaper pages split into articles. Every fixture is written by the test from a real text of
../shared/corpus (the PDF printed by headless Chromium, with a CJK font, so it has a real text
layer); the facts found must equal those from the plain text of the same document."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from policygraph.build import build
from policygraph.evaluate import load_gold, score
from policygraph.extract import Pipeline
from policygraph.ingest import read_corpus
from policygraph.ingest.articles import split_articles
from policygraph.namespaces import PG

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BOILERPLATE = ["首页", "政务公开", "政策文件", "当前位置：首页 > 政策文件", "【打印】【关闭】 字号：大 中 小",
               "分享到：微信 微博", "版权所有：某某市人民政府办公厅 网站标识码：1100000001 京ICP备05070218号"]


@pytest.fixture(scope="module")
def text(shared: Path) -> str:
    """A real government work report (Anhui, 2026), ~2,700 characters from its title on (the
    file begins with the scraped site's own buttons)."""
    lines = (shared / "corpus" / "provincial-reports-2026" / "安徽省.txt").read_text(encoding="utf-8").splitlines()
    lines = lines[next(i for i, line in enumerate(lines) if line.endswith("政府工作报告")):]
    out, n = [], 0
    for line in lines:
        if line.strip():
            out.append(line.strip().lstrip("\u3000"))
            n += len(out[-1])
        if n > 2700:
            break
    return "\n".join(out) + "\n"


def _html(text: str, charset: str = "gbk", furniture: bool = True) -> str:
    paras = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())
    nav = "".join(f"<li><a href='/{i}'>{w}</a></li>" for i, w in enumerate(BOILERPLATE[:3]))
    if not furniture:  # a document printed to PDF: the text alone
        return (f"<!DOCTYPE html><html><head><meta charset='{charset}'><style>body{{font-family:"
                f"'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif}}</style></head><body>{paras}</body></html>")
    return (f"<!DOCTYPE html><html><head><meta charset='{charset}'>"
            "<title>政府工作报告_安徽省人民政府</title>"
            "<meta name='PubDate' content='2013-02-19 10:00'>"
            "<style>body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif}</style></head>"
            f"<body><nav><ul>{nav}</ul></nav><div class='crumb'>{BOILERPLATE[3]}</div>"
            f"<div class='article'><h1>政府工作报告</h1>{paras}</div>"
            f"<div class='tools'>{BOILERPLATE[4]}</div><div class='share'>{BOILERPLATE[5]}</div>"
            f"<footer><p>{BOILERPLATE[6]}</p></footer></body></html>")


def _write_docx(text: str, path: Path, table: list[list[str]] | None = None) -> None:
    import docx

    d = docx.Document()
    lines = text.splitlines()
    for line in lines[:2]:
        d.add_paragraph(line)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    for line in lines[2:]:
        d.add_paragraph(line)
    d.save(str(path))


def _write_pdf(page_html: str, path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        page = b.new_page()
        page.set_content(page_html)
        page.pdf(path=str(path), format="A4")
        b.close()


def _facts(ds) -> set[tuple]:
    """Facts by labels (document IRIs differ between the files), and entities by type and label."""
    from rdflib.namespace import RDF, RDFS

    def label(node):
        return str(ds.value(node, RDFS.label)) if isinstance(node, URIRef) else str(node)

    out = set()
    for s, p, o in ds.triples((None, None, None)):
        if str(p).startswith(str(PG)) and p.fragment in {
                "investsIn", "locatedIn", "inIndustry", "partOf", "targets", "organizedBy", "investmentCNY",
                "date", "participatesIn", "subOrganizationOf", "announcedAt"}:
            out.add((label(s), p.fragment, label(o)))
        elif p == RDF.type and str(o).startswith(str(PG)) and o.fragment not in {"Document", "Evidence"}:
            out.add((label(s), "a", o.fragment))
    return out


def _build_one(folder: Path):
    return build([folder], pipeline=Pipeline()).dataset


@pytest.fixture(scope="module")
def formats(text: str, tmp_path_factory) -> dict[str, Path]:
    """The same document as .txt, .html (GBK, with page furniture), .docx and .pdf, each in its
    own folder with the same manifest row."""
    root = tmp_path_factory.mktemp("formats")
    out = {}
    for fmt in ("txt", "html", "docx", "pdf"):
        folder = root / fmt
        folder.mkdir()
        name = f"notice.{fmt}"
        (folder / "manifest.csv").write_text(f"file,title,published,region\n{name},,2026-01-25,安徽省\n",
                                             encoding="utf-8")
        path = folder / name
        if fmt == "txt":
            path.write_text(text, encoding="utf-8")
        elif fmt == "html":
            path.write_bytes(_html(text).encode("gb18030"))
        elif fmt == "docx":
            _write_docx(text, path)
        elif CHROMIUM is not None:
            _write_pdf(_html(text, "utf-8", furniture=False), path)
        out[fmt] = folder
    return out


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_same_document_in_every_format_gives_the_same_graph(formats, fmt: str) -> None:
    if fmt == "pdf" and CHROMIUM is None:
        pytest.skip("Debian chromium is needed to print the PDF fixture")
    plain = _facts(_build_one(formats["txt"]))
    other = _facts(_build_one(formats[fmt]))
    assert len([f for f in plain if f[1] != "a"]) >= 5  # a document with facts, not a vacuous match
    assert other == plain, (sorted(plain - other)[:10], sorted(other - plain)[:10])


def test_html_boilerplate_is_no_text_and_metadata_is_read(formats) -> None:
    corpus = read_corpus([formats["html"]])
    (doc,) = corpus.documents
    assert doc.encoding == "gb18030" and doc.format == "html"
    for line in BOILERPLATE:
        assert line not in doc.text
    assert "版权所有" not in doc.text and "字号" not in doc.text
    assert doc.title == "政府工作报告"
    ds = _build_one(formats["html"])
    labels = {str(o) for o in ds.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert not labels & {"首页", "政务公开", "政策文件", "某某市人民政府办公厅"}


def test_html_metadata_yields_to_the_manifest(tmp_path: Path) -> None:
    page = _html("总投资10亿元的明华光电显示项目签约落户南湖区。\n")
    (tmp_path / "a.html").write_bytes(page.encode("gb18030"))
    (doc,) = read_corpus([tmp_path]).documents
    assert doc.published == "2013-02-19"  # from <meta name=PubDate>
    (tmp_path / "manifest.csv").write_text("file,title,published\na.html,清单标题,2024-08-03\n", encoding="utf-8")
    (doc,) = read_corpus([tmp_path]).documents
    assert (doc.title, doc.published) == ("清单标题", "2024-08-03")


def test_pdf_lines_wrapped_by_the_typesetter_run_on_as_in_the_text(formats) -> None:
    if CHROMIUM is None:
        pytest.skip("Debian chromium is needed to print the PDF fixture")
    (plain,) = read_corpus([formats["txt"]]).documents
    (pdf,) = read_corpus([formats["pdf"]]).documents
    assert pdf.text.replace("\n", "") == plain.text.replace("\n", "")
    def breaks(text: str) -> set[int]:  # where the line breaks stand in the text without them
        return {i - k for k, i in enumerate(j for j, c in enumerate(text) if c == "\n")}

    joined = plain.text.replace("\n", "")
    extra = breaks(pdf.text) - breaks(plain.text)
    # the page has dozens of full lines; a break the text does not have follows a sentence's
    # end, so none cuts a sentence (or a word) in two
    assert all(joined[i - 1] in "。！？；：" for i in extra), [joined[i - 10:i + 5] for i in extra]
    assert breaks(plain.text) <= breaks(pdf.text)  # the paragraphs' own breaks stay


def test_evidence_points_into_the_stored_text_with_pages(formats) -> None:
    if CHROMIUM is None:
        pytest.skip("Debian chromium is needed to print the PDF fixture")
    ds = _build_one(formats["pdf"])
    (d,) = ds.subjects(PG["format"], Literal("pdf"))
    stored = str(ds.value(d, PG.text))
    evidence = list(ds.subjects(RDF.type, PG.Evidence))
    assert evidence
    pages = set()
    for ev in evidence:
        start, end = int(ds.value(ev, PG.charStart)), int(ds.value(ev, PG.charEnd))
        assert stored[start:end] == str(ds.value(ev, PG.sentence))
        pages.add(int(ds.value(ev, PG.page)))
    assert pages >= {1, 2}  # the text runs over two A4 pages, and evidence says which


def test_docx_tables_are_read_in_order(tmp_path: Path) -> None:
    _write_docx("第一段。\n第二段。\n第三段。\n", tmp_path / "a.docx",
                table=[["项目", "投资"], ["明华光电显示项目", "10亿元"]])
    (doc,) = read_corpus([tmp_path]).documents
    assert doc.text == "第一段。\n第二段。\n项目\t投资\n明华光电显示项目\t10亿元\n第三段。\n"


def test_unreadable_and_unsupported_files_get_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("总投资10亿元的明华光电显示项目签约落户南湖区。\n", encoding="utf-8")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    (tmp_path / "old.wps").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not a pdf")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "empty.html").write_bytes(b"<html><body><script>var a=1;</script></body></html>")
    corpus = read_corpus([tmp_path])
    assert [d.identifier for d in corpus.documents] == ["good.txt"]
    msgs = {Path(p.path).name: p.message for p in corpus.problems}
    assert "convert-to docx" in msgs["old.doc"] and "WPS" in msgs["old.wps"]
    assert "PDF" in msgs["broken.pdf"] and "Word" in msgs["broken.docx"] and "no main text" in msgs["empty.html"]
    assert all("\n" not in m for m in msgs.values())


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is needed to print the PDF fixture")
def test_scanned_pdf_says_ocr_it_first(tmp_path: Path) -> None:
    import base64
    import struct
    import zlib

    def png(w: int, h: int) -> bytes:
        raw = b"".join(b"\x00" + b"\x80\x80\x80" * w for _ in range(h))
        def chunk(tag: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    img = base64.b64encode(png(40, 40)).decode()
    _write_pdf(f"<html><body><img src='data:image/png;base64,{img}' width=400></body></html>",
               tmp_path / "scan.pdf")
    corpus = read_corpus([tmp_path])
    assert corpus.documents == []
    (problem,) = corpus.problems
    assert "no text layer" in problem.message and "OCR" in problem.message


def test_sample_page_splits_into_its_articles_with_every_gold_entity(sample_dir: Path, shared: Path) -> None:
    corpus = read_corpus([sample_dir])  # the sample's manifest marks it kind=page
    name = corpus.documents[0].identifier.split("#")[0]
    assert [d.identifier for d in corpus.documents] == [f"{name}#{n}" for n in range(1, 6)]
    titles = [d.title for d in corpus.documents]
    assert titles[0].startswith("打造具有全国影响力的新质生产力先行地") and titles[-1] == "创新研发 拓宽市场"
    page = (sample_dir / name).read_text(encoding="utf-8")
    assert "".join(d.text for d in corpus.documents) == page  # the articles cover the page
    gold = load_gold(shared / "gold" / "seed.jsonl")
    ds = build([sample_dir], pipeline=Pipeline()).dataset
    split = score(ds, gold)
    whole = score(build([sample_dir], pipeline=Pipeline(), split_articles=False).dataset, gold)  # one page
    assert set(split.missed_entities) <= set(whole.missed_entities)
    assert {p: t.tp for p, t in split.entities.items()} == {p: t.tp for p, t in whole.entities.items()}
    # evidence offsets still point into the page file
    for ev in ds.subjects(RDF.type, PG.Evidence):
        start, end = int(ds.value(ev, PG.charStart)), int(ds.value(ev, PG.charEnd))
        assert page[start:end] == str(ds.value(ev, PG.sentence))


def test_articles_split_at_reports_not_at_section_heads() -> None:
    page = ("全区召开项目推进大会\n部署下半年重点工作\n本报记者 张三\n"
            "一、抓好招商\n今年以来,全区签约项目12个,总投资80亿元。\n"
            "二、抓好服务\n全区持续优化营商环境。\n(下转第二版)\n"
            "开发区新签约三个项目\n本报讯(记者 李四)昨日,开发区签约三个项目。\n"
            "风电装备下线\n日前,首台风电装备在开发区下线。\n记者 王五 摄\n")
    arts = split_articles(page)
    assert [a.headline for a in arts] == ["全区召开项目推进大会 部署下半年工作"[:0] + "全区召开项目推进大会 部署下半年重点工作",
                                           "开发区新签约三个项目", "风电装备下线"]
    assert page[arts[0].start:arts[0].end].rstrip().endswith("(下转第二版)")
    assert page[arts[2].start:arts[2].end].rstrip().endswith("记者 王五 摄")
