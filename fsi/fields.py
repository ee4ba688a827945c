"""Form fields every domain shares: amounts and rates read and shown in the reader's language."""
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import TextInput

from fsi.amounts import AmountError, format_amount, parse_amount, quantize_amount
from fsi.i18n import current_language

#: the largest amount a money column (12 digits, 2 decimals) holds
MONEY_MAX = Decimal("9999999999.99")


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
            raise ValueError(_l("La valeur ne peut pas être négative.") if self.minimum == 0
                             else _l("La valeur doit être au moins %(v)s.", v=format_amount(self.minimum)))
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
