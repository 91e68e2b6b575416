from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.ingest import DecodeError, decode_bytes, read_corpus, read_manifest

TEXT = "浙江省经信厅召开全省数字经济推进大会。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_decodes_by_content(data: bytes, encoding: str) -> None:
    text, enc = decode_bytes(data)
    assert text == TEXT
    assert enc == encoding


def test_binary_is_refused() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_corpus_reads_folder_recursively_with_manifest(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_bytes(TEXT.encode("gbk"))
    (tmp_path / "manifest.csv").write_text(
        "file,title,published,region,source,url\na.txt,标题,2024-05-01,浙江省,报纸,\n", encoding="utf-8")
    corpus = read_corpus([tmp_path])
    assert [d.identifier for d in corpus.documents] == ["a.txt", "sub/b.md"]
    a, b = corpus.documents
    assert (a.title, a.published, a.region, a.source) == ("标题", "2024-05-01", "浙江省", "报纸")
    assert b.encoding == "gb18030" and b.text == TEXT
    assert corpus.problems == []


def test_bad_files_become_problems_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    corpus = read_corpus([tmp_path, tmp_path / "missing.txt"])
    assert [d.identifier for d in corpus.documents] == ["good.txt"]
    msgs = {Path(p.path).name: p.message for p in corpus.problems}
    assert "empty" in msgs["empty.txt"]
    assert "binary" in msgs["image.txt"]
    assert "not a .txt or .md" in msgs["photo.png"]
    assert "no such file" in msgs["missing.txt"]


def test_broken_manifest_is_reported(tmp_path: Path) -> None:
    m = tmp_path / "manifest.csv"
    m.write_text("name,title\nx.txt,t\n", encoding="utf-8")
    rows, problems = read_manifest(m)
    assert rows == {} and "no 'file' column" in problems[0].message
    m.write_text("file,title\nx.txt,t,extra,fields\n", encoding="utf-8")
    rows, problems = read_manifest(m)
    assert "more fields" in problems[0].message
