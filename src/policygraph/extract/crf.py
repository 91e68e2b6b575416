"""Statistical NER: a character CRF (python-crfsuite) the project trains itself.

The model is trained on CLUENER2020 ``train.json`` by ``scripts/train_crf.py``
and shipped as ``data/ner.crfsuite`` with its model card ``data/ner.md``.
Features: the character and its neighbours (±2), character bigrams and
trigrams, the character's class, its jieba word (the word and the character's
place in it, B/M/E/S), whether that word or the next ends an agency's name, and
whether the character is an organisation head. The pipeline component ``crf_names`` adds
company, agency and organisation candidates at low priority: rules that know
the head word and the context win where both fire.
"""

from __future__ import annotations

import functools
import itertools
import re

from ..namespaces import package_file
from .doc import Doc
from .lexicon import tokenizer
from .recognize import NOT_AGENCY_WORDS, _add, _is_place_word, component, division_start
from .tokens import BOUNDARY_WORDS, char_class, is_proper, word_class

MODEL_NAME = "ner.crfsuite"
#: CLUENER labels the pipeline uses, and the entity type each becomes.
LABEL_TYPES = {"company": "Company", "government": "GovernmentAgency", "organization": "Organization"}

_HEAD_CHARS = set("局厅委部办署院会司团行所校馆社盟")


#: Words that end a government body's name: the word itself, or the word after a character.
AGENCY_WORDS = frozenset("局 厅 委 委员会 政府 人民政府 办公室 办 部 署 院 法院 检察院 公安局 管委会 监狱 所 派出所 "
                         "大使馆 领事馆 海关".split())
_AGENCY_ENDS = ("局", "委员会", "政府", "管委会", "办公室")


def _words(text: str, tokens: list[str] | None = None) -> tuple[list[str], list[str]]:
    """For each character of ``text``: the jieba word it belongs to (our lexicons loaded),
    and its place in it (B/M/E/S). ``tokens`` is the text's segmentation when known."""
    words: list[str] = []
    places: list[str] = []
    for w in tokenizer().lcut(text) if tokens is None else tokens:
        words.extend([w] * len(w))
        places.extend(["S"] if len(w) == 1 else ["B"] + ["M"] * (len(w) - 2) + ["E"])
    return words, places


def features(text: str, tokens: list[str] | None = None) -> list[list[str]]:
    """One feature list per character of ``text``: characters and n-grams around it, its
    class, its jieba word (identity and position) and whether that word or the next one
    ends an agency's name. ``tokens``: the text's jieba words, when already known."""
    words, places = _words(text, tokens)
    padded = "\x02\x02" + text + "\x03\x03"
    out = []
    for i, c in enumerate(text):
        j = i + 2
        p2, p1, n1, n2 = padded[j - 2], padded[j - 1], padded[j + 1], padded[j + 2]
        pos = places[i]
        w = words[i]
        nw = words[i + 1] if i + 1 < len(words) else ""
        row = [
            "c=" + c, "p1=" + p1, "n1=" + n1, "p2=" + p2, "n2=" + n2,
            "p1c=" + p1 + c, "cn1=" + c + n1, "p1n1=" + p1 + n1,
            "t=" + char_class(c), "w=" + pos, "wc=" + pos + c,
            "h=" + ("1" if c in _HEAD_CHARS else "0"),
            "p1cn1=" + p1 + c + n1, "cn1n2=" + c + n1 + n2, "p2p1c=" + p2 + p1 + c,
            "aw=" + ("1" if w in AGENCY_WORDS or w.endswith(_AGENCY_ENDS) else "0"),
            "naw=" + ("1" if nw in AGENCY_WORDS else "0"),
        ]
        if len(w) > 1:
            row.append("wd=" + w)
        out.append(row)
    return out


def spans(labels: list[str]) -> list[tuple[int, int, str]]:
    """BIO (or BIOES) labels to (start, end, label) spans.

    >>> spans(["B-Place", "E-Place", "S-Zone", "B-Zone", "I-Zone", "O", "I-Fund"])
    [(0, 2, 'Place'), (2, 3, 'Zone'), (3, 5, 'Zone'), (6, 7, 'Fund')]
    """
    out = []
    start, cur = -1, ""
    for i, lab in enumerate([*labels, "O"]):
        if not (lab[:2] in ("I-", "E-") and lab[2:] == cur):  # not the name going on: it ends here
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


def tag(text: str, tokens: list[str] | None = None) -> list[tuple[int, int, str]]:
    t = tagger()
    if t is None or not text:
        return []
    return spans(t.tag(features(text, tokens)))


_CLAUSE = re.compile(r"[^,，;；:：。]+")
_HEAD_IN = re.compile(r"公司|集团|局|厅|委|部|办|署|院|协会|中心|联盟|银行|大学|学院")
_NAME_END = re.compile(r"(公司|集团|局|厅|委|部|办|署|院|会|所|校|中心|联盟|协会|银行|大学|学院)$")


def _trim_lead(text: str, s: int, e: int) -> int | None:
    """The start of the name once the words before it are cut off: governing words (鼓励银行,
    发挥行业协会) and a contact's name before 省/市 (何毅省公安厅). None when what is left is
    too short, holds punctuation, or holds no proper word (工程中心, 政务部门: a kind of body,
    not a name). A name that is one dictionary word (国务院, 中国人民银行) stands as it is."""
    words = tokenizer().lcut(text[s:e])
    while len(words) > 1 and (words[0] in BOUNDARY_WORDS or word_class(words[0]).startswith("v")):
        s += len(words.pop(0))
    k = division_start(words)
    s += sum(map(len, words[:k]))
    words = words[k:]
    if e - s < 3 or not _NAME_END.search(text[s:e]) or _PUNCT_IN.search(text, s, e):
        return None
    if len(words) > 1 and not any(is_proper(w) or _is_place_word(w) for w in words[:-1]):
        return None
    return s


_PUNCT_IN = re.compile(r"[()（）\[\]【】<>《》“”\"'、]")


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
            # the sentence's words: jieba cuts at punctuation, so the clause's are among them
            tokens = [w for w, p in sent.tokens if clause.start() <= p < clause.end()]
            if sum(map(len, tokens)) != len(text):
                tokens = tokenizer().lcut(text)
            ends = set(itertools.accumulate(map(len, tokens)))
            for s, e, label in tag(text, tokens):
                type_ = LABEL_TYPES.get(label)
                if e not in ends:
                    continue  # the span stops inside a word (…暂行办|法)
                if type_ is None or e - s < 3 or not _NAME_END.search(text[s:e]):
                    continue  # bare short names from news are too noisy in policy text
                if text[e - 2:e] in NOT_AGENCY_WORDS:
                    continue  # 服务大局, 战略部署: ordinary words ending like an agency
                gap = doc.last_gap(clause.start() + s, clause.start() + e)
                if gap is not None:
                    s = gap - clause.start()
                s = _trim_lead(text, s, e)
                if s is None:
                    continue
                _add(doc, clause.start() + s, clause.start() + e, type_, "crf", 2)
