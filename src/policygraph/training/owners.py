"""Training data and training for the project-owner CRF (:mod:`policygraph.extract.owners`).

Examples are the names of annotated projects (their gold name and aliases), each labelled
with the company it holds: the subject of an ``investsIn`` fact whose name stands inside the
project's. A project that holds no company is an example too: all its characters are O.

The annotated projects hold about a hundred companies, too few to learn the shapes such names
take from. Synthetic names add them: listed companies' short names (the A-share list), places
of the gazetteer, industry terms and project heads, put together the ways reports write them
(比亚迪西安新能源汽车基地, 西安比亚迪基地, 年产10万吨锂电池项目), seeded, so training stays
deterministic. In half of them the company's listed-name feature is hidden, so that the
model learns the shape and not the list (most investors are not listed).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from ..extract.lexicon import lexicons, tokenizer
from ..extract.owners import owner_features
from .entities import train_entity_model
from .gold import GoldDocument

Example = tuple[list[list[str]], list[str]]


def owner_examples(docs: Iterable[GoldDocument]) -> Iterator[Example]:
    """Every annotated project's name (and alias) with BIO labels of the company inside it."""
    seen = set()
    for g in docs:
        investors: dict[str, list[str]] = {}
        for subject, predicate, obj in g.record.get("facts", []):
            if predicate == "investsIn":
                investors.setdefault(obj, []).append(subject)
        companies = {e["name"]: [e["name"], *e.get("aliases", [])] for e in g.record["entities"]
                     if e["type"] == "Company"}
        for e in g.record["entities"]:
            if e["type"] != "Project":
                continue
            names = [str(n) for n in companies_of(investors.get(e["name"], []), companies)]
            for project in sorted({e["name"], *e.get("aliases", [])}):
                if len(project) < 3 or project in seen:
                    continue
                seen.add(project)
                labels = ["O"] * len(project)
                # the company's own name where the project holds it (盈峰 in 盈峰新能源装备项目,
                # though 盈峰新能源 is an alias too), else its longest alias there
                for company in names[:1] + sorted(names[1:], key=len, reverse=True):
                    at = project.find(company)
                    if at >= 0 and len(company) < len(project) and labels[at] == "O":
                        labels[at] = "B-Company"
                        for k in range(at + 1, at + len(company)):
                            labels[k] = "I-Company"
                        break
                yield owner_features(project), labels


def companies_of(subjects: list[str], companies: dict[str, list[str]]) -> list[str]:
    """The names a project's investors go by: each one's own name first, then its aliases."""
    return [name for s in subjects for name in companies.get(s, [s])]


_HEADS = ("项目", "基地", "产业园", "生产线", "工程", "产业基地", "扩建项目", "二期", "智能工厂", "研发中心",
          "生产基地", "一期工程", "技改项目", "智造园")
_SHAPES = ("CPIH", "CIH", "PCIH", "CPH", "CP", "PCH", "CH")  # C company, P place, I industry, H head
_NEGATIVE = ("PIH", "NIH", "IH", "PH")  # N: 年产10万吨 and the like


def synthetic_examples(n: int = 300, seed: int = 0) -> Iterator[Example]:
    """``n`` made-up project names in the shapes reports use, with their companies labelled."""
    lex = lexicons()
    freq = tokenizer().FREQ
    rng = random.Random(seed)
    companies = sorted(c for c in lex.companies if 2 <= len(c) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", c)
                       and freq.get(c, 0) < 100 and c not in lex.industries and c not in lex.places.by_short)
    places = sorted(name for table in (lex.places.by_short, lex.places.by_name) for name, ps in table.items()
                    if 2 <= len(name) <= 4 and any(p.level in (2, 3) for p in ps))  # cities and counties
    industries = sorted(t for t, source in lex.industries.items() if 2 <= len(t) <= 6
                        and source in ("curated", "sei2018") and re.fullmatch(r"[\u4e00-\u9fff]+", t))
    for k in range(n):
        shape = rng.choice(_SHAPES) if k % 5 < 3 else rng.choice(_NEGATIVE)
        parts, labels = [], []
        for part in shape:
            if part == "C":
                word = rng.choice(companies)
                tags = ["B-Company"] + ["I-Company"] * (len(word) - 1)
            else:
                word = {"P": lambda: rng.choice(places), "I": lambda: rng.choice(industries),
                        "H": lambda: rng.choice(_HEADS),
                        "N": lambda: f"年产{rng.randint(1, 99)}万{rng.choice('吨台套件')}"}[part]()
                tags = ["O"] * len(word)
            parts.append(word)
            labels += tags
        name = "".join(parts)
        feats = owner_features(name)
        if k % 2:  # the company is not a listed one: hide the list
            feats = [[f for f in row if not f.startswith("co=")] + ["co=0"] for row in feats]
        yield feats, labels


def train_owner_model(docs: Iterable[GoldDocument], out: str | Path, iterations: int = 100,
                      c1: float = 0.1, c2: float = 0.01, synthetic: int = 300) -> Path:
    """Train the owner CRF on the annotated projects of ``docs`` and ``synthetic`` made-up
    names; write it to ``out``."""
    return train_entity_model(chain(owner_examples(docs), synthetic_examples(synthetic)), out, iterations, c1, c2)
