from __future__ import annotations

from policygraph.extract import Pipeline
from policygraph.extract.crf import features, spans, tag, tagger
from policygraph.ingest import Document


def test_bio_to_spans() -> None:
    labels = ["O", "B-company", "I-company", "O", "B-government", "I-government", "I-organization"]
    assert spans(labels) == [(1, 3, "company"), (4, 6, "government"), (6, 7, "organization")]


def test_one_feature_list_per_character() -> None:
    text = "国家发展和改革委员会"
    feats = features(text)
    assert len(feats) == len(text)
    assert "c=国" in feats[0] and "w=B" in feats[0]


def test_shipped_model_tags_agencies_and_companies() -> None:
    assert tagger() is not None, "src/policygraph/data/ner.crfsuite is missing: run scripts/train_crf.py"
    found = {(label, text) for text_, found_ in [("国家发展和改革委员会今天发布了通知。", None)]
             for s, e, label in tag(text_) for text in [text_[s:e]]}
    assert ("government", "国家发展和改革委员会") in found


def test_pipeline_uses_the_crf_for_names_rules_miss() -> None:
    doc = Pipeline(["crf_names"]).run(Document("c.txt", "据悉,腾讯科技有限公司与中国银行签署协议。"))
    assert any(m.source == "crf" and m.type == "Company" for m in doc.mentions)
