"""Training data and training for the fact classifier (:mod:`policygraph.extract.facts`).

Examples are the candidates a build produces (the same pipeline, up to
``facts``, so the classifier learns on the entities the entity model really
finds). A candidate's label is the predicate that gold states between the gold
entities its two ends match (same type, a label equal to the name or an alias,
as the referee matches), or ``none``; two predicates between the same two
entities make one joint class (``locatedIn+organizedBy``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from ..evaluate import norm
from ..extract import Pipeline
from ..extract.doc import Doc
from ..extract.facts import ALLOWED, JOINT, NONE, candidates
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
            allowed = ALLOWED.get((doc.entities[cand.subject].type, cand.kind), frozenset())
            if isinstance(cand.object, str):
                o_idx = matches.get(cand.object, set())
                found = {p for si in s_idx for oi in o_idx for p in pairs.get((si, oi), ())} & allowed
                labels = sorted(found) or [NONE]
            else:
                labels = sorted({p for si, p, o in literal if si in s_idx and p in allowed
                                 and _literal_equal(cand.object, o)}) or [NONE]
            # a pair with two facts (a fund located in and run by its province) is one class of
            # its own, whose probability counts for both (one example per predicate did worse)
            xs.append(cand.features)
            ys.append(JOINT.join(labels))
    return xs, ys


def train_fact_model(xs: list[list[str]], ys: list[str], out: str | Path, c: float = 1.0,
                     seed: int = 0) -> Path:
    """Fit a multinomial logistic regression (scikit-learn, the ``train`` extra) and write its
    weights as JSON, the form :func:`policygraph.extract.facts.predict` reads without it."""
    if len(set(ys)) < 2:  # a tiny slice with one label (none): a model that always says it
        return write_model({"classes": sorted(set(ys)) or [NONE], "bias": [0.0], "weights": {}}, out)
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
    return write_model(model, out)


def write_model(model: dict, out: str | Path) -> Path:
    """Write a fact model as compact, sorted JSON (the same model gives the same bytes), atomically."""
    from ..rdfio import atomic_write

    out = Path(out)
    atomic_write(out, json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return out
