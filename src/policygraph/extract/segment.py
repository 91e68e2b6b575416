"""Sentence splitting for Chinese and tokenisation with our jieba tokenizer.

>>> from policygraph.extract.segment import split_sentences
>>> [s for s, e in split_sentences("会议召开。发布了方案!\\n标题")]
[0, 5, 12]
"""

from __future__ import annotations

import re

from .doc import Doc, Sentence
from .lexicon import tokenizer

_END = re.compile(r"[。！？!?；;]+[”’\"」』)）]?|\n")
MAX_SENTENCE = 400  # very long "sentences" (tables, lists) are cut at clause marks


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end() if m.group() != "\n" else m.start()
        _add(text, start, end, spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = max(text.rfind(c, start, start + MAX_SENTENCE) for c in ",，、 ")
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        spans.append((start, cut))
        start = cut
    if end > start:
        spans.append((start, end))


def segment(doc: Doc) -> Doc:
    """Fill ``doc.sentences`` with sentence spans and their jieba tokens."""
    tok = tokenizer()
    doc.sentences = []
    for start, end in split_sentences(doc.text):
        tokens = []
        pos = start
        for t in tok.lcut(doc.text[start:end]):
            tokens.append((t, pos))
            pos += len(t)
        doc.sentences.append(Sentence(start, end, tokens))
    return doc
