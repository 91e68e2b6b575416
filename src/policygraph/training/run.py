"""Train the shipped models, and cross-validate them, from ``../shared``.

``train_models`` trains the entity CRF and then the fact classifier on the
entities that CRF finds; ``cross_validate`` does that on k-1 folds of the
annotated documents (folds by document) and scores the held-out fold through
the whole pipeline and graph, as ``policygraph eval`` scores a build. The
threshold on confidence that maximises the mean of entity and fact F1 over the
folds becomes the build's default ``--min-confidence``; with ``fact_grid``, the
threshold that maximises each predicate's F1 at that default becomes its own.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from ..evaluate import Scores, Tally, score
from ..extract import Pipeline
from ..extract.facts import FactClassifier
from ..extract.ner import FAST_MODEL_NAME, MODEL_NAME, EntityTagger
from ..extract.owners import MODEL_NAME as OWNER_MODEL_NAME
from ..extract.owners import OwnerTagger
from ..graph import build_dataset
from ..namespaces import PREDICATES
from .entities import cluener_examples, gold_examples, train_entity_model, without_lexical
from .facts import fact_examples, train_fact_model, write_model
from .gold import GoldDocument, folds, load_gold
from .owners import train_owner_model

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
#: The probabilities from which each fact predicate may be kept (``cross_validate(fact_grid=…)``).
FACT_GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)


@dataclass
class TrainingData:
    """What the models learn from: annotated documents and, optionally, CLUENER train."""

    documents: list[GoldDocument]
    cluener: Path | None = None
    cluener_limit: int | None = 1500
    #: the documents cross-validation scores (train/; the sample only ever trains)
    evaluated: list[GoldDocument] = field(default_factory=list)

    @classmethod
    def from_shared(cls, shared: str | Path, cluener_limit: int | None = 1500,
                    limit: int | None = None) -> TrainingData:
        shared = Path(shared)
        train = load_gold(shared / "gold" / "train" / "gold.jsonl")
        docs = train + load_gold(shared / "gold" / "seed.jsonl")
        if limit is not None:
            docs = docs[:limit]
        cluener = shared / "data" / "cluener2020" / "train.json"
        return cls(docs, cluener if cluener.is_file() and cluener_limit != 0 else None, cluener_limit,
                   [d for d in train if d in docs])


@dataclass
class Settings:
    iterations: int = 100
    c1: float = 0.05
    c2: float = 0.01
    fact_c: float = 1.0
    seed: int = 0


def fold_pipeline(model_dir: Path, min_confidence: float, fast: bool = False,
                  fact_thresholds: dict[str, float] | None = None) -> Pipeline:
    """The pipeline with the models in ``model_dir``; ``fast``: the entity model without LAC."""
    tagger = EntityTagger(model_dir / (FAST_MODEL_NAME if fast else MODEL_NAME), lexical=not fast)
    return Pipeline(replace={"ner": tagger, "owners": OwnerTagger(model_dir / OWNER_MODEL_NAME),
                             "facts": FactClassifier(model_dir / "facts.json")},
                    min_confidence=min_confidence, fact_thresholds=fact_thresholds or {})


def train_models(docs: Sequence[GoldDocument], out_dir: str | Path, cluener: Path | None = None,
                 cluener_limit: int | None = None, settings: Settings | None = None,
                 log: Callable[[str], None] = lambda _: None, fast: bool = True) -> tuple[Path, Path]:
    """Train the entity models (with LAC's features and, when ``fast``, without), then the
    fact model on the output of the first; write them to ``out_dir``."""
    settings = settings or Settings()
    out_dir = Path(out_dir)
    rules = Pipeline()
    t0 = time.perf_counter()
    examples = gold_examples(docs, rules)
    if cluener is not None:
        examples = chain(examples, cluener_examples(cluener, rules, cluener_limit))
    examples = list(examples)
    ner_path = train_entity_model(examples, out_dir / MODEL_NAME, settings.iterations,
                                  settings.c1, settings.c2)
    log(f"entity model: {ner_path} ({time.perf_counter() - t0:.0f} s)")
    if fast:
        t0 = time.perf_counter()
        fast_path = train_entity_model(without_lexical(examples), out_dir / FAST_MODEL_NAME,
                                       settings.iterations, settings.c1, settings.c2)
        log(f"fast entity model: {fast_path} ({time.perf_counter() - t0:.0f} s)")
    owner_path = train_owner_model(docs, out_dir / OWNER_MODEL_NAME, settings.iterations)
    log(f"owner model: {owner_path}")
    t0 = time.perf_counter()
    with_ner = Pipeline(replace={"ner": EntityTagger(ner_path), "owners": OwnerTagger(owner_path)},
                        min_confidence=0.0)
    xs, ys = fact_examples(docs, with_ner)
    facts_path = train_fact_model(xs, ys, out_dir / "facts.json", settings.fact_c, settings.seed)
    log(f"fact model: {facts_path} ({len(xs)} candidates, {time.perf_counter() - t0:.0f} s)")
    return ner_path, facts_path


def set_min_confidence(facts_path: Path, value: float) -> None:
    """Store the build's default threshold with the fact model (atomically)."""
    model = json.loads(facts_path.read_text(encoding="utf-8"))
    model["min_confidence"] = value
    write_model(model, facts_path)


def set_predicate_thresholds(facts_path: Path, values: dict[str, float]) -> None:
    """Store the per-predicate default thresholds with the fact model (atomically)."""
    model = json.loads(facts_path.read_text(encoding="utf-8"))
    model["predicate_min_confidence"] = dict(sorted(values.items()))
    write_model(model, facts_path)


@dataclass
class CVResult:
    """Scores summed over the held-out folds, per threshold; ``by_fact_threshold[t][f]``: with
    mentions kept from ``t``, the facts kept from probability ``f`` (the grid).
    ``fold_fact_grids[i][t][f]``: the same grid's fact tallies of fold ``i`` alone, so that
    thresholds can be chosen on the other folds and scored on this one."""

    by_threshold: dict[float, Scores] = field(default_factory=dict)
    by_fact_threshold: dict[float, dict[float, Scores]] = field(default_factory=dict)
    fold_fact_grids: list[dict[float, dict[float, dict[str, Tally]]]] = field(default_factory=list)

    def fact_grid(self) -> dict[float, Scores]:
        """The grid's scores at the best threshold for mentions."""
        return self.by_fact_threshold.get(self.best(), {})

    def predicate_thresholds(self) -> dict[str, float]:
        """Each predicate's threshold of the grid with the highest F1 over the folds, for the
        predicates the folds hold; of equals, the one nearest the threshold for mentions (so a
        predicate no threshold gets right keeps the common one)."""
        return _choose_thresholds({t: sc.facts for t, sc in self.fact_grid().items()}, self.best())

    def tuned_facts(self) -> Tally:
        """The facts' total over the folds when each predicate keeps its own threshold, chosen
        on the same folds: an upper bound of what the thresholds give on unseen text."""
        grid = {t: sc.facts for t, sc in self.fact_grid().items()}
        return _tally_at(grid, self.predicate_thresholds(), self.best())

    def held_out_tuned_facts(self) -> Tally:
        """The facts' total when each fold keeps each predicate from the threshold chosen on the
        other folds (nested: no fold's thresholds saw its own facts). This is the fair figure
        for a build with the stored per-predicate thresholds."""
        common, total = self.best(), Tally()
        grids = [fold[common] for fold in self.fold_fact_grids]
        for i, grid in enumerate(grids):
            others = [g for j, g in enumerate(grids) if j != i]
            summed = {t: _summed(g[t] for g in others) for t in grid}
            _accumulate(total, _tally_at(grid, _choose_thresholds(summed, common), common))
        return total

    def default_predicate_thresholds(self) -> dict[str, float]:
        """The per-predicate thresholds a build should keep by default: those of
        :meth:`predicate_thresholds` when, chosen on the other folds, they score each fold's
        facts better than the one threshold for all; none otherwise (thresholds that only fit
        the folds they were chosen on would cost facts on unseen text)."""
        if not self.fold_fact_grids:
            return self.predicate_thresholds()
        common = Scores.total(self.by_threshold[self.best()].facts).f1
        return self.predicate_thresholds() if self.held_out_tuned_facts().f1 > common else {}

    def best(self) -> float:
        def objective(t: float) -> float:
            sc = self.by_threshold[t]
            return (Scores.total(sc.entities).f1 + Scores.total(sc.facts).f1) / 2

        return max(sorted(self.by_threshold), key=objective)

    def table(self) -> str:
        rows = ["threshold  entities F1  facts F1"]
        for t, sc in sorted(self.by_threshold.items()):
            rows.append(f"{t:9.2f}  {Scores.total(sc.entities).f1:11.3f}  {Scores.total(sc.facts).f1:8.3f}")
        t = self.best()
        rows.append(f"\nbest threshold {t:.2f}:\n")
        rows.append(self.by_threshold[t].table(show=0))
        if self.fact_grid():
            chosen, grid = self.predicate_thresholds(), self.fact_grid()
            rows.append("\nper-predicate thresholds (facts at each; mentions at the best threshold):")
            rows.append("predicate           threshold      P      R     F1")
            for pred, pt in chosen.items():
                one = grid[pt].facts[pred]
                rows.append(f"{pred:18} {pt:10.2f} {one.precision:6.3f} {one.recall:6.3f} {one.f1:6.3f}")
            tuned = self.tuned_facts()
            rows.append(f"facts with them: F1={tuned.f1:.3f} P={tuned.precision:.3f} R={tuned.recall:.3f} "
                        "(thresholds chosen on these folds)")
            if self.fold_fact_grids:
                fair = self.held_out_tuned_facts()
                rows.append(f"facts with each fold's thresholds chosen on the other folds: F1={fair.f1:.3f} "
                            f"P={fair.precision:.3f} R={fair.recall:.3f} (what a build can expect)")
                one = Scores.total(self.by_threshold[self.best()].facts)
                rows.append(f"facts at {self.best():.2f} for every predicate: F1={one.f1:.3f}; the default "
                            + ("keeps the per-predicate thresholds" if self.default_predicate_thresholds()
                               else "keeps one threshold for all (the per-predicate ones do not carry over)"))
        return "\n".join(rows)


def _choose_thresholds(grid: dict[float, dict[str, Tally]], common: float) -> dict[str, float]:
    """Per predicate, the grid's threshold with the highest F1; of equals, the nearest ``common``."""
    out: dict[str, float] = {}
    for pred in sorted({p for tallies in grid.values() for p in tallies}):
        out[pred] = max(sorted(grid), key=lambda t: (round(grid[t].get(pred, Tally()).f1, 9),
                                                     -abs(t - common)))
    return out


def _tally_at(grid: dict[float, dict[str, Tally]], chosen: dict[str, float], common: float) -> Tally:
    """The facts' total when each predicate is kept from its ``chosen`` threshold (one the
    choice never saw keeps the grid's threshold nearest ``common``)."""
    fallback = min(sorted(grid), key=lambda t: abs(t - common))
    preds = {p for tallies in grid.values() for p in tallies}
    return Scores.total({p: grid[chosen.get(p, fallback)].get(p, Tally()) for p in preds})


def _summed(parts: Iterable[dict[str, Tally]]) -> dict[str, Tally]:
    out: dict[str, Tally] = {}
    for part in parts:
        _merge(out, part)
    return out


def _merge(into: dict[str, Tally], part: dict[str, Tally]) -> None:
    for name, t in part.items():
        _accumulate(into.setdefault(name, Tally()), t)


def _accumulate(total: Tally, part: Tally) -> None:
    total.tp, total.pred, total.gold = total.tp + part.tp, total.pred + part.pred, total.gold + part.gold


def _add(total: Scores, part: Scores) -> None:
    _merge(total.entities, part.entities)
    _merge(total.facts, part.facts)
    for name in ("missed_entities", "spurious_entities", "missed_facts", "spurious_facts"):
        getattr(total, name).extend(getattr(part, name))


def cross_validate(data: TrainingData, k: int = 5, settings: Settings | None = None,
                   thresholds: Sequence[float] = THRESHOLDS, evaluate_on: Sequence[GoldDocument] | None = None,
                   log: Callable[[str], None] = lambda _: None, fast: bool = False,
                   fact_grid: Sequence[float] = ()) -> CVResult:
    """k-fold cross-validation by document over ``data.documents`` (only those in
    ``evaluate_on`` are scored when given; the others always train); ``fast`` scores the
    entity model without LAC's features. ``fact_grid``: also score, with mentions at the
    first of ``thresholds``, the facts kept from each of these probabilities."""
    scored = list(evaluate_on) if evaluate_on is not None else list(data.documents)
    names = {d.name for d in scored}
    fixed = [d for d in data.documents if d.name not in names]
    result = CVResult({t: Scores() for t in thresholds},
                      {t: {f: Scores() for f in fact_grid} for t in thresholds} if fact_grid else {})
    for i, held in enumerate(folds(scored, k)):
        rest = [d for d in scored if d not in held] + fixed
        fold_grids: dict[float, dict[float, dict[str, Tally]]] = {}
        with tempfile.TemporaryDirectory(prefix="policygraph-cv-") as tmp:
            log(f"fold {i + 1}/{k}: training on {len(rest)} documents, testing on {len(held)}")
            train_models(rest, tmp, data.cluener, data.cluener_limit, settings, log, fast=fast)
            for t in thresholds:
                pipe = fold_pipeline(Path(tmp), t, fast)
                ds = build_dataset(pipe.run(g.document) for g in held)
                _add(result.by_threshold[t], score(ds, [g.record for g in held]))
                if not fact_grid:
                    continue
                pipe = fold_pipeline(Path(tmp), t, fast, fact_thresholds=_every_predicate(min(fact_grid)))
                docs = [pipe.run(g.document) for g in held]
                fold_grid = fold_grids.setdefault(t, {})
                for ft in fact_grid:  # the same documents, each time keeping fewer facts
                    kept = [dataclasses.replace(d, facts=[f for f in d.facts if f.confidence >= ft]) for d in docs]
                    part = score(build_dataset(kept), [g.record for g in held])
                    _add(result.by_fact_threshold[t][ft], part)
                    fold_grid[ft] = dict(part.facts)
        if fact_grid:
            result.fold_fact_grids.append(fold_grids)
    return result


def _every_predicate(value: float) -> dict[str, float]:
    return {p: value for p in PREDICATES}
