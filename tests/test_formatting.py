from decimal import Decimal

import pytest

from fsi.formatting import parse_decimal


@pytest.mark.parametrize("text, expected", [
    ("12 500,50", "12500.50"),          # French, with a space between thousands
    ("12\u202f500,50 €", "12500.50"),   # as formatted by the app itself (narrow no-break space)
    ("12500.50", "12500.50"),
    ("12.500,50", "12500.50"),          # dots group thousands, the comma marks decimals
    ("12,500.50", "12500.50"),          # commas group thousands, the dot marks decimals
    ("1.234.567,89", "1234567.89"),
    ("1,5", "1.5"),
    ("3000", "3000"),
])
def test_parse_decimal_reads_french_and_plain_input(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["douze", "1,2,3,4.5.6", "NaN", "Infinity"])
def test_parse_decimal_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_parse_decimal_blank_is_none():
    assert parse_decimal("  ") is None and parse_decimal(None) is None
