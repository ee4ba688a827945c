"""The formatting filters write what Babel writes, faster: compared with Babel itself."""
import random
from decimal import Decimal

import pytest
from babel.numbers import format_currency

from fsi.formatting import money
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
