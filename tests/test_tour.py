"""The README's tour, command by command, as a new user runs it: every command that needs no
server succeeds, and nothing is written outside the folder it runs in."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

from policygraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: tour lines that need what a test cannot have: a cluster, a server, the user's own folders
#: and queries, or the full training data and half an hour
NEEDS_MORE = re.compile(r"CORPUS|\bDIR\b|my-question|sparql:|\bserve\b|--scheduler|--cv|eval-cluener|\btrain\b")


def tour_commands() -> list[list[str]]:
    """The policygraph commands of the README's code blocks after its first two lines."""
    blocks, block, fence = [], None, ""
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if block is None:
                block, fence = [], line
            else:
                if fence == "```":  # shell blocks (```python ones are code)
                    blocks.append("\n".join(block))
                block = None
        elif block is not None:
            block.append(line)
    out = []
    for text in blocks[1:]:
        for line in text.replace("\\\n", " ").splitlines():
            if not line.startswith(".venv/bin/policygraph ") or NEEDS_MORE.search(line):
                continue
            out.append(shlex.split(line.split("  #")[0].split(" # ")[0])[1:])
    return out


def _snapshot(root: Path) -> dict[str, int]:
    """Every file under ``root`` (not .git, the venv or caches) with its modification time."""
    skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip and not d.endswith(".egg-info")]
        for name in filenames:
            p = Path(dirpath, name)
            files[str(p.relative_to(root))] = p.stat().st_mtime_ns
    return files


def test_the_readme_tour(shared: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    commands = tour_commands()
    names = {c[0] for c in commands}
    assert {"build", "load", "query", "profile", "diff", "stats", "export", "eval", "validate"} <= names
    # a few of the reports stand in for all 54 (the commands are the same, the test is shorter)
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("2019.txt", "2021.txt", "2022.txt"):
        shutil.copy(shared / "corpus" / "gov-work-reports" / name, reports / name)
    work = tmp_path / "work"
    (work / "out").mkdir(parents=True)
    before = _snapshot(ROOT)
    monkeypatch.chdir(work)
    assert main(["build", str(ROOT / "src" / "policygraph" / "sample"), "-o", "graphs/sample.trig"]) == 0
    shutil.copy(work / "graphs" / "sample.trig", work / "out" / "old.trig")
    for argv in commands:
        argv = [str(reports) if a == "../shared/corpus/gov-work-reports" else a.replace("../shared", str(shared))
                for a in argv]
        code = main(argv)
        captured = capsys.readouterr()
        assert code == 0, f"policygraph {shlex.join(argv)}: {captured.err}"
        assert "Traceback" not in captured.err
    assert _snapshot(ROOT) == before, "the tour wrote into the repository"
    written = {str(p.relative_to(work)) for p in work.rglob("*") if p.is_file()}
    assert {"out/reports.trig", "out/卧龙.html", "out/g.gexf"} <= written
    assert not any(w.count("/") == 0 and not w.startswith(".") for w in written), written
