"""French formatting of money, dates and times, as Jinja filters.

Money is Decimal in euros; times are stored in UTC and shown in Europe/Paris.
"""
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import format_date, format_datetime, format_decimal, get_locale
from babel.numbers import format_currency


def money(value, locale=None):
    """``Decimal("1234.5")`` -> ``1 234,50 €`` (fr) / ``€1,234.50`` (en); ``locale`` fixes the
    language (frozen French records), else the reader's."""
    if value is None or value == "":
        return "—"
    return format_currency(Decimal(value), "EUR", locale=locale or str(get_locale() or "fr"))


def percent(value):
    if value is None:
        return "—"
    return format_decimal(Decimal(value) * 100, format="#,##0.##") + " %"


def number(value):
    """A plain decimal the reader's way, without useless zeros: 2.00 -> 2, 1.50 -> 1,5 (fr)."""
    if value is None or value == "":
        return "—"
    return format_decimal(Decimal(value), format="#,##0.##")


def day(value):
    """A calendar date: 25/11/2026."""
    if value is None:
        return "—"
    return format_date(value, format="dd/MM/yyyy")


def french_day(value):
    """A calendar date the French way whatever the reader's language: 25/11/2026."""
    return value.strftime("%d/%m/%Y") if value else ""


def moment(value):
    """An instant, converted to Europe/Paris: 25/11/2026 14:05."""
    if value is None:
        return "—"
    return format_datetime(value, format="dd/MM/yyyy HH:mm")


def parse_decimal(text):
    """French or plain number input to Decimal: "12 500,50", "12500.50", "12 500 €".

    Returns None for blank input; raises ValueError for anything that is not a number.
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    cleaned = str(text).strip().replace("€", "").replace("\u202f", "").replace("\xa0", "")
    cleaned = cleaned.replace(" ", "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        # both: the last one marks the decimals ("12.500,50", "12,500.50"), the other groups
        grouping = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(grouping, "")
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def init_app(app):
    app.jinja_env.filters.update(money=money, percent=percent, number=number, day=day, moment=moment)


__all__ = ["money", "percent", "number", "day", "french_day", "moment", "parse_decimal", "date", "datetime"]
