"""A newspaper page or bulletin cut into its articles.

A page is lines: headline blocks (short lines with no sentence end) and body
paragraphs. A headline block starts a new article when something says an
article starts there, not a section heading inside one:

- the body after it opens like a report (本报讯, 本报…电, 新华社…电, 【…】);
- it holds a byline (本报记者 …, 记者 … 通讯员 …);
- it is two or more lines (a headline with its sub-headline);
- the article before it ended with a jump line (下转第二版) or a photo credit (记者 … 摄);
- its article ends with a photo credit (a photo story: a title, a caption, a credit).

Jump lines and credits stay with the article they close.

>>> page = ("开发区签约三个项目\\n\\n本报讯 昨日,开发区签约三个项目。\\n\\n"
...         "全区召开工作例会\\n部署下半年工作\\n\\n会议指出,要抓好项目建设。\\n")
>>> [(a.headline, page[a.start:a.end].strip().splitlines()[-1]) for a in split_articles(page)]
[('开发区签约三个项目', '本报讯 昨日,开发区签约三个项目。'), ('全区召开工作例会 部署下半年工作', '会议指出,要抓好项目建设。')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEAD_MAX = 48  # characters: longer lines are body text
_SENTENCE_END = re.compile(r"[。！？!?；;：:…”\"]\s*$")
_REPORT_OPENING = re.compile(r"^\s*(?:本报讯|本报[^\s，,。]{0,12}电|(?:新华社|中新社|人民网)[^\s，,。]{0,16}电|【[^】]{1,20}】)")
_BYLINE = re.compile(r"^\s*[(（]?\s*(?:本报)?(?:记者|通讯员|实习生|特约记者)\s*\S")
_CREDIT = re.compile(r"^\s*[(（]?\s*(?:本报)?(?:记者|通讯员)?\s*\S{1,12}\s*(?:摄|摄影|供图|图)\s*[)）]?\s*$")
_COMMA = re.compile(r"[，,]")
_JUMP = re.compile(r"^\s*[(（]\s*(?:下转|上接|转)第?\S{1,4}版\s*[)）]\s*$")


@dataclass(frozen=True)
class Article:
    start: int
    end: int
    headline: str


@dataclass
class _Line:
    start: int
    end: int
    text: str

    @property
    def closing(self) -> bool:  # a jump line or a photo credit ends an article
        return bool(_JUMP.match(self.text) or _CREDIT.match(self.text))

    @property
    def head(self) -> bool:
        t = self.text.strip()
        # headlines part their phrases with spaces, not commas: a short line with a comma is
        # a paragraph the layout broke
        return (len(t) <= _HEAD_MAX and not _SENTENCE_END.search(t) and not _COMMA.search(t)
                and not self.closing and not _REPORT_OPENING.match(t))


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        if body.strip():
            out.append(_Line(pos, pos + len(body), body))
        pos += len(raw)
    return out


def split_articles(text: str) -> list[Article]:
    """The articles of ``text``, in order, covering it from its first line to its end."""
    lines = _lines(text)
    if not lines:
        return []
    # blocks: (first line index, last line index, is a headline block)
    blocks: list[tuple[int, int, bool]] = []
    for i, line in enumerate(lines):
        h = line.head
        if blocks and blocks[-1][2] == h:
            blocks[-1] = (blocks[-1][0], i, h)
        else:
            blocks.append((i, i, h))
    starts = [0]  # line indices where articles start
    for b, (first, last, is_head) in enumerate(blocks):
        if not is_head or first == 0 or b + 1 >= len(blocks):
            continue
        body_first = lines[blocks[b + 1][0]]
        head_lines = lines[first:last + 1]
        before = lines[first - 1]
        # the lines up to the next headline block: does this article end with a photo credit?
        nxt = blocks[b + 2][0] - 1 if b + 2 < len(blocks) else len(lines) - 1
        if (_REPORT_OPENING.match(body_first.text) or any(_BYLINE.match(h.text) for h in head_lines)
                or sum(not _BYLINE.match(h.text) for h in head_lines) >= 2 or before.closing
                or _CREDIT.match(lines[nxt].text)):
            starts.append(first)
    out = []
    for k, first in enumerate(starts):
        last = starts[k + 1] - 1 if k + 1 < len(starts) else len(lines) - 1
        start = 0 if k == 0 else lines[first].start
        end = lines[starts[k + 1]].start if k + 1 < len(starts) else len(text)
        head = []
        for line in lines[first:last + 1]:
            if not line.head or (_BYLINE.match(line.text) and head):
                break  # a byline ends the headline: what follows are the article's own headings
            if not _BYLINE.match(line.text):
                head.append(line.text.strip())
        out.append(Article(start, end, " ".join(head)))
    return out
