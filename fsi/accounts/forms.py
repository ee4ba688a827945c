"""Sign-in and password forms. Messages in French (source strings), per field."""
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from fsi.accounts.services import PASSWORD_MIN_LENGTH
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l


def email_field(label=None):
    return EmailField(label or _l("Adresse de courriel"), validators=[
        DataRequired(_l("Saisissez votre adresse de courriel.")),
        Email(_l("Cette adresse de courriel n'est pas valide."), check_deliverability=False),
        Length(max=254, message=_l("L'adresse de courriel est trop longue (254 caractères au plus).")),
    ])


def new_password_fields():
    """The new password and its confirmation, with the same rules everywhere."""
    password = PasswordField(_l("Nouveau mot de passe"), validators=[
        DataRequired(_l("Choisissez un mot de passe.")),
        Length(min=PASSWORD_MIN_LENGTH, max=200,
               message=_l("Le mot de passe doit comporter entre %(min)d et %(max)d caractères.")),
    ], description=_l("Au moins %(min)d caractères. Une phrase facile à retenir convient très bien.",
                      min=PASSWORD_MIN_LENGTH))
    confirm = PasswordField(_l("Confirmez le nouveau mot de passe"), validators=[
        DataRequired(_l("Confirmez le mot de passe.")),
        EqualTo("password", _l("Les deux mots de passe ne sont pas identiques.")),
    ])
    return password, confirm


class LoginForm(FsiForm):
    email = email_field()
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Saisissez votre mot de passe."))])
    remember = BooleanField(_l("Rester connecté sur cet appareil"))
    next = HiddenField()


class ForgotPasswordForm(FsiForm):
    email = email_field()


class SetPasswordForm(FsiForm):
    """Choosing a password from a one-time link (reset or invitation)."""

    password, confirm = new_password_fields()


class ChangePasswordForm(FsiForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[
        DataRequired(_l("Saisissez votre mot de passe actuel.")),
    ])
    password, confirm = new_password_fields()
