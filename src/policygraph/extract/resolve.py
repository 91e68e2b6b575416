"""Resolution: mentions to entities with one canonical name and their aliases.

- 我区/全市 resolve to the document's region (from its manifest);
- short place names resolve through the gazetteer (上虞 -> 上虞区), preferring the
  document's own region;
- agencies with a region prefix or an abbreviation expand (区经信局 in a 上虞区
  paper -> 上虞区经济和信息化局), the surface form kept as an alias;
- short and full company names merge (以下简称, 永农 / 浙江永农生物科学有限公司);
- industries drop 产业/行业/产业集群 (先进材料产业集群 -> 先进材料).

>>> from policygraph.extract.resolve import expand_agency
>>> expand_agency("国家认监委", None)
('国家认证认可监督管理委员会', {'国家认监委'})
"""

from __future__ import annotations

import functools
import re

from .doc import Doc, Entity
from .issuers import chinese_names
from .lexicon import Place, lexicons
from .recognize import component
from .tokens import DIVISION_CHARS

_REGION_LEVEL = {"省": 1, "市": 2, "区": 3, "县": 3}
#: the state's name before a central body's: dropped from the canonical name, kept as an alias
_STATE = "中华人民共和国"
# Words that begin with 市/区/县/省 without naming the region (市场监管局 is no 市 + 场监管局).
_NOT_PREFIX = frozenset("市场 区域 县域 省级 市级 区级 县级 市民 市政 区块 省份 市区 县城".split())
_INDUSTRY_SUFFIX = re.compile(r"(产业集群|产业链|产业|行业|赛道|领域|板块)$")
_COMPANY_LEGAL = re.compile(
    r"(集团股份有限公司|股份有限公司|集团有限公司|有限责任公司|有限公司|控股集团|集团公司|集团|股份|公司)$"
)


def region_entity(doc: Doc) -> Entity | None:
    """The place a document speaks for, from its manifest's region."""
    name = (doc.document.region or "").strip()
    if not name or name in ("全国", "中国", "中央"):
        return None
    cands = lexicons().places.lookup(name)
    if cands:
        p = sorted(cands, key=lambda c: (c.level, c.code))[0]
        return Entity("Place", p.name, {name} - {p.name}, p.code)
    return Entity("Place", name, set(), "")


_ONE_AGENCY = re.compile(r"[\u4e00-\u9fff]{2,30}(部|局|委|委员会|厅|办|办公室|办公厅|署|政府|管委会)")


def issuer_entities(doc: Doc) -> list[Entity]:
    """The agencies a document speaks for, when its metadata names them (a 北大法宝 export's
    发布部门, a manifest's ``source`` or ``issuer_en``): in Chinese, or in English as the
    agencies name themselves (:mod:`.issuers`; the English name becomes an alias). A name
    that is no agency (a newspaper's) gives none.

    >>> from policygraph.extract import Pipeline
    >>> from policygraph.ingest import Document
    >>> doc = Pipeline().make_doc(Document("a.txt", "", source="Ministry of Finance, Ministry of Commerce"))
    >>> [e.name for e in doc.issuers], doc.issuer  # several issuers: 我部 stands for none of them
    (['财政部', '商务部'], None)
    >>> Pipeline().make_doc(Document("a.txt", "", source="中华人民共和国工业和信息化部")).issuer.name
    '工业和信息化部'
    """
    source = re.sub(r"\s+", " ", doc.document.source or "").strip()
    if not source:
        return []
    chinese = bool(re.search(r"[\u4e00-\u9fff]", source))
    names = re.split(r"[ 、，,；;]+", source) if chinese else chinese_names(source)
    out = []
    for name in names:
        if not _ONE_AGENCY.fullmatch(name):
            return []
        canonical, aliases = expand_agency(name, doc)
        if not chinese and len(names) == 1:
            aliases.add(source)
        out.append(Entity("GovernmentAgency", canonical, aliases, jurisdiction(canonical, doc)))
    return out


def _region_at_level(doc: Doc, level: int) -> Place | None:
    if doc.region is None or not doc.region.code:
        return None
    gaz = lexicons().places
    place = gaz.by_code.get(doc.region.code)
    chain = [place, *gaz.ancestors(place)] if place else []
    for p in chain:
        if p.level == level or (level == 3 and p.level == 3):
            return p
    return None


def expand_agency(text: str, doc: Doc | None) -> tuple[str, set[str]]:
    """Canonical name of an agency and the surface forms it was seen as."""
    lex = lexicons()
    aliases = {text}
    name = text
    if name.startswith(_STATE) and len(name) > len(_STATE) + 1:
        name = name[len(_STATE):]  # 中华人民共和国工业和信息化部 is 工业和信息化部
    # region prefix: 区经信局 -> 上虞区经信局; 上虞政府 -> 上虞区政府
    if doc is not None and len(name) >= 3 and name[0] in _REGION_LEVEL and (
            name[:2] not in _NOT_PREFIX or name[1:3] == "政府"):  # 市政府 is the city's government
        region = _region_at_level(doc, _REGION_LEVEL[name[0]])
        if region is not None and region.name.endswith(name[0]):
            name = region.name + name[1:]
    else:
        for k in range(min(len(name) - 1, 6), 1, -1):
            prefix = name[:k]
            places = lex.places.by_short.get(prefix)
            if places and not lex.places.by_name.get(prefix):
                level = name[k] if name[k] in DIVISION_CHARS else ""
                if level:
                    # 阿坝州…: the text names the level itself; only a place of that level will do
                    places = [pl for pl in places if pl.name.endswith(level)]
                    k += 1
                elif len(name) - k < 2:
                    # 公安部, 公安厅: a ministry or department, not the body of a place named 公安
                    break
                if places:
                    best = _prefer_region(doc, places)
                    if not name.startswith(best.name):
                        name = best.name + name[k:]
                break
    aliases.add(name)
    # abbreviation of the agency itself: 经信局 -> 经济和信息化局
    for short, full in _abbreviations_longest_first():
        if name.endswith(short):
            name = name[: -len(short)] + full
            break
    if re.search(r"(省|市|区|县|州|盟|旗)政府$", name):
        name = name[:-2] + "人民政府"
    aliases.add(name)
    aliases.discard(name)
    return name, aliases


def jurisdiction(agency: str, doc: Doc | None) -> str:
    """The division code of the area an agency's name opens with (上虞区经济和信息化局: 上虞区,
    330604), the document's region deciding between places of one name; "" for a body of no
    named area (工业和信息化部).

    >>> jurisdiction("上虞区经济和信息化局", None), jurisdiction("工业和信息化部", None)
    ('330604', '')
    """
    by_name = lexicons().places.by_name
    for k in range(min(len(agency) - 1, 12), 1, -1):
        places = by_name.get(agency[:k])
        if places:
            return _prefer_region(doc, places).code
    return ""


@functools.cache
def _abbreviations_longest_first() -> tuple[tuple[str, str], ...]:
    abbrev = lexicons().agency_abbreviations
    return tuple((s, f) for s, f in sorted(abbrev.items(), key=lambda x: -len(x[0])) if s != f)


def _prefer_region(doc: Doc | None, places: list[Place]) -> Place:
    if doc is not None and doc.region is not None and doc.region.code:
        code = doc.region.code
        for p in places:
            if p.code.startswith(code) or code.startswith(p.code):
                return p
        for p in places:
            if p.code[:4] == code[:4]:
                return p
        for p in places:
            if p.code[:2] == code[:2]:
                return p
    return sorted(places, key=lambda p: (p.level, p.code))[0]


def _place(doc: Doc, text: str) -> tuple[str, str, set[str]]:
    cands = lexicons().places.lookup(text)
    if not cands:
        return text, "", set()
    p = _prefer_region(doc, cands)
    return p.name, p.code, {text}


def _company_core(name: str) -> str:
    core = _COMPANY_LEGAL.sub("", name)
    gaz = lexicons().places
    for k in range(min(len(core) - 2, 6), 1, -1):
        if core[:k] in gaz.by_name or core[:k] in gaz.by_short:
            core = core[k:]
            break
    return core


@component("resolve")
def resolve(doc: Doc) -> None:
    """Give every mention an entity; merge aliases into one entity per (type, name)."""
    lex = lexicons()
    if doc.region is not None:
        doc.entities.setdefault(doc.region.key, doc.region)
    companies = [m for m in doc.mentions if m.type == "Company"]
    full_of: dict[str, str] = dict(doc.abbreviations)
    # short company names that begin a longer company name's core are the same company
    names = sorted({m.text for m in companies}, key=len)
    for short in names:
        for full in names:
            if full != short and len(full) > len(short) and (
                    _company_core(full).startswith(short) or full.startswith(short)):
                full_of.setdefault(short, full)
                break
    for short, full in list(full_of.items()):
        while full in full_of and full_of[full] != full and full != short:
            full = full_of[full]
        full_of[short] = full
    for m in doc.mentions:
        text = m.text
        if m.entity == "region" and doc.region is not None:
            m.entity = doc.region.key
            continue
        if m.entity == "issuer" and doc.issuer is not None:
            m.entity = doc.add_entity("GovernmentAgency", doc.issuer.name, doc.issuer.aliases, doc.issuer.code)
            continue
        if m.type == "Place":
            name, code, aliases = _place(doc, text)
            m.entity = doc.add_entity("Place", name, aliases, code)
        elif m.type == "GovernmentAgency":
            name, aliases = expand_agency(text, doc)
            m.entity = doc.add_entity("GovernmentAgency", name, aliases, jurisdiction(name, doc))
        elif m.type == "Industry":
            name = _INDUSTRY_SUFFIX.sub("", text) or text
            if len(name) < 2:
                name = text
            if name.startswith("先进") and lex.industries.get(name[2:]) == "curated":
                name = name[2:]  # 先进制造业 is 制造业 qualified
            m.entity = doc.add_entity("Industry", name, {text})
        elif m.type == "Company":
            canonical = full_of.get(text, text)
            listed = lex.companies.get(canonical)
            aliases = {text, canonical}
            if listed and listed != canonical:
                aliases.add(canonical)
                canonical = listed
            m.entity = doc.add_entity("Company", canonical, aliases)
        else:
            full = doc.abbreviations.get(text, text)  # 品字标 for 品字标浙江制造
            m.entity = doc.add_entity(m.type, full, {text})
    # an abbreviation's full form is an alias of the same entity whatever type it was found as
    for short, full in doc.abbreviations.items():
        for m in doc.mentions:
            if m.text == short and m.entity:
                doc.entities[m.entity].aliases.add(full)

