"""Headers that legal databases put on their plain-text exports, read as metadata.

A 北大法宝 (pkulaw) export begins with lines such as ``【法宝引证码】 CLI.12.5115678``,
``原文链接：https://…``, ``【发布部门】…``, ``【发文字号】…``, ``【发布日期】…`` before the
document's own title. Those lines are not the document's text: an agency named in
``【发布部门】`` is the issuer, not a mention, and a citation code is no name. They
become metadata and the text starts after them (``base`` keeps evidence offsets
pointing into the file).

>>> h = export_header("    【法宝引证码】 CLI.12.5679380\\n原文链接：https://www.pkulaw.com/lar/a2.html\\n"
...                   "北京市经济和信息化局印发《指导意见》的通知\\n正文。\\n")
>>> h.end, h.fields
(67, {'url': 'https://www.pkulaw.com/lar/a2.html', 'title': '北京市经济和信息化局印发《指导意见》的通知'})
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FIELD = re.compile(r"^[ \t\u3000]*(?:【(?P<key>[^】]{2,8})】|(?P<key2>原文链接|发布部门|发文字号|发布日期|实施日期)[:：])"
                    r"[ \t\u3000]*(?P<value>.*?)[ \t\u3000]*$")
#: header keys and the document field each fills (None: a header line with no field of ours)
_KEYS = {"原文链接": "url", "发布部门": "source", "发布日期": "published", "法宝引证码": None,
         "发文字号": None, "实施日期": None, "时效性": None, "效力级别": None, "法规类别": None,
         "制定机关": "source", "公布日期": "published", "施行日期": None, "标题": "title"}


@dataclass
class ExportHeader:
    end: int = 0  # where the document's own text starts
    fields: dict[str, str] = field(default_factory=dict)


def export_header(text: str) -> ExportHeader:
    """The export header at the start of ``text`` (empty when there is none). It must open
    with a known header line; the first line after it is the title when no field gave one."""
    header = ExportHeader()
    pos = 0
    seen = 0
    for line in text.splitlines(keepends=True):
        m = _FIELD.match(line.rstrip("\r\n"))
        key = (m.group("key") or m.group("key2")) if m else None
        if key not in _KEYS:
            if not line.strip() and seen:
                pos += len(line)
                continue
            break
        seen += 1
        target = _KEYS[key]
        if target and m.group("value") and target not in header.fields:
            header.fields[target] = m.group("value")
        pos += len(line)
    if not seen:
        return header
    header.end = pos
    if "title" not in header.fields:
        first = text[pos:].split("\n", 1)[0].strip()
        if 0 < len(first) <= 100:
            header.fields["title"] = first
    return header
