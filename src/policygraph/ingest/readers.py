"""File formats to text: one reader per kind of file, chosen by the file's suffix.

Every reader takes the file's bytes and returns :class:`Extracted`: the text a
build reads, the metadata the file itself carries (a manifest row still wins)
and, for PDF, where each page starts. A file a reader cannot use raises
:class:`ReadError` with one line that says why and what to do; the build names
the file and goes on.

>>> extracted = read_bytes(Path("a.html"), "<html><head><title>通知</title></head>"
...                        "<body><p>总投资10亿元的明华光电显示项目签约落户南湖区。</p></body></html>".encode())
>>> extracted.format, extracted.title
('html', '通知')
>>> read_bytes(Path("a.doc"), b"")
Traceback (most recent call last):
...
policygraph.ingest.readers.ReadError: legacy Word file (.doc): save it as .docx first (e.g. libreoffice --headless --convert-to docx)
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .decode import DecodeError, decode_bytes


class ReadError(ValueError):
    """A file that holds no text this project can read; the message says why."""


@dataclass
class Extracted:
    text: str
    format: str = "text"
    encoding: str = "utf-8"
    title: str = ""
    published: str = ""
    source: str = ""
    url: str = ""
    #: where each page starts in ``text`` (PDF), for evidence that cites "p. 3"
    pages: tuple[int, ...] = field(default_factory=tuple)


Reader = Callable[[Path, bytes], Extracted]
READERS: dict[str, Reader] = {}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader for files ending in ``suffixes``."""
    def register(fn: Reader) -> Reader:
        for s in suffixes:
            READERS[s] = fn
        return fn
    return register


def read_bytes(path: Path, data: bytes) -> Extracted:
    """The text of ``data``, a file named ``path``, by its suffix."""
    read = READERS.get(path.suffix.lower())
    if read is None:
        raise ReadError(unsupported(path))
    return read(path, data)


def supported(path: Path) -> bool:
    """Whether a reader knows ``path``'s suffix (legacy Word files included: their reader
    says what to do with them)."""
    return path.suffix.lower() in READERS


def unsupported(path: Path) -> str:
    """What to say of a file no reader knows."""
    readable = " ".join(s for s in sorted(READERS) if READERS[s] is not read_legacy_word)
    return f"not a supported file ({path.suffix or 'no suffix'}); policygraph reads {readable}"


@reader(".txt", ".md")
def read_text(path: Path, data: bytes) -> Extracted:
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        raise ReadError(str(exc)) from exc
    return Extracted(text, "text", encoding)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def html_text(data: bytes) -> tuple[str, str]:
    """Decode an HTML page: a byte-order mark first, then the charset its ``<meta>`` declares
    (GBK pages are common on government sites), then detection from the bytes."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            if declared in ("gbk", "gb2312", "gb_2312-80", "x-gbk"):
                declared = "gb18030"  # a superset: pages labelled GB2312 use GBK characters
            try:
                return data.decode(declared), declared
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong or unknown label: detect instead
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        raise ReadError(str(exc)) from exc


#: Lines of page furniture that survive a main-text extractor on small pages: print/close/font
#: bars, share buttons, breadcrumbs, copyright and site-registration lines.
_FURNITURE = re.compile(
    r"^\s*(?:【?(?:打印|关闭|打印本页|关闭窗口|返回顶部|收藏)】?\s*)+$"
    r"|字号[:：]?\s*[【\[]?\s*大|分享到|当前位置[:：]|您现在的位置|版权所有|网站标识码|ICP备|公网安备"
    r"|^\s*(?:上一篇|下一篇)[:：]")


@reader(".html", ".htm", ".shtml", ".xhtml")
def read_html(path: Path, data: bytes) -> Extracted:
    import trafilatura

    text, encoding = html_text(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml's FutureWarnings from inside trafilatura
        found = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True})
    body = (found.text or "") if found is not None else ""
    lines = [ln for ln in body.splitlines() if not _FURNITURE.search(ln)]
    body = "\n".join(lines).strip()
    if not body:
        raise ReadError("web page with no main text (only navigation or scripts?)")
    return Extracted(body, "html", encoding, title=(found.title or "").strip(),
                     published=(found.date or "").strip(), source=(found.sitename or "").strip(),
                     url=(found.url or "").strip())


@reader(".pdf")
def read_pdf(path: Path, data: bytes) -> Extracted:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the user's problem
    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted:
            try:
                pdf.decrypt("")
            except Exception as exc:
                raise ReadError("encrypted PDF: remove the password first") from exc
        pages = [page.extract_text() or "" for page in pdf.pages]
        title = str((pdf.metadata or {}).get("/Title") or "").strip()
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ReadError(f"not a readable PDF: {exc}") from exc
    if not any(p.strip() for p in pages):
        raise ReadError("PDF with no text layer (a scan?): OCR it first")
    pages = [p.strip("\n") for p in pages]
    starts, parts, pos = [], [], 0
    for i, raw in enumerate(pages):
        p = unwrap_lines(raw, pages[i + 1] if i + 1 < len(pages) else "")
        starts.append(pos)
        parts.append(p)
        pos += len(p)
    return Extracted("".join(parts), "pdf", "utf-8", title=title if _has_cjk(title) else "",
                     pages=tuple(starts))


_ENDS_SENTENCE = re.compile(r"[。！？!?；;：:][”’\"」』)）]?$")


def unwrap_lines(page: str, next_page: str | None = None) -> str:
    """A PDF page's text with its hard wraps undone: a line as long as the page's full lines
    that does not end a sentence runs on into the next, as it did before the typesetter cut
    it (a break between two Chinese characters is dropped, elsewhere it becomes a space).
    Short lines (headings, a paragraph's last line) and lines ending in 。；： keep their break:
    the sentence splitter ends a sentence at every line break, so a kept wrap would cut
    sentences, and words (国\\n家), in two. Given ``next_page`` ("" for none), the page ends
    in what stands between it and the next: a page break cuts sentences as a wrap does.

    >>> unwrap_lines("深度参与全国统一大市场建设，用人工智能改革\\n招投标机制走在前列。\\n一、总体要求\\n加快发展。")
    '深度参与全国统一大市场建设，用人工智能改革招投标机制走在前列。\\n一、总体要求\\n加快发展。'
    """
    lines = page.split("\n")
    widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    width = widths[int(0.9 * (len(widths) - 1))] if len(widths) > 1 else 1 << 30  # most lines are full
    out = [lines[0]]
    for line in lines[1:]:
        out.append(_line_break(out[-1], line, width))
        out.append(line.lstrip() if out[-1] != "\n" else line)
    if next_page is not None:
        out.append(_line_break(lines[-1], next_page.split("\n", 1)[0], width))
    return "".join(out)


def _line_break(line: str, after: str, width: int) -> str:
    """What stands between ``line`` and the ``after`` it: a break kept, or a wrap undone."""
    text, nxt = line.rstrip(), after.lstrip()
    if not text or not nxt or len(text.strip()) < 0.85 * width or _ENDS_SENTENCE.search(text):
        return "\n"
    return "" if _has_cjk(text[-1]) or _has_cjk(nxt[0]) else " "


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


@reader(".docx")
def read_docx(path: Path, data: bytes) -> Extracted:
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"not a readable Word file: {exc}") from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells: list[str] = []
                for cell in row.cells:  # a merged cell repeats in every column it spans
                    if not cells or cell.text != cells[-1]:
                        cells.append(cell.text)
                lines.append("\t".join(c.replace("\n", " ") for c in cells))
    text = "\n".join(lines).strip()
    if not text:
        raise ReadError("Word file with no text")
    return Extracted(text + "\n", "docx", "utf-8", title=(document.core_properties.title or "").strip())


@reader(".doc", ".wps")
def read_legacy_word(path: Path, data: bytes) -> Extracted:
    kind = "WPS" if path.suffix.lower() == ".wps" else "Word"
    raise ReadError(f"legacy {kind} file ({path.suffix.lower()}): save it as .docx first "
                    "(e.g. libreoffice --headless --convert-to docx)")
