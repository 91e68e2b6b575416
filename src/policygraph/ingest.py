"""Files to documents: decoding, metadata from ``manifest.csv``, clear problems.

A document's identifier is its path relative to the input folder (or its file
name when files are given one by one). Encodings are detected from the bytes,
never guessed from the name: UTF-8 (with or without BOM), UTF-16 with a BOM,
then GB18030 (a superset of GBK and GB2312), then whatever charset-normalizer
finds convincing.

>>> from policygraph.ingest import decode_bytes
>>> decode_bytes("上虞区".encode("gbk"))
('上虞区', 'gb18030')
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem

TEXT_SUFFIXES = (".txt", ".md")
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "title", "published", "region", "source", "url")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


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

    @property
    def year(self) -> int | None:
        m = re.match(r"(\d{4})", self.published)
        return int(m.group(1)) if m else None


@dataclass
class Corpus:
    """What ingest produced: documents in a stable order, and the skipped files."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class DecodeError(ValueError):
    pass


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to text and name the encoding; raise DecodeError if it is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError("starts with a UTF-16 byte-order mark but is not UTF-16") from exc
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return _checked(text, "gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _looks_like_text(str(best)):
        return _checked(str(best), str(best.encoding))
    raise DecodeError("cannot decode as UTF-8, GB18030/GBK or any known text encoding")


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    controls = len(_CONTROL.findall(text))
    return controls / len(text) < 0.01


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not _looks_like_text(text):
        raise DecodeError("binary file (too many control characters), not text")
    return text, encoding


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
        for lineno, row in enumerate(reader, start=2):
            if None in row:
                problems.append(Problem(str(path), f"line {lineno}: more fields than columns"))
                continue
            name = (row.get("file") or "").strip()
            if not name:
                problems.append(Problem(str(path), f"line {lineno}: empty 'file' field"))
                continue
            meta = {k: (row.get(k) or "").strip() for k in MANIFEST_COLUMNS[1:]}
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


def read_corpus(inputs: Iterable[str | Path], follow_links: bool = False) -> Corpus:
    """Read every text file under ``inputs`` (folders recursively) into documents.

    Files that cannot be read become problems; the rest are still read. So do manifest rows
    that name no file here.
    """
    corpus = Corpus()
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    seen: set[str] = set()
    paths = [Path(p) for p in inputs]
    for path in paths:
        if not path.exists():
            corpus.problems.append(Problem(str(path), "no such file or folder"))
    for path, base in _walk([p for p in paths if p.exists()], corpus.problems, follow_links):
        if path.suffix.lower() not in TEXT_SUFFIXES:
            corpus.problems.append(
                Problem(str(path), f"skipped: not a .txt or .md file ({path.suffix or 'no suffix'})")
            )
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
        try:
            data = path.read_bytes()
        except OSError as exc:
            corpus.problems.append(Problem(str(path), f"cannot read: {exc.strerror or exc}"))
            continue
        try:
            text, encoding = decode_bytes(data)
        except DecodeError as exc:
            corpus.problems.append(Problem(str(path), str(exc)))
            continue
        if not text.strip():
            corpus.problems.append(Problem(str(path), "empty file: no text to extract"))
            continue
        meta = manifests[folder].get(path.name)
        if meta is None and manifests[folder] and path.suffix.lower() == ".md":
            # a folder described by a manifest keeps its notes (README.md, SOURCE.md) beside the texts
            corpus.problems.append(Problem(str(path), "skipped: .md file not listed in manifest.csv"))
            continue
        meta = meta or {}
        seen.add(identifier)
        corpus.documents.append(
            Document(identifier=identifier, text=text, path=str(path), encoding=encoding, **meta)
        )
    for folder, rows in sorted(manifests.items()):
        for name in sorted(rows):
            if not (folder / name).exists():
                corpus.problems.append(Problem(str(folder / MANIFEST_NAME),
                                               f"lists {name!r}, which is not in the folder"))
    corpus.documents.sort(key=lambda d: d.identifier)
    return corpus
