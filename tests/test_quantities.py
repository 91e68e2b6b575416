from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policygraph.extract.quantities import cn_number, find_date, parse_amount, parse_published

PUB = date(2024, 8, 3)


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("总投资106亿元", Decimal("10600000000")),
        ("计划投资56.8亿元的", Decimal("5680000000")),
        ("10.82亿元", Decimal("1082000000")),
        ("3000万元", Decimal("30000000")),
        ("1.2万亿元", Decimal("1200000000000")),
        ("五十亿元", Decimal("5000000000")),
        ("两千万元", Decimal("20000000")),
        ("1,500万元", Decimal("15000000")),
        ("800元", Decimal("800")),
    ],
)
def test_amounts_in_yuan(text: str, yuan: Decimal) -> None:
    assert parse_amount(text) == yuan


def test_no_amount() -> None:
    assert parse_amount("增长37.3%") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7月31日,大会召开", ("2024-07-31", "date")),
        ("今年3月,项目落地", ("2024-03", "gYearMonth")),
        ("今年一季度签约", ("2024", "gYear")),
        ("去年上半年", ("2023", "gYear")),
        ("2023年入选", ("2023", "gYear")),
        ("2022年4月14日", ("2022-04-14", "date")),
        ("2月30日", ("2024-02", "gYearMonth")),
    ],
)
def test_dates(text: str, expected: tuple[str, str]) -> None:
    assert find_date(text, PUB) == expected


def test_relative_dates_need_a_publication_date() -> None:
    assert find_date("今年3月", None) is None
    assert find_date("2021年", None) == ("2021", "gYear")


def test_numbers_and_published() -> None:
    assert cn_number("一百零五") == 105
    assert cn_number("三点五") == Decimal("3.5")
    assert parse_published("2024-08-03") == PUB
    assert parse_published("1954") == date(1954, 1, 1)
    assert parse_published("") is None


def test_absurd_amounts_are_no_amounts() -> None:
    from policygraph.extract.quantities import parse_amount

    assert parse_amount("12345678901234567890123456789012亿元") is None
    assert parse_amount("5000亿元") == 500000000000


def test_bad_iri_parameters_are_user_errors(capsys) -> None:
    from pathlib import Path

    from policygraph.cli import main

    sample = Path(__file__).resolve().parent.parent / "graphs" / "sample.trig"
    for value in ("<http://a b>", "<http://a>b>", '<http://a"b>', "<nota-scheme>"):
        assert main(["query", "evidence", "--param", f"name={value}", "--graph", str(sample)]) == 2
        assert "not an IRI" in capsys.readouterr().err
