"""French formatting of money, dates and times, as Jinja filters.

Money is Decimal in euros; times are stored in UTC and shown in Europe/Paris.
"""
from decimal import Decimal

from babel.numbers import format_currency
from flask_babel import format_date, format_datetime, format_decimal, get_locale


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


def init_app(app):
    app.jinja_env.filters.update(money=money, percent=percent, number=number, day=day, moment=moment)


__all__ = ["money", "percent", "number", "day", "french_day", "moment"]
