"""The small form of an action, built from its transition (comment, amount, date)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from fsi.amounts import AmountError, parse_amount


def _positive_amount(form, field):
    try:
        amount = parse_amount(field.data)
    except AmountError as error:
        raise ValidationError(error.message) from None
    if amount is None or amount <= 0:
        raise ValidationError(_l("Indiquez un montant positif en euros, par exemple 12 500,50."))


class _ActionForm(FlaskForm):
    expected_version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    next = HiddenField()


def action_form_class(transition):
    """A FlaskForm class with only the fields this transition asks for."""
    fields = {}
    if transition.comment != "none":
        required = transition.comment == "required"
        fields["comment"] = TextAreaField(
            _l("Commentaire"),
            validators=[DataRequired(message=_l("Un commentaire est obligatoire pour cette action."))
                        if required else Optional(), Length(max=5000)],
            description=_l("Obligatoire : il sera visible dans l'historique du dossier.") if required else None,
        )
    if "amount" in transition.data:
        fields["amount"] = StringField(_l("Montant (€)"), validators=[
            DataRequired(message=_l("Le montant est obligatoire.")), _positive_amount])
    if "date" in transition.data:
        fields["date"] = DateField(_l("Date"), validators=[
            InputRequired(message=_l("La date est obligatoire."))])
    if "document" in transition.data:
        fields["document"] = StringField(_l("Document"), validators=[
            DataRequired(message=_l("Le document est obligatoire."))])
    return type(f"ActionForm_{transition.trigger}", (_ActionForm,), fields)


def action_form(transition, prefix=None, **kwargs):
    """The form, prefixed by the trigger (or ``prefix``) so several forms can share a page."""
    return action_form_class(transition)(prefix=prefix or transition.trigger, **kwargs)


def form_data(form):
    """(comment, data) to hand to ``fire``."""
    comment = form.comment.data if "comment" in form else None
    data = {name: form[name].data for name in ("amount", "date", "document") if name in form}
    return comment, data
