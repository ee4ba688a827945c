"""The account page's form for a new API token."""
from wtforms.validators import DataRequired, Length

from fsi.fields import StringField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l


class TokenForm(FsiForm):
    name = StringField(_l("Nom du jeton"), validators=[DataRequired(), Length(max=80)],
                       description=_l("Pour le reconnaître : le script ou le logiciel qui l'utilise."))
