"""Amounts of money and dates, normalised.

Amounts become a :class:`~decimal.Decimal` number of yuan; dates become an ISO
string with its XSD type, as precise as the text is, completed from the
publication date where the text leaves out the year.

>>> parse_amount("106亿元")
Decimal('10600000000')
>>> parse_amount("五十亿元")
Decimal('5000000000')
>>> from datetime import date
>>> find_date("7月31日,大会召开", date(2024, 8, 3))
('2024-07-31', 'date')
>>> find_date("今年一季度,项目签约", date(2024, 8, 3))
('2024', 'gYear')
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MULT = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7,
         "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4, "千": Decimal(1000), "": Decimal(1)}

NUMBER = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)"
AMOUNT = rf"{NUMBER}(?:多|余)?(?:万亿|亿|千万|百万|万|千)?(?:人民币)?元"
AMOUNT_RE = re.compile(rf"(?P<num>{NUMBER})(?:多|余)?(?P<mult>万亿|亿|千万|百万|万|千)?(?:人民币)?元")


def cn_number(text: str) -> Decimal | None:
    """Chinese or Arabic numeral to Decimal: '五十' -> 50, '1,200.5' -> 1200.5."""
    text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    if "点" in text:
        whole, frac = text.split("点", 1)
        w = cn_number(whole) if whole else Decimal(0)
        digits = "".join(str(_CN_DIGITS.get(c, "")) for c in frac)
        return None if w is None or not digits else w + Decimal("0." + digits)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = current * 10 + _CN_DIGITS[ch] if current and ch in "零〇" else _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return Decimal(total + current)


#: 1,000 万亿元: far above any project or fund (China's GDP is about 130 万亿元).
MAX_AMOUNT = Decimal(10) ** 15


def parse_amount(text: str) -> Decimal | None:
    """The first amount of yuan in ``text``, in yuan; None when there is none."""
    m = AMOUNT_RE.search(text)
    if not m:
        return None
    num = cn_number(m.group("num"))
    if num is None:
        return None
    value = num * _MULT[m.group("mult") or ""]
    if value > MAX_AMOUNT:  # no investment is this large: a misread number, not an amount
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


_DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})年(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>3[01]|[12]\d|0?[1-9])[日号])?)?"
    r"|(?P<rel>今年|去年|明年|本年度?)(?:(?P<rm>1[0-2]|0?[1-9])月(?:(?P<rd>3[01]|[12]\d|0?[1-9])[日号])?)?"
    r"(?P<part>[一二三四]季度|上半年|下半年|年初|年底|年末)?"
    r"|(?<![\d.年-])(?P<m2>1[0-2]|0?[1-9])月(?P<d2>3[01]|[12]\d|0?[1-9])[日号]"
)
DATE_RE = _DATE_RE  # for components that look for every date of a sentence
_REL_YEAR = {"今年": 0, "本年": 0, "本年度": 0, "去年": -1, "明年": 1}


def find_date(text: str, published: date | None) -> tuple[str, str] | None:
    """The first date in ``text`` as (ISO value, XSD type), or None."""
    for m in _DATE_RE.finditer(text):
        if m.group("y"):
            y = int(m.group("y"))
            return _fmt(y, m.group("m"), m.group("d"))
        if m.group("rel"):
            if published is None:
                continue
            y = published.year + _REL_YEAR[m.group("rel")]
            return _fmt(y, m.group("rm"), m.group("rd"))
        if m.group("m2"):
            if published is None:
                continue
            return _fmt(published.year, m.group("m2"), m.group("d2"))
    return None


def _fmt(year: int, month: str | None, day: str | None) -> tuple[str, str]:
    if month and day:
        try:
            return date(year, int(month), int(day)).isoformat(), "date"
        except ValueError:
            pass
    if month:
        return f"{year:04d}-{int(month):02d}", "gYearMonth"
    return f"{year:04d}", "gYear"


def parse_published(text: str) -> date | None:
    """A manifest's publication date: '2024-08-03', '2024-08' or '2024'."""
    m = re.match(r"\s*(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?)?", text or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
