"""The one object every extraction component reads and writes.

A :class:`Doc` holds the normalised text of a document with a map back to the
original characters, its sentences and tokens, the mentions the recognisers
found, the entities they resolve to and the facts between those entities.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from ..ingest import Document

#: A literal fact object: an amount in yuan, or a date with its precision.
LiteralValue = Decimal | tuple[str, str]  # ("2024-07-31", "date") / ("2024-03", "gYearMonth")


@dataclass
class Sentence:
    start: int  # offsets into Doc.text (normalised)
    end: int
    tokens: list[tuple[str, int]] = field(default_factory=list)  # (token, start in Doc.text)

    @cached_property
    def token_starts(self) -> frozenset[int]:
        return frozenset(p for _, p in self.tokens)

    @cached_property
    def token_ends(self) -> frozenset[int]:
        return frozenset(p + len(t) for t, p in self.tokens)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    type: str
    source: str  # the component that found it
    priority: int = 0  # overlap resolution: higher wins, then longer
    entity: str | None = None  # entity key after resolution
    confidence: float = 1.0  # the model's probability that the span and type are right


@dataclass
class Entity:
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    code: str = ""  # NBS division code for places

    @property
    def key(self) -> str:
        return entity_key(self.type, self.name)


def entity_key(type_: str, name: str) -> str:
    return f"{type_}\t{name}"


@dataclass
class Fact:
    subject: str  # entity key
    predicate: str
    object: str | LiteralValue  # entity key or literal
    sentence: int  # index into Doc.sentences
    rule: str = ""
    confidence: float = 1.0  # the fact model's probability that the fact is stated here


@dataclass
class Doc:
    document: Document
    text: str  # normalised text
    offsets: list[int]  # offsets[i] = index in document.text of text[i]; len(text)+1 entries
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    region: Entity | None = None  # the place 我区/全市 refer to
    issuer: Entity | None = None  # the agency 我部/本局 refer to (the document's issuer)
    issuers: list[Entity] = field(default_factory=list)  # every agency the metadata names as issuer
    published: date | None = None
    # Mentions whose short form stands for a longer name (以下简称), short -> full.
    abbreviations: dict[str, str] = field(default_factory=dict)
    # Mentions and facts the models are less sure of than this are left out.
    min_confidence: float = 0.5
    # Facts of these predicates are kept from these probabilities instead (the thresholds
    # cross-validation chose per predicate; empty when the user sets one threshold for all).
    fact_thresholds: dict[str, float] = field(default_factory=dict)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the decoded original text of the normalised span [start, end)."""
        end_orig = self.offsets[end - 1] + 1 if end > start else self.offsets[start]
        return self.offsets[start], end_orig

    def gaps(self, start: int, end: int) -> list[int]:
        """Positions in (start, end) where the original text had a space that normalisation
        dropped: a lost quotation mark, or a separator (张天培 省发展改革委)."""
        every = self._gaps
        return every[bisect.bisect_right(every, start):bisect.bisect_left(every, end)]

    @cached_property
    def _gaps(self) -> list[int]:
        # spaces within a line only: a line the layout broke inside a word (国家能\n源局) is no gap
        original, offsets = self.document.text, self.offsets
        return [i for i in range(1, len(self.text))
                if offsets[i] - offsets[i - 1] > 1 and original[offsets[i] - 1] in " \t\u00a0\u3000"
                and not any(c in "\r\n\f\v\u2028\u2029" for c in original[offsets[i - 1] + 1:offsets[i]])]

    def last_gap(self, start: int, end: int) -> int | None:
        """The last of :meth:`gaps`, or None."""
        found = self.gaps(start, end)
        return found[-1] if found else None

    def sentence_of(self, pos: int) -> int:
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def add_entity(self, type_: str, name: str, aliases: set[str] | None = None, code: str = "") -> str:
        key = entity_key(type_, name)
        ent = self.entities.get(key)
        if ent is None:
            ent = self.entities[key] = Entity(type_, name, set(), code)
        if aliases:
            ent.aliases |= {a for a in aliases if a and a != name}
        return key

    def add_fact(self, subject: str, predicate: str, obj: str | LiteralValue, sentence: int,
                 rule: str = "") -> None:
        if subject == obj:
            return
        self.facts.append(Fact(subject, predicate, obj, sentence, rule))
