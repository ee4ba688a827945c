"""Staff's deadline for a file returned or deferred."""
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Optional

from fsi.fields import DateField, VersionField
from fsi.i18n import lazy_gettext as _l


class DeadlineForm(FlaskForm):
    expected_version = VersionField(validators=[InputRequired()])
    deadline = DateField(_l("À compléter avant le"), validators=[Optional()])
