"""The formatting filters write what Babel writes, faster: compared with Babel itself."""
import random
from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from flask_babel import force_locale

from fsi.formatting import figure, money, number
from fsi.limits import MONEY_MAX


def amounts():
    rng = random.Random(17)
    fixed = [Decimal("0"), Decimal("0.01"), Decimal("-0.01"), Decimal("999.99"), Decimal("1000"),
             Decimal("1234.5"), Decimal("-1234567.89"), Decimal("0.005"), Decimal("2.675"), MONEY_MAX, -MONEY_MAX]
    drawn = [Decimal(rng.randrange(-10**13, 10**13)) / 100 for _ in range(500)]
    return fixed + drawn


@pytest.mark.parametrize("language", ["fr", "en"])
def test_money_with_cents_is_written_as_babel_writes_it(language):
    for value in amounts():
        assert money(value, locale=language) == format_currency(value, "EUR", locale=language), value


def test_money_reads_strings_and_marks_the_missing():
    assert money("1234.5", locale="fr") == "1\u202f234,50\u00a0€"
    assert money("1234.5", locale="en") == "€1,234.50"
    assert money(None) == money("") == "—"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_figures_and_numbers_are_written_as_babel_writes_them(app, language):
    values = amounts() + [Decimal("1.50"), Decimal("2.00"), Decimal("-0.001"), Decimal("0.004"), Decimal("12.345")]
    with app.test_request_context(), force_locale(language):
        for value in values:
            assert figure(value) == format_decimal(value, format="#,##0.00", locale=language), value
            assert number(value) == format_decimal(value, format="#,##0.##", locale=language), value
