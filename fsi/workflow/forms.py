"""The small form of an action, built from its transition (comment, amount, date)."""
from decimal import Decimal

from wtforms import HiddenField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from fsi.fields import AmountField, DateField, StringField, TextAreaField, VersionField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.limits import MONEY_MIN

#: the smallest amount an action takes (a grant, a payment): one cent
CENT = MONEY_MIN


class NoteForm(FsiForm):
    text = TextAreaField(_l("Note interne"),
                         validators=[DataRequired(message=_l("Écrivez la note.")), Length(max=5000)],
                         description=_l("Visible par l'équipe seulement, jamais par le porteur de projet."))
    next = HiddenField()


class _ActionForm(FsiForm):
    expected_version = VersionField(validators=[InputRequired()])
    next = HiddenField()


def action_form_class(transition):
    """A form class with only the fields this transition asks for."""
    fields = {}
    if transition.comment != "none":
        required = transition.comment == "required"
        fields["comment"] = TextAreaField(
            _l("Commentaire"),
            validators=[DataRequired(message=_l("Un commentaire est obligatoire pour cette action."))
                        if required else Optional(), Length(max=5000)],
            description=_l("Obligatoire. Visible par le porteur de projet dans l'historique du dossier.") if required
            else _l("Visible par le porteur de projet dans l'historique du dossier."),
        )
    if "amount" in transition.data:
        fields["amount"] = AmountField(_l("Montant (€)"), minimum=CENT, validators=[
            InputRequired(message=_l("Le montant est obligatoire."))])
    if "date" in transition.data:
        fields["date"] = DateField(_l("Date"), validators=[
            InputRequired(message=_l("La date est obligatoire."))])
    if "document" in transition.data:
        fields["document"] = StringField(_l("Document"), validators=[
            DataRequired(message=_l("Le document est obligatoire."))])
    if "still_due" in transition.data:
        fields["still_due"] = AmountField(_l("Montant encore dû (€)"), default=Decimal("0.00"), validators=[
            InputRequired(message=_l("Le montant est obligatoire."))],
            description=_l("Ce qui reste dû au porteur pour les dépenses déjà faites ; ce qui a été versé "
                           "au-delà est à reverser."))
    return type(f"ActionForm_{transition.trigger}", (_ActionForm,), fields)


def action_form(transition, prefix=None, **kwargs):
    """The form, prefixed by the trigger (or ``prefix``) so several forms can share a page."""
    return action_form_class(transition)(prefix=prefix or transition.trigger, **kwargs)


def form_data(form):
    """(comment, data) to hand to ``fire``."""
    comment = form.comment.data if "comment" in form else None
    data = {name: form[name].data for name in ("amount", "date", "document", "still_due") if name in form}
    return comment, data
