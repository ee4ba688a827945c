"""Amounts typed the French way: one reading of « 12 500,50 » for the whole application.

The rules, after surrounding spaces, an optional leading sign (``-``, ``+`` or ``−``) and an
optional ``€`` / ``EUR`` before or after the number are set aside:

- the comma is the decimal separator: ``12500,5``, ``12 500,50``;
- thousands may be grouped by spaces (ordinary, no-break U+00A0, narrow no-break U+202F, thin
  U+2009) or, as in French, by dots: ``1 234 567``, ``12.500`` (twelve thousand five hundred,
  never 12.5). The first group has one to three digits, every other group exactly three;
- a dot is a decimal separator only where it cannot be thousands: one dot followed by one or
  two digits, after ungrouped or space-grouped digits (``12500.50``, ``12 500.5``);
- only ASCII digits: no exponent, ``inf``/``nan``, underscore, other scripts' digits or letters.

Anything else is refused with an :class:`AmountError` saying how to write the amount, rather
than guessed: ``12,500.50`` or ``1 234.567`` could mean two different numbers. Decimals are
counted as written (``12,500`` has three), so an English « 12,500 » is caught as too precise.
Money is never a float.
"""
import re
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from fsi.i18n import lazy_gettext as _l

SPACE = "[ \u00a0\u202f\u2009]"
DIGITS_GROUPED_BY_SPACES = rf"[0-9]{{1,3}}(?:{SPACE}[0-9]{{3}})+"
CURRENCY = r"(?:€|(?i:EUR))"

# The sign and the currency around the number; the number itself is read by NUMBER_FORMS.
FRAMED = re.compile(
    rf"(?P<sign>[-+\u2212]?)\s*"
    rf"(?:{CURRENCY}\s*(?P<after_currency>.*?)|(?P<before_currency>.*?)\s*{CURRENCY}?)",
    re.DOTALL,
)
NUMBER_FORMS = (
    # 12500 · 12 500 · 12500,5 · 12 500,50
    re.compile(rf"(?P<integer>{DIGITS_GROUPED_BY_SPACES}|[0-9]+)(?:,(?P<fraction>[0-9]+))?"),
    # 12.500 · 1.234.567 · 12.500,50 (French thousands dots)
    re.compile(r"(?P<integer>[0-9]{1,3}(?:\.[0-9]{3})+)(?:,(?P<fraction>[0-9]+))?"),
    # 12500.50 · 12 500.5 (a dot before one or two digits cannot be thousands)
    re.compile(rf"(?P<integer>{DIGITS_GROUPED_BY_SPACES}|[0-9]+)\.(?P<fraction>[0-9]{{1,2}})"),
)
DIGITS_AND_SEPARATORS = re.compile(rf"(?:[0-9.,]|{SPACE})+")
NOT_A_NUMBER = _l("Saisissez un montant en chiffres, par exemple 12 500,50.")


class AmountError(ValueError):
    """An amount that cannot be read; ``code`` says why, ``message`` (lazy, French) says how to fix it.

    Codes: ``not_a_number``, ``malformed``, ``ambiguous``, ``too_many_decimals``, ``too_large``.
    The message is also ``args[0]``, so WTForms shows it as the field error.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


#: an English reader swaps the roles of the comma and the dot: « 12,500.50 »
ENGLISH_SEPARATORS = str.maketrans({",": ".", ".": ","})


def parse_amount(text, places=2, max_integer_digits=12, language="fr"):
    """The Decimal typed in ``text``, exactly as typed (not quantized), or None when blank.
    ``language`` "en" reads the comma as the thousands separator and the dot as the decimal one
    (the same rules, the two signs swapped)."""
    if text is None:
        return None
    if isinstance(text, float | bool):
        raise TypeError(f"an amount is never a {type(text).__name__}: pass a str, an int or a Decimal")
    if isinstance(text, int | Decimal):
        return _checked(Decimal(text), places, max_integer_digits)
    if not isinstance(text, str):
        raise TypeError(f"cannot read an amount from {type(text).__name__}")
    if not text.strip():
        return None
    if language == "en":
        text = text.translate(ENGLISH_SEPARATORS)
    framed = FRAMED.fullmatch(text.strip())
    number = framed["after_currency"] if framed["after_currency"] is not None else framed["before_currency"]
    sign = "-" if framed["sign"] in ("-", "\u2212") else ""
    return _checked(Decimal(sign + _plain_digits(number)), places, max_integer_digits)


def _plain_digits(number):
    """``number`` rewritten as "12500.50" for Decimal(), or AmountError for a form not listed above."""
    for form in NUMBER_FORMS:
        if match := form.fullmatch(number):
            integer = re.sub(rf"[.]|{SPACE}", "", match["integer"])
            return integer + ("." + match["fraction"] if match["fraction"] else "")
    if not DIGITS_AND_SEPARATORS.fullmatch(number) or not re.search("[0-9]", number):
        raise AmountError("not_a_number", NOT_A_NUMBER)
    if "." in number:
        raise AmountError(
            "ambiguous", _l("Montant ambigu : utilisez la virgule pour les décimales, par exemple 12 500,50.")
        )
    raise AmountError("malformed", _l("Montant illisible : écrivez par exemple 12 500,50."))


def _checked(number, places, max_integer_digits):
    """``number`` itself once its decimals (as written) and its integer digits are within limits."""
    if not number.is_finite():
        raise AmountError("not_a_number", NOT_A_NUMBER)
    if -number.as_tuple().exponent > places:
        message = _l("Au plus %(n)d décimales.", n=places) if places else _l("Saisissez un nombre entier.")
        raise AmountError("too_many_decimals", message)
    if number.adjusted() + 1 > max_integer_digits:
        raise AmountError("too_large", _l("Le montant est trop grand."))
    return number


def quantize_amount(value, places=2):
    """``value`` rounded to ``places`` decimals, halves away from zero (0,005 → 0,01)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_amount(value, places=2, language="fr"):
    """``value`` for a form field, as the language writes it: « 12 500,50 » (fr: U+202F groups),
    « 12,500.50 » (en); no currency."""
    if value is None:
        return ""
    rounded = quantize_amount(value, places)
    if rounded.is_zero():
        rounded = rounded.copy_abs()  # never « -0,00 »
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(rounded, format=pattern, locale="en_GB" if language == "en" else "fr_FR")
