"""Lexicons shipped in ``policygraph/data``, loaded once per process.

They are built from public data by ``scripts/build_lexicons.py`` (places,
industries, listed companies) or written by hand as general domain vocabulary
(``industry_terms.txt``, ``agency_abbreviations.tsv``).

>>> lex = lexicons()
>>> lex.places.by_name["上虞区"][0].level
3
>>> lex.places.parent_of(lex.places.by_name["上虞区"][0]).name
'绍兴市'
"""

from __future__ import annotations

import csv
import functools
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..namespaces import package_file

_PLACE_SUFFIX = re.compile(
    r"(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|自治州|地区|盟|自治县|自治旗|县|区|旗)$"
)


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    parent: str
    level: int  # 1 province, 2 prefecture city, 3 county/district, 4 township/street

    def short(self) -> str:
        """The name without its administrative suffix (浙江省 -> 浙江), or the name itself."""
        if self.level >= 4:
            return self.name
        core = _PLACE_SUFFIX.sub("", self.name)
        return core if len(core) >= 2 else self.name


@dataclass
class Gazetteer:
    by_code: dict[str, Place] = field(default_factory=dict)
    by_name: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    by_short: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))

    def parent_of(self, place: Place) -> Place | None:
        return self.by_code.get(place.parent) if place.parent else None

    def ancestors(self, place: Place) -> list[Place]:
        out = []
        cur = self.parent_of(place)
        while cur is not None:
            out.append(cur)
            cur = self.parent_of(cur)
        return out

    def lookup(self, name: str) -> list[Place]:
        """Places named ``name``: in full, by short name, or as a path of names (绍兴市上虞区,
        浙江省绍兴市上虞区: the last name, where the ones before it are its ancestors')."""
        found = self.by_name.get(name) or self.by_short.get(name)
        if found:
            return found
        for k in range(2, len(name) - 1):
            tail = self.by_name.get(name[k:])
            if tail:
                prefix = name[:k]
                within = [p for p in tail if any(
                    a.name in prefix or prefix.startswith(a.short())
                    for a in self.ancestors(p))]
                if within:
                    return within
        return []


@dataclass
class Lexicons:
    places: Gazetteer
    industries: dict[str, str]  # term -> source ("curated", "gbt4754", "sei2018", "shenwan")
    companies: dict[str, str]  # short name -> full name, and full name -> full name
    agency_abbreviations: dict[str, str]  # 经信局 -> 经济和信息化局
    #: term -> (scheme, code, exact): the GB/T 4754 class (gbt4754, C3811) or Shenwan industry
    #: (shenwan, 280401) a term names; exact when the term is the class's own name
    industry_codes: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    #: a listed company's short or full name -> its stock code (300076.SZ)
    stock_codes: dict[str, str] = field(default_factory=dict)


def _rows(name: str) -> list[dict[str, str]]:
    with open(package_file("data", name), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@functools.cache
def lexicons() -> Lexicons:
    gaz = Gazetteer()
    for r in _rows("places.tsv"):
        p = Place(r["code"], r["name"], r["parent"], int(r["level"]))
        gaz.by_code[p.code] = p
        gaz.by_name[p.name].append(p)
        if p.short() != p.name:
            gaz.by_short[p.short()].append(p)
    industries = {r["term"]: r["source"] for r in _rows("industries.tsv")}
    codes = {r["term"]: (r["scheme"], r["code"], r["exact"] == "1") for r in _rows("industry_codes.tsv")}
    for line in package_file("data", "industry_terms.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            industries[line] = "curated"
    companies: dict[str, str] = {}
    stock: dict[str, str] = {}
    for r in _rows("companies.tsv"):
        companies.setdefault(r["short"], r["full"])
        companies.setdefault(r["full"], r["full"])
        if r.get("code"):
            stock.setdefault(r["full"], r["code"])
            stock.setdefault(r["short"], r["code"])
    abbrev = {r["short"]: r["full"] for r in _rows("agency_abbreviations.tsv")}
    return Lexicons(gaz, industries, companies, abbrev, codes, stock)


# Words that name the head of an entity; jieba must keep them whole so that
# names end on a token boundary.
HEAD_WORDS = (
    "经开区 高新区 开发区 经济开发区 经济技术开发区 高新技术产业开发区 自贸区 保税区 综保区 "
    "产业园 工业园 科技园 生态园 产业园区 工业园区 区块 产业社区 集聚区 示范区 "
    "管委会 人民政府 委员会 总局 "
    "有限公司 股份有限公司 有限责任公司 集团 "
    "联盟 协会 商会 学会 联合会 研究院 研究所 "
    "现场会 推进会 例会 全会 峰会 论坛 博览会 推介会 洽谈会 发布会 座谈会 "
    "产业集群 产业体系 发展体系 工作机制 协同机制 行动方案 实施方案 服务品牌 "
    "总投资 计划投资 以下简称"
).split()


@functools.cache
def tokenizer():
    """A jieba tokenizer of our own (the global one is left alone) that knows our lexicons."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    lex = lexicons()
    words: set[str] = set(HEAD_WORDS)
    words.update(p.name for p in lex.places.by_code.values() if p.level <= 3)
    words.update(s for s in lex.places.by_short if len(s) >= 2)
    words.update(t for t, src in lex.industries.items() if src in ("curated", "sei2018"))
    words.update(lex.agency_abbreviations)
    for w in sorted(words):
        if tok.FREQ.get(w, 0) == 0:
            tok.add_word(w, 3000)
    return tok


@functools.cache
def word_tags() -> dict[str, str]:
    """Part-of-speech tag of each word in jieba's dictionary (no HMM tagging at run time)."""
    import jieba.posseg

    return dict(jieba.posseg.dt.word_tag_tab)
