"""Form fields shared by the calls and applications forms: French numbers and Paris times."""
from datetime import datetime
from decimal import Decimal

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import TextInput

from fsi.amounts import AmountError, parse_amount


class FrenchDecimalField(Field):
    """Money or any decimal typed the French way ("12 500,50") or plainly ("12500.50").

    ``data`` is a Decimal (quantised to ``places``) or None when left blank; the raw input is
    shown back untouched when it is invalid, so nothing typed is lost.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, places=2, minimum=Decimal("0"), maximum=None, **kw):
        kw.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        super().__init__(label, validators, **kw)
        self.places = places
        self.minimum = minimum
        self.maximum = maximum

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        pattern = "#,##0" + ("." + "0" * self.places if self.places else "")
        return format_decimal(self.data, format=pattern, locale="fr_FR")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            number = parse_amount(valuelist[0], places=self.places)
        except AmountError as error:
            self.data = None
            raise ValueError(error.message) from None
        if number is None:
            self.data = None
            return
        quantum = Decimal(1).scaleb(-self.places)
        if self.minimum is not None and number < self.minimum:
            self.data = None
            raise ValueError(_l("La valeur ne peut pas être négative.") if self.minimum == 0
                             else _l("La valeur doit être au moins %(v)s.", v=self.minimum))
        if self.maximum is not None and number > self.maximum:
            self.data = None
            raise ValueError(_l("La valeur doit être au plus %(v)s.", v=self.maximum))
        self.data = number.quantize(quantum)


class PercentField(FrenchDecimalField):
    """A rate typed as a percentage ("50" or "37,5") and kept as a share (0.5 or 0.375)."""

    def __init__(self, label=None, validators=None, **kw):
        super().__init__(label, validators, places=2, minimum=Decimal("0"), maximum=Decimal("100"), **kw)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format_decimal(self.data * 100, format="#,##0.##", locale="fr_FR")

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
