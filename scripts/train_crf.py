#!/usr/bin/env python3
"""Train the character CRF on CLUENER2020 train.json and score it on dev.json.

Usage:
    python scripts/train_crf.py [--shared ../shared] [--iterations 200] [--eval-only | --validate]

Writes src/policygraph/data/ner.crfsuite and prints exact-span precision, recall
and F1 per label on dev (dev is for reporting only; nothing is tuned on it).
``--validate`` is how features and settings are chosen: it trains on train.json
without its last 1,500 sentences, scores on those, and writes no model.
Reproducible: L-BFGS has no random state and sentences are read in file order, so a retrain
gives the same figures (the model file's bytes can differ).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "src" / "policygraph" / "data" / "ner.crfsuite"
REPORTED = ("company", "government", "organization", "address")
VALIDATION = 1500


def load(path: Path) -> list[tuple[str, list[str]]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            text = r["text"]
            labels = ["O"] * len(text)
            for lab, surfaces in (r.get("label") or {}).items():
                for spans in surfaces.values():
                    for s, e in spans:
                        labels[s] = "B-" + lab
                        for k in range(s + 1, e + 1):
                            labels[k] = "I-" + lab
            out.append((text, labels))
    return out


def evaluate(data, tag_fn) -> dict[str, tuple[float, float, float]]:
    from policygraph.extract.crf import spans

    tp, pred, gold = Counter(), Counter(), Counter()
    for text, labels in data:
        g = set(spans(labels))
        p = set(tag_fn(text))
        for s in g:
            gold[s[2]] += 1
        for s in p:
            pred[s[2]] += 1
            if s in g:
                tp[s[2]] += 1
    out = {}
    for lab in sorted(gold):
        p = tp[lab] / pred[lab] if pred[lab] else 0.0
        r = tp[lab] / gold[lab] if gold[lab] else 0.0
        out[lab] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--eval-only", action="store_true")
    ap.add_argument("--validate", action="store_true", help="train and score on a split of train.json")
    a = ap.parse_args()
    import pycrfsuite

    from policygraph.extract.crf import features, spans, tag, tagger

    data = Path(a.shared) / "data" / "cluener2020"
    model = MODEL
    if not a.eval_only:
        train = load(data / "train.json")
        if a.validate:
            train, held_out = train[:-VALIDATION], train[-VALIDATION:]
            model = Path(tempfile.mkdtemp()) / "validate.crfsuite"
        t0 = time.time()
        trainer = pycrfsuite.Trainer(verbose=False)
        for text, labels in train:
            trainer.append(features(text), labels)
        trainer.set_params({"c1": a.c1, "c2": a.c2, "max_iterations": a.iterations,
                            "feature.possible_transitions": True, "feature.minfreq": 2})
        trainer.train(str(model))
        print(f"trained on {len(train)} sentences in {time.time() - t0:.0f} s -> {model}")
        tagger.cache_clear()
    if a.validate:
        t = pycrfsuite.Tagger()
        t.open(str(model))
        scores = evaluate(held_out, lambda text: spans(t.tag(features(text))))
        title = f"CLUENER2020 train, last {VALIDATION} sentences held out, exact span match:"
    else:
        scores = evaluate(load(data / "dev.json"), tag)
        title = "CLUENER2020 dev, exact span match:"
    print(title)
    for lab, (p, r, f) in scores.items():
        mark = " *" if lab in REPORTED else ""
        print(f"  {lab:13} P={p:.3f} R={r:.3f} F1={f:.3f}{mark}")


if __name__ == "__main__":
    main()
