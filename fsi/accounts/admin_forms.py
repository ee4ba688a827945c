"""Administration forms: invite and edit users, create and edit organisations.

Forms never query the database: the choices (organisations, territories) come in as keywords.
"""
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import DataRequired, Length, ValidationError

from fsi.accounts.forms import email_field
from fsi.accounts.models import ORGANISATION_KIND_LABELS, ROLE_LABELS, Role
from fsi.accounts.siren import is_valid_siren, normalise_siren
from fsi.fields import StringField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick
from fsi.limits import version_from


def optional_int(value):
    """Select values: '' (nothing chosen) and anything not a number become None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ChoiceField(SelectField):
    """A select whose "not in the list" error is in French (the value was tampered with)."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_l("Choisissez une valeur de la liste.")) from None


class VersionedForm(FsiForm):
    """Carries the row's version: an edit made on a stale page is refused."""

    version = HiddenField()

    def expected_version(self):
        return version_from(self.version.data)


class UserFields(FsiForm):
    full_name = StringField(_l("Nom complet"), validators=[
        DataRequired(_l("Saisissez le nom complet.")),
        Length(max=160, message=_l("Le nom est trop long (%(max)d caractères au plus).")),
    ])
    role = ChoiceField(_l("Rôle"), validators=[DataRequired(_l("Choisissez un rôle."))])
    organisation_id = ChoiceField(_l("Organisme"), coerce=optional_int, description=_l(
        "Obligatoire pour un porteur de projet ; pour un membre du comité, son employeur éventuel "
        "(sert à détecter les conflits d'intérêts)."))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [("", _l("— Choisissez —"))] + [(r.value, pick(ROLE_LABELS[r])) for r in Role]
        self.organisation_id.choices = [("", _l("— Aucun —"))] + [(o.id, o.name) for o in organisations]

    def validate_organisation_id(self, field):
        if self.role.data == Role.applicant.value and field.data is None:
            raise ValidationError(_l("Un porteur de projet doit être rattaché à un organisme."))


class InviteUserForm(UserFields):
    email = email_field()


class EditUserForm(UserFields, VersionedForm):
    pass


class OrganisationForm(VersionedForm):
    name = StringField(_l("Nom"), validators=[
        DataRequired(_l("Saisissez le nom de l'organisme.")),
        Length(max=200, message=_l("Le nom est trop long (%(max)d caractères au plus).")),
    ])
    kind = ChoiceField(_l("Type d'organisme"), validators=[DataRequired(_l("Choisissez le type d'organisme."))])
    siren = StringField(_l("SIREN"), filters=[normalise_siren], validators=[
        DataRequired(_l("Saisissez le numéro SIREN."))],
        description=_l("9 chiffres, par exemple 732 829 320."))
    department_code = ChoiceField(_l("Département"), validators=[DataRequired(_l("Choisissez le département."))])
    territory_id = ChoiceField(_l("EPCI"), coerce=optional_int,
                               validators=[DataRequired(_l("Choisissez l'EPCI."))])
    active = BooleanField(_l("Organisme actif"), default=True)

    def __init__(self, *args, territories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._territories = {t.id: t for t in territories}
        self.kind.choices = [("", _l("— Choisissez —"))] + [
            (kind.value, pick(label)) for kind, label in ORGANISATION_KIND_LABELS.items()]
        departments = sorted({(t.department_code, t.department) for t in territories})
        self.department_code.choices = [("", _l("— Choisissez —"))] + [
            (code, f"{code} — {name}") for code, name in departments]
        self.territory_id.choices = [("", _l("— Choisissez —"))] + [
            (t.id, f"{t.department_code} · {t.epci}")
            for t in sorted(territories, key=lambda t: (t.department_code, t.epci))]

    def validate_siren(self, field):
        if not is_valid_siren(field.data):
            raise ValidationError(_l("Le SIREN doit comporter 9 chiffres et avoir une clé de contrôle valide."))

    def validate_territory_id(self, field):
        territory = self._territories.get(field.data)
        if territory is not None and territory.department_code != self.department_code.data:
            raise ValidationError(_l("Cet EPCI n'appartient pas au département choisi."))
