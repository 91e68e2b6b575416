"""Training data and training for the entity CRF (:mod:`policygraph.extract.ner`).

Examples are sentences: the features the CRF sees in a build (the rule
candidates included, computed by the same pipeline up to ``ner``) and BIO
labels from the gold entities placed in the text. CLUENER2020 train adds news
sentences with company, government and organisation names; its addresses count
as places only when the gazetteer knows them, and a sentence where the rules
see an industry, programme or project is left out (CLUENER does not annotate
those, so its labels would teach the CRF to ignore them).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..extract import Pipeline
from ..extract.doc import Doc
from ..extract.lexicon import lexicons
from ..extract.ner import DOMAIN_FEATURE, sentence_features, trim_span
from ..ingest import Document
from .gold import GoldDocument, place_entities

Example = tuple[list[list[str]], list[str]]
CLUENER_TYPES = {"company": "Company", "government": "GovernmentAgency", "organization": "Organization"}
_CLUENER_SKIP = frozenset({"Industry", "Programme", "Project", "Fund", "Zone", "Event"})


def _sentences(doc: Doc, labels: list[str]) -> Iterator[Example]:
    for sent in doc.sentences:
        if sent.end > sent.start:
            yield sentence_features(doc, sent, lexical=True), labels[sent.start:sent.end]


def without_lexical(examples: Iterable[Example]) -> Iterator[Example]:
    """The examples the fast model learns from: LAC's features (``L…``) taken out."""
    for feats, labels in examples:
        yield [[f for f in row if not f.startswith("L")] for row in feats], labels


def gold_examples(docs: Iterable[GoldDocument], pipeline: Pipeline) -> Iterator[Example]:
    """Sentences of annotated documents with BIO labels of the top-level gold names."""
    for g in docs:
        doc = pipeline.run(g.document, until="ner")
        labels = ["O"] * len(doc.text)
        region_refs = {(m.start, m.end) for m in doc.mentions if m.source == "region"}
        for span in place_entities(doc, g.record["entities"]).top:
            if (span.start, span.end) in region_refs:
                continue
            start, end = trim_span(doc.text, span.start, span.end)
            if end - start < 2:
                continue
            labels[start] = "B-" + span.type
            for k in range(start + 1, end):
                labels[k] = "I-" + span.type
        yield from _sentences(doc, labels)


def cluener_examples(path: str | Path, pipeline: Pipeline, limit: int | None = None) -> Iterator[Example]:
    """CLUENER2020 sentences (``train.json``) with our types; at most ``limit`` of them."""
    places = lexicons().places
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and n >= limit:
                return
            if not line.strip():
                continue
            rec = json.loads(line)
            original = ["O"] * len(rec["text"])
            for label, surfaces in (rec.get("label") or {}).items():
                for surface, spans in surfaces.items():
                    type_ = CLUENER_TYPES.get(label)
                    if label == "address" and (surface in places.by_name or surface in places.by_short):
                        type_ = "Place"
                    if type_ is None:
                        continue
                    for s, e in spans:
                        original[s] = "B-" + type_
                        for k in range(s + 1, e + 1):
                            original[k] = "I-" + type_
            doc = pipeline.run(Document(f"cluener-{n}", rec["text"]), until="ner")
            # (a shared-head list is no evidence of an unannotated name: in news its items are
            # mostly companies, which CLUENER does annotate)
            if any(m.type in _CLUENER_SKIP and m.source != "conjunct" for m in doc.mentions):
                continue
            labels = [original[doc.offsets[i]] for i in range(len(doc.text))]
            # a label that normalisation shifted (a dropped space) must still begin with B-
            for i in range(len(labels)):
                if labels[i].startswith("I-") and (i == 0 or labels[i - 1][2:] != labels[i][2:]):
                    labels[i] = "B-" + labels[i][2:]
            n += 1
            for feats, labs in _sentences(doc, labels):
                yield [[("dom=news" if f == DOMAIN_FEATURE else f) for f in row] for row in feats], labs


def bioes(labels: list[str]) -> list[str]:
    """BIO labels with each name's last character E- and a one-character name S-: the model
    learns where names end, as it learns where they begin.

    >>> bioes(["B-Place", "I-Place", "O", "B-Zone", "B-Zone", "I-Zone"])
    ['B-Place', 'E-Place', 'O', 'S-Zone', 'B-Zone', 'E-Zone']
    """
    out = list(labels)
    for i, lab in enumerate(labels):
        ends = i + 1 == len(labels) or labels[i + 1] != "I-" + lab[2:]
        if lab.startswith("B-") and ends:
            out[i] = "S-" + lab[2:]
        elif lab.startswith("I-") and ends:
            out[i] = "E-" + lab[2:]
    return out


def train_entity_model(examples: Iterable[Example], out: str | Path, iterations: int = 100,
                       c1: float = 0.05, c2: float = 0.01) -> Path:
    """Train the CRF on ``examples`` and write it to ``out`` (atomically). L-BFGS has no
    random state and examples come in a fixed order, so a retrain gives the same model."""
    import pycrfsuite

    out = Path(out)
    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in examples:
        trainer.append(feats, bioes(labels))
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp",
                                     delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        trainer.train(str(tmp_path))
        tmp_path.chmod(0o644)
        tmp_path.replace(out)
    finally:
        tmp_path.unlink(missing_ok=True)
    return out
