"""Amounts of money as people read them: 亿元 and 万元.

The graph, CSV and JSON keep exact yuan (``pg:investmentCNY 10200000000``); the
surfaces people read (terminal tables, views, profiles, notebooks) show the
unit a Chinese report would use.

>>> yuan_text(10200000000), yuan_text(16250000000), yuan_text(60000000), yuan_text(5000)
('102 亿元', '162.5 亿元', '6,000 万元', '5,000 元')
>>> yuan_text("n/a")
'n/a (not a number of yuan)'
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

YI = Decimal(100_000_000)
WAN = Decimal(10_000)
#: the variable names of query answers that hold yuan (queries/*.rq)
YUAN_COLUMNS = frozenset({"yuan", "largest", "amount"})


def _number(value: Decimal, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def yuan_text(value: object) -> str:
    """``value`` (yuan: a number, or its text) in 亿元 from 1 亿, in 万元 from 1 万, else in 元;
    anything that is not a number comes back as it is, marked (an ill-typed graph stays visible)."""
    try:
        yuan = Decimal(str(value))
    except (InvalidOperation, ValueError):
        yuan = None
    if yuan is None or not yuan.is_finite():
        return f"{value} (not a number of yuan)"
    if abs(yuan) >= YI:
        return f"{_number(yuan / YI, 2)} 亿元"
    if abs(yuan) >= WAN:
        return f"{_number(yuan / WAN, 2)} 万元"
    return f"{_number(yuan, 2)} 元"
