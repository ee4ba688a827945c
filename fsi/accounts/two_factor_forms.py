"""Forms of the second factor: the code at sign-in, the first code of the set-up, the password
asked again before turning it off or renewing the recovery codes."""
from flask_babel import gettext as _
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l


def code_field(label, description=None):
    return StringField(label, description=description, validators=[
        DataRequired(_l("Saisissez le code.")),
        Length(max=32, message=_l("Ce code est trop long.")),
    ], render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"})


class SecondFactorForm(FsiForm):
    code = code_field(_l("Code de vérification"), _l(
        "Le code à 6 chiffres affiché par votre application d'authentification, ou l'un de vos codes de secours."))
    remember_device = BooleanField()

    def __init__(self, *args, days, **kw):
        super().__init__(*args, **kw)
        self.remember_device.label.text = _("Ne plus demander de code sur cet appareil pendant %(days)d jours",
                                            days=days)


class ConfirmSetupForm(FsiForm):
    code = code_field(_l("Code affiché par l'application"))


class PasswordCheckForm(FsiForm):
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Saisissez votre mot de passe."))])
