"""The trained entity recogniser: one character CRF over all ten entity types.

This is the main path for names. The rule recognisers that run before it
(gazetteer, head words, quoted names, lexicons …) do not decide anything on
their own any more: their candidates become features of the CRF, which learned
from annotated policy text (``../shared/gold/train``, the sample) and from
CLUENER2020 news how far to trust each of them.

- reads: ``doc.sentences`` (text and jieba tokens), ``doc.mentions`` (rule candidates)
- writes: ``doc.mentions``: the CRF's spans, each with a confidence (the smallest
  marginal probability of its labels); rule mentions nested inside a CRF span
  (上虞 inside 上虞区经信局 is not kept, 浙江省 inside a project is) where the
  nesting is allowed, and the 我区/全市 references to the document's region
- scored: entities P/R/F1 by type (``policygraph eval --cv 5``)

The model ships as ``data/entities.crfsuite`` with its card ``data/models.md``;
``policygraph train`` reproduces it. Its features include Baidu LAC's word and
name tags (:mod:`.lac`), which cost most of the build's time; the component
``ner_fast`` (``policygraph build --fast``) runs a model trained without them,
``data/entities-fast.crfsuite``: about four times faster, a little less accurate.

>>> from policygraph.extract.ner import bio_spans
>>> bio_spans(["B-Place", "I-Place", "O", "B-Company", "I-Company", "I-Zone"])
[(0, 2, 'Place'), (3, 5, 'Company'), (5, 6, 'Zone')]
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from ..namespaces import package_file
from .crf import spans as bio_spans
from .doc import Doc, Mention, Sentence
from .lac import char_tags
from .lexicon import lexicons
from .quantities import AMOUNT
from .recognize import NESTING, SHARED_HEADS, component
from .tokens import char_class, word_class

MODEL_NAME = "entities.crfsuite"
FAST_MODEL_NAME = "entities-fast.crfsuite"
#: Every character of a build's text says it comes from policy text; training on news
#: (CLUENER) says otherwise, so the news' own label priors stay with the news.
DOMAIN_FEATURE = "dom=policy"
#: Rule sources whose mentions are not the CRF's business: references to the region and to
#: the document's issuer.
KEPT_SOURCES = frozenset({"region", "issuer"})
#: Rules whose names are kept where the model found nothing (see EntityTagger.__call__).
FALLBACK_SOURCES = frozenset({"invest-pattern"})
_OPEN = "《“「『\"'(（【"
_CLOSE = "》”」』\"')）】"


_EDGE = set("《》“”「」『』\"'‘’〈〉()（）【】")
_LEADING_AMOUNT = re.compile(rf"(?:总投资|投资|规模)?(?:约|达|超|近)?{AMOUNT}(?:的)?")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A name without the quotation and book-title marks at its edges, and without an amount
    of money before it (20亿元嘉兴市产业引导基金 names 嘉兴市产业引导基金).

    >>> text = "发布《嘉兴市数字经济行动方案》,设立20亿元产业引导基金"
    >>> [text[slice(*trim_span(text, s, e))] for s, e in ((2, 15), (18, 28))]
    ['嘉兴市数字经济行动方案', '产业引导基金']
    """
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    amount = _LEADING_AMOUNT.match(text, start, end)
    if amount and amount.end() < end:
        start = amount.end()
    return start, end


#: The words a name of each type ends in, for telling two joined names (提振旅游专项行动和文体消费
#: 提质惠民行动) from one name holding 和 (工业和信息化部, 技术改造和…专项资金): generic heads,
#: no names. Agencies and companies are never split.
_JOINED_HEADS: dict[str, tuple[str, ...]] = {
    "Programme": ("行动", "工程", "计划", "战略", "试点", "改革", "规划", "方案", "政策", "制度", "机制", "办法",
                  "措施", "条例", "意见", "通知", "法", "体系"),
    "Project": (*SHARED_HEADS["Project"], "工程", "期"),
    "Zone": SHARED_HEADS["Zone"],
    "Event": SHARED_HEADS["Event"],
    "Fund": ("基金",),
}
_JOINS = ("以及", "和", "及", "与")


def split_joined(text: str, start: int, end: int, type_: str) -> list[tuple[int, int]]:
    """A span that joins two names of ``type_`` with 和/及/与, as the two names: the left one
    must end in a head of the type, and each must be four characters or more.

    >>> t = "实施提振旅游专项行动和文体消费提质惠民行动"
    >>> [t[a:b] for a, b in split_joined(t, 2, len(t), "Programme")]
    ['提振旅游专项行动', '文体消费提质惠民行动']
    >>> t = "技术改造和先进制造业高质量发展专项资金"
    >>> [t[a:b] for a, b in split_joined(t, 0, len(t), "Fund")]
    ['技术改造和先进制造业高质量发展专项资金']
    """
    heads = _JOINED_HEADS.get(type_)
    if heads:
        for k in range(start + 4, end - 4):
            join = next((j for j in _JOINS if text.startswith(j, k)), None)
            if join and text[start:k].endswith(heads) and end - (k + len(join)) >= 4:
                return [(start, k), *split_joined(text, k + len(join), end, type_)]
    return [(start, end)]


def _is_division(name: str) -> bool:
    """A full name of an administrative division in the NBS gazetteer (南湖区, 嘉兴市)."""
    return len(name) >= 3 and name in lexicons().places.by_name


def _is_region(doc: Doc, name: str) -> bool:
    """Whether ``name`` is a name of the document's region in the gazetteer (辽宁, 辽宁省)."""
    code = doc.region.code if doc.region else ""
    return bool(code) and any(p.code == code for p in lexicons().places.lookup(name))


def _rule_mentions(doc: Doc) -> dict[int, list[Mention]]:
    """The rule mentions of each sentence (by index), each list in order of start, longest
    first: one pass over the document, not one per sentence."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in doc.mentions:
        if m.source in KEPT_SOURCES or m.end <= m.start:
            continue
        i = doc.sentence_of(m.start)
        if m.end <= doc.sentences[i].end:
            by_sentence.setdefault(i, []).append(m)
    for ms in by_sentence.values():
        ms.sort(key=_outer_first)
    return by_sentence


def _outer_first(m: Mention) -> tuple[int, int]:
    """Mentions in order of start, the longest first: outer names before the names inside."""
    return m.start, -(m.end - m.start)


def _rule_tags(doc: Doc, sent: Sentence, ms: list[Mention] | None = None) -> tuple[list[str], list[str]]:
    """Per character of the sentence: the outermost rule mention's tag (B-/I-/E- plus type
    and source), and the types of rule mentions nested inside it. ``ms``: the sentence's rule
    mentions in order, when the caller has them (:func:`_rule_mentions`)."""
    n = sent.end - sent.start
    outer = [""] * n
    inner = [""] * n
    if ms is None:
        ms = sorted((m for m in doc.mentions if sent.start <= m.start and m.end <= sent.end
                     and m.source not in KEPT_SOURCES), key=_outer_first)
    covered_to = sent.start
    for m in ms:
        a, b = m.start - sent.start, m.end - sent.start
        if m.start >= covered_to:
            for k in range(a, b):
                pos = "B" if k == a else ("E" if k == b - 1 else "I")
                outer[k] = f"{pos}-{m.type}"
            outer[a] += "|" + m.source
            covered_to = m.end
        else:
            for k in range(a, b):
                inner[k] = m.type
    return outer, inner


def sentence_features(doc: Doc, sent: Sentence, lexical: bool = True,
                      rules: list[Mention] | None = None) -> list[list[str]]:
    """One feature list per character of ``sent``: characters and n-grams around it, its
    class, its jieba word (position, identity, word class), whether it stands in quotes or
    book-title marks, the rule candidates that cover it (``rules``: the sentence's, in order,
    when the caller has them) and, when ``lexical``, LAC's tag of it and of its neighbours."""
    text = doc.text[sent.start:sent.end]
    n = len(text)
    lac = char_tags(text) if lexical else ()
    word = [""] * n
    place = ["S"] * n
    wclass = [""] * n
    prev_word = [""] * n  # the word before this character's word ("^": none)
    next_word = [""] * n  # and the word after it ("$": none)
    toks = [(tok, p - sent.start) for tok, p in sent.tokens if p >= sent.start and p - sent.start + len(tok) <= n]
    for j, (tok, a) in enumerate(toks):
        cls = word_class(tok)
        pw = toks[j - 1][0] if j > 0 else "^"
        nw = toks[j + 1][0] if j + 1 < len(toks) else "$"
        for k in range(len(tok)):
            word[a + k] = tok
            wclass[a + k] = cls
            place[a + k] = "S" if len(tok) == 1 else ("B" if k == 0 else ("E" if k == len(tok) - 1 else "M"))
            prev_word[a + k] = pw
            next_word[a + k] = nw
    outer, inner = _rule_tags(doc, sent, rules)
    depth = 0
    quoted = []
    for c in text:
        if c in _CLOSE and depth:
            depth -= 1
        quoted.append("1" if depth else "0")
        if c in _OPEN and not (c in _CLOSE and depth):
            depth += 1
    padded = "\x02\x02" + text + "\x03\x03"
    out = []
    for i, c in enumerate(text):
        j = i + 2
        p2, p1, n1, n2 = padded[j - 2], padded[j - 1], padded[j + 1], padded[j + 2]
        pos = place[i]
        row = [
            "c=" + c, "p1=" + p1, "n1=" + n1, "p2=" + p2, "n2=" + n2,
            "p1c=" + p1 + c, "cn1=" + c + n1, "p1n1=" + p1 + n1,
            "p1cn1=" + p1 + c + n1, "cn1n2=" + c + n1 + n2, "p2p1c=" + p2 + p1 + c,
            "t=" + char_class(c), "w=" + pos, "wc=" + pos + c, "wk=" + pos + wclass[i],
            "q=" + quoted[i], DOMAIN_FEATURE,
        ]
        if len(word[i]) > 1:
            row.append("wd=" + word[i])
        # The neighbouring words are read at every character; at the word's own edge they
        # are a separate feature, since there they say what the span boundary touches.
        if prev_word[i]:
            row.append(("pw=" if pos in ("B", "S") else "pwi=") + prev_word[i])
        if next_word[i]:
            row.append(("nw=" if pos in ("E", "S") else "nwi=") + next_word[i])
        r = outer[i]
        if r:
            tag, _, source = r.partition("|")
            row.append("r=" + tag)
            row.append("rt=" + tag[2:])
            if source:
                row.append("rs=" + source)
        else:
            row.append("r=O")
        if inner[i]:
            row.append("rn=" + inner[i])
        for k in (-1, 1):
            if 0 <= i + k < n and outer[i + k]:
                row.append(f"r{k:+d}=" + outer[i + k].partition("|")[0])
        if lac:
            row += ["L=" + lac[i], "Lc=" + lac[i] + c]
            if i > 0:
                row.append("L-1=" + lac[i - 1])
            if i + 1 < n:
                row.append("L+1=" + lac[i + 1])
        out.append(row)
    return out


def _tagger(path: str):
    """The CRF at ``path``, opened once per version of the file (a retrain replaces it)."""
    return _open_tagger(path, Path(path).stat().st_mtime_ns)


@functools.cache
def _open_tagger(path: str, _version: int):
    import pycrfsuite

    t = pycrfsuite.Tagger()
    t.open(path)
    return t


def model_path(lexical: bool = True) -> Path:
    return package_file("data", MODEL_NAME if lexical else FAST_MODEL_NAME)


class EntityTagger:
    """The CRF and how its spans become mentions. ``path``: a model other than the shipped one
    (cross-validation folds, a user's retrain); ``lexical``: whether the model reads LAC's tags
    (it must be told as it was trained)."""

    def __init__(self, path: str | Path | None = None, lexical: bool = True) -> None:
        self.path = Path(path) if path is not None else model_path(lexical)
        self.lexical = lexical

    def spans(self, doc: Doc, sent: Sentence, rules: list[Mention] | None = None,
              tagger=None) -> list[tuple[int, int, str, float]]:
        """The CRF's spans in ``sent`` (document offsets) with their confidence."""
        if sent.end <= sent.start:
            return []
        tagger = tagger or _tagger(str(self.path))
        labels = tagger.tag(sentence_features(doc, sent, self.lexical, rules))
        out = []
        for a, b, type_ in bio_spans(labels):
            conf = min(tagger.marginal(labels[k], k) for k in range(a, b))
            out.append((sent.start + a, sent.start + b, type_, conf))
        return out

    def __call__(self, doc: Doc) -> None:
        if not self.path.is_file():
            raise FileNotFoundError(f"entity model missing: {self.path} (run policygraph train)")
        rules = doc.mentions
        kept = [m for m in rules if m.source in KEPT_SOURCES]
        found: list[Mention] = []
        by_sentence = _rule_mentions(doc)
        taken = _Coverage(kept)
        tagger = _tagger(str(self.path))
        for i, sent in enumerate(doc.sentences):
            for s0, e0, type0, conf in self.spans(doc, sent, by_sentence.get(i, []), tagger):
                s0, e0 = trim_span(doc.text, s0, e0)
                for s, e in split_joined(doc.text, s0, e0, type0):
                    type_ = type0
                    if type_ != "Place" and _is_division(doc.text[s:e]):
                        type_ = "Place"  # the gazetteer knows it (灌区 ends projects, 南湖区 is a district)
                    if e - s < 2 or conf < doc.min_confidence or taken.overlaps(s, e):
                        continue
                    found.append(Mention(s, e, doc.text[s:e], type_, "ner", 10, confidence=conf))
        # Where the CRF put nothing, some rule names stand anyway: a full division name (the
        # gazetteer is no guess; see models.md for what cross-validation says of this), any name
        # of the document's own region (辽宁 in a Liaoning report: the manifest says which place
        # it is, and every fact located in the region hangs on it), and a project the
        # invested-amount pattern reads (总投资8亿元的…项目签约落户: news text, where it is all
        # but certain; it never fires in the annotated reports the model learned from).
        names = _Coverage(found)
        standing = [r for r in rules if (r.source in FALLBACK_SOURCES or (
            r.type == "Place" and (_is_division(r.text) or _is_region(doc, r.text))))
            and not names.overlaps(r.start, r.end)]
        for r in standing:
            r.confidence = 0.5
        kept += standing
        # names the rules found inside a CRF name, where one may stand inside the other
        # (a second CRF for nested names did worse in cross-validation: see data/models.md)
        names = _Coverage([*found, *(r for r in standing if r.source in FALLBACK_SOURCES)])
        stood = {id(r) for r in standing}
        nested = []
        for r in rules:
            if r.source in KEPT_SOURCES or id(r) in stood:
                continue
            around = names.around(r.start, r.end)
            if any((f.start, f.end) != (r.start, r.end) and (f.type, r.type) in NESTING for f in around):
                r.confidence = min(f.confidence for f in around)
                nested.append(r)
        doc.mentions = sorted([*kept, *found, *nested], key=lambda m: (m.start, -m.end, m.type))


class _Coverage:
    """Spans sorted by start, asked which overlap or contain a range: a bisect and a short
    scan instead of a pass over every span (a 100,000-character part has thousands)."""

    def __init__(self, spans: list[Mention]) -> None:
        import bisect

        self._bisect = bisect.bisect_left
        self.spans = sorted(spans, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.spans]
        self.longest = max((m.end - m.start for m in self.spans), default=0)

    def _near(self, start: int, end: int) -> list[Mention]:
        lo = self._bisect(self.starts, start - self.longest)
        hi = self._bisect(self.starts, end)
        return self.spans[lo:hi]

    def overlaps(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in self._near(start, end))

    def around(self, start: int, end: int) -> list[Mention]:
        """The spans that contain [start, end)."""
        return [m for m in self._near(start, end) if m.start <= start and end <= m.end]


@component("ner")
def ner(doc: Doc) -> None:
    """The shipped entity model over every sentence (see :class:`EntityTagger`)."""
    _shipped(True)(doc)


@component("ner_fast")
def ner_fast(doc: Doc) -> None:
    """The shipped entity model trained without LAC's tags: faster, a little less accurate."""
    _shipped(False)(doc)


@functools.cache
def _shipped(lexical: bool) -> EntityTagger:
    return EntityTagger(lexical=lexical)
