"""Training data and training for the fact classifier (:mod:`policygraph.extract.facts`).

Examples are the candidates a build produces (the same pipeline, up to
``facts``, so the classifier learns on the entities the entity model really
finds). A candidate's label is the predicate that gold states between the gold
entities its two ends match (same type, a label equal to the name or an alias,
as the referee matches), or ``none``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from ..evaluate import norm
from ..extract import Pipeline
from ..extract.doc import Doc
from ..extract.facts import ALLOWED, NONE, candidates
from .gold import GoldDocument


def _entity_matches(doc: Doc, gold_entities: list[dict]) -> dict[str, set[int]]:
    forms = [{norm(g["name"]), *map(norm, g.get("aliases", []))} for g in gold_entities]
    out: dict[str, set[int]] = {}
    for key, ent in doc.entities.items():
        labels = {norm(ent.name), *map(norm, ent.aliases)}
        out[key] = {i for i, g in enumerate(gold_entities) if g["type"] == ent.type and labels & forms[i]}
    return out


def _literal_equal(value, gold) -> bool:
    if isinstance(value, Decimal):
        return isinstance(gold, (int, float)) and abs(float(value) - gold) <= 0.005 * abs(gold) + 1e-9
    return isinstance(gold, str) and value[0].startswith(gold)


def fact_examples(docs: Iterable[GoldDocument], pipeline: Pipeline) -> tuple[list[list[str]], list[str]]:
    """Features and labels of every candidate fact of the annotated documents."""
    xs: list[list[str]] = []
    ys: list[str] = []
    for g in docs:
        doc = pipeline.run(g.document, until="facts")
        gold_entities = g.record["entities"]
        index = {e["name"]: i for i, e in enumerate(gold_entities)}
        matches = _entity_matches(doc, gold_entities)
        pairs: dict[tuple[int, int], set[str]] = {}
        literal: list[tuple[int, str, object]] = []
        for s, p, o in g.record.get("facts", []):
            if s not in index:
                continue
            if isinstance(o, str) and o in index:
                pairs.setdefault((index[s], index[o]), set()).add(p)
            else:
                literal.append((index[s], p, o))
        for cand in candidates(doc):
            s_idx = matches.get(cand.subject, set())
            label = NONE
            allowed = ALLOWED.get((doc.entities[cand.subject].type, cand.kind), frozenset())
            if isinstance(cand.object, str):
                o_idx = matches.get(cand.object, set())
                found = {p for si in s_idx for oi in o_idx for p in pairs.get((si, oi), ())} & allowed
                if found:
                    label = sorted(found)[0]
            else:
                for si, p, o in literal:
                    if si in s_idx and p in allowed and _literal_equal(cand.object, o):
                        label = p
                        break
            xs.append(cand.features)
            ys.append(label)
    return xs, ys


def train_fact_model(xs: list[list[str]], ys: list[str], out: str | Path, c: float = 1.0,
                     seed: int = 0) -> Path:
    """Fit a multinomial logistic regression (scikit-learn, the ``train`` extra) and write its
    weights as JSON, the form :func:`policygraph.extract.facts.predict` reads without it."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1) for f in xs])
    clf = LogisticRegression(C=c, max_iter=2000, random_state=seed)
    clf.fit(x, ys)
    classes = [str(k) for k in clf.classes_]
    coef = clf.coef_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes
        coef = [-coef[0], coef[0]]
        bias = [-float(clf.intercept_[0]), float(clf.intercept_[0])]
    else:
        bias = [float(b) for b in clf.intercept_]
    weights = {}
    names = vec.get_feature_names_out()
    for j, name in enumerate(names):
        row = [round(float(coef[k][j]), 4) for k in range(len(classes))]
        if any(abs(v) >= 1e-4 for v in row):
            weights[str(name)] = row
    model = {"classes": classes, "bias": [round(b, 4) for b in bias],
             "weights": dict(sorted(weights.items()))}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(model, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
