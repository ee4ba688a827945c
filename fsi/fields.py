"""Form fields every domain shares: amounts and rates read and shown in the reader's language;
texts, dates and whole numbers held to what the columns and a user of the fund expect
(fsi.limits): a form imports them from here rather than from wtforms."""
import re
from datetime import datetime
from decimal import Decimal

import wtforms
from wtforms import Field
from wtforms.validators import Length, StopValidation
from wtforms.widgets import HiddenInput, TextInput

from fsi.amounts import AmountError, format_amount, parse_amount, quantize_amount
from fsi.i18n import current_language
from fsi.i18n import lazy_gettext as _l
from fsi.limits import INT_MAX, LONG_TEXT_MAX, MONEY_MAX, MONEY_MIN, TITLE_MAX, date_error, text_error, version_from

__all__ = ["MONEY_MAX", "AmountField", "DateField", "DateTimeLocalField", "IntegerField", "PercentField",
           "StringField", "TextAreaField", "VersionField", "parse_french_date"]


class AmountField(Field):
    """Money or any decimal, typed as the reader writes numbers: « 12 500,50 » in French,
    « 12,500.50 » in English (fsi.amounts).

    ``data`` is a Decimal (quantised to ``places``) or None when left blank; the raw input is
    shown back untouched when it is invalid, so nothing typed is lost.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, places=2, minimum=Decimal("0"), maximum=MONEY_MAX, **kw):
        kw.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        super().__init__(label, validators, **kw)
        self.places = places
        self.minimum = minimum
        self.maximum = maximum

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_amount(self.data, self.places, current_language())

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        try:
            number = parse_amount(valuelist[0], places=self.places, language=current_language())
        except AmountError as error:
            raise ValueError(error.message) from None
        if number is None:
            return
        if self.minimum is not None and number < self.minimum:
            if number < 0 <= self.minimum:
                raise ValueError(_l("La valeur ne peut pas être négative."))
            if self.minimum == MONEY_MIN:  # where zero makes no sense (a requested grant, an envelope)
                raise ValueError(_l("Le montant doit être supérieur à zéro."))
            raise ValueError(_l("La valeur doit être au moins %(v)s.", v=format_amount(self.minimum)))
        if self.maximum is not None and number > self.maximum:
            raise ValueError(_l("La valeur doit être au plus %(v)s.",
                                v=format_amount(self.maximum, self.places, current_language())))
        self.data = quantize_amount(number, self.places)


class PercentField(AmountField):
    """A rate typed as a percentage ("50" or "37,5") and kept as a share (0.5 or 0.375)."""

    def __init__(self, label=None, validators=None, **kw):
        super().__init__(label, validators, places=2, minimum=Decimal("0"), maximum=Decimal("100"), **kw)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format_amount((self.data * 100).normalize(), 2, current_language()).rstrip("0").rstrip(",.")

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = (self.data / 100).quantize(Decimal("0.0001"))


def parse_french_date(text):
    """"25/11/2026" or "2026-11-25" -> date; raises ValueError."""
    text = (text or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


# --- Texts, dates, whole numbers ---------------------------------------------------------------

class _Printable:
    """A text field refusing control characters (a long text keeps its line breaks and tabs) and,
    when no Length validator says less, longer than ``default_max``."""

    multiline = False
    default_max = TITLE_MAX

    def pre_validate(self, form):
        limited = any(isinstance(v, Length) for v in self.validators)
        if message := text_error(self.data, None if limited else self.default_max, self.multiline):
            raise StopValidation(str(message))


class StringField(_Printable, wtforms.StringField):
    pass


class TextAreaField(_Printable, wtforms.TextAreaField):
    multiline = True
    default_max = LONG_TEXT_MAX


class _PlausibleDate:
    """A date (or date and time) between fsi.limits.DATE_MIN and DATE_MAX."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if message := date_error(self.data):
            self.data = None
            raise ValueError(str(message))


class DateField(_PlausibleDate, wtforms.DateField):
    def __init__(self, label=None, validators=None, **kw):
        kw.setdefault("render_kw", {}).update(min="2000-01-01", max="2100-12-31")
        super().__init__(label, validators, **kw)


class DateTimeLocalField(_PlausibleDate, wtforms.DateTimeLocalField):
    def __init__(self, label=None, validators=None, **kw):
        kw.setdefault("render_kw", {}).update(min="2000-01-01T00:00", max="2100-12-31T23:59")
        super().__init__(label, validators, **kw)


WHOLE_NUMBER = re.compile(r"-?[0-9]{1,10}")


class IntegerField(wtforms.IntegerField):
    """A whole number in ASCII digits (no other script's digits, ``_`` or exponent), within what an
    Integer column holds."""

    def process_formdata(self, valuelist):
        if not valuelist or not (valuelist[0] or "").strip():
            self.data = None
            return
        text = valuelist[0].strip()
        if not WHOLE_NUMBER.fullmatch(text) or abs(int(text)) > INT_MAX:
            self.data = None
            raise ValueError(_l("Saisissez un nombre entier, par exemple 12."))
        self.data = int(text)


class VersionField(wtforms.HiddenField):
    """The version a page was loaded at: an int, or -1 (refused as stale by the operation) when
    what came back is not a plain number."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        if valuelist and (valuelist[0] or "").strip():
            self.data = version_from(valuelist[0].strip())
        else:
            self.data = None
