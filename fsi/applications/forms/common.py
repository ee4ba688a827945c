"""Pieces shared by the section forms."""
from wtforms import DateField, HiddenField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import Length
from wtforms.widgets import DateInput

from fsi.fields import parse_french_date
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.limits import date_error, version_from


def max_length(n):
    return Length(max=n, message=_l("%(max)d caractères au plus.", max=n))


class FrenchDateField(DateField):
    """A date from the browser's date picker (2026-11-25) or typed the French way (25/11/2026)."""

    widget = DateInput()

    def __init__(self, label=None, validators=None, **kw):
        super().__init__(label, validators, format="%Y-%m-%d", **kw)

    def process_formdata(self, valuelist):
        if not valuelist or not (valuelist[0] or "").strip():
            self.data = None
            return
        try:
            self.data = parse_french_date(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_l("Saisissez une date, par exemple 25/11/2026.")) from None
        if message := date_error(self.data):
            self.data = None
            raise ValueError(str(message))


class SectionForm(FsiForm):
    """Every section carries the version of the application it was loaded from."""

    version = HiddenField()

    def expected_version(self):
        return version_from(self.version.data)


def optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


def filled(field):
    """Something was typed (even invalid) or loaded in the field."""
    raw = field.raw_data[0] if field.raw_data else ""
    return bool(str(raw).strip()) or field.data is not None


def options(pairs):
    """(value, label) pairs as WTForms 3.3 SelectChoice objects."""
    return [SelectChoice(value, label) for value, label in pairs]


class _FrenchChoice:
    """Selects whose refusals speak French (unknown value, value that is not a number)."""

    def __init__(self, *args, **kw):
        kw.setdefault("invalid_choice_message", _l("Choix invalide."))
        super().__init__(*args, **kw)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Choix invalide.")) from None


class ChoiceField(_FrenchChoice, SelectField):
    pass


class MultipleChoiceField(_FrenchChoice, SelectMultipleField):
    pass
