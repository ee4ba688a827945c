"""Staff's deadline for a file returned or deferred."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField
from wtforms.validators import InputRequired, Optional


class DeadlineForm(FlaskForm):
    expected_version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    deadline = DateField(_l("À compléter avant le"), validators=[Optional()])
