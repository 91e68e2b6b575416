"""The trained project-owner recogniser: the company a project's name begins with.

Work reports and project lists name a project by its investor: 华电榆树 (华电's project in
榆树), 长沙惠科新型显示, 株洲中车IGBT, 亿纬锂能沈阳工厂. The company is named nowhere else,
so the entity model, which labels top-level names, never sees it. This component reads each
project's name alone and labels the company inside it, with a small character CRF trained on
the annotated projects (``policygraph train``; ``../shared/gold``: a company inside a project's
name is annotated with ``investsIn``). What tells it where the company ends: the places of
the gazetteer (榆树, 沈阳), industry terms (新型显示), listed-company names and jieba's words.

- reads: ``doc.mentions`` of type Project
- writes: ``doc.mentions``: a Company nested in the project (source ``owner``), with the
  smallest marginal probability of its labels as confidence
- scored: Company and investsIn in ``policygraph eval --cv 5``

>>> [row[0] for row in owner_features("华电榆树")]
['c=华', 'c=电', 'c=榆', 'c=树']
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..namespaces import package_file
from .crf import spans as bio_spans
from .doc import Doc, Mention
from .lexicon import lexicons, tokenizer
from .ner import _tagger
from .recognize import component
from .tokens import char_class, is_proper, word_class

MODEL_NAME = "owners.crfsuite"
_MAX_TERM = 8


def _cover(text: str, known) -> list[bool]:
    """Which characters of ``text`` stand inside a term of ``known`` (longest match first,
    left to right, two characters or more)."""
    out = [False] * len(text)
    i = 0
    while i < len(text):
        for k in range(min(_MAX_TERM, len(text) - i), 1, -1):
            if text[i:i + k] in known:
                out[i:i + k] = [True] * k
                i += k - 1
                break
        i += 1
    return out


class _Known:
    """Membership in a gazetteer's full or short names."""

    def __init__(self, *tables) -> None:
        self.tables = tables

    def __contains__(self, term: str) -> bool:
        return any(term in t for t in self.tables)


@functools.cache
def _places() -> _Known:
    places = lexicons().places
    return _Known(places.by_name, places.by_short)


def owner_features(name: str) -> list[list[str]]:
    """One feature list per character of a project's name."""
    lex = lexicons()
    words = tokenizer().lcut(name)
    place = _cover(name, _places())
    industry = _cover(name, lex.industries)
    company = _cover(name, lex.companies)
    info: list[tuple[str, str, str, bool]] = []
    for w in words:
        cls, proper = word_class(w), is_proper(w)
        for k in range(len(w)):
            pos = "S" if len(w) == 1 else ("B" if k == 0 else ("E" if k == len(w) - 1 else "M"))
            info.append((pos, w if len(w) > 1 else "", cls, proper))
    padded = "\x02\x02" + name + "\x03\x03"
    out = []
    n = len(name)
    for i, c in enumerate(name):
        j = i + 2
        pos, word, cls, proper = info[i]
        row = ["c=" + c, "p1=" + padded[j - 1], "n1=" + padded[j + 1], "p2=" + padded[j - 2],
               "n2=" + padded[j + 2], "p1c=" + padded[j - 1] + c, "cn1=" + c + padded[j + 1],
               "t=" + char_class(c), f"i={min(i, 8)}", f"e={min(n - 1 - i, 8)}",
               "w=" + pos, "wk=" + pos + cls, "pr=" + str(int(proper)),
               "pl=" + str(int(place[i])), "in=" + str(int(industry[i])), "co=" + str(int(company[i]))]
        if word:
            row.append("wd=" + word)
        if i == 0:
            row.append("first")
        for k in (-1, 1):
            if 0 <= i + k < n:
                row.append(f"pl{k:+d}={int(place[i + k])}")
                row.append(f"in{k:+d}={int(industry[i + k])}")
        out.append(row)
    return out


class OwnerTagger:
    """The owner CRF at ``path`` (default: the shipped one) as a pipeline component."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else package_file("data", MODEL_NAME)

    def owners(self, name: str, tagger=None) -> list[tuple[int, int, float]]:
        """The company spans inside a project's ``name``, with their confidence (``tagger``:
        the CRF, when the caller has it open)."""
        if len(name) < 3:
            return []
        tagger = tagger or _tagger(str(self.path))
        labels = tagger.tag(owner_features(name))
        out = []
        for a, b, type_ in bio_spans(labels):
            if type_ == "Company" and b - a >= 2 and b - a < len(name):
                out.append((a, b, min(tagger.marginal(labels[k], k) for k in range(a, b))))
        return out

    def __call__(self, doc: Doc) -> None:
        if not self.path.is_file():
            raise FileNotFoundError(f"owner model missing: {self.path} (run policygraph train)")
        places = lexicons().places
        taken = {(m.start, m.end) for m in doc.mentions}
        found = []
        tagger = _tagger(str(self.path))  # opened once per document, not once per project
        for p in doc.mentions:
            if p.type != "Project":
                continue
            for a, b, conf in self.owners(p.text, tagger):
                s, e = p.start + a, p.start + b
                name = doc.text[s:e]
                if (s, e) in taken or name in places.by_name or conf < doc.min_confidence:
                    continue
                taken.add((s, e))
                found.append(Mention(s, e, name, "Company", "owner", 5,
                                     confidence=min(conf, p.confidence)))
        if found:
            doc.mentions = sorted([*doc.mentions, *found], key=lambda m: (m.start, -m.end, m.type))


@component("owners")
def owners(doc: Doc) -> None:
    """The shipped owner model over every project (see :class:`OwnerTagger`)."""
    _shipped()(doc)


@functools.cache
def _shipped() -> OwnerTagger:
    return OwnerTagger()
