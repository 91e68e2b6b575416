"""Issuers named in English (a manifest's ``issuer_en``) as the Chinese names of the agencies.

The policies' manifests give issuers as the English names the agencies use for
themselves. A central body's name is looked up (``data/agency_names_en.tsv``); a local
one is read as place, level and function: "Shandong Provincial Department of Industry
and Information Technology" is 山东省工业和信息化厅, "Qingdao Department of …" is the
city's 局, "General Office of X" is X's 办公厅. Place names come from the gazetteer's
pinyin (``data/places_en.tsv``, written by ``scripts/build_lexicons.py``). A name read
no way gives nothing, never a guess.

>>> chinese_names("Ministry of Industry and Information Technology of the People's Republic of China")
['工业和信息化部']
>>> chinese_names("General Office of Jinan Municipal People's Government")
['济南市人民政府办公厅']
>>> chinese_names("Shandong Provincial Department of Industry and Information Technology")
['山东省工业和信息化厅']
>>> chinese_names("Ministry of Science and Technology, Ministry of Finance")
['科学技术部', '财政部']
>>> chinese_names("Ministry of Magic")
[]
"""

from __future__ import annotations

import csv
import functools
import re

from ..namespaces import package_file

_STATE = re.compile(r"\s+of the People's Republic of China$|^The\s+|\s*\([^)]*\)")
_LEVELS = {"Provincial": 1, "Autonomous Region": 1, "Municipal": 2, "City": 2}
_LOCAL = re.compile(
    r"(?P<place>Inner Mongolia|[A-Z][a-z]+)(?: (?P<level>Provincial|Autonomous Region|Municipal|City))? "
    r"(?P<rest>.+)")


@functools.cache
def _table(name: str) -> dict[str, str]:
    with open(package_file("data", name), encoding="utf-8", newline="") as fh:
        return {r["english"]: r["chinese"] for r in csv.DictReader(fh, delimiter="\t")}


@functools.cache
def _places() -> dict[str, tuple[str, int]]:
    """English place name → (Chinese name, level 1 province or 2 city)."""
    with open(package_file("data", "places_en.tsv"), encoding="utf-8", newline="") as fh:
        return {r["english"]: (r["chinese"], int(r["level"])) for r in csv.DictReader(fh, delimiter="\t")}


def chinese_names(english: str) -> list[str]:
    """The Chinese names of the agencies an English issuer line names (several are separated
    by commas or semicolons); [] when any of them cannot be read."""
    names = []
    for part in re.split(r"\s*[,;]\s*", english.strip()):
        if not part:
            continue
        name = chinese_name(part)
        if name is None:
            return []
        names.append(name)
    return names


def chinese_name(english: str) -> str | None:
    """One agency's Chinese name, or None."""
    text = _STATE.sub("", re.sub(r"\s+", " ", english.strip())).strip()
    bodies = _table("agency_names_en.tsv")
    if text in bodies:
        return bodies[text]
    office = re.fullmatch(r"General Office of (?:the )?(.+)", text)
    if office:
        inner = chinese_name(office.group(1))
        return inner + "办公厅" if inner else None
    m = _LOCAL.fullmatch(text)
    if not m or m.group("place") not in _places():
        return None
    place, level = _places()[m.group("place")]
    if m.group("level") and _LEVELS[m.group("level")] != level and level != 1:
        return None
    body = _local_body(m.group("rest"), level)
    return place + body if body else None


def _local_body(rest: str, level: int) -> str | None:
    """人民政府, or a function's 厅 (a province's), 局 (a city's), 委员会 or 局 by its head."""
    if rest == "People's Government":
        return "人民政府"
    functions = _table("agency_functions_en.tsv")
    for pattern, head in ((r"Department of (.+)|(.+) Department", "厅" if level == 1 else "局"),
                          (r"Bureau of (.+)|(.+) Bureau", "局"),
                          (r"Commission of (.+)|(.+) Commission", "委员会")):
        m = re.fullmatch(pattern, rest)
        if m:
            function = functions.get(m.group(1) or m.group(2))
            return function + head if function else None
    return None
