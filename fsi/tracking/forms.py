"""Forms of the organisation record: a grant obtained outside FSI, and the confirmation of its
removal."""
from wtforms import BooleanField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from fsi.fields import AmountField, DateField, StringField, TextAreaField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import today
from fsi.limits import MONEY_MIN, NAME_MAX, NOTE_MAX, TITLE_MAX


class OutsideGrantForm(FsiForm):
    funder = StringField(_l("Financeur"), validators=[
        DataRequired(_l("Indiquez qui a accordé la subvention.")),
        Length(max=NAME_MAX, message=_l("160 caractères au plus."))],
        description=_l("Par exemple : Fédération des OPH, Région Sud, une fondation."))
    label = StringField(_l("Objet"), validators=[
        DataRequired(_l("Indiquez ce que la subvention finance.")),
        Length(max=TITLE_MAX, message=_l("200 caractères au plus."))])
    amount = AmountField(_l("Montant accordé (€)"), validators=[InputRequired(_l("Indiquez le montant."))],
                         minimum=MONEY_MIN)
    granted_on = DateField(_l("Accordée le"), validators=[InputRequired(_l("Indiquez la date d'attribution."))],
                           description=_l("Elle compte dans le plafond pendant la durée glissante de l'appel "
                                          "à partir de cette date."))
    note = TextAreaField(_l("Note"), validators=[Length(max=NOTE_MAX, message=_l("2 000 caractères au plus."))])

    def validate_granted_on(self, field):
        if field.data is not None and field.data > today():
            raise ValidationError(_l("La date d'attribution ne peut pas être dans le futur."))


class DeleteOutsideGrantForm(FsiForm):
    confirm = BooleanField(_l("Je confirme la suppression de cette subvention"), validators=[
        DataRequired(_l("Cochez la case pour confirmer la suppression."))])
