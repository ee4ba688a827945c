"""Staff's deadline for a file returned or deferred."""
from wtforms.validators import InputRequired, Optional

from fsi.fields import DateField, VersionField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l


class DeadlineForm(FsiForm):
    expected_version = VersionField(validators=[InputRequired()])
    deadline = DateField(_l("À compléter avant le"), validators=[Optional()])
