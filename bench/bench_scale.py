#!/usr/bin/env python3
"""Corpus-scale builds: parallel and Dask throughput, memory as the corpus grows, rebuilds.

Usage: python bench/bench_scale.py [--docs 10000] [--skip-dask] [--only memory]

Makes a deterministic corpus of ``--docs`` article-sized documents (consecutive
paragraphs of the real texts in ../shared/corpus, about 300 characters each),
then measures, each as `policygraph build` in its own process:

- ``--jobs 1`` and ``--jobs 2`` throughput (target: jobs 2 >= 1.7x jobs 1);
- a local Dask cluster, scheduler and 2 workers of 1 thread (target: >= 1.5x jobs 1);
- peak resident memory at ``--docs`` and at a tenth of it (target: <= 1 GB, and
  within 1.5x of the smaller build's);
- a rebuild after changing 10 documents, with the cache (target: <= 5% of the full build);
- that the three full builds wrote the same bytes.

Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def make_corpus(folder: Path, n: int, size: int = 300) -> int:
    """``n`` documents of about ``size`` characters from the real corpora; returns characters."""
    paragraphs = []
    for path in sorted(CORPUS.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        paragraphs += [p.strip() for p in re.split(r"\n+", text) if len(p.strip()) > 20]
    folder.mkdir(parents=True, exist_ok=True)
    chars, k = 0, 0
    for i in range(n):
        doc = []
        while sum(map(len, doc)) < size:
            doc.append(paragraphs[k % len(paragraphs)])
            k += 1
        text = "\n".join(doc) + "\n"
        (folder / f"d{i:06d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def run_build(corpus: Path, out: Path, *extra: str) -> tuple[float, float]:
    """Seconds and peak memory (MB, from the build's own summary) of one build."""
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "policygraph.cli", "build", str(corpus), "-o", str(out),
                          "--no-view", "--no-validate", *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if res.returncode != 0:
        raise SystemExit(f"build failed: {res.stderr.strip().splitlines()[-1:]}")
    m = re.search(r"peak memory ([\d,]+) MB", res.stdout)
    return seconds, float(m.group(1).replace(",", "")) if m else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--only", choices=["memory"], help="measure only this (two builds, one job each)")
    a = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="pg-scale-") as tmp:
        tmp = Path(tmp)
        chars = make_corpus(tmp / "big", a.docs)
        make_corpus(tmp / "small", a.docs // 10)
        print(f"corpus: {a.docs} documents, {chars:,} characters")
        if a.only == "memory":
            _, m1 = run_build(tmp / "big", tmp / "j1" / "g.trig", "--jobs", "1", "--no-cache")
            _, ms = run_build(tmp / "small", tmp / "sm" / "g.trig", "--jobs", "1", "--no-cache")
            print(f"peak memory: {m1:,.0f} MB at {a.docs} documents, {ms:,.0f} MB at {a.docs // 10} "
                  f"({m1 / ms:.2f}x; targets <= 1024 MB and <= 1.5x)")
            return 0 if m1 <= 1024 and m1 / ms <= 1.5 else 1
        s1, m1 = run_build(tmp / "big", tmp / "j1" / "g.trig", "--jobs", "1", "--no-cache")
        print(f"--jobs 1: {s1:.1f} s ({chars / s1:,.0f} chars/s), peak {m1:,.0f} MB")
        s2, _ = run_build(tmp / "big", tmp / "j2" / "g.trig", "--jobs", "2", "--no-cache")
        print(f"--jobs 2: {s2:.1f} s, {s1 / s2:.2f}x --jobs 1 (target >= 1.7x)")
        ok &= s1 / s2 >= 1.7
        same = (tmp / "j1" / "g.trig").read_bytes() == (tmp / "j2" / "g.trig").read_bytes()
        if not a.skip_dask:
            from policygraph.workers import DaskCluster

            cluster = DaskCluster(2).start()
            try:
                sd, _ = run_build(tmp / "big", tmp / "dk" / "g.trig", "--scheduler", cluster.address, "--no-cache")
            finally:
                cluster.stop()
            print(f"Dask, 2 workers: {sd:.1f} s, {s1 / sd:.2f}x --jobs 1 (target >= 1.5x)")
            ok &= s1 / sd >= 1.5
            same &= (tmp / "j1" / "g.trig").read_bytes() == (tmp / "dk" / "g.trig").read_bytes()
        print(f"identical output: {same}")
        ok &= same
        _, ms = run_build(tmp / "small", tmp / "sm" / "g.trig", "--jobs", "1", "--no-cache")
        print(f"peak memory: {m1:,.0f} MB at {a.docs} documents, {ms:,.0f} MB at {a.docs // 10} "
              f"({m1 / ms:.2f}x; targets <= 1024 MB and <= 1.5x)")
        ok &= m1 <= 1024 and m1 / ms <= 1.5
        cached = tmp / "c" / "g.trig"
        full, _ = run_build(tmp / "big", cached, "--jobs", "2")
        for path in sorted((tmp / "big").iterdir())[:10]:
            path.write_text(path.read_text(encoding="utf-8") + "总投资5亿元的明华光电显示项目签约落户南湖区。\n",
                            encoding="utf-8")
        again, _ = run_build(tmp / "big", cached, "--jobs", "2")
        print(f"rebuild after changing 10 documents: {again:.1f} s, {again / full:.1%} of the full "
              f"{full:.1f} s (target <= 5%)")
        ok &= again / full <= 0.05
        shutil.rmtree(tmp / "big")
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
