"""Forms of the payments' pages: the schedule staff edit before the first payment, and the
receipt of a clawback."""
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, SelectField
from wtforms.validators import InputRequired, Length, Optional

from fsi.fields import AmountField, DateField, StringField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.limits import bounded_int
from fsi.workflow.forms import CENT

#: blank lines offered under the schedule's tranches, to add tranches
BLANK_LINES = 2


class ScheduleLineForm(Form):
    tranche_id = HiddenField()
    label = StringField(_l("Libellé"), [Length(max=200, message=_l("200 caractères au plus."))])
    amount = AmountField(_l("Montant (€)"), [Optional()], minimum=CENT)
    condition = SelectField(_l("Versée après"), choices=[], validate_choice=True,
                            coerce=lambda value: "" if value in (None, "", "None") else str(value))
    is_balance = BooleanField(_l("Solde (recalculé au bilan final)"))

    def is_blank(self):
        return not (self.label.data or "").strip() and self.amount.data is None

    @property
    def tranche(self):
        return bounded_int(self.tranche_id.data)


class ScheduleForm(FsiForm):
    lines = FieldList(FormField(ScheduleLineForm))

    def set_conditions(self, choices):
        """``choices``: [(report id as text, label)]; the first choice is « no condition »."""
        for entry in self.lines:
            entry.form.condition.choices = [("", str(_l("Aucune condition")))] + list(choices)


class ClawbackReceivedForm(FsiForm):
    received_on = DateField(_l("Reçu le"), validators=[InputRequired(_l("La date est obligatoire."))])
