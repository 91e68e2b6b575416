"""Statistical NER: a character CRF (python-crfsuite) the project trains itself.

The model is trained on CLUENER2020 ``train.json`` by ``scripts/train_crf.py``
and shipped as ``data/ner.crfsuite`` with its model card ``data/ner.md``.
Features: the character and its neighbours (±2), character bigrams, the
character's class, its place in the jieba word (B/M/E/S) and whether it ends a
head word of an organisation name. The pipeline component ``crf_names`` adds
company, agency and organisation candidates at low priority: rules that know
the head word and the context win where both fire.
"""

from __future__ import annotations

import functools
import re

from ..namespaces import package_file
from .doc import Doc
from .lexicon import tokenizer
from .recognize import NOT_AGENCY_WORDS, _add, component

MODEL_NAME = "ner.crfsuite"
#: CLUENER labels the pipeline uses, and the entity type each becomes.
LABEL_TYPES = {"company": "Company", "government": "GovernmentAgency", "organization": "Organization"}

_HEAD_CHARS = set("局厅委部办署院会司团行所校馆社盟")


def _char_class(c: str) -> str:
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "A"
    if "\u4e00" <= c <= "\u9fff":
        return "C"
    if c.isspace():
        return "S"
    return "P"


def _word_positions(text: str) -> list[str]:
    tags = []
    for w in tokenizer().lcut(text):
        if len(w) == 1:
            tags.append("S")
        else:
            tags.extend(["B"] + ["M"] * (len(w) - 2) + ["E"])
    return tags


def features(text: str) -> list[list[str]]:
    """One feature list per character of ``text``."""
    pos = _word_positions(text)
    padded = "\x02\x02" + text + "\x03\x03"
    out = []
    for i, c in enumerate(text):
        j = i + 2
        p2, p1, n1, n2 = padded[j - 2], padded[j - 1], padded[j + 1], padded[j + 2]
        out.append([
            "c=" + c, "p1=" + p1, "n1=" + n1, "p2=" + p2, "n2=" + n2,
            "p1c=" + p1 + c, "cn1=" + c + n1, "p1n1=" + p1 + n1,
            "t=" + _char_class(c), "w=" + pos[i], "wc=" + pos[i] + c,
            "h=" + ("1" if c in _HEAD_CHARS else "0"),
        ])
    return out


def spans(labels: list[str]) -> list[tuple[int, int, str]]:
    """BIO labels to (start, end, label) spans."""
    out = []
    start, cur = -1, ""
    for i, lab in enumerate([*labels, "O"]):
        if lab.startswith("B-") or lab == "O" or (lab.startswith("I-") and lab[2:] != cur):
            if cur:
                out.append((start, i, cur))
            cur, start = ("", -1) if lab == "O" else (lab[2:], i)
    return out


@functools.cache
def tagger():
    """The shipped model, or None when the package was installed without one."""
    import pycrfsuite

    path = package_file("data", MODEL_NAME)
    if not path.is_file():
        return None
    t = pycrfsuite.Tagger()
    t.open(str(path))
    return t


def tag(text: str) -> list[tuple[int, int, str]]:
    t = tagger()
    if t is None or not text:
        return []
    return spans(t.tag(features(text)))


_CLAUSE = re.compile(r"[^,，;；:：。]+")
_HEAD_IN = re.compile(r"公司|集团|局|厅|委|部|办|署|院|协会|中心|联盟|银行|大学|学院")
_NAME_END = re.compile(r"(公司|集团|局|厅|委|部|办|署|院|会|所|校|中心|联盟|协会|银行|大学|学院)$")


@component("crf_names")
def crf_names(doc: Doc) -> None:
    """CRF candidates for companies, agencies and organisations, where the name has a head word."""
    for sent in doc.sentences:
        # Tag only the clauses that hold a head word: names elsewhere are not used, and
        # tagging everything would cost more than the rest of the pipeline together.
        for clause in _CLAUSE.finditer(doc.text, sent.start, sent.end):
            text = clause.group()
            if not _HEAD_IN.search(text):
                continue
            for s, e, label in tag(text):
                type_ = LABEL_TYPES.get(label)
                if type_ is None or e - s < 3 or not _NAME_END.search(text[s:e]):
                    continue  # bare short names from news are too noisy in policy text
                if text[e - 2:e] in NOT_AGENCY_WORDS:
                    continue  # 服务大局, 战略部署: ordinary words ending like an agency
                _add(doc, clause.start() + s, clause.start() + e, type_, "crf", 2)
