from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import Babel
from hypothesis import given, settings
from hypothesis import strategies as st

from fsi.amounts import AmountError, format_amount, parse_amount, quantize_amount

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"


@pytest.mark.parametrize("text, expected", [
    ("12500", "12500"),
    ("0", "0"),
    ("007", "7"),
    ("12500,5", "12500.5"),                   # the comma marks decimals, kept as typed
    ("12 500,50", "12500.50"),
    ("0,05", "0.05"),
    ("12 500", "12500"),
    (f"12{NBSP}500", "12500"),
    (f"12{NNBSP}500,50", "12500.50"),         # what format_amount writes
    (f"12{THIN}500", "12500"),
    ("1 234 567,89", "1234567.89"),
    ("12.500", "12500"),                      # French thousands dot
    ("25.000", "25000"),                      # ... never 25
    ("12.500,50", "12500.50"),
    ("1.234.567", "1234567"),
    ("12500.50", "12500.50"),                 # a dot before one or two digits is decimal
    ("12 500.5", "12500.5"),
    ("1.23", "1.23"),
    ("  12 500,50  ", "12500.50"),
    ("12 500,50 €", "12500.50"),
    ("12500€", "12500"),
    ("€ 12500", "12500"),
    ("12 500 EUR", "12500"),
    ("EUR 12500", "12500"),
    ("-12 500,50", "-12500.50"),              # the sign is kept for the caller to judge
    ("- 12 500 €", "-12500"),
    ("-€12", "-12"),
    ("\u221212,5", "-12.5"),                  # typographic minus
    ("+12,5", "12.5"),
])
def test_reads_french_and_plain_amounts(text, expected):
    result = parse_amount(text)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize("text, code", [
    ("1e5", "not_a_number"),
    ("1E+30", "not_a_number"),
    ("1e400", "not_a_number"),
    ("inf", "not_a_number"),
    ("Infinity", "not_a_number"),
    ("nan", "not_a_number"),
    ("1_000", "not_a_number"),
    ("١٢٣", "not_a_number"),                  # Arabic-Indic digits
    ("１２３", "not_a_number"),                # full-width digits
    ("²", "not_a_number"),
    ("douze", "not_a_number"),
    ("12 k€", "not_a_number"),
    ("0x10", "not_a_number"),
    ("-", "not_a_number"),
    ("€", "not_a_number"),
    ("--12", "not_a_number"),
    ("+-12", "not_a_number"),
    ("12-", "not_a_number"),
    ("€12€", "not_a_number"),
    ("12\n500", "not_a_number"),
    (".", "not_a_number"),
    ("12,5,5", "malformed"),
    ("12 50", "malformed"),
    ("1 2345", "malformed"),
    ("1234 567", "malformed"),                # first group longer than three digits
    ("12  500", "malformed"),
    ("12,", "malformed"),
    (",5", "malformed"),
    ("12 500,", "malformed"),
    ("1 234.567", "ambiguous"),               # mixed grouping
    ("12,500.50", "ambiguous"),               # English grouping
    ("1.2345", "ambiguous"),
    ("12500.500", "ambiguous"),
    ("1.234.56", "ambiguous"),
    ("1.234.567.8", "ambiguous"),
    ("12.5,5", "ambiguous"),
    ("12.", "ambiguous"),
    (".5", "ambiguous"),
    ("12,345", "too_many_decimals"),          # a comma is decimals, not thousands
    ("12,500", "too_many_decimals"),          # an English « 12,500 » is caught too
    ("0,001", "too_many_decimals"),
    ("1 234,567", "too_many_decimals"),
    ("1 000 000 000 000", "too_large"),       # 13 digits
    ("9999999999999,99", "too_large"),
    ("-1.000.000.000.000", "too_large"),
])
def test_refuses_what_could_be_misread(text, code):
    with pytest.raises(AmountError) as refused:
        parse_amount(text)
    assert refused.value.code == code


@pytest.mark.parametrize("blank", [None, "", "   ", f"{NBSP}\t\n"])
def test_blank_is_none(blank):
    assert parse_amount(blank) is None


def test_limits_are_parameters():
    assert parse_amount("12,345", places=3) == Decimal("12.345")
    assert parse_amount("12", places=0) == 12
    assert parse_amount("999 999 999 999") == Decimal(999999999999)   # 12 digits: the limit
    assert parse_amount("0,99", max_integer_digits=0) == Decimal("0.99")
    with pytest.raises(AmountError) as refused:
        parse_amount("12,5", places=0)
    assert refused.value.code == "too_many_decimals"
    with pytest.raises(AmountError) as refused:
        parse_amount("1 000", max_integer_digits=3)
    assert refused.value.code == "too_large"


@pytest.mark.parametrize("value, expected", [
    (12500, Decimal(12500)),
    (-3, Decimal(-3)),
    (Decimal("12500.5"), Decimal("12500.5")),
    (Decimal("1E+3"), Decimal(1000)),
])
def test_ints_and_decimals_are_taken_as_they_are(value, expected):
    result = parse_amount(value)
    assert isinstance(result, Decimal) and result == expected


@pytest.mark.parametrize("value, code", [
    (10**12, "too_large"),
    (Decimal("1E+12"), "too_large"),
    (Decimal("0.001"), "too_many_decimals"),
    (Decimal("12.500"), "too_many_decimals"),  # decimals count as written, as for text
    (Decimal("NaN"), "not_a_number"),
    (Decimal("-Infinity"), "not_a_number"),
])
def test_ints_and_decimals_are_still_checked(value, code):
    with pytest.raises(AmountError) as refused:
        parse_amount(value)
    assert refused.value.code == code


@pytest.mark.parametrize("value", [12.5, 0.0, float("nan"), True, b"12", [12]])
def test_floats_and_other_types_are_refused(value):
    with pytest.raises(TypeError):
        parse_amount(value)


def test_an_amount_error_is_a_value_error_whose_message_is_its_first_argument():
    with pytest.raises(ValueError) as refused:
        parse_amount("douze")
    assert refused.value.args == (refused.value.message,)


def test_messages_say_how_to_write_the_amount():
    """Rendered through flask_babel as in a request; a bare app is enough, the module needs no database."""
    app = Flask(__name__)
    Babel(app, locale_selector=lambda: "fr")
    expected = {
        "douze": "Saisissez un montant en chiffres, par exemple 12 500,50.",
        "12 50": "Montant illisible : écrivez par exemple 12 500,50.",
        "12,500.50": "Montant ambigu : utilisez la virgule pour les décimales, par exemple 12 500,50.",
        "12,345": "Au plus 2 décimales.",
        "9999999999999": "Le montant est trop grand.",
    }
    with app.test_request_context():
        for text, message in expected.items():
            with pytest.raises(AmountError) as refused:
                parse_amount(text)
            assert str(refused.value) == message
        with pytest.raises(AmountError) as refused:
            parse_amount("12,5", places=0)
        assert str(refused.value) == "Saisissez un nombre entier."


@pytest.mark.parametrize("value, expected", [
    ("0.005", "0.01"),
    ("-0.005", "-0.01"),
    ("12500.5", "12500.50"),
    ("2.675", "2.68"),
    (7, "7.00"),
])
def test_quantize_rounds_halves_away_from_zero(value, expected):
    assert str(quantize_amount(Decimal(value) if isinstance(value, str) else value)) == expected


def test_quantize_to_other_places():
    assert str(quantize_amount(Decimal("0.37245"), places=4)) == "0.3725"
    assert str(quantize_amount(Decimal("12.5"), places=0)) == "13"


@pytest.mark.parametrize("value, places, expected", [
    (Decimal("12500.5"), 2, f"12{NNBSP}500,50"),
    (Decimal("1234567.891"), 2, f"1{NNBSP}234{NNBSP}567,89"),
    (Decimal(-12500), 2, f"-12{NNBSP}500,00"),
    (Decimal(0), 2, "0,00"),
    (Decimal("-0.001"), 2, "0,00"),           # never « -0,00 »
    (Decimal("0.5"), 4, "0,5000"),
    (Decimal("12500.5"), 0, f"12{NNBSP}501"),
    (12500, 2, f"12{NNBSP}500,00"),
    (None, 2, ""),
])
def test_format_amount_writes_french(value, places, expected):
    assert format_amount(value, places) == expected


MONEY = st.decimals(
    min_value=Decimal("-9999999999.99"), max_value=Decimal("9999999999.99"),
    places=2, allow_nan=False, allow_infinity=False,
)


@settings(max_examples=200)
@given(MONEY)
def test_what_format_amount_writes_reads_back(amount):
    assert parse_amount(format_amount(amount)) == amount


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=6), st.data())
def test_format_amount_reads_back_at_any_precision(places, data):
    limit = Decimal(10**12 - 1)
    amount = data.draw(st.decimals(min_value=-limit, max_value=limit, places=places))
    assert parse_amount(format_amount(amount, places), places) == amount


@settings(max_examples=200)
@given(MONEY)
def test_plain_text_with_a_decimal_comma_reads_back(amount):
    assert parse_amount(format(amount, "f").replace(".", ",")) == amount


@settings(max_examples=200)
@given(MONEY)
def test_plain_text_with_a_decimal_dot_reads_back(amount):
    assert parse_amount(format(amount, "f")) == amount


@settings(max_examples=200)
@given(MONEY, st.sampled_from([" ", NBSP, NNBSP, THIN, "."]))
def test_grouped_thousands_read_back(amount, separator):
    grouped = format(amount, ",.2f").replace(".", ";").replace(",", separator).replace(";", ",")
    assert parse_amount(grouped) == amount


def _reads_or_refuses(text):
    try:
        result = parse_amount(text)
    except AmountError as refused:
        assert refused.code in {"not_a_number", "malformed", "ambiguous", "too_many_decimals", "too_large"}
    else:
        assert result is None or isinstance(result, Decimal)


@settings(max_examples=200)
@given(st.text())
def test_any_text_is_read_or_refused_never_crashes(text):
    _reads_or_refuses(text)


@settings(max_examples=200)
@given(st.text(alphabet=f"0123456789.,-+€E {NBSP}{NNBSP}", max_size=20))
def test_any_number_like_text_is_read_or_refused_never_crashes(text):
    _reads_or_refuses(text)


@pytest.mark.parametrize("text, expected", [
    ("12,500.50", "12500.50"), ("12.5", "12.5"), ("1,234,567", "1234567"), ("12 500.50", "12500.50"),
    ("€12,500", "12500"),
])
def test_english_readers_swap_the_comma_and_the_dot(text, expected):
    assert parse_amount(text, language="en") == Decimal(expected)


def test_english_ambiguities_are_refused_too():
    with pytest.raises(AmountError) as refused:
        parse_amount("12.500,50", language="en")
    assert refused.value.code == "ambiguous"


@given(st.decimals(min_value=Decimal("-9999999999.99"), max_value=Decimal("9999999999.99"), places=2,
                   allow_nan=False, allow_infinity=False))
def test_english_format_then_parse_round_trips(amount):
    assert parse_amount(format_amount(amount, language="en"), language="en") == amount
