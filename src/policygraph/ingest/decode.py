"""Bytes to text: encodings detected from the bytes, never guessed from the name.

UTF-8 (with or without BOM), UTF-16 with a BOM, then GB18030 (a superset of GBK
and GB2312), then whatever charset-normalizer finds convincing.

>>> decode_bytes("上虞区".encode("gbk"))
('上虞区', 'gb18030')
"""

from __future__ import annotations

import re

# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    pass


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to text and name the encoding; raise DecodeError if it is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError("starts with a UTF-16 byte-order mark but is not UTF-16") from exc
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return _checked(text, "gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _looks_like_text(str(best)):
        return _checked(str(best), str(best.encoding))
    raise DecodeError("cannot decode as UTF-8, GB18030/GBK or any known text encoding")


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    controls = len(_CONTROL.findall(text))
    return controls / len(text) < 0.01


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not _looks_like_text(text):
        raise DecodeError("binary file (too many control characters), not text")
    return text, encoding
