"""Files to documents: text from each format, metadata from ``manifest.csv``, clear problems.

A document's identifier is its path relative to the input folder (or its file
name when files are given one by one); an article of a split newspaper page is
``page.txt#2``. Plain text is decoded by :mod:`.decode`, web pages, PDF and Word
files are read by :mod:`.readers`, pages are split into articles by
:mod:`.articles`. A file that yields no text is a problem on one line, and the
rest are still read.

>>> from policygraph.ingest import decode_bytes
>>> decode_bytes("上虞区".encode("gbk"))
('上虞区', 'gb18030')
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from .articles import split_articles
from .decode import DecodeError, decode_bytes
from .exports import export_header
from .readers import READERS, ReadError, read_bytes, supported, unsupported

__all__ = [
    "READERS",
    "Corpus",
    "DecodeError",
    "Document",
    "ReadError",
    "decode_bytes",
    "read_corpus",
    "read_manifest",
]

MANIFEST_NAME = "manifest.csv"
#: ``kind``: ``page`` marks a newspaper or bulletin page whose articles become documents
MANIFEST_COLUMNS = ("file", "title", "published", "region", "source", "url", "kind")
#: .md files that describe a folder rather than belong to it, unless a manifest lists them
NOTES = frozenset({"README", "SOURCE", "LICENSE", "LICENCE", "CHANGELOG", "NOTES"})
#: columns other manifests use for ours, read where ours are absent or empty
MANIFEST_ALIASES = {"title_en": "title", "issuer_en": "source", "issuer": "source", "date": "published"}


@dataclass
class Document:
    """One decoded source text and what its manifest says about it."""

    identifier: str
    text: str
    path: str = ""
    encoding: str = "utf-8"
    title: str = ""
    published: str = ""
    region: str = ""
    source: str = ""
    url: str = ""
    kind: str = ""  # "page": a page of several articles (see .articles)
    format: str = "text"  # the reader that made ``text``: text, html, pdf, docx
    #: where each PDF page starts in the file's text, for evidence that cites its page
    pages: tuple[int, ...] = ()
    #: where ``text`` starts in the file's text (an article of a page)
    base: int = 0

    @property
    def keeps_text(self) -> bool:
        """Whether the graph stores this document's text: a web page's, PDF's or Word file's
        text exists only as extracted, so evidence offsets point into the stored copy."""
        return self.format != "text"

    @property
    def offset_base(self) -> int:
        """What evidence offsets into ``text`` add: into the file itself for plain text (an
        article's start in its page), into the stored text otherwise."""
        return 0 if self.keeps_text else self.base

    def page_of(self, offset: int) -> int | None:
        """The 1-based PDF page that ``offset`` (into ``text``) falls on, or None.

        >>> Document("a.pdf", "甲。乙。", format="pdf", pages=(0, 2)).page_of(3)
        2
        """
        if not self.pages:
            return None
        return bisect.bisect_right(self.pages, self.base + offset)

    @property
    def year(self) -> int | None:
        m = re.match(r"(\d{4})", self.published)
        return int(m.group(1)) if m else None


@dataclass
class Corpus:
    """What ingest produced: documents in a stable order, and the skipped files."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_manifest(path: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Read ``manifest.csv``: file name to metadata. A broken manifest is a problem, not a crash."""
    try:
        text, _ = decode_bytes(path.read_bytes())
    except (OSError, DecodeError) as exc:
        return {}, [Problem(str(path), f"manifest unreadable: {exc}")]
    rows: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    problems: list[Problem] = []
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        if "file" not in header:
            return {}, [Problem(str(path), "manifest has no 'file' column; metadata ignored")]
        unknown = [c for c in header if c not in MANIFEST_COLUMNS and c not in MANIFEST_ALIASES]
        if unknown:
            problems.append(Problem(str(path), f"column{'s' if len(unknown) > 1 else ''} "
                                               f"{', '.join(unknown)} not used (policygraph reads "
                                               f"{', '.join(MANIFEST_COLUMNS)})"))
        for lineno, row in enumerate(reader, start=2):
            if None in row:
                problems.append(Problem(str(path), f"line {lineno}: more fields than columns"))
                continue
            name = (row.get("file") or "").strip()
            if not name:
                problems.append(Problem(str(path), f"line {lineno}: empty 'file' field"))
                continue
            meta = {k: (row.get(k) or "").strip() for k in MANIFEST_COLUMNS[1:]}
            for alias, column in MANIFEST_ALIASES.items():
                if not meta[column] and (row.get(alias) or "").strip():
                    meta[column] = row[alias].strip()
            if meta["published"]:
                iso = normalise_date(meta["published"])
                if iso is None:
                    problems.append(Problem(str(path), f"line {lineno}: published {meta['published']!r} is "
                                                       "not a date (YYYY, YYYY-MM or YYYY-MM-DD); left out"))
                meta["published"] = iso or ""
            if name in rows:
                problems.append(Problem(str(path), f"line {lineno}: {name!r} is listed again (line "
                                                   f"{first_line[name]}); this later row is used"))
            else:
                first_line[name] = lineno
            rows[name] = meta
    except csv.Error as exc:
        return rows, [*problems, Problem(str(path), f"manifest is not valid CSV: {exc}")]
    return rows, problems


_DATE = re.compile(r"\s*(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?\s*")


def normalise_date(text: str) -> str | None:
    """A manifest date as ISO (2024, 2024-08 or 2024-08-03), or None when it is none.

    >>> [normalise_date(t) for t in ("2024/08/03", "2024年8月3日", "2024-8", "2024-13-45", "99999-01-01")]
    ['2024-08-03', '2024-08-03', '2024-08', None, None]
    """
    from datetime import date

    m = _DATE.fullmatch(text or "")
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return None
    if d:
        return f"{y}-{int(mo):02d}-{int(d):02d}"
    return f"{y}-{int(mo):02d}" if mo else y


def _walk(inputs: Iterable[Path], problems: list[Problem],
          follow_links: bool = False) -> Iterator[tuple[Path, Path]]:
    """Yield (file, base folder) for every file under the inputs, sorted. An unreadable folder
    and a symbolic link that leaves its input folder are problems (the link is read only with
    ``follow_links``)."""
    for item in inputs:
        if not item.is_dir():
            yield item, item.parent
            continue
        base = item.resolve()
        found: list[Path] = []

        def unreadable(exc: OSError, folder: Path = item) -> None:
            problems.append(Problem(str(exc.filename or folder), f"cannot read folder: {exc.strerror or exc}"))

        for root, dirs, files in os.walk(item, onerror=unreadable, followlinks=follow_links):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in files:
                path = Path(root) / f
                if f == MANIFEST_NAME or f.startswith(".") or not path.is_file():
                    continue
                if path.is_symlink() and not follow_links:
                    target = path.resolve()
                    if not target.is_relative_to(base):
                        problems.append(Problem(str(path), f"skipped: a link to {target}, outside the "
                                                           "folder (--follow-links reads it)"))
                        continue
                found.append(path)
        for path in sorted(found):
            yield path, item


def read_corpus(inputs: Iterable[str | Path], follow_links: bool = False,
                split_articles: bool | None = None) -> Corpus:
    """Read every supported file under ``inputs`` (folders recursively) into documents.

    Files that cannot be read become problems; the rest are still read. So do manifest rows
    that name no file here. A page becomes one document per article: a file the manifest
    marks ``kind`` = ``page`` when ``split_articles`` is None, every file when it is True,
    none when it is False (training reads pages whole: gold is per file).
    """
    corpus = Corpus()
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    seen: set[str] = set()
    paths = [Path(p) for p in inputs]
    for path in paths:
        if not path.exists():
            corpus.problems.append(Problem(str(path), "no such file or folder"))
    for path, base in _walk([p for p in paths if p.exists()], corpus.problems, follow_links):
        if not supported(path):
            corpus.problems.append(Problem(str(path), f"skipped: {unsupported(path)}"))
            continue
        folder = path.parent
        if folder not in manifests:
            mpath = folder / MANIFEST_NAME
            manifests[folder], mproblems = read_manifest(mpath) if mpath.is_file() else ({}, [])
            corpus.problems.extend(mproblems)
        identifier = path.relative_to(base).as_posix()
        if identifier in seen:
            corpus.problems.append(Problem(str(path), f"skipped: identifier {identifier!r} already used"))
            continue
        meta = manifests[folder].get(path.name)
        if meta is None and path.suffix.lower() == ".md" and (manifests[folder] or path.stem.upper() in NOTES):
            # a folder keeps its notes (README.md, SOURCE.md) beside the texts
            corpus.problems.append(Problem(str(path), "skipped: folder notes, not a document (list the .md "
                                                      "file in manifest.csv to read it)"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            corpus.problems.append(Problem(str(path), f"cannot read: {exc.strerror or exc}"))
            continue
        try:
            found = read_bytes(path, data)
        except ReadError as exc:
            corpus.problems.append(Problem(str(path), str(exc)))
            continue
        if not found.text.strip():
            corpus.problems.append(Problem(str(path), "empty file: no text to extract"))
            continue
        # what the file says of itself (a page's metadata, a legal database's export header),
        # where the manifest says nothing
        text, base = found.text, 0
        own = {"title": found.title, "published": found.published, "source": found.source, "url": found.url}
        if found.format == "text":
            header = export_header(text)
            if header.end:
                text, base = text[header.end:], header.end
                own.update(header.fields)
        own["published"] = normalise_date(own["published"][:10]) or ""
        fields = {k: v for k, v in own.items() if v}
        fields.update({k: v for k, v in (meta or {}).items() if v})
        seen.add(identifier)
        document = Document(identifier=identifier, text=text, path=str(path), encoding=found.encoding,
                            format=found.format, pages=found.pages, base=base, **fields)
        if split_articles or (split_articles is None and document.kind == "page"):
            corpus.documents.extend(split_articles_of(document))
        else:
            corpus.documents.append(document)
    for folder, rows in sorted(manifests.items()):
        for name in sorted(rows):
            if not (folder / name).exists():
                corpus.problems.append(Problem(str(folder / MANIFEST_NAME),
                                               f"lists {name!r}, which is not in the folder"))
    corpus.documents.sort(key=_order)
    return corpus


def _order(document: Document) -> tuple[str, int]:
    name, _, article = document.identifier.partition("#")
    return name, int(article or 0)


def split_articles_of(document: Document) -> list[Document]:
    """The articles of a page as documents ``page.txt#1``, ``#2`` … (the page itself when it
    holds one article): each article's headline is its title (the page's, when it has none),
    its text a slice of the page's, ``base`` where it starts, and the page's other metadata."""
    articles = split_articles(document.text)
    if len(articles) <= 1:
        return [document]
    out = []
    for n, art in enumerate(articles, start=1):
        out.append(dataclasses.replace(
            document, identifier=f"{document.identifier}#{n}", text=document.text[art.start:art.end],
            title=art.headline or document.title, base=document.base + art.start))
    return out
