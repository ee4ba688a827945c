"""What a field may hold, in one place: the forms refuse beyond it next to the field, and the
database layer refuses it again for any operation (a flush or a compare-and-swap), so a value the
columns cannot hold (PostgreSQL overflows, refuses NUL) is never a 500 nor half written.

The bounds follow the columns (``String(n)``, ``Numeric(p, s)``, ``Integer``) plus what a user of
the fund would expect: dates between 2000 and 2100, long texts of at most ``LONG_TEXT_MAX``
characters, no control character but the line breaks and tabs of a long text.
"""
import re
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, DateTime, Integer, Numeric, String, Text, inspect
from sqlalchemy.types import TypeDecorator

from fsi.errors import Refused
from fsi.i18n import lazy_gettext as _l

#: the largest amount a money column (Numeric(12, 2)) holds: 9 999 999 999,99 €
MONEY_MAX = Decimal("9999999999.99")
#: the smallest amount where zero makes no sense (a grant, an envelope, a payment): one cent
MONEY_MIN = Decimal("0.01")
#: the largest id or version an Integer column holds (PostgreSQL's int4)
INT_MAX = 2**31 - 1
#: dates a grant's life may plausibly use (calls, projects, sessions, decisions)
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2100, 12, 31)

#: text lengths, by kind of field (the forms' Length validators and the columns use these)
NAME_MAX = 160
TITLE_MAX = 200
NOTE_MAX = 2000
COMMENT_MAX = 5000
LONG_TEXT_MAX = 20000  # a call's Markdown presentation, a project's description

#: any control character (a one-line field), and those a long text may not hold (all but \t \n \r)
CONTROL = re.compile("[\x00-\x1f\x7f]")
CONTROL_IN_LONG_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: tables FSI writes itself (mails: their bodies quote what was checked when typed, their errors
#: come from the mail server): never refused, lest a mail be lost
SYSTEM_WRITTEN = frozenset({"outbox_message"})

CONTROL_MESSAGE = _l("Ce texte contient un caractère invisible non autorisé : retapez-le sans copier-coller.")
DATE_MESSAGE = _l("Saisissez une date entre %(min)d et %(max)d.", min=DATE_MIN.year, max=DATE_MAX.year)


def text_error(text, max_length=None, multiline=True):
    """Why ``text`` may not be stored (a French message), or None."""
    if not isinstance(text, str):
        return None
    if (CONTROL_IN_LONG_TEXT if multiline else CONTROL).search(text):
        return CONTROL_MESSAGE
    if max_length is not None and len(text) > max_length:
        return _l("%(max)d caractères au plus.", max=max_length)
    return None


def date_error(value):
    """Why ``value`` (a date or datetime) is not a plausible date, or None."""
    if value is None:
        return None
    day = value.date() if isinstance(value, datetime) else value
    return DATE_MESSAGE if not DATE_MIN <= day <= DATE_MAX else None


def amount_error(value, maximum=MONEY_MAX, positive=False):
    """Why ``value`` may not be stored as an amount of at most ``maximum``, or None."""
    if value is None:
        return None
    if not isinstance(value, Decimal | int) or isinstance(value, bool) or not Decimal(value).is_finite():
        return _l("Saisissez un montant en chiffres, par exemple 12 500,50.")
    if positive and value <= 0:
        return _l("Le montant doit être supérieur à zéro.")
    if abs(value) > maximum:
        return _l("Le montant est trop grand.")
    return None


def bounded_int(value, maximum=INT_MAX):
    """``value`` as an int when it is plain ASCII digits (no sign, other scripts' digits, ``_``
    or exponent) within ``maximum``; else None. For ids and versions posted or in a URL."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value <= maximum else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
        return number if number <= maximum else None
    return None


def version_from(value):
    """The version a form was loaded at, or -1 (stale: refused as changed meanwhile) when it is
    not a plain number a version column holds."""
    number = bounded_int(value)
    return -1 if number is None else number


def refuse_positive(field, value):
    """An amount where zero makes no sense (a requested grant, an envelope): Refused otherwise."""
    if value is not None and (message := amount_error(value, positive=True)):
        raise Refused(str(message), field=field)


# --- The database layer's check -------------------------------------------------------------

def column_error(column, value):
    """Why ``value`` does not fit ``column`` (its type, and the plausible bounds above), or None."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if value is None or column.table.name in SYSTEM_WRITTEN:
        return None
    if isinstance(kind, String):
        length = kind.length or (LONG_TEXT_MAX if isinstance(kind, Text) else None)
        return text_error(value, length)
    if isinstance(kind, Numeric) and kind.precision and isinstance(value, Decimal | int):
        scale = kind.scale or 0
        return amount_error(value, Decimal(10) ** (kind.precision - scale) - Decimal(10) ** -scale)
    if isinstance(kind, Integer) and isinstance(value, int) and not isinstance(value, bool):
        limit = 2**63 - 1 if isinstance(kind, BigInteger) else INT_MAX
        return _l("Le nombre est trop grand.") if abs(value) > limit else None
    if isinstance(kind, Date | DateTime) and isinstance(value, date):
        return date_error(value)
    return None


def check_values(model, values):
    """Refused (next to the field named after the column) when one of ``values`` does not fit
    ``model``'s columns."""
    columns = inspect(model).columns
    for name, value in values.items():
        if name in columns and (message := column_error(columns[name], value)):
            raise Refused(str(message), field=name)


def check_row(row):
    """``check_values`` on a row about to be written."""
    state = inspect(row)
    keys = [prop.key for prop in state.mapper.column_attrs
            if state.pending or state.attrs[prop.key].history.has_changes()]
    check_values(type(row), {key: state.attrs[key].value for key in keys})


def check_flush(session, flush_context, instances):
    """Every new or changed row checked before it reaches the database."""
    for row in list(session.new) + list(session.dirty):
        check_row(row)
