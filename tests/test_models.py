"""The trained models: training on a slice (the path CI proves), cross-validation, confidences."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from policygraph.cli import main
from policygraph.evaluate import Scores, Tally
from policygraph.extract import Pipeline
from policygraph.extract.facts import SIGNATURES, FactClassifier, predict
from policygraph.extract.ner import EntityTagger
from policygraph.graph import build_dataset
from policygraph.namespaces import PG
from policygraph.rdfio import read_dataset
from policygraph.training.gold import folds, load_gold, place_entities
from policygraph.training.run import Settings, TrainingData, cross_validate, train_models

pytest.importorskip("sklearn", reason="training needs the '.[train]' extra")


@pytest.fixture(scope="module")
def gold_docs(shared: Path):
    return load_gold(shared / "gold" / "train" / "gold.jsonl")


@pytest.fixture(scope="module")
def small_models(gold_docs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models")
    train_models(gold_docs[:8], out, settings=Settings(iterations=15))
    return out


def test_gold_names_are_placed_in_the_text(gold_docs) -> None:
    doc = Pipeline().make_doc(gold_docs[0].document)
    placed = place_entities(doc, gold_docs[0].record["entities"])
    assert placed.top, "no gold name found in its own passage"
    for span in placed.top:
        forms = {gold_docs[0].record["entities"][span.entity]["name"],
                 *gold_docs[0].record["entities"][span.entity].get("aliases", [])}
        assert any(doc.text[span.start:span.end] in f or f in doc.text[span.start:span.end] for f in forms)
    starts = [s.start for s in placed.top]
    assert all(a.end <= b.start for a, b in zip(placed.top, placed.top[1:], strict=False)) and starts == sorted(starts)


def test_folds_are_by_document_and_cover_everything(gold_docs) -> None:
    parts = folds(gold_docs, 5)
    names = [d.name for part in parts for d in part]
    assert sorted(names) == sorted(d.name for d in gold_docs) and len(set(names)) == len(names)


def test_a_model_trained_on_a_slice_extracts_with_confidences(small_models: Path, gold_docs) -> None:
    pipe = Pipeline(replace={"ner": EntityTagger(small_models / "entities.crfsuite"),
                             "facts": FactClassifier(small_models / "facts.json")}, min_confidence=0.0)
    doc = pipe.run(gold_docs[20].document)
    assert doc.mentions and all(0.0 <= m.confidence <= 1.0 for m in doc.mentions)
    assert any(m.source == "ner" for m in doc.mentions)
    for f in doc.facts:
        assert 0.0 <= f.confidence <= 1.0
        kind = doc.entities[f.object].type if isinstance(f.object, str) else (
            "date" if isinstance(f.object, tuple) else "amount")
        assert (doc.entities[f.subject].type, kind) in SIGNATURES[f.predicate]


def test_training_is_deterministic(small_models: Path, gold_docs, tmp_path: Path) -> None:
    train_models(gold_docs[:8], tmp_path, settings=Settings(iterations=15))
    assert (tmp_path / "facts.json").read_bytes() == (small_models / "facts.json").read_bytes()
    assert (tmp_path / "owners.crfsuite").read_bytes() == (small_models / "owners.crfsuite").read_bytes()
    doc = Pipeline().make_doc(gold_docs[30].document)
    for sent in doc.sentences[:5]:
        assert EntityTagger(tmp_path / "entities.crfsuite").spans(doc, sent) == \
            EntityTagger(small_models / "entities.crfsuite").spans(doc, sent)


def test_predict_rules_out_what_the_types_do_not_allow(small_models: Path) -> None:
    model = FactClassifier(small_models / "facts.json").model
    probs = predict(model, ["tp=Company>Project"], frozenset({"investsIn"}))
    assert set(probs) <= {"investsIn", "none"} and abs(sum(probs.values()) - 1) < 1e-9


def test_a_class_of_two_predicates_counts_for_each() -> None:
    """A fund located in and run by its province is one training class, locatedIn+organizedBy;
    its probability counts for both predicates, and the pair gives both facts."""
    model = {"classes": ["locatedIn", "locatedIn+organizedBy", "none", "organizedBy"],
             "bias": [0.0, 0.0, 0.0, 0.0], "weights": {"fund_in_province": [0.0, 3.0, 0.0, 0.0]}}
    probs = predict(model, ["fund_in_province"], frozenset({"locatedIn", "organizedBy"}))
    e3 = math.exp(3)
    assert probs["locatedIn"] == pytest.approx((1 + e3) / (3 + e3))
    assert probs["organizedBy"] == pytest.approx((1 + e3) / (3 + e3))
    assert probs["none"] == pytest.approx(1 / (3 + e3))
    # a pair that allows only one of the two: the joint class is ruled out with it
    probs = predict(model, ["fund_in_province"], frozenset({"locatedIn"}))
    assert set(probs) == {"locatedIn", "none"} and probs["locatedIn"] == pytest.approx(0.5)


def test_a_pair_gold_gives_two_facts_trains_their_joint_class(gold_docs) -> None:
    from policygraph.extract.facts import JOINT
    from policygraph.training.facts import fact_examples

    both = [g for g in gold_docs if any(s == s2 and o == o2 and p != p2 for s, p, o in g.record.get("facts", [])
                                        for s2, p2, o2 in g.record.get("facts", []))]
    _, ys = fact_examples(both[:3], Pipeline())
    assert "locatedIn" + JOINT + "organizedBy" in ys


def test_cross_validation_scores_held_out_documents(gold_docs) -> None:
    data = TrainingData(gold_docs[:10], evaluated=gold_docs[:10])
    result = cross_validate(data, 2, Settings(iterations=10), thresholds=(0.3, 0.6))
    assert set(result.by_threshold) == {0.3, 0.6}
    gold_entities = sum(len(d.record["entities"]) for d in gold_docs[:10])
    for sc in result.by_threshold.values():
        assert sc.total(sc.entities).gold == gold_entities  # every document scored exactly once
    assert result.best() in (0.3, 0.6) and "best threshold" in result.table()


def test_cross_validation_chooses_a_threshold_per_predicate(gold_docs) -> None:
    data = TrainingData(gold_docs[:10], evaluated=gold_docs[:10])
    grid = (0.1, 0.3, 0.9)
    result = cross_validate(data, 2, Settings(iterations=10), thresholds=(0.3,), fact_grid=grid)
    scores = result.fact_grid()
    kept = [Scores.total(scores[t].facts).pred for t in grid]
    assert kept[0] >= kept[1] >= kept[2]  # fewer facts kept from a higher probability
    assert Scores.total(scores[0.3].facts).pred == Scores.total(result.by_threshold[0.3].facts).pred
    chosen = result.predicate_thresholds()
    assert chosen and set(chosen.values()) <= set(grid)
    for pred, t in chosen.items():  # each is the best of the grid for its predicate ...
        f1 = scores[t].facts[pred].f1
        assert all(f1 >= scores[u].facts.get(pred, Tally()).f1 for u in grid)
        if f1 == 0:  # ... and one no threshold gets right keeps the common threshold
            assert t == 0.3
    assert result.tuned_facts().f1 >= max(Scores.total(scores[t].facts).f1 for t in grid) - 1e-9
    assert "per-predicate thresholds" in result.table()
    # every fold's grid is kept, and the folds add up to the summed grid
    assert len(result.fold_fact_grids) == 2
    for t in grid:
        assert sum(Scores.total(f[0.3][t]).tp for f in result.fold_fact_grids) == Scores.total(scores[t].facts).tp
    assert result.held_out_tuned_facts().gold == Scores.total(scores[0.3].facts).gold
    assert "chosen on the other folds" in result.table()


def test_held_out_thresholds_are_chosen_on_the_other_folds() -> None:
    from policygraph.training.run import CVResult

    def fold(at_low: Tally, at_high: Tally) -> dict:
        return {0.3: {0.2: {"targets": at_low}, 0.5: {"targets": at_high}}}

    # fold A does best keeping targets from 0.2, fold B from 0.5
    a = fold(Tally(tp=4, pred=5, gold=5), Tally(tp=1, pred=1, gold=5))
    b = fold(Tally(tp=1, pred=9, gold=2), Tally(tp=2, pred=2, gold=2))
    summed = {t: Scores(facts={"targets": Tally(a[0.3][t]["targets"].tp + b[0.3][t]["targets"].tp,
                                           a[0.3][t]["targets"].pred + b[0.3][t]["targets"].pred, 7)})
              for t in (0.2, 0.5)}
    result = CVResult({0.3: Scores()}, {0.3: summed}, [a, b])
    assert result.predicate_thresholds() == {"targets": 0.5}  # summed: F1 0.60 against 0.48
    assert (result.tuned_facts().tp, result.tuned_facts().pred) == (3, 3)
    # A is scored at B's choice (0.5) and B at A's (0.2): each fold pays for the other's taste
    fair = result.held_out_tuned_facts()
    assert (fair.tp, fair.pred, fair.gold) == (1 + 1, 1 + 9, 7)
    # they beat nothing kept at all, so a build keeps them ...
    assert result.default_predicate_thresholds() == {"targets": 0.5}
    # ... but not one threshold for all that does better on the same held-out folds
    result.by_threshold[0.3] = Scores(facts={"targets": Tally(tp=5, pred=6, gold=7)})
    assert result.default_predicate_thresholds() == {}
    assert "keeps one threshold for all" in result.table()


def test_per_predicate_thresholds_apply_unless_one_is_given(sample_dir: Path, tmp_path: Path) -> None:
    from policygraph.ingest import read_corpus
    from policygraph.training.run import set_predicate_thresholds

    documents = read_corpus([sample_dir]).documents
    base = [f for d in documents for f in Pipeline(fact_thresholds={}).run(d).facts]
    assert any(f.predicate == "locatedIn" and f.confidence < 0.99 for f in base)
    strict = [f for d in documents for f in Pipeline(fact_thresholds={"locatedIn": 0.99}).run(d).facts]
    assert all(f.confidence >= 0.99 for f in strict if f.predicate == "locatedIn")
    assert [f for f in strict if f.predicate != "locatedIn"] == [f for f in base if f.predicate != "locatedIn"]
    # the shipped defaults, and none when the user gives one threshold for all
    from policygraph.extract.pipeline import default_fact_thresholds

    assert Pipeline().fact_thresholds == default_fact_thresholds()
    assert Pipeline(min_confidence=0.3).fact_thresholds == {}
    model = tmp_path / "facts.json"
    model.write_text('{"min_confidence": 0.3}', encoding="utf-8")
    set_predicate_thresholds(model, {"organizedBy": 0.4, "investsIn": 0.2})
    assert json.loads(model.read_text(encoding="utf-8"))["predicate_min_confidence"] == {
        "investsIn": 0.2, "organizedBy": 0.4}


def test_min_confidence_filters_facts_and_is_recorded(sample_dir: Path, tmp_path: Path) -> None:
    counts = {}
    for x in (0.1, 0.9):
        out = tmp_path / f"s{x}.trig"
        assert main(["build", str(sample_dir), "-o", str(out), "--no-view", "--min-confidence", str(x)]) == 0
        ds = read_dataset(out)
        confs = [float(c) for ev in ds.subjects(RDF.type, PG.Evidence) for c in ds.objects(ev, PG.confidence)]
        assert confs and min(confs) >= x
        assert all(isinstance(c, Literal) for c in ds.objects(None, PG.confidence))
        counts[x] = len(confs)
    assert counts[0.9] < counts[0.1]
    assert main(["build", str(sample_dir), "-o", str(tmp_path / "bad.trig"), "--min-confidence", "2"]) == 2


def test_train_command_writes_models_that_build(shared: Path, sample_dir: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    assert main(["train", "--shared", str(shared), "-o", str(models), "--limit", "5",
                 "--iterations", "5", "--cluener", "50", "--min-confidence", "0.4"]) == 0
    assert (models / "entities.crfsuite").is_file() and (models / "facts.json").is_file()
    assert (models / "owners.crfsuite").is_file()
    pipe = Pipeline(replace={"ner": EntityTagger(models / "entities.crfsuite"),
                             "facts": FactClassifier(models / "facts.json")})
    from policygraph.ingest import read_corpus

    ds = build_dataset(pipe.run(d) for d in read_corpus([sample_dir]).documents)
    assert len(ds) > 0


def test_cluener_dev_through_the_build_path(shared: Path, capsys) -> None:
    assert main(["eval-cluener", "--shared", str(shared), "--limit", "40"]) == 0
    out = capsys.readouterr().out
    assert "40 sentences" in out and "Company" in out and "GovernmentAgency" in out


def test_the_fast_model_reads_no_lac_tags(small_models: Path, gold_docs, monkeypatch) -> None:
    from policygraph.extract import lac, ner

    assert (small_models / "entities-fast.crfsuite").is_file()
    assert "ner_fast" in Pipeline(fast=True).components and "ner" not in Pipeline(fast=True).components
    doc = Pipeline().run(gold_docs[3].document, until="ner")
    sent = next(s for s in doc.sentences if s.end - s.start > 10)
    assert any(f.startswith("L=") for f in ner.sentence_features(doc, sent)[0])
    assert not any(f.startswith("L") for row in ner.sentence_features(doc, sent, lexical=False) for f in row)

    def no_lac(text):
        raise AssertionError("the fast model ran LAC")

    monkeypatch.setattr(ner, "char_tags", no_lac)
    fast = EntityTagger(small_models / "entities-fast.crfsuite", lexical=False)
    assert fast.spans(doc, sent) is not None
    with pytest.raises(AssertionError, match="ran LAC"):
        EntityTagger(small_models / "entities.crfsuite").spans(doc, sent)
    assert lac.char_tags("上虞区经信局")[0] == "B-ORG"


def test_owner_model_finds_the_company_a_project_name_holds(gold_docs) -> None:
    """The shipped owner model on project names of no annotated file: the investor is a
    Company nested in the project, and the project's investsIn fact follows."""
    from policygraph.extract.owners import OwnerTagger
    from policygraph.ingest import Document
    from policygraph.training.owners import owner_examples, synthetic_examples

    tagger = OwnerTagger()
    found = {name: [name[a:b] for a, b, _ in tagger.owners(name)]
             for name in ("宁德时代宜宾基地", "比亚迪西安基地", "中芯国际北京集成电路生产线", "上虞区污水处理项目",
                          "年产10万吨锂电池项目", "城区防洪工程")}
    assert found == {"宁德时代宜宾基地": ["宁德时代"], "比亚迪西安基地": ["比亚迪"],
                     "中芯国际北京集成电路生产线": ["中芯国际"], "上虞区污水处理项目": [],
                     "年产10万吨锂电池项目": [], "城区防洪工程": []}
    # a company of no list: only the owner model can find it
    doc = Pipeline().run(Document("a.txt", "今年3月,总投资12亿元的华锐光电新能源电池项目签约落户南湖区。", region="嘉兴市"))
    companies = {m.text: m for m in doc.mentions if m.type == "Company"}
    assert "华锐光电" in companies and companies["华锐光电"].source == "owner"
    assert (companies["华锐光电"].entity, "investsIn") in {(f.subject, f.predicate) for f in doc.facts}
    # what it learns from: each annotated project name, the company inside it labelled, and
    # made-up names of listed companies, places, industries and heads (the same every time)
    examples = list(owner_examples(gold_docs))
    assert any("B-Company" in labels for _, labels in examples)
    assert all(len(feats) == len(labels) for feats, labels in examples)
    made_up = list(synthetic_examples(50))
    assert made_up == list(synthetic_examples(50))
    assert 0 < sum("B-Company" in labels for _, labels in made_up) < 50
