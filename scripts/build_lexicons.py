#!/usr/bin/env python3
"""Build the lexicons shipped in ``src/policygraph/data`` from the public data in ../shared/data.

Usage: python scripts/build_lexicons.py [--shared ../shared]

Outputs (UTF-8, sorted, so the build is reproducible):
- places.tsv      code, name, parent code, level (1 province .. 4 township), NBS 2023
- industries.tsv  term, source (gbt4754 / sei2018 / shenwan), from GB/T 4754-2017 and
                  the 战略性新兴产业 tags, and Shenwan industry names of listed companies
- industry_codes.tsv  term, scheme (gbt4754 / shenwan), code, exact: the public class a term names
- companies.tsv   short name, full registered name, stock code, of A-share listed companies
- name_boundaries.tsv  words seen right before a name in CLUENER train and never inside one
- places_en.tsv   english, chinese, level: provinces by their English names and prefecture-level
                  cities by their pinyin (pypinyin, MIT; the dev extra), for issuers named in English
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "policygraph" / "data"

# Pseudo-divisions in the NBS tables that are not places anyone names.
_PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def build_places(shared: Path) -> list[tuple[str, str, str, int]]:
    d = shared / "data" / "admin-divisions"
    rows: list[tuple[str, str, str, int]] = []
    with open(d / "provinces.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append((r["code"], r["name"], "", 1))
    cities: dict[str, str] = {}
    with open(d / "cities.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["name"] in _PSEUDO:
                cities[r["code"]] = r["provinceCode"]  # children attach to the province
                continue
            cities[r["code"]] = r["code"]
            rows.append((r["code"], r["name"], r["provinceCode"], 2))
    with open(d / "areas.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["name"] in _PSEUDO:
                continue
            rows.append((r["code"], r["name"], cities.get(r["cityCode"], r["provinceCode"]), 3))
    with open(d / "streets.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            name = r["name"]
            # Township-level rows that only name an office or a farm are not places of discourse.
            if not re.search(r"(街道|镇|乡)$", name) or len(name) < 3:
                continue
            rows.append((r["code"], name, r["areaCode"], 4))
    return sorted(set(rows))


_GBT_STRIP = re.compile(r"(及相关服务|相关服务|及其他|制造业|制造|加工业|加工|业)$")


def _industry_terms_from_name(name: str) -> set[str]:
    name = name.replace("\xa0", "").strip()
    out: set[str] = set()
    if "、" in name or "，" in name or "其他" in name:
        return out
    if name.endswith("产业") and len(name) > 3:
        out.add(name[:-2])
    core = _GBT_STRIP.sub("", name)
    if 2 <= len(core) <= 8:
        out.add(core)
    if name.endswith("业") and 2 <= len(name) <= 5 and not name.endswith(("制造业", "加工业")):
        out.add(name)  # 林业, 零售业, 金融业: the class's own name is the word texts use
    return out


def build_industries(shared: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
    """The recognisers' industry terms (term, source), and the links to public classes (term,
    scheme, code, exact): each GB/T 4754 class's own name (exact) and the terms cut from it (not
    exact) to the class's code (section letter and digits, C3811), the first class that gives
    them; Shenwan industry names to their codes. The SEI-2018 paths have no codes here."""
    terms: dict[str, str] = {}
    links: dict[str, tuple[str, str, str]] = {}
    tree = json.loads((shared / "data" / "gbt4754-2017" / "industry_tree_advanced.json").read_text("utf-8"))

    def walk(node: dict, section: str) -> None:
        if node.get("level", 0) == 1:
            section = node["code"]
        if node.get("level", 0) >= 2:
            code = section + node["code"]
            name = node["name"].replace("\xa0", "").strip()
            if "、" not in name and "，" not in name and "其他" not in name:
                links.setdefault(name, ("gbt4754", code, "1"))
            for t in _industry_terms_from_name(node["name"]):
                terms.setdefault(t, "gbt4754")
                links.setdefault(t, ("gbt4754", code, "0"))
        detail = node.get("tagDetail") or {}
        strategic = detail.get("strategic")
        items = strategic if isinstance(strategic, list) else [strategic] if strategic else []
        for item in items:
            for part in (item.get("category") or "").split(" > "):
                for t in _industry_terms_from_name(part):
                    terms.setdefault(t, "sei2018")
        for child in node.get("children", []):
            walk(child, section)

    walk(tree, "")
    with open(shared / "data" / "a-share-companies" / "industry.json", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                name = row["name"]
                if 2 <= len(name) <= 6 and "其他" not in name and "Ⅱ" not in name:
                    terms.setdefault(name, "shenwan")
                    links.setdefault(name, ("shenwan", row["code"], "1"))
    return sorted(terms.items()), sorted((t, *v) for t, v in links.items())


def build_companies(shared: Path) -> list[tuple[str, str, str]]:
    """short name, full registered name, stock code."""
    rows = set()
    with open(shared / "data" / "a-share-companies" / "company.json", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            short = re.sub(r"^[*]?ST|[A-Z]$", "", r.get("name", "").replace(" ", "")).strip()
            full = (r.get("fullname") or "").strip()
            if len(short) >= 2 and full:
                rows.add((short, full, _stock_code(str(r.get("code") or ""), r.get("location") or "")))
    return sorted(rows)


def _stock_code(code: str, exchange: str) -> str:
    """One form for every row: six digits and the exchange (600000.SH; the listings give some
    bare, with the exchange's name beside them)."""
    code = code.strip().upper()
    if not code or "." in code:
        return code
    if "深圳" in exchange:
        return f"{code}.SZ"
    if "上海" in exchange:
        return f"{code}.SH"
    return f"{code}.{'SH' if code.startswith('6') else 'BJ' if code[:1] in '48' else 'SZ'}"


#: The provinces' English names (NBS code → name), as their governments write them.
_PROVINCES_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia", "21": "Liaoning",
    "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu", "33": "Zhejiang", "34": "Anhui",
    "35": "Fujian", "36": "Jiangxi", "37": "Shandong", "41": "Henan", "42": "Hubei", "43": "Hunan",
    "44": "Guangdong", "45": "Guangxi", "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou",
    "53": "Yunnan", "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang",
}


def build_places_en(shared: Path) -> list[tuple[str, str, int]]:
    """English name, Chinese name, level: the provinces, and the prefecture-level cities by the
    pinyin of their names (市 dropped: 青岛市 is Qingdao); a pinyin two cities share is left out."""
    from pypinyin import lazy_pinyin

    d = shared / "data" / "admin-divisions"
    rows = []
    with open(d / "provinces.csv", encoding="utf-8") as fh:
        provinces = {r["code"]: r["name"] for r in csv.DictReader(fh)}
    for code, english in _PROVINCES_EN.items():
        rows.append((english, provinces[code], 1))
    rows.append(("Xizang", provinces["54"], 1))
    cities: dict[str, set[str]] = {}
    with open(d / "cities.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["name"].endswith("市") and len(r["name"]) >= 3:
                cities.setdefault("".join(lazy_pinyin(r["name"][:-1])).title(), set()).add(r["name"])
    taken = {e for e, _, _ in rows}
    rows += [(e, next(iter(names)), 2) for e, names in cities.items() if len(names) == 1 and e not in taken]
    return sorted(rows)


def _write(path: Path, header: tuple[str, ...], rows: list[tuple]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"{path.name}: {len(rows)} rows")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    a = ap.parse_args()
    shared = Path(a.shared)
    OUT.mkdir(parents=True, exist_ok=True)
    _write(OUT / "places.tsv", ("code", "name", "parent", "level"), build_places(shared))
    industries, links = build_industries(shared)
    _write(OUT / "industries.tsv", ("term", "source"), industries)
    _write(OUT / "industry_codes.tsv", ("term", "scheme", "code", "exact"), links)
    _write(OUT / "companies.tsv", ("short", "full", "code"), build_companies(shared))
    _write(OUT / "name_boundaries.tsv", ("word", "before_name", "inside_name"), build_name_boundaries(shared))
    _write(OUT / "places_en.tsv", ("english", "chinese", "level"), build_places_en(shared))




def build_name_boundaries(shared: Path) -> list[tuple[str, int, int]]:
    """Words that stand right before a name in CLUENER train but never inside one.

    Counted over jieba tokens of train.json only; such words (verbs that govern a
    name, adverbs, discourse words) end a name on its left.
    """
    import jieba

    inside: dict[str, int] = {}
    before: dict[str, int] = {}
    with open(shared / "data" / "cluener2020" / "train.json", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            text = r["text"]
            spans = [(s, e + 1) for surf in (r.get("label") or {}).values()
                     for ss in surf.values() for s, e in ss]
            starts = {s for s, _ in spans}
            pos = 0
            for tok in jieba.lcut(text):
                end = pos + len(tok)
                if any(s <= pos and end <= e for s, e in spans):
                    inside[tok] = inside.get(tok, 0) + 1
                elif end in starts:
                    before[tok] = before.get(tok, 0) + 1
                pos = end
    rows = [(t, n, inside.get(t, 0)) for t, n in before.items()
            if n >= 3 and inside.get(t, 0) == 0 and len(t) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", t)]
    return sorted(rows)


if __name__ == "__main__":
    main()
