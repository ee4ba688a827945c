"""The budget section: cost lines, co-financing lines, the requested amount."""
from wtforms import BooleanField, FieldList, Form, FormField, ValidationError

from fsi.applications.budget import COST_CATEGORIES
from fsi.applications.forms.common import ChoiceField, SectionForm, filled, max_length, options
from fsi.fields import AmountField, StringField
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick
from fsi.workflow.forms import CENT


class CostLineForm(Form):
    category = ChoiceField(_l("Catégorie"), default="other")
    label = StringField(_l("Libellé"), [max_length(200)])
    amount_excl_tax = AmountField(_l("Montant HT (€)"), render_kw={"class": "js-excl"})
    amount_incl_tax = AmountField(_l("Montant TTC (€)"), render_kw={"class": "js-incl"})
    eligible = BooleanField(_l("Éligible"), default=True, render_kw={"class": "js-eligible"})

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.category.choices = options((code, pick(label)) for code, label in COST_CATEGORIES)

    def is_blank(self):
        return not (self.label.data or "").strip() and not filled(self.amount_excl_tax) \
            and not filled(self.amount_incl_tax)

    def validate_label(self, field):
        if not self.is_blank() and not (field.data or "").strip():
            raise ValidationError(_l("Indiquez le libellé de la dépense."))

    def validate_amount_excl_tax(self, field):
        if not self.is_blank() and field.data is None and not field.errors:
            raise ValidationError(_l("Indiquez le montant HT."))

    def validate_amount_incl_tax(self, field):
        if self.is_blank() or field.errors:
            return
        if field.data is None:
            raise ValidationError(_l("Indiquez le montant TTC."))
        if self.amount_excl_tax.data is not None and field.data < self.amount_excl_tax.data:
            raise ValidationError(_l("Le montant TTC ne peut pas être inférieur au montant HT."))


class CoFundingForm(Form):
    funder = StringField(_l("Financeur"), [max_length(200)])
    public = ChoiceField(_l("Nature"), choices=options([("1", _l("Public")), ("0", _l("Privé"))]), default="1")
    amount = AmountField(_l("Montant (€)"), render_kw={"class": "js-cofunding"})

    def is_blank(self):
        return not (self.funder.data or "").strip() and not filled(self.amount)

    def validate_funder(self, field):
        if not self.is_blank() and not (field.data or "").strip():
            raise ValidationError(_l("Indiquez le financeur."))

    def validate_amount(self, field):
        if not self.is_blank() and field.data is None and not field.errors:
            raise ValidationError(_l("Indiquez le montant."))


class BudgetForm(SectionForm):
    cost_lines = FieldList(FormField(CostLineForm), min_entries=1)
    cofundings = FieldList(FormField(CoFundingForm), min_entries=1)
    requested_amount = AmountField(_l("Montant de subvention demandé (€)"), minimum=CENT,
                                   render_kw={"class": "js-requested"})
    vat_not_recoverable = BooleanField(
        _l("L'organisme ne récupère pas la TVA sur ces dépenses"), render_kw={"class": "js-vat"},
        description=_l("Le coût éligible se compte alors toutes taxes comprises (TTC)."))

    def cost_rows(self):
        return [{"category": e.form.category.data, "label": (e.form.label.data or "").strip(),
                 "amount_excl_tax": e.form.amount_excl_tax.data, "amount_incl_tax": e.form.amount_incl_tax.data,
                 "eligible": bool(e.form.eligible.data)}
                for e in self.cost_lines.entries if not e.form.is_blank()]

    def cofunding_rows(self):
        return [{"funder": (e.form.funder.data or "").strip(), "public": e.form.public.data == "1",
                 "amount": e.form.amount.data}
                for e in self.cofundings.entries if not e.form.is_blank()]

    def values(self):
        return {"requested_amount": self.requested_amount.data, "vat_recoverable": not self.vat_not_recoverable.data}
