"""Normalisation that keeps offsets into the original text.

Newspaper layout breaks words across paragraphs ("智能装备\\n\\n生态园") and
leaves spaces where quotation marks were lost ("品字标 浙江制造"). We apply
NFKC character by character, drop spaces between Chinese characters, and join
a paragraph to the next when it stops mid-sentence. ``offsets[i]`` is the
position in the original text of normalised character ``i``.

>>> text, offsets = normalize("品字标 浙江制造")
>>> text
'品字标浙江制造'
>>> offsets[3]
4
"""

from __future__ import annotations

import re
import unicodedata

_TERMINAL = set("。！？!?；;：:」』”\"）)】》…")
_WS = re.compile(r"[ \t\u00a0\u3000\r\n\f\v\u2028\u2029]+")
# A paragraph opening like a news report's first line follows a headline, never a broken line.
_DATELINE = re.compile(r"本报讯|本报记者|本报通讯员|新华社|中新社|人民网|新华网|央视网|【")
_LINEBREAK = set("\r\n\f\v\u2028\u2029")
# A paragraph shorter than this that ends without punctuation is a headline, not a broken line.
MIN_BROKEN_PARAGRAPH = 24


def _is_wordchar(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or "\u3400" <= ch <= "\u9fff")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or ch in "《》“”"


def normalize(original: str) -> tuple[str, list[int]]:
    """Return the normalised text and the offset map (one entry more than the text)."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(original):
        if 0xD800 <= ord(ch) <= 0xDFFF:  # lone surrogate: not text
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc" and ch not in "\t\n\r\f\v":
            continue
        if cat == "Cf":  # zero-width and BOM characters
            continue
        out = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
        for c in out:
            chars.append(c)
            offsets.append(i)
    text = "".join(chars)
    # Collapse whitespace runs, deciding for each whether it is a real break.
    res: list[str] = []
    res_off: list[int] = []
    pos = 0
    para_start = 0  # index in res of the current paragraph start
    for m in _WS.finditer(text):
        s, e = m.span()
        res.extend(text[pos:s])
        res_off.extend(offsets[pos:s])
        pos = e
        prev = res[-1] if res else ""
        nxt = text[e] if e < len(text) else ""
        run = m.group()
        if any(c in _LINEBREAK for c in run):
            para_len = len(res) - para_start
            if (para_len >= MIN_BROKEN_PARAGRAPH and _is_wordchar(prev) and _is_wordchar(nxt)
                    and prev not in _TERMINAL and not (prev.isascii() and prev.isalpha() and _is_cjk(nxt))
                    and not _DATELINE.match(text, e)):
                # (a line ending in a Latin letter before one in Chinese is a URL or a code line)
                continue  # a paragraph broken mid-sentence by layout: join
            if res and res[-1] != "\n":
                res.append("\n")
                res_off.append(offsets[s])
            para_start = len(res)
        elif _is_cjk(prev) or _is_cjk(nxt) or not prev or not nxt or prev == "\n":
            continue  # a lost quotation mark or indentation
        else:
            res.append(" ")
            res_off.append(offsets[s])
    res.extend(text[pos:])
    res_off.extend(offsets[pos:])
    res_off.append(len(original))
    return "".join(res), res_off
