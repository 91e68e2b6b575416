"""Facts between entities, from patterns over one sentence.

Every fact records the sentence it comes from. The patterns are deliberately
local (one sentence, mostly one clause): a fact the graph states must be one a
reader finds in the evidence sentence.
"""

from __future__ import annotations

import bisect
import re

from .doc import Doc, Mention, Sentence
from .lexicon import lexicons
from .quantities import AMOUNT, find_date, parse_amount
from .recognize import component

_CLAUSE_SPLIT = re.compile(r"[,，;；。]")


def _in_sentence(doc: Doc, sent: Sentence) -> list[Mention]:
    """Resolved mentions of one sentence, in text order (mentions are sorted by start)."""
    lo = bisect.bisect_left(doc.mentions, sent.start, key=lambda m: m.start)
    hi = bisect.bisect_left(doc.mentions, sent.end, key=lambda m: m.start)
    return [m for m in doc.mentions[lo:hi] if m.entity]


def _clause_bounds(doc: Doc, sent: Sentence, pos: int) -> tuple[int, int]:
    text = doc.text
    s = max((m.end() for m in _CLAUSE_SPLIT.finditer(text, sent.start, pos)), default=sent.start)
    m = _CLAUSE_SPLIT.search(text, pos, sent.end)
    return s, (m.start() if m else sent.end)


def _etype(doc: Doc, m: Mention) -> str:
    return doc.entities[m.entity].type


# ---------------------------------------------------------------- projects and funds

_AMOUNT_BEFORE = re.compile(
    rf"(?:总投资|计划投资|投资总额|总投资额|投资|总规模|规模)(?:约|达|超|近|逾)?(?P<amt>{AMOUNT})(?:的|建设的|打造的)?$"
)
_AMOUNT_AFTER = re.compile(rf"[^,，。;；]{{0,6}}?(?:总投资|计划投资|投资|规模)(?:约|达|超|近|逾)?(?P<amt>{AMOUNT})")
_FUND_AMOUNT = re.compile(rf"(?P<amt>{AMOUNT})(?:规模)?(?:的)?$")
_SIGN_VERBS = re.compile(r"签约|签下|落地|落户|开工|投产|开业|竣工|签署|启动|奠基|动工")


@component("project_facts")
def project_facts(doc: Doc) -> None:
    """investsIn, investmentCNY, locatedIn and date of projects and funds."""
    text = doc.text
    for si, sent in enumerate(doc.sentences):
        ms = _in_sentence(doc, sent)
        for m in ms:
            t = _etype(doc, m)
            if t not in ("Project", "Fund"):
                continue
            before = text[max(sent.start, m.start - 24):m.start]
            amt = _AMOUNT_BEFORE.search(before) or (
                _FUND_AMOUNT.search(before) if t == "Fund" else None)
            if amt is None:
                amt = _AMOUNT_AFTER.match(text, m.end, sent.end)
            if amt is not None:
                value = parse_amount(amt.group("amt"))
                if value is not None:
                    doc.add_fact(m.entity, "investmentCNY", value, si, "amount")
            if t == "Project":
                for inner in ms:
                    # the company a project's name holds (盈峰新能源装备项目, 长沙惠科新型显示)
                    if (m.start <= inner.start and inner.end <= m.end and (inner.start, inner.end) != (m.start, m.end)
                            and _etype(doc, inner) == "Company"):
                        doc.add_fact(inner.entity, "investsIn", m.entity, si, "owner-prefix")
                cs, ce = _clause_bounds(doc, sent, m.start)
                clause = text[m.end:ce]
                sign = _SIGN_VERBS.search(clause)
                if sign:
                    for p in ms:
                        if p.start >= m.end + sign.end() and p.start < ce and _etype(doc, p) in ("Place", "Zone"):
                            doc.add_fact(m.entity, "locatedIn", p.entity, si, "signed-in")
                            break
                    d = find_date(text[sent.start:m.start], doc.published)
                    if d is not None:
                        doc.add_fact(m.entity, "date", d, si, "signed-on")
                elif re.match(r"^.{0,2}(签约|落地)", text[m.end:ce]) is None:
                    d = find_date(text[cs:m.start], doc.published)
                    if d is not None and re.search(r"签约|落地|开工", text[sent.start:sent.end]):
                        doc.add_fact(m.entity, "date", d, si, "signed-on")


# ---------------------------------------------------------------- location

_LOCATED = re.compile(r"位于|坐落于|落户|落地于|地处|地址就?位于|选址")


@component("location_facts")
def location_facts(doc: Doc) -> None:
    """'X位于Y', '位于Y的X', meetings held 在Y, and the document's region as default."""
    text = doc.text
    for si, sent in enumerate(doc.sentences):
        ms = _in_sentence(doc, sent)
        for loc in _LOCATED.finditer(text, sent.start, sent.end):
            _, ce = _clause_bounds(doc, sent, loc.start())
            after = [m for m in ms if loc.end() <= m.start < ce]
            places = []
            for m in after:
                if _etype(doc, m) in ("Place", "Zone"):
                    places.append(m)
                else:
                    break
            # drop places nested in a zone already taken (上虞 in 上虞经开区: the zone carries them);
            # a zone nested in one keeps its own fact (a block lies in its park too)
            places = [p for p in places if _etype(doc, p) == "Zone" or not any(
                q is not p and q.start <= p.start and p.end <= q.end for q in places)]
            if not places:
                continue
            last = max(places, key=lambda p: p.end)
            if text[last.end:last.end + 1] == "的":
                subjects = [m for m in ms if m.start > last.end and m.start <= last.end + 2]
            else:
                subjects = [m for m in ms if sent.start <= m.start < loc.start() and not _nested(m, ms)]
                subjects = subjects[-1:]
            for s in subjects:
                if _etype(doc, s) in ("Company", "Project", "Zone", "Event", "Organization", "Fund"):
                    for p in places:
                        doc.add_fact(s.entity, "locatedIn", p.entity, si, "located")
        for m in ms:
            if _etype(doc, m) != "Event":
                continue
            held = re.match(r"^在(?P<p>[^,，。]{1,12}?)(?:隆重|顺利)?(?:召开|举行|举办)", text[m.end:sent.end])
            if held:
                for p in ms:
                    if m.end < p.start <= m.end + held.end() and _etype(doc, p) in ("Place", "Zone"):
                        doc.add_fact(m.entity, "locatedIn", p.entity, si, "held-in")
            elif doc.region is not None and re.match(r"^(全区|全市|全县|全省)", m.text):
                doc.add_fact(m.entity, "locatedIn", doc.region.key, si, "held-in-region")
    _region_defaults(doc)


def _region_defaults(doc: Doc) -> None:
    """In a local paper, projects are in its region and zones part of it unless stated otherwise."""
    if doc.region is None or lexicons().places.by_code.get(doc.region.code, None) is None:
        return
    if lexicons().places.by_code[doc.region.code].level < 2:
        return
    located = {(f.subject, f.predicate) for f in doc.facts}
    first: dict[str, int] = {}
    for m in doc.mentions:
        if m.entity and m.entity not in first:
            first[m.entity] = doc.sentence_of(m.start)
    region = doc.region.key
    for key, ent in doc.entities.items():
        if key not in first:
            continue
        if ent.type == "Project":
            doc.add_fact(key, "locatedIn", region, first[key], "region-default")
        elif ent.type == "Zone" and (key, "locatedIn") not in located and (key, "partOf") not in located:
            doc.add_fact(key, "partOf", region, first[key], "region-default")
        elif ent.type == "Fund" and re.match(r"^(区级|市级|县级|本区|全区)", ent.name):
            doc.add_fact(key, "locatedIn", region, first[key], "region-default")


# ---------------------------------------------------------------- hierarchy

@component("hierarchy_facts")
def hierarchy_facts(doc: Doc) -> None:
    """Places part of the nearest place above them that the document also names; nested zones."""
    gaz = lexicons().places
    by_code = {e.code: k for k, e in doc.entities.items() if e.type == "Place" and e.code}
    first: dict[str, int] = {}
    for m in doc.mentions:
        if m.entity and m.entity not in first:
            first[m.entity] = doc.sentence_of(m.start)
    for code, key in sorted(by_code.items()):
        place = gaz.by_code.get(code)
        if place is None or key not in first:
            continue
        for anc in gaz.ancestors(place):
            if anc.code in by_code:
                doc.add_fact(key, "partOf", by_code[anc.code], first[key], "gazetteer")
                break
    # a zone whose name starts with another zone's name lies in it (曹娥江经开区江东区块)
    for m in doc.mentions:
        if not m.entity or doc.entities[m.entity].type != "Zone":
            continue
        for inner in doc.mentions:
            if (inner is not m and inner.entity and inner.start == m.start and inner.end < m.end
                    and doc.entities[inner.entity].type in ("Zone", "Place")):
                pred = "locatedIn" if doc.entities[inner.entity].type == "Zone" else "partOf"
                doc.add_fact(m.entity, pred, inner.entity, doc.sentence_of(m.start), "nested-name")


# ---------------------------------------------------------------- industries

_TARGET_VERBS = re.compile(r"引导|支持|面向|聚焦|重点发展|培育|扶持|覆盖|服务|助力|推动|发展")


@component("industry_facts")
def industry_facts(doc: Doc) -> None:
    """inIndustry from names (盈峰新能源装备项目), partOf industry systems, programme targets."""
    text = doc.text
    for si, sent in enumerate(doc.sentences):
        ms = _in_sentence(doc, sent)
        for outer in ms:
            t = _etype(doc, outer)
            if t not in ("Project", "Zone", "Company", "Fund"):
                continue
            for inner in ms:
                if inner is not outer and outer.start <= inner.start and inner.end <= outer.end \
                        and _etype(doc, inner) == "Industry":
                    doc.add_fact(outer.entity, "inIndustry", inner.entity, si, "name")
            if t == "Company":
                tail = re.match(r"^[^。;；]{0,20}?(?:落子|进军|布局|深耕|专注于?|主营|从事)", text[outer.end:sent.end])
                if tail:
                    for ind in ms:
                        if outer.end + tail.end() <= ind.start < outer.end + tail.end() + 12 \
                                and _etype(doc, ind) == "Industry":
                            doc.add_fact(outer.entity, "inIndustry", ind.entity, si, "company-field")
        listed = [m for m in ms if _etype(doc, m) == "Industry" and m.source == "industry:list"]
        if not listed:
            continue
        progs = [m for m in ms if _etype(doc, m) == "Programme"]
        systems = [p for p in progs if re.search(r"体系|格局|布局", p.text)]
        others = [p for p in progs if p not in systems]
        if systems:
            for ind in listed:
                doc.add_fact(ind.entity, "partOf", systems[0].entity, si, "industry-system")
        elif others and _TARGET_VERBS.search(text, sent.start, sent.end):
            for p in others:
                for ind in listed:
                    doc.add_fact(p.entity, "targets", ind.entity, si, "programme-targets")


# ---------------------------------------------------------------- organisers and participants

_ISSUE_VERBS = re.compile(r"制定|印发|发布|出台|组织|主办|承办|举办|召开|启动|推出|实施|开展|设立|组建|创设|"
                          r"构建|打造|推进|推行|部署|建立|牵头")
_JOIN_VERBS = re.compile(r"参加|参与|入选|获得|依托|加入|申报|获评|荣获|分享|通过|取得|承担|采用|使用")
_ANNOUNCE = re.compile(r"发布|印发|公布|出台|推出|启动")
_ORGANISERS = ("GovernmentAgency", "Organization", "Place")
_SUBJECT_TYPES = (*_ORGANISERS, "Company")


@component("actor_facts")
def actor_facts(doc: Doc) -> None:
    """organizedBy, participatesIn, announcedAt, subOrganizationOf, and event dates."""
    text = doc.text
    region_subject_prev = False
    for si, sent in enumerate(doc.sentences):
        ms = _in_sentence(doc, sent)
        stext = text[sent.start:sent.end]
        # the subject: the first actor before the first verb of issuing or joining
        subject = None
        verb = _ISSUE_VERBS.search(stext) or _JOIN_VERBS.search(stext)
        if verb is not None:
            vpos = sent.start + verb.start()
            before = [m for m in ms if m.end <= vpos]
            top = [m for m in before if not any(o is not m and o.start <= m.start and m.end <= o.end
                                                 for o in before)]
            # prefer an actor in the verb's own clause: '我区是…,浙江土工积极依托X'
            clause_start = sent.start + max(stext.rfind(",", 0, verb.start()), stext.rfind("，", 0, verb.start())) + 1
            own = [m for m in top if m.start >= clause_start and _etype(doc, m) in _SUBJECT_TYPES]
            if own:
                subject = own[0]
            elif top:
                subject = top[0]
        region_subject = bool(doc.region is not None and (
            (subject is not None and subject.entity == doc.region.key)
            or re.match(r"^(?:[^,，]{0,8}[,，])?(我区|全区|我市|全市|我县|全县|我省|全省)", stext)))
        if subject is None and region_subject:
            subject_key = doc.region.key
        else:
            subject_key = subject.entity if subject is not None else None
        stype = doc.entities[subject_key].type if subject_key else ""
        after_verb = [m for m in ms if verb is not None and m.start >= sent.start + verb.start()]
        # organizedBy: the subject issues programmes, funds and events
        if stype in _ORGANISERS and _ISSUE_VERBS.search(stext):
            for m in after_verb:
                if _etype(doc, m) in ("Programme", "Fund") and not _nested(m, ms):
                    doc.add_fact(m.entity, "organizedBy", subject_key, si, "issued-by")
        elif region_subject_prev and subject is None and doc.region is not None \
                and _ISSUE_VERBS.search(stext) and not [m for m in ms if _etype(doc, m) in (
                    "Company", "GovernmentAgency", "Organization")]:
            for m in after_verb:
                if _etype(doc, m) in ("Programme", "Fund") and not _nested(m, ms):
                    doc.add_fact(m.entity, "organizedBy", doc.region.key, si, "issued-by-region")
        region_subject_prev = region_subject or (region_subject_prev and subject is None)
        # agencies that issue: 'A(B)发布X' -> both organise X
        agencies = [m for m in ms if _etype(doc, m) == "GovernmentAgency"]
        for a in agencies:
            paren = re.match(r"^[(（](?P<b>[^()（）]{2,20})[)）]", text[a.end:sent.end])
            if paren:
                for b in agencies:
                    if b.start == a.end + 1 and b.end == a.end + 1 + len(paren.group("b")):
                        doc.add_fact(b.entity, "subOrganizationOf", a.entity, si, "parenthesis")
        if subject is not None and _etype(doc, subject) == "GovernmentAgency":
            group = [subject] + [b for b in agencies if b.start == subject.end + 1]
            for m in after_verb:
                if _etype(doc, m) in ("Programme", "Event", "Fund") and not _nested(m, ms):
                    for a in group:
                        doc.add_fact(m.entity, "organizedBy", a.entity, si, "agency-issues")
        # participatesIn: a company or organisation joins programmes and events
        join = _JOIN_VERBS.search(stext)
        if join and subject is not None and _etype(doc, subject) in ("Company", "Organization"):
            for m in ms:
                if m.start >= sent.start + join.start() and _etype(doc, m) in ("Programme", "Event") \
                        and not _nested(m, ms):
                    doc.add_fact(subject.entity, "participatesIn", m.entity, si, "joins")
        # announcedAt: 'X大会召开,发布了《Y》'
        events = [m for m in ms if _etype(doc, m) == "Event"]
        ann = _ANNOUNCE.search(stext)
        if events and ann:
            apos = sent.start + ann.start()
            ev = [e for e in events if e.end <= apos]
            if ev:
                for m in ms:
                    if m.start > apos and _etype(doc, m) == "Programme" and not _nested(m, ms):
                        doc.add_fact(m.entity, "announcedAt", ev[-1].entity, si, "announced")
                        if doc.region is not None and re.match(r"^(全区|全市|全县|全省)", ev[-1].text):
                            doc.add_fact(m.entity, "organizedBy", doc.region.key, si, "regional-meeting")
        # event dates
        for e in events:
            if _nested(e, ms):
                continue
            named = re.match(r"^((?:19|20)\d{2})年", e.text)
            if named:
                doc.add_fact(e.entity, "date", (named.group(1), "gYear"), si, "named-year")
                continue
            d = find_date(text[sent.start:e.start], doc.published)
            if d is not None:
                doc.add_fact(e.entity, "date", d, si, "dated")


def _nested(m: Mention, ms: list[Mention]) -> bool:
    return any(o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
               for o in ms)
