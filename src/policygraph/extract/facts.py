"""The trained fact extractor: a classifier over candidate pairs decides each fact.

Candidates, per sentence: every ordered pair of resolved mentions whose types
some predicate allows (:data:`SIGNATURES`); every project or fund with every
amount of yuan in its sentence, and every project or event with every date;
and, once per document, every actor with the document's region when the text
names it (a project in a provincial report is in that province unless stated
otherwise). The fact patterns of :mod:`policygraph.extract.relations` run
before this component; what they found is a feature ("the rules say
locatedIn"), not a decision.

A multinomial logistic regression, trained by ``policygraph train`` on
``../shared/gold/train`` and the sample, gives each candidate a probability
per predicate; predicates the pair's types do not allow are ruled out. A pair
that gold gives two facts (a fund or an event located in and run by its
province) is a class of its own, ``locatedIn+organizedBy``, whose probability
counts for both. A fact
is kept when its probability reaches its predicate's threshold in ``doc.fact_thresholds``
or else the pipeline's ``min_confidence`` (a model stores per-predicate thresholds only when
they held up on held-out folds; the shipped one stores none); its
confidence is the largest over the sentences that state it.

- reads: ``doc.mentions`` (resolved), ``doc.entities``, ``doc.facts`` (the rules' votes)
- writes: ``doc.facts``, each with its confidence
- scored: facts P/R/F1 by predicate (``policygraph eval --cv 5``)

>>> sorted(SIGNATURES["investsIn"])
[('Company', 'Project')]
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..namespaces import package_file
from .doc import Doc, Entity, Fact, LiteralValue, Mention, Sentence
from .lexicon import lexicons
from .quantities import AMOUNT_RE, DATE_RE, find_date, parse_amount
from .recognize import component

MODEL_NAME = "facts.json"
NONE = "none"
#: Joins the predicates of a class that states two facts of one pair.
JOINT = "+"


def _pairs(subjects: str, objects: str) -> frozenset[tuple[str, str]]:
    return frozenset((s, o) for s in subjects.split() for o in objects.split())


#: Which (subject type, object type) each predicate allows: GUIDELINES.md as the annotations
#: read it (a fund is located in its province too; a place or zone within a place is partOf it).
SIGNATURES: dict[str, frozenset[tuple[str, str]]] = {
    "investsIn": _pairs("Company", "Project"),
    "locatedIn": _pairs("Project Company Event Fund", "Place Zone") | {("Zone", "Zone")},
    "inIndustry": _pairs("Project Company Zone Fund", "Industry"),
    "partOf": _pairs("Industry", "Programme") | _pairs("Place Zone", "Place"),
    "targets": _pairs("Programme", "Industry"),
    "announcedAt": _pairs("Programme", "Event"),
    "organizedBy": _pairs("Event Programme Fund", "GovernmentAgency Place Organization"),
    "participatesIn": _pairs("Company Organization GovernmentAgency", "Programme Event"),
    "subOrganizationOf": _pairs("GovernmentAgency Organization", "GovernmentAgency Organization"),
    "investmentCNY": _pairs("Project Fund", "amount"),
    "date": _pairs("Event Project", "date"),
}
ALLOWED: dict[tuple[str, str], frozenset[str]] = {}
for _p, _sig in SIGNATURES.items():
    for _pair in _sig:
        ALLOWED[_pair] = ALLOWED.get(_pair, frozenset()) | {_p}

#: Words before a programme that cite it rather than author it (依据《…》, 落实…).
CITING = frozenset("依据 根据 按照 落实 贯彻 贯彻落实 遵照 依照 参照 执行 对照 结合 围绕 响应 符合".split())
_AGGREGATE = re.compile(r"(\d+|[一二两三四五六七八九十百]+)(个|项|家|批)")
_MAX_PAIR_CHARS = 160


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _bucket(n: int) -> str:
    for limit in (0, 2, 5, 10, 20, 40, 80):
        if n <= limit:
            return str(limit)
    return "far"


@dataclass
class Candidate:
    subject: str  # entity key
    object: str | LiteralValue  # entity key or literal
    kind: str  # the object's type: an entity type, "amount" or "date"
    sentence: int
    features: list[str]


def _tokens_between(sent: Sentence, a: int, b: int) -> list[str]:
    return [t for t, p in sent.tokens if a <= p and p + len(t) <= b]


def _context(doc: Doc, sent: Sentence, s_span: tuple[int, int], o_span: tuple[int, int],
             tp: str) -> list[str]:
    """Features of two spans in one sentence: what lies between them and around them."""
    text = doc.text
    first, second = sorted([s_span, o_span])
    order = "so" if s_span <= o_span else "os"
    feats = [f"order={order}", f"tp={tp}", f"tpo={tp}|{order}"]
    if _within(s_span, o_span) or _within(o_span, s_span):
        inside = "o_in_s" if s_span[0] <= o_span[0] and o_span[1] <= s_span[1] else "s_in_o"
        feats += [f"nest={inside}", f"nest={inside}|{tp}"]
        if o_span[0] == s_span[0] or o_span[1] == s_span[1]:
            feats.append(f"nest_edge|{tp}")
        return feats
    gap = text[first[1]:second[0]]
    d = _bucket(len(gap))
    feats += [f"dist={d}", f"dist={d}|{tp}"]
    for mark, name in (("，", "comma"), (",", "comma"), ("、", "dun"), ("；", "semi"), (";", "semi"),
                       ("：", "colon"), ("和", "he"), ("与", "yu"), ("及", "ji")):
        if mark in gap:
            feats.append(f"gap_{name}|{order}")
    if "，" not in gap and "," not in gap and "；" not in gap:
        feats.append(f"same_clause|{tp}")
    if not gap:
        feats.append(f"adjacent|{tp}|{order}")
    elif len(gap) <= 3:
        feats.append(f"gapstr={gap}|{order}")
    words = _tokens_between(sent, first[1], second[0])
    if len(words) <= 8:
        feats += [f"bw={w}|{order}" for w in words]
    else:
        feats += [f"bwfar={w}" for w in words[:3] + words[-3:]]
    before = [t for t, p in sent.tokens if p + len(t) <= first[0]][-2:]
    after = [t for t, p in sent.tokens if p >= second[1]][:2]
    feats += [f"lw={w}" for w in before] + [f"rw={w}" for w in after]
    if before:
        feats.append(f"lw1={before[-1]}|{order}")
    if after:
        feats.append(f"rw1={after[0]}|{order}")
    # a cited programme: 依据/落实 just before the object
    lead = [t for t, p in sent.tokens if p + len(t) <= o_span[0]][-3:]
    if any(w in CITING for w in lead):
        feats.append(f"cited|{tp}")
    return feats


class FactClassifier:
    """Candidate facts of a document, scored by the trained model. ``path``: a model other
    than the shipped one."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else package_file("data", MODEL_NAME)

    @property
    def model(self) -> dict:
        return load_model(str(self.path))

    def __call__(self, doc: Doc) -> None:
        best: dict[tuple, Fact] = {}
        for cand in candidates(doc):
            allowed = ALLOWED.get(_type_pair(doc, cand), frozenset())
            probs = predict(self.model, cand.features, allowed)
            for pred, p in probs.items():
                if pred == NONE or p < doc.fact_thresholds.get(pred, doc.min_confidence):
                    continue
                key = (cand.subject, pred, cand.object, cand.sentence)
                if key not in best or best[key].confidence < p:
                    best[key] = Fact(cand.subject, pred, cand.object, cand.sentence, "model",
                                     confidence=round(p, 4))
        doc.facts = sorted(best.values(), key=lambda f: (f.sentence, f.subject, f.predicate, str(f.object)))


def _type_pair(doc: Doc, cand: Candidate) -> tuple[str, str]:
    return doc.entities[cand.subject].type, cand.kind


def load_model(path: str) -> dict:
    """The fact model at ``path``, read once per version of the file (a retrain replaces it)."""
    return _read_model(path, Path(path).stat().st_mtime_ns)


@functools.cache
def _read_model(path: str, _version: int) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def predict(model: dict, features: list[str], allowed: frozenset[str]) -> dict[str, float]:
    """Probabilities over ``allowed`` predicates and none (softmax of the linear scores)."""
    classes: list[str] = model["classes"]
    weights: dict[str, list[float]] = model["weights"]
    scores = list(model["bias"])
    for f in set(features):
        w = weights.get(f)
        if w is not None:
            for k, v in enumerate(w):
                scores[k] += v
    # a class may be two predicates at once (JOINT: locatedIn+organizedBy, a fund located in
    # and run by its province); its probability counts for each
    keep = [k for k, c in enumerate(classes) if c == NONE or all(p in allowed for p in c.split(JOINT))]
    top = max(scores[k] for k in keep)
    exp = [(classes[k], math.exp(scores[k] - top)) for k in keep]
    total = sum(v for _, v in exp)
    out: dict[str, float] = {}
    for c, v in exp:
        for p in c.split(JOINT):
            out[p] = out.get(p, 0.0) + v / total
    return out


def _rule_votes(doc: Doc) -> tuple[dict[tuple, set[str]], dict[tuple, set[str]]]:
    """The rules' facts, by (subject, object, sentence) and by (subject, object)."""
    here: dict[tuple, set[str]] = defaultdict(set)
    anywhere: dict[tuple, set[str]] = defaultdict(set)
    for f in doc.facts:
        here[(f.subject, f.object, f.sentence)].add(f"{f.predicate}:{f.rule}")
        anywhere[(f.subject, f.object)].add(f.predicate)
    return here, anywhere


def _mentions_by_sentence(doc: Doc) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = defaultdict(list)
    for m in doc.mentions:
        if m.entity and m.entity in doc.entities:
            out[doc.sentence_of(m.start)].append(m)
    return out


def candidates(doc: Doc) -> Iterator[Candidate]:
    """Every candidate fact of ``doc`` with its features (see the module's docstring)."""
    here, anywhere = _rule_votes(doc)
    by_sent = _mentions_by_sentence(doc)
    ents = doc.entities
    seen: set[tuple] = set()
    names_by_type: dict[str, list[str]] = defaultdict(list)
    for e in sorted(ents.values(), key=lambda e: e.name):
        names_by_type[e.type].append(e.name)

    def votes(s: str, o, si: int) -> list[str]:
        out = [f"rule={v}" for v in sorted(here.get((s, o, si), ()))]
        out += [f"rule_doc={v}" for v in sorted(anywhere.get((s, o), ()))]
        out += [f"rule_p={v.split(':')[0]}" for v in sorted(here.get((s, o, si), ()))]
        return out

    for si, ms in sorted(by_sent.items()):
        sent = doc.sentences[si]
        n_types: dict[str, int] = defaultdict(int)
        for m in ms:
            n_types[ents[m.entity].type] += 1
        for a in ms:
            ta = ents[a.entity].type
            for b in ms:
                if a.entity == b.entity or a is b:
                    continue
                tb = ents[b.entity].type
                if (ta, tb) not in ALLOWED or abs(a.start - b.start) > _MAX_PAIR_CHARS:
                    continue
                key = (a.entity, b.entity, si)
                if key in seen:
                    continue
                seen.add(key)
                tp = f"{ta}>{tb}"
                feats = _context(doc, sent, (a.start, a.end), (b.start, b.end), tp)
                feats += votes(a.entity, b.entity, si)
                feats.append(f"n_{tb}={min(n_types[tb], 4)}|{tp}")
                if ents[a.entity].name.startswith(("国家", "全国", "中国", "中央")):
                    feats.append(f"s_national|{tp}")
                if _heads_list(doc.text, b, a):
                    feats.append(f"o_heads|{tp}")
                if b.entity == (doc.region.key if doc.region else None):
                    feats.append(f"o_region|{tp}")
                feats += _in_name(ents[a.entity], ents[b.entity], tp, names_by_type.get(tb, []))
                yield Candidate(a.entity, b.entity, tb, si, feats)
        yield from _literal_candidates(doc, si, sent, ms, votes)
    yield from _region_candidates(doc, by_sent, votes)
    yield from _name_candidates(doc, by_sent, {(s, o) for s, o, _ in seen}, names_by_type, votes)


_HEADER = re.compile(r"(?:领域|方面|产业|行业|类)?[：:，,]")


def _heads_list(text: str, head: Mention, item: Mention) -> bool:
    """Whether ``head`` opens the clause ``item`` stands in as its category (交通领域，长赣高铁、…;
    能源：…): a colon or comma after it, and no semicolon or full stop before the item."""
    if head.end > item.start:
        return False
    m = _HEADER.match(text, head.end)
    return bool(m) and not any(c in text[m.end():item.start] for c in "；;。")


def _literal_candidates(doc: Doc, si: int, sent: Sentence, ms: list[Mention], votes) -> Iterator[Candidate]:
    text = doc.text
    ents = doc.entities
    amounts = [(m.start(), m.end(), parse_amount(m.group())) for m in AMOUNT_RE.finditer(text, sent.start, sent.end)]
    dates = []
    for m in DATE_RE.finditer(text, sent.start, sent.end):
        value = find_date(m.group(), doc.published)
        if value is not None:
            dates.append((m.start(), m.end(), value))
    n_projects = sum(1 for m in ms if ents[m.entity].type in ("Project", "Fund"))
    for m in ms:
        t = ents[m.entity].type
        pools: list[tuple[str, list]] = []
        if t in ("Project", "Fund"):
            pools.append(("amount", amounts))
        if t in ("Project", "Event"):
            pools.append(("date", dates))
        for kind, pool in pools:
            for s, e, value in pool:
                if value is None:
                    continue
                tp = f"{t}>{kind}"
                feats = _context(doc, sent, (m.start, m.end), (s, e), tp)
                feats += votes(m.entity, value, si)
                feats.append(f"n_proj={min(n_projects, 4)}|{tp}")
                lead = text[max(sent.start, s - 6):s]
                for word in ("总投资", "投资", "规模", "计划", "累计", "共", "合计", "签约"):
                    if word in lead:
                        feats.append(f"amt_lead={word}|{tp}")
                if _AGGREGATE.search(text, max(sent.start, s - 12), s):
                    feats.append(f"aggregate|{tp}")
                if kind == "amount" and isinstance(value, Decimal):
                    feats.append(f"mag={len(str(int(value)))}|{tp}")
                else:
                    feats.append(f"prec={value[1]}|{tp}")
                yield Candidate(m.entity, value, kind, si, feats)


_LOCATABLE = frozenset({"Project", "Company", "Zone", "Place", "Event", "Programme", "Fund"})


def _region_candidates(doc: Doc, by_sent: dict[int, list[Mention]], votes) -> Iterator[Candidate]:
    """Each actor with the region the document speaks for, when the text names that region."""
    if doc.region is None:
        return
    region = doc.region.key
    mentioned = {m.entity for ms in by_sent.values() for m in ms}
    if region not in mentioned:
        return
    place = lexicons().places.by_code.get(doc.region.code) if doc.region.code else None
    level = str(place.level) if place else "?"
    first: dict[str, int] = {}
    located: dict[str, bool] = {}
    context: dict[str, set[str]] = defaultdict(set)
    for si, ms in sorted(by_sent.items()):
        types = {doc.entities[m.entity].type for m in ms}
        sent = doc.sentences[si]
        for m in ms:
            # the words that govern each mention: 实施/开展 X (the region's own) or 争取/落实 X
            # (a national programme the region takes part in)
            before = [t for t, p in sent.tokens if p + len(t) <= m.start][-2:]
            after = [t for t, p in sent.tokens if p >= m.end][:1]
            context[m.entity].update([f"ilw={w}" for w in before] + [f"irw={w}" for w in after])
            first.setdefault(m.entity, si)
            located[m.entity] = located.get(m.entity, False) or bool(types & {"Place", "Zone"} - {
                doc.entities[m.entity].type})
    for key, si in sorted(first.items()):
        ent = doc.entities[key]
        if key == region or ent.type not in _LOCATABLE:
            continue
        tp = f"{ent.type}>Place"
        feats = ["implicit", f"implicit|{tp}", f"level={level}|{tp}",
                 f"has_place={located[key]}|{tp}"]
        own = _own_place_prefix(ent.name, doc.region.name)
        feats.append(f"own_prefix={own}|{tp}")
        feats += [f"{c}|{tp}" for c in sorted(context[key])]
        feats.append(f"ihead={ent.name[-2:]}|{tp}")
        if ent.name.startswith(("国家", "全国", "中国", "中央")):
            feats.append(f"inational|{tp}")
        feats += votes(key, region, si)
        yield Candidate(key, region, "Place", si, feats)


def _name_candidates(doc: Doc, by_sent: dict[int, list[Mention]], paired: set[tuple[str, str]],
                     names_by_type: dict[str, list[str]], votes) -> Iterator[Candidate]:
    """Each entity with each other entity of the document whose name stands in its own, where
    their types allow a fact and no sentence holds the two as a pair already: 临河物流园区 and
    物流 (inIndustry), 青山机场二期 and 青山市 (locatedIn), 财政部办公厅 and 财政部
    (subOrganizationOf). The inner name is seldom a mention there."""
    ents = doc.entities
    first: dict[str, int] = {}
    for si, ms in sorted(by_sent.items()):
        for m in ms:
            first.setdefault(m.entity, si)
    by_label: dict[str, set[str]] = defaultdict(set)
    for k in first:
        for label in (ents[k].name, *ents[k].aliases):
            if len(label) >= 2:
                by_label[label].add(k)
    for key, si in sorted(first.items()):
        ent = ents[key]
        name = ent.name
        inner = {o for i in range(len(name)) for j in range(i + 2, len(name) + 1) for o in by_label.get(name[i:j], ())}
        for obj in sorted(inner - {key}):
            tp = f"{ent.type}>{ents[obj].type}"
            if (ent.type, ents[obj].type) not in ALLOWED or (key, obj) in paired:
                continue
            feats = _in_name(ent, ents[obj], tp, names_by_type.get(ents[obj].type, []))
            if feats:
                yield Candidate(key, obj, ents[obj].type, si, ["apart", *feats, *votes(key, obj, si)])


def _in_name(actor: Entity, other: Entity, tp: str, same_type: list[str]) -> list[str]:
    """Features of an entity whose name (or an alias) stands in the actor's name; none when it
    does not, or when a longer name of its type holding it does (新能源汽车, not 新能源, in
    …新能源汽车部件项目)."""
    # longest first, ties by the label itself: a set's order changes with the hash seed
    label = next((x for x in sorted({other.name, *other.aliases}, key=lambda x: (-len(x), x))
                  if len(x) >= 2 and x in actor.name and x != actor.name), None)
    if label is None or any(label in n and n != label and n in actor.name and n != actor.name for n in same_type):
        return []
    at = "start" if actor.name.startswith(label) else "inside"
    return ["in_name", f"in_name|{tp}", f"in_name_at={at}|{tp}", f"in_name_len={min(len(label), 5)}|{tp}",
            f"in_name_head={actor.name[-2:]}|{tp}"]


def _own_place_prefix(name: str, region: str) -> str:
    """Whether a name begins with a place: the region itself, another place, or none."""
    places = lexicons().places
    for k in range(min(len(name) - 1, 6), 1, -1):
        prefix = name[:k]
        if prefix in places.by_name or prefix in places.by_short:
            return "region" if region.startswith(prefix) else "other"
    return "none"


@component("facts")
def facts(doc: Doc) -> None:
    """The shipped fact model (see :class:`FactClassifier`)."""
    _shipped()(doc)


@functools.cache
def _shipped() -> FactClassifier:
    return FactClassifier()
