"""End-to-end: the policygraph command as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policygraph.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policygraph.cli", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_build_sample_writes_graph_and_view(tmp_path: Path) -> None:
    r = run("build", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "documents: 5 built" in r.stdout and "validation: conforms" in r.stdout
    assert (tmp_path / "graphs" / "sample.trig").stat().st_size > 1000
    html = (tmp_path / "graphs" / "sample.html").read_text("utf-8")
    assert "graphology" in html and "cdnjs" not in html.split("<body>", 1)[1]  # sigma.js draws the sample
    assert run("validate", str(tmp_path / "graphs" / "sample.trig")).returncode == 0


def test_committed_graphs_are_up_to_date(tmp_path: Path) -> None:
    """graphs/ holds the output of the sample build; rebuild and compare bytes."""
    assert main(["build", "-o", str(tmp_path / "sample.trig")]) == 0
    for name in ("sample.trig", "sample.html"):
        committed = (ROOT / "graphs" / name).read_bytes()
        assert (tmp_path / name).read_bytes() == committed, (
            f"graphs/{name} is stale: run `policygraph build` and commit graphs/")


def test_gbk_copy_gives_the_same_graph(sample_dir: Path, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk"
    gbk.mkdir()
    for f in sample_dir.iterdir():
        text = f.read_text("utf-8")
        (gbk / f.name).write_bytes(text.encode("gb18030"))
    assert main(["build", str(gbk), "-o", str(tmp_path / "gbk.nq"), "--no-view"]) == 0
    assert main(["build", str(sample_dir), "-o", str(tmp_path / "utf8.nq"), "--no-view"]) == 0
    assert (tmp_path / "gbk.nq").read_bytes() == (tmp_path / "utf8.nq").read_bytes()


def test_binary_file_is_skipped_and_counted(sample_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus)
    (corpus / "scan.txt").write_bytes(b"\x00\x01\x02\x03PDF-ish bytes\xff\xfe\x00")
    r = run("build", str(corpus), "-o", str(tmp_path / "out.trig"))
    assert r.returncode == 0, r.stderr
    assert "scan.txt: binary file" in r.stderr
    assert "5 built, 1 skipped" in r.stdout
    assert "Traceback" not in r.stderr
    r = run("build", str(corpus), "-o", str(tmp_path / "strict.trig"), "--strict")
    assert r.returncode == 2 and "scan.txt" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "strict.trig").exists()


def test_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run("build", str(tmp_path / "empty"), "-o", str(tmp_path / "x.trig"))
    assert r.returncode == 2
    assert "no readable documents" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.trig").exists()


def test_failed_build_keeps_the_previous_graph(sample_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.trig"
    assert main(["build", str(sample_dir), "-o", str(out), "--no-view"]) == 0
    before = out.read_bytes()
    (tmp_path / "empty").mkdir()
    assert main(["build", str(tmp_path / "empty"), "-o", str(out)]) == 2
    assert out.read_bytes() == before


@pytest.mark.parametrize("args", [["validate", "nope.trig"], ["build", "-o", "out.xyz"],
                                  ["validate", "bad.trig"]])
def test_bad_arguments_are_one_line_errors(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "bad.trig").write_text("this is { not trig", encoding="utf-8")
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1


def test_validate_reports_violations(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix pg: <https://w3id.org/policygraph/ont#> .\n"
        "<urn:x> a pg:Company .\n<urn:p> a pg:Project ; pg:investmentCNY -5 .\n", encoding="utf-8")
    r = run("validate", str(bad))
    assert r.returncode == 1
    assert "violation" in r.stdout and "label" in r.stdout


def test_eval_scores_the_sample(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.trig"
    assert main(["build", str(shared / "corpus" / "seed"), "-o", str(out), "--no-view"]) == 0
    r = run("eval", str(out), "--gold", str(shared / "gold" / "seed.jsonl"))
    assert r.returncode == 0
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("entities F1=")
    ours = subprocess.run([sys.executable, str(shared / "gold" / "score.py"), str(out), "--gold",
                           str(shared / "gold" / "seed.jsonl")], capture_output=True, text=True)
    assert ours.stdout.strip().splitlines()[-1] == last


def test_a_manifest_url_that_is_no_link_is_kept_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("市经信局印发《数字经济发展三年行动方案》。", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,published,region,url\na.txt,2020-12-28,全国,PKU Law Database\n",
                                         encoding="utf-8")
    out = tmp_path / "a.nq"
    assert main(["build", str(folder), "-o", str(out), "--no-view"]) == 0
    assert '<http://purl.org/dc/terms/source> "PKU Law Database"' in out.read_text("utf-8")


def test_an_internal_error_is_one_line(monkeypatch, capsys) -> None:
    import policygraph.validate

    def broken(_):
        raise ValueError("boom\nsecond line")

    monkeypatch.setattr(policygraph.validate, "validate", broken)
    assert main(["validate", str(ROOT / "graphs" / "sample.trig")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: ValueError: boom" in err


def test_every_command_has_an_example_that_parses(capsys) -> None:
    import shlex

    from policygraph.cli import EXAMPLES, parser

    ap = parser()
    commands = ap._subparsers._group_actions[0].choices
    assert set(commands) == set(EXAMPLES)
    for name, sub in commands.items():
        assert "example:" in sub.format_help(), name
        for line in EXAMPLES[name].splitlines():
            argv = shlex.split(line.split("  #")[0])
            assert argv[0] == "policygraph" and argv[1] == name
            ap.parse_args(argv[1:])  # the example is a valid command line (argparse exits if not)


def test_a_build_leaves_no_telemetry_behind(tmp_path: Path) -> None:
    """ONNX Runtime (under LAC) sends usage telemetry from Linux unless told not to: a device id and
    an event queue under ~/.cache, uploaded to Microsoft. A build, as a user runs it (no CI
    variables, which the runtime reads as "stay quiet"), writes neither."""
    home = tmp_path / "home"
    home.mkdir()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("总投资10亿元的明华光电显示项目签约落户南湖区。", encoding="utf-8")
    quiet = {"CI", "GITHUB_ACTIONS", "GITLAB_CI", "CIRCLECI", "TF_BUILD", "XDG_CACHE_HOME", "ORT_DISABLE_TELEMETRY"}
    env = {k: v for k, v in os.environ.items() if k not in quiet} | {"HOME": str(home)}
    subprocess.run([sys.executable, "-m", "policygraph.cli", "build", str(docs), "-o", str(tmp_path / "g.trig"),
                    "--no-cache", "--no-view"], env=env, check=True, capture_output=True)
    assert (tmp_path / "g.trig").stat().st_size > 0
    assert not (home / ".cache" / "Microsoft").exists(), sorted(str(p) for p in home.rglob("*"))
