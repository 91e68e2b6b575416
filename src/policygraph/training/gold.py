"""Annotated documents for training: gold records joined to their texts, names placed in the text.

A gold record (``../shared/gold/GUIDELINES.md``) names entities and facts but
not where they are. :func:`place_entities` finds them: every surface form (name
or alias) of every gold entity is looked up in the document's normalised text
and the longest occurrences win, so a name nested in another (上虞 in
上虞区经信局) is not a second top-level span. What lies inside a top-level span
is kept apart as nested.

>>> from policygraph.ingest import Document
>>> from policygraph.extract import Pipeline
>>> doc = Pipeline().make_doc(Document("a.txt", "上虞区经信局支持卧龙。"))
>>> ents = [{"type": "GovernmentAgency", "name": "上虞区经信局"}, {"type": "Place", "name": "上虞区"},
...         {"type": "Company", "name": "卧龙"}]
>>> [(s.start, s.end, s.type) for s in place_entities(doc, ents).top]
[(0, 6, 'GovernmentAgency'), (8, 10, 'Company')]
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..extract.doc import Doc
from ..ingest import Document, read_corpus

_QUOTES = re.compile(r"[\"'“”‘’《》「」『』〈〉]")


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    type: str
    entity: int  # index into the record's entities


@dataclass
class Placed:
    top: list[GoldSpan] = field(default_factory=list)
    nested: list[GoldSpan] = field(default_factory=list)


@dataclass
class GoldDocument:
    document: Document
    record: dict

    @property
    def name(self) -> str:
        return self.record["doc"]


def surface_forms(entity: dict) -> set[str]:
    """The strings an entity may appear as: its name and aliases, NFKC, without quotes."""
    out = set()
    for form in [entity["name"], *entity.get("aliases", [])]:
        f = unicodedata.normalize("NFKC", form).strip()
        for g in (f, _QUOTES.sub("", f)):
            if len(g) >= 2:
                out.add(g)
    return out


def place_entities(doc: Doc, entities: list[dict]) -> Placed:
    """Where each gold entity occurs in ``doc.text``: longest occurrences first, no overlaps."""
    occurrences: list[GoldSpan] = []
    for idx, ent in enumerate(entities):
        for form in surface_forms(ent):
            start = doc.text.find(form)
            while start != -1:
                occurrences.append(GoldSpan(start, start + len(form), ent["type"], idx))
                start = doc.text.find(form, start + 1)
    occurrences.sort(key=lambda s: (-(s.end - s.start), s.start, s.entity))
    placed = Placed()
    taken = [False] * (len(doc.text) + 1)
    for occ in occurrences:
        if not any(taken[occ.start:occ.end]):
            placed.top.append(occ)
            for k in range(occ.start, occ.end):
                taken[k] = True
        elif all(taken[occ.start:occ.end]) and not any(
                (t.start, t.end) == (occ.start, occ.end) for t in placed.top):
            placed.nested.append(occ)
    placed.top.sort(key=lambda s: s.start)
    placed.nested = sorted(set(placed.nested), key=lambda s: (s.start, s.end))
    return placed


def load_gold(gold: str | Path, texts: str | Path | None = None) -> list[GoldDocument]:
    """Gold records with their documents. ``texts``: the folder of the passages (with its
    manifest); by default ``texts/`` beside the gold file, or the bundled sample for the seed."""
    gold = Path(gold)
    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    if texts is None:
        texts = gold.parent / "texts"
        if not texts.is_dir():
            from ..namespaces import package_file

            texts = package_file("sample")
    corpus = read_corpus([texts], split_articles=False)  # gold is per file, pages whole
    by_name = {d.identifier: d for d in corpus.documents}
    out = []
    for rec in records:
        document = by_name.get(rec["doc"])
        if document is None:
            raise FileNotFoundError(f"{gold}: no text for gold document {rec['doc']} in {texts}")
        out.append(GoldDocument(document, rec))
    return out


def folds(docs: Iterable[GoldDocument], k: int) -> list[list[GoldDocument]]:
    """``k`` folds by document, in a fixed order (round robin over the sorted names), so every
    fold mixes the sources the passages were cut from."""
    ordered = sorted(docs, key=lambda d: d.name)
    return [ordered[i::k] for i in range(k)]
