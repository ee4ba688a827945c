from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[
        DataRequired(_l("Saisissez votre adresse e-mail.")),
        Email(_l("Cette adresse e-mail n'est pas valide."), check_deliverability=False),
    ])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Saisissez votre mot de passe."))])
    remember = BooleanField(_l("Rester connecté sur cet appareil"))
    next = HiddenField()
