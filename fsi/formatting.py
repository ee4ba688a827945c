"""Money, numbers, dates and times the reader's way (French or English), as Jinja filters: the
one place pages format them.

Money is Decimal in euros; times are stored in UTC and shown in Europe/Paris.
"""
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date as format_date_in
from babel.numbers import parse_pattern
from flask_babel import format_date, format_datetime, get_locale

#: a calendar date and an instant, per language: 25/11/2026 14:05, 25 Nov 2026, 14:05
DAY = {"fr": "dd/MM/yyyy", "en": "d MMM yyyy"}
MOMENT = {"fr": "dd/MM/yyyy HH:mm", "en": "d MMM yyyy, HH:mm"}
#: a date written out, as letters say it: 30 novembre 2026, 30 November 2026
LONG_DAY = {"fr": "d MMMM yyyy", "en": "d MMMM yyyy"}
#: a share: 37,5 % (a no-break space before the sign, the French way), 37.5%
PERCENT = {"fr": "#,##0.##\u00a0%", "en": "#,##0.##%"}


def _language():
    locale = get_locale()
    return locale.language if locale is not None and locale.language in DAY else "fr"


#: whole euros, for amounts written in words (a rule's label): 500 000 €, €500,000
WHOLE_EUROS = {"fr": "#,##0\u00a0¤", "en": "¤#,##0"}


# Babel's format_* functions parse the locale and the pattern on every call: a dashboard of a few
# thousand amounts spent most of its time there. Both are parsed once here, then applied; the
# commonest shapes (euros with cents, two places) are written directly (FSI speaks fr and en).
@cache
def _locale(language):
    return Locale.parse(language)


@cache
def _pattern(pattern):
    return parse_pattern(pattern)


def _french(text):
    """Python's 1,234.50 the French way: a narrow no-break space between thousands, a decimal comma."""
    return text.replace(",", "\u202f").replace(".", ",")


def money(value, locale=None, cents=True):
    """``Decimal("1234.5")`` -> ``1 234,50 €`` (fr) / ``€1,234.50`` (en); ``locale`` fixes the
    language (frozen French records), else the reader's; ``cents=False``: ``1 235 €``."""
    if value is None or value == "":
        return "—"
    language = locale or _language()
    if not cents:
        return _pattern(WHOLE_EUROS[language]).apply(Decimal(value), _locale(language), currency="EUR",
                                                     currency_digits=False)
    return _euros_and_cents(Decimal(value), language)


def _euros_and_cents(value, language):
    """What Babel writes for euros with cents in French or English (tests/test_formatting.py
    compares both), without its pattern machinery: a page of figures writes thousands of amounts."""
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.2f}"
    return f"{sign}€{text}" if language == "en" else sign + _french(text) + "\u00a0€"


def _decimal(value, pattern):
    return _pattern(pattern).apply(Decimal(value), _locale(_language()))


def percent(value):
    """A share as a percentage: 0.5 -> 50 % (fr) / 50% (en)."""
    if value is None:
        return "—"
    return _decimal(value, PERCENT[_language()])


def number(value):
    """A plain decimal the reader's way, without useless zeros: 2.00 -> 2, 1.50 -> 1,5 (fr)."""
    if value is None or value == "":
        return "—"
    return _two_places(Decimal(value), _language(), trim=True)


def figure(value):
    """A computed figure with two decimals the reader's way: 3.5 -> 3,50 (fr) / 3.50 (en)."""
    if value is None or value == "":
        return "—"
    return _two_places(Decimal(value), _language(), trim=False)


def _two_places(value, language, trim):
    """What Babel writes for "#,##0.00" (or "#,##0.##" when ``trim``), without its machinery
    (a ranking writes a thousand figures; tests/test_formatting.py compares both)."""
    text = f"{value:,.2f}"
    if trim:
        text = text.rstrip("0").rstrip(".")
    return text if language == "en" else _french(text)


def day(value, language=None):
    """A calendar date: 25/11/2026 (fr), 25 Nov 2026 (en); ``language`` fixes it (records)."""
    if value is None:
        return "—"
    if language is not None:
        return format_date_in(value, format=DAY[language], locale=language)
    return format_date(value, format=DAY[_language()])


def long_day(value):
    """A date (or an instant, taken in Europe/Paris) written out, for letters: 30 novembre 2026.
    Never the time: a letter is dated by its day."""
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        return format_datetime(value, format=LONG_DAY[_language()])
    return format_date(value, format=LONG_DAY[_language()])


def moment(value):
    """An instant, converted to Europe/Paris: 25/11/2026 14:05 (fr), 25 Nov 2026, 14:05 (en)."""
    if value is None:
        return "—"
    return format_datetime(value, format=MOMENT[_language()])


def init_app(app):
    app.jinja_env.filters.update(money=money, percent=percent, number=number, figure=figure, day=day,
                                 long_day=long_day, moment=moment)


__all__ = ["money", "percent", "number", "figure", "day", "long_day", "moment"]
