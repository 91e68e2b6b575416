"""CLUENER2020 dev through the build path, as a user's build would run.

Each dev sentence becomes one ``.txt`` document in a temporary folder, the
folder is built with :func:`policygraph.build.build` (the function behind
``policygraph build``), and the graph is scored with the referee's rules:
per document, the company and government names of the sentence are the gold
entities (as Company and GovernmentAgency). Dev is for reporting only: nothing
is trained or tuned on it.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..build import build
from ..evaluate import score
from ..extract import Pipeline

TYPES = {"company": "Company", "government": "GovernmentAgency"}


def dev_records(path: str | Path, limit: int | None = None) -> list[tuple[str, dict]]:
    """(text, gold record) per dev sentence, named ``dev-00000.txt`` …"""
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                break
            rec = json.loads(line)
            ents = []
            for label, surfaces in (rec.get("label") or {}).items():
                if label in TYPES:
                    ents += [{"type": TYPES[label], "name": s, "aliases": []} for s in sorted(surfaces)]
            out.append((rec["text"], {"doc": f"dev-{n:05d}.txt", "entities": ents, "facts": []}))
    return out


def evaluate_cluener(path: str | Path, limit: int | None = None, keep: str | Path | None = None,
                     fast: bool = False) -> str:
    """Build the dev sentences and score companies and agencies; returns a small table."""
    records = dev_records(path, limit)
    with tempfile.TemporaryDirectory(prefix="policygraph-cluener-") as tmp:
        for text, rec in records:
            (Path(tmp) / rec["doc"]).write_text(text + "\n", encoding="utf-8")
        result = build([tmp], pipeline=Pipeline(fast=fast))
    if keep is not None:
        from ..rdfio import write_dataset

        write_dataset(result.dataset, Path(keep))
    sc = score(result.dataset, [rec for _, rec in records])
    rows = [f"CLUENER2020 dev through policygraph build: {len(records)} sentences "
            f"({result.characters:,} characters in {result.seconds:.1f} s)",
            f"{'type':18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}"]
    for t in TYPES.values():
        tally = sc.entities[t]
        rows.append(f"{t:18} {tally.precision:6.3f} {tally.recall:6.3f} {tally.f1:6.3f} "
                    f"{tally.tp:5d} {tally.pred:5d} {tally.gold:5d}")
    return "\n".join(rows)
