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
    assert "not a supported file (.png)" in msgs["photo.png"]
    assert "no such file" in msgs["missing.txt"]


def test_broken_manifest_is_reported(tmp_path: Path) -> None:
    m = tmp_path / "manifest.csv"
    m.write_text("name,title\nx.txt,t\n", encoding="utf-8")
    rows, problems = read_manifest(m)
    assert rows == {} and "no 'file' column" in problems[0].message
    m.write_text("file,title\nx.txt,t,extra,fields\n", encoding="utf-8")
    rows, problems = read_manifest(m)
    assert "more fields" in problems[0].message


def test_every_input_problem_is_named(tmp_path: Path) -> None:
    import os

    from policygraph.ingest import read_corpus

    d = tmp_path / "c"
    d.mkdir()
    (d / "a.txt").write_text("浙江省经信厅召开大会。", encoding="utf-8")
    (d / "b.txt").write_text("浙江省经信厅召开大会。", encoding="utf-8")
    (d / "manifest.csv").write_text(
        "file,title,published,region,source,url\n"
        "a.txt,A,2024/08/03,,,\n"
        "b.txt,B,not-a-date,,,\n"
        "a.txt,A2,2024年8月3日,,,\n"
        "gone.txt,G,2024,,,\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("外面的文件内容", encoding="utf-8")
    os.symlink(secret, d / "link.txt")
    locked = d / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text("内容", encoding="utf-8")
    locked.chmod(0)
    try:
        corpus = read_corpus([d])
    finally:
        locked.chmod(0o755)
    said = [str(p) for p in corpus.problems]
    assert any("not-a-date" in p and "line 3" in p for p in said)
    assert any("listed again" in p and "line 4" in p for p in said)
    assert any("gone.txt" in p and "not in the folder" in p for p in said)
    assert any("link.txt" in p and "outside" in p for p in said)
    if os.geteuid() != 0:  # root reads any folder
        assert any("cannot read folder" in p for p in said)
    docs = {doc.identifier: doc for doc in corpus.documents}
    assert set(docs) == {"a.txt", "b.txt"} | ({"locked/x.txt"} if os.geteuid() == 0 else set())
    assert docs["a.txt"].published == "2024-08-03" and docs["b.txt"].published == ""
    assert "link.txt" in {d.identifier for d in read_corpus([d], follow_links=True).documents}


def test_a_killed_write_leaves_no_temporary_behind(tmp_path: Path, capsys) -> None:
    from policygraph.rdfio import atomic_write

    stale = tmp_path / ".g.trig.999999999.abcd.tmp"  # a pid no process has
    stale.write_bytes(b"half")
    atomic_write(tmp_path / "g.trig", b"whole")
    assert not stale.exists() and (tmp_path / "g.trig").read_bytes() == b"whole"
    assert "killed run" in capsys.readouterr().err


def test_legal_database_export_header_becomes_metadata(shared: Path) -> None:
    """北大法宝 exports open with citation code and link lines: metadata, not text; evidence
    offsets still point into the file."""
    corpus = read_corpus([shared / "corpus" / "local-policies"])
    assert [d.identifier for d in corpus.documents] == [f"0{n}.txt" for n in range(1, 6)]  # SOURCE.md: notes
    assert any("folder notes" in p.message for p in corpus.problems)
    doc = corpus.documents[1]
    raw = (shared / "corpus" / "local-policies" / "02.txt").read_bytes().decode("utf-8")
    assert doc.url.startswith("https://www.pkulaw.com/") and doc.title.startswith("北京市经济和信息化局印发")
    assert "法宝引证码" not in doc.text and "原文链接" not in doc.text
    assert raw[doc.base:] == doc.text


def test_manifest_aliases_and_unknown_columns(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("总投资10亿元的明华光电显示项目签约落户南湖区。\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,title_en,issuer_en,colour\na.txt,Action Plan,MIIT,red\n",
                                           encoding="utf-8")
    corpus = read_corpus([tmp_path])
    (doc,) = corpus.documents
    assert (doc.title, doc.source) == ("Action Plan", "MIIT")
    (problem,) = corpus.problems
    assert "colour not used" in problem.message
