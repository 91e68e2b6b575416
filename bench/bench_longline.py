#!/usr/bin/env python3
"""A huge file with no line break against the same text with its line breaks.

Usage: python bench/bench_longline.py [--mb 2] [--jobs 1] [--fast]

Writes ``--mb`` megabytes (UTF-8) of the real texts in ../shared/corpus twice: as one
line, and with the line breaks they have. Builds each with `policygraph build` in its
own process, then reports both speeds in chars/s, their ratio, and each build's peak
memory.

Targets (issue 11): the single line builds at >= 0.8 of the speed of the same text
with its breaks (time linear in its size), with peak memory <= 1 GB; and a 50 MB
single line within 60 s, which is judged on the speed measured here (the
projection is printed). Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import jieba_speed
from bench_scale import CORPUS, run_build


def corpus_text(megabytes: float) -> str:
    """The corpus's paragraphs, in path order, until ``megabytes`` of UTF-8."""
    want = int(megabytes * 2**20)
    out, size = [], 0
    for path in sorted(CORPUS.rglob("*.txt")):
        for p in re.split(r"\n+", path.read_text(encoding="utf-8", errors="replace")):
            p = p.strip()
            if not p:
                continue
            out.append(p)
            size += len(p.encode("utf-8")) + 1
            if size >= want:
                return "\n".join(out)
    raise SystemExit(f"../shared/corpus holds less than {megabytes} MB of text")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--fast", action="store_true", help="the entity model without LAC (build --fast)")
    a = ap.parse_args()
    text = corpus_text(a.mb)
    extra = ["--jobs", str(a.jobs), "--no-cache", *(["--fast"] if a.fast else [])]
    ok = True
    with tempfile.TemporaryDirectory(prefix="pg-longline-") as tmp:
        tmp = Path(tmp)
        results = {}
        for name, body in (("lines", text + "\n"), ("one line", text.replace("\n", "") + "\n")):
            folder = tmp / name.replace(" ", "-")
            folder.mkdir()
            (folder / "big.txt").write_text(body, encoding="utf-8")
            seconds, peak = run_build(folder, tmp / f"{folder.name}.trig", *extra)
            results[name] = (len(body) / seconds, peak)
            print(f"{name}: {len(body):,} characters ({len(body.encode('utf-8')) / 2**20:.1f} MB) in "
                  f"{seconds:.1f} s, {len(body) / seconds:,.0f} chars/s, peak memory {peak:,.0f} MB")
    (lines_speed, _), (one_speed, one_peak) = results["lines"], results["one line"]
    ratio = one_speed / lines_speed
    chars_per_mb = len(text) / (len(text.encode("utf-8")) / 2**20)
    projected = 50 * chars_per_mb / one_speed
    print(f"one line / lines speed: {ratio:.2f} (target >= 0.8); peak memory {one_peak:,.0f} MB (target <= 1,024)")
    print(f"a 50 MB single line at this speed: {projected:,.0f} s (target 60 s)")
    tokenizer_speed = jieba_speed([text])
    print(f"jieba.lcut alone on the same text, one core: {tokenizer_speed:,.0f} chars/s, so a 50 MB single "
          f"line takes {50 * chars_per_mb / tokenizer_speed:,.0f} s to tokenize; the build runs at "
          f"{one_speed / tokenizer_speed:.2f} of it")
    ok &= ratio >= 0.8 and one_peak <= 1024 and projected <= 60
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
